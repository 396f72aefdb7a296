"""Answers-only rules as closures, fused per trigger: what the native backend runs without explanations.

Stage: evaluation. Imports `trace`, the clause language's `context` and `ruleset`, and `mou.values`,
`mou.errors`; runs on `replay.Replay`s (which import it).

An answers-only replay (sweeps, benchmarks, the variants of a search) keeps
no trace, so evaluating a rule is: its guard, its `let`s, its conditions
(three-valued), and the conclusions of the branch they lead to. `step(rule)`
is that evaluation as one closure, with everything it needs from the rule
taken out of it once, when the rule set is first run, instead of on every
firing. `Program` holds one step per rule and, for each trigger (an event
type, a watched date attribute), the steps of the rules it fires in rule
order: what the native backend's index would dispatch, looked up once per
fact instead of once per fact and rule. The durable-rules backend matches
rules itself and calls `Replay.run_rule`, which runs the same steps.
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import EvaluationError, RuleError
from ..language.context import RUN_TIME_ERRORS, Ctx, EvalError
from ..language.ruleset import Rule, RuleSet, kept_for
from ..values import Event, Unknown, show
from .trace import Firing

Replay = Any  # a `replay.Replay` (which imports this module)
Step = Callable[[Replay], None]

RULE_FAILURES = (*RUN_TIME_ERRORS, EvaluationError)
"""What a rule can raise while it runs; a rule that raises one of these has failed."""


def step(rule: Rule, ruleset: RuleSet) -> Step:
    """One rule's answers-only evaluation, applied to a replay's state.

    The conclusions are applied only after every value is computed, so a rule
    that fails applies nothing; it raises `RuleError` at its place in its
    clause file.
    """
    duty = rule.duty is not None
    takes_subject = rule.trigger.kind == "event" or rule.trigger.owner in ruleset.event_types
    guard = rule.guard.fn if rule.guard is not None else None
    lets = tuple((binding.name, binding.fn) for binding in rule.lets)
    conditions = tuple((condition.fn, condition.says) for condition in rule.conditions)
    then = tuple((assignment, assignment.fn) for assignment in rule.then)
    otherwise = tuple((assignment, assignment.fn) for assignment in rule.otherwise)
    unknown = tuple((assignment, assignment.fn) for assignment in rule.unknown)
    kind = "duty" if duty else "rule"

    def run(replay: Replay) -> None:
        if duty and replay.skip_duties:
            return
        subject = replay.subject if takes_subject else None
        try:
            env: dict[str, Any] = {"event": subject} if subject is not None else {}
            ctx = Ctx(replay.state, replay.choices, env, now=replay.now)
            unknowns = []
            if guard is not None:
                value = guard(ctx)
                if value is False:
                    return
                if value.__class__ is Unknown:
                    unknowns.append(value)
            for name, fn in lets:
                env[name] = fn(ctx)
            outcome: Any = True
            for fn, says in conditions:
                value = fn(ctx)
                if value is False:
                    outcome = False
                    break
                if value is not True:
                    if not isinstance(value, Unknown):
                        raise EvalError(f"condition {says!r} gave {show(value)}, not true or false")
                    unknowns.append(value)
            if outcome is True and unknowns:
                outcome = Unknown(frozenset().union(*(u.missing for u in unknowns)))
            env["outcome"] = outcome
            source = len(replay.firings)
            if duty:
                replay._instantiate(rule, Firing(source, rule, replay.now, subject), env, ctx, outcome)
                return
            branch = then if outcome is True else otherwise if outcome is False else unknown
            if branch:
                values = [(assignment, fn(ctx)) for assignment, fn in branch]
                for assignment, value in values:
                    replay._set(assignment, value, env, source)
        except RuleError:
            raise
        except RULE_FAILURES as error:
            name = subject.id if isinstance(subject, Event) else str(replay.now)
            raise RuleError(rule.location, kind, rule.id, rule.paragraph, name,
                            f"{type(error).__name__}: {error}") from error

    return run


class Program:
    """A rule set's answers-only steps: one per rule, and those of each trigger in rule order."""

    def __init__(self, ruleset: RuleSet):
        self.steps: dict[int, Step] = {}  # by the rule's id()
        self.on_event: dict[str, tuple[Step, ...]] = {}  # by event type
        self.on_date: dict[tuple[str, str], tuple[Step, ...]] = {}  # by (owner, attribute)
        for rule in ruleset.rules:
            made = self.steps[id(rule)] = step(rule, ruleset)
            trigger = rule.trigger
            if trigger.kind == "event":
                self.on_event[trigger.owner] = self.on_event.get(trigger.owner, ()) + (made,)
            else:
                key = (trigger.owner, trigger.attr)
                self.on_date[key] = self.on_date.get(key, ()) + (made,)


_PROGRAMS: dict[int, Program] = {}
"""The program of each rule set alive (`kept_for`: a step holds its rule, never the rule set)."""


def program(ruleset: RuleSet) -> Program:
    """The steps of a rule set, made the first time it is run."""
    return kept_for(ruleset, _PROGRAMS, Program)
