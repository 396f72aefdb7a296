"""The operators of the clause language: their types and their three-valued semantics.

Stage: the clause language. Imports `context`, `types`, `expressions` (node
classes, for locations), `mou.values` and `mou.dates`.

Each function takes the compiled parts of an operator (`closures` compiles
the syntax tree and its scopes) and returns the compiled operator: it checks
the parts' types, and builds the closure that evaluates it. `unknown`
propagates as Kleene's strong logic says: `false and unknown` is `false`,
`true and unknown` is `unknown`; a comparison with an unknown side is
unknown, and carries the facts that would decide it.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import dates
from ..errors import suggest
from ..values import Unknown, show, unknown_of
from . import types as T
from .context import Compiled, CompileError, Ctx, EvalError, Fn
from .expressions import Arith, Comprehension, Compare, IfThen, Node, Quantifier


def _truth(value: Any, what: str) -> Any:
    if value is True or value is False or isinstance(value, Unknown):
        return value
    raise EvalError(f"{what} should be true or false, got {show(value)}")


def require_bool(compiled: Compiled, node: Node) -> None:
    """Refuse a value that is not a condition where one is needed."""
    if compiled.type not in (T.BOOL, T.ANY):
        raise CompileError(f"expected a condition (true/false), got {compiled.type}", node)


def negation(operand: Compiled, node: Node) -> Compiled:
    """`not x`, three-valued."""
    require_bool(operand, node)
    get = operand.fn

    def negate(ctx: Ctx) -> Any:
        value = _truth(get(ctx), "the operand of not")
        return value if isinstance(value, Unknown) else not value

    return Compiled(T.BOOL, negate)


def kleene(op: str, operands: list[Compiled], nodes: tuple[Node, ...]) -> Compiled:
    """`a and b and …`, `a or b or …` under Kleene's strong three-valued logic."""
    for operand, source in zip(operands, nodes):
        require_bool(operand, source)
    fns = tuple(operand.fn for operand in operands)
    decisive = op == "or"  # the value that decides: true for or, false for and
    other = not decisive
    what = f"an operand of {op}"

    def decide(ctx: Ctx) -> Any:
        unknowns = None
        for fn in fns:
            value = fn(ctx)
            if value is decisive:
                return decisive
            if value is not other:
                _truth(value, what)  # unknown, or an error
                if unknowns is None:
                    unknowns = [value]
                else:
                    unknowns.append(value)
        return unknown_of(*unknowns) if unknowns else other

    return Compiled(T.BOOL, decide)


def comparison(node: Compare, left: Compiled, right: Compiled) -> Compiled:
    """`== != < <= > >= in`, `not in`: type-checked, then three-valued."""
    op = node.op
    if op in ("in", "not in") and right.type.kind == "changes":
        pass  # a parameter among those a set of changes names (`name in event.changes`)
    elif op in ("in", "not in"):
        if right.type.kind != "list" and right.type != T.ANY:
            raise CompileError(f"the right side of `{op}` must be a list or changes, got {right.type}", node.right)
        _check_members(left, right.type.item or T.ANY, node.left)
        _check_members(right, left.type, node.right)
    elif op in ("==", "!="):
        if not T.comparable(left.type, right.type):
            raise CompileError(f"cannot compare {left.type} with {right.type}", node)
        _check_literal(left, right.type, node.left)
        _check_literal(right, left.type, node.right)
    elif not T.orderable(left.type, right.type):
        raise CompileError(f"cannot order {left.type} and {right.type} with {op}", node)
    get_left, get_right = left.fn, right.fn
    compare = _OPS[op]
    if op in ("==", "!="):
        return Compiled(T.BOOL, _equality(get_left, right, op == "=="))
    if op in ("in", "not in"):
        return Compiled(T.BOOL, _membership(get_left, right, op, compare))

    def comparison(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if a.__class__ is Unknown or b.__class__ is Unknown:
            return unknown_of(a, b)
        if a is None or b is None:
            return False  # an absent value (none) is in no order: the comparison does not hold
        try:
            return compare(a, b)
        except (TypeError, dates.DateError) as error:
            raise EvalError(f"cannot compare {show(a)} {op} {show(b)}: {error}") from None

    return Compiled(T.BOOL, comparison)


def _membership(get_left: Fn, right: Compiled, op: str, compare: Callable[[Any, Any], Any]) -> Fn:
    """`in` / `not in`: unknown when the value is not among the known items and some item is unknown.

    Specialised for a constant list on the right (the common case), which holds no unknown item.
    """
    get_right = right.fn
    if right.is_constant and isinstance(right.constant, tuple):
        items = right.constant

        def among_constants(ctx: Ctx) -> Any:
            a = get_left(ctx)
            if a.__class__ is Unknown:
                return a
            try:
                return compare(a, items)
            except (TypeError, dates.DateError) as error:
                raise EvalError(f"cannot compare {show(a)} {op} {show(items)}: {error}") from None

        return among_constants

    def membership(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if a.__class__ is Unknown or b.__class__ is Unknown:
            return unknown_of(a, b)
        if b is None:
            raise EvalError(f"`{op}` needs a list on its right, got none")
        if any(item.__class__ is Unknown for item in b) and a not in b:
            return unknown_of(*b)
        try:
            return compare(a, b)
        except (TypeError, dates.DateError) as error:
            raise EvalError(f"cannot compare {show(a)} {op} {show(b)}: {error}") from None

    return membership


def _equality(get_left: Fn, right: Compiled, equal: bool) -> Fn:
    """`==` / `!=`, specialised for a constant right side (the common case)."""
    if right.is_constant:
        constant = right.constant

        def against_constant(ctx: Ctx) -> Any:
            a = get_left(ctx)
            if a.__class__ is Unknown:
                return a
            return (a == constant) if equal else (a != constant)

        return against_constant
    get_right = right.fn

    def between(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if a.__class__ is Unknown or b.__class__ is Unknown:
            return unknown_of(a, b)
        return (a == b) if equal else (a != b)

    return between


def _check_members(compiled: Compiled, expected: T.Type, node: Node) -> None:
    if compiled.is_constant and expected.kind == "enum":
        values = compiled.constant if isinstance(compiled.constant, tuple) else (compiled.constant,)
        for value in values:
            if isinstance(value, str) and value not in expected.values:
                raise CompileError(f"{value!r} is not a {expected}{suggest(value, expected.values)}", node)
    elif compiled.type.kind == "list" and not T.comparable(compiled.type.item or T.ANY, expected):
        raise CompileError(f"cannot look for a {expected} among {compiled.type}", node)
    elif compiled.type.kind != "list" and not T.comparable(compiled.type, expected):
        raise CompileError(f"cannot look for a {compiled.type} among {expected} values", node)


def _check_literal(compiled: Compiled, other: T.Type, node: Node) -> None:
    if compiled.is_constant and isinstance(compiled.constant, str) and other.kind == "enum":
        if compiled.constant not in other.values:
            raise CompileError(f"{compiled.constant!r} is not a {other}{suggest(compiled.constant, other.values)}",
                               node)


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}


def arithmetic(node: Arith, left: Compiled, right: Compiled) -> Compiled:
    """`+` and `-`: date ± duration (the month-end rule), numbers, days between dates, text, lists."""
    kinds = (left.type.kind, right.type.kind)
    op = node.op
    if kinds == ("date", "duration"):
        step = dates.add if op == "+" else dates.subtract
        result_type = T.DATE
    elif kinds == ("int", "int"):
        step = (lambda a, b: a + b) if op == "+" else (lambda a, b: a - b)
        result_type = T.INT
    elif kinds == ("date", "date") and op == "-":
        step = lambda a, b: (a - b).days  # noqa: E731 - a day count
        result_type = T.INT
    elif T.textlike(left.type) and T.textlike(right.type) and op == "+":
        step = lambda a, b: a + b  # noqa: E731 - text joined
        result_type = T.TEXT
    elif kinds == ("list", "list") and op == "+":
        joined = T.join(left.type, right.type)
        if joined is None:
            raise CompileError(f"cannot join {left.type} and {right.type}", node)
        step = lambda a, b: tuple(a) + tuple(b)  # noqa: E731
        result_type = joined
    else:
        raise CompileError(f"cannot compute {left.type} {op} {right.type}"
                           + ("; add a duration to a date, e.g. event.date + 1 day" if "date" in kinds else ""),
                           node)
    get_left, get_right = left.fn, right.fn

    def arithmetic(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return unknown_of(a, b)
        if a is None or b is None:
            return None  # arithmetic with an absent value (none) gives none: a date not yet set, moved on
        try:
            return step(a, b)
        except dates.DateError as error:
            raise EvalError(str(error)) from None

    return Compiled(result_type, arithmetic)


def negative(operand: Compiled, node: Node) -> Compiled:
    """`-n` for a whole number."""
    if operand.type != T.INT:
        raise CompileError(f"cannot negate {operand.type}", node)
    get = operand.fn
    return Compiled(T.INT, lambda ctx: (lambda v: v if isinstance(v, Unknown) else -v)(get(ctx)))


def conditional(node: IfThen, cond: Compiled, then: Compiled, other: Compiled) -> Compiled:
    """`if c then a else b`: unknown when `c` is."""
    require_bool(cond, node.cond)
    result_type = T.join(then.type, other.type)
    if result_type is None:
        raise CompileError(f"the two branches differ in type: {then.type} and {other.type}", node)
    get_cond, get_then, get_other = cond.fn, then.fn, other.fn

    def choose(ctx: Ctx) -> Any:
        value = get_cond(ctx)
        if value is True:
            return get_then(ctx)
        if value is False:
            return get_other(ctx)
        return _truth(value, "the condition of if")  # unknown, or an error

    return Compiled(result_type, choose)


def _loop_context(ctx: Ctx) -> tuple[dict, Ctx]:
    """A context for the body of a loop: the same bindings, plus the loop variable set in `env`."""
    env = dict(ctx.env)
    inner = Ctx(ctx.store, ctx.choices, env, ctx.as_of, ctx.now, ctx.trace)
    inner.depth = ctx.depth
    return env, inner


def quantifier(node: Quantifier, collection: Compiled, body: Compiled) -> Compiled:
    """`any(…)`, `all(…)`, `count(…)` over a list, three-valued."""
    require_bool(body, node.body)
    get_items, get_body, var, kind = collection.fn, body.fn, node.var, node.kind
    what = f"the condition of {kind}"
    any_, all_ = kind == "any", kind == "all"

    def quantify(ctx: Ctx) -> Any:
        items = get_items(ctx)
        if items.__class__ is Unknown:
            return items
        env, inner = _loop_context(ctx)
        unknowns = []
        count = 0
        for item in items:
            env[var] = item
            value = get_body(inner)
            if value is True:
                count += 1
                if any_:
                    return True
            elif value is False:
                if all_:
                    return False
            else:
                unknowns.append(_truth(value, what))  # unknown, or an error
        if unknowns:
            return unknown_of(*unknowns)
        return False if any_ else True if all_ else count

    return Compiled(T.INT if kind == "count" else T.BOOL, quantify)


def comprehension(node: Comprehension, collection: Compiled, item: Compiled, cond: Compiled | None) -> Compiled:
    """`[item for x in xs if cond]`: unknown when a condition is."""
    if cond is not None:
        require_bool(cond, node.cond)
    get_items, get_item, var = collection.fn, item.fn, node.var
    get_cond = cond.fn if cond is not None else None

    def build(ctx: Ctx) -> Any:
        items = get_items(ctx)
        if isinstance(items, Unknown):
            return items
        env, inner = _loop_context(ctx)
        result = []
        unknowns = []
        for value in items:
            env[var] = value
            if get_cond is not None:
                keep = _truth(get_cond(inner), "the condition of a list")
                if isinstance(keep, Unknown):
                    unknowns.append(keep)
                    continue
                if not keep:
                    continue
            result.append(get_item(inner))
        return unknown_of(*unknowns) if unknowns else tuple(result)

    return Compiled(T.list_of(item.type), build)
