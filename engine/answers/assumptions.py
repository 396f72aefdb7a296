"""What an answer assumed: the defaults and interpretive choices that decided it, with how to state otherwise.

Stage: answers. Imports `case`, `reasons`, `derived`, evaluation's `state` (where a
term of the agreement is kept) and `mou.values`.
"""

from __future__ import annotations

import re

from typing import Any, Iterable

from ..language.wording import say
from ..values import to_json
from ..evaluation.state import PARAM_KEY
from .case import Case
from .facts import Facts
from .derived import concluded, every_read, grounds_of
from .reasons import TAKEN, facts_in, grounded_in, plain_value, presumed_in


BEHIND = "the reasons above read the case so, though the answer does not depend on it"  # (a reading)


def choice_meaning(definition: Any, name: str, key: str) -> str:
    """What a reading means in words (`key`: its value as written): its `means:`, else "the interpretive choice
    NAME is VALUE"."""
    return definition.means.get(key) or definition.means.get("value", "").replace("{value}", key) \
        or f"the interpretive choice {name} is {key}"


def assumed_of(case: Case, reasons: list[dict], choices: list[dict], subjects: Iterable[str] = ()) -> list[dict]:
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
    searched = {(read.owner, read.name) for read in grounds_of(case.base, grounded_in(reasons))}
    # what the act that changed the agreement's standing later that day did rests on its own grounds too
    changed = [{"of": owner, "field": name} for _, _, other in same_day_order(case, reasons, subjects)
               for firing in case.base.firings if firing.outcome is True and firing.subject is not None
               and firing.subject.id == other for owner, name in concluded(firing) if owner not in case.base.by_id]
    grounds = [{"event": read.owner, "field": read.name, "says": words.phrase(read),
                **({} if read.owner in cited else {"ground": True}),  # an event the reasons name: said all the same
                **({} if (read.owner, read.name) in searched else {"beyond": True})}  # (one the search did not try)
               for read in grounds_of(case.base, [*grounded_in(reasons), *changed], through_state=True)]
    behind = list(dict.fromkeys(fact["event"] for fact in grounds))
    timing = [{"event": read.owner, "field": read.name, "says": words.phrase(read), "timing": True,
               **({"ground": True} if event_id not in cited else {})}
              for event_id in cited + behind for read in case.base.timing.get(event_id, ("", None, ()))[2]
              if read.kind == "field" and read.owner == event_id]  # when an event took effect: its receipt
    for fact in [*facts_in(reasons, assumed=True), *timing, *grounds]:
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
                      **({"timing": True} if fact.get("timing") else {}),
                      **({"ground": True} if fact.get("ground") else {}),
                      **({"beyond": True} if fact.get("beyond") else {})})
    for fact in presumed_in(reasons):  # a fact not stated that a condition held on nonetheless: a presumption
        key = (fact["event"], fact["field"])
        if key not in seen:
            seen.add(key)
            basis = fact.get("basis") or "from what the case does state"  # (what presumes it, where a reason says)
            items.append({"event": fact["event"], "field": fact["field"], "choice": None, "value": "unknown",
                          "says": f"{fact['says']}: the answer rests on a presumption{': ' if 'basis' in fact else ' '}"
                                  f"{basis}",
                          "how_to_state": f"state `{fact['field']}` on {fact['event']} to decide it otherwise",
                          "presumed": True})
    items += _same_day(case, reasons, list(subjects))
    for choice in choices:
        if not (choice.get("matters") or choice.get("behind")) or isinstance(choice.get("value"), dict) \
                or choice.get("value") == "unknown":
            continue  # an unset choice is no assumption: the answer lists it as missing
        definition = case.ruleset.choices[choice["name"]]
        key = plain_value(choice["value"])
        meaning = choice_meaning(definition, choice["name"], key)
        if choice["default"]:
            says = f"{meaning} (`{choice['name']}: {key}`; {definition.source})"
        else:  # the authority is the default's: a reading set for the case is the analyst's, not the source's
            default = plain_value(definition.default) if definition.default is not None else None
            says = (f"{meaning} (`{choice['name']}: {key}`, as set for this case; by default, "
                    f"{definition.means.get(default) or default}: {definition.source})" if default is not None
                    else f"{meaning} (`{choice['name']}: {key}`, as set for this case; {definition.source})")
        if choice.get("behind"):
            says += f"; {BEHIND}"
        items.append({"event": None, "field": None, "choice": choice["name"], "value": choice["value"],
                      "says": says,
                      "how_to_state": f"`--interpret {choice['name']}=VALUE`, or `interpretation:` in the scenario",
                      **({"behind": True} if choice.get("behind") else {})})
    return items


def _same_day(case: Case, reasons: list[dict], subjects: list[str]) -> list[dict]:
    """Where the reasons rest on the agreement's state and an act cited fell on the day another event changed that
    state (a signature that brought the agreement into force), the order of that day's events decided: taken as
    the scenario lists them (DOMAIN.md), which is an assumption about the facts, said as one."""
    name = case.ruleset.short_name or "agreement"
    by_id = case.base.by_id
    return [{"event": event_id, "field": None, "choice": None, "value": None,
             "says": f"the events of {by_id[other_id].date} took place in the order given: "
                     f"{say(by_id[event_id])} {order} {say(by_id[other_id])}, which changed the {name}'s "
                     f"{'terms' if _set_terms(case, other_id) else 'standing'} that day",
             "how_to_state": "list the day's events in the order they took place", "order": True}
            for event_id, order, other_id in same_day_order(case, reasons, subjects)]


def same_day_order(case: Case, reasons: list[dict], subjects: Iterable[str]) -> list[tuple[str, str, str]]:
    """Each act asked about that fell on the day of an event that changed the agreement's state, where the
    reasons rest on that state: (the act, "before" or "after", the event), as the scenario lists them."""
    listed = [node["subject"] for node in reasons if node.get("status") and node.get("subject")]
    if not listed and not any(fact.get("event") is None for fact in facts_in(reasons)):
        return []  # (a duty listed rests on the agreement's standing on its trigger's day)
    by_id = case.base.by_id
    found = []
    for event_id in dict.fromkeys([*subjects, *listed]):
        event = by_id.get(event_id)
        if event is None:
            continue
        for firing in case.base.firings:
            other = firing.subject
            if other is None or other.id == event_id or other.date != event.date or firing.outcome is not True \
                    or not any(owner not in by_id for owner, _ in concluded(firing)):
                continue
            found.append((event_id, "after" if event.index > other.index else "before", other.id))
            break
    return found + _terms_same_day(case, reasons, {event_id for event_id, _, _ in found})


def _set_terms(case: Case, event_id: str) -> bool:
    """Whether an event changed one of the agreement's terms (a parameter: an amendment coming into force)."""
    firings = case.base.firings
    return any(source is not None and firings[source].subject is not None and firings[source].subject.id == event_id
               for name in case.ruleset.parameters for _, _, source in case.base.state.changes(PARAM_KEY, name))


def _terms_same_day(case: Case, reasons: list[dict], done: set[str]) -> list[tuple[str, str, str]]:
    """Each act the reasons' facts of the agreement rest on (one that is running) that read a term of the
    agreement (a period) on a day an amendment changed that term: which applied rests on the order of that
    day's events (DOMAIN.md: same-day events apply in file order)."""
    replay = case.base
    firings = replay.firings
    acts = [firings[changes[-1][2]].subject for fact in facts_in(reasons) if fact.get("of") and fact.get("field")
            for changes in [[change for change in replay.state.changes("$" + fact["of"], fact["field"])
                             if to_json(change[1]) == fact.get("value")]] if changes and changes[-1][2] is not None]
    found = []
    for act in dict.fromkeys(act for act in acts if act is not None and act.id not in done):
        read = {(firing.day, read.name) for firing in firings if firing.outcome is True and firing.subject is act
                for read in every_read([*firing.let_reads, *(read for c in firing.conditions for read in c.reads)])
                if read.kind == "parameter"}  # (on the day the act took effect: on its receipt, say)
        for when, name in sorted(read):
            others = [firings[source].subject for day, _, source in replay.state.changes(PARAM_KEY, name)
                      if day == when and source is not None and firings[source].subject is not None
                      and firings[source].subject is not act]
            found.extend((act.id, "after" if act.index > other.index else "before", other.id) for other in others[:1])
    return found


def decided(assumed: list[dict], flips: list[dict], cut_short: bool = False) -> tuple[list[dict], list[dict]]:
    """The defaults that decided the answer (another value of the field would change it, as a counterfactual
    shows, or `grounds_weighed` found), and those that did not, which are said as not mattering. Choices are kept as
    they are. After a search cut short, no default is said not to matter: it may be one the search did not reach."""
    changed = {label for flip in flips for label in flip.get("change", {})}
    kept, moot = [], []
    for item in assumed:
        if item.get("event") and f"{item['event']}.{item['field']}" not in changed and not item.get("presumed") \
                and not item.get("order") and not item.get("decides") and not cut_short:
            said = re.sub(r" \(not stated[^()]*\)", "", item["says"])
            moot.append({"event": item["event"], "field": item["field"], "choice": None,
                         "says": f"whether {said} (taken as so)"})
        else:
            kept.append({key: value for key, value in item.items()
                         if key not in ("timing", "presumed", "order", "ground", "beyond", "decides")})
    return kept, moot


def said_with_defaults(flips: list[dict], assumed: list[dict]) -> list[dict]:
    """The counterfactuals left once those that only deny a yes-or-no default the answer assumed (the signatory
    taken as duly authorized) are said with that assumption instead: "were that not so, the MoU would not be in
    force". Denying an assumption is no act a party could take; it is what the assumption decides."""
    by_field = {(item["event"], item["field"]): item for item in assumed if item.get("event") and item.get("field")}
    kept = []
    for flip in flips:
        (label, value), = flip.get("change", {"": None}).items()
        event, _, field = label.rpartition(".")
        item = by_field.get((event, field))
        if item is None or not isinstance(value, bool) or value == item.get("value"):
            kept.append(flip)
            continue
        item["would"] = flip["then"]
        how = item["how_to_state"].removesuffix(" if that is not so")
        item["how_to_state"] = f"were that not so, {flip['then']} ({how} to say so)"
    return kept
