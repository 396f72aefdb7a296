"""The standard invariants: what any agreement with a term in force must agree with, shipped with the engine.

Stage: answers. Imports `questions`, scenario files' `model`, evaluation's `replay`, the clause
language's `ruleset`, and `mou.values`, `mou.errors`.

An agreement switches them on with one line in its manifest, `invariants: standard`, and must then
ask the four questions they are judged through, by these names:

- `in_force` and `status` (argument `on`);
- `entry_into_force_date` and `last_day_in_force` (no argument; a date, or none).

They are, for every scenario, on each day where something happens and the days around it:

- `standard/in-force-once`: the days `in_force` holds form one interval;
- `standard/entry-into-force`: `in_force` holds from `entry_into_force_date` and not the day
  before (and never while no date of entry into force is set);
- `standard/last-day`: `in_force` holds on `last_day_in_force` and not the day after;
- `standard/status`: `status` agrees with `in_force`: on two days with the same status, the
  agreement is in force on both or on neither (a status such as `termination_pending` may be one
  of several in force).

An agreement that can be suspended, or applied provisionally before it enters into force, leaves
them off: its days in force need not be one interval.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from ..errors import Location
from ..language.ruleset import RuleSet
from ..scenario.model import NOT_GIVEN, QuestionCall, Scenario
from ..values import Unknown
from .questions import value_of

STANDARD = "standard"
QUESTIONS = {"in_force": ("on",), "status": ("on",), "entry_into_force_date": (), "last_day_in_force": ()}
NAMES = {
    "standard/in-force-once": "the days the agreement is in force form one interval",
    "standard/entry-into-force": "the agreement is in force from the date of its entry into force, not the day before",
    "standard/last-day": "the agreement is in force on its last day in force, not the day after",
    "standard/status": "the status agrees with in_force: one status, in force on all its days or on none",
}


def missing_questions(ruleset: RuleSet) -> list[str]:
    """The questions the standard invariants need that the rule set does not ask (the compiler refuses it)."""
    missing = []
    for name, args in QUESTIONS.items():
        question = ruleset.questions.get(name)
        if question is None or tuple(a.name for a in question.args) != args:
            missing.append(f"{name}({', '.join(args)})" if args else name)
    return missing


def standard_violations(ruleset: RuleSet, scenario: Scenario, replay: Any, days: list[date],
                        make: Callable[..., Any]) -> list[Any]:
    """The standard invariants that fail in this replay, as `make(name, paragraph, says, where, detail)`."""
    if missing_questions(ruleset):
        return []

    def ask(name: str, on: date | None = None) -> Any:
        definition = ruleset.questions[name]
        args = {"on": on} if on is not None else {}
        call = QuestionCall(name, args, {k: v.isoformat() for k, v in args.items()}, NOT_GIVEN,
                            Location(scenario.file), definition)
        return value_of(replay, call)

    def paragraph(name: str) -> str:
        return ",".join(ruleset.questions[name].paragraphs)

    found = []
    entry, last = ask("entry_into_force_date"), ask("last_day_in_force")
    probe = set(days)
    for day in (entry, last):
        if isinstance(day, date):
            probe.update(_around(day))
    in_force = {day: ask("in_force", day) for day in sorted(probe)}
    known = [(day, value) for day, value in in_force.items() if isinstance(value, bool)]
    changes = [day for (before, a), (day, b) in zip(known, known[1:]) if a != b]
    if len(changes) > 2 or (len(changes) == 2 and known[0][1] is True):
        found.append(make("standard/in-force-once", paragraph("in_force"), NAMES["standard/in-force-once"],
                          "in this scenario", "in force, then not, on: " + ", ".join(map(str, changes))))
    if isinstance(entry, date):
        before = entry - timedelta(days=1)
        if in_force.get(entry) is False or in_force.get(before) is True:
            found.append(make("standard/entry-into-force", paragraph("entry_into_force_date"),
                              NAMES["standard/entry-into-force"], f"on {entry}",
                              f"entry_into_force_date is {entry}; in_force on {before}: {in_force.get(before)}, "
                              f"on {entry}: {in_force.get(entry)}"))
    elif entry is None and any(value is True for _, value in known):
        day = next(day for day, value in known if value is True)
        found.append(make("standard/entry-into-force", paragraph("entry_into_force_date"),
                          NAMES["standard/entry-into-force"], f"on {day}",
                          f"in force on {day}, yet no date of entry into force is set"))
    if isinstance(last, date):
        after = last + timedelta(days=1)
        if in_force.get(last) is False or in_force.get(after) is True:
            found.append(make("standard/last-day", paragraph("last_day_in_force"), NAMES["standard/last-day"],
                              f"on {last}", f"last_day_in_force is {last}; in_force on {last}: "
                                            f"{in_force.get(last)}, on {after}: {in_force.get(after)}"))
    seen: dict[Any, tuple[date, bool]] = {}  # status → the first day it was seen, and in_force that day
    for day, value in known:
        status = ask("status", day)
        if isinstance(status, Unknown):
            continue
        first = seen.setdefault(status, (day, value))
        if first[1] != value:
            found.append(make("standard/status", paragraph("status"), NAMES["standard/status"], f"on {day}",
                              f"status is {status} on {first[0]} and on {day}, but in_force is "
                              f"{str(first[1]).lower()} on the first and {str(value).lower()} on the second"))
            break
    return found


def _around(day: date) -> list[date]:
    out = []
    for delta in (-1, 0, 1):
        try:
            out.append(day + timedelta(days=delta))
        except OverflowError:
            continue
    return out
