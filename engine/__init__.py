"""mou: agreements as executable clauses, answered with their reasons.

The public API::

    from engine import Engine, MouError
    with Engine(backend="native") as engine:
        scenario = engine.read("scenarios/ix3-notice-valid.yaml")
        result = engine.check(scenario)

The pipeline, one module a stage: yamlio (YAML with positions) → model
(clause files) → compiler (→ RuleSet) → scenario (scenario files) →
timeline (replay on a backend) → questions → explain → check.
"""

from .api import Engine
from .errors import Diagnostic, EvaluationError, Location, MouError

__all__ = ["Engine", "MouError", "Diagnostic", "Location", "EvaluationError"]
