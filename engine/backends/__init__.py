"""Backends: where a compiled rule set runs.

Stage: evaluation. Imports `ruleset` and `timeline`.

A backend matches facts (an event taking effect, a watched date arriving) to
the rules they trigger and hands each rule to `Replay.run_rule`. Two exist:

- `durable`: durable-rules (the rule engine the users named), driven through
  its C module with the guardrails of DURABLE-RULES.md;
- `native`: a plain Python index of the same compiled rule set.

Both run the same `RuleSet`; neither knows anything about a particular
agreement.
"""

from __future__ import annotations

from .native import NativeBackend

BACKENDS = ("durable", "native")
DEFAULT_BACKEND = "native"
"""Native by measurement (benchmarks/run.py): about 1.8× the throughput of durable-rules on the
standard workload, no limit on live sessions, and it runs wherever Python does. The durable-rules
backend gives the same answers and explanations (a differential test checks it)."""


def get_backend(name: str = DEFAULT_BACKEND):
    """A backend by name; `durable` needs the durable-rules package."""
    if name == "native":
        return NativeBackend()
    if name == "durable":
        from .durable import DurableBackend  # imported late: durable-rules is optional on some Pythons

        return DurableBackend()
    raise ValueError(f"unknown backend {name!r}; expected one of {', '.join(BACKENDS)}")


__all__ = ["get_backend", "BACKENDS", "NativeBackend"]
