"""What compiled expressions are made of and read at run time.

Stage: the clause language. Imports `types`, `values` and `errors`.

A compiled expression is a `Compiled`: its static type and a function of one
`Ctx`. The `Ctx` gives the function what it reads: the bindings in scope, the
evaluation state (a `Store`: facts with history, events, parameters, duty
instances), the interpretive choices, and the day asked about. When
`ctx.trace` is a list, every fact read is recorded there as a `Read`, which is
what explanations are made of. The `Scope` and `Schema` are the compile-time
side: the names an expression may use, with their types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Protocol

from . import types as T
from .expressions import Node
from ..values import Event

Fn = Callable[["Ctx"], Any]


class CompileError(ValueError):
    """A type or name error in an expression, at `node`."""

    def __init__(self, message: str, node: Node | None = None):
        super().__init__(message)
        self.node = node


class EvalError(Exception):
    """An expression failed at run time (e.g. `none` compared with a date)."""


RUN_TIME_ERRORS = (EvalError, ArithmeticError, LookupError, TypeError, ValueError)
"""What a compiled expression can raise at run time (a date error is a ValueError): how a clause fails."""


@dataclass(unsafe_hash=True)
class Read:
    """One fact read while evaluating: what, its value, and the firing that set it.

    Never changed once made, though not `frozen`: a frozen dataclass sets each field through
    `object.__setattr__`, which made a read cost 2.5 µs where this costs 0.5 µs, and an explained replay makes
    one for every fact every rule reads (equality and hashing are a frozen one's).
    """

    label: str
    value: Any
    source: int | None = None  # index of the firing that set it, if any
    depth: int = 0  # 0 = read by the expression itself; more = inside a definition
    kind: str = "field"  # field | attribute | state | choice | parameter | definition | duty
    note: str = ""  # for a duty: why it has its status
    owner: str = ""  # the event id, entity (`agreement`), or duty read; "" for choices and parameters
    name: str = ""  # the field, attribute, choice, parameter, definition or duty
    day: Any = None  # the day the value was read for (the question's date, or the rule's day)
    parts: tuple["Read", ...] = ()  # for a definition: the reads its body made
    args: tuple[tuple[str, Any], ...] = ()  # for a definition with parameters: their values

    @property
    def is_fact(self) -> bool:
        """Whether this is a fact of the case (a field, a derived attribute or the agreement's state)."""
        return self.kind in FACT_KINDS


FACT_KINDS = frozenset({"field", "attribute", "state"})


def at_depth(read: Read, depth: int) -> Read:
    """`dataclasses.replace(read, depth=depth)`, without its cost: the reads of a memoized definition are
    shifted to the depth of each use (130,000 times in an explained replay of 10,000 meetings)."""
    # Through __init__, which sets the fields in their order: a copy made through its __dict__ grew each read by
    # half.
    return Read(read.label, read.value, read.source, depth, read.kind, read.note, read.owner, read.name, read.day,
                read.parts, read.args)



class Store(Protocol):
    """What closures read from the evaluation state (implemented by `evaluation.state.State`)."""

    def attr(self, key: str, name: str, as_of: date | None) -> tuple[Any, int | None]: ...

    def events(self, type_name: str, as_of: date | None) -> list[Event]: ...

    def param(self, name: str, as_of: date | None) -> tuple[Any, int | None]: ...

    def duty_instances(self, duty: str, event: Event | None) -> list[Any]:
        """The instances of a duty triggered by `event` (None: by a date)."""

    def judge(self, instance: Any, on: date | None, traced: bool = False) -> Any:
        """The status of a duty instance on a date (an object with `status`, `why` and `record`; `traced`: and
        the choices the judgement read)."""

    def listed(self, on: date | None, traced: bool = False) -> Iterable[Any]:
        """The judgements of every listed duty instance that has arisen by `on`."""


class Ctx:
    """Everything an expression reads at run time."""

    __slots__ = ("env", "store", "as_of", "choices", "trace", "depth", "now")

    def __init__(self, store: Store, choices: Mapping[str, Any], env: dict | None = None,
                 as_of: date | None = None, now: date | None = None, trace: list | None = None):
        self.env = env if env is not None else {}
        self.store = store
        self.as_of = as_of
        self.choices = choices
        self.trace = trace
        self.depth = 0
        self.now = now

    def child(self, env: dict) -> "Ctx":
        """The same context with other bindings, one level deeper for the trace."""
        sub = Ctx(self.store, self.choices, env, self.as_of, self.now, self.trace)
        sub.depth = self.depth + 1
        return sub


@dataclass(frozen=True)
class Compiled:
    """A compiled expression: its static type and its closure."""

    type: T.Type
    fn: Fn
    constant: Any = field(default=None, compare=False)
    is_constant: bool = False
    bound: str = ""  # for a name bound in scope (`event`, a `let`, a loop variable): the name, read as `env[bound]`


@dataclass(frozen=True)
class EventTypeInfo:
    """What the type checker knows of an event type."""

    name: str
    fields: Mapping[str, T.Type]
    attributes: Mapping[str, T.Type]


@dataclass(frozen=True)
class DefinitionInfo:
    """A compiled definition: parameter names and types, result type, closure, and its source text."""

    name: str
    params: tuple[tuple[str, T.Type], ...]
    type: T.Type
    fn: Fn
    text: str = ""  # the expression as written, for tools that compile it again (vectorized sweeps)


class Schema(Protocol):
    """The vocabulary an expression may use (implemented by the compiler)."""

    parties: tuple[str, ...]
    event_types: Mapping[str, EventTypeInfo]
    entities: Mapping[str, Mapping[str, T.Type]]
    parameters: Mapping[str, T.Type]
    choices: Mapping[str, T.Type]
    enums: Mapping[str, T.Type]
    definition_names: tuple[str, ...]
    duty_names: tuple[str, ...]

    def definition(self, name: str) -> DefinitionInfo | None: ...


@dataclass(frozen=True)
class Scope:
    """The names visible to one expression, with their types."""

    schema: Schema
    bindings: Mapping[str, T.Type] = field(default_factory=dict)
    today: bool = False  # whether `today` (the date being processed) is available

    def bind(self, **more: T.Type) -> "Scope":
        """This scope with more names bound."""
        return Scope(self.schema, {**self.bindings, **more}, self.today)



def record(ctx: Ctx, label: str, value: Any, source: int | None = None, kind: str = "field", note: str = "",
           owner: str = "", name: str = "", parts: tuple[Read, ...] = (), args: tuple = ()) -> None:
    """Note one fact read into the context's trace (callers check `ctx.trace is not None`)."""
    day = ctx.as_of if ctx.as_of is not None else ctx.now
    ctx.trace.append(Read(label, value, source, ctx.depth, kind, note, owner, name, day, parts, args))


def constant(value: Any, type_: T.Type) -> Compiled:
    """A compiled constant."""
    return Compiled(type_, lambda ctx: value, value, True)


def assignable(declared: T.Type, compiled: Compiled) -> bool:
    """Whether a value of `compiled`'s type may stand where `declared` is expected."""
    if compiled.type in (T.ANY, T.NULL) or declared == T.ANY:
        return True
    if declared.kind == "enum" and compiled.is_constant and isinstance(compiled.constant, str):
        return compiled.constant in declared.values
    if declared.kind == "list" and compiled.type.kind == "list":
        return compiled.type.item in (T.ANY, None) or T.comparable(declared.item or T.ANY, compiled.type.item)
    if declared.kind == "event" and compiled.type.kind == "event":
        return compiled.type.events <= declared.events
    if declared.kind == "enum" and compiled.type.kind == "text":
        return False
    return T.comparable(declared, compiled.type) and (declared.kind == compiled.type.kind
                                                      or T.textlike(declared) and T.textlike(compiled.type))
