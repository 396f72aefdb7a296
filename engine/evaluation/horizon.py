"""The evaluation horizon: how far past a scenario's own dates its timeline is replayed.

Stage: evaluation. Imports `mou.dates`, `mou.errors` and `mou.values`.

A rule that watches a date it sets again (a term that renews itself every
five years) would fire until the calendar runs out. The replay fires the
dates rules watch only up to a horizon derived from the scenario:

    the latest date the scenario names (any date of any event, `as_of`, a
    question's date), plus the sum of the distinct periods the rules can add
    to a date (those written in the clause files, the parameters' values,
    durations the scenario gives).

A date derived from the scenario's dates by adding each period once lies
within it, so answers that are not tied to a date (the last day in force)
are the same as without a horizon; only a repetition (the term after the
term after …) is cut, and answers about a date the scenario names see every
repetition up to it. A rule that would still run past the horizon is
reported as a note with its place in its clause file. Near the end of the
calendar the horizon stops that sum short of 9999-12-31, so that a rule
firing on it can still add its periods.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ..dates import DateError, Duration, add_span, subtract_span
from ..errors import Diagnostic

LAST_DAY = date.max


def reach(durations: Iterable[Duration]) -> tuple[int, int]:
    """The sum of `durations`, as (months, days): the longest a chain of them can add to a date."""
    months = days = 0
    for duration in set(durations):
        if duration.months is None:
            days += duration.count
        else:
            months += duration.months
    return months, days


def horizon(latest: date, durations: Iterable[Duration]) -> date:
    """`latest` plus the sum of `durations`; never so late that a rule firing there leaves the calendar."""
    months, days = reach(durations)
    try:
        last = subtract_span(LAST_DAY, months, days)
    except DateError:
        return latest  # periods longer than the calendar: nothing past the scenario's own dates
    try:
        return min(add_span(latest, months, days), last)
    except DateError:
        return last


def scenario_horizon(ruleset: Any, events: list[Any], asked: list[date], readings: list[Any]) -> date:
    """The horizon of a replay, from its events, the dates `asked` and the `readings` (parameters, choices).

    The periods are those of the rule set and those the events and readings give.
    """
    dates = [*(event.date for event in events), *asked]
    periods = set(ruleset.durations)
    _gather([event.fields for event in events], dates, periods)
    _gather(readings, [], periods)
    return horizon(max(dates, default=date.min), periods)


def beyond(day: date, limit: date, rules: Iterable[Any], what: str, scenario: str = "") -> list[Diagnostic]:
    """One note for the rules watching `what` that would still run on `day`, past the horizon `limit`."""
    rules = list(rules)
    if not rules:
        return []
    where = f" of {scenario}" if scenario else ""
    named = ", ".join(f"{rule.id} ({rule.paragraph})" for rule in rules)
    return [Diagnostic(rules[0].location, f"rule{'s' if len(rules) > 1 else ''} {named} would still run on {day} "
                                          f"({what}), past the evaluation horizon{where}, {limit}: answers about "
                                          "later dates need a question or `as_of` that reaches them",
                       severity="note")]


def _gather(values: Iterable[Any], dates: list[date], durations: set[Duration]) -> None:
    """Add the dates and the durations among `values`, and whatever they hold, to `dates` and `durations`.

    One walk for both: the horizon of every replay walks every event's fields.
    """
    stack = list(values)
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str or kind is bool or kind is int or value is None:
            continue
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
        elif isinstance(value, Duration):
            durations.add(value)
        elif isinstance(value, date):
            dates.append(value)
