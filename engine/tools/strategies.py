"""Scenario generators for property-based tests, benchmarks and sweeps.

Stage: tools. Imports the clause language's `ruleset`, `types` and `yamlio`,
and `mou.dates`; the strategies need hypothesis. Users import it as
`mou.testing`.

Everything is built from a compiled rule set's own vocabulary (event types,
fields, parties, forms, choices, parameters, questions), so generators follow
the clause files when they change. Dates weigh month ends, 28/29 February and
the first of the month in, because uniform dates almost never hit them.

One generator, two drivers: `scenario_data(ruleset)` is a hypothesis strategy
(it shrinks), `random_scenario_data(ruleset, rng)` draws from a seeded
`random.Random` (reproducible workloads for benchmarks). From a user's own
pytest suite::

    from hypothesis import given
    from mou import Engine
    from mou.testing import as_document, scenario_data

    engine = Engine()

    @given(scenario_data(engine.ruleset))
    def test_no_rule_ever_fails(data):
        scenario = engine.reader.from_document(as_document(data))
        engine.check(scenario)                   # a rule that fails raises RuleError
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta
from typing import Any, Protocol, Sequence

from ..dates import Duration
from ..language import types as T
from ..language.ruleset import RuleSet
from ..language.yamlio import Document

NON_PARTIES = ("Turkey", "UNHCR", "Member State")
"""Names that are not parties (and are not one edit away from a party)."""

FIRST = date(2005, 1, 1)
LAST = date(2035, 12, 31)
TEXTS = ("railway tariffs", "x", "i", "ii", "iv", "vii", "border management", "ix")


class Pick(Protocol):
    """Where a generator's choices come from: hypothesis (shrinkable) or a seeded RNG."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, options: Sequence[Any]) -> Any: ...


class RandomPick:
    """Choices from a `random.Random`: reproducible for a seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[Any]) -> Any:
        return options[self.rng.randrange(len(options))]


class HypothesisPick:
    """Choices drawn by hypothesis inside a composite strategy (so they shrink)."""

    def __init__(self, draw):
        from hypothesis import strategies as st

        self.draw = draw
        self.st = st

    def integer(self, low: int, high: int) -> int:
        return self.draw(self.st.integers(low, high))

    def choice(self, options: Sequence[Any]) -> Any:
        return self.draw(self.st.sampled_from(list(options)))


def pick_date(pick: Pick, start: date = FIRST, end: date = LAST) -> date:
    """A date in [start, end]: half the time an edge day (month end, 28/29 Feb, the 1st)."""
    if pick.integer(0, 1):
        return start + timedelta(days=pick.integer(0, (end - start).days))
    year = pick.integer(start.year, end.year)
    month = pick.integer(1, 12)
    last = calendar.monthrange(year, month)[1]
    day = pick.choice(sorted({1, 28, min(29, last), min(30, last), last}))
    return min(max(date(year, month, day), start), end)


def pick_duration(pick: Pick) -> Duration:
    """A duration in months (most often), days or years."""
    unit = pick.choice(("months", "months", "days", "years"))
    high = {"months": 24, "days": 400, "years": 3}[unit]
    return Duration(pick.integer(1, high), unit)


def pick_value(pick: Pick, type_: T.Type, ruleset: RuleSet, near: date) -> Any:
    """A value of a field type, as written in YAML (dates on or after `near`)."""
    kind = type_.kind
    if kind == "actor":
        return pick.choice(ruleset.parties * 5 + NON_PARTIES)
    if kind == "bool":
        return pick.choice((True, False))
    if kind == "enum":
        return pick.choice(type_.values)
    if kind == "date":
        return (near + timedelta(days=pick.integer(0, 45))).isoformat()
    if kind == "duration":
        return str(pick_duration(pick))
    if kind == "int":
        return pick.integer(0, 10)
    if kind == "text":
        return pick.choice(TEXTS)
    if kind == "list":
        items = [pick_value(pick, type_.item or T.TEXT, ruleset, near) for _ in range(pick.integer(0, 3))]
        return list(dict.fromkeys(items))
    if kind == "changes":
        names = sorted(ruleset.parameters)
        return {pick.choice(names): str(pick_duration(pick))} if names else {}
    return None


def pick_event(pick: Pick, ruleset: RuleSet, type_name: str, event_id: str, day: date,
               earlier: dict[str, list[tuple[str, date]]]) -> dict | None:
    """One event, as a scenario file writes it (None when a reference it needs has no target).

    An event that refers to another usually comes after it, as in real timelines.
    """
    definition = ruleset.event_types[type_name]
    item: dict[str, Any] = {"id": event_id, "type": type_name}
    for name, spec in definition.fields.items():
        if spec.type.kind != "event":
            continue
        targets = [target for t in sorted(spec.type.events) for target in earlier.get(t, [])]
        if not targets:
            if spec.required:
                return None
            continue
        target_id, target_day = pick.choice(targets)
        item[name] = target_id
        if pick.integer(0, 9) > 0:
            day = min(LAST, max(day, target_day) if pick.integer(0, 1) else
                      target_day + timedelta(days=pick.integer(0, 400)))
    item["date"] = day.isoformat()
    for name, spec in definition.fields.items():
        if spec.type.kind == "event" or (not spec.required and pick.integer(0, 1)):
            continue
        item[name] = pick_value(pick, spec.type, ruleset, day)
    return item


def pick_scenario(pick: Pick, ruleset: RuleSet, types: Sequence[str] | None = None, min_events: int = 1,
                  max_events: int = 12, questions: bool = True, choices: bool = True) -> dict:
    """A whole scenario as YAML-ready data: events of the given types, choices, questions.

    The data may still break an input check of the clause files (e.g. a
    withdrawal dated before its notice): read it with
    `ScenarioReader.from_document(as_document(data))` and skip what is invalid.
    """
    names = sorted(types or ruleset.event_types)
    events: list[dict] = []
    earlier: dict[str, list[tuple[str, date]]] = {}
    for number in range(pick.integer(min_events, max_events)):
        type_name = pick.choice(names)
        item = pick_event(pick, ruleset, type_name, f"e{number}", pick_date(pick), earlier)
        if item is None:
            continue
        events.append(item)
        earlier.setdefault(type_name, []).append((item["id"], date.fromisoformat(item["date"])))
    data: dict[str, Any] = {"scenario": "generated", "events": events}
    if choices and ruleset.choices and pick.integer(0, 1):
        interpretation = {}
        for name in sorted(ruleset.choices):
            if pick.integer(0, 3) == 0:
                choice = ruleset.choices[name]
                value = pick.choice(choice.values) if choice.values else pick_duration(pick)
                interpretation[name] = str(value) if isinstance(value, Duration) else value
        data["interpretation"] = interpretation
    if questions:
        ids = {name: [i for i, _ in found] for name, found in earlier.items()}
        data["questions"] = pick_questions(pick, ruleset, ids)
    return data


def pick_questions(pick: Pick, ruleset: RuleSet, ids_by_type: dict[str, list[str]]) -> list[dict]:
    """Questions whose arguments exist in the scenario, each asked up to twice."""
    result = []
    for name in sorted(ruleset.questions):
        question = ruleset.questions[name]
        for _ in range(pick.integer(0, 2)):
            item: dict[str, Any] = {"ask": name}
            for argument in question.args:
                kind = argument.type.kind
                if kind == "date":
                    item[argument.name] = pick_date(pick).isoformat()
                elif kind == "event":
                    targets = [i for t in sorted(argument.type.events) for i in ids_by_type.get(t, [])]
                    if not targets:
                        break
                    item[argument.name] = pick.choice(targets)
                elif argument.type_text == "parameter":
                    item[argument.name] = pick.choice(sorted(ruleset.parameters))
                elif kind == "enum":
                    item[argument.name] = pick.choice(argument.type.values)
                else:
                    break
            else:
                result.append(item)
    return result


def random_scenario_data(ruleset: RuleSet, rng: random.Random, **options: Any) -> dict:
    """A scenario drawn from a seeded RNG (see `pick_scenario` for the options)."""
    return pick_scenario(RandomPick(rng), ruleset, **options)


def as_document(data: dict, file: str = "<generated>") -> Document:
    """Generated scenario data as a loaded document (positions unknown)."""
    return Document(file, data)


# -- hypothesis strategies -----------------------------------------------------------------------

def _strategies():
    from hypothesis import strategies as st

    @st.composite
    def scenario_data(draw, ruleset: RuleSet, **options: Any) -> dict:
        """A hypothesis strategy of scenarios (see `pick_scenario` for the options)."""
        return pick_scenario(HypothesisPick(draw), ruleset, **options)

    @st.composite
    def dates(draw, start: date = FIRST, end: date = LAST) -> date:
        """A hypothesis strategy of dates, half of them edge days."""
        return pick_date(HypothesisPick(draw), start, end)

    @st.composite
    def durations(draw) -> Duration:
        """A hypothesis strategy of durations."""
        return pick_duration(HypothesisPick(draw))

    return scenario_data, dates, durations


try:
    scenario_data, dates, durations = _strategies()
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


def register_profiles() -> None:
    """Hypothesis settings profiles for clause-logic tests.

    - `mou-ci`: derandomized (the same examples on every run), 100 examples,
      no deadline, no example database: reproducible and bounded in time;
    - `mou-ci-quick`: the same with 25 examples, for a second and third
      Python in the same CI run (the logic is the same on each; what differs
      between Pythons shows on any example);
    - `mou-nightly`: 2,000 examples, random, with the database, for a
      scheduled heavier run.

    Select one with `HYPOTHESIS_PROFILE=mou-nightly pytest` (tests/conftest.py
    reads it) or `settings.load_profile("mou-nightly")`.
    """
    from hypothesis import HealthCheck, settings

    settings.register_profile("mou-ci", max_examples=100, derandomize=True, deadline=None, database=None,
                              print_blob=True, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("mou-ci-quick", max_examples=25, derandomize=True, deadline=None, database=None,
                              print_blob=True, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("mou-nightly", max_examples=2000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
