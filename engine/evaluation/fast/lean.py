"""The lean replay: the two-valued steps run by trigger, with nothing kept that answers do not read.

Stage: evaluation (the fast evaluator of answers). Imports `program`, evaluation's
`replay`, `horizon` and `state`, and `mou.dates`.

`LeanReplay` replays a timeline as `Replay` does for answers only (events in
the order they take effect, the watched dates due before each and up to the
horizon after the last), with less around each step:

- the steps of each trigger come from a table made once per rule set for a
  replay with duties and once for one without (`program.FastProgram.table`),
  so a skipped duty rule costs nothing per event;
- there is no backend session, no checkpoint and no cycle stepper: a timeline
  whose watched dates come round more than `QUIET` times without an event in
  between (a term renewed for centuries, a date set again to its own day) is
  `Unusual`, and is replayed by `FastReplay`, whose stepper skips its cycles
  and refuses what never ends, as the three-valued replay does;
- the horizon walks only the fields whose type can hold a date or a duration
  (`horizon.Walk`), which is what `evaluation.horizon` finds in them.

The facts it leaves are those `FastReplay` leaves (the same `State`, set by the
same steps), so questions, properties and the weighing of unknowns read it as
they read that one.
"""

from __future__ import annotations

import heapq
from datetime import date
from operator import itemgetter
from typing import Any

from ..horizon import beyond
from ..state import BEFORE_TIME
from .expressions import Failure, Fallback
from .program import FastReplay, program

QUIET = 64
"""Watched dates fired after the last event taken before a lean replay hands the timeline to `FastReplay`."""

_DAY_AND_PLACE = itemgetter(0, 1)
"""The order events are replayed in: the day they take effect, then their place in the file."""


class Unusual(Exception):
    """A timeline the lean replay leaves to `FastReplay` (see the module docstring)."""


class LeanReplay(FastReplay):
    """A replay for answers only, lean (see the module docstring); `Unusual` where `FastReplay` must run."""

    def run(self, backend: Any = None, trunk: Any = None) -> "LeanReplay":
        """Replay every event and every due date attribute, in order (`backend` and `trunk` are not used)."""
        made = self.fused = program(self.ruleset)
        on_event, on_date = made.table(not self.skip_duties)
        self.stepper = None
        timers = self.timers
        state = self.state
        by_type = state._by_type
        order = self.order
        for day, _, event in self._dated():
            if timers and timers[0].day <= day:
                self._due(on_date, day)
            self.now = day
            self.subject = event
            self.quiet = 0
            order.append((day, event))
            state.version += 1  # `state.arrive(event, day)`, inline: once per event
            kind = event.type
            found = by_type.get(kind)
            if found is None:
                found = by_type[kind] = ([], [])
            found[0].append(day)
            found[1].append(event)
            for run in on_event.get(kind, ()):
                run(self)
            if timers and timers[0].day <= day:
                self._due(on_date, day)
        if timers:
            self._end(on_date)
        return self

    quiet = 0  # watched dates fired since the last event taken

    def schedule(self) -> list[tuple[date, Any]]:
        """Each event with the day it takes effect, in the order they are replayed (as `Replay.schedule`)."""
        return [(day, event) for day, _, event in self._dated()]

    def _dated(self) -> list[tuple[date, int, Any]]:
        """`schedule`, each event with its place in the file too: the day given by the two-valued closure of its
        type's `takes_effect`, else by the three-valued one."""
        effects = self.fused.effects
        state = self.state
        history = state._history
        timing = self.timing
        journal = state.journal
        ctx = self.ctx
        ctx.now = None
        dated = []
        for event in self.events:
            found = effects.get(event.type)
            if found is None:
                dated.append((event.date, event.index, event))
                continue
            name, fn = found
            ctx.env = {"event": event}
            try:
                day = fn(ctx)
            except (Fallback, Failure):
                day = None
            if day.__class__ is not date:  # unknown, or no date: the three-valued closure says which
                day = self.takes_effect(event)
            elif journal is not None:
                state.set(event.id, name, day, BEFORE_TIME, None)
                timing[event.id] = (name, day, ())
            else:  # `state.set(event.id, name, day, BEFORE_TIME, None)`, inline (no journal kept)
                key = event.id
                state.version += 1
                fact = history.get((key, name))
                if fact is None:
                    history[(key, name)] = ([BEFORE_TIME], [day], [None])
                else:
                    fact[0].append(BEFORE_TIME)
                    fact[1].append(day)
                    fact[2].append(None)
                timing[key] = (name, day, ())
            dated.append((day, event.index, event))
        dated.sort(key=_DAY_AND_PLACE)
        return dated

    def _due(self, on_date: dict, until: date) -> None:
        """Fire the watched dates due by `until`, in order (as `Replay.fire_timers` does)."""
        timers = self.timers
        attr = self.state.attr
        while timers and timers[0].day <= until:
            timer = heapq.heappop(timers)
            self.quiet += 1
            if self.quiet > QUIET:
                raise Unusual()
            if attr(timer.key, timer.attr, None)[0] != timer.day:
                continue  # the attribute has changed since: this day no longer applies
            if timer.day > self.now:
                self.now = timer.day
            self.subject = timer.subject
            for run in on_date.get((timer.owner, timer.attr), ()):
                run(self)

    def _end(self, on_date: dict) -> None:
        """Past the last event: the dates still due up to the horizon, and the note of rules past it."""
        limit = self.fused.walk.horizon(self.ruleset, list(self.by_id.values()), [*self.asked, self.now],
                                        [*self.parameters.values(), *self.choices.values()])
        self.finishing = True
        self._due(on_date, limit)
        for timer in sorted(self.timers):  # one note: the first date still due, with the rules that watch it
            current, _ = self.state.attr(timer.key, timer.attr, None)
            if current != timer.day:
                continue
            rules = self.ruleset.date_triggers.get((timer.owner, timer.attr), ())
            self.stopped.extend(beyond(timer.day, limit, rules, f"{timer.key.lstrip('$')}.{timer.attr}", self.file))
            break


__all__ = ["LeanReplay", "Unusual", "QUIET"]
