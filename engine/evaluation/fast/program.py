"""A rule set's two-valued program: its rules' steps by trigger, and its questions.

Stage: evaluation (the fast evaluator of answers). Imports `steps`, `facts`,
`horizon`, `expressions`, evaluation's `replay` and `backends.native`, the
clause language's `context`, `ruleset` and `types`.

A rule's step (`steps.step`) does what `fused.step` does for the three-valued
closures, with every value known; a firing that meets an unknown runs
again, that once, as the three-valued `fused.step` on the same state, so the
replay's facts are, after every firing, those of the three-valued replay,
`unknown` included where that replay has it. `FastProgram.table` gives the
lean replay (`lean`) the steps of each trigger, with or without the duty
rules; `FastReplay` runs them through `Replay`'s own loop (cycles stepped
through, checkpoints), for the timelines the lean replay leaves to it.

Each rule and question is compiled the first time a replay needs it, so a
command that answers one scenario compiles only the rules it fires.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

from ...language import types as T
from ...language.context import Ctx
from ...language.ruleset import QuestionDef, Rule, RuleSet, kept_for
from ..backends.native import NativeBackend
from ..replay import Replay
from . import steps
from .expressions import Fn, TwoValued
from .facts import Facts
from .horizon import Walk

Step = Callable[[Replay], None]


class FastProgram:
    """One rule set's two-valued steps by trigger (as `fused.Program` has them) and its questions."""

    def __init__(self, ruleset: RuleSet):
        ruleset = weakref.proxy(ruleset)  # kept per rule set (`kept_for`): it must not keep its rule set alive
        self.ruleset = ruleset
        self.compiler = TwoValued(ruleset)
        self.backend = NativeBackend()  # its sessions hold nothing: one serves every replay of the rule set
        self.on_event: dict[str, tuple[Step, ...]] = {}
        self.on_date: dict[tuple[str, str], tuple[Step, ...]] = {}
        self.questions: dict[str, tuple[tuple[tuple[str, Fn], ...], Fn]] = {}  # compiled so far (`question`)
        self._rules: list[tuple[Rule, Step]] = []
        self._tables: dict[bool, tuple[dict, dict]] = {}
        self._steps: dict[int, Step] = {}  # by the rule's id(): its rules outlive the program (`kept_for`)
        self._walk: Any = None
        self._effects: dict[str, tuple[str, Fn]] | None = None
        for rule in ruleset.rules:
            made = self._lazy(rule)
            self._rules.append((rule, made))
            trigger = rule.trigger
            if trigger.kind == "event":
                self.on_event[trigger.owner] = self.on_event.get(trigger.owner, ()) + (made,)
            else:
                key = (trigger.owner, trigger.attr)
                self.on_date[key] = self.on_date.get(key, ()) + (made,)

    def table(self, duties: bool) -> tuple[dict[str, list[Step]], dict[tuple[str, str], list[Step]]]:
        """The steps by event type and by watched date, of every rule, or (`duties` false) of every rule but
        the duties' (a lean replay's: it never looks at a rule it skips)."""
        found = self._tables.get(duties)
        if found is None:
            on_event: dict[str, list[Step]] = {}
            on_date: dict[tuple[str, str], list[Step]] = {}
            for rule, _ in self._rules:
                if rule.duty is not None and not duties:
                    continue
                trigger = rule.trigger
                key = trigger.owner if trigger.kind == "event" else (trigger.owner, trigger.attr)
                table = on_event if trigger.kind == "event" else on_date
                lists = table.setdefault(key, [])
                lists.append(self._first(rule, [lists]))
            found = self._tables[duties] = (on_event, on_date)
        return found

    @property
    def effects(self) -> dict[str, tuple[str, Fn]]:
        """The two-valued closure of each event type's `takes_effect` (the day it takes effect), made once."""
        if self._effects is None:
            scope = self.compiler.scope
            self._effects = {name: (info.takes_effect[0],
                                    self.compiler.text(info.takes_effect[2], scope({"event": T.event(name)})))
                             for name, info in self.ruleset.event_types.items() if info.takes_effect is not None}
        return self._effects

    @property
    def walk(self) -> Any:
        """Where the horizon of a lean replay looks for dates and durations (`horizon.Walk`), made once."""
        if self._walk is None:
            self._walk = Walk(self.ruleset)
        return self._walk

    def _lazy(self, rule: Rule) -> Step:
        """The step of `rule` for a `FastReplay`, compiled when it first runs (`compiled`)."""
        duty = rule.duty is not None

        def run(replay: Replay) -> None:
            if duty and replay.skip_duties:
                return  # the lean replay's table leaves the duty rules out instead
            self.compiled(rule)(replay)

        return run

    def compiled(self, rule: Rule) -> Step:
        """The two-valued step of `rule` (which runs a firing three-valued where it meets an unknown), made once."""
        found = self._steps.get(id(rule))
        if found is None:
            found = self._steps[id(rule)] = self.step(rule)
        return found

    def _first(self, rule: Rule, lists: list[list[Step]]) -> Step:
        """The step of `rule` in the lean replay's tables: compiled on its first run, when it takes its own place in
        `lists` (so later firings call it directly)."""
        def run(replay: Replay) -> None:
            made = self.compiled(rule)
            for steps_ in lists:
                steps_[:] = [made if item is run else item for item in steps_]
            made(replay)

        return run

    def step(self, rule: Rule) -> Step:
        """One rule's two-valued evaluation, applied to a replay's state (`steps.step`)."""
        return steps.step(rule, self.compiler, self.ruleset)

    def question(self, question: QuestionDef) -> tuple[tuple[tuple[str, Fn], ...], Fn]:
        """A question's `let`s and answer, two-valued."""
        found = self.questions.get(question.name)
        if found is None:
            scope = self.compiler.scope({a.name: a.type for a in question.args})
            lets = []
            for binding in question.lets:
                lets.append((binding.name, self.compiler.text(binding.text, scope)))
                scope = scope.bind(**{binding.name: self.compiler.type_of_text(binding.text, scope)})
            found = self.questions[question.name] = (tuple(lets), self.compiler.text(question.answer_text, scope))
        return found


class FastReplay(Replay):
    """A replay for answers only that runs the two-valued steps (a `Fallback` ends it)."""

    def __init__(self, ruleset: RuleSet, events: Any, choices: Any, parameters: Any, explain: bool = False):
        super().__init__(ruleset, events, choices, parameters, explain)
        self.state.__class__ = Facts  # the same state, with the read by value the two-valued closures use
        self.ctx = Ctx(self.state, self.choices)  # what every step evaluates in, given its bindings and day

    def _fuse(self, session: Any) -> None:
        self.fused = program(self.ruleset)  # every backend's replay is the same facts: the steps run directly


_PROGRAMS: dict[int, FastProgram] = {}
"""The two-valued program of each rule set alive (`kept_for`: closures in memory, never stored on disk)."""


def program(ruleset: RuleSet) -> FastProgram:
    """The two-valued program of a rule set, made the first time it is run."""
    return kept_for(ruleset, _PROGRAMS, FastProgram)
