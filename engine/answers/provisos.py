"""What a counterfactual's outcome rests on that the case does not state: "…, assuming the rules of procedure of
m1 did not bar observers (not stated)".

Stage: answers. Imports `case`, `counterfactuals`, `facts`, scenario files' `variants`, the clause language's
`context`.

A change that flips an answer can meet a default the answer itself never needed: a meeting convened by a third
state raises no duty, whatever its rules of procedure say; convened by a party, it raises one only if they do
not bar observers, which the case does not state. Said without that proviso, the counterfactual states as
certain what rests on a default (DOMAIN.md, rules 4 and 5). So each counterfactual is tried once more with each
default of the events it speaks of set otherwise (a yes-or-no denied, a date a day later); where that gives
another answer, the default is named beside the outcome.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable

from ..language.context import Read
from ..values import Event
from ..scenario.variants import ADD, EVENT, MOVE, Change
from .case import INVALID, Case
from .counterfactuals import Flip, Search
from .facts import Facts


def provisos(case: Case, search: Search, flip: Flip, subjects: Iterable[str], cited: Iterable[str] = ()) -> list[dict]:
    """The defaults its outcome rests on, each `{event, field, says}`, of the events a counterfactual changes or
    asks about; for a change of reading (a choice, a parameter), of the events the reasons cite (`cited`)."""
    variant = case.varied((flip.change,))
    if variant is None:
        return []
    by_id = {event.id: event for event in variant.events}
    words = Facts(case.base)
    found = []
    for event_id in dict.fromkeys([*(_changed(flip.change, case.base.by_id) or cited), *subjects]):
        event = by_id.get(event_id)
        if event is None or event.implied or event_id not in case.base.by_id:
            continue
        for name in sorted(event.defaulted, key=list(event.fields).index):
            value = event.fields.get(name)
            other = otherwise(value)
            if other is None or flip.change.kind == EVENT and (flip.change.target, flip.change.field) == (event_id, name):
                continue
            answer = search.answer_under(flip.change, Change(EVENT, event_id, name, other))
            if answer is INVALID or not search.differs_from(answer, flip.answer):
                continue
            said = words.phrase(Read(label="", value=value, kind="field", owner=event_id, name=name))
            found.append({"event": event_id, "field": name, "says": said})
    return found


def _changed(change: Change, by_id: dict[str, Event]) -> list[str]:
    """The events a change speaks of: the one it changes, and the events of the days a date it changes passes
    over (a meeting held later passes the signature that brought the MoU into force); the one it moves and the one
    it is moved past; or those an act it adds refers to."""
    if change.kind == MOVE:
        return [change.target, change.value]
    if change.kind == EVENT:
        event = by_id.get(change.target)
        was = None if event is None else event.date if change.field == "date" else event.fields.get(change.field)
        if not isinstance(was, date) or not isinstance(change.value, date):
            return [change.target]
        low, high = sorted((was, change.value))
        return [change.target, *(other.id for other in by_id.values() if low <= other.date <= high)]
    if change.kind == ADD:
        _, fields = change.value
        return [value[1] for _, value in fields if isinstance(value, tuple) and value[:1] == ("event",)]
    return []


def otherwise(value: Any) -> Any:
    """Another value of a default to try: a yes-or-no denied, a date a day later; None for other kinds."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, date):
        return value + timedelta(days=1)
    return None


def with_provisos(flips: list[dict], assumed: list[dict]) -> list[dict]:
    """The counterfactuals with their provisos said after their outcome (", assuming that … (not stated)"), but for
    those the answer itself assumed, which its Assumed part names already; `assuming` lists those said."""
    named = {(item.get("event"), item.get("field")) for item in assumed}
    for flip in flips:
        fresh = [item for item in flip.pop("assuming", ()) if (item["event"], item["field"]) not in named]
        if fresh:
            proviso = f", assuming that {' and that '.join(item['says'] for item in fresh)} (not stated)"
            flip.update(then=flip["then"] + proviso, says=flip["says"] + proviso, assuming=fresh)
    return flips
