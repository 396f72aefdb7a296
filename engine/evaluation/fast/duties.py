"""Duty instances judged for their status alone: what `obligations` and `breaches` answer.

Stage: evaluation (the fast evaluator of answers). Imports evaluation's `duties`,
the clause language's `context`, and `mou.values`.

`evaluation.duties.judge` gives a `Judgement`: the status of an instance on a
day, the reason in words, and the act that settled it. An answer lists the
status alone (`Judgement.record`), so `status` follows the same steps
(arisen, settled by an act, lapsed, past its deadline, in continuing breach,
else active) and builds no reason: no sentence formatted, no judgement made.
Where a value it reads is `unknown` (whether the duty arose, whether an act
settles it, a deadline or an end not known), or a value is of the wrong
kind, it asks `duties.judge` itself, which says what the status is then, or
which rule fails. `listed` and `records` are `duties.listed` and the
records of `language.functions`' `obligations` built on it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...language.context import Ctx
from ...values import Unknown
from .. import duties

END_OF_TIME = duties.END_OF_TIME


def status(state: Any, instance: Any, on: date | None) -> Any:
    """The status of a duty instance at the end of `on` (None: after every event), as `duties.judge` gives it."""
    duty = instance.duty
    arose = instance.arose
    if arose is False:
        return "not_triggered"
    if on is not None and not duty.anticipated and on < instance.day:
        return "not_triggered"
    if arose is not True:
        return duties.judge(state, instance, on).status  # unknown whether it arose
    ctx = Ctx(state, state.choices, dict(instance.env), as_of=on)
    found = _settled(state, instance, ctx, on)
    if found is not None:
        return found
    end = duty.lapses_after(ctx) if duty.lapses_after else None
    deadline = duty.deadline(ctx) if duty.deadline else None
    if end is not None and end.__class__ is not date or deadline is not None and deadline.__class__ is not date:
        for value in (deadline, end):  # the judge's order: an unknown is the status, anything else not a date fails
            if value.__class__ is Unknown:
                return value
            if value is not None and value.__class__ is not date:
                return duties.judge(state, instance, on).status  # which raises the judge's error
    day = on or END_OF_TIME
    if end is not None and day > end and (deadline is None or end < deadline):
        found = _breach(state, instance, ctx, end, on)
        return "lapsed" if found is None else found
    if deadline is not None and day >= deadline:
        return "violated"
    found = _breach(state, instance, ctx, day if on is not None else (end or day), on)
    return "active" if found is None else found


def _settled(state: Any, instance: Any, ctx: Ctx, on: date | None) -> Any:
    """The status an act that settles the instance by `on` gives it, or None (`duties._settlement`)."""
    settlement = instance.duty.settlement
    if settlement is None:
        return None
    until = settlement.until(ctx) if settlement.until else None
    if until is not None and until.__class__ is not date:
        return duties.judge(state, instance, on).status
    acts = None
    if settlement.index_key is not None:
        key = settlement.index_key(ctx)
        if key.__class__ is not Unknown:
            acts = state.events_with(settlement.act, settlement.index_field, key, on)
    for act in acts if acts is not None else state.events(settlement.act, on):
        if until is not None and act.date > until:
            continue
        ctx.env["act"] = act
        matches = settlement.match(ctx)
        if matches is not True:
            if matches is False:
                continue
            if matches.__class__ is Unknown:
                return matches  # the judge's status: it is not known whether the act settles it
            return duties.judge(state, instance, on).status  # neither true nor false
        for outcome, condition, _ in settlement.outcomes:
            holds = condition(ctx)
            if holds is True:
                return outcome
            if holds is not False:
                if holds.__class__ is Unknown:
                    return holds  # the judge's status, as above
                return duties.judge(state, instance, on).status
        return "fulfilled"
    return None


def _breach(state: Any, instance: Any, ctx: Ctx, day: date, on: date | None) -> Any:
    """"violated" if the duty's `violated_if` holds on `day`, else None (`duties._continuing_breach`)."""
    duty = instance.duty
    if duty.violated_if is None:
        return None
    ctx.env["on"] = day
    breached = duty.violated_if(ctx)
    if breached is True:
        return "violated"
    if breached is False:
        return None
    if breached.__class__ is Unknown:
        return breached  # the judge's status: the judge reaches the same breach, on the same facts, before all else
    return duties.judge(state, instance, on).status


def records(state: Any, on: date | None, only_violated: bool) -> tuple[dict, ...]:
    """What `obligations(on)` (or, `only_violated`, `breaches(on)`) answers: each listed instance that has arisen
    by `on`, as `Judgement.record`, in the order they arose."""
    found = []
    for instance in state.instances:
        duty = instance.duty
        if not duty.listed or instance.arose is False:
            continue
        value = status(state, instance, on)
        if value == "not_triggered" or only_violated and value != "violated":
            continue
        event = instance.event
        found.append({"paragraph": duty.paragraph, "bearer": instance.bearer,
                      "event": event.id if event is not None else None,
                      "status": "unknown" if value.__class__ is Unknown else value})
    return tuple(found)
