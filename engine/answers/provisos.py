"""What a counterfactual's outcome rests on that the case does not state: "…, assuming the rules of procedure of
m1 did not bar observers (not stated)".

Stage: answers. Imports `case`, `counterfactuals`, `facts`, `reasons`, scenario files' `model` and `variants`, the
clause language's `context`, and `mou.values`.

A change that flips an answer can meet a default the answer itself never needed: a meeting convened by a third
state raises no duty, whatever its rules of procedure say; convened by a party, it raises one only if they do
not bar observers, which the case does not state. Said without that proviso, the counterfactual states as
certain what rests on a default (DOMAIN.md, rules 4 and 5). So each counterfactual is tried once more with each
default of the events it speaks of set otherwise (a yes-or-no denied, a date a day later), and each reading
the case sets at its default; where that gives another answer, the default or reading is named beside the
outcome. The defaults behind a fact of the agreement the reasons cite (`grounds_weighed`) are weighed the same
way for the answer itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable

from ..language.context import Read
from ..values import to_json
from ..scenario.variants import ADD, CHOICE, EVENT, MOVE, Change
from .case import INVALID, Case
from ..scenario.model import QuestionCall
from .counterfactuals import Flip, Search
from .assumptions import BEHIND, choice_meaning
from .derived import concluded, grounds_of
from .facts import Facts
from .reasons import plain_value


def provisos(case: Case, search: Search, flip: Flip, subjects: Iterable[str], cited: Iterable[str] = (),
             behind: Iterable[str] = (), readings: Iterable[str] = ()) -> list[dict]:
    """The defaults its outcome rests on, each `{event, field, says}`, of the events a counterfactual changes or
    asks about; for a change of reading (a choice, a parameter), of the events the reasons cite (`cited`); for an
    act moved in time, of the events behind the facts of the agreement the reasons cite too (`behind`); and the
    readings at their default that the reasons rest on (`readings`), where another would not give that outcome."""
    variant = case.varied((flip.change,))
    if variant is None:
        return []
    by_id = {event.id: event for event in variant.events}
    words = Facts(case.base)
    found = []
    moved = flip.change.kind == MOVE or flip.change.kind == EVENT and isinstance(flip.change.value, date)
    # (an act moved in time can meet the agreement's standing, which rests on the events behind it: signatures)
    for event_id in dict.fromkeys([*(_changed(flip.change, case.base) or cited), *subjects,
                                   *(behind if moved else ())]):
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
    for name, value in sorted(case.scenario.interpretation.items()):  # a reading the case sets, not the default
        choice = case.ruleset.choices.get(name)
        if choice is None or to_json(value) == to_json(choice.default) or \
                flip.change.kind == CHOICE and flip.change.target == name:
            continue
        answer = search.answer_under(flip.change, Change(CHOICE, name, "", choice.default))
        if answer is not INVALID and search.differs_from(answer, flip.answer):
            said = choice_meaning(choice, name, plain_value(value))
            found.append({"event": None, "field": None, "choice": name,
                          "says": f"{said} (`{name}: {plain_value(value)}`, as set for this case)"})
    for name in readings:  # a reading at its default the reasons rest on: named where another would not give it
        choice = case.ruleset.choices.get(name)
        value = case.base.choices.get(name)
        if choice is None or name in case.scenario.interpretation or flip.change.kind == CHOICE:
            continue
        others = [other for other in choice.values if to_json(other) != to_json(value)]
        if any(search.differs_from(answer, flip.answer) for answer in (
                search.answer_under(flip.change, Change(CHOICE, name, "", other)) for other in others)
               if answer is not INVALID):
            said = choice_meaning(choice, name, plain_value(value))
            found.append({"event": None, "field": None, "choice": name,
                          "says": f"{said} (`{name}: {plain_value(value)}`)"})
    return found


def _changed(change: Change, replay: Any) -> list[str]:
    """The events a change speaks of: the one it changes, and the events of the days a date it changes passes
    over (a meeting held later passes the signature that brought the MoU into force); the one it moves and the one
    it is moved past; or those an act it adds refers to."""
    by_id = replay.by_id
    if change.kind == MOVE:  # and the events behind what the one moved past did (the other signature)
        done = [{"event": owner, "field": name} for firing in replay.firings if firing.outcome is True
                and firing.subject is not None and firing.subject.id == change.value
                for owner, name in concluded(firing)]
        return [change.target, change.value, *(read.owner for read in grounds_of(replay, done, through_state=True))]
    if change.kind == EVENT:
        event = by_id.get(change.target)
        was = None if event is None else event.date if change.field == "date" else event.fields.get(change.field)
        if not isinstance(was, date) or not isinstance(change.value, date):
            return [change.target]
        low, high = sorted((was, change.value))
        return [change.target, *(other.id for other in by_id.values() if low <= other.date <= high)]
    if change.kind == ADD:
        fields = change.value[1]
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
    named = {(item.get("event"), item.get("field")) for item in assumed if item.get("event")}
    named |= {item["choice"] for item in assumed if item.get("choice")}  # (one behind says so there: `leaning`)
    for flip in flips:
        fresh = [item for item in flip.pop("assuming", ())
                 if (item["event"], item["field"]) not in named and item.get("choice") not in named]
        if fresh:
            defaults = [item["says"] for item in fresh if not item.get("choice")]
            readings = [item["says"] for item in fresh if item.get("choice")]
            proviso = ", assuming that " + " and that ".join(
                [*([f"{' and that '.join(defaults)} (not stated)"] if defaults else []), *readings])
            flip.update(then=flip["then"] + proviso, says=flip["says"] + proviso, assuming=fresh)
    return flips


def leaning(flips: list[dict], assumed: list[dict]) -> list[dict]:
    """The assumed items, where a reading the answer does not rest on, but its reasons do (`behind`), is one some
    of what would change the answer rests on too: said there once, not after each counterfactual."""
    rest = {item["choice"] for flip in flips for item in flip.get("assuming", ()) if item.get("choice")}
    said = "the reasons above, and what would change the answer below, read the case so, though the answer " \
           "itself does not depend on it"
    return [{**item, "says": item["says"].replace(BEHIND, said)}
            if item.get("behind") and item.get("choice") in rest else item for item in assumed]


def grounds_weighed(case: Case, call: QuestionCall, value: Any, assumed: list[dict], searched: dict) -> list[dict]:
    """The assumed items, those the search did not try (a default behind a fact of the agreement the reasons cite:
    the signatures behind its end) weighed once with a yes-or-no denied or a date a day later: marked `decides`
    where the answer would differ, left to be said as not mattering where it would not, and dropped where the
    weighing cannot tell (another value makes the case invalid, or the search's budget is spent)."""
    search = Search(case, call, value)
    kept = []
    for item in assumed:
        if not item.get("beyond"):
            kept.append(item)
            continue
        other = otherwise(case.base.by_id[item["event"]].fields.get(item["field"]))
        answer = search.answer_under(Change(EVENT, item["event"], item["field"], other)) if other is not None \
            else INVALID
        if answer is not INVALID:
            kept.append({**item, "decides": True} if search.differs(answer) else item)
    searched["evaluations"] += search.spent
    return kept
