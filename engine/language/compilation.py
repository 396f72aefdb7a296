"""One compilation of a clause directory: the shared tables, the problems found, the helpers.

Stage: the clause language, part of the compiler. Imports `model`, `types`,
`closures`, `context`, `expressions`, `ruleset`, `yamlio`, `mou.dates` and `mou.errors`.

Every step of the compiler (`vocabulary`, `rules`, `questions`, and
`compiler` itself) is a function of a `Compilation`: it reads the specs
gathered from the clause files, reports problems with their location, and
compiles expressions in a scope whose names come from those specs (`Schema`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dates import Duration
from ..errors import Diagnostic, Location, suggest
from . import model as M
from . import types as T
from .closures import compile_expr
from .context import CompileError, Compiled, DefinitionInfo, EventTypeInfo, Scope, assignable
from .expressions import MAX_NESTING, ExpressionSyntaxError, Literal, Node, nesting, parse, walk
from .ruleset import Paragraph
from .yamlio import Document

MAX_TOTAL_NESTING = 2 * MAX_NESTING
"""How deeply an expression may nest counting the definitions it uses, and theirs."""
MAX_DEFINITION_CHAIN = 32
"""How many definitions may use one another in a chain (a → b → c …)."""

BASE_TYPES = {"bool": T.BOOL, "int": T.INT, "text": T.TEXT, "date": T.DATE, "duration": T.DURATION,
              "actor": T.ACTOR}


@dataclass
class Source:
    """A validated clause file with its document (for locations)."""

    doc: Document
    clause: M.ClauseFile


class Compilation:
    """One compilation of a clause directory: the shared tables, the problems found, and the steps.

    The steps that build the vocabulary, rules and questions are functions of
    a `Compilation` in `vocabulary`, `rules` and `questions`; `compiler` runs them.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[Diagnostic] = []
        self.sources: list[Source] = []
        self.enums: dict[str, T.Type] = {}
        self.where: dict[tuple[str, str], Location] = {}
        self.parties: tuple[str, ...] = ()
        self.param_specs: dict[str, tuple[Source, M.Parameter]] = {}
        self.choice_specs: dict[str, tuple[Source, M.Choice]] = {}
        self.definition_specs: dict[str, tuple[Source, M.Definition]] = {}
        self.state_specs: dict[str, tuple[Source, M.AttributeSpec]] = {}
        self.event_specs: dict[str, tuple[Source, M.EventType]] = {}
        self.paragraphs: dict[str, Paragraph] = {}
        self.sha256 = hashlib.sha256()  # of the files as read: the manifest, the clause files, the signed text
        self.durations: set[Duration] = set()  # written in expressions: what rules can add to a date
        self.recipes: dict[int, tuple[Any, tuple]] = {}  # id(closure) → (closure, how it was made): `made`

    def made(self, fn: Any, node: Node, scope: Scope) -> None:
        """Note how a closure was compiled, so that a stored rule set can compile it again (`rulecache`)."""
        self.recipes[id(fn)] = (fn, ("expr", node, dict(scope.bindings), scope.today))

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Diagnostic(location, message))

    def declare(self, kind: str, name: str, location: Location) -> bool:
        """Record a name; report a duplicate with both places. True when new."""
        first = self.where.get((kind, name))
        if first is not None:
            self.problem(location, f"{kind} {name!r} is already defined at {first}")
            return False
        self.where[(kind, name)] = location
        return True

    def cite(self, doc: Document, path: tuple, paragraph: str) -> None:
        """Check that a cited paragraph exists."""
        if paragraph not in self.paragraphs:
            self.problem(doc.location(path),
                         f"cites paragraph {paragraph!r}, which no clause file defines{suggest(paragraph, self.paragraphs)}")

    def type_of(self, text: str, doc: Document, path: tuple) -> T.Type:
        """Resolve a type name such as `date`, `form`, `list[actor]`, `event[termination_notice]`."""
        text = text.strip()
        if text in BASE_TYPES:
            return BASE_TYPES[text]
        if text in self.enums:
            return self.enums[text]
        if text == "parameter":
            return T.enum("parameter", sorted(self.param_specs))
        if text == "changes":
            return T.Type("changes")
        match = re.fullmatch(r"list\[(.+)\]", text)
        if match:
            return T.list_of(self.type_of(match.group(1), doc, path))
        match = re.fullmatch(r"event\[([A-Za-z_|\s]+)\]", text)
        if match:
            names = [name.strip() for name in match.group(1).split("|")]
            for name in names:
                if name not in self.event_specs:
                    self.problem(doc.location(path), f"unknown event type {name!r}{suggest(name, self.event_specs)}")
            return T.event(*names)
        known = list(BASE_TYPES) + list(self.enums) + ["parameter", "changes", "list[…]", "event[…]"]
        self.problem(doc.location(path), f"unknown type {text!r}{suggest(text, known)}; "
                                         f"known types: {', '.join(known)}")
        return T.ANY

    def convert(self, value: Any, type_: T.Type, doc: Document, path: tuple) -> Any:
        """A YAML scalar as an engine value of `type_`; problems reported at `path`."""
        if value is None:
            return None
        try:
            return T.to_value(value, type_, self.parties)
        except ValueError as error:
            self.problem(doc.location(path), str(error))
            return None

    def expr(self, doc: Document, path: tuple, text: str, scope: Scope, want: T.Type | None = None) -> Compiled:
        """Parse and compile one expression; on error report it and return a dummy."""
        return self._expr(doc, path, text, scope, want)[0]

    def _expr(self, doc: Document, path: tuple, text: str, scope: Scope,
              want: T.Type | None = None) -> tuple[Compiled, int]:
        """`expr`, with how deeply the expression nests counting the definitions it uses.

        The nesting of the expressions being compiled (a definition is
        compiled where it is first used) is summed in `schema.nesting`, so
        compiling stays far from Python's recursion limit however the clause
        files nest their definitions.
        """
        schema = getattr(self, "schema", None)
        outer = schema.nesting if schema is not None else 0
        try:
            node = parse(text)
            depth = nesting(node)
            if outer + depth > MAX_TOTAL_NESTING:
                raise CompileError(f"with the definitions that use it, this expression nests {outer + depth} "
                                   f"levels deep; the limit is {MAX_TOTAL_NESTING}: split it up")
            if schema is not None:
                schema.nesting += depth
                schema.reached.append(0)
            self.durations.update(part.value for part in walk(node)
                                  if isinstance(part, Literal) and isinstance(part.value, Duration))
            try:
                compiled = compile_expr(node, scope)
                self.made(compiled.fn, node, scope)
            finally:
                if schema is not None:
                    schema.nesting -= depth
                    depth += schema.reached.pop()
            if depth > MAX_TOTAL_NESTING:
                raise CompileError(f"with the definitions it uses, this expression nests {depth} levels deep; "
                                   f"the limit is {MAX_TOTAL_NESTING}: split it up")
        except ExpressionSyntaxError as error:
            self.problem(doc.text_location(path, error.offset, error.fragment), f"syntax error: {error}")
            return Compiled(want or T.ANY, _broken), 0
        except CompileError as error:
            node = error.node
            offset = node.start if node is not None else 0
            fragment = text[node.start:node.end] if node is not None else ""
            self.problem(doc.text_location(path, offset, fragment.split("\n")[0][:40]), str(error))
            return Compiled(want or T.ANY, _broken), 0
        if want is not None and not assignable(want, compiled):
            self.problem(doc.location(path), f"expected {want}, but this is {compiled.type}")
        return compiled, depth

    def compile_definition(self, name: str) -> DefinitionInfo | None:
        source, spec = self.definition_specs[name]
        doc = source.doc
        path = ("definitions", name)
        params = tuple((param, self.type_of(type_text, doc, path + ("params", param)))
                       for param, type_text in spec.params.items())
        if spec.paragraph:
            self.cite(doc, path + ("paragraph",), spec.paragraph)
        compiled, depth = self._expr(doc, path + ("value",), spec.value, Scope(self.schema, dict(params)))
        self.recipes[id(compiled.fn)] = (compiled.fn, ("definition", name))
        self.schema.depths[name] = depth
        return DefinitionInfo(name, params, compiled.type, compiled.fn, spec.value)

class Schema:
    """The vocabulary the expression compiler sees, backed by the compiler's tables."""

    def __init__(self, compiler: Compilation):
        self.compiler = compiler
        self.parties = compiler.parties
        self.event_types = {name: EventTypeInfo(name, {f: d.type for f, d in fields.items()},
                                                {a: d.type for a, d in attributes.items()})
                            for name, (fields, attributes) in compiler.event_types_partial.items()}
        self.entities = {name: {a: d.type for a, d in attrs.items()}
                         for name, attrs in compiler.entity_attributes.items()}
        self.parameters = {name: p.type for name, p in compiler.parameters.items()}
        self.choices = {name: c.type for name, c in compiler.choices.items()}
        self.enums = dict(compiler.enums)
        self.definition_names = tuple(compiler.definition_specs)
        self.duty_names = tuple(name for source in compiler.sources for name in source.clause.duties)
        self.cache: dict[str, DefinitionInfo] = {}
        self.stack: list[str] = []
        self.nesting = 0  # summed nesting of the expressions being compiled (see Compilation._expr)
        self.reached: list[int] = []  # per expression being compiled: the deepest definition it uses
        self.depths: dict[str, int] = {}  # per definition: how deeply it nests, with the definitions it uses

    def definition(self, name: str) -> DefinitionInfo | None:
        if name not in self.compiler.definition_specs:
            return None
        if name in self.cache:
            self._used(name)
            return self.cache[name]
        if name in self.stack:
            raise CompileError(f"definition {name!r} refers to itself: {' → '.join(self.stack + [name])}")
        if len(self.stack) >= MAX_DEFINITION_CHAIN:
            raise CompileError(f"definitions use each other more than {MAX_DEFINITION_CHAIN} deep: "
                               f"{' → '.join(self.stack[:3] + ['…'] + self.stack[-2:] + [name])}")
        self.stack.append(name)
        try:
            info = self.compiler.compile_definition(name)
        finally:
            self.stack.pop()
        self.cache[name] = info
        self._used(name)
        return info

    def _used(self, name: str) -> None:
        """Note that the expression being compiled uses definition `name` (for its nesting)."""
        if self.reached:
            self.reached[-1] = max(self.reached[-1], self.depths.get(name, 0))


def _broken(ctx: Any) -> Any:
    raise AssertionError("a clause expression that failed to compile was run")  # pragma: no cover
