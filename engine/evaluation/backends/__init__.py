"""Backends: where a compiled rule set runs.

Stage: evaluation. Imports the clause language's `ruleset`.

A backend matches facts (an event taking effect, a watched date arriving) to
the rules they trigger and hands each rule to `Replay.run_rule`. Two exist:

- `durable`: durable-rules (the rule engine the users named), driven through
  its C module with the guardrails of DURABLE-RULES.md;
- `native`: a plain Python index of the same compiled rule set.

Both run the same `RuleSet`; neither knows anything about a particular
agreement.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from ...language.ruleset import Rule, RuleSet
from .. import BACKENDS, DEFAULT_BACKEND
from .native import NativeBackend


class Session(Protocol):
    """One scenario's run on a backend: matches facts to rules and runs them."""

    def dispatch(self, fact: dict, run: Callable[[Rule], None]) -> None:
        """Find the rules `fact` matches and call `run` on each, in rule order."""


class Backend(Protocol):
    """Where compiled rule sets run ."""

    name: str

    def session(self, ruleset: RuleSet) -> Any:
        """A context manager yielding a `Session` for one scenario."""


def get_backend(name: str = DEFAULT_BACKEND):
    """A backend by name; `durable` needs the durable-rules package."""
    if name == "native":
        return NativeBackend()
    if name == "durable":
        from .durable import DurableBackend  # imported late: durable-rules is optional on some Pythons

        return DurableBackend()
    raise ValueError(f"unknown backend {name!r}; expected one of {', '.join(BACKENDS)}")


__all__ = ["get_backend", "BACKENDS", "DEFAULT_BACKEND", "Backend", "Session", "NativeBackend"]
