"""Checkpoints: a replay of a variant goes on from where its timeline parts from the original's.

Stage: evaluation. Imports `mou.values`; works on `replay.Replay`s, which import it.

The counterfactual search and the weighing of missing facts replay many
variants of one scenario, each with one event changed. What a replay holds
after its first events depends on those events and on nothing after them:
rules see only the events that have taken effect, and a variant's events are
the very objects of the original's unless they changed or refer to one that
did (`scenario.variants.vary`). So an answers-only replay of the original
(the trunk) records a `Checkpoint` after each event, and a variant replayed
under the same choices and parameters, running the same rules, takes over
the trunk's state after the events both timelines begin with, and replays
only the rest. The state's journal (`State.journal`) is what makes this
cheap: every fact the trunk set, in order, so that taking over its first
events is a replay of their effects, not of their rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..values import Event

Replay = Any  # a `replay.Replay` (which imports this module)


@dataclass(frozen=True)
class Checkpoint:
    """Where a replay stood after taking an event: what another replay needs to go on from there."""

    changes: int  # entries of the state's journal by then
    instances: int  # duty instances by then
    timers: tuple[Any, ...]  # the dates still due (a heap of `replay.Timer`)
    seq: int
    now: date
    subject: Event | None


def keep(replay: Replay) -> Replay:
    """Make `replay` a trunk: it records a checkpoint after each event (before it runs)."""
    if replay.explain:
        raise ValueError("only an answers-only replay keeps checkpoints")
    replay.checkpoints = []
    return replay


def taken(replay: Replay) -> Checkpoint:
    """Where `replay` stands now, just after taking an event."""
    return Checkpoint(len(replay.state.journal), len(replay.state.instances), tuple(replay.timers), replay.seq,
                      replay.now, replay.subject)


def resume(replay: Replay, trunk: Replay, schedule: list[tuple[date, Event]]) -> int:
    """Give `replay` the trunk's state after the events both timelines begin with; how many events that is.

    Nothing is taken over (0) unless the trunk kept checkpoints and both are
    answers-only replays of the same rules under the same choices and
    parameters.
    """
    if trunk.checkpoints is None or replay.checkpoints is not None or trunk.ruleset is not replay.ruleset or \
            replay.explain or trunk.skip_duties != replay.skip_duties or \
            dict(trunk.choices) != dict(replay.choices) or dict(trunk.parameters) != dict(replay.parameters):
        return 0
    shared = 0
    for (day, event), (trunk_day, trunk_event) in zip(schedule, trunk.order):
        if event is not trunk_event or day != trunk_day:
            break
        shared += 1
    if not shared:
        return 0
    checkpoint = trunk.checkpoints[shared - 1]
    replay.state.resume(trunk.state, checkpoint.changes, checkpoint.instances)
    for day, event in schedule[:shared]:
        replay.state.arrive(event, day)
    replay.order = schedule[:shared]
    replay.timers = list(checkpoint.timers)
    replay.seq, replay.now, replay.subject = checkpoint.seq, checkpoint.now, checkpoint.subject
    return shared
