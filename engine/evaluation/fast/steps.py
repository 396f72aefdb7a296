"""One rule's two-valued step: its guard, `let`s, conditions, and the conclusions of the branch they lead to.

Stage: evaluation (the fast evaluator of answers). Imports `expressions`, evaluation's
`state` and `trace`, the clause language's `context`, `ruleset` and `types`, and `mou.values`.

A step does what `fused.step` does for the three-valued closures, with every
value known or `Fallback` raised (see `program`): a guard or a condition that
falls back is set aside while the others may still make the outcome false
(Kleene's `and`), and an outcome that would be `unknown` falls back. Nothing
is applied before every value is computed, so a step that falls back can be
run again three-valued on the same state.

What `Replay` decides on each firing is decided here once, when the rule is
compiled: whether the rule reads the fact that fired it, where each
conclusion is written (the agreement's key, or an event bound by name) and
whether a rule watches the attribute it sets (`setter`). The context a step
evaluates in is the replay's own (`FastReplay.ctx`), given the step's
bindings and day: a step allocates its bindings and nothing else.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from ...language import types as T
from ...language.context import Ctx
from ...language.ruleset import Assignment, Rule, RuleSet
from ...values import Event, Unknown
from .. import fused
from ..state import Instance
from .expressions import Failure, Fallback, TwoValued

Replay = Any  # a `program.FastReplay`
Step = Callable[[Replay], None]
Setter = Callable[[Replay, Any, dict, int], None]


def setter(assignment: Assignment, ruleset: RuleSet) -> Setter:
    """How one conclusion writes its value, as `Replay._set` does, decided once."""
    attr = assignment.attr
    target = assignment.target
    if not attr or not target.startswith("$"):  # `parameters: changes`, or an event bound by name
        watched = frozenset(owner for owner, name in ruleset.date_triggers if name == attr)

        def to_event(replay: Replay, value: Any, env: dict, source: int) -> None:
            subject = env.get(target)
            if not attr or subject.__class__ is not Event:
                replay._set(assignment, value, env, source)  # which says what is wrong, if anything is
                return
            key = subject.id
            replay.state.set(key, attr, value, replay.now, source)
            if subject.type in watched and isinstance(value, date):
                replay.watch(value, subject.type, attr, key)

        return to_event
    owner = target[1:]
    if (owner, attr) in ruleset.date_triggers:
        def to_watched(replay: Replay, value: Any, env: dict, source: int) -> None:
            replay.state.set(target, attr, value, replay.now, source)
            if isinstance(value, date):
                replay.watch(value, owner, attr, target)

        return to_watched

    def to_entity(replay: Replay, value: Any, env: dict, source: int) -> None:
        replay.state.set(target, attr, value, replay.now, source)

    return to_entity


def step(rule: Rule, compiler: TwoValued, ruleset: RuleSet) -> Step:
    """One rule's two-valued evaluation, applied to a replay's state (see the module docstring)."""
    compile_ = compiler.text
    trigger = rule.trigger
    takes_subject = trigger.kind == "event" or trigger.owner in ruleset.event_types
    scope = compiler.scope({"event": T.event(trigger.owner)} if takes_subject else {}, today=True)
    guard = compile_(rule.guard.text, scope) if rule.guard is not None else None
    lets = []
    for binding in rule.lets:
        lets.append((binding.name, compile_(binding.text, scope)))
        scope = scope.bind(**{binding.name: compiler.type_of_text(binding.text, scope)})
    lets = tuple(lets)
    conditions = tuple(compile_(condition.text, scope) for condition in rule.conditions)
    decided = scope.bind(outcome=T.BOOL)
    then = tuple((compile_(a.text, decided), setter(a, ruleset)) for a in rule.then)
    otherwise = tuple((compile_(a.text, decided), setter(a, ruleset)) for a in rule.otherwise)
    duty = rule.duty
    owes = None
    if duty is not None:
        later = compiler.scope(dict(scope.bindings))  # as the clause compiler reads them: judged later, no `today`
        owes = (compile_(duty.bearers_text, later),
                compile_(duty.counterparty_text, later.bind(bearer=T.ACTOR)) if duty.counterparty else None)

    three: list[Step] = []  # the three-valued step, compiled the first time this rule meets an unknown

    def run(replay: Replay) -> None:
        try:
            ctx = replay.ctx
            env: dict[str, Any] = {"event": replay.subject} if takes_subject else {}
            ctx.env = env
            ctx.now = replay.now
            pending = False
            if guard is not None:
                try:
                    value = guard(ctx)
                except Fallback:
                    value = pending = True  # unknown: the conditions may still make the outcome false
                if value is False:
                    return
                if value is not True:
                    raise Failure()  # neither true nor false: the three-valued step raises
            for name, fn in lets:
                env[name] = fn(ctx)  # known: every value a closure reads is (see `expressions`)
            outcome = True
            for fn in conditions:
                try:
                    value = fn(ctx)
                except Fallback:
                    pending = True
                    continue
                if value is False:
                    outcome = False
                    break
                if value is not True:
                    raise Failure()
            if outcome and pending:
                raise Fallback()  # the outcome would be unknown: the three-valued step says what follows
            env["outcome"] = outcome
            if duty is not None:
                instantiate(replay, rule, owes, env["event"] if takes_subject else None, env, ctx, outcome)
                return
            branch = then if outcome else otherwise
            if branch:
                values = []
                for fn, _ in branch:  # every value first: a conclusion that falls back leaves nothing applied
                    values.append(fn(ctx))
                source = len(replay.firings)
                for (_, write), value in zip(branch, values):
                    write(replay, value, env, source)
        except (Fallback, Failure):  # this firing, three-valued: the state stays the three-valued replay's,
            if not three:  # and a rule that fails raises its RuleError there
                three.append(fused.step(rule, ruleset))
            three[0](replay)

    return run


def instantiate(replay: Replay, rule: Rule, owes: tuple, subject: Event | None, env: dict, ctx: Ctx,
                outcome: bool) -> None:
    """One instance of a duty per bearer, as `Replay._instantiate` records them: the bearers two-valued (unknown:
    `Fallback`, and the three-valued step says they are unknown), each counterparty two-valued where it is
    known, else as the three-valued closure gives it (`unknown`, kept as the three-valued replay keeps it)."""
    duty = rule.duty
    bearers, counterparty = owes
    found = bearers(ctx)
    now = replay.now
    source = len(replay.firings)
    made = []
    for bearer in found:
        bound = dict(env, bearer=bearer)
        other = None
        if counterparty is not None:
            ctx.env, ctx.now = bound, None
            try:
                other = counterparty(ctx)
            except Fallback:
                other = duty.counterparty(Ctx(replay.state, replay.choices, bound))
            finally:
                ctx.env, ctx.now = env, now
        bound["counterparty"] = other
        made.append(Instance(duty, subject, bearer, other, outcome, bound, now, source))
    replay.state.add_instances(made)


__all__ = ["step", "setter", "instantiate"]
