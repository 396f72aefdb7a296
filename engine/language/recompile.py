"""The clause language's vocabulary rebuilt from a compiled rule set, to compile expressions again.

Stage: the clause language. Imports `context`, `closures`, `expressions`,
`types` and `ruleset`.

Tools that compile the clause files a second way start here: the vectorized
sweeps' kernels (`tools.vector`) and the fast evaluator of answers
(`evaluation.fast`). They re-parse each expression's source text (kept by `Rule`,
`Condition`, `Binding`, `Assignment`, definitions and questions) and compile
its parts with the language's own compiler, in the scope the clause compiler
used. That gives every sub-expression its static type, and, for the
operators the kernels do not rewrite, the scalar engine's own closure.
"""

from __future__ import annotations

from functools import lru_cache

from . import types as T
from .closures import compile_expr
from .context import Compiled, DefinitionInfo, EventTypeInfo, Scope
from .expressions import Node, parse
from .ruleset import RuleSet


class RulesetSchema:
    """What the expression compiler sees (`context.Schema`), read from a `RuleSet`."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.parties = ruleset.parties
        self.event_types = {name: EventTypeInfo(name, {f: d.type for f, d in definition.fields.items()},
                                                {a: d.type for a, d in definition.attributes.items()})
                            for name, definition in ruleset.event_types.items()}
        self.entities = {name: {a: d.type for a, d in attributes.items()}
                         for name, attributes in ruleset.entity_attributes.items()}
        self.parameters = {name: p.type for name, p in ruleset.parameters.items()}
        self.choices = {name: c.type for name, c in ruleset.choices.items()}
        self.enums = dict(ruleset.enums)
        self.definition_names = tuple(ruleset.compiled_definitions)
        self.duty_names = tuple(ruleset.duties)

    def definition(self, name: str) -> DefinitionInfo | None:
        """A compiled definition, as the clause compiler made it."""
        return self.ruleset.compiled_definitions.get(name)

    def scope(self, bindings: dict[str, T.Type] | None = None, today: bool = False) -> Scope:
        """A scope over this vocabulary."""
        return Scope(self, dict(bindings or {}), today)

    def compile(self, node: Node, scope: Scope) -> Compiled:
        """The language's own compilation of `node` (its type and scalar closure)."""
        return compile_expr(node, scope)


@lru_cache(maxsize=4096)
def parsed(text: str) -> Node:
    """The syntax tree of an expression (parsed once per text)."""
    return parse(text)
