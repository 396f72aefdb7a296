"""The clause language's vocabulary rebuilt from a compiled rule set: see `language.recompile`.

Stage: tools (vectorized sweeps). Imports the clause language's `recompile`,
which the fast evaluator of answers (`evaluation.fast`) compiles from too.
"""

from __future__ import annotations

from ...language.recompile import RulesetSchema, parsed

__all__ = ["RulesetSchema", "parsed"]
