"""The decision record: what gave an answer, so that it can be reproduced later.

Stage: answers. Imports the clause language's `ruleset` and `mou.values`.

Every JSON document `mou` prints carries one (OPA's decision logs are the
model): the version of `mou`, the agreement, the SHA-256 of the clause files
as compiled (the manifest, each clause file and the signed text, in order),
and the reading the answers were given under: every interpretive choice and
every parameter with the value it had (a choice left unset is `null`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from ..language.ruleset import RuleSet
from ..values import Unknown, to_json


@lru_cache(maxsize=1)
def version() -> str:
    """The installed version of `mou` (or `unknown` when it runs from a tree that is not installed).

    Read as `importlib.metadata.version` reads it, without importing it where the metadata lies in a
    directory on the path (`_metadata_version`): its imports (email, socket, zipfile) cost a cold
    `mou check --format json` more than the rest of its decision record.
    """
    found = _metadata_version("mou")
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("mou")
    except PackageNotFoundError:
        return "unknown"


def _metadata_version(name: str) -> str | None:
    """The `Version` of the first distribution `name` that importlib.metadata's path finder would find (the
    first `NAME-*.dist-info` or `NAME*.egg-info` of the first entry of `sys.path` that has one, in
    `os.listdir`'s order), from its METADATA or PKG-INFO; None where that search is not this simple (an
    entry that is a file, such as a zip, which it would search inside) or finds nothing."""
    import os
    import sys

    for entry in sys.path:
        root = entry or "."
        if not os.path.isdir(root):
            if os.path.exists(root):
                return None  # a zip on the path: importlib.metadata looks inside, this does not
            continue
        try:
            children = os.listdir(root)
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if low.endswith(".egg") and low.partition("-")[0] == name:
                return None  # an egg: importlib.metadata reads its EGG-INFO, this does not
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            if low.rpartition(".")[0].partition("-")[0].replace(".", "_").replace("-", "_") != name:
                continue
            for file in ("METADATA", "PKG-INFO"):
                try:
                    with open(os.path.join(root, child, file), encoding="utf-8") as text:
                        for line in text:
                            if not line.strip():
                                break  # the headers end at the first blank line
                            key, _, value = line.partition(":")
                            if key.strip().lower() == "version":
                                return value.strip()
                except OSError:
                    continue
            return None  # found, but without a version line this simple reading knows
    return None


def decision(ruleset: RuleSet, choices: Mapping[str, Any] | None = None,
             parameters: Mapping[str, Any] | None = None) -> dict:
    """The decision record under these choices and parameters (the defaults for those not given)."""
    given_choices, given_parameters = dict(choices or {}), dict(parameters or {})
    interpretation = {}
    for name, choice in ruleset.choices.items():
        value = given_choices.get(name, choice.default)
        interpretation[name] = None if isinstance(value, Unknown) else to_json(value)
    values = {name: to_json(given_parameters.get(name, parameter.default))
              for name, parameter in ruleset.parameters.items()}
    return {"mou": version(), "agreement": ruleset.agreement, "clauses_sha256": ruleset.sha256,
            "interpretation": interpretation, "parameters": values}


def scenario_decision(ruleset: RuleSet, scenario: Any, choices: Mapping[str, Any] | None = None,
                      parameters: Mapping[str, Any] | None = None) -> dict:
    """The record of one scenario: its own `interpretation:` and `parameters:`, with these on top."""
    return decision(ruleset, {**scenario.interpretation, **(choices or {})},
                    {**scenario.parameters, **(parameters or {})})
