"""What an answer assumed: the defaults and interpretive choices that decided it, with how to state otherwise.

Stage: answers. Imports `case`, `reasons` and `mou.values`.
"""

from __future__ import annotations

from typing import Any

from ..values import to_json
from .case import Case
from .facts import Facts
from .reasons import TAKEN, facts_in, grounds_of


def assumed_of(case: Case, reasons: list[dict], choices: list[dict]) -> list[dict]:
    """What the answer took without the scenario saying so, or as the scenario chose, and that decided it.

    Each `{event, field, choice, value, says, how_to_state}`: a field the
    scenario left out, taken at its default (a receipt date taken as the
    sending date, observers taken as not barred), that the decisive reasons
    rest on; and each interpretive choice that matters, at its default or as
    set.
    """
    items = []
    seen = set()
    cited = list(dict.fromkeys(fact.get("event") for fact in facts_in(reasons) if fact.get("event")))
    words = Facts(case.base)
    timing = [{"event": read.owner, "field": read.name, "says": words.phrase(read), "timing": True}
              for event_id in cited for read in case.base.timing.get(event_id, ("", None, ()))[2]
              if read.kind == "field" and read.owner == event_id]  # when a cited event took effect: its receipt
    grounds = [{"event": read.owner, "field": read.name, "says": words.phrase(read)}
               for read in grounds_of(case.base, facts_in(reasons))]  # what a derived fact cited rests on
    for fact in [*facts_in(reasons), *timing, *grounds]:
        event = case.base.by_id.get(fact.get("event") or "")
        name = fact.get("field")
        if event is None or name is None or name not in event.defaulted or (event.id, name) in seen:
            continue
        seen.add((event.id, name))
        value = event.fields.get(name)
        if value is None or event.implied:
            continue  # a field left empty is no assumption: the event simply has none
        copied = event.copied.get(name)
        taken = f", taken as its {copied}" if copied else ""
        if isinstance(value, bool):
            how = f"state `{name}: {'false' if value else 'true'}` on {event.id} if that is not so"
        else:
            how = f"state `{name}` on {event.id} if it differs"
        items.append({"event": event.id, "field": name, "choice": None, "value": to_json(value),
                      "says": f"{fact['says'].removesuffix(TAKEN)} (not stated{taken})", "how_to_state": how,
                      **({"timing": True} if fact.get("timing") else {})})
    for choice in choices:
        if not choice.get("matters") or isinstance(choice.get("value"), dict) or choice.get("value") == "unknown":
            continue  # an unset choice is no assumption: the answer lists it as missing
        definition = case.ruleset.choices[choice["name"]]
        key = _choice_key(choice["value"])
        meaning = definition.means.get(key) or definition.means.get("value", "").replace("{value}", key) \
            or f"the interpretive choice {choice['name']} is {key}"
        if choice["default"]:
            says = f"{meaning} (`{choice['name']}: {key}`; {definition.source})"
        else:  # the authority is the default's: a reading set for the case is the analyst's, not the source's
            default = _choice_key(definition.default) if definition.default is not None else None
            says = (f"{meaning} (`{choice['name']}: {key}`, as set for this case; by default, "
                    f"{definition.means.get(default) or default}: {definition.source})" if default is not None
                    else f"{meaning} (`{choice['name']}: {key}`, as set for this case; {definition.source})")
        items.append({"event": None, "field": None, "choice": choice["name"], "value": choice["value"],
                      "says": says,
                      "how_to_state": f"`--interpret {choice['name']}=VALUE`, or `interpretation:` in the scenario"})
    return items


def _choice_key(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "unset" if value is None else str(value)
