"""Validators of scenario values: dates, durations, booleans, enums, titles, party names, their typos and look-alikes.

Stage: scenario files. Imports `mou.dates`, `mou.errors` and the clause
language's `types`.

Each validator turns a value as YAML wrote it into an engine value, or raises
a pydantic custom error whose message says what was found and what was
expected. They are plain functions, used by the pydantic models (`models`)
and by `fastpath` alike; pydantic is imported only to raise an error.
`shown` writes a value back as YAML would, for those messages.
A name that only looks like a party or an area id (Cyrillic, Greek,
full-width or zero-width characters) is refused as a typo is
(`mou.errors.lookalike`, the UTS #39 skeleton).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Callable

from .. import dates
from ..errors import lookalike, suggest, why_lookalike
from ..language import types as T

_FIELD = re.compile(r"\{([A-Za-z_]+)\}")


def fill(template: str, item: Any, words: Callable[[str, Any], str] | None = None) -> str:
    """An `ask:` text with `{field}` replaced by the event's value of that field (in `words(field, value)`,
    where given: an enum value by its words)."""
    def value(match: re.Match) -> str:
        found = getattr(item, alias(match.group(1)), None)
        if words is not None and found is not None and match.group(1) not in ("id", "date"):
            return words(match.group(1), found)
        if isinstance(found, list):
            return ", ".join(map(str, found)) if found else "none"
        return "none" if found is None else str(found)

    return _FIELD.sub(value, template)


def shown(value: Any) -> str:
    """A value as YAML writes it, for messages: null, true, 'text', [a, b]."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value[:5]) + (", …" if len(value) > 5 else "") + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in list(value.items())[:5]) + "}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def describe(type_: T.Type) -> str:
    """What a value of `type_` looks like, for "expected …" messages."""
    return {"date": "a date written YYYY-MM-DD, e.g. 2009-01-27",
            "duration": "a duration such as '6 months', '30 days' or '1 year'",
            "bool": "true or false", "int": "a whole number", "actor": "a party or another name",
            "enum": f"one of {', '.join(map(str, type_.values))}", "list": "a list"}.get(type_.kind, "text")


def _custom(message: str) -> Exception:
    """The error a validator raises: pydantic's custom error, whose message the reader shows as it is."""
    from pydantic_core import PydanticCustomError  # only when there is a problem to word (see `fastpath`)

    return PydanticCustomError("mou", message)


def _edit_distance_one(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def actor_validator(parties: tuple[str, ...]):
    """Accept any name, but refuse one that is almost certainly a misspelt party, or its Unicode look-alike."""

    def check(value: str) -> str:
        twin = lookalike(value, parties)
        if twin is not None:
            raise _custom(f"{value!r} is not a party; did you mean {twin!r}? ({why_lookalike(value, twin)})")
        for party in parties:
            if value != party and (value.casefold() == party.casefold() or _edit_distance_one(value, party)):
                raise _custom(f"{value!r} is not a party; did you mean {party!r}? "
                              f"(the parties are {', '.join(parties)}; other names are non-parties)")
        if not value.strip():
            raise _custom("a name cannot be empty")
        return value

    return check


def date_value(value: Any) -> date:
    if isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise _custom(f"expected a date written YYYY-MM-DD, e.g. 2009-01-27; got {shown(value)}")
    try:
        return dates.parse_date(value)
    except dates.DateError as error:
        raise _custom(str(error)) from None


def duration_value(value: Any) -> dates.Duration:
    if not isinstance(value, str):
        raise _custom(f"expected a duration such as '6 months', '30 days' or '1 year'; got {shown(value)}")
    try:
        return dates.parse_duration(value)
    except dates.DateError as error:
        raise _custom(str(error)) from None


def enum_validator(type_: T.Type):
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in type_.values:
            hint = suggest(value, type_.values) if isinstance(value, str) else ""
            raise _custom(f"{shown(value)} is not a {type_}{hint}; "
                          f"expected one of {', '.join(map(str, type_.values))}")
        return value

    return check


def text_value(value: Any) -> str:
    if not isinstance(value, str):
        raise _custom(f"expected text, got {shown(value)}")
    return value


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def title_value(value: Any) -> str:
    """A title: one line of text, without control characters (a YAML escape such as \\e can write them)."""
    value = text_value(value)
    control = _CONTROL.search(value)
    if control:
        raise _custom(f"a title is one line of text without control characters; this one has U+{ord(control.group()):04X} "
                      f"at character {control.start() + 1}")
    return value


def bool_value(value: Any) -> bool:
    if not isinstance(value, bool):
        hint = " (YAML 1.2: write true or false; yes, no, on and off are text)" \
            if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n") else ""
        raise _custom(f"expected true or false, got {shown(value)}{hint}")
    return value


def typo_validator(type_: T.Type):
    """Refuse text that looks like a misspelt value of an enum (`iiv`, `II`, `xi` for the areas i–x, `ііі` in Cyrillic)."""
    values = tuple(map(str, type_.values))
    letters = set("".join(values).lower())
    folded = {value.casefold(): value for value in values}

    def check(value: str) -> str:
        if value in values:
            return value
        twin = lookalike(value, values)
        if twin is not None:
            raise _custom(f"{value!r} looks like the {type_} id {twin!r} but is not it ({why_lookalike(value, twin)}); "
                          f"did you mean {twin!r}? (the {type_} ids are {', '.join(values)})")
        near = folded.get(value.casefold())
        if near is None and value and set(value.lower()) <= letters:
            near = next((v for v in values if _edit_distance_one(value.lower(), v)), None)
        if near is not None:
            raise _custom(f"{value!r} looks like a misspelt {type_}; did you mean {near!r}? "
                          f"(the {type_} ids are {', '.join(values)}; other text is taken as free text)")
        return value

    return check


_RESERVED = {"from", "in", "is", "not", "and", "or", "if", "else", "for", "def", "class", "return", "global",
             "import", "with", "as", "del", "pass", "raise", "try", "while", "lambda", "yield", "assert",
             "break", "continue", "except", "finally", "nonlocal", "elif", "async", "await", "True", "False",
             "None"}


@lru_cache(maxsize=4096)
def alias(name: str) -> str:
    """The Python-safe field name of a YAML key (`from` → `from_`, dots → `__`)."""
    safe = name.replace(".", "__")
    return safe + "_" if safe in _RESERVED or safe.startswith("model_") else safe
