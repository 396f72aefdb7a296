"""Replaying a scenario's events in date order through a compiled rule set.

Stage: evaluation. Imports `state`, `trace`, `horizon`, `checkpoints`, `fused`, `backends`
(their protocol), the clause language's `context` and `ruleset`, and `mou.values`,
`mou.errors`.

`Replay` is the evaluation semantics, shared by every backend: events are
taken in the order of the day they take effect (their `date`, or e.g. the day
a notice is received) and then of their place in the file; a date attribute
that a rule watches (`at: termination_notice.ends_on`) fires at the start of
that day, before that day's events, up to the evaluation horizon (`horizon`).
A backend decides which rules a fact
matches and in which order (`Backend.session`); `Replay.run_rule` then
evaluates the rule: its `let`s, its conditions (three-valued), and its
conclusions, which are written to `State` with the day and the firing that set
them, so that every fact keeps its history and its provenance. A replay for
answers only runs each rule as its `fused` step, and on the native backend
runs the steps of a trigger directly, without asking the backend.
"""

from __future__ import annotations

import heapq
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator, Mapping

from ..errors import Diagnostic, EvaluationError, RuleError
from ..language.context import Ctx, EvalError, Read
from ..language.ruleset import Assignment, Rule, RuleSet
from ..language.wording import fill
from ..values import Event, Unknown, show
from . import checkpoints, periods
from .backends import Backend, Session
from .fused import RULE_FAILURES, Program, program
from .horizon import beyond, scenario_horizon
from .state import BEFORE_TIME, PARAM_KEY, Instance, State
from .trace import ConditionResult, Firing


@dataclass
class Timer:
    """A date attribute's day, due to fire the rules that watch it."""

    day: date
    seq: int
    owner: str
    attr: str
    key: str
    subject: Event | None = field(compare=False, default=None)

    def __lt__(self, other: "Timer") -> bool:
        return (self.day, self.seq) < (other.day, other.seq)


class Replay:
    """The evaluation of one scenario under one set of choices and parameters."""

    def __init__(self, ruleset: RuleSet, events: tuple[Event, ...], choices: Mapping[str, Any],
                 parameters: Mapping[str, Any], explain: bool = True):
        self.ruleset = ruleset
        self.events = events
        self.choices = choices
        self.parameters = parameters
        self.explain = explain
        self.state = State(ruleset, events, parameters)
        self.state.choices = choices
        self.firings: list[Firing] = []
        self.timers: list[Timer] = []
        self.seq = 0
        self.now: date = BEFORE_TIME
        self.subject: Event | None = None
        self.order: list[tuple[date, Event]] = []
        self.by_id = {event.id: event for event in events}
        self.defaulted = ""  # why default events were added to the scenario, if they were
        self.skip_duties = False  # set when no answer asked for reads a duty: their rules need not run
        self.timing: dict[str, tuple[str, date, tuple[Read, ...]]] = {}  # events that take effect later
        self.asked: tuple[date, ...] = ()  # the dates questions ask about: the horizon reaches past them
        self.stopped: list[Diagnostic] = []  # rules that would still run past the horizon
        self.inapplicable: list[tuple[Rule, date]] = []  # explained only: rules whose `applies_if` was false
        self.file, self.stated = "", None  # the scenario's file (for those notes); the day the case is stated (`as_of`)
        self.checkpoints: list[checkpoints.Checkpoint] | None = None  # kept: one after each event (`checkpoints.keep`)
        self.first_read: dict[tuple[str, str], int] = {}  # kept too: (kind, name) → events taken before its first read
        self.fused: Program | None = None  # answers only, on a backend dispatching by trigger: see `fused`
        self.stepper: periods.Stepper | None = periods.Stepper()  # skips repeating cycles of watched dates
        self.skipped: list[tuple[date, date, int]] = []  # (from, to, years) of each stretch skipped
        self.finishing = False  # past the last event (a trunk skips cycles only there: its checkpoints are taken)

    # -- the timeline --------------------------------------------------------------------

    def takes_effect(self, event: Event) -> date:
        """The day `event` takes effect: its date, or what its type's `takes_effect` says."""
        definition = self.ruleset.event_types[event.type]
        if definition.takes_effect is None:
            return event.date
        name, compiled, text = definition.takes_effect
        trace: list | None = [] if self.explain else None
        try:
            day = compiled.fn(Ctx(self.state, self.choices, {"event": event}, trace=trace))
            if not isinstance(day, date):
                raise EvalError(f"{name} ({text}) gave {show(day)}, not a date")
        except RULE_FAILURES as error:
            raise RuleError(definition.location, "event type", event.type, definition.paragraph, event.id,
                            f"{type(error).__name__}: {error}") from error
        self.state.set(event.id, name, day, BEFORE_TIME, None)
        self.timing[event.id] = (name, day, tuple(trace or ()))
        return day

    def schedule(self) -> list[tuple[date, Event]]:
        """Each event with the day it takes effect, in the order they are replayed."""
        dated = sorted(((self.takes_effect(event), event.index, event) for event in self.events),
                       key=lambda item: (item[0], item[1]))
        return [(day, event) for day, _, event in dated]

    def run(self, backend: Backend, trunk: "Replay | None" = None) -> "Replay":
        """Replay every event and every due date attribute, in order, on `backend`.

        `trunk`: a replay that kept checkpoints, whose state after the events
        both begin with this one takes over (`checkpoints`).
        """
        with backend.session(self.ruleset) as session:
            self._fuse(session)
            schedule = self.schedule()
            if self.checkpoints is not None:
                self.state.journal = []  # from here: what `schedule` set, every replay sets for itself
            start = checkpoints.resume(self, trunk, schedule) \
                if trunk is not None and getattr(backend, "resumable", False) else 0
            for day, event in schedule[start:]:
                self._take(session, day, event)
                if self.checkpoints is not None:
                    self.checkpoints.append(checkpoints.taken(self))
            self._finish(session)
        return self

    def _fuse(self, session: Session) -> None:
        """Run the rules of each trigger as the fused steps, if the replay is answers only and `session` allows."""
        if not self.explain and getattr(session, "by_trigger", False):
            self.fused = program(self.ruleset)

    def _take(self, session: Session, day: date, event: Event) -> None:
        """One event taking effect: first the dates due by its day, then the rules it triggers."""
        if self.timers and self.timers[0].day <= day:
            self.fire_timers(session, until=day)
        self.now = day
        self.subject = event
        if self.stepper is not None:
            self.stepper.event_taken()
        self.order.append((day, event))
        self.state.arrive(event, day)
        if self.fused is not None:
            for run in self.fused.on_event.get(event.type, ()):
                run(self)
        else:
            session.dispatch({"kind": "event", "type": event.type, "subject": event.id}, self.run_rule)
        if self.timers and self.timers[0].day <= day:
            self.fire_timers(session, until=day)

    @contextmanager
    def incremental(self, backend: Backend) -> Iterator[Callable[[Event], None]]:
        """Feed events one at a time, in the order they take effect (as a live system would).

        Yields `feed(event)`; the state after each call is what a replay of
        the events fed so far gives up to that event's day. Dates still due
        fire when the block ends.
        """
        if not self.asked:
            self.stepper = None  # no day asked is known yet: skip no cycle a later question could ask about
        with backend.session(self.ruleset) as session:
            self._fuse(session)

            def feed(event: Event) -> None:
                day = self.takes_effect(event)
                if self.order and day < self.order[-1][0]:
                    raise EvaluationError(f"{event.id} takes effect on {day}, before the last event fed")
                self.by_id[event.id] = event
                self.state.learn(event)
                self._take(session, day, event)

            yield feed
            self._finish(session)

    def horizon(self) -> date:
        """The last day whose watched dates fire: see `horizon`, for the events known and the dates asked."""
        return scenario_horizon(self.ruleset, list(self.by_id.values()), [*self.asked, self.now],
                                [*self.parameters.values(), *self.choices.values()])

    def _finish(self, session: Session) -> None:
        """Fire the dates still due, up to the horizon; note the rules that would run past it."""
        if not self.timers:
            return  # nothing left to fire: no horizon to compute
        limit = self.horizon()
        self.finishing = True
        self.fire_timers(session, until=limit)
        for timer in sorted(self.timers):  # one note: the first date still due, with the rules that watch it
            current, _ = self.state.attr(timer.key, timer.attr, None)
            if current != timer.day:
                continue
            rules = self.ruleset.date_triggers.get((timer.owner, timer.attr), ())
            self.stopped.extend(beyond(timer.day, limit, rules, f"{timer.key.lstrip('$')}.{timer.attr}", self.file))
            break

    def fire_timers(self, session: Session, until: date | None) -> None:
        """Fire the date attributes due by `until` (all of them when None)."""
        standing = periods.Standing()  # a watched date set again to the day it fires on would never end
        while self.timers and (until is None or self.timers[0].day <= until):
            if self.stepper is not None and self.stepper.due(self, self.timers[0], until):
                continue  # a new day, noted: cycles may have been skipped, so the next day due may have changed
            timer = standing.fired(self, heapq.heappop(self.timers))
            current, _ = self.state.attr(timer.key, timer.attr, None)
            if current != timer.day:
                continue  # the attribute has changed since: this day no longer applies
            self.now = max(self.now, timer.day)
            self.subject = timer.subject
            if self.fused is not None:
                for run in self.fused.on_date.get((timer.owner, timer.attr), ()):
                    run(self)
            else:
                session.dispatch({"kind": "date", "trigger": f"{timer.owner}.{timer.attr}", "subject": timer.key},
                                 self.run_rule)

    def watch(self, day: date, owner: str, attr: str, key: str) -> None:
        """Schedule the rules watching `owner.attr` (of `key`) to fire on `day`."""
        self.seq += 1
        heapq.heappush(self.timers, Timer(day, self.seq, owner, attr, key, self.by_id.get(key)))

    # -- one rule ----------------------------------------------------------------------

    def run_rule(self, rule: Rule) -> None:
        """Evaluate `rule` on the current fact and apply its conclusions.

        A rule that fails (e.g. compares a date with none) stops the replay
        with a `RuleError` at the rule's place in its clause file: nothing
        computed after it could be trusted as an answer.
        """
        if not self.explain:  # the answers-only evaluation: see `fused`
            program(self.ruleset).steps[id(rule)](self)
            return
        if rule.duty is not None and self.skip_duties:
            return
        subject = self.subject if rule.trigger.kind == "event" or rule.trigger.owner in self.ruleset.event_types \
            else None
        try:
            firing = Firing(len(self.firings), rule, self.now, subject)
            if self._evaluate(rule, firing):
                self.firings.append(firing)
        except RuleError:
            raise
        except RULE_FAILURES as error:
            kind = "duty" if rule.duty is not None else "rule"
            raise RuleError(rule.location, kind, rule.id, rule.paragraph, self._fact_name(subject),
                            f"{type(error).__name__}: {error}") from error

    def _fact_name(self, subject: Event | None) -> str:
        return subject.id if subject is not None else str(self.now)

    def _evaluate(self, rule: Rule, firing: Firing) -> bool:
        """Evaluate a rule; False when its `applies_if` guard says it does not apply."""
        env: dict[str, Any] = {"event": firing.subject} if firing.subject is not None else {}
        trace: list | None = [] if self.explain else None
        ctx = Ctx(self.state, self.choices, env, now=self.now, trace=trace)
        guard_value: Any = True
        if rule.guard is not None:
            guard_value = rule.guard.fn(ctx)
            if guard_value is False:
                self.inapplicable.append((rule, self.now))  # no firing to record it: coverage counts it here
                return False
        lets = []
        for binding in rule.lets:
            value = binding.fn(ctx)
            env[binding.name] = value
            lets.append((binding.name, value))
        let_reads = tuple(trace) if trace is not None else ()
        results = []
        outcome: Any = True
        unknowns = []
        if isinstance(guard_value, Unknown):
            unknowns.append(guard_value)
            if self.explain:
                results.append(ConditionResult(f"applies ({rule.guard.text})", rule.guard.text, guard_value))
        for condition in rule.conditions:
            if trace is not None:
                trace.clear()
            value = condition.fn(ctx)
            if value is not True and value is not False and not isinstance(value, Unknown):
                raise EvalError(f"condition {condition.says!r} gave {show(value)}, not true or false")
            if self.explain:
                results.append(ConditionResult(condition.says, condition.text, value, tuple(trace or ())))
            if value is False:
                outcome = False
                if not self.explain:
                    break  # without an explanation to give, the other conditions cannot change the outcome
            elif isinstance(value, Unknown):
                unknowns.append(value)
        if outcome is True and unknowns:
            outcome = Unknown(frozenset().union(*(u.missing for u in unknowns)))
        env["outcome"] = outcome
        assignments = rule.then if outcome is True else rule.otherwise if outcome is False else rule.unknown
        if trace is not None:
            trace.clear()
        if rule.duty is not None:
            self._instantiate(rule, firing, env, ctx, outcome)
        values = [(assignment, assignment.fn(ctx)) for assignment in assignments]
        effects = []
        for assignment, value in values:
            effects.extend(self._apply(assignment, value, env, firing.index))
        firing.outcome = outcome
        if self.explain:
            firing.lets = tuple(lets)
            firing.let_reads = let_reads
            firing.conditions = tuple(results)
            firing.effects = tuple(effects)
            firing.notes = tuple(_notes(rule, ctx)) if outcome is True else ()  # notes of rules that applied
            firing.subjects = frozenset(value.id for value in [firing.subject, *env.values()]
                                        if isinstance(value, Event))
        return True

    def _instantiate(self, rule: Rule, firing: Firing, env: dict, ctx: Ctx, outcome: Any) -> None:
        """Record one instance of a duty per bearer (also when its conditions fail, for `triggered`)."""
        duty = rule.duty
        bearers = duty.bearers(ctx)
        if isinstance(bearers, Unknown):
            raise EvalError(f"the bearers of {duty.id} are unknown")
        made = []
        for bearer in bearers:
            bound = dict(env, bearer=bearer)
            counterparty = duty.counterparty(Ctx(self.state, self.choices, bound)) if duty.counterparty else None
            bound["counterparty"] = counterparty
            made.append(Instance(duty, firing.subject, bearer, counterparty, outcome, bound, self.now, firing.index))
        self.state.add_instances(made)

    def _apply(self, assignment: Assignment, value: Any, env: dict, source: int) -> list[tuple[str, Any]]:
        """Apply one conclusion (`_set`); what it set, as the explanation lists it (`Firing.effects`)."""
        key = self._set(assignment, value, env, source)
        if not assignment.attr:
            return [] if value is None or isinstance(value, Unknown) else list(value.items())
        return [(f"{key.lstrip('$')}.{assignment.attr}", value)]

    def _set(self, assignment: Assignment, value: Any, env: dict, source: int) -> str:
        """Apply one conclusion to the state, and schedule the day it sets if a rule watches it; the key set."""
        if not assignment.attr:  # `parameters: changes`
            if value is not None and not isinstance(value, Unknown):
                for name, new in value.items():
                    self.state.set(PARAM_KEY, name, new, self.now, source)
            return PARAM_KEY
        if assignment.target.startswith("$"):
            key, owner = assignment.target, assignment.target[1:]
        else:
            target = env.get(assignment.target)
            if not isinstance(target, Event):
                raise EvalError(f"cannot set {assignment.label}: {assignment.target} is {show(target)}, not an event")
            key, owner = target.id, target.type
        self.state.set(key, assignment.attr, value, self.now, source)
        if (owner, assignment.attr) in self.ruleset.date_triggers and isinstance(value, date):
            self.watch(value, owner, assignment.attr, key)
        return key


def _notes(rule: Rule, ctx: Ctx) -> list[str]:
    """The notes of a rule that applied, filled in (their conditions read without a trace)."""
    notes = []
    saved, ctx.trace = ctx.trace, None
    for note in rule.notes:
        if note.fn is None or note.fn(ctx) is True:
            notes.append(fill(note.parts, ctx))
    ctx.trace = saved
    return notes
