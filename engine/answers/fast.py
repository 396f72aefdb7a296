"""Answers without explanations, by the fast evaluator, or FALLBACK.

Stage: answers. Imports `questions`, `case`, evaluation's `fast`, the
scenario's `model` and `variants`, the clause language's `context` and
`ruleset`, and `mou.values`, `mou.collector`, `mou.errors`.

`answers(ruleset, scenario)` replays the scenario with the two-valued steps
(`evaluation.fast`: the lean replay, or `FastReplay` for a timeline whose
watched dates keep coming round) and answers each of its questions. Where a
value that matters is `unknown` (a fact the scenario does not state, an unset
choice), it answers that question with the three-valued closures on the same
facts; where that answer is `unknown` itself, the three-valued case
(`case.Case`) weighs the missing facts on this same replay, as `check` does,
its variants replayed by the lean replay too (`_Weighing`). Where a rule or a
question would fail, it gives `FALLBACK`, and the caller asks the
three-valued evaluator, which says what fails, as it always has. So a fast
answer is only ever given where it is the three-valued evaluator's answer:
`tests/test_fast_answers.py` compares the two on every shipped scenario and
on generated ones.

`Tally` counts the scenarios answered each way, for `--stats` and the
benchmarks: a scenario whose unknown answer was weighed counts as a fallback
(the three-valued evaluator answered it in part), and among them as weighed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

from .. import collector
from ..errors import EvaluationError, RuleError
from ..evaluation.fast import Failure, Fallback, FastReplay, LeanReplay, Unusual, known, program
from ..language.context import RUN_TIME_ERRORS
from ..language.ruleset import RuleSet
from ..scenario.model import QuestionCall, Scenario
from ..scenario.variants import Changes, choices_of, parameters_of
from ..values import Unknown
from .case import FAILED, INVALID, Case
from .questions import value_of

EVALUATORS = ("fast", "full", "auto")
"""`--evaluator`: `fast` (the default; `auto` is the same) answers by the fast evaluator and falls back per
scenario; `full` answers every scenario by the three-valued evaluator."""


class _Fallback:
    """The answer of `answers` where the three-valued evaluator must answer."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FALLBACK"

    def __bool__(self) -> bool:
        return False


FALLBACK = _Fallback()

_FAILURES = (Fallback, Failure, RuleError, EvaluationError, *RUN_TIME_ERRORS, RecursionError)
"""What sends a scenario to the three-valued evaluator: an unknown that matters, or a failure it words."""

_SET_ASIDE = (Fallback, Failure, *RUN_TIME_ERRORS)
"""What a variant's question leaves to the three-valued question (`_FastCase.evaluate`): that question says what
is unknown, and what fails."""


@dataclass
class Tally:
    """How many scenarios each evaluator answered (`--stats`, benchmarks)."""

    fast: int = 0
    fallbacks: int = 0  # every scenario the three-valued evaluator answered in part or whole
    full: int = 0  # answered by the full evaluator as asked (`--evaluator full`), not tried fast
    weighed: int = 0  # of the fallbacks: an answer `unknown` weighed by the three-valued case on the fast replay

    @property
    def total(self) -> int:
        """Scenarios answered either way."""
        return self.fast + self.fallbacks

    def line(self) -> str:
        """One line for `--stats`."""
        if self.full and not self.total:
            return f"evaluator: {self.full:,} scenarios answered by the full evaluator (--evaluator full)"
        share = 100.0 * self.fast / self.total if self.total else 100.0
        line = (f"evaluator: {self.fast:,} of {self.total:,} scenarios answered by the fast evaluator "
                f"({share:.1f}%), {self.fallbacks:,} fell back to the full one")
        if self.weighed:
            line += f" ({self.weighed:,} of them only to weigh an unknown answer, on the fast replay)"
        return line + (f", {self.full:,} answered by the full one as asked" if self.full else "")

    def to_json(self) -> dict:
        """The counts, as data."""
        return {"fast": self.fast, "fallbacks": self.fallbacks, "full": self.full, "weighed": self.weighed}


@dataclass
class FastAnswers:
    """The answers to a scenario's questions (in order), and the replay they were read from."""

    values: tuple
    replay: FastReplay = field(repr=False)


def answers(ruleset: RuleSet, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
            parameters: Mapping[str, Any] | None = None, backend: Any = None, duties: bool | None = None,
            questions: Iterable[QuestionCall] | None = None, tally: Tally | None = None) -> FastAnswers | _Fallback:
    """The answers to a scenario's questions (or `questions`), two-valued; `FALLBACK` where that cannot be.

    `duties`: whether the duty rules run (by default, when a question reads
    duties). `backend`: the backend whose sessions the replay opens (native
    by default); the steps run directly on either, as the fused steps do.
    """
    calls = tuple(scenario.questions if questions is None else questions)
    if duties is None:
        duties = any(call.definition.uses_duties for call in calls)
    try:
        made = program(ruleset)
        with collector.paused():
            replay = _replay(ruleset, scenario, interpretation, parameters, backend, duties, calls, made)
            weigh = _Weighing(ruleset, scenario, interpretation, parameters, duties, calls, replay)
            found = FastAnswers(tuple(_value(replay, call, made, Fallback, weigh) for call in calls), replay)
    except _FAILURES:
        if tally is not None:
            tally.fallbacks += 1
        return FALLBACK
    if tally is not None:
        if weigh.case is None:
            tally.fast += 1
        else:
            tally.fallbacks += 1
            tally.weighed += 1
    return found


class _Weighing:
    """The three-valued case of a scenario whose fast replay gave an answer `unknown`, made when first needed.

    Its base is the fast replay, whose facts are the three-valued replay's (`evaluation.fast.program`), so
    the case weighs the missing facts (`Case.resolve`) as `check` does, without replaying the scenario again.
    """

    __slots__ = ("args", "replay", "case")

    def __init__(self, ruleset: RuleSet, scenario: Scenario, interpretation: Mapping[str, Any] | None,
                 parameters: Mapping[str, Any] | None, duties: bool, calls: tuple, replay: FastReplay):
        self.args = (ruleset, scenario, interpretation, parameters, duties, calls)
        self.replay = replay
        self.case: Case | None = None

    def __call__(self, call: QuestionCall, value: Unknown) -> Any:
        """The answer to `call` once its missing facts are weighed (`unknown` if they may change it)."""
        if self.case is None:
            ruleset, scenario, interpretation, parameters, duties, calls = self.args
            self.case = _FastCase(ruleset, program(ruleset).backend, scenario, dict(interpretation or {}),
                             dict(parameters or {}), explain=False, needs_duties=duties, asking=calls)
            self.case._base = self.replay
        return self.case.resolve(call, raw=value).value


def _replay(ruleset: RuleSet, scenario: Scenario, interpretation: Mapping[str, Any] | None,
            parameters: Mapping[str, Any] | None, backend: Any, duties: bool,
            calls: tuple[QuestionCall, ...], made: Any = None) -> FastReplay:
    """The scenario replayed by the two-valued steps (as `case.replay_of` replays it for answers only); `made`:
    the rule set's `program`, if the caller has it."""
    choices = scenario.choices(ruleset, interpretation)  # an unset one falls back when read
    params = {**scenario.parameters, **parameters} if parameters else dict(scenario.parameters)
    asking = scenario.questions if calls is scenario.questions else (*scenario.questions, *calls)
    asked = tuple(value for call in asking for value in call.args.values()
                  if isinstance(value, date)) + ((scenario.as_of,) if scenario.as_of else ())
    if backend is None:
        backend = (made or program(ruleset)).backend
    for kind in (LeanReplay, FastReplay):
        replay = kind(ruleset, scenario.events, choices, params, explain=False)
        replay.defaulted = scenario.defaulted
        replay.file = scenario.file
        replay.skip_duties = not duties
        replay.asked = asked
        try:
            return replay.run(backend)
        except Unusual:  # a timeline whose watched dates come round and round: the stepping replay's
            continue
    raise AssertionError("unreachable: FastReplay raises no Unusual")  # pragma: no cover


class _FastCase(Case):
    """A case whose variants are replayed as its base is, by the lean replay (their facts are the three-valued
    replay's: a step that meets an unknown runs three-valued), from their start (no trunk to resume from)."""

    def _replayed(self, scenario: Scenario, items: Changes, duties: bool) -> Any:
        """The replay of a variant by the lean replay, or FAILED when a clause rule fails on it (`Case._replayed`)."""
        try:
            return _replay(self.ruleset, scenario, {**self.interpretation, **choices_of(items)},
                           {**self.parameters, **parameters_of(items)}, self.backend, duties, self.asking)
        except RuleError:
            if not items:
                raise  # the scenario as it is: its failure is the answer's
            return FAILED  # a variant on which a rule fails is no answer: dropped, and counted

    def evaluate(self, call: QuestionCall, items: Changes = ()) -> Any:
        """`Case.evaluate`: a variant's value read by the two-valued closures where they can give it, else by the
        three-valued question on the same facts, which says what fails, as `Case.evaluate` has it."""
        if not items:
            return super().evaluate(call, items)
        replay = self.replay(items, duties=call.definition.uses_duties)
        if replay is None:
            return INVALID
        asked = self.call_in(call, items)
        try:
            try:
                return _value(replay, asked, program(self.ruleset), _SET_ASIDE)
            except Fallback:  # asked about an unknown
                return value_of(replay, asked)
        except RuleError:  # the question fails on a variant: dropped and counted, as a failing replay is
            self.failed += 1
            return INVALID


def _value(replay: FastReplay, call: QuestionCall, made: Any, caught: Any = Fallback,
           weigh: _Weighing | None = None) -> Any:
    """One question's answer (as `questions.value_of` gives it, where it is known): two-valued, or (a value read is
    unknown: `caught`) the three-valued question on the same facts; an answer `unknown` is weighed by `weigh` (by
    the three-valued case: only it weighs whether the missing facts matter), or left as it is without one."""
    question = call.definition
    found = made.questions.get(question.name)
    lets, answer = found if found is not None else made.question(question)
    env = dict(call.args)
    for value in env.values():
        cls = value.__class__
        if cls is Unknown:
            raise Fallback()  # asked about an unknown: the three-valued evaluator answers
        if cls is tuple or cls is list or cls is dict:
            known(value)
    ctx = replay.ctx  # the replay is over: its context is free
    ctx.env = env
    ctx.as_of = call.args.get(question.at) if question.at else None
    ctx.now = None
    try:
        for name, fn in lets:
            env[name] = fn(ctx)  # known: every value a two-valued closure reads is
        value = answer(ctx)
    except caught:
        value = value_of(replay, call)
        if weigh is not None and value.__class__ is Unknown:
            value = weigh(call, value)
    finally:
        ctx.as_of = None
    return tuple(value) if value.__class__ is list else value
