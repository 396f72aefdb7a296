"""What a scenario may say, from the rule set: for the page's form and for `GET /v1/reference`.

Stage: web. Imports `language.ruleset` and `mou.values`.

Event types with their fields (type, whether required, default, the values
of an enumeration, the event types a reference may name), questions with
their arguments, interpretive choices with their readings and authority,
and parameters with their values as signed. Generated, never written by
hand, as the documentation's reference pages are.
"""

from __future__ import annotations

from typing import Any

from ..language.ruleset import NO_DEFAULT, RuleSet
from ..values import to_json


def _json(value: Any) -> Any:
    try:
        return to_json(value)
    except Exception:  # noqa: BLE001 - a default that is not a plain value (a copied field, a function)
        return None


def _type(kind: Any) -> dict:
    data: dict[str, Any] = {"kind": kind.kind, "text": str(kind)}
    if kind.values:
        data["values"] = [_json(v) for v in kind.values]
        if kind.words:
            data["words"] = list(kind.words)
    if kind.events:
        data["events"] = sorted(kind.events)
    if kind.item is not None:
        data["item"] = _type(kind.item)
    return data


def _default(default: Any) -> dict:
    if default is NO_DEFAULT:
        return {}
    if isinstance(default, tuple) and len(default) == 2 and default[0] == "field":
        return {"default_from": default[1]}
    return {"default": _json(default)}


def reference(ruleset: RuleSet) -> dict:
    """The vocabulary of the rule set, as JSON."""
    areas = {}
    if "area" in ruleset.enums:
        for value in ruleset.enums["area"].values:
            paragraph = ruleset.paragraphs.get(f"V.1.{value}")
            areas[str(value)] = paragraph.text if paragraph else str(value)
    return {
        "agreement": ruleset.agreement,
        "title": getattr(ruleset, "short_name", "") or ruleset.agreement,
        "parties": [str(party) for party in ruleset.parties],
        "areas": areas,
        "events": {name: {"says": event.says, "paragraph": event.paragraph,
                          "fields": {field.name: {"type": _type(field.type), "required": field.required,
                                                  "says": field.says,
                                                  # free text checked against an enum (a meeting's topics
                                                  # against the areas of V.1): the page offers its values
                                                  **({"typos_of": field.typos_of.name} if field.typos_of else {}),
                                                  **({} if field.required else _default(field.default))}
                                     for field in event.fields.values()}}
                   for name, event in ruleset.event_types.items()},
        "questions": {name: {"says": question.says, "paragraphs": list(question.paragraphs),
                             "at": question.at,
                             "args": [{"name": arg.name, "type": _type(arg.type), "says": arg.says,
                                       "optional": arg.default is not None or arg.name == question.at}
                                      for arg in question.args]}
                      for name, question in ruleset.questions.items()},
        "choices": {name: {"paragraph": choice.paragraph, "authority": choice.source, "type": str(choice.type),
                           "default": _json(choice.default), "values": [_json(v) for v in choice.values],
                           "means": dict(choice.means), "unset": choice.unset}
                    for name, choice in ruleset.choices.items()},
        "parameters": {name: {"paragraph": parameter.paragraph, "says": parameter.says, "type": str(parameter.type),
                              "default": _json(parameter.default), "text": parameter.source}
                       for name, parameter in ruleset.parameters.items()},
    }
