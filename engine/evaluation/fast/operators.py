"""The operators of the two-valued closures: logic, comparison, arithmetic, conditions, loops and lists.

Stage: evaluation (the fast evaluator of answers). Imports the clause
language's `context`, `expressions` and `types`, and `mou.values`, `mou.dates`.

`Operators` is the half of `expressions.TwoValued` that compiles operator
nodes; see that module for the contract: a known value, or `Fallback`.
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from calendar import isleap
from datetime import date, timedelta
from typing import Any, Callable

from ... import dates
from ...language import types as T
from ...language.context import Ctx, Scope
from ...language.expressions import (Arith, BoolOp, Compare, Comprehension, IfThen, ListOf, Name, Negate, Node,
                                     Not, Quantifier)
from ...values import Unknown

Fn = Callable[[Ctx], Any]


class Failure(Exception):
    """A value the three-valued closure would refuse with an error (none where true or false is needed, a
    comparison that cannot be made): the firing or the scenario goes to the three-valued evaluator, which
    raises it where it belongs. Never set aside as an unknown operand is."""


class Fallback(Exception):
    """A value the two-valued closures cannot give: the scenario goes to the three-valued evaluator."""


def known(value: Any) -> Any:
    """`value` if nothing in it is unknown, else raise `Fallback`."""
    cls = value.__class__
    if cls is Unknown:
        raise Fallback()
    if cls is tuple or cls is list:
        for item in value:
            known(item)
    elif cls is dict:
        for item in value.values():
            known(item)
    return value


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
"""The order comparisons, as the operators' own functions (`operator.lt(a, b)` is `a < b`), without a frame of their
own."""


class Operators:
    """Compiles the operator nodes; `compile`, `type_of` and `schema` come from `TwoValued`."""

    schema: Any

    def compile(self, node: Node, scope: Scope) -> Fn:  # pragma: no cover - given by TwoValued
        raise NotImplementedError

    def type_of(self, node: Node, scope: Scope) -> T.Type:  # pragma: no cover - given by TwoValued
        raise NotImplementedError

    def _listof(self, node: ListOf, scope: Scope, compiled) -> Fn:
        fns = tuple(self.compile(item, scope) for item in node.items)
        if len(fns) == 2:
            first, second = fns
            return lambda ctx: (first(ctx), second(ctx))

        def items(ctx: Ctx) -> tuple:
            found = []
            for fn in fns:
                found.append(fn(ctx))
            return tuple(found)

        return items

    def _not(self, node: Not, scope: Scope, compiled) -> Fn:
        operand = node.operand
        if isinstance(operand, Quantifier) and operand.kind in ("any", "all") \
                and not self.schema.compile(operand, scope).is_constant:  # `not any(…)`: the loop gives the opposite
            get_items, inner = self._loop(operand, scope)
            return _decided_by(get_items, self.compile(operand.body, inner), operand.var, operand.kind == "any", True)
        get = self.compile(operand, scope)

        def negate(ctx: Ctx) -> Any:
            value = get(ctx)
            if value is True:
                return False
            if value is False:
                return True
            raise Failure()

        return negate

    def _boolop(self, node: BoolOp, scope: Scope, compiled) -> Fn:
        fns = tuple(self.compile(operand, scope) for operand in node.operands)
        decisive = node.op == "or"
        other = not decisive

        if len(fns) == 2:
            return _two(*fns, decisive)

        def decide(ctx: Ctx) -> Any:
            pending = False
            for fn in fns:
                try:
                    value = fn(ctx)
                except Fallback:
                    pending = True  # unknown for now: another operand may still decide
                    continue
                if value is decisive:
                    return decisive
                if value is not other:
                    raise Failure()  # not true or false: the three-valued closure raises
            if pending:
                raise Fallback()
            return other

        return decide

    def _compare(self, node: Compare, scope: Scope, compiled) -> Fn:
        left, right = self.compile(node.left, scope), self.compile(node.right, scope)
        op = node.op
        if op in ("==", "!="):
            right_const = self.schema.compile(node.right, scope)
            if right_const.is_constant:
                constant = right_const.constant
                if op == "==":
                    return lambda ctx: left(ctx) == constant
                return lambda ctx: left(ctx) != constant
            bound = _bound(node.right, scope)
            if bound is not None:  # a name in scope (a loop's variable): read where it is compared
                if op == "==":
                    return lambda ctx: left(ctx) == ctx.env[bound]
                return lambda ctx: left(ctx) != ctx.env[bound]
            if op == "==":
                return lambda ctx: left(ctx) == right(ctx)
            return lambda ctx: left(ctx) != right(ctx)
        if op in ("in", "not in"):
            inside = op == "in"
            listed = self.schema.compile(node.right, scope)
            if listed.is_constant and listed.constant is not None:
                return _member_of(left, listed.constant, inside)

            def membership(ctx: Ctx) -> Any:
                a = left(ctx)
                b = right(ctx)
                if b is None:
                    raise Failure()  # an error in the three-valued closure
                try:
                    return (a in b) if inside else (a not in b)
                except (TypeError, dates.DateError):
                    raise Failure() from None

            return membership
        compare = _ORDER[op]
        written = self.schema.compile(node.right, scope)
        if written.is_constant:  # `x > 0`: the value written in the clause, without a closure to read it
            b = written.constant

            def order_with(ctx: Ctx) -> Any:
                a = left(ctx)
                if a is None or b is None:
                    return False
                try:
                    return compare(a, b)
                except (TypeError, dates.DateError):
                    raise Failure() from None

            return order_with

        def order(ctx: Ctx) -> Any:
            a = left(ctx)
            b = right(ctx)
            if a is None or b is None:
                return False  # an absent value is in no order (as the three-valued closure says)
            try:
                return compare(a, b)
            except (TypeError, dates.DateError):
                raise Failure() from None

        return order

    def _arith(self, node: Arith, scope: Scope, compiled) -> Fn:
        left, right = self.compile(node.left, scope), self.compile(node.right, scope)
        kinds = (self.type_of(node.left, scope).kind, self.type_of(node.right, scope).kind)
        plus = node.op == "+"
        if kinds == ("date", "duration"):
            shift = self.schema.compile(node.right, scope)
            if shift.is_constant and isinstance(shift.constant, dates.Duration):
                return _shifted(left, shift.constant, plus)
            step = _plus if plus else _minus
        elif kinds == ("int", "int"):
            step = (lambda a, b: a + b) if plus else (lambda a, b: a - b)
        elif kinds == ("date", "date") and not plus:
            step = lambda a, b: (a - b).days  # noqa: E731 - a day count
        else:
            return lambda ctx: known(compiled.fn(ctx))  # text joined, lists joined: rare, left to the closure

        def arithmetic(ctx: Ctx) -> Any:
            a = left(ctx)
            b = right(ctx)
            if a is None or b is None:
                return None
            try:
                return step(a, b)
            except (dates.DateError, TypeError, ValueError, OverflowError):
                raise Failure() from None

        return arithmetic

    def _negate(self, node: Negate, scope: Scope, compiled) -> Fn:
        get = self.compile(node.operand, scope)
        return lambda ctx: -get(ctx)

    def _ifthen(self, node: IfThen, scope: Scope, compiled) -> Fn:
        cond, then, other = (self.compile(part, scope) for part in (node.cond, node.then, node.other))
        branches = (self.schema.compile(node.then, scope), self.schema.compile(node.other, scope))
        if all(branch.is_constant for branch in branches):
            return _choice_of(cond, branches[0].constant, branches[1].constant)

        def choose(ctx: Ctx) -> Any:
            value = cond(ctx)
            if value is True:
                return then(ctx)
            if value is False:
                return other(ctx)
            raise Failure()

        return choose

    def _loop(self, node: Quantifier | Comprehension, scope: Scope) -> tuple[Fn, Scope]:
        collection = self.schema.compile(node.collection, scope)
        inner = scope.bind(**{node.var: collection.type.item or T.ANY})
        source = node.collection
        if isinstance(source, Name) and source.name not in scope.bindings and source.name in self.schema.event_types:
            return _taken(source.name), inner  # the events of a type: iterated in place, not copied
        return self.compile(source, scope), inner

    def _quantifier(self, node: Quantifier, scope: Scope, compiled) -> Fn:
        get_items, inner = self._loop(node, scope)
        body = self.compile(node.body, inner)
        var, kind = node.var, node.kind
        if kind in ("any", "all"):
            return _decided_by(get_items, body, var, kind == "any")

        def count(ctx: Ctx) -> Any:
            items = get_items(ctx)
            if items is None:
                raise Failure()
            env = ctx.env  # the loop's variable is bound in place, and its outer value put back after
            outer = env.get(var, _ABSENT)
            found = 0
            try:
                for item in items:
                    env[var] = item
                    value = body(ctx)
                    if value is True:
                        found += 1
                    elif value is not False:
                        raise Failure()
            finally:
                if outer is _ABSENT:
                    env.pop(var, None)
                else:
                    env[var] = outer
            return found

        return count

    def _comprehension(self, node: Comprehension, scope: Scope, compiled) -> Fn:
        get_items, inner = self._loop(node, scope)
        item = self.compile(node.item, inner)
        cond = self.compile(node.cond, inner) if node.cond is not None else None
        var = node.var

        def build(ctx: Ctx) -> Any:
            items = get_items(ctx)
            if items is None:
                raise Failure()
            env = ctx.env  # as in `quantify`
            outer = env.get(var, _ABSENT)
            result = []
            try:
                for value in items:
                    env[var] = value
                    if cond is not None:
                        keep = cond(ctx)
                        if keep is False:
                            continue
                        if keep is not True:
                            raise Failure()
                    result.append(item(ctx))
            finally:
                _restore(env, var, outer)
            return tuple(result)

        return build



def _decided_by(get_items: Fn, body: Fn, var: str, any_: bool, negated: bool = False) -> Fn:
    """`any(…)` (`any_`) or `all(…)`: the first item that decides it ends the loop; an item whose body falls back is
    set aside while another may still decide (Kleene's), and the fallback raised only if none does. `negated`:
    `not any(…)` / `not all(…)`, the opposite value given by the same loop (no closure of its own for the `not`)."""
    decisive = any_  # `any`: a true item decides it; `all`: a false one
    other = not decisive
    decided, undecided = (other, decisive) if negated else (decisive, other)

    def quantify(ctx: Ctx) -> Any:
        items = get_items(ctx)
        if items is None:
            raise Failure()
        env = ctx.env  # the loop's variable is bound in place, and its outer value put back after
        outer = env.get(var, _ABSENT)
        pending = False
        try:
            for item in items:
                env[var] = item
                try:
                    value = body(ctx)
                except Fallback:
                    pending = True
                    continue
                if value is decisive:
                    return decided
                if value is not other:
                    raise Failure()
        finally:
            if outer is _ABSENT:
                env.pop(var, None)
            else:
                env[var] = outer
        if pending:
            raise Fallback()
        return undecided

    return quantify


def _taken(name: str) -> Fn:
    """The events of type `name` taken effect by the context's day, for a loop to iterate (`State.events`, without
    its copy of the list: nothing is written to the state while an expression is evaluated)."""
    def taken(ctx: Ctx) -> Any:
        found = ctx.store._by_type.get(name)
        if found is None:
            return ()
        as_of = ctx.as_of
        if as_of is None:
            return found[1]
        return found[1][: bisect_right(found[0], as_of)]

    return taken


def _bound(node: Node, scope: Scope) -> str | None:
    """The name of `node` if it is a name bound in `scope` (read as `ctx.env[name]`), else None."""
    name = getattr(node, "name", None)
    return name if isinstance(node, Name) and name in scope.bindings else None


def _member_of(get: Fn, listed: Any, inside: bool) -> Fn:
    """`x in [..]` / `x not in [..]`, the list written in the clause."""
    def member(ctx: Ctx) -> Any:
        value = get(ctx)
        try:
            return (value in listed) if inside else (value not in listed)
        except (TypeError, dates.DateError):
            raise Failure() from None

    return member


def _choice_of(cond: Fn, then: Any, other: Any) -> Fn:
    """`if c then a else b` where `a` and `b` are written in the clause."""
    def choose(ctx: Ctx) -> Any:
        value = cond(ctx)
        if value is True:
            return then
        if value is False:
            return other
        raise Failure()

    return choose


_ABSENT = object()
"""A loop variable's outer value where it had none."""


def _restore(env: dict, var: str, outer: Any) -> None:
    """Put back the outer binding of a loop's variable (or none)."""
    if outer is _ABSENT:
        env.pop(var, None)
    else:
        env[var] = outer


def _two(first: Fn, second: Fn, decisive: bool) -> Fn:
    """`a and b` / `a or b`, as `Operators._boolop` decides them, without its loop."""
    other = not decisive

    def decide(ctx: Ctx) -> Any:
        try:
            value = first(ctx)
        except Fallback:  # unknown for now: the second may still decide
            value = second(ctx)
            if value is decisive:
                return decisive
            if value is not other:
                raise Failure() from None
            raise
        if value is decisive:
            return decisive
        if value is not other:
            raise Failure()
        value = second(ctx)
        if value is decisive or value is other:
            return value
        raise Failure()

    return decide


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _months_on(start: date, months: int) -> date:
    """`dates.add_months`: the same day number, or the month's last day if it is shorter."""
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise dates.DateError(f"{start} + {months} months is outside the calendar")
    last = _MONTH_DAYS[month] if month != 1 or not isleap(year) else 29
    day = start.day
    return date(year, month + 1, day if day <= last else last)


def _plus(start: date, duration: dates.Duration) -> date:
    """`dates.add` (`_months_on`'s lines, inline: the commonest sum of a step, a notice's end)."""
    if duration.unit == "days":
        return start + timedelta(days=duration.count)
    year, month = divmod(start.year * 12 + start.month - 1 + (duration.months or 0), 12)
    if not 1 <= year <= 9999:
        raise dates.DateError(f"{start} + {duration.months or 0} months is outside the calendar")
    last = _MONTH_DAYS[month] if month != 1 or not isleap(year) else 29
    day = start.day
    return date(year, month + 1, day if day <= last else last)


def _minus(start: date, duration: dates.Duration) -> date:
    """`dates.subtract`."""
    if duration.unit == "days":
        return start - timedelta(days=duration.count)
    return _months_on(start, -(duration.months or 0))


def _shifted(get: Fn, duration: dates.Duration, plus: bool) -> Fn:
    """A date plus (or minus) a duration written in the clause: its days, or its months, taken out once."""
    if duration.unit == "days":
        delta = timedelta(days=duration.count if plus else -duration.count)

        def by_days(ctx: Ctx) -> Any:
            start = get(ctx)
            if start is None:
                return None
            try:
                return start + delta
            except (OverflowError, TypeError):
                raise Failure() from None

        return by_days
    months = (duration.months or 0) * (1 if plus else -1)

    def by_months(ctx: Ctx) -> Any:
        start = get(ctx)
        if start is None:
            return None
        try:
            return _months_on(start, months)
        except (dates.DateError, AttributeError, TypeError, ValueError):
            raise Failure() from None

    return by_months
