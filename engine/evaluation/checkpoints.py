"""Checkpoints: a replay of a variant goes on from where its timeline parts from the original's.

Stage: evaluation. Imports `mou.values`; works on `replay.Replay`s (and their `State`), which import it.

The counterfactual search and the weighing of missing facts replay many
variants of one scenario, each with one event, choice or parameter changed.
What a replay holds after its first events depends on those events, and on
the choices and parameters read while they were taken, and on nothing else:
rules see only the events that have taken effect, and a variant's events are
the very objects of the original's unless they changed or refer to one that
did (`scenario.variants.vary`). So an answers-only replay of the original
(the trunk) records a `Checkpoint` after each event, and the first event
during which it read each choice and parameter. A variant running the same
rules takes over the trunk's state after the events both timelines begin
with, up to the first event that read a choice or parameter the variant
gives another value, and replays only the rest. The state's journal
(`State.journal`) is what makes this cheap: every fact the trunk set, in
order, so that taking over its first events is a replay of their effects,
not of their rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping

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


class _Watched(dict):
    """The choices of a trunk: each one read is told to `watch` (`Ctx` reads them by `[name]`)."""

    def __init__(self, choices: Mapping[str, Any], watch: Callable[[str], None]):
        super().__init__(choices)
        self.watch = watch

    def __getitem__(self, name: str) -> Any:
        self.watch(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self.watch(name)
        return super().get(name, default)


def keep(replay: Replay) -> Replay:
    """Make `replay` a trunk: it records a checkpoint after each event, and what it read when (before it runs)."""
    if replay.explain:
        raise ValueError("only an answers-only replay keeps checkpoints")
    replay.checkpoints = []
    replay.first_read = {}
    replay.choices = replay.state.choices = _Watched(replay.choices,
                                                     _Reads("choice", replay.first_read, replay.checkpoints))
    replay.state.watch = _Reads("parameter", replay.first_read, replay.checkpoints)
    return replay


class _Reads:
    """Notes in `first_read` how many events had been taken (checkpoints made) when each name was first read.

    It holds the replay's dict and list, not the replay: a replay that
    referred to itself through its state would be a reference cycle
    (`mou.collector`).
    """

    def __init__(self, kind: str, first_read: dict, checkpoints: list):
        self.kind, self.first_read, self.checkpoints = kind, first_read, checkpoints

    def __call__(self, name: str) -> None:
        self.first_read.setdefault((self.kind, name), len(self.checkpoints))


def taken(replay: Replay) -> Checkpoint:
    """Where `replay` stands now, just after taking an event."""
    return Checkpoint(len(replay.state.journal), len(replay.state.instances), tuple(replay.timers), replay.seq,
                      replay.now, replay.subject)


def resume(replay: Replay, trunk: Replay, schedule: list[tuple[date, Event]]) -> int:
    """Give `replay` the trunk's state after the events it may share with it; how many events that is.

    Those are the events both timelines begin with, up to the first during
    which the trunk read a choice or parameter that `replay` gives another
    value. Nothing is taken over (0) unless the trunk kept checkpoints and
    both are answers-only replays of the same rules.
    """
    if trunk.checkpoints is None or replay.checkpoints is not None or trunk.ruleset is not replay.ruleset or \
            replay.explain or trunk.skip_duties != replay.skip_duties:
        return 0
    limit = len(schedule)
    for kind, theirs, ours in (("choice", trunk.choices, replay.choices),
                               ("parameter", trunk.parameters, replay.parameters)):
        if dict.__eq__(theirs, ours) is True:  # most variants change an event: one comparison, in C, for all
            continue  # (equal dicts hold the same or equal values: nothing read can differ)
        for name in set(theirs) | set(ours):
            if name not in theirs or name not in ours or dict.get(theirs, name) != dict.get(ours, name):
                limit = min(limit, trunk.first_read.get((kind, name), limit))
    shared = 0
    for (day, event), (trunk_day, trunk_event) in zip(schedule[:limit], trunk.order):
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
