"""Duties on vectors: instances created by their trigger rules, judged on a date, read by the duty functions.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `context`,
`loops` (positions and tuples), the clause language's `ruleset` and `types`,
and `mou.values`.

It restates `evaluation.duties` and `Replay._instantiate` for arrays. A duty's
trigger rule creates one instance per bearer wherever it runs (also where its
conditions fail: `arose` is then false, or unknown); an instance is a set of
vectors (bearer, counterparty, the bindings its judgement reads, the day it
arose) and a mask of the variants that have it. Judging it on a date is a
cascade of masks: each step of `duties.judge` decides the variants still
open, and a failure counts only where that step ran. The duty functions
(`triggered`, `duty_status`, `obligations`, `breaches`) read the instances
in the order they were created, as `State` keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from ...language import types as T
from ...language.ruleset import DutyDef, Rule
from ...values import Event, Unknown
from .context import Kernel, VCtx, event_vec, materialize
from .loops import positions, tuples
from .vec import ERR, Unsupported, Vec, boolean, const, either, lift, merge, select, truth

END_OF_TIME = const(date.max)
NOT_TRIGGERED = const("not_triggered")


@dataclass(frozen=True)
class DutyKernel:
    """A duty's expressions, compiled for vectors."""

    duty: DutyDef
    bearers: Kernel
    counterparty: Kernel | None
    until: Kernel | None
    match: Kernel | None
    outcomes: tuple[tuple[str, Kernel], ...]
    deadline: Kernel | None
    lapses_after: Kernel | None
    violated_if: Kernel | None


def compile_duty(compiler: Any, rule: Rule, bindings: dict[str, T.Type]) -> DutyKernel:
    """The kernels of a duty, in the scopes `language.rules` compiles them in (`bindings`: event and lets)."""
    duty = rule.duty
    settlement = duty.settlement
    missing = (not duty.bearers_text or (duty.counterparty is not None and not duty.counterparty_text)
               or (duty.lapses_after is not None and not duty.lapses_after_text)
               or (settlement is not None and settlement.until is not None and not settlement.until_text))
    if missing:
        raise Unsupported(f"duty {duty.id} without its source texts")
    schema = compiler.schema
    later = schema.scope(bindings)
    parties = later.bind(bearer=T.ACTOR, counterparty=T.ACTOR)

    def text(value: str, scope) -> Kernel | None:
        return compiler.text(value, scope) if value else None

    with_act = parties.bind(act=T.event(settlement.act)) if settlement is not None else parties
    return DutyKernel(
        duty, compiler.text(duty.bearers_text, later),
        text(duty.counterparty_text, later.bind(bearer=T.ACTOR)),
        text(settlement.until_text, parties) if settlement is not None else None,
        text(settlement.match_text, with_act) if settlement is not None else None,
        tuple((status, compiler.text(source, with_act)) for status, _, source in settlement.outcomes)
        if settlement is not None else (),
        text(duty.deadline_text, parties), text(duty.lapses_after_text, parties),
        text(duty.violated_if_text, parties.bind(on=T.DATE)))


class Instance:
    """One instance of a duty, in the variants of `mask`."""

    __slots__ = ("kernel", "event", "bearer", "arose", "env", "day", "mask")

    def __init__(self, kernel: DutyKernel, event: Event | None, bearer: Vec, arose: Vec, env: dict, day: Vec,
                 mask: np.ndarray):
        self.kernel, self.event, self.bearer, self.arose = kernel, event, bearer, arose
        self.env, self.day, self.mask = env, day, mask


def instantiate(run: Any, kernel: DutyKernel, ctx: VCtx, subject: Event | None, outcome: Vec,
                active: np.ndarray) -> None:
    """One instance per bearer, where the trigger rule ran (`Replay._instantiate`)."""
    bearers = materialize(kernel.bearers.fn(ctx), run.n)
    run.fail(bearers.special(), active)  # unknown bearers, or none: the scalar engine raises
    items, _ = positions(bearers)
    for bearer, member in items:
        where = active & member & ~run.failed
        if not where.any():
            continue
        bound = dict(ctx.env, bearer=bearer)
        counterparty = const(None)
        if kernel.counterparty is not None:
            counterparty = materialize(kernel.counterparty.fn(VCtx(run, bound)), run.n)
            run.fail(counterparty.err, where)
        bound["counterparty"] = counterparty
        run.instances.append(Instance(kernel, subject, bearer, outcome, bound, run.now, where & ~run.failed))


class _Cascade:
    """A judgement decided step by step: each step settles the variants still open."""

    def __init__(self, run: Any, open_: np.ndarray):
        self.run = run
        self.open = open_
        self.status = const(None)

    def decide(self, where: np.ndarray, status: Vec) -> None:
        where = where & self.open
        if where.any():
            self.status = select(where, status, self.status)
            self.open = self.open & ~where

    def failed(self, err: np.ndarray | None) -> None:
        if err is not None:
            self.run.fail(err, self.open)
            self.open = self.open & ~err


def judge(run: Any, instance: Instance, on: Vec | None, where: np.ndarray) -> Vec:
    """The status of an instance at the end of `on` (None: after every event), in the variants of `where`."""
    kernel = instance.kernel
    duty = kernel.duty
    steps = _Cascade(run, where.copy())
    arose_true, arose_unk, arose_err = truth(instance.arose)
    steps.failed(arose_err)
    known = np.ones(1, bool) if arose_unk is None else ~arose_unk
    steps.decide(known & ~arose_true, NOT_TRIGGERED)
    if on is not None and not duty.anticipated:
        steps.decide(on.data < instance.day.data, NOT_TRIGGERED)
    if arose_unk is not None:
        steps.decide(arose_unk, const(Unknown()))
    env = dict(instance.env)
    ctx = VCtx(run, env, on)
    if kernel.match is not None and steps.open.any():
        _settlement(run, kernel, ctx, on, steps)
    deadline = _date_or_none(kernel.deadline, ctx, steps)
    end = _date_or_none(kernel.lapses_after, ctx, steps)
    day = on if on is not None else END_OF_TIME
    if end is not None:
        lapsing = _before(end, day)
        if deadline is not None:
            no_deadline = deadline.null if deadline.null is not None else np.zeros(1, bool)
            lapsing = lapsing & (no_deadline | _before(end, deadline))
        _breach(run, kernel, ctx, end, steps, lapsing)
        steps.decide(lapsing, const("lapsed"))
    if deadline is not None:
        steps.decide(deadline.plain() & ~_before(day, deadline), const("violated"))
    if on is not None:
        when = on
    elif end is not None:
        when = select(end.plain(), end, day)
    else:
        when = day
    _breach(run, kernel, ctx, when, steps, np.ones(1, bool))
    steps.decide(np.ones(1, bool), const("active"))
    return steps.status


def _before(a: Vec, b: Vec) -> np.ndarray:
    """Where both are dates and `a` is the earlier (a none or failed side: nowhere)."""
    if a.kind == "none" or b.kind == "none":
        return np.zeros(1, bool)
    if a.kind != "date" or b.kind != "date":
        raise Unsupported("a duty's dates among values of other kinds")
    return (a.data < b.data) & a.plain() & b.plain()


def _date_or_none(kernel: Kernel | None, ctx: VCtx, steps: _Cascade) -> Vec | None:
    """A date a judgement reads (`lapses_after`, `deadline`); anything but a date or none fails."""
    if kernel is None:
        return None
    value = materialize(kernel.fn(ctx), ctx.run.n)
    steps.failed(value.err)
    if value.kind not in ("date", "none"):
        steps.failed(value.plain())
    if value.unk is not None:  # an unknown deadline or end: the status is unknown (`duties._judge`)
        steps.decide(value.unk, const(Unknown()))
    return value


def _settlement(run: Any, kernel: DutyKernel, ctx: VCtx, on: Vec | None, steps: _Cascade) -> None:
    """The first act that settles the instance, as `duties._settlement` finds it."""
    until = None
    if kernel.until is not None:
        until = materialize(kernel.until.fn(ctx), run.n)
        steps.failed(either(until.err, until.unk))
        if until.kind not in ("date", "none"):
            raise Unsupported("a settlement's `until` that is not a date")
    for act, member in run.members(kernel.duty.settlement.act, on):
        looking = steps.open if member is None else steps.open & member
        if until is not None and until.kind == "date":
            late = run.field(act, "date").data > until.data
            looking = looking & ~(late & until.plain())
        if not looking.any():
            continue
        ctx.env["act"] = event_vec(act)
        matches, unk, err = truth_or_other(kernel.match.fn(ctx))
        steps.failed(err if err is None else err & looking)
        if unk is not None:
            steps.decide(looking & unk, const(Unknown()))
        matched = looking & matches
        for status, condition in kernel.outcomes:
            if not (matched & steps.open).any():
                break
            holds, unk, err = truth_or_other(condition.fn(ctx))
            steps.failed(err if err is None else err & matched)
            if unk is not None:
                steps.decide(matched & unk, const(Unknown()))
            steps.decide(matched & holds, const(status))
        steps.decide(matched, const("fulfilled"))


def truth_or_other(vec: Vec) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(is true, is unknown, failed), where a value that is not true (none, false, anything) is just not true."""
    if vec.kind == "bool":
        value = vec.data if vec.null is None else vec.data & ~vec.null
        if vec.unk is not None:
            value = value & ~vec.unk
        return value, vec.unk, vec.err
    if vec.kind == "obj":
        table = np.array([value is True for value in vec.pool])
        unknown = np.array([isinstance(value, Unknown) for value in vec.pool])
        plain = vec.plain()
        return table[vec.data] & plain, either(vec.unk, unknown[vec.data] & plain if unknown.any() else None), vec.err
    return np.zeros(1, bool), vec.unk, vec.err


def _breach(run: Any, kernel: DutyKernel, ctx: VCtx, on: Vec, steps: _Cascade, where: np.ndarray) -> None:
    """`violated_if` judged on `on`, where the judgement reaches it."""
    if kernel.violated_if is None or not (steps.open & where).any():
        return
    ctx.env["on"] = on
    breached, unk, err = truth_or_other(kernel.violated_if.fn(ctx))
    steps.failed(err if err is None else err & where)
    if unk is not None:
        steps.decide(where & unk, const(Unknown()))
    steps.decide(where & breached, const("violated"))


# -- the duty functions --------------------------------------------------------------------------

def instances_of(run: Any, duty: str, event: Vec) -> list[Instance]:
    """The instances of a duty triggered by `event` (a duty triggered by a date: none), in creation order."""
    if event.kind == "none" and event.special() is not None and event.unk is None and event.err is None:
        target = None
    elif event.kind == "obj" and len(event.data) == 1 and event.special() is None:
        target = event.pool[0]
    else:
        raise Unsupported("a duty function of an event that differs between variants")
    return [i for i in run.instances if i.kernel.duty.id == duty and i.event is target]


def triggered(run: Any, duty: str, event: Vec) -> Vec:
    """`triggered('duty', event)`: true if an instance arose, unknown if one may have, else false."""
    true = np.zeros(1, bool)
    unknown = np.zeros(1, bool)
    for instance in instances_of(run, duty, event):
        value, unk, _ = truth_or_other(instance.arose)
        true = true | (instance.mask & value)
        if unk is not None:
            unknown = unknown | (instance.mask & unk)
    return boolean(true, unknown & ~true)


def duty_status(run: Any, duty: str, event: Vec, on: Vec | None) -> Vec:
    """`duty_status('duty', event, on)`: the status of the first instance from the event, else not_triggered."""
    taken = np.zeros(1, bool)
    parts = []
    for instance in instances_of(run, duty, event):
        first = instance.mask & ~taken
        if first.any():
            parts.append((first, judge(run, instance, on, first)))
        taken = taken | instance.mask
    return merge(parts, NOT_TRIGGERED)


def listed(run: Any, on: Vec | None, only_violated: bool) -> Vec:
    """`obligations(on)` (or `breaches(on)`): the records of the listed instances that have arisen, judged on `on`."""
    parts = []
    for instance in run.instances:
        duty = instance.kernel.duty
        if not duty.listed:
            continue
        value, unk, _ = truth_or_other(instance.arose)
        arisen = instance.mask & (value if unk is None else value | unk)
        if not arisen.any():
            continue
        status = judge(run, instance, on, arisen)
        keep = arisen & ~_is(status, "not_triggered")
        if only_violated:
            keep = keep & _is(status, "violated")
        event_id = instance.event.id if instance.event is not None else None

        def record(bearer, state, paragraph=duty.paragraph, event_id=event_id):
            return {"paragraph": paragraph, "bearer": bearer, "event": event_id,
                    "status": "unknown" if isinstance(state, Unknown) else state}

        parts.append((keep, lift(record, [instance.bearer, status])))
    return tuples(parts, run.n)


def _is(status: Vec, text: str) -> np.ndarray:
    """Where a status is the text given (never where it is unknown)."""
    if status.kind != "obj":
        return np.zeros(1, bool)
    table = np.array([value == text for value in status.pool])
    result = table[status.data]
    return result & status.plain()


def on_date(value: Vec) -> Vec | None:
    """The `on` of a duty function: none (after every event) or a date in every variant."""
    if value.kind == "none" and value.unk is None and value.err is None:
        return None
    if value.kind == "date" and value.special() is None:
        return value
    raise Unsupported("a duty judged on a day that is not a date in every variant")


__all__ = ["DutyKernel", "compile_duty", "Instance", "instantiate", "judge", "triggered", "duty_status", "listed",
           "on_date", "ERR"]
