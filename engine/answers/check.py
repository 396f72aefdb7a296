"""Checking scenarios: evaluate every question, compare with `expect`, explain.

Stage: answers. Imports `case`, `questions`, `explain`, `shown`, scenario
files' `model`, and `mou.values`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

from .. import collector
from ..scenario.model import NOT_GIVEN, QuestionCall, Scenario
from ..values import Unknown, to_json
from .case import Case
from .questions import same


@dataclass
class QuestionResult:
    """One question of a scenario: its answer, the expectation, and why."""

    call: QuestionCall
    answer: Any  # engine value
    expected: Any  # as written, or NOT_GIVEN
    ok: bool | None
    explain: Callable[[], dict] | None = field(default=None, repr=False)  # builds the explanation when asked
    summarize: Callable[[], str] | None = field(default=None, repr=False)  # builds the summary alone
    seconds: float = 0.0  # how long answering took (JUnit reports; never in the JSON, which is reproducible)
    raw: Any = field(default=None, repr=False, compare=False)  # the plain evaluation's value, before weighing
    _explanation: dict | None = field(default=None, repr=False)
    _summary: str | None = field(default=None, repr=False)

    @property
    def explanation(self) -> dict | None:
        """Why the answer is what it is (built on first use: only shown explanations cost anything)."""
        if self._explanation is None and self.explain is not None:
            with collector.paused():  # the search replays variants, and makes no cycles (mou.collector)
                self._explanation = self.explain()
        return self._explanation

    @property
    def summary(self) -> str | None:
        """The explanation's summary, built alone (no trace, no search) unless the explanation already is."""
        if self._explanation is not None:
            return self._explanation["summary"]
        if self._summary is None and self.summarize is not None:
            with collector.paused():
                self._summary = self.summarize()
        return self._summary

    @property
    def explained_anyway(self) -> bool:
        """Whether the answer is shown with its whole explanation even without `--explain`: it fails its
        `expect`, or it is `unknown` (SCENARIOS.md; the text output shows the same)."""
        return self.ok is False or isinstance(self.answer, Unknown)

    def to_json(self, explain_all: bool = True) -> dict:
        """As SCENARIOS.md's JSON shape. `explain_all=False` (the JSON of `mou check` since schema_version 2):
        the whole explanation only where `explained_anyway`; every other answer has its summary alone."""
        result = {"ask": self.call.ask, "args": dict(self.call.raw_args), "answer": to_json(self.answer),
                  "expected": None if self.expected is NOT_GIVEN else _expected_json(self.expected),
                  "ok": self.ok}
        if explain_all or self.explained_anyway or self.summarize is None:
            if self.explanation is not None:
                result["explanation"] = self.explanation
        else:
            result["explanation"] = {"summary": self.summary}
        return result


@dataclass
class ScenarioResult:
    """All questions of one scenario file, and the properties of the clauses it breaks."""

    scenario: Scenario
    results: list[QuestionResult] = field(default_factory=list)
    violations: list = field(default_factory=list)  # invariants.Violation: properties that fail here
    notes: list = field(default_factory=list)  # errors.Diagnostic: e.g. rules stopped at the evaluation horizon
    decide: Callable[[], dict] | None = field(default=None, repr=False, compare=False)  # makes `decision`
    seconds: float = 0.0  # how long the whole check took (replay, answers, properties)
    replay: Any = field(default=None, repr=False, compare=False)  # evaluation.Replay as written (coverage)

    _decision: dict | None = field(default=None, repr=False, compare=False)

    @property
    def decision(self) -> dict:
        """The decision record of these answers (record.decision), made when first asked: the version of
        mou it names is looked up then, which only a document that shows it need pay for."""
        if self._decision is None:
            self._decision = self.decide() if self.decide is not None else {}
        return self._decision

    @property
    def failed(self) -> int:
        """How many expectations and properties did not hold."""
        return sum(1 for r in self.results if r.ok is False) + len(self.violations)

    def to_json(self, explain_all: bool = True) -> dict:
        """As SCENARIOS.md's JSON shape (plus `violations` when a property fails); `explain_all` as
        `QuestionResult.to_json` takes it."""
        data = {"file": self.scenario.file, "scenario": self.scenario.title,
                "results": [r.to_json(explain_all) for r in self.results]}
        if self.violations:
            data["violations"] = [v.to_json() for v in self.violations]
        if self.notes:
            data["notes"] = [note.to_json() for note in self.notes]
        return data


def check(case: Case, search: bool = True, twin: Case | None = None) -> ScenarioResult:
    """Answer every question of a case's scenario and compare with its expectations.

    When the case explains, each answer gets its explanation (with the search
    for what would change it unless `search` is false); so it does from
    `twin`, the explained twin of an answers-only case, replayed only as far
    as an explanation asked for needs (`shown.twin_explanation`). A clause
    rule that fails raises `RuleError`: nothing computed after it is an answer.
    """
    if case.explain or twin is not None:
        # loaded only to explain: a cold check of passing files never needs it
        from .explain import explanation
        from .shown import summary_alone, twin_explanation, twin_summary
    scenario = case.scenario
    outcome = ScenarioResult(scenario, notes=horizon_notes(case.base, scenario.questions), replay=case.base)
    for call in scenario.questions:
        started = time.perf_counter()
        found, resolution = case.answer(call)
        value = resolution.value
        ok = None if call.expect is NOT_GIVEN else same(value, call.expect, call.definition.unordered)
        explain = summarize = None
        if case.explain:
            explain = partial(explanation, case, found, resolution, search)
            summarize = partial(summary_alone, case, found, resolution)
        elif twin is not None:
            explain = partial(twin_explanation, twin, found, resolution, search)
            summarize = partial(twin_summary, twin, found, resolution, case)
        outcome.results.append(QuestionResult(call, value, call.expect, ok, explain, summarize,
                                              seconds=time.perf_counter() - started, raw=found.value))
    return outcome


def answered(scenario: Scenario, values: tuple, replay: Any, seconds: float = 0.0) -> ScenarioResult:
    """A scenario's answers given without explanations (by `fast.answers`), compared with its expectations,
    as `check` gives them for a case that does not explain."""
    outcome = ScenarioResult(scenario, notes=horizon_notes(replay, scenario.questions, values), replay=replay)
    each = seconds / len(values) if values else 0.0
    for call, value in zip(scenario.questions, values):
        ok = None if call.expect is NOT_GIVEN else same(value, call.expect, call.definition.unordered)
        outcome.results.append(QuestionResult(call, value, call.expect, ok, None, seconds=each, raw=value))
    return outcome
REPLAYED_FURTHER = 800
"""Years further than its horizon a timeline is replayed to see whether an answer depends on where it stopped:
two 400-year cycles of the calendar (`evaluation.periods`), which a timeline that repeats steps through."""


def horizon_notes(replay: Any, calls: Any, values: Any = None) -> list:
    """The note that rules would still run past the evaluation horizon, if an answer among `calls` depends on it.

    A question about a date reads the timeline up to it, which the horizon always reaches: only a question about
    the end of the timeline (no `at`) can depend on where the replay stopped, and it does when a replay that
    goes on `REPLAYED_FURTHER` years more (or to the calendar's end) answers it otherwise. `values`: the
    answers of `calls` on `replay`, if known.
    """
    stopped = replay.stopped
    if not stopped:  # the usual case, first: it costs no import, no list (every fast answer comes through here)
        return []
    from datetime import date

    from ..errors import RuleError
    from ..evaluation.backends import DEFAULT_BACKEND, get_backend
    from ..evaluation.replay import Replay
    from .questions import value_of

    calls = list(calls)
    given = list(values) if values is not None else [None] * len(calls)
    ending = [(call, value) for call, value in zip(calls, given) if call.definition.at is None]
    if not ending:
        return []
    last = max(replay.asked + (replay.now,), default=date.min)
    further = date(min(last.year + REPLAYED_FURTHER, 8999), 12, 31)
    longer = Replay(replay.ruleset, replay.events, dict(replay.choices), replay.parameters, explain=False)
    longer.file, longer.defaulted, longer.asked = replay.file, replay.defaulted, (*replay.asked, further)
    try:
        with collector.paused():
            longer.run(get_backend(DEFAULT_BACKEND))
        for call, value in ending:
            here = value_of(replay, call) if values is None else value
            if not same(value_of(longer, call), here, call.definition.unordered):
                return list(stopped)
    except RuleError:
        return list(stopped)
    return []




def _expected_json(expected: Any) -> Any:
    return to_json(list(expected) if isinstance(expected, tuple) else expected)
