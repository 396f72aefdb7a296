"""Hypothesis strategies for scenarios, built from a rule set's own vocabulary.

Stage: tooling. Imports `ruleset`, `types`, `dates`; needs hypothesis.

Usable from any pytest suite that keeps clause or scenario files::

    from hypothesis import given
    from engine import Engine
    from engine.testing import scenario_data

    engine = Engine(backend="native")

    @given(scenario_data(engine.ruleset))
    def test_no_answer_is_an_error(data):
        scenario = engine.reader.from_document(as_document(data))
        assert not engine.check(scenario).errors

Event types, fields, parties, forms, choices, parameters and questions all
come from the compiled clause files, so the strategies follow the clauses
when they change. Dates weigh month ends, 28/29 February and the first of
the month in, because uniform dates almost never hit them.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from . import types as T
from .dates import Duration
from .ruleset import RuleSet
from .yamlio import Document

NON_PARTIES = ("Turkey", "UNHCR", "Member State")
"""Names that are not parties (and are not one edit away from a party)."""

FIRST = date(2005, 1, 1)
LAST = date(2035, 12, 31)


@st.composite
def special_dates(draw, start: date = FIRST, end: date = LAST) -> date:
    """Month ends, leap days, 28 February, the 1st, the 30th and 31st."""
    year = draw(st.integers(start.year, end.year))
    month = draw(st.integers(1, 12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.sampled_from(sorted({1, 28, min(29, last), min(30, last), last})))
    value = date(year, month, day)
    return min(max(value, start), end)


def dates(start: date = FIRST, end: date = LAST) -> st.SearchStrategy[date]:
    """Dates in [start, end], about half of them month ends and other edge days."""
    return st.one_of(st.dates(start, end), special_dates(start, end))


def durations() -> st.SearchStrategy[Duration]:
    """Durations in days, months and years, small enough for real notice periods."""
    return st.one_of(st.builds(Duration, st.integers(1, 24), st.just("months")),
                     st.builds(Duration, st.integers(1, 400), st.just("days")),
                     st.builds(Duration, st.integers(1, 3), st.just("years")))


def _text(value: Any) -> Any:
    """An engine value as it is written in a scenario file."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    return value


def value_of(type_: T.Type, ruleset: RuleSet, near: date) -> st.SearchStrategy:
    """A value of a field type, as written in YAML (dates near the event's own date)."""
    kind = type_.kind
    if kind == "actor":
        return st.sampled_from(ruleset.parties + NON_PARTIES)
    if kind == "bool":
        return st.booleans()
    if kind == "enum":
        return st.sampled_from(type_.values)
    if kind == "date":
        return st.integers(0, 45).map(lambda days: (near + timedelta(days=days)).isoformat())
    if kind == "duration":
        return durations().map(str)
    if kind == "int":
        return st.integers(0, 10)
    if kind == "text":
        return st.sampled_from(["railway tariffs", "x", "i", "ii", "border management", "ix"])
    if kind == "list":
        return st.lists(value_of(type_.item or T.TEXT, ruleset, near), max_size=3, unique=True)
    if kind == "changes":
        names = sorted(ruleset.parameters)
        return st.dictionaries(st.sampled_from(names), durations().map(str), min_size=1, max_size=1) \
            if names else st.just({})
    return st.none()


@st.composite
def event_data(draw, ruleset: RuleSet, type_name: str, event_id: str, day: date,
               earlier: dict[str, list[tuple[str, date]]]) -> dict | None:
    """One event of a type, as a scenario file writes it (None if a reference has no target).

    An event that refers to another usually comes after it (within about a
    year), as in real timelines; sometimes at `day`, whatever that is.
    """
    definition = ruleset.event_types[type_name]
    item: dict[str, Any] = {"id": event_id, "type": type_name}
    for name, spec in definition.fields.items():
        if spec.type.kind != "event":
            continue
        targets = [target for t in sorted(spec.type.events) for target in earlier.get(t, [])]
        if not targets:
            return None
        target_id, target_day = draw(st.sampled_from(targets))
        item[name] = target_id
        if draw(st.integers(0, 9)) > 0:
            day = min(LAST, max(day, target_day) if draw(st.booleans()) else
                      target_day + timedelta(days=draw(st.integers(0, 400))))
    item["date"] = day.isoformat()
    for name, spec in definition.fields.items():
        if spec.type.kind == "event" or (not spec.required and draw(st.booleans())):
            continue
        item[name] = draw(value_of(spec.type, ruleset, day))
    return item


@st.composite
def scenario_data(draw, ruleset: RuleSet, types: tuple[str, ...] | None = None, min_events: int = 1,
                  max_events: int = 12, questions: bool = True, choices: bool = True) -> dict:
    """A whole scenario as YAML-ready data: events of the given types, choices, questions.

    Events that refer to others (a withdrawal to its notice) refer to an
    earlier-drawn event of the right type. The data may still break an input
    check of the clause files (e.g. a withdrawal dated before its notice);
    read it with `ScenarioReader.from_document(as_document(data))` and
    `assume` it is valid, or filter with `valid_scenarios`.
    """
    names = sorted(types or ruleset.event_types)
    count = draw(st.integers(min_events, max_events))
    events: list[dict] = []
    earlier: dict[str, list[tuple[str, date]]] = {}
    for number in range(count):
        type_name = draw(st.sampled_from(names))
        day = draw(dates())
        item = draw(event_data(ruleset, type_name, f"e{number}", day, earlier))
        if item is None:
            continue
        events.append(item)
        earlier.setdefault(type_name, []).append((item["id"], date.fromisoformat(item["date"])))
    ids_by_type = {name: [i for i, _ in found] for name, found in earlier.items()}
    data: dict[str, Any] = {"scenario": "generated", "events": events}
    if choices and ruleset.choices and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(sorted(ruleset.choices)), max_size=3, unique=True))
        interpretation = {}
        for name in chosen:
            choice = ruleset.choices[name]
            values = choice.values or (Duration(12, "months"),)
            interpretation[name] = _text(draw(st.sampled_from(values)))
        data["interpretation"] = interpretation
    if questions:
        data["questions"] = draw(question_data(ruleset, ids_by_type))
    return data


@st.composite
def question_data(draw, ruleset: RuleSet, ids_by_type: dict[str, list[str]]) -> list[dict]:
    """Questions whose arguments exist in the scenario: each question at most a few times."""
    result = []
    for name in sorted(ruleset.questions):
        question = ruleset.questions[name]
        for _ in range(draw(st.integers(0, 2))):
            item: dict[str, Any] = {"ask": name}
            for argument in question.args:
                kind = argument.type.kind
                if kind == "date":
                    item[argument.name] = draw(dates()).isoformat()
                elif kind == "event":
                    targets = [i for t in sorted(argument.type.events) for i in ids_by_type.get(t, [])]
                    if not targets:
                        break
                    item[argument.name] = draw(st.sampled_from(targets))
                elif argument.type_text == "parameter":
                    item[argument.name] = draw(st.sampled_from(sorted(ruleset.parameters)))
                elif kind == "enum":
                    item[argument.name] = draw(st.sampled_from(argument.type.values))
                else:
                    break
            else:
                result.append(item)
    return result


def as_document(data: dict, file: str = "<generated>") -> Document:
    """Generated scenario data as a loaded document (positions unknown)."""
    return Document(file, data)
