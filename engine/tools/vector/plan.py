"""The kernels of a rule set: each rule, question and `takes_effect` compiled once, when first needed.

Stage: tools (vectorized sweeps). Imports `kernels`, `duties`, `schema`, and
the clause language's `ruleset` and `types`.

A rule's kernel is its guard, its `let`s, its conditions and its three lists
of conclusions, compiled in the scopes `language.rules` gives them (the
trigger's `event`, the `let`s in order, `today`, `outcome`). Kernels are
built from the compiled rule set only: its expressions' source texts and its
vocabulary. `kernels_for(ruleset)` keeps one set per rule set.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...language import types as T
from ...language.ruleset import Assignment, QuestionDef, Rule, RuleSet
from .duties import DutyKernel, compile_duty
from .kernels import Kernel, KernelCompiler
from .schema import RulesetSchema


@dataclass(frozen=True)
class RuleKernel:
    """A rule, compiled for vectors."""

    rule: Rule
    guard: Kernel | None
    lets: tuple[tuple[str, Kernel], ...]
    conditions: tuple[Kernel, ...]
    then: tuple[tuple[Assignment, Kernel], ...]
    otherwise: tuple[tuple[Assignment, Kernel], ...]
    unknown: tuple[tuple[Assignment, Kernel], ...]
    subject: bool  # whether the rule sees the fact's event as `event`
    duty: DutyKernel | None = None  # for a duty's trigger rule: the duty's own expressions


@dataclass(frozen=True)
class QuestionKernel:
    """A question's `let`s and answer, compiled for vectors."""

    lets: tuple[tuple[str, Kernel], ...]
    answer: Kernel


class RulesetKernels:
    """Every kernel of one rule set, compiled lazily and kept."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.schema = RulesetSchema(ruleset)
        self.compiler = KernelCompiler(self.schema)
        self._rules: dict[int, RuleKernel] = {}
        self._questions: dict[str, QuestionKernel] = {}
        self._takes_effect: dict[str, Kernel] = {}
        self._index: dict[str, tuple[Rule, ...]] = {}
        for rule in ruleset.rules:
            self._index[rule.trigger.key] = self._index.get(rule.trigger.key, ()) + (rule,)

    def rules_for(self, key: str) -> tuple[Rule, ...]:
        """The rules a fact triggers, in rule order (as the native backend matches them)."""
        return self._index.get(key, ())

    def rule(self, rule: Rule) -> RuleKernel:
        """The kernel of a rule."""
        found = self._rules.get(rule.index)
        if found is None:
            found = self._rules[rule.index] = self._compile_rule(rule)
        return found

    def _compile_rule(self, rule: Rule) -> RuleKernel:
        trigger = rule.trigger
        subject = trigger.kind == "event" or trigger.owner in self.ruleset.event_types
        bindings = {"event": T.event(trigger.owner)} if subject else {}
        scope = self.schema.scope(bindings, today=True)
        compile_ = self.compiler.text
        guard = compile_(rule.guard.text, scope) if rule.guard is not None else None
        lets = []
        for binding in rule.lets:
            kernel = compile_(binding.text, scope)
            lets.append((binding.name, kernel))
            scope = scope.bind(**{binding.name: kernel.type})
        conditions = tuple(compile_(condition.text, scope) for condition in rule.conditions)
        decided, undecided = scope.bind(outcome=T.BOOL), scope.bind(outcome=T.ANY)

        def conclusions(assignments, in_scope):
            return tuple((a, compile_(a.text, in_scope)) for a in assignments)

        duty = compile_duty(self.compiler, rule, dict(scope.bindings)) if rule.duty is not None else None
        return RuleKernel(rule, guard, tuple(lets), conditions, conclusions(rule.then, decided),
                          conclusions(rule.otherwise, decided), conclusions(rule.unknown, undecided), subject, duty)

    def question(self, question: QuestionDef) -> QuestionKernel:
        """The kernel of a question."""
        found = self._questions.get(question.name)
        if found is None:
            scope = self.schema.scope({a.name: a.type for a in question.args})
            lets = []
            for binding in question.lets:
                kernel = self.compiler.text(binding.text, scope)
                lets.append((binding.name, kernel))
                scope = scope.bind(**{binding.name: kernel.type})
            found = QuestionKernel(tuple(lets), self.compiler.text(question.answer_text, scope))
            self._questions[question.name] = found
        return found

    def check(self, type_name: str, index: int) -> Kernel:
        """The kernel of an event type's input check number `index`."""
        key = f"{type_name}#{index}"
        found = self._takes_effect.get(key)
        if found is None:
            text = self.ruleset.event_types[type_name].checks[index].text
            scope = self.schema.scope({"event": T.event(type_name)})
            found = self._takes_effect[key] = self.compiler.text(text, scope)
        return found

    def takes_effect(self, type_name: str) -> Kernel:
        """The kernel of an event type's `takes_effect` (the day its events take effect)."""
        found = self._takes_effect.get(type_name)
        if found is None:
            _, _, text = self.ruleset.event_types[type_name].takes_effect
            scope = self.schema.scope({"event": T.event(type_name)})
            found = self._takes_effect[type_name] = self.compiler.text(text, scope)
        return found


_KEPT: dict[int, RulesetKernels] = {}


def kernels_for(ruleset: RuleSet) -> RulesetKernels:
    """The kernels of a rule set (one set kept per rule set)."""
    found = _KEPT.get(id(ruleset))
    if found is None or found.ruleset is not ruleset:
        if len(_KEPT) > 8:
            _KEPT.clear()
        found = _KEPT[id(ruleset)] = RulesetKernels(ruleset)
    return found
