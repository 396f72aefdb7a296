"""The functions of the two-valued closures that read lists: len, first, last, min, max, coalesce, and the
duties listed on a date and one duty's status (obligations, breaches, duty_status: `duties`).

Stage: evaluation (the fast evaluator of answers). Imports the clause
language's `context`, `expressions` and `types`.

`Functions` is the part of `expressions.TwoValued` that compiles these calls;
see that module for the contract: a known value, or `Fallback`. Each gives
what the clause compiler's function (`language.functions`) gives where
every value it reads is known; its arguments' closures raise `Fallback`
where one is not, so nothing here tests for `unknown`. A value of the wrong
kind raises what the three-valued function raises (a `TypeError`), and the
scenario goes to the three-valued evaluator, which says where it fails.
"""

from __future__ import annotations

from typing import Any, Callable

from ...language import types as T
from ...language.context import Ctx, Scope
from ...language.expressions import Call, Literal, Node
from ...language.functions import BOTH_OWE
from ...values import Unknown
from .duties import records, status
from .operators import Fallback, known

Fn = Callable[[Ctx], Any]


class Functions:
    """Compiles the calls of list functions; `compile`, `type_of` come from `TwoValued`."""

    def compile(self, node: Node, scope: Scope) -> Fn:  # pragma: no cover - given by TwoValued
        raise NotImplementedError

    def type_of(self, node: Node, scope: Scope) -> T.Type:  # pragma: no cover - given by TwoValued
        raise NotImplementedError

    def _fn_len(self, node: Call, scope: Scope, compiled) -> Fn:
        get = self.compile(node.args[0], scope)
        return lambda ctx: len(get(ctx))

    def _fn_first(self, node: Call, scope: Scope, compiled) -> Fn:
        get = self.compile(node.args[0], scope)
        at = 0 if node.function == "first" else -1

        def first(ctx: Ctx) -> Any:
            value = get(ctx)
            return value[at] if value else None

        return first

    _fn_last = _fn_first

    def _fn_max(self, node: Call, scope: Scope, compiled) -> Fn:
        pick = max if node.function == "max" else min
        if len(node.args) == 1:  # the items of a list (the compiler accepts one argument only if it is one)
            get = self.compile(node.args[0], scope)

            def extreme_of(ctx: Ctx) -> Any:
                present = []
                for value in get(ctx):
                    if value is not None:
                        present.append(value)
                return pick(present) if present else None

            return extreme_of
        fns = tuple(self.compile(arg, scope) for arg in node.args)

        def extreme(ctx: Ctx) -> Any:
            values = []
            for fn in fns:  # every argument first, as the three-valued function reads them all
                values.append(fn(ctx))
            present = []
            for value in values:
                if value is not None:
                    present.append(value)
            return pick(present) if present else None

        return extreme

    _fn_min = _fn_max

    def _fn_coalesce(self, node: Call, scope: Scope, compiled) -> Fn:
        fns = tuple(self.compile(arg, scope) for arg in node.args)

        def coalesce(ctx: Ctx) -> Any:
            for fn in fns:
                value = fn(ctx)
                if value is not None:
                    return value
            return None

        return coalesce

    def _fn_obligations(self, node: Call, scope: Scope, compiled) -> Fn:
        """obligations(on) / breaches(on), as `language.functions` lists them: each listed duty instance's record,
        its status judged alone (`duties.records`)."""
        get_on = self.compile(node.args[0], scope)
        only_violated = node.function == "breaches"

        def instances(ctx: Ctx) -> Any:
            found = records(ctx.store, get_on(ctx), only_violated)
            for record in found:
                if record["bearer"].__class__ is Unknown:
                    raise Fallback()
            return found

        return instances

    _fn_breaches = _fn_obligations

    def _fn_duty_status(self, node: Call, scope: Scope, compiled) -> Fn:
        """duty_status('duty', event, on[, bearer]), as `language.functions` gives it: each instance's status
        judged alone (`duties.status`), the statuses of several bearers combined (`BOTH_OWE`)."""
        name = node.args[0].value if isinstance(node.args[0], Literal) else None
        if not isinstance(name, str):  # pragma: no cover - the compiler takes a duty's name in quotes only
            return lambda ctx: known(compiled.fn(ctx))
        get_event, get_on = self.compile(node.args[1], scope), self.compile(node.args[2], scope)
        get_bearer = self.compile(node.args[3], scope) if len(node.args) == 4 else None

        def duty_status(ctx: Ctx) -> Any:
            event = get_event(ctx)
            store = ctx.store
            found = store.duty_instances(name, event)
            if get_bearer is not None:
                bearer = get_bearer(ctx)
                if bearer is not None:
                    found = [instance for instance in found if instance.bearer == bearer]
            if not found:
                return "not_triggered"
            on = get_on(ctx)
            statuses = []
            for instance in found:
                value = status(store, instance, on)
                if value.__class__ is Unknown:
                    raise Fallback()  # unknown, alone or among others: the three-valued function says which
                statuses.append(value)
            if len(statuses) == 1:
                return statuses[0]
            return min(statuses, key=BOTH_OWE.index)

        return duty_status
