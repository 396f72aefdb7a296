"""Templates of the clause files compiled: plain text with `{expression}` placeholders.

Stage: the clause language, part of the compiler. Imports `compilation`, `context`, `ruleset` and `wording`.

A template (`applied:`, `notes:`, `answers:`, the agenda's `says:`) keeps each
placeholder compiled with its type, so that `wording.fill` can say its value in
words; a `reads:`-like spec is one template for any value or one per value key.
"""

from __future__ import annotations

import re

from .compilation import Compilation
from .context import Scope
from .ruleset import frozen_map
from .wording import NO_WORDING, Template, Wording
from .yamlio import Document

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def template(c: Compilation, doc: Document, path: tuple, text: str, scope: Scope) -> Template:
    """Plain text with `{expression}` placeholders, compiled (each keeps its type, to be said in words)."""
    parts: list = []
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(text[last:match.start()])
        parts.append(c.expr(doc, path, match.group(1), scope))
        last = match.end()
    parts.append(text[last:])
    return tuple(part for part in parts if part != "")


def wording(c: Compilation, doc: Document, path: tuple, spec: str | dict[str, str] | None, scope: Scope) -> Wording:
    """A `reads:` spec compiled: one template for any value, or one per value key."""
    if spec is None:
        return NO_WORDING
    if isinstance(spec, str):
        return Wording({"value": template(c, doc, path, spec, scope)})
    return Wording(frozen_map({key: template(c, doc, path + (key,), text, scope) for key, text in spec.items()}))
