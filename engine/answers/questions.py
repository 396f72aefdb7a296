"""Questions: answering them from a finished replay, and comparing with `expect`.

Stage: answers. Imports evaluation's `replay`, scenario files' `model`, the
clause language's `context`, and `mou.values`, `mou.dates`, `mou.errors`.

A question's answer is an expression of the clause files, evaluated at the
end of its `at` date (e.g. `in_force` on `on`) or at the end of the timeline.
Reads made while answering are kept: they are where the explanation starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import dates
from ..evaluation.replay import Replay
from ..errors import RuleError
from ..language.context import RUN_TIME_ERRORS, Ctx, Read
from ..scenario.model import QuestionCall
from ..values import Event, Unknown, to_json


@dataclass(frozen=True)
class Answer:
    """The answer to one question, and the facts read to reach it."""

    call: QuestionCall
    value: Any
    reads: tuple[Read, ...]
    as_of: date | None

    @property
    def json(self) -> Any:
        """The answer as JSON."""
        return to_json(self.value)


def answer(replay: Replay, call: QuestionCall, explain: bool = True) -> Answer:
    """Evaluate one question against a replayed scenario (keeping what it read, if it explains)."""
    trace: list | None = [] if explain else None
    value = _evaluate(replay, call, trace)
    return Answer(call, value, tuple(trace or ()), _as_of(call))


def value_of(replay: Replay, call: QuestionCall) -> Any:
    """The value alone of one question against a replayed scenario: `answer(...).value`, for answers only."""
    return _evaluate(replay, call, None)


def _as_of(call: QuestionCall) -> date | None:
    question = call.definition
    return call.args.get(question.at) if question.at else None


def _evaluate(replay: Replay, call: QuestionCall, trace: list | None) -> Any:
    question = call.definition
    ctx = Ctx(replay.state, replay.choices, dict(call.args), as_of=_as_of(call), trace=trace)
    try:
        for binding in question.lets:
            ctx.env[binding.name] = binding.fn(ctx)
        value = question.answer.fn(ctx)
    except RuleError:
        raise
    except RUN_TIME_ERRORS as error:  # a question of the clause files that fails gives no answer
        raise RuleError(question.location, "question", question.name, ", ".join(question.paragraphs),
                        ", ".join(f"{k}={v}" for k, v in call.raw_args.items()),
                        f"{type(error).__name__}: {error}") from error
    return tuple(value) if isinstance(value, list) else value


def same(answer_value: Any, expected: Any, unordered: bool) -> bool:
    """Whether an answer matches what was expected (durations by meaning, lists as sets if unordered)."""
    if isinstance(expected, Unknown) or isinstance(answer_value, Unknown):
        return isinstance(expected, Unknown) and isinstance(answer_value, Unknown)
    if isinstance(expected, tuple) and isinstance(answer_value, tuple):
        left = [_comparable(v) for v in answer_value]
        right = [_comparable(v) for v in expected]
        if unordered:
            return sorted(map(repr, left)) == sorted(map(repr, right))
        return left == right
    return _comparable(answer_value) == _comparable(expected)


def _comparable(value: Any) -> Any:
    if isinstance(value, Event):
        return value.id
    if isinstance(value, dates.Duration):
        return value
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in sorted(value.items())}
    if isinstance(value, date):
        return value.isoformat()
    return to_json(value) if not isinstance(value, (str, int, bool, type(None))) else value
