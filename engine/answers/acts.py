"""Acts not taken: what a party could have done by the day asked that would have changed the answer.

Stage: answers. Imports `case`, evaluation's `replay`, scenario files'
`variants`, the clause language's `context` and `wording`, and `mou.values`.

The clause files describe the acts a party may take: an `on:` rule's
`awaits:` (a notice may be withdrawn while it is pending) and a duty (the
invitation that meets it) may give an `act:`, an event with its fields as
expressions. On the day an answer concerns, each act still open (the
`awaits:` whose `when` holds, the duty instances not met) is a candidate: the
event, by the party who could take it, and the days it could have been
taken (from the day the wait began to the day asked, or the last day to act
if earlier). `Search.acts` tries them in the variant where the event is
added, and finds the latest of those days that changes the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from ..evaluation.replay import Replay
from ..language.context import Ctx
from ..language.wording import fill
from ..scenario.variants import ADD, Change
from ..values import Event, Unknown, to_json


@dataclass(frozen=True)
class Candidate:
    """An act a party could have taken: the event (without its date), how it reads after “had”, and the days."""

    type: str
    fields: tuple[tuple[str, Any], ...]  # an event given by id as ("event", id)
    says: str
    earliest: date
    latest: date

    @property
    def names(self) -> tuple[str, ...]:
        """The ids of the events the act's fields name (the notice a withdrawal withdraws)."""
        return tuple(value[1] for _, value in self.fields if isinstance(value, tuple) and value[:1] == ("event",))

    def change(self, day: date, new_id: str, before: str = "") -> Change:
        """The act taken on `day`, as a change that adds it: after every event of that day, or right before the
        event `before` names."""
        return Change(ADD, new_id, self.type, (day, self.fields, before) if before else (day, self.fields))


def candidates(replay: Replay, on: date) -> list[Candidate]:
    """The acts open on `on` in a replay as of that day (see the module docstring), in the clause files' order,
    each once (one consultation meets both parties' duties to consult)."""
    found: dict[tuple, Candidate] = {}
    for candidate in _candidates(replay, on):
        found.setdefault((candidate.type, candidate.fields), candidate)
    return list(found.values())


def _candidates(replay: Replay, on: date) -> Iterator[Candidate]:
    state = replay.state
    for rule in replay.ruleset.rules:
        awaits = rule.awaits
        if awaits is None or awaits.act is None:
            continue
        subjects: list[Event | None] = list(state.events(awaits.for_each, on)) if awaits.for_each else [None]
        for subject in subjects:
            ctx = Ctx(state, replay.choices, {"event": subject, "on": on}, as_of=on)
            if awaits.when is not None and awaits.when(ctx) is not True:
                continue
            last = awaits.until(ctx) if awaits.until else None
            latest = min(on, last) if isinstance(last, date) else on
            start = subject.date if subject is not None else latest
            parties = awaits.party(ctx) if awaits.party else [None]
            for party in parties if isinstance(parties, (list, tuple)) else [parties]:
                ctx.env["party"] = party
                found = _candidate(awaits.act, ctx, start, latest)
                if found is not None:
                    yield found
    for instance in state.instances:
        duty = instance.duty
        if duty.act is None or instance.arose is not True or instance.day > on and not duty.anticipated:
            continue
        status = state.judge(instance, on).status
        if status not in ("active", "violated"):
            continue
        ctx = Ctx(state, replay.choices, dict(instance.env, on=on), as_of=on)
        deadline = duty.deadline(ctx) if duty.deadline else None
        latest = min(on, deadline) if isinstance(deadline, date) else on
        start = instance.event.date if instance.event is not None and instance.event.date <= latest else \
            min(instance.day, latest)
        found = _candidate(duty.act, ctx, start, latest)
        if found is not None:
            yield found


def _candidate(act: Any, ctx: Ctx, earliest: date, latest: date) -> Candidate | None:
    """The act with its fields evaluated in `ctx`, or None when one cannot be known (or the days are none)."""
    if earliest > latest:
        return None
    fields = []
    for name, fn in act.fields:
        value = fn(ctx)
        if isinstance(value, Unknown):
            return None
        fields.append((name, ("event", value.id) if isinstance(value, Event) else value))
    try:
        says = fill(act.says, ctx)
    except Exception:  # noqa: BLE001 - an act that cannot be said is not offered
        return None
    return Candidate(act.type, tuple(fields), says, earliest, latest)


def new_id(replay: Replay, candidate: Candidate) -> str:
    """An id for the added event that the scenario does not use."""
    stem = f"{candidate.type.replace('_', '-')}-not-taken"
    taken = set(replay.by_id)
    number = 1
    name = stem
    while name in taken:
        number += 1
        name = f"{stem}-{number}"
    return name


def as_written(change: Change) -> dict:
    """The added event as a scenario file gives it: `{id, type, date, field: value, …}`."""
    day, fields = change.value[:2]
    event: dict[str, Any] = {"id": change.target, "type": change.field, "date": to_json(day)}
    for name, value in fields:
        event[name] = value[1] if isinstance(value, tuple) and len(value) == 2 and value[0] == "event" \
            else to_json(value)
    return event
