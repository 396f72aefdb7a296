"""Duties judged on a date: the lifecycle of each instance of an obligation.

Stage: evaluation. Imports the clause language's `context` and `ruleset`,
and `mou.values`, `mou.errors`.

The replay records each instance when its trigger fires (and whether it arose:
true, false or unknown). Its status on a date `on` is judged here, from the
acts the scenario contains up to `on`:

    not_triggered  the conditions failed (or the trigger is after `on`)
    unknown        it is not known whether the duty arose, or whether it is met
    fulfilled      an act settled it (or `excused`, or `violated`, by the act)
    violated       its deadline passed unsettled, or its `violated_if` holds
    lapsed         the agreement ended before it was settled or due
    active         owed, and not yet settled or due

Each judgement carries a one-line reason in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..errors import RuleError
from ..language.context import RUN_TIME_ERRORS, Ctx, EvalError
from ..values import Event, Unknown, show

END_OF_TIME = date.max


@dataclass(unsafe_hash=True)
class Judgement:
    """The status of one duty instance on a date, and why (never changed once made; not `frozen`, whose fields
    cost a call each to set: a search judges duties in every variant, 62,000 times for the shipped scenarios'
    explanations)."""

    instance: Any  # state.Instance
    status: Any  # a status text, or Unknown
    why: str
    act: Event | None = None
    choices: tuple = ()  # traced judgements only: the interpretive choices the judgement read, (name, value)

    @property
    def record(self) -> dict:
        """As `obligations` lists it: {paragraph, bearer, event, status}."""
        instance = self.instance
        status = "unknown" if isinstance(self.status, Unknown) else self.status
        return {"paragraph": instance.duty.paragraph, "bearer": instance.bearer,
                "event": instance.event.id if instance.event is not None else None, "status": status}


def judge(state: Any, instance: Any, on: date | None, traced: bool = False) -> Judgement:
    """The status of `instance` at the end of day `on` (None: after every event).

    `traced`: note the interpretive choices the judgement read (`Judgement.choices`), for an explanation.

    A duty whose expressions fail is a `RuleError` at the duty's place in its clause file.
    """
    try:
        if not traced:
            return _judge(state, instance, on)
        reads: list = []
        found = _judge(state, instance, on, reads)
        choices = tuple(dict.fromkeys((read.name, read.value) for read in reads if read.kind == "choice"))
        return replace(found, choices=choices) if choices else found
    except RuleError:
        raise
    except RUN_TIME_ERRORS as error:
        duty = instance.duty
        subject = instance.event.id if instance.event is not None else str(on or "the end of the timeline")
        raise RuleError(duty.location, "duty", duty.id, duty.paragraph, f"{subject} (bearer {instance.bearer})",
                        f"{type(error).__name__}: {error}") from error


def _judge(state: Any, instance: Any, on: date | None, trace: list | None = None) -> Judgement:
    duty = instance.duty
    day = on or END_OF_TIME
    if instance.arose is False:
        return Judgement(instance, "not_triggered", "its conditions do not hold")
    if on is not None and not duty.anticipated and on < instance.day:
        return Judgement(instance, "not_triggered", f"it arises on {instance.day}, after {on}")
    if isinstance(instance.arose, Unknown):
        return Judgement(instance, instance.arose, "it is not known whether the duty arose")
    ctx = Ctx(state, state.choices, dict(instance.env), as_of=on, trace=trace)
    settled = _settlement(state, instance, ctx, on)
    if settled is not None:
        return settled
    end = duty.lapses_after(ctx) if duty.lapses_after else None
    deadline = duty.deadline(ctx) if duty.deadline else None
    for value, what in ((deadline, "deadline"), (end, "lapses_after")):
        if isinstance(value, Unknown):  # e.g. a deadline counted from a choice or a date not stated
            missing = ", ".join(sorted(value.missing)) or what
            return Judgement(instance, value, f"its {'deadline' if what == 'deadline' else 'end'} is not known "
                                              f"({missing})")
        if value is not None and not isinstance(value, date):
            raise EvalError(f"{duty.id}: {what} gave {show(value)}, not a date")
    if end is not None and day > end and (deadline is None or end < deadline):
        breach = _continuing_breach(instance, ctx, end)
        if breach is not None:
            return breach
        name = state.ruleset.short_name or "agreement"
        if duty.awaits:
            return Judgement(instance, "lapsed", f"the {name}'s last day in force, {end}, passed without "
                                                 f"{duty.awaits}: the duty lapsed unmet, which is no breach (an "
                                                 "act after that day does not count)")
        return Judgement(instance, "lapsed", f"the {name} ended after {end}, its last day in force, "
                                             "before the duty was met, which is no breach")
    if deadline is not None and day >= deadline:
        waited = f"passed without {duty.awaits}" if duty.awaits else "passed and it was not met"
        return Judgement(instance, "violated", f"{deadline}, the last day, {waited}")
    breach = _continuing_breach(instance, ctx, day if on is not None else (end or day))
    if breach is not None:
        return breach
    waiting = f"awaiting {duty.awaits}" if duty.awaits else "owed"
    due = f", due by {deadline}" if deadline is not None else " (no deadline)"
    return Judgement(instance, "active", waiting + due)


def _settlement(state: Any, instance: Any, ctx: Ctx, on: date | None) -> Judgement | None:
    settlement = instance.duty.settlement
    if settlement is None:
        return None
    until = settlement.until(ctx) if settlement.until else None
    acts = None
    if settlement.index_key is not None:
        key = settlement.index_key(ctx)
        if not isinstance(key, Unknown):
            acts = state.events_with(settlement.act, settlement.index_field, key, on)
    for act in acts if acts is not None else state.events(settlement.act, on):
        if until is not None and act.date > until:
            continue
        ctx.env["act"] = act
        matches = settlement.match(ctx)
        if isinstance(matches, Unknown):
            return Judgement(instance, matches, f"it is not known whether {act.id} settles it", act)
        if matches is not True:
            continue
        for status, condition, text in settlement.outcomes:
            holds = condition(ctx)
            if isinstance(holds, Unknown):
                return Judgement(instance, holds, f"it is not known whether {act.id} leaves it {status}", act)
            if holds is True:
                return Judgement(instance, status, f"{act.id} of {act.date} leaves it {status}", act)
        return Judgement(instance, "fulfilled", f"{act.called or f'{act.id} of {act.date}'} fulfils it", act)
    return None


def _continuing_breach(instance: Any, ctx: Ctx, on: date) -> Judgement | None:
    duty = instance.duty
    if duty.violated_if is None:
        return None
    ctx.env["on"] = on
    breached = duty.violated_if(ctx)
    if isinstance(breached, Unknown):
        return Judgement(instance, breached, f"whether there is {duty.breach} cannot be judged from the facts given")
    if breached is True:
        return Judgement(instance, "violated", f"there is {duty.breach} (judged on {on})")
    return None


def not_arisen(state: Any, on: date | None) -> list[Judgement]:
    """The instances of listed duties whose trigger came by `on` but whose conditions failed: no duty arose (for an
    explanation of a list of duties, which says why a meeting gave rise to none)."""
    return [Judgement(instance, "not_triggered", "its conditions do not hold") for instance in state.instances
            if instance.duty.listed and instance.arose is False and (on is None or instance.day <= on)]


def listed(state: Any, on: date | None, traced: bool = False) -> list[Judgement]:
    """Every instance that has arisen by `on`, of every listed duty, judged on `on` (`traced`: see `judge`)."""
    result = []
    for instance in state.instances:
        if not instance.duty.listed or instance.arose is False:
            continue
        judgement = judge(state, instance, on, traced)
        if judgement.status != "not_triggered":
            result.append(judgement)
    return result
