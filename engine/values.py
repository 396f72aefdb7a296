"""Run-time values: three-valued logic, missing facts, and scenario events.

Stage: after dates and types. Imports `dates`.

`unknown` is a value, not an error: an `Unknown` carries the set of `Missing`
facts that would decide it, so an answer can say which facts to state.
Boolean operators follow Kleene's strong three-valued logic: `false and
unknown` is `false`, `true and unknown` is `unknown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import Duration, format_date


@dataclass(frozen=True, order=True)
class Missing:
    """A fact that the scenario does not give and that would decide an answer."""

    subject: str  # an event id, or "interpretation"
    name: str  # the field or choice
    ask: str = field(default="", compare=False)  # plain words: what is not stated ("whether …")

    def __str__(self) -> str:
        if self.ask:
            return self.ask
        return f"`{self.name}` of {self.subject}"


class Unknown:
    """The value `unknown`, with the facts that would decide it."""

    __slots__ = ("missing",)

    def __init__(self, missing: frozenset[Missing] = frozenset()):
        self.missing = missing

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        raise TypeError("unknown has no truth value; test with is_unknown()")


def is_unknown(value: Any) -> bool:
    """Whether `value` is `unknown`."""
    return isinstance(value, Unknown)


def unknown_of(*values: Any) -> Unknown:
    """An `unknown` that carries the missing facts of every unknown among `values`."""
    missing: frozenset[Missing] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            missing |= value.missing
    return Unknown(missing)


@dataclass(eq=False)
class Event:
    """One event of a scenario, validated: its fields hold engine values.

    A field the scenario leaves out and that has no default holds an
    `Unknown` naming that field, so reading it gives `unknown`.
    """

    id: str
    type: str
    date: date
    fields: dict[str, Any]
    index: float  # position in the file (implied events come first); a variant listing one elsewhere in its day: x.5
    location: Any = None  # errors.Location of the event in its file
    implied: bool = False  # added by the clauses (e.g. the signed original)
    copied: dict[str, str] = field(default_factory=dict)  # fields left out that copy another (received ← date)
    defaulted: frozenset = frozenset()  # fields left out that took their default (copies included)
    called: str = ""  # how a sentence names an implied event (e.g. a signature of the signed original), else its id

    def __repr__(self) -> str:
        return f"<{self.type} {self.id} {self.date}>"


def to_json(value: Any) -> Any:
    """An engine value as JSON: dates as ISO text, unknown as "unknown"."""
    if isinstance(value, Unknown):
        return "unknown"
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Event):
        return value.id
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if hasattr(value, "to_json"):
        return value.to_json()
    return str(value)


def show(value: Any) -> str:
    """An engine value in plain words, for explanations."""
    if isinstance(value, Unknown):
        return "unknown"
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(item) for item in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {show(item)}" for key, item in value.items())
    if isinstance(value, Event):
        return value.id
    if isinstance(value, date):
        return format_date(value)
    return str(value)
