"""Invariants and symmetries: properties every valid scenario must satisfy.

Stage: answers. Imports `explain`, `questions`, scenario files' `model`,
evaluation's `replay`, the clause language's `context`, `ruleset` and
`types`, and `mou.values`, `mou.dates`.

An invariant of the clause files is an expression that must not be `false`
(`unknown` is no violation: the facts do not decide it), judged for each
event of a type (`for_each`) and/or at the end of each day where something
happens and the days around it (`each_day`). A symmetry exchanges the two
parties in a scenario and expects the answers exchanged too. Besides those
the clause files declare, one built-in property holds everywhere: every
answer is a value its question can give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dataclasses import replace

from ..dates import DateError
from ..language.context import Ctx, EvalError
from ..language.ruleset import InvariantDef, RuleSet, SymmetryDef
from ..scenario.builder import answer_type
from ..scenario.model import Scenario
from ..scenario.variants import rebuilt
from ..evaluation.replay import Replay
from ..values import Event, Unknown, show, to_json
from .questions import same, value_of


@dataclass
class Violation:
    """A property that does not hold in a scenario, where, and why."""

    name: str
    paragraph: str
    says: str
    where: str  # e.g. "for n1", "on 2020-11-12"
    detail: str = ""
    explanation: dict | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        """A JSON-ready record."""
        data = {"invariant": self.name, "paragraph": self.paragraph, "says": self.says, "where": self.where,
                "detail": self.detail}
        if self.explanation is not None:
            data["explanation"] = self.explanation
        return data

    def __str__(self) -> str:
        facts = (self.explanation or {}).get("facts", [])
        shown = ", ".join(f"{f['fact']} = {show(f['value'])}" for f in facts)
        detail = self.detail if self.detail.startswith("error") or not self.detail.startswith("false") else ""
        return (f"{self.paragraph} {self.name} fails {self.where}: {self.says}"
                + (f" ({detail})" if detail else "") + (f"; where {shown}" if shown else ""))


def checkpoints(replay: Replay) -> list[date]:
    """The days worth judging: each day an event takes effect or a fact changes, and the days around."""
    days: set[date] = set()
    for day, _ in replay.order:
        days.add(day)
    for firing in replay.firings:
        days.add(firing.day)
    for key in list(getattr(replay.state, "_history", {})):
        days.update(d for d, _, _ in replay.state.changes(*key) if d != date.min)
    around = set()
    for day in days:
        for delta in (-1, 0, 1):
            try:
                around.add(day + timedelta(days=delta))
            except OverflowError:
                continue
    return sorted(d for d in around if d != date.min)


def violations(ruleset: RuleSet, scenario: Scenario, replay: Replay, explain: bool = False,
               plain: list[Any] | None = None) -> list[Violation]:
    """Every invariant of the rule set that fails in this replay, and every ill-typed answer.

    `plain`: the value of each of the scenario's questions in this replay, if already evaluated
    (`check.QuestionResult.raw`); otherwise they are evaluated here.
    """
    found = []
    days = None
    for invariant in ruleset.invariants.values():
        if invariant.each_day and days is None:
            days = checkpoints(replay)
        found.extend(_check(invariant, scenario, replay, days or [], explain))
    if ruleset.standard_invariants:
        from .standard import standard_violations

        found.extend(standard_violations(ruleset, scenario, replay, days if days is not None else checkpoints(replay),
                                         lambda name, paragraph, says, where, detail:
                                         Violation(name, paragraph, says, where, detail)))
    found.extend(_ill_typed(ruleset, scenario, replay, plain))
    return found


def _bindings(invariant: InvariantDef, scenario: Scenario, days: list[date]) -> list[tuple[dict, date | None, str]]:
    events: list[Event | None] = [None]
    if invariant.for_each is not None:
        events = [event for event in scenario.events if event.type == invariant.for_each]
    result = []
    for event in events:
        base = {"event": event} if event is not None else {}
        who = f"for {event.id}" if event is not None else ""
        if invariant.each_day:
            result.extend(({**base, "on": day}, day, f"{who} on {day}".strip()) for day in days)
        else:
            result.append((base, None, who or "in this scenario"))
    return result


def _check(invariant: InvariantDef, scenario: Scenario, replay: Replay, days: list[date],
           explain: bool) -> list[Violation]:
    found = []
    for env, as_of, where in _bindings(invariant, scenario, days):
        try:
            holds = invariant.holds(Ctx(replay.state, replay.choices, dict(env), as_of=as_of))
        except (EvalError, DateError, TypeError) as error:
            found.append(Violation(invariant.name, invariant.paragraph, invariant.says, where, f"error: {error}"))
            continue
        if holds is False:
            explained = None
            if explain:
                from .explain import explain_property  # loaded only to explain (see `check.check`)

                trace: list = []
                invariant.holds(Ctx(replay.state, replay.choices, dict(env), as_of=as_of, trace=trace))
                subjects = {v.id for v in env.values() if isinstance(v, Event)}
                explained = explain_property(replay, trace, subjects, invariant.paragraph, invariant.says, as_of)
            found.append(Violation(invariant.name, invariant.paragraph, invariant.says, where,
                                   f"false: {invariant.text.strip()}", explained))
        if len(found) >= 5:
            break  # enough to show; the first is the one that matters
    return found


def _ill_typed(ruleset: RuleSet, scenario: Scenario, replay: Replay, plain: list[Any] | None) -> list[Violation]:
    """The built-in property: every answer is a value its question can give."""
    found = []
    for index, call in enumerate(scenario.questions):
        value = plain[index] if plain is not None else value_of(replay, call)
        type_ = answer_type(call.definition, call.args, ruleset)
        if value is None or isinstance(value, Unknown):
            continue
        bad = False
        if type_.kind == "bool":
            bad = not isinstance(value, bool)
        elif type_.kind == "date":
            bad = not isinstance(value, date)
        elif type_.kind == "enum":
            bad = value not in type_.values
        elif type_.kind == "list":
            bad = not isinstance(value, tuple)
        if bad:
            found.append(Violation("answers-are-values", ",".join(call.definition.paragraphs),
                                   "every answer is a value its question can give", f"for {call.ask}",
                                   f"{call.ask} answered {to_json(value)!r}, not a {type_}"))
    return found


def swap_parties(value: Any, parties: tuple[str, str], paragraphs: dict[str, str]) -> Any:
    """Scenario data or answers with the two parties exchanged (and paragraphs, both ways)."""
    table = {parties[0]: parties[1], parties[1]: parties[0]}
    for left, right in paragraphs.items():
        table[left], table[right] = right, left
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, (list, tuple)):
        return type(value)(swap_parties(v, parties, paragraphs) for v in value)
    if isinstance(value, dict):
        return {k: swap_parties(v, parties, paragraphs) for k, v in value.items()}
    return value


def symmetry_violations(engine: Any, scenario: Scenario, answers: list[Any],
                        symmetry: SymmetryDef) -> list[Violation]:
    """Whether exchanging the parties in `scenario` exchanges its `answers`, question by question."""
    parties = engine.ruleset.parties
    swap = dict(symmetry.swap_paragraphs)
    duties = any(call.definition.uses_duties for call in scenario.questions)  # only the answers are compared
    mirror = engine.case(exchange_parties(scenario, engine.ruleset), explain=False, duties=duties)
    found = []
    for value, call in zip(answers, mirror.scenario.questions):
        mirrored = mirror.value(call)
        expected = swap_parties(to_json(value), parties, swap)
        if not same(_sets(expected), _sets(to_json(mirrored)), call.definition.unordered):
            found.append(Violation(symmetry.name, symmetry.paragraph, symmetry.says, f"for {call.ask}",
                                   f"{to_json(value)!r} here, but {to_json(mirrored)!r} with the "
                                   f"parties exchanged (expected {expected!r})"))
    return found


def exchange_parties(scenario: Scenario, ruleset: RuleSet) -> Scenario:
    """The scenario with the two parties exchanged wherever a field or argument names a party."""
    first, second = ruleset.parties
    table = {first: second, second: first}

    def swapped(value: Any) -> Any:
        return _exchanged(value, table)

    def fields_of(event: Event) -> tuple[Any, dict[str, Any]]:
        fields = {}
        for name, spec in ruleset.event_types[event.type].fields.items():
            kind = spec.type.item.kind if spec.type.kind == "list" and spec.type.item else spec.type.kind
            fields[name] = swapped(event.fields[name]) if kind == "actor" else event.fields[name]
        return event.date, fields

    mirror = rebuilt(scenario, fields_of, file=f"{scenario.file} (parties exchanged)")
    questions = tuple(replace(call, args={k: v if isinstance(v, Event) else swapped(v) for k, v in call.args.items()},
                              raw_args={k: swapped(v) if not isinstance(call.args.get(k), Event) else v
                                        for k, v in call.raw_args.items()})
                      for call in mirror.questions)
    return replace(mirror, questions=questions)


def _exchanged(value: Any, table: dict[str, str]) -> Any:
    """A field's value with party names exchanged (recursive at module level: an inner one is a reference cycle)."""
    if isinstance(value, str):
        return table.get(value, value)
    if isinstance(value, tuple):
        return tuple(_exchanged(item, table) for item in value)
    return value


def _sets(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(sorted((repr(v) for v in value)))
    return value
