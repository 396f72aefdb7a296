"""Static types of the clause language, checked when clause files compile.

Stage: the clause language. Imports `mou.dates` and `mou.errors` (for `to_value`).

Every expression has a type, so that `event.form == 'leter'`, `event.fromm`
or `event.date + 'x'` are compile errors with a location, not wrong answers.
Every type admits `null` ("none": a definite absence) and, at run time,
`unknown` (a fact the scenario does not give).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .. import dates
from ..errors import suggest


@dataclass(frozen=True)
class Type:
    """A type: `kind` plus, for some kinds, a name, allowed values or an item type."""

    kind: str  # bool int text date duration actor enum list event entity null choice any
    name: str = ""
    values: tuple = ()
    item: "Type | None" = None
    events: frozenset = frozenset()
    words: tuple = ()  # for an enum: how each value reads in a sentence (parallel to `values`), if given

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list of {self.item}"
        if self.kind == "enum":
            return self.name or "one of " + ", ".join(map(str, self.values))
        if self.kind == "event":
            return " or ".join(sorted(self.events)) + " event"
        if self.kind == "entity":
            return self.name
        return self.kind


BOOL = Type("bool")
INT = Type("int")
TEXT = Type("text")
DATE = Type("date")
DURATION = Type("duration")
ACTOR = Type("actor")
NULL = Type("null")
ANY = Type("any")
CHOICES = Type("choice")


def enum(name: str, values, words=()) -> Type:
    """A closed set of text values, e.g. the forms of communication (`words`: how each reads)."""
    return Type("enum", name=name, values=tuple(values), words=tuple(words))


def list_of(item: Type) -> Type:
    """A list whose items have type `item`."""
    return Type("list", item=item)


def event(*names: str) -> Type:
    """A reference to an event of one of the given types."""
    return Type("event", events=frozenset(names))


def entity(name: str) -> Type:
    """A named entity with attributes, such as the agreement itself."""
    return Type("entity", name=name)


def textlike(t: Type) -> bool:
    """Whether values of `t` are text at run time."""
    return t.kind in ("text", "actor", "enum")


def comparable(a: Type, b: Type) -> bool:
    """Whether `==` between the two types can ever be true (checked at compile time)."""
    if ANY in (a, b) or NULL in (a, b):
        return True
    if textlike(a) and textlike(b):
        return True
    if a.kind == "list" and b.kind == "list":
        return comparable(a.item or ANY, b.item or ANY)
    if a.kind == "event" and b.kind == "event":
        return bool(a.events & b.events)
    return a.kind == b.kind


def orderable(a: Type, b: Type) -> bool:
    """Whether `<` between the two types is defined."""
    if ANY in (a, b):
        return True
    return a.kind == b.kind and a.kind in ("date", "int", "duration")


def join(a: Type, b: Type) -> Type | None:
    """The type of a value that is either an `a` or a `b` (None when they do not mix)."""
    if a == b or b == NULL:
        return a
    if a == NULL:
        return b
    if ANY in (a, b):
        return ANY
    if textlike(a) and textlike(b):
        return TEXT if a.kind != b.kind or a.kind != "enum" else enum("", sorted(set(a.values) | set(b.values)))
    if a.kind == "event" and b.kind == "event":
        return Type("event", events=a.events | b.events)
    if a.kind == "list" and b.kind == "list":
        item = join(a.item or ANY, b.item or ANY)
        return list_of(item) if item else None
    return None


def to_value(value: Any, type_: Type, parties: Iterable[str] = ()) -> Any:
    """A plain YAML value as an engine value of `type_`; ValueError with a message if it does not fit."""
    kind = type_.kind
    if value is None:
        return None
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        return value
    if kind == "date":
        try:
            return dates.parse_date(value)
        except dates.DateError as error:
            raise ValueError(str(error)) from None
    if kind == "duration":
        try:
            return dates.parse_duration(value)
        except dates.DateError as error:
            raise ValueError(str(error)) from None
    if kind in ("text", "actor"):
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value
    if kind == "enum":
        if value not in type_.values:
            raise ValueError(f"{value!r} is not a {type_}{suggest(str(value), type_.values)}; "
                             f"expected one of {', '.join(map(str, type_.values))}")
        return value
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return tuple(to_value(item, type_.item or ANY, parties) for item in items)
    return value
