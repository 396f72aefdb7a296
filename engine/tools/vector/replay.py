"""Replaying a group of variants at once: the events in one order, the watched dates as they fall due.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `ops`, `context`,
`duties`, `plan`, `state`, and `mou.values`.

The semantics are the replay's (`evaluation.replay`), restated for arrays:
the events take effect in the order of their day and then of their place in
the file; a date attribute that a rule watches fires at the start of its day,
before that day's events, unless the attribute has changed since. A group's
variants share the order of their events (`block` groups them so), but not
the days: a watched date may fall before an event in one variant and after
it in another. So the run steps through facts: at each step every variant
has a next fact (its next event, or its earliest due date), and the fact
that most variants have next runs, masked to them. Each variant thus sees
its own facts in its own order, and a rule's conclusions apply only where
the rule fired.

Everything about one step runs over the whole group, with masks: a rule's
conditions are evaluated for every variant and combined under Kleene's logic
(`ops`), and its conclusions are recorded as masked entries (`state`).
Variants where the scalar engine would raise are marked `failed`; the caller
computes their rows with the scalar engine.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

import numpy as np

from ...values import Event
from . import ops
from .context import VCtx, event_vec, materialize
from .duties import instantiate
from .plan import RuleKernel, RulesetKernels
from .state import PARAM_KEY, VState
from .vec import Unsupported, Vec, but_not, either, boolean, const, truth

BEFORE_TIME = const(date.min)
STEP_LIMIT = 64  # steps per fact of the timeline before the group gives up (to the scalar engine)


class Timer:
    """A watched date attribute, due in the variants where it is `alive`."""

    __slots__ = ("day", "seq", "owner", "attr", "key", "subject", "alive")

    def __init__(self, day: Vec, seq: int, owner: str, attr: str, key: str, subject: Event | None,
                 alive: np.ndarray):
        self.day, self.seq, self.owner, self.attr, self.key = day, seq, owner, attr, key
        self.subject, self.alive = subject, alive


class GroupRun:
    """One group of variants replayed together (see the module docstring)."""

    def __init__(self, kernels: RulesetKernels, events: tuple[Event, ...], order: list[Event], n: int,
                 fields: Mapping[tuple[str, str], Vec], choices: Mapping[str, Vec], parameters: Mapping[str, Vec],
                 days: Mapping[str, Vec], given: Mapping[str, tuple[str, Vec]], skip_duties: bool):
        self.kernels = kernels
        self.ruleset = kernels.ruleset
        self.n = n
        self.order = order
        self.fields = dict(fields)
        self.choices = choices
        self.days = days
        self.skip_duties = skip_duties
        self.state = VState(self.ruleset, events, parameters)
        for event in events:
            if event.id in given:
                name, day = given[event.id]
                self.state.set(event.id, name, day, BEFORE_TIME, None)
        self.by_id = {event.id: event for event in events}
        self.arrived: dict[str, np.ndarray] = {}
        self.arrival_order: list[Event] = []
        self.timers: list[Timer] = []
        self.seq = 0
        self.now = Vec("date", np.full(n, date.min.toordinal(), np.int64))
        self.failed = np.zeros(n, bool)
        self.instances: list = []  # duty instances, in the order their trigger rules created them
        self.memo: dict[tuple, tuple[Any, int, Vec]] = {}
        self._constants: dict[tuple[str, str], Vec] = {}

    # -- what kernels read --------------------------------------------------------------------

    def field(self, event: Event, name: str) -> Vec:
        """A field of an event (its varied values, or the value the scenario gives)."""
        found = self.fields.get((event.id, name))
        if found is None:
            found = self._constants.get((event.id, name))
            if found is None:
                value = event.date if name == "date" else event.fields[name]
                found = self._constants[(event.id, name)] = const(value)
        return found

    def choice(self, name: str) -> Vec:
        """An interpretive choice."""
        return self.choices[name]

    def members(self, type_name: str, as_of: Vec | None) -> list[tuple[Event, np.ndarray | None]]:
        """The events of a type that have taken effect (by the end of `as_of`), with who has each."""
        found = []
        for event in self.arrival_order:
            if event.type != type_name:
                continue
            mask = self.arrived[event.id]
            if as_of is not None:
                mask = mask & (self.days[event.id].data <= as_of.data)
            found.append((event, None if mask.all() else mask))
        return found

    def memoized(self, name: str, as_of: Vec | None, compute: Callable[[], Vec]) -> Vec:
        """A definition without parameters, computed once per state and day asked about."""
        key = (name, id(as_of))
        hit = self.memo.get(key)
        if hit is not None and hit[0] is as_of and hit[1] == self.state.version:
            return hit[2]
        value = compute()
        self.memo[key] = (as_of, self.state.version, value)
        return value

    # -- the timeline ------------------------------------------------------------------------

    def run(self) -> "GroupRun":
        """Replay every event and every due date, each variant in its own order."""
        n, count = self.n, len(self.order)
        days = np.stack([np.broadcast_to(self.days[event.id].data, (n,)) for event in self.order]) \
            if count else np.zeros((0, n), np.int64)
        pointer = np.zeros(n, np.int64)
        done = np.zeros(n, bool)
        columns = np.arange(n)
        big = np.iinfo(np.int64).max
        for _ in range(STEP_LIMIT * (count + 2)):
            live = ~(self.failed | done)
            if not live.any():
                return self
            has_event = pointer < count
            next_day = np.where(has_event, days[np.minimum(pointer, count - 1), columns], big) if count \
                else np.full(n, big)
            best = np.full(n, -1)
            best_key = np.full(n, big)
            for number, timer in enumerate(self.timers):
                due = timer.alive & live & (timer.day.data <= next_day)
                if not due.any():
                    continue
                key = timer.day.data * (1 << 20) + timer.seq
                better = due & (key < best_key)
                best = np.where(better, number, best)
                best_key = np.where(better, key, best_key)
            code = np.where(best >= 0, count + best, np.where(has_event, pointer, -1))
            code = np.where(live, code, -1)
            done |= live & (code < 0)
            if not (code >= 0).any():
                return self
            chosen = int(np.argmax(np.bincount(code[code >= 0])))
            mask = code == chosen
            if chosen < count:
                self._take(self.order[chosen], mask, days[chosen])
                pointer = pointer + mask
            else:
                self._fire(self.timers[chosen - count], mask)
        self.failed |= ~done  # too many steps: these variants go to the scalar engine
        return self

    def _take(self, event: Event, mask: np.ndarray, day: np.ndarray) -> None:
        """An event taking effect in the variants of `mask`: the rules it triggers."""
        self.now = Vec("date", np.where(mask, day, self.now.data))
        if event.id in self.arrived:
            self.arrived[event.id] = self.arrived[event.id] | mask
        else:
            self.arrived[event.id] = mask.copy()
            self.arrival_order.append(event)
        self.state.version += 1
        for rule in self.kernels.rules_for(f"event:{event.type}"):
            self._rule(rule, mask, event)

    def _fire(self, timer: Timer, mask: np.ndarray) -> None:
        """A watched date falling due: it fires where the attribute still holds that day."""
        timer.alive = timer.alive & ~mask
        current = self.state.read(timer.key, timer.attr, None)
        same = ops.equal(current, timer.day, lambda a, b: a == b)
        fires = mask & same.data
        for bad in (same.unk, same.err):
            if bad is not None:
                fires = fires & ~bad
        if not fires.any():
            return
        self.now = Vec("date", np.where(fires, np.maximum(self.now.data, timer.day.data), self.now.data))
        for rule in self.kernels.rules_for(f"date:{timer.owner}.{timer.attr}"):
            self._rule(rule, fires, timer.subject)

    # -- one rule -----------------------------------------------------------------------------

    def _rule(self, rule: Any, active: np.ndarray, subject: Event | None) -> None:
        if rule.duty is not None and self.skip_duties:
            return
        kernel: RuleKernel = self.kernels.rule(rule)
        env: dict[str, Any] = {"event": event_vec(subject)} if kernel.subject and subject is not None else {}
        ctx = VCtx(self, env, None, self.now)
        applies, unknown = active, np.zeros(1, bool)
        if kernel.guard is not None:
            guard = kernel.guard.fn(ctx)
            self.fail(guard.err, applies)
            false = _is_false(guard)
            applies = applies & ~false
            if guard.unk is not None:
                unknown = unknown | (guard.unk & applies)
        for name, let in kernel.lets:
            env[name] = value = let.fn(ctx)
            self.fail(value.err, applies)
        reached = applies
        for condition in kernel.conditions:
            value, unk, err = truth(condition.fn(ctx))
            self.fail(err, reached)
            if err is not None:
                reached = reached & ~err
            if unk is not None:
                unknown = unknown | (unk & reached)
                value = value | unk  # not false: the rule goes on
            reached = reached & value
        decided = reached & ~unknown
        undecided = reached & unknown
        otherwise = applies & ~reached & ~self.failed
        env["outcome"] = outcome = boolean(np.broadcast_to(decided, (self.n,)), undecided)
        if kernel.duty is not None:
            instantiate(self, kernel.duty, ctx, subject, outcome, applies & ~self.failed)
            return
        branches = [(decided, kernel.then), (otherwise, kernel.otherwise), (undecided, kernel.unknown)]
        computed = []
        for mask, assignments in branches:
            if not assignments or not mask.any():
                continue
            for assignment, value_kernel in assignments:
                value = value_kernel.fn(ctx)
                self.fail(value.err, mask)
                computed.append((assignment, value, mask))
        for assignment, value, mask in computed:
            mask = mask & ~self.failed
            if mask.any():
                self._apply(assignment, value, env, mask)

    def fail(self, err: np.ndarray | None, where: np.ndarray) -> None:
        """Mark as failed the variants of `where` where `err` holds (the scalar engine raises there)."""
        if err is not None:
            self.failed |= err & where

    def _apply(self, assignment: Any, value: Vec, env: dict, mask: np.ndarray) -> None:
        if not assignment.attr:  # `parameters: changes`
            self._consolidate(value, mask)
            return
        if assignment.target.startswith("$"):
            self._set(assignment.target, assignment.target[1:], assignment.attr, value, mask)
            return
        target = env.get(assignment.target)
        if target.kind != "obj":  # not an event: the scalar engine raises
            self.fail(np.ones(self.n, bool), mask)
            return
        bad = target.special()
        if bad is not None:
            self.fail(bad, mask)
        codes = np.broadcast_to(target.data, (self.n,))
        for code, event in enumerate(target.pool):
            where = mask & (codes == code)
            if bad is not None:
                where = where & ~bad
            if not where.any():
                continue
            if not isinstance(event, Event):
                self.fail(where, where)
                continue
            self._set(event.id, event.type, assignment.attr, value, where)

    def _set(self, key: str, owner: str, attr: str, value: Vec, mask: np.ndarray) -> None:
        self.state.set(key, attr, value, self.now, None if mask.all() else mask)
        if (owner, attr) in self.ruleset.date_triggers:
            if value.kind == "obj" and any(isinstance(v, date) for v in value.pool):
                raise Unsupported("a watched date among values of other kinds")
            alive = mask & _is_date(value)
            if alive.any():
                self.seq += 1
                day = value if value.kind == "date" else Vec("date", np.zeros(1, np.int64))
                self.timers.append(Timer(day, self.seq, owner, attr, key, self.by_id.get(key), alive))

    def _consolidate(self, value: Vec, mask: np.ndarray) -> None:
        """`parameters: changes`: each changed parameter gets a new entry where its change applies."""
        if value.kind == "none":
            return
        if value.kind != "obj":
            self.fail(np.ones(self.n, bool), but_not(mask, either(value.null, value.unk)))
            return
        plain = mask & value.plain()
        for code, changes in enumerate(value.pool):
            where = plain & (value.data == code)
            if not where.any():
                continue
            if not isinstance(changes, dict):
                self.fail(where, where)
                continue
            for name, new in changes.items():
                self.state.set(PARAM_KEY, name, const(new), self.now, where)

    # -- answers -------------------------------------------------------------------------------

    def answer(self, call: Any) -> Vec:
        """A question's answer in every variant, at the end of its `at` day or of the timeline."""
        question = call.definition
        kernel = self.kernels.question(question)
        as_of = call.args.get(question.at) if question.at else None
        env = {name: const(value) for name, value in call.args.items()}
        ctx = VCtx(self, env, const(as_of) if as_of is not None else None, self.now)
        for name, let in kernel.lets:
            env[name] = let.fn(ctx)
        return materialize(kernel.answer.fn(ctx), self.n)


def _is_false(vec: Vec) -> np.ndarray:
    """Where a guard is the value false (a guard that is none or unknown still applies)."""
    if vec.kind == "bool":
        result = ~vec.data
        for mask in (vec.null, vec.unk, vec.err):
            if mask is not None:
                result = result & ~mask
        return result
    if vec.kind == "obj":
        table = np.array([value is False for value in vec.pool])
        result = table[vec.data]
        return result & vec.plain()
    return np.zeros(1, bool)


def _is_date(vec: Vec) -> np.ndarray:
    """Where a value is a date (what makes a watched attribute due)."""
    if vec.kind == "date":
        return vec.plain()
    return np.zeros(1, bool)
