"""Clause expressions compiled a second time, two-valued: closures that give a known value or fall back.

Stage: evaluation (the fast evaluator of answers). Imports the clause
language's `recompile`, `context`, `expressions` and `types`, its own `operators`,
`functions` and `reads`, and `mou.values`, `mou.dates`.

`TwoValued.compile(node, scope)` walks a syntax tree as the language's own
compiler (`language.closures`) does, in the same scopes, and returns a
function of the same `Ctx`. Where every value it reads is known, it gives the
value the three-valued closure gives; where a value it needs is `unknown`,
or anything is out of the ordinary (a value of the wrong kind, an error a
rule would raise), it raises `Fallback`, and the scenario is evaluated again
by the three-valued evaluator. So the closures test no value for `unknown`
after reading it, build no `unknown`, and carry no trace.

Kleene's logic is kept where it can decide without the unknown value:
`a and b` is false when one operand is false, whatever the other; so an
operand that falls back is set aside, and the fallback is raised only if no
other operand decides (likewise `or`, `any(…)`, `all(…)`).

The operators are in `operators`, the reads made in one step in `reads`.
Functions not rewritten here (the duty functions, `known`, `coalesce`, `min`,
`len`, …) run as the three-valued closure the clause compiler made, on the
same context, and their value is checked: a value holding `unknown` falls
back. Nothing here knows a particular agreement.
Nothing is generated as source text or `eval`ed: each node becomes a small
closure over its children's closures, as in `language.closures`.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ...language import types as T
from ...language.context import Ctx, Scope
from ...language.expressions import Attr, Call, Comprehension, Name, Node, Quantifier, walk
from ...language.recompile import RulesetSchema, parsed
from ...values import Event, Unknown
from .functions import Functions
from .operators import Failure, Fallback, Fn, Operators, known
from .reads import (BUILTINS, bound_attribute, bound_builtin, bound_field, checked, choice_read, compared_field,
                    entity_read)

PARAM_KEY = "$param"


def _scalar(fn: Fn) -> Fn:
    """The three-valued closure itself, its value checked."""
    return lambda ctx: known(fn(ctx))


_MARK = object()
"""In the memo keys of definitions, beside the three-valued closures' own (which never hold it)."""



class TwoValued(Operators, Functions):
    """Compiles syntax trees into two-valued closures, in the scopes the clause compiler used."""

    def __init__(self, ruleset: Any):
        self.schema = RulesetSchema(ruleset)
        self.definitions: dict[str, Fn] = {}

    def text(self, text: str, scope: Scope) -> Fn:
        """The closure of an expression given as source text."""
        return self.compile(parsed(text), scope)

    def scope(self, bindings: dict | None = None, today: bool = False) -> Scope:
        """A scope over the rule set's vocabulary."""
        return self.schema.scope(bindings, today)

    def compile(self, node: Node, scope: Scope) -> Fn:
        """The two-valued closure of `node` in `scope`."""
        compiled = self.schema.compile(node, scope)
        if compiled.is_constant:
            value = compiled.constant
            if value.__class__ is Unknown:  # pragma: no cover - constants are never unknown
                return _scalar(compiled.fn)
            return lambda ctx: value
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        if method is None:
            return _scalar(compiled.fn)
        return method(node, scope, compiled)

    def type_of_text(self, text: str, scope: Scope) -> T.Type:
        """The static type of an expression given as source text."""
        return self.type_of(parsed(text), scope)

    def type_of(self, node: Node, scope: Scope) -> T.Type:
        """The static type of `node`."""
        return self.schema.compile(node, scope).type

    # -- names and reads ------------------------------------------------------------------------

    def _name(self, node: Name, scope: Scope, compiled) -> Fn:
        name = node.name
        schema = self.schema
        if name in scope.bindings:
            return lambda ctx: ctx.env[name]
        if name == "today":
            return lambda ctx: ctx.now
        if name in schema.event_types:
            return lambda ctx: ctx.store.events(name, ctx.as_of)
        definition = schema.definition(name)
        if definition is not None and not definition.params:
            return self._use(name, ())
        return _scalar(compiled.fn)  # `choice`, an entity: their keys

    def _attr(self, node: Attr, scope: Scope, compiled) -> Fn:
        name = node.name
        subject_type = self.type_of(node.subject, scope)
        kind = subject_type.kind
        if kind == "choice":
            return choice_read(name)
        if kind == "entity":
            return entity_read(("$" + subject_type.name, name))
        if kind != "event":
            return _scalar(compiled.fn)
        get = self.compile(node.subject, scope)
        if name in BUILTINS and isinstance(node.subject, Name) and node.subject.name in scope.bindings:
            return bound_builtin(node.subject.name, name)
        if name in BUILTINS:
            def builtin(ctx: Ctx) -> Any:
                event = get(ctx)
                if event.__class__ is not Event:
                    raise Failure()
                return event.id if name == "id" else event.type if name == "type" else event.index \
                    if name == "position" else event.date

            return builtin
        infos = [self.schema.event_types[t] for t in sorted(subject_type.events)]
        is_field = all(name in info.fields for info in infos)
        subject = node.subject
        if isinstance(subject, Name) and subject.name in scope.bindings:
            return (bound_field if is_field else bound_attribute)(subject.name, name)
        if is_field:
            def field(ctx: Ctx) -> Any:
                event = get(ctx)
                if event.__class__ is not Event:
                    raise Failure()
                return checked(event.fields[name])

            return field

        def attribute(ctx: Ctx) -> Any:
            event = get(ctx)
            if event.__class__ is not Event:
                raise Failure()
            return checked(ctx.store.value(event.id, name, ctx.as_of))

        return attribute

    def _compare(self, node: Any, scope: Scope, compiled) -> Fn:
        """`x.f == y` / `x.f != y` read in one closure where it can be (`reads.compared_field`: a bound event's field,
        a choice or an entity's fact, against a name, a field or a value written in the clause), else as
        `Operators._compare` has it."""
        found = compared_field(self, node, scope)
        return found if found is not None else super()._compare(node, scope, compiled)

    # -- definitions and functions --------------------------------------------------------------

    def definition(self, name: str) -> Fn:
        """The two-valued closure of a definition's body, in the scope of its parameters."""
        found = self.definitions.get(name)
        if found is None:
            info = self.schema.definition(name)
            if not info.text:  # pragma: no cover - every compiled definition keeps its text
                found = _scalar(info.fn)
            else:
                placeholder: list[Fn] = []  # a definition that uses itself is refused by the compiler
                self.definitions[name] = lambda ctx: placeholder[0](ctx)
                found = self.text(info.text, self.schema.scope(dict(info.params)))
                placeholder.append(found)
            self.definitions[name] = found
        return found

    def _use(self, name: str, args: tuple[Fn, ...]) -> Fn:
        """A use of a definition. One whose body loops over a list or the events of a type is computed once per
        state, day and arguments (as `closures._memoized`); any other is computed where it is used, which costs
        less than the key of a memo that a replay's changing state would never hit."""
        info = self.schema.definition(name)
        params = tuple(p for p, _ in info.params)
        body: list[Fn] = []
        if not any(isinstance(node, (Comprehension, Quantifier)) for node in walk(parsed(info.text))):
            return self._plain_use(name, params, args, body)
        if not params:
            def memoized(ctx: Ctx) -> Any:
                if not body:
                    body.append(self.definition(name))
                store = ctx.store
                key = (name, _MARK, ctx.as_of)
                hit = store.memo.get(key)
                if hit is not None and hit[0] == store.version:
                    return hit[1]
                value = body[0](ctx)
                store.memo[key] = (store.version, value)
                return value

            return memoized

        def use(ctx: Ctx) -> Any:
            if not body:
                body.append(self.definition(name))
            values = tuple(get(ctx) for get in args)
            store = ctx.store
            memo = store.memo
            try:
                key = (name, _MARK, ctx.as_of, *((value.__class__, value) for value in values))
                hit = memo.get(key)
            except TypeError:  # an argument that cannot be a key: computed each time
                key = hit = None
            if hit is not None and hit[0] == store.version:
                return hit[1]
            if params:
                saved, ctx.env = ctx.env, dict(zip(params, values))
                try:
                    value = body[0](ctx)
                finally:
                    ctx.env = saved
            else:
                value = body[0](ctx)
            if key is not None:
                memo[key] = (store.version, value)
            return value

        return use

    def _plain_use(self, name: str, params: tuple[str, ...], args: tuple[Fn, ...], body: list[Fn]) -> Fn:
        """A use of a definition computed each time (see `_use`)."""
        if not params:  # the body itself (compiled now, once): a use costs no call of its own
            return self.definition(name)

        if len(params) == 1:  # the usual case, without building the bindings in a loop
            param, get = params[0], args[0]

            def use_one(ctx: Ctx) -> Any:
                if not body:
                    body.append(self.definition(name))
                saved, ctx.env = ctx.env, {param: get(ctx)}
                try:
                    return body[0](ctx)
                finally:
                    ctx.env = saved

            return use_one
        pairs = tuple(zip(params, args))

        def use(ctx: Ctx) -> Any:
            if not body:
                body.append(self.definition(name))
            env = {}
            for param, get in pairs:
                env[param] = get(ctx)
            saved, ctx.env = ctx.env, env
            try:
                return body[0](ctx)
            finally:
                ctx.env = saved

        return use

    def _call(self, node: Call, scope: Scope, compiled) -> Fn:
        name = node.function
        if self.schema.definition(name) is not None:
            return self._use(name, tuple(self.compile(arg, scope) for arg in node.args))
        special = getattr(self, "_fn_" + name, None)
        if special is None:
            return _scalar(compiled.fn)
        return special(node, scope, compiled)

    def _fn_param(self, node: Call, scope: Scope, compiled) -> Fn:
        arg = self.schema.compile(node.args[0], scope)
        if not arg.is_constant:
            return _scalar(compiled.fn)
        parameter = arg.constant
        pair = (PARAM_KEY, parameter)

        def param(ctx: Ctx) -> Any:  # `State.param`, read by value (`Facts.entity`'s lines, inline)
            store = ctx.store
            if store.watch is not None:
                store.watch(parameter)
            history = store._history.get(pair)
            as_of = ctx.as_of
            if history is not None and as_of is None:
                value = history[1][-1]
            elif history is not None and bisect_right(history[0], as_of) > 0:
                value = history[1][bisect_right(history[0], as_of) - 1]
            else:
                value = store._initial[pair]
            cls = value.__class__
            if cls is Unknown:
                raise Fallback()
            if cls is tuple or cls is list or cls is dict:
                known(value)
            return value

        return param

    def _fn_at(self, node: Call, scope: Scope, compiled) -> Fn:
        get_day, get_value = (self.compile(arg, scope) for arg in node.args)

        def at(ctx: Ctx) -> Any:
            day = get_day(ctx)
            if day is None:
                raise Failure()  # an error in the three-valued closure
            saved, ctx.as_of = ctx.as_of, day
            try:
                return get_value(ctx)
            finally:
                ctx.as_of = saved

        return at

    def _fn_is_party(self, node: Call, scope: Scope, compiled) -> Fn:
        parties = frozenset(self.schema.parties)
        get = self.compile(node.args[0], scope)
        return lambda ctx: get(ctx) in parties

    def _fn_other(self, node: Call, scope: Scope, compiled) -> Fn:
        parties = tuple(self.schema.parties)
        swap = {parties[0]: parties[1], parties[1]: parties[0]}
        get = self.compile(node.args[0], scope)
        return lambda ctx: swap.get(get(ctx))


__all__ = ["TwoValued", "Fallback", "Failure", "known"]
