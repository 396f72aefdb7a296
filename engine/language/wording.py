"""Values and facts in the words of the clause files: how a sentence of an explanation is made.

Stage: the clause language. Imports `context`, `types`, `mou.values` and
`mou.dates`.

A clause file says how its facts read (`reads:` on fields, attributes,
definitions and parameters; words for enum values such as `oral: orally`),
and each template is compiled with the types of its placeholders. Here they
are filled in: `say` writes one value in words (an enum value by its words, a
list as "ECO and IOM", a date as 2020-05-12), `fill` a template, `phrase` the
template a `Wording` has for a value (`"true"`, `"false"`, `"none"`, an enum
value, or `"value"` for any).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from ..dates import Duration, format_date
from ..values import Event, Unknown
from . import types as T
from .context import Compiled, Ctx

Template = tuple  # of str and Compiled parts
NOT_KNOWN = "not known"


def say(value: Any, type_: T.Type | None = None) -> str:
    """A value in words: an enum value by its words, lists joined with "and", dates ISO."""
    if isinstance(value, Unknown):
        return NOT_KNOWN
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Event):
        return value.called or value.id
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, (list, tuple)):
        item = type_.item if type_ is not None and type_.kind == "list" else None
        return join([say(v, item) for v in value]) if value else "none"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {say(item)}" for key, item in value.items())
    if type_ is not None and type_.kind == "enum" and type_.words and value in type_.values:
        return type_.words[type_.values.index(value)]
    return str(value)


def join(items: list[str], word: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def fill(template: Template, ctx: Ctx, noted: bool = False) -> str:
    """A compiled template with its placeholders evaluated and written in words; `noted`: what they read is
    noted in the context's trace (what the words of a reason rest on), which otherwise it is not."""
    saved, ctx.trace = ctx.trace, ctx.trace if noted else None  # (words are not reads an explanation shows)
    try:
        # a list, not a generator: `join` makes one of a generator anyway, and explanations fill thousands
        return "".join([part if isinstance(part, str) else _said(part.fn(ctx), part.type, ctx) for part in template])
    finally:
        ctx.trace = saved


def _said(value: Any, type_: T.Type, ctx: Ctx) -> str:
    """`say`, with a parameter named by what it is ("the notice period (IX.3)"), never by its dotted name."""
    ruleset = getattr(ctx.store, "ruleset", None)
    if ruleset is None or type_ is None:
        return say(value, type_)
    if type_.kind == "changes" and isinstance(value, dict):
        return join([f"{parameter_words(ruleset, name)}: {say(item)}" for name, item in value.items()]) or "none"
    if type_.kind == "enum" and type_.name == "parameter" and isinstance(value, str):
        return parameter_words(ruleset, value)
    return say(value, type_)


def parameter_words(ruleset: Any, name: str) -> str:
    """A parameter in words: what it is and its paragraph, e.g. "the length of the notice of termination (IX.3)"."""
    parameter = ruleset.parameters.get(name)
    if parameter is None or not parameter.says:
        return name
    return f"{parameter.says} ({parameter.paragraph})"


def key_of(value: Any) -> str:
    """The key a wording is looked up by: `true`, `false`, `none`, `unknown`, the text value, or a count."""
    if isinstance(value, Unknown):
        return "unknown"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "none"
    if isinstance(value, tuple) and not value:
        return "none"  # an empty list: worded as none where a template says so, else as any value
    if isinstance(value, int):
        return str(value)  # a count may be worded for itself ("0": "none is running"), else by `value`
    return value if isinstance(value, str) else "value"


@dataclass(frozen=True)
class Wording:
    """How a fact reads: templates by the value's key, with `value` for any value."""

    templates: Mapping[str, Template]

    def template_for(self, value: Any) -> Template | None:
        """The template for this value (its own key, else `value`), or None."""
        found = self.templates.get(key_of(value))
        if found is None and key_of(value) != "unknown":
            found = self.templates.get("value")
        return found

    def phrase(self, value: Any, ctx: Ctx) -> str | None:
        """The sentence for this value (bound as `value` in the fresh `ctx` given), or None without a template."""
        template = self.template_for(value)
        if template is None:
            return None
        ctx.env["value"] = value
        return fill(template, ctx)


NO_WORDING = Wording({})


def constant_template(text: str) -> Template:
    """A template without placeholders."""
    return (text,) if text else ()


def is_template_part(part: Any) -> bool:
    """Whether a template part is a compiled placeholder (else it is literal text)."""
    return isinstance(part, Compiled)
