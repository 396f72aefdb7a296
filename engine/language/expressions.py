"""The clause expression language: `parse(text)` → an immutable syntax tree.

Stage: the clause language, after errors and dates. Imports `syntax`,
`parse_store`, and `grammar` (Lark) only for a text no run has stored.

Conditions, derived values and answers in clause files are written in a small
expression language, parsed by `grammar` with Lark (never `eval`). Example::

    is_party(event.from) and event.to == other(event.from)
    event.given + param('IX.3.notice_period')
    all(p in amendment.accepted_by for p in parties)
    if choice.termination_effect == 'after_period_end' then period_end + 1 day else period_end

Values: `true`, `false`, `null`, integers, 'text', dates `2009-01-27`,
durations `6 months` / `1 day` / `2 years`, lists `[a, b]`.
Operators, loosest first: `if … then … else …`, `or`, `and`, `not`,
comparisons (`== != < <= > >= in`, `not in`), `+ -`, unary `-`, `.field`.
Lists can be built as in Python: `[a for a in area if a in event.topics]`.
Quantifiers, written as in Python: `any(cond for x in xs)`, `all(cond for x in xs)`,
`count(cond for x in xs)`, where `xs` is a list or an event type (the events of
that type so far).
"""

from __future__ import annotations

from functools import lru_cache

from . import parse_store
from .syntax import (KEYWORDS, MAX_DIGITS, MAX_NESTING, Arith, Attr, BoolOp, Call, Compare, Comprehension,
                     ExpressionSyntaxError, IfThen, ListOf, Literal, Name, Negate, Node, Not, Quantifier, is_date,
                     nesting, source, walk)

__all__ = ["KEYWORDS", "MAX_DIGITS", "MAX_NESTING", "Arith", "Attr", "BoolOp", "Call", "Compare", "Comprehension",
           "ExpressionSyntaxError", "IfThen", "ListOf", "Literal", "Name", "Negate", "Node", "Not", "Quantifier",
           "is_date", "nesting", "parse", "source", "walk"]

PARSES_KEPT = 4096
"""How many parsed expression texts a process keeps."""


@lru_cache(maxsize=PARSES_KEPT)
def parse(text: str) -> Node:
    """Parse an expression; raise ExpressionSyntaxError with the offset of the problem.

    The tree is immutable, so a text written many times over (the clause
    files repeat the same conditions in rules, templates and answers: 162
    distinct texts among 588) is parsed once a process, and once at all
    while the on-disk store (`parse_store`) keeps it. Only a text that is
    not stored loads the parser.
    """
    stored = parse_store.store().get(text) if isinstance(text, str) else None
    if stored is not None:
        return stored
    from .grammar import parse_text

    tree = parse_text(text)
    parse_store.store().add(text, tree)
    return tree
