"""Checking scenarios: evaluate every question, compare with `expect`, explain.

Stage: answers. Imports `questions`, `explain`, scenario files' `model`,
evaluation's `replay`, and `mou.values`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..evaluation.replay import Replay
from ..scenario.model import NOT_GIVEN, QuestionCall, Scenario
from ..values import to_json
from .explain import explanation
from .questions import answer, same


@dataclass
class QuestionResult:
    """One question of a scenario: its answer, the expectation, and why."""

    call: QuestionCall
    answer: Any  # engine value
    expected: Any  # as written, or NOT_GIVEN
    ok: bool | None
    explanation: dict | None

    def to_json(self) -> dict:
        """As SCENARIOS.md's JSON shape."""
        result = {"ask": self.call.ask, "args": dict(self.call.raw_args), "answer": to_json(self.answer),
                  "expected": None if self.expected is NOT_GIVEN else _expected_json(self.expected),
                  "ok": self.ok}
        if self.explanation is not None:
            result["explanation"] = self.explanation
        return result


@dataclass
class ScenarioResult:
    """All questions of one scenario file, and the properties of the clauses it breaks."""

    scenario: Scenario
    results: list[QuestionResult] = field(default_factory=list)
    violations: list = field(default_factory=list)  # invariants.Violation: properties that fail here
    notes: list = field(default_factory=list)  # errors.Diagnostic: e.g. rules stopped at the evaluation horizon

    @property
    def failed(self) -> int:
        """How many expectations and properties did not hold."""
        return sum(1 for r in self.results if r.ok is False) + len(self.violations)

    def to_json(self) -> dict:
        """As SCENARIOS.md's JSON shape (plus `violations` when a property fails)."""
        data = {"file": self.scenario.file, "scenario": self.scenario.title,
                "results": [r.to_json() for r in self.results]}
        if self.violations:
            data["violations"] = [v.to_json() for v in self.violations]
        if self.notes:
            data["notes"] = [note.to_json() for note in self.notes]
        return data


def check(replay: Replay, scenario: Scenario, explain: bool = True) -> ScenarioResult:
    """Answer every question of a replayed scenario and compare with its expectations."""
    outcome = ScenarioResult(scenario, notes=list(replay.stopped))
    for call in scenario.questions:
        found = answer(replay, call, explain=explain)
        ok = None if call.expect is NOT_GIVEN else same(found.value, call.expect, call.definition.unordered)
        outcome.results.append(QuestionResult(call, found.value, call.expect, ok,
                                              explanation(replay, found) if explain else None))
    return outcome


def _expected_json(expected: Any) -> Any:
    return to_json(list(expected) if isinstance(expected, tuple) else expected)
