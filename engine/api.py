"""The engine's public entry point: clause files + backend → answers.

Stage: top of the library, above answers. Imports every stage below it;
never imports click. Tools and the CLI build on it.

`Engine.check` reads as the pipeline does: replay the timeline, answer and
explain each question, judge the clause files' properties.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from . import collector
from .answers.case import Case, evaluating, replay_of
from .answers.check import ScenarioResult, answered, check
from .answers.fast import FALLBACK, FastAnswers, Tally, answers
from .answers.properties import symmetry_violations, violations
from .answers.record import decision, scenario_decision
from .errors import Diagnostic, Location, MouError
from .evaluation.backends import DEFAULT_BACKEND, get_backend
from .evaluation.replay import Replay
from .language.loading import load_ruleset
from .language.corpus import shipped_clauses
from .language.ruleset import RuleSet
from .scenario.model import QuestionCall, Scenario
from .scenario.reader import ScenarioReader


class Engine:
    """A compiled agreement, ready to evaluate scenarios on a backend.

    >>> engine = Engine()                                  # the shipped MoU, native backend
    >>> scenario = engine.read("scenarios/ix3-notice-valid.yaml")
    >>> engine.check(scenario).failed
    0
    """

    def __init__(self, clauses: str | Path | None = None, backend: str = DEFAULT_BACKEND,
                 ruleset: RuleSet | None = None, evaluator: str = "fast"):
        self.ruleset = ruleset if ruleset is not None else load_ruleset(clauses or shipped_clauses())
        self.evaluator = evaluator  # answers without explanations: "fast" (or "auto") first, or "full" only
        self.tally = Tally()  # scenarios answered by the fast evaluator, and those it left to the full one
        self.reader = ScenarioReader(self.ruleset)
        try:
            self.backend = get_backend(backend)
        except ImportError as error:
            raise MouError.at(Location("<command line>"), f"backend {backend!r} is not available here ({error}); "
                                                          "use --backend native or install durable-rules") from None

    def read(self, path: str | Path) -> Scenario:
        """Read and validate a scenario file (MouError on invalid input)."""
        return self.reader.read(path)

    def loads(self, text: str, file: str = "<scenario>") -> Scenario:
        """Read and validate scenario YAML given as text."""
        return self.reader.loads(text, file)

    def replay(self, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
               parameters: Mapping[str, Any] | None = None, explain: bool = True,
               duties: bool = True, asking: Iterable[QuestionCall] = ()) -> Replay:
        """Replay a scenario's timeline, optionally under other choices or parameters.

        `duties=False` (answers only) skips the rules that create duty
        instances: only for callers that ask no question reading duties.
        `asking`: questions to be asked besides the scenario's own (e.g. from
        the command line), whose dates the evaluation horizon must reach.
        """
        return replay_of(self.ruleset, self.backend, scenario, interpretation, parameters, explain, duties, asking)

    def case(self, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
             parameters: Mapping[str, Any] | None = None, explain: bool = True, duties: bool = True,
             asking: Iterable[QuestionCall] = ()) -> Case:
        """A scenario under a reading, ready to answer and explain questions (and weigh variants).

        `asking`: questions to be asked besides the scenario's own (e.g. from the command line).
        """
        return Case(self.ruleset, self.backend, scenario, dict(interpretation or {}), dict(parameters or {}),
                    explain=explain, needs_duties=duties or explain, asking=tuple(asking))

    def check(self, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
              parameters: Mapping[str, Any] | None = None, explain: bool = True,
              properties: bool = False, search: bool = True, later: bool = False) -> ScenarioResult:
        """Answer every question of a scenario and compare with its expectations.

        With `explain`, each answer carries its explanation (and, with
        `search`, what would change it). With `properties`, also judge the
        invariants and symmetries of the clause files on this scenario (as
        `mou check` and `mou test` do). With `later` (for explanations that
        are printed, not kept: `mou check --format json`), a scenario is
        answered without explanations, and each explanation built when it is
        shown, from the case as of its day for an answer about a day; the
        whole case is replayed explained only if one rests on it, and a
        summary the clause files word whole (`shown.worded_summary`) needs no
        explained replay at all (the explanations are the same;
        `result.replay` is then not explained, so coverage cannot use it).
        """
        started = time.perf_counter()
        duties = properties or any(call.definition.uses_duties for call in scenario.questions)
        dated = explain and later and bool(scenario.questions)  # explained later, from a twin
        found = self.answers(scenario, interpretation, parameters, duties) if not explain else FALLBACK
        twin = None
        with evaluating(scenario), collector.paused():
            if found is FALLBACK:
                case = self.case(scenario, interpretation, parameters, explain and not dated, duties=duties)
                twin = self.case(scenario, interpretation, parameters, True, duties=duties) if dated else None
                if twin is not None:
                    twin.shares(case)  # the variants weighed for the answers serve the explanations too
                result = check(case, search, twin)
                base = case.base
            else:
                result = answered(scenario, found.values, found.replay, time.perf_counter() - started)
                base = found.replay
            result.decide = partial(scenario_decision, self.ruleset, scenario, interpretation, parameters)
            if properties:
                plain = [item.raw for item in result.results]
                result.violations = violations(self.ruleset, scenario, base, explain and twin is None, plain)
                if twin is not None and result.violations:  # explained, as the twin's replay explains them
                    result.violations = violations(self.ruleset, scenario, twin.base, True, plain)
                if not interpretation and not parameters:
                    answers = [item.answer for item in result.results]
                    for symmetry in self.ruleset.symmetries.values():
                        result.violations.extend(symmetry_violations(self, scenario, answers, symmetry))
        result.seconds = time.perf_counter() - started
        return result

    def answers(self, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
                parameters: Mapping[str, Any] | None = None, duties: bool | None = None) -> FastAnswers | Any:
        """The answers to a scenario's questions by the fast evaluator, or FALLBACK (see `answers.fast`).

        FALLBACK also with `evaluator="full"`, and on a backend other than
        native (whose own matching of facts to rules is then what runs).
        """
        if self.evaluator == "full" or getattr(self.backend, "name", "") != "native":
            self.tally.full += 1
            return FALLBACK
        return answers(self.ruleset, scenario, interpretation, parameters, self.backend, duties, tally=self.tally)

    def check_files(self, files: Iterable[str | Path], interpretation: Mapping[str, Any] | None = None,
                    parameters: Mapping[str, Any] | None = None, explain: bool = True,
                    properties: bool = True) -> tuple[list[ScenarioResult], list[Diagnostic]]:
        """`check` every scenario file that reads: the results, and the problems of those that do not."""
        problems: list[Diagnostic] = []
        results = list(self.check_each(files, problems, interpretation, parameters, explain, properties))
        return results, problems

    def check_each(self, files: Iterable[str | Path], problems: list[Diagnostic],
                   interpretation: Mapping[str, Any] | None = None, parameters: Mapping[str, Any] | None = None,
                   explain: bool = True, properties: bool = True, later: bool = False) -> Iterator[ScenarioResult]:
        """`check_files` one file at a time: each result as soon as its file is read and answered (a caller
        that writes it and lets it go holds one scenario at a time); the problems of the files that do not
        read are added to `problems`. `later`: as `check` takes it."""
        for file in files:
            try:
                scenario = self.read(file)
            except MouError as error:
                problems.extend(error.diagnostics)
                continue
            yield self.check(scenario, interpretation, parameters, explain, properties, later=later)

    def decision(self, interpretation: Mapping[str, Any] | None = None,
                 parameters: Mapping[str, Any] | None = None) -> dict:
        """The decision record of answers given under these choices and parameters (see `answers.record`)."""
        return decision(self.ruleset, interpretation, parameters)

    def close(self) -> None:
        """Free the backend's resources (durable-rules rule sets and sessions)."""
        self.backend.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
