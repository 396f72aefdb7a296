"""The native backend: facts matched to rules by a Python dict index.

Stage: evaluation. Imports the clause language's `ruleset`.
"""

from __future__ import annotations

from typing import Callable

from ...language.ruleset import Rule, RuleSet


class NativeSession:
    """Matches a fact to the rules of its trigger key, in rule order."""

    by_trigger = True  # exactly the rules of a fact's trigger, in rule order: a replay may run them fused

    def __init__(self, index: dict[str, tuple[Rule, ...]]):
        self._index = index

    def __enter__(self) -> "NativeSession":
        return self

    def __exit__(self, *exc: object) -> None:
        """Nothing to clean up."""

    def dispatch(self, fact: dict, run: Callable[[Rule], None]) -> None:
        """Run every rule the fact triggers."""
        key = f"event:{fact['type']}" if fact["kind"] == "event" else f"date:{fact['trigger']}"
        for rule in self._index.get(key, ()):
            run(rule)


class NativeBackend:
    """Runs compiled rule sets with no rule engine underneath."""

    name = "native"
    resumable = True  # a session holds nothing: a replay may start one part-way (`Replay.run`'s trunk)

    def __init__(self) -> None:
        self._indexes: dict[int, tuple[RuleSet, dict[str, tuple[Rule, ...]]]] = {}

    def _index(self, ruleset: RuleSet) -> dict[str, tuple[Rule, ...]]:
        cached = self._indexes.get(id(ruleset))
        if cached is None or cached[0] is not ruleset:
            index: dict[str, tuple[Rule, ...]] = {}
            for rule in ruleset.rules:
                index[rule.trigger.key] = index.get(rule.trigger.key, ()) + (rule,)
            cached = (ruleset, index)
            self._indexes[id(ruleset)] = cached
        return cached[1]

    def session(self, ruleset: RuleSet) -> NativeSession:
        """A session for one scenario, as a context manager (a class: every replay opens one)."""
        return NativeSession(self._index(ruleset))

    def close(self) -> None:
        """Nothing to free."""
