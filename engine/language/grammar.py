"""The expression grammar and its parser: text → syntax tree, with Lark (never `eval`).

Stage: the clause language, after errors and dates. Imports `dates` and `syntax`.

Only `expressions.parse` imports this module, and only for a text that no
earlier run has parsed (see `parse_store`): a run whose expressions are all
stored does not load Lark.
"""

from __future__ import annotations

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from ..dates import DateError, duration_of, parse_date
from .syntax import (MAX_DIGITS, MAX_NESTING, KEYWORDS, Arith, Attr, BoolOp, Call, Compare, Comprehension,
                     ExpressionSyntaxError, IfThen, ListOf, Literal, Name, Negate, Node, Not, Quantifier)

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


def parse_text(text: str) -> Node:
    """Parse an expression with Lark; raise ExpressionSyntaxError with the offset of the problem."""
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
