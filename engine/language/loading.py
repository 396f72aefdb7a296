"""The rule set of a clause directory: kept by this process, stored by an earlier one, or compiled now.

Stage: the clause language, its front. Imports `rulecache`, and `compiler`
only when there is something to compile (it loads pydantic and the clause
models, which a command that finds its rule set stored never needs).
"""

from __future__ import annotations

from pathlib import Path

from . import rulecache
from .ruleset import RuleSet


def load_ruleset(directory: str | Path) -> RuleSet:
    """The rule set of a clause directory: kept by this process, stored by an earlier one, or compiled now.

    Compiling raises MouError with every problem of the clause files; only a
    directory that compiles is kept or stored, so its problems are reported
    each time.
    """
    path = Path(directory)
    key = rulecache.content_key(path)
    if key is not None and rulecache.kept(key) is not None:
        return rulecache.kept(key)
    ruleset = rulecache.read(key) if key is not None else None
    if ruleset is None:
        from .compiler import compile_corpus  # pydantic and the clause models: only when compiling

        ruleset = compile_corpus(path)
    if key is not None:
        rulecache.keep(key, ruleset)
    return ruleset
