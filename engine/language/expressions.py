"""The clause expression language: grammar, syntax tree and parser.

Stage: after errors and dates. Imports `dates` and `errors`.

Conditions, derived values and answers in clause files are written in a small
expression language, parsed here with Lark (never `eval`). Example::

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

from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Any, Iterator

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from ..dates import DateError, duration_of, parse_date

MAX_NESTING = 64
"""How deeply an expression may nest, counting the definitions it uses (`not not …`, `((…))`, calls).

Clause files are input too: a limit keeps compiling and evaluating them far
from Python's recursion limit, so a deep expression is a located error."""
MAX_DIGITS = 18
"""The longest number an expression may write (a day count, a quantity): 18 digits."""

GRAMMAR = r"""
?start: expr

?expr: or_
     | "if" expr "then" expr "else" expr          -> if_

?or_: and_
    | or_ "or" and_                              -> or_

?and_: not_
     | and_ "and" not_                           -> and_

?not_: cmp
     | "not" not_                                -> not_

?cmp: sum
    | sum CMP sum                                -> compare
    | sum "in" sum                               -> in_
    | sum "not" "in" sum                         -> not_in

?sum: unary
    | sum PLUS unary                             -> arith
    | sum MINUS unary                            -> arith

?unary: postfix
      | "-" unary                                -> neg

?postfix: atom
        | postfix "." NAME                       -> attr

?atom: "true"                                    -> true
     | "false"                                   -> false
     | "null"                                    -> null
     | DATE                                      -> date
     | INT UNIT                                  -> duration
     | INT                                       -> int_
     | STRING                                    -> string
     | "any" "(" expr "for" NAME "in" expr ")"   -> any_
     | "all" "(" expr "for" NAME "in" expr ")"   -> all_
     | "count" "(" expr "for" NAME "in" expr ")" -> count_
     | NAME "(" [expr ("," expr)*] ")"           -> call
     | NAME                                      -> name
     | "[" [expr ("," expr)*] "]"                -> list_
     | "[" expr "for" NAME "in" expr ["if" expr] "]" -> comprehension
     | "(" expr ")"

CMP: "==" | "!=" | "<=" | ">=" | "<" | ">"
PLUS: "+"
MINUS: "-"
UNIT.2: /(days?|months?|years?)\b/
DATE.3: /\d{4}-\d{2}-\d{2}/
INT: /\d+/
STRING: /'[^'\n]*'/ | /"[^"\n]*"/
NAME: /[A-Za-z_][A-Za-z0-9_]*/

%ignore /[ \t\r\n]+/
"""

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


def _span(meta) -> dict:
    return {"start": getattr(meta, "start_pos", 0) or 0, "end": getattr(meta, "end_pos", 0) or 0}


@v_args(meta=True)
class _ToAst(Transformer):
    def true(self, meta, _):
        return Literal(True, **_span(meta))

    def false(self, meta, _):
        return Literal(False, **_span(meta))

    def null(self, meta, _):
        return Literal(None, **_span(meta))

    def date(self, meta, children):
        try:
            return Literal(parse_date(str(children[0])), **_span(meta))
        except DateError as error:
            raise ExpressionSyntaxError(str(error), meta.start_pos, str(children[0])) from None

    def duration(self, meta, children):
        count, unit = children
        unit = str(unit) if str(unit).endswith("s") else str(unit) + "s"
        try:
            return Literal(duration_of(str(count), unit, f"{count} {children[1]}"), **_span(meta))
        except DateError as error:
            raise ExpressionSyntaxError(str(error), meta.start_pos, str(count)) from None

    def int_(self, meta, children):
        digits = str(children[0])
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise ExpressionSyntaxError(f"a number of {len(digits):,} digits is too long; numbers in "
                                        f"expressions have at most {MAX_DIGITS} digits", meta.start_pos, digits[:20])
        return Literal(int(digits), **_span(meta))

    def string(self, meta, children):
        return Literal(str(children[0])[1:-1], **_span(meta))

    def name(self, meta, children):
        return Name(str(children[0]), **_span(meta))

    def attr(self, meta, children):
        subject, name = children
        return Attr(subject, str(name), **_span(meta))

    def call(self, meta, children):
        function, *args = children
        return Call(str(function), tuple(a for a in args if a is not None), **_span(meta))

    def list_(self, meta, children):
        return ListOf(tuple(c for c in children if c is not None), **_span(meta))

    def not_(self, meta, children):
        return Not(children[0], **_span(meta))

    def neg(self, meta, children):
        return Negate(children[0], **_span(meta))

    def _boolop(self, op, meta, children):
        left, right = children
        operands = (left.operands if isinstance(left, BoolOp) and left.op == op else (left,)) + (right,)
        return BoolOp(op, operands, **_span(meta))

    def or_(self, meta, children):
        return self._boolop("or", meta, children)

    def and_(self, meta, children):
        return self._boolop("and", meta, children)

    def compare(self, meta, children):
        left, op, right = children
        return Compare(str(op), left, right, **_span(meta))

    def in_(self, meta, children):
        return Compare("in", children[0], children[1], **_span(meta))

    def not_in(self, meta, children):
        return Compare("not in", children[0], children[1], **_span(meta))

    def arith(self, meta, children):
        left, op, right = children
        return Arith(str(op), left, right, **_span(meta))

    def if_(self, meta, children):
        return IfThen(*children, **_span(meta))

    def _quant(self, kind, meta, children):
        body, var, collection = children
        return Quantifier(kind, str(var), collection, body, **_span(meta))

    def comprehension(self, meta, children):
        item, var, collection, cond = children
        return Comprehension(item, str(var), collection, cond, **_span(meta))

    def any_(self, meta, children):
        return self._quant("any", meta, children)

    def all_(self, meta, children):
        return self._quant("all", meta, children)

    def count_(self, meta, children):
        return self._quant("count", meta, children)


PARSES_KEPT = 4096
"""How many parsed expression texts a process keeps."""

_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=True, cache=True)
_TERMINAL_WORDS = {
    "CMP": "a comparison", "PLUS": "'+'", "MINUS": "'-'", "NAME": "a name", "INT": "a number",
    "STRING": "a quoted text", "DATE": "a date", "UNIT": "a unit (days, months, years)",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "COMMA": "','", "DOT": "'.'",
    "COLON": "':'", "$END": "the end",
}


def _expected(tokens: set[str]) -> str:
    words = sorted({_TERMINAL_WORDS.get(t, repr(t.lower().strip('_'))) for t in tokens})
    if len(words) > 6:
        words = words[:6] + ["…"]
    return ", ".join(words)


@lru_cache(maxsize=PARSES_KEPT)
def parse(text: str) -> Node:
    """Parse an expression; raise ExpressionSyntaxError with the offset of the problem.

    The tree is immutable, so a text written many times over (the clause
    files repeat the same conditions in rules, templates and answers: 162
    distinct texts among 588) is parsed once a process.
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionSyntaxError("expected an expression, e.g. is_party(event.from)", 0)
    try:
        tree = _PARSER.parse(text)
    except UnexpectedCharacters as error:
        char = text[error.pos_in_stream] if error.pos_in_stream < len(text) else ""
        hint = " (write = as ==)" if char == "=" else ""
        raise ExpressionSyntaxError(f"unexpected character {char!r}{hint}",
                                    error.pos_in_stream, char) from None
    except UnexpectedToken as error:
        token: Token = error.token
        if token.type == "$END":
            raise ExpressionSyntaxError(f"expression ends too early; expected {_expected(error.expected)}",
                                        len(text)) from None
        word = str(token)
        hint = f" ({word!r} is a reserved word)" if word in KEYWORDS else ""
        raise ExpressionSyntaxError(f"unexpected {word!r}{hint}; expected {_expected(error.expected)}",
                                    token.start_pos or 0, word) from None
    except UnexpectedEOF as error:
        raise ExpressionSyntaxError(f"expression ends too early; expected {_expected(set(error.expected))}",
                                    len(text)) from None
    except UnexpectedInput as error:  # pragma: no cover - the three above are all Lark raises
        raise ExpressionSyntaxError(str(error), getattr(error, "pos_in_stream", 0) or 0) from None
    deepest = _deepest(tree)
    if deepest is not None:
        raise ExpressionSyntaxError(f"the expression nests more than {MAX_NESTING} levels deep; "
                                    "split it into definitions", deepest)
    try:
        return _ToAst().transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, ExpressionSyntaxError):
            raise error.orig_exc from None
        raise


def _deepest(tree) -> int | None:
    """The offset of a parse-tree node deeper than `MAX_NESTING`, or None (walked without recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return getattr(node.meta, "start_pos", 0) or 0
        stack.extend((child, depth + 1) for child in node.children if hasattr(child, "children"))
    return None


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
