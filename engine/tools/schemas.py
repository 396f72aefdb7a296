"""JSON Schemas of scenario and clause files, for editors (YAML language server) and CI.

Stage: tools. Imports scenario files' `reader` and the clause language's `model`.

pydantic writes a discriminated union as `oneOf` with a `discriminator`
keyword that JSON Schema validators ignore: they try every member, and a
misspelt field of a `termination_notice` is reported against all eighteen
event types ("'form' was unexpected"). The schemas here replace each such
union with one `if`/`then` branch per member on the discriminating key
(`type` for events, `ask` for questions), and an `enum` of its values: an
error then comes from the one member the object says it is, and names that
member (each member's `title`, e.g. "event termination_notice", and each
of its fields', "event termination_notice: form") and the field.
"""

from __future__ import annotations

from typing import Any

from ..language.model import ClauseFile, Manifest
from ..scenario.reader import ScenarioReader

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = {"type": "event", "ask": "question"}


def scenario_schema(reader: ScenarioReader) -> dict:
    """The JSON Schema of scenario files for the reader's rule set."""
    titles: dict[str, str] = {}
    document = _branches(reader.model.model_json_schema(), titles)
    _title(document.get("$defs", {}), titles)
    document["$schema"] = SCHEMA_DIALECT
    document["title"] = f"mou scenario ({reader.ruleset.agreement})"
    document["description"] = ("A timeline of events and the questions to ask about it; "
                               "see docs/contract/SCENARIOS.md. "
                               "YAML 1.2: only true/false are booleans; dates are YYYY-MM-DD.")
    return document


def clause_schema() -> dict:
    """The JSON Schema of clause files (one Article each) and of their manifest (`agreement.yaml`).

    A document with an `agreement:` key is a manifest; any other is a clause
    file. Both are in the one schema, so an editor can map it to every YAML
    file of a clause directory.
    """
    clause = ClauseFile.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    manifest = Manifest.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    definitions = {**clause.pop("$defs", {}), **manifest.pop("$defs", {})}
    definitions["ClauseFile"] = {**clause, "title": "clause file"}
    definitions["Manifest"] = {**manifest, "title": "clause manifest (agreement.yaml)"}
    titles: dict[str, str] = {}
    definitions = _branches(definitions, titles)
    _title(definitions, titles)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "mou clause file",
        "description": "A clause file (one Article), or the manifest agreement.yaml that lists them.",
        "$defs": definitions,
        "type": "object",
        "if": {"required": ["agreement"]},
        "then": {"$ref": "#/$defs/Manifest"},
        "else": {"$ref": "#/$defs/ClauseFile"},
    }


def _title(definitions: dict, titles: dict[str, str]) -> None:
    """Give each union member its title ("event termination_notice"): the name an error is reported under."""
    for name, title in titles.items():
        if isinstance(definitions.get(name), dict):
            definitions[name]["title"] = title
            for field, spec in definitions[name].get("properties", {}).items():
                if isinstance(spec, dict):  # an error in a field's value names the member too
                    spec["title"] = f"{title}: {field}"


def _branches(node: Any, titles: dict[str, str]) -> Any:
    """`node` with each pydantic discriminated union replaced by `if`/`then` branches (module docstring).

    The members' titles are added to `titles`, by definition name.
    """
    if isinstance(node, list):
        return [_branches(item, titles) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _branches(value, titles) for key, value in node.items()}
    discriminator = node.get("discriminator")
    if not (isinstance(discriminator, dict) and "oneOf" in node and "mapping" in discriminator):
        return node
    key, mapping = discriminator["propertyName"], discriminator["mapping"]
    kind = KINDS.get(key, key)
    for value, reference in mapping.items():
        titles[reference.rsplit("/", 1)[-1]] = f"{kind} {value}"
    rest = {k: v for k, v in node.items() if k not in ("discriminator", "oneOf")}
    return {
        **rest,
        "type": "object",
        "required": [key],
        "properties": {key: {"enum": list(mapping), "description": f"the {kind}'s {key}: one of these"}},
        "allOf": [{"if": {"properties": {key: {"const": value}}, "required": [key]}, "then": {"$ref": reference}}
                  for value, reference in mapping.items()],
    }
