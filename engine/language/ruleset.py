"""The compiled rule set: a checked, immutable value that backends run.

Stage: after closures. Imports `closures`, `types`, `errors`.

`compiler.compile_corpus` builds a `RuleSet` from clause files; nothing in it
changes afterwards (frozen dataclasses, tuples, read-only mappings). Every
rule carries the paragraph it cites and the place in the clause file where it
was written.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ..errors import Location
from . import types as T
from .context import Compiled, DefinitionInfo, Fn
from .wording import NO_WORDING, Template, Wording

NO_DEFAULT = object()
"""Marks a field without a default: when absent, it is `unknown`."""

DUTY_STATUSES = ("not_triggered", "active", "fulfilled", "excused", "violated", "lapsed", "unknown")
"""The statuses of a duty instance on a date (see `evaluation.duties`)."""


def frozen_map(items: Mapping) -> Mapping:
    """A read-only copy of a mapping."""
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the signed text."""

    id: str
    text: str
    article: str
    location: Location


@dataclass(frozen=True)
class Parameter:
    """A parameter of the text (e.g. `IX.3.notice_period`) with its default."""

    name: str
    type: T.Type
    default: Any
    paragraph: str
    source: str
    says: str
    location: Location
    reads: Wording = NO_WORDING
    stands_in: str = ""  # the words of the paragraph that state the value (e.g. `six months`)


@dataclass(frozen=True)
class Choice:
    """An interpretive choice with its default, alternatives and the reason for the default."""

    name: str
    type: T.Type
    values: tuple
    default: Any
    paragraph: str
    source: str
    means: Mapping[str, str]
    unset: str
    location: Location

    @property
    def alternatives(self) -> tuple:
        """The values other than the default."""
        return tuple(value for value in self.values if value != self.default)


@dataclass(frozen=True)
class FieldDef:
    """A field of an event type."""

    name: str
    type: T.Type
    type_text: str
    required: bool
    default: Any  # an engine value, ("field", name) to copy another field, or NO_DEFAULT
    says: str
    ask: str
    typos_of: Any = None  # an enum type: text that looks like a misspelt value of it is refused
    reads: Wording = NO_WORDING
    varies: bool = True  # false: counterfactuals leave it as given (who an act is for)
    free_text: str = ""  # what an `ask:` adds after items that are free text, not values of `typos_of`


@dataclass(frozen=True)
class AttributeDef:
    """A derived fact, with its type and initial value."""

    name: str
    type: T.Type
    initial: Any
    says: str
    reads: Wording = NO_WORDING
    brief: bool = False  # stands as one line in the reasons of an answer about something else
    ahead: Wording = NO_WORDING  # how it reads where the facts make it so only after the day the case is stated


@dataclass(frozen=True)
class DefinitionDef:
    """A named definition of the clause files, with what it means in words."""

    name: str
    params: tuple[str, ...]
    type: T.Type
    says: str
    paragraph: str
    reads: Wording = NO_WORDING
    ahead: Wording = NO_WORDING  # how it reads of a day after the one the case is stated on


@dataclass(frozen=True)
class CheckDef:
    """An input check on events of one type."""

    fn: Fn
    text: str
    message: str
    field: str


@dataclass(frozen=True)
class EventTypeDef:
    """An event type: its fields, its derived attributes, and when it takes effect."""

    name: str
    paragraph: str
    says: str
    fields: Mapping[str, FieldDef]
    attributes: Mapping[str, AttributeDef]
    takes_effect: tuple[str, Compiled, str] | None  # (attribute name, closure, source text)
    checks: tuple[CheckDef, ...]
    location: Location
    date_reads: Wording = NO_WORDING
    noun: str | None = None  # a sentence names an event of this type “the NOUN ID”
    called: str | None = None  # or by its fields, “{party}'s signature of {date}” (the id only where two agree)



@dataclass(frozen=True)
class Condition:
    """One condition of a rule, with its plain-words label."""

    says: str
    text: str
    fn: Fn
    location: Location


@dataclass(frozen=True)
class Binding:
    """A `let` of a rule: a named derived value."""

    name: str
    text: str
    fn: Fn


@dataclass(frozen=True)
class Assignment:
    """One conclusion of a rule: set `attr` of the entity `target` (a binding or an entity) to a value.

    `attr` is empty for `parameters: changes`, which consolidates parameters.
    """

    target: str  # a binding name (e.g. `event`) or an entity key (e.g. `$agreement`)
    attr: str
    text: str
    fn: Fn
    label: str  # as written, e.g. `event.valid`


@dataclass(frozen=True)
class NoteDef:
    """A remark added to a firing's explanation when its condition holds."""

    parts: Template  # literal text and compiled placeholders
    fn: Fn | None


@dataclass(frozen=True)
class Trigger:
    """What makes a rule fire: an event of a type, or the day a date attribute names."""

    kind: str  # "event" or "date"
    owner: str  # event type name, or entity name for date triggers on entities
    attr: str = ""

    @property
    def key(self) -> str:
        """A stable text key, used by backends to match facts to rules."""
        return f"event:{self.owner}" if self.kind == "event" else f"date:{self.owner}.{self.attr}"

    def __str__(self) -> str:
        return f"on {self.owner}" if self.kind == "event" else f"at {self.owner}.{self.attr}"


@dataclass(frozen=True)
class SettlementDef:
    """Acts that settle a duty instance (see model.Settlement)."""

    act: str
    match: Fn
    until: Fn | None
    outcomes: tuple[tuple[str, Fn, str], ...]  # (status, condition, source text)
    match_text: str
    # When `match` requires `act.FIELD == expression` (the expression not reading `act`), acts are
    # looked up by that field's value instead of scanned: `index_field` is FIELD, `index_key` the expression.
    index_field: str = ""
    index_key: Fn | None = None
    until_text: str = ""  # source texts, for tools that compile them again (vectorized sweeps)


@dataclass(frozen=True)
class UpcomingDef:
    """How the agenda says what an `at:` rule will do on the day it watches (see model.Upcoming)."""

    says: Template
    party: Fn | None
    location: Location | None = None


@dataclass(frozen=True)
class ActDef:
    """An act a party could take (see model.Act): the event type, how it reads after “had”, its fields."""

    type: str
    says: Template
    fields: tuple[tuple[str, Fn], ...]


@dataclass(frozen=True)
class AwaitsDef:
    """The act an `on:` rule waits for, as the agenda lists it while pending (see model.Awaits)."""

    says: Wording  # by the value of `until`: `value` or `none`
    for_each: str | None
    when: Fn | None
    party: Fn | None  # an actor or a list of actors
    until: Fn | None
    kind: str  # awaiting | deadline
    location: Location | None = None
    act: ActDef | None = None  # the act awaited, as an event (for counterfactuals)


@dataclass(frozen=True)
class DutyAgendaDef:
    """How the agenda says an open duty instance (see model.DutyAgenda)."""

    says: Wording  # by status: `active`, `unknown`, `violated`
    due: Fn | None
    location: Location | None = None


@dataclass(frozen=True)
class DutyDef:
    """A compiled duty: its trigger rule is in `RuleSet.rules`; the rest is judged on a date."""

    id: str
    paragraph: str
    says: str
    kind: str  # obligation | conduct
    trigger: Trigger
    bearers: Fn
    counterparty: Fn | None
    anticipated: bool
    settlement: SettlementDef | None
    deadline: Fn | None
    deadline_text: str
    violated_if: Fn | None
    violated_if_text: str
    lapses_after: Fn | None
    listed: bool
    location: Location
    awaits: str = ""  # what settles an instance, in words
    breach: str = ""  # what `violated_if` means, in words
    bearers_text: str = ""  # source texts, for tools that compile them again (vectorized sweeps)
    counterparty_text: str = ""
    lapses_after_text: str = ""
    agenda: DutyAgendaDef | None = None  # how the agenda lists an open instance
    reads: Wording = NO_WORDING  # what an instance's status says in an explanation, by status
    act: ActDef | None = None  # the act that meets it, as an event (for counterfactuals)
    statuses: tuple[tuple[str, str], ...] = ()  # (status, its words in a list of duties), where the duty words its own


@dataclass(frozen=True)
class Rule:
    """A compiled rule. `index` orders rules that fire on the same fact."""

    id: str
    index: int
    paragraph: str
    says: str
    trigger: Trigger
    lets: tuple[Binding, ...]
    conditions: tuple[Condition, ...]
    then: tuple[Assignment, ...]
    otherwise: tuple[Assignment, ...]
    unknown: tuple[Assignment, ...]
    notes: tuple[NoteDef, ...]
    location: Location
    kind: str = "effect"  # power | permission | definition | effect | obligation | conduct
    guard: Condition | None = None  # `applies_if`: when false, the rule does not apply
    duty: DutyDef | None = None  # for a duty's trigger rule: the duty whose instances it creates
    requires: str = ""  # what it asks for, as a noun phrase its conditions complete (e.g. `a request`)
    applied: Template = ()  # what happened when it applied, in words
    upcoming: UpcomingDef | None = None  # for an `at:` rule: what the agenda says it will do
    awaits: AwaitsDef | None = None  # for an `on:` rule: the act it waits for, as the agenda lists it
    rests_on: str = ""  # the interpretive choice the rule exists by: its reasons cite it and its authority
    branches: Mapping[str, Location] = field(default_factory=dict)  # `then`/`else`/`unknown` → where written
    unreachable: Mapping[str, str] = field(default_factory=dict)  # coverage item → why no scenario reaches it


@dataclass(frozen=True)
class InvariantDef:
    """A compiled invariant (see model.Invariant)."""

    name: str
    paragraph: str
    says: str
    for_each: str | None
    each_day: bool
    holds: Fn
    text: str
    location: Location


@dataclass(frozen=True)
class SymmetryDef:
    """A compiled symmetry (see model.Symmetry)."""

    name: str
    paragraph: str
    says: str
    swap_paragraphs: Mapping[str, str]
    location: Location


@dataclass(frozen=True)
class Argument:
    """A question argument."""

    name: str
    type: T.Type
    type_text: str
    says: str
    default: Fn | None = None


@dataclass(frozen=True)
class QuestionDef:
    """A question, its arguments, and its compiled answer."""

    name: str
    paragraphs: tuple[str, ...]
    says: str
    args: tuple[Argument, ...]
    at: str | None
    answer: Compiled
    answer_text: str
    unordered: bool
    answers: Mapping[str, Template]
    location: Location
    lets: tuple[Binding, ...] = ()
    uses_duties: bool = True  # whether its answer reads duty instances (else duty rules may be skipped)
    answer_locations: Mapping[str, Location] = field(default_factory=dict)  # `answers:` key → where written
    unreachable: Mapping[str, str] = field(default_factory=dict)  # `answers:` key → why no scenario reaches it
    asks: Template = ()  # the question as a person asks it (a memo's heading)
    verdicts: Mapping[str, Any] = field(default_factory=dict)  # the answer in a word or two, per value (templates)
    would: Mapping[str, Template] = field(default_factory=dict)  # key → the answer as what would follow
    because: Mapping[str, tuple[tuple[Fn | None, Template], ...]] = field(default_factory=dict)  # key → (if, says)


@dataclass(frozen=True)
class RuleSet:
    """Everything compiled from the clause files of one agreement."""

    agreement: str
    title: str
    short_name: str
    parties: tuple[str, ...]
    paragraphs: Mapping[str, Paragraph]
    enums: Mapping[str, T.Type]
    parameters: Mapping[str, Parameter]
    choices: Mapping[str, Choice]
    entity_attributes: Mapping[str, Mapping[str, AttributeDef]]
    event_types: Mapping[str, EventTypeDef]
    rules: tuple[Rule, ...]
    duties: Mapping[str, DutyDef]
    questions: Mapping[str, QuestionDef]
    default_events: tuple[str, str, tuple[dict, ...]] | None  # (unless type, says, events)
    date_triggers: Mapping[tuple[str, str], tuple[Rule, ...]]
    files: tuple[str, ...] = field(default=())
    signed_text: str = ""
    layout: tuple[str, ...] = field(default=())
    titles: Mapping[str, str] = field(default_factory=dict)  # article → heading
    invariants: Mapping[str, InvariantDef] = field(default_factory=dict)
    symmetries: Mapping[str, SymmetryDef] = field(default_factory=dict)
    definitions: Mapping[str, DefinitionDef] = field(default_factory=dict)
    durations: tuple = ()  # every period the rules can add to a date: written in them, or a parameter's default
    sha256: str = ""  # of the clause files as compiled (the manifest, each file, the signed text)
    compiled_definitions: Mapping[str, DefinitionInfo] = field(default_factory=dict)  # name → closure and source text
    default_names: Mapping[str, str] = field(default_factory=dict)  # default event id → how a sentence names it
    standard_invariants: bool = False  # the manifest's `invariants: standard` (answers.standard judges them)
    default_before: str = ""  # the default events' `before`: `says` for a day before them all, with `{day}`

    @cached_property
    def initial_event_attributes(self) -> Mapping[str, Mapping[str, Any]]:
        """Event type → attribute → the value it has before any rule sets it."""
        return frozen_map({name: frozen_map({attr: a.initial for attr, a in definition.attributes.items()})
                           for name, definition in self.event_types.items()})

    def rules_for(self, key: str) -> tuple[Rule, ...]:
        """The rules whose trigger has this key, in order."""
        return tuple(rule for rule in self.rules if rule.trigger.key == key)

    @property
    def default_choices(self) -> dict[str, Any]:
        """Every choice at its default."""
        return {name: choice.default for name, choice in self.choices.items()}


def kept_for(ruleset: RuleSet, cache: dict[int, Any], make: Callable[[RuleSet], Any]) -> Any:
    """`make(ruleset)`, made once per rule set and kept in `cache` (by its id()) for as long as it lives.

    For what every replay of a rule set starts from (its fused steps, its
    choices' defaults, its facts' initial values). What `make` returns must
    not hold the rule set, or the rule set would never go, nor its entry.
    """
    found = cache.get(id(ruleset))
    if found is None:
        found = cache[id(ruleset)] = make(ruleset)
        weakref.finalize(ruleset, cache.pop, id(ruleset), None)
    return found
