"""The engine's public entry point: clause files + backend → answers.

Stage: top of the library, above answers. Imports every stage below it;
never imports click. Tools and the CLI build on it.

`Engine.check` reads as the pipeline does: replay the timeline, answer and
explain each question, judge the clause files' properties.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .answers.check import ScenarioResult, check
from .answers.properties import symmetry_violations, violations
from .errors import RuleError
from .evaluation.backends import DEFAULT_BACKEND, get_backend
from .evaluation.replay import Replay
from .language.compiler import compile_corpus
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
                 ruleset: RuleSet | None = None):
        self.ruleset = ruleset if ruleset is not None else compile_corpus(clauses or shipped_clauses())
        self.reader = ScenarioReader(self.ruleset)
        self.backend = get_backend(backend)

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
        params = {**scenario.parameters, **(parameters or {})}
        replay = Replay(self.ruleset, scenario.events, scenario.choices(self.ruleset, dict(interpretation or {})),
                        params, explain=explain)
        replay.defaulted = scenario.defaulted
        replay.file = scenario.file
        replay.skip_duties = not duties and not explain
        replay.asked = tuple(value for call in (*scenario.questions, *asking) for value in call.args.values()
                             if isinstance(value, date)) + ((scenario.as_of,) if scenario.as_of else ())
        with _evaluating(scenario):
            return replay.run(self.backend)

    def check(self, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
              parameters: Mapping[str, Any] | None = None, explain: bool = True,
              properties: bool = False) -> ScenarioResult:
        """Answer every question of a scenario and compare with its expectations.

        With `properties`, also judge the invariants and symmetries of the
        clause files on this scenario (as `mou check` and `mou test` do).
        """
        duties = properties or any(call.definition.uses_duties for call in scenario.questions)
        replay = self.replay(scenario, interpretation, parameters, explain, duties=duties)
        with _evaluating(scenario):
            result = check(replay, scenario, explain)
        if properties:
            result.violations = violations(self.ruleset, scenario, replay, explain)
            if not interpretation and not parameters:
                answers = [item.answer for item in result.results]
                for symmetry in self.ruleset.symmetries.values():
                    result.violations.extend(symmetry_violations(self, scenario, answers, symmetry))
        return result

    def close(self) -> None:
        """Free the backend's resources (durable-rules rule sets and sessions)."""
        self.backend.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _evaluating(scenario: Scenario) -> Iterator[None]:
    """A clause rule that fails here says which scenario it was evaluating."""
    try:
        yield
    except RuleError as error:
        error.add_note(f"while evaluating {scenario.file}")
        raise
