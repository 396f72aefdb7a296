"""The expression language's syntax tree: its nodes, its limits, and walks over it.

Stage: the clause language, after errors and dates. Imports nothing of mou.

`grammar` builds these trees from text (with Lark) and `parse_store` keeps
them on disk between runs; both go through `expressions.parse`. A tree is
immutable, so one tree may serve every clause that writes the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Iterator

MAX_NESTING = 64
"""How deeply an expression may nest, counting the definitions it uses (`not not …`, `((…))`, calls).

Clause files are input too: a limit keeps compiling and evaluating them far
from Python's recursion limit, so a deep expression is a located error."""
MAX_DIGITS = 18
"""The longest number an expression may write (a day count, a quantity): 18 digits."""

KEYWORDS = frozenset({"if", "then", "else", "or", "and", "not", "in", "for", "true", "false",
                      "null", "any", "all", "count", "day", "days", "month", "months",
                      "year", "years"})


class ExpressionSyntaxError(ValueError):
    """A syntax error at character `offset` of the expression text."""

    def __init__(self, message: str, offset: int, fragment: str = ""):
        super().__init__(message)
        self.offset = offset
        self.fragment = fragment


@dataclass(frozen=True)
class Node:
    """Base of all syntax nodes; `start`/`end` are offsets in the expression text."""

    start: int = field(default=0, compare=False, kw_only=True)
    end: int = field(default=0, compare=False, kw_only=True)


@dataclass(frozen=True)
class Literal(Node):
    """A constant: bool, int, text, date, duration or null."""

    value: Any


@dataclass(frozen=True)
class ListOf(Node):
    """A list written out: `[a, b]`."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Name(Node):
    """A bare name: a binding, a definition, or a root such as `event`."""

    name: str


@dataclass(frozen=True)
class Attr(Node):
    """`subject.name`: an event field, an attribute, or a choice."""

    subject: Node
    name: str


@dataclass(frozen=True)
class Call(Node):
    """`function(args)`: a built-in function or a definition with parameters."""

    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    """Three-valued negation."""

    operand: Node


@dataclass(frozen=True)
class Negate(Node):
    """Arithmetic negation."""

    operand: Node


@dataclass(frozen=True)
class BoolOp(Node):
    """`and` / `or` over two or more operands (three-valued, Kleene)."""

    op: str
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare(Node):
    """A comparison: `== != < <= > >= in` and `not in`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Arith(Node):
    """`+` or `-`: date ± duration, numbers, or list concatenation."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class IfThen(Node):
    """`if cond then a else b`."""

    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Comprehension(Node):
    """`[item for x in xs if cond]`: a list built from another."""

    item: Node
    var: str
    collection: Node
    cond: Node | None


@dataclass(frozen=True)
class Quantifier(Node):
    """`any(body for x in xs)`, `all(...)`, `count(...)`."""

    kind: str
    var: str
    collection: Node
    body: Node


def nesting(node: Node) -> int:
    """How deeply a syntax tree nests (a literal or a name: 1), walked without recursion."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        for value in vars(current).values():
            children = value if isinstance(value, tuple) else (value,)
            stack.extend((child, depth + 1) for child in children if isinstance(child, Node))
    return deepest


def source(text: str, node: Node) -> str:
    """The text of `node` as written in `text`."""
    return text[node.start:node.end] if node.end > node.start else ""


def is_date(value: Any) -> bool:
    """Whether a runtime value is a date (and not a datetime)."""
    return isinstance(value, date)


def walk(node: Node) -> Iterator[Node]:
    """Every node of a syntax tree, `node` first (iteratively: trees may be deep)."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(reversed(item))
        elif isinstance(item, Node):
            yield item
            stack.extend(reversed([getattr(item, f.name) for f in fields(item) if f.name not in ("start", "end")]))
