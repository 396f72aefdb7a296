"""Whether a yes-or-no fact decided a condition that failed.

Stage: answers. Imports `derived`, the clause language's `context`, evaluation's
`trace` and `state` (the key of parameters), and `mou.values`.

A condition that failed on the agreement's state reads more than what made it
fail: "the MoU is in force" reads whether it has ended and whether it has
entered into force, and before it entered into force only the second decides.
Citing the first ("the MoU has not ended", and why no notice ended it) gives a
reader a reason that is not the reason. So a yes-or-no fact (or a date) counts as deciding a
failure only if the condition, evaluated again with that fact the other way and
every other fact as it read it, would not fail. A fact it did not read the first
time is unknown on the second, so where the other way leads somewhere new the
fact is kept as deciding: the test only ever leaves out a fact that provably did
not decide.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any, Iterable

from ..evaluation.state import PARAM_KEY
from ..evaluation.trace import ConditionResult, Firing
from ..language.context import RUN_TIME_ERRORS, Ctx, Read
from ..values import Event, Unknown, to_json
from .derived import state_reads

_UNREAD = Unknown()


def decided_failure(firing: Firing, condition: ConditionResult, read: Read, choices: Any, events: Any) -> bool:
    """Whether `read`, a fact `condition` read in `firing` and which it failed on, decided that failure: False
    only where the fact is yes or no, or a date, and the condition, with it the other way (or with no date), fails
    all the same (the day the MoU entered into force, for an act after it ended)."""
    other = _other(read.value)
    if condition.value is not False or other is _UNREAD:
        return True
    return _fails_again(firing, condition, {_key(read): other}, firing.subject, choices, events) is not True


def decided_by_field(firing: Firing, condition: ConditionResult, read: Read, choices: Any, events: Any) -> bool:
    """Whether a field of the firing's own event, read by a condition that failed, decided the failure: False only
    where, with that field unknown and every other fact as read, the condition fails all the same (a meeting's
    topics, beside the interest its convener stated, which alone decides)."""
    subject = firing.subject
    if condition.value is not False or not isinstance(subject, Event) or read.owner != subject.id \
            or read.name not in subject.fields:
        return True
    unknown = copy.copy(subject)
    unknown.fields = {**subject.fields, read.name: _UNREAD}
    return _fails_again(firing, condition, {}, unknown, choices, events) is not True


def decided_answer(replay: Any, call: Any, answer: Any, reads: Iterable[Read], read: Read) -> bool:
    """Whether `read`, a fact of the agreement the answer to `call` read, decided it: False only where the fact is
    yes or no, or a date, and the answer, evaluated again with it the other way (or with no date) and every other
    fact as read, is the same (that the MoU had not ended, for a day before it entered into force)."""
    other = _other(read.value)
    if read.kind != "state" or other is _UNREAD:
        return True
    facts = list(_facts(reads))
    if any(_key(each) == _key(read) and each.value != read.value for each in facts):
        return True  # read at two days, with two values: not one fact to turn
    known = {_key(each): each.value for each in facts} | {_key(read): other}
    question = call.definition
    ctx = Ctx(_Recorded(known, replay.state), replay.choices, dict(call.args),
              as_of=call.args.get(question.at) if question.at else None)
    try:
        for binding in question.lets:
            ctx.env[binding.name] = binding.fn(ctx)
        again = question.answer.fn(ctx)
    except (LookupError, *RUN_TIME_ERRORS):
        return True
    return isinstance(again, Unknown) or to_json(again) != to_json(answer)


def _other(value: Any) -> Any:
    """The other way of a yes-or-no, no date for a date; `_UNREAD` for any other value (not turned)."""
    if value is True or value is False:
        return not value
    return None if isinstance(value, date) else _UNREAD


def _fails_again(firing: Firing, condition: ConditionResult, changed: dict, subject: Any, choices: Any,
                 events: Any) -> bool | None:
    """Whether the condition, evaluated again on the facts it read with `changed` over them (anything it did not
    read unknown) and `subject` as its event, is false; None where that cannot be told (no such condition of
    the rule, or it fails to evaluate)."""
    spec = next((c for c in firing.rule.conditions if c.text == condition.text), None)
    if spec is None:
        return None
    known = {_key(each): each.value for each in _facts(condition.reads)} | changed
    env: dict[str, Any] = {**dict(firing.lets), **({"event": subject} if isinstance(subject, Event) else {})}
    try:
        return spec.fn(Ctx(_Recorded(known, events), choices, env, now=firing.day)) is False
    except RUN_TIME_ERRORS:
        return None


def _facts(reads: Iterable[Read]) -> Iterable[Read]:
    for read in reads:
        if read.kind in ("attribute", "state", "parameter"):
            yield read
        yield from _facts(read.parts)


def _key(read: Read) -> tuple[str, str]:
    if read.kind == "parameter":
        return PARAM_KEY, read.name
    return ("$" + read.owner if read.kind == "state" else read.owner), read.name


class _Recorded:
    """A store that answers as a condition read the first time, with one fact changed; anything else is unknown."""

    def __init__(self, known: dict[tuple[str, str], Any], store: Any):
        self.known = known
        self.store = store  # the replay's state: the events, as they are

    def attr(self, key: str, name: str, as_of: Any) -> tuple[Any, int | None]:
        return self.known.get((key, name), _UNREAD), None

    def param(self, name: str, as_of: Any) -> tuple[Any, int | None]:
        return self.known.get((PARAM_KEY, name), _UNREAD), None

    def events(self, type_name: str, as_of: Any) -> list[Event]:
        return self.store.events(type_name, as_of)

    def duty_instances(self, duty: str, event: Event | None) -> list[Any]:
        raise LookupError("a duty is not read again")

    def judge(self, instance: Any, on: Any, traced: bool = False) -> Any:
        raise LookupError("a duty is not read again")

    def listed(self, on: Any, traced: bool = False) -> Iterable[Any]:
        raise LookupError("a duty is not read again")

    def not_arisen(self, *args: Any) -> Any:
        raise LookupError("a duty is not read again")


def settled_by(replay: Any, firing: Firing, condition: ConditionResult) -> str | None:
    """The paragraph of the one rule that set the agreement's facts a failed condition on its scope rests on (the
    MoU's end, for an act after it), or None where none or several did (the MoU not yet in force)."""
    firings = replay.firings
    found = {firings[read.source].rule.paragraph for read in state_reads(condition.reads)
             if read.source is not None and read.source < len(firings)
             and decided_failure(firing, condition, read, replay.choices, replay.state)}
    return found.pop() if len(found) == 1 else None
