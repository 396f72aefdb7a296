"""What the facts leave open: the facts and choices an answer lacks, with what each value would decide, the
facts missing that did not matter, and whether a choice matters to an answer.

Stage: answers. Imports `case`, `questions`, `summary`, `counterfactuals`, scenario files' `variants`, the
clause language's `wording`, and `mou.values`, `mou.dates`. Also: the presumptions an answer rests on that did
not decide it (`presumptions_weighed`).
"""

from __future__ import annotations

from typing import Any

from ..dates import Duration
from ..scenario.model import QuestionCall
from ..language.wording import join
from ..scenario.variants import CHOICE, EVENT, Change, changes
from ..values import Event, Missing, Unknown, to_json
from .case import INVALID, Case, Resolution
from .counterfactuals import Search
from .questions import Answer, same
from .summary import head

MAX_INTERVAL_MONTHS = 1200
"""An unset duration choice is weighed over 1 to 1,200 months (the longest period a scenario may give)."""


def missing_json(missing: Missing) -> dict:
    """A missing fact or choice: `{event, field, choice, says}`."""
    choice = missing.subject == "interpretation"
    event = missing.subject not in ("interpretation", "question")
    return {"event": missing.subject if event else None, "field": missing.name if event else None,
            "choice": missing.name if choice else None, "says": str(missing)}


def missing_of(case: Case, call: QuestionCall, found: Answer, resolution: Resolution) -> tuple[list, list]:
    """What the answer lacks, with what each value would decide; and what was missing and did not matter."""
    value = resolution.value
    if resolution.weighed and not isinstance(value, Unknown):
        return [], [missing_json(fact.missing) for fact in resolution.weighed]
    pool: list[Missing] = []
    if isinstance(value, Unknown):
        pool.extend(sorted(value.missing))
    for read in found.reads:
        if read.kind == "duty" and isinstance(read.value, Unknown):
            pool.extend(sorted(read.value.missing))
    pool = list(dict.fromkeys(pool))
    weighable = {fact.missing: fact for fact in case.unknowables(Unknown(frozenset(pool)))}
    listed, unneeded = [], []
    for missing in pool:
        entry = missing_json(missing)
        fact = weighable.get(missing)
        if fact is not None:
            entry["answers"] = []
            for v in fact.values:
                items = changes(fact.change(v))
                other = case.value(call, items)
                said = "" if other is INVALID else head_of(case, call, other, items)
                entry["answers"].append({"value": to_json(v), "answer": to_json(other),
                                         "says": said, "state": _stated(fact, v)})
        elif missing.subject == "interpretation" and _duration_choice(case, missing.name):
            entry["answers"] = interval_answers(case, call, missing.name)
        answers = [a["answer"] for a in entry.get("answers", [])]
        if answers and all(a == answers[0] for a in answers) and answers[0] != "unknown":
            unneeded.append(missing_json(missing))
        else:
            listed.append(entry)
    return listed, unneeded


def _duration_choice(case: Case, name: str) -> bool:
    choice = case.ruleset.choices.get(name)
    return choice is not None and choice.type.kind == "duration" and not choice.values


def interval_answers(case: Case, call: QuestionCall, name: str) -> list[dict]:
    """For an unset duration choice: the answers on either side of the interval where the answer changes, in
    months, or in days where a month already gives the longest interval's answer (a gap of 16 days)."""
    def at(length: Duration) -> Any:
        return case.value(call, changes(Change(CHOICE, name, "", length)))

    longest = at(Duration(MAX_INTERVAL_MONTHS, "months"))
    unordered = call.definition.unordered
    if same(longest, at(Duration(1, "days")), unordered):
        return [{"value": "any", "answer": to_json(longest)}]
    unit, low, high = ("months", 1, MAX_INTERVAL_MONTHS) if not same(at(Duration(1, "months")), longest, unordered) \
        else ("days", 1, 31)  # at(low) differs from at(high); find the smallest `high` like the longest
    while high - low > 1:
        middle = (low + high) // 2
        if same(at(Duration(middle, unit)), longest, unordered):
            high = middle
        else:
            low = middle

    def said(length: Duration, value: Any) -> str:
        items = changes(Change(CHOICE, name, "", length))
        return "" if value is INVALID else head_of(case, call, value, items)

    short, long_ = Duration(low, unit), Duration(high, unit)
    return [{"value": str(short), "range": "or less", "answer": to_json(at(short)), "says": said(short, at(short)),
             "state": f"`{name}: {short}`"},
            {"value": str(long_), "range": "or more", "answer": to_json(longest), "says": said(long_, longest),
             "state": f"`{name}: {long_}`"}]


def choice_matters(case: Case, call: QuestionCall, value: Any, name: str, consulted: Any, missing: list) -> bool:
    """Whether another value of this choice alone would change this answer."""
    choice = case.ruleset.choices[name]
    if isinstance(consulted, Unknown):
        return any(entry.get("choice") == name for entry in missing)
    others = [v for v in choice.values if v != consulted] if choice.values else [None]
    if not choice.values and isinstance(consulted, Duration):  # an interval: the shortest and the longest too
        others += [Duration(1, "months"), Duration(MAX_INTERVAL_MONTHS, "months")]
    for other in others:
        found = case.value(call, changes(Change(CHOICE, name, "", other)))
        if found is not INVALID and not same(found, value, call.definition.unordered):
            return True
    return False


def _stated(fact: Any, value: Any) -> str:
    """How a scenario states a missing fact, as code: `within_mandate: true` (on f2), `notice_runs_from: receipt`."""
    kind, target, name = fact.change_of
    shown = "true" if value is True else "false" if value is False else str(value)
    return f"`{name}: {shown}` on {target}" if kind != CHOICE else f"`{target}: {shown}`"


def head_of(case: Case, call: QuestionCall, other: Any, items: Any) -> str:
    """The answer's head as the variant with the changes `items` words it."""
    variant = case.replay(items, duties=call.definition.uses_duties)
    asked = case.call_in(call, items)
    if variant is None or asked is None:
        return head(case.base, call, other, None, would=True)
    return head(variant, asked, other, None, would=True)


def presumptions_weighed(case: Case, call: QuestionCall, value: Any, assumed: list[dict],
                         searched: dict) -> tuple[list[dict], list[dict]]:
    """The assumed items without the presumptions that did not decide the answer (whichever value the fact
    not stated took, the answer is the same: a matter of interest presumed for a request whose duty lapsed
    anyway), and those, said as facts not stated that do not matter. `searched` counts the evaluations."""
    search = Search(case, call, value)
    kept, moot = [], []
    for item in assumed:
        event = case.base.by_id.get(item["event"] or "") if item.get("presumed") else None
        stated = event.fields.get(item["field"]) if event is not None else None
        weighable = case.unknowables(stated) if isinstance(stated, Unknown) else ()
        changes = [fact.change(other) for fact in weighable for other in fact.values] or \
            _party_lists(case, event, item["field"]) if isinstance(stated, Unknown) else []
        if changes and not any(search.differs(search.answer_under(change)) for change in changes):
            said = join([str(fact.missing) for fact in weighable]) or item["says"].split(" is not stated")[0]
            moot.append({"event": event.id, "field": item["field"], "choice": None, "says": said})
        else:
            kept.append(item)
    searched["evaluations"] += search.spent
    return kept, moot


def _party_lists(case: Case, event: Event, name: str) -> list:
    """For a list of parties not stated (to whom a meeting's matters are of interest): each list it could be."""
    spec = case.ruleset.event_types[event.type].fields.get(name)
    if spec is None or spec.type.kind != "list" or spec.type.item is None or spec.type.item.kind != "actor":
        return []
    parties = case.ruleset.parties
    lists = [tuple(p for at, p in enumerate(parties) if mask >> at & 1) for mask in range(2 ** len(parties))]
    return [Change(EVENT, event.id, name, value) for value in lists]
