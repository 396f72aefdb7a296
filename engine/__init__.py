"""mou: agreements as executable clauses, answered with their reasons.

The public API::

    from mou import Engine, MouError
    with Engine(backend="native") as engine:
        scenario = engine.read("scenarios/ix3-notice-valid.yaml")
        result = engine.check(scenario)

How the code is laid out (the pipeline, one folder a stage; imports flow
down this list, never up):

    errors.py, dates.py, values.py   located errors, calendar arithmetic, run-time values
    collector.py  the garbage collector, paused while the engine compiles and replays
    jsontext.py   JSON as the commands print it (json.dumps's text, written by orjson where it can)
    language/     clause files → RuleSet: YAML with positions, models, expressions,
                  types, closures, the compiler
    scenario/     scenario files → Scenario: validated events and questions
    evaluation/   Scenario + RuleSet → replay: facts with history, duties, backends
    answers/      replay → answers, explanations, expectations, properties, what-if
    api.py        Engine: the pipeline above, in one object
    tools/        sweep, property testing, strategies, pytest plugin, lint, schemas
    cli.py        the click layer (the repository's top-level cli.py)

`mou.testing` holds the hypothesis strategies for users' own tests.
"""

from . import collector

with collector.paused():  # what loads here lives as long as the process: no garbage to look for
    from .errors import Diagnostic, EvaluationError, Location, MouError, RuleError

__all__ = ["Engine", "MouError", "Diagnostic", "Location", "EvaluationError", "RuleError"]


def __getattr__(name: str):
    """`Engine`, loaded when first used: the `mou` command handles Ctrl-C before the engine has loaded."""
    if name == "Engine":
        from .api import Engine

        return Engine
    raise AttributeError(f"module 'mou' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
