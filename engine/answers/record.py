"""The decision record: what gave an answer, so that it can be reproduced later.

Stage: answers. Imports the clause language's `ruleset` and `mou.values`.

Every JSON document `mou` prints carries one (OPA's decision logs are the
model): the version of `mou`, the agreement, the SHA-256 of the clause files
as compiled (the manifest, each clause file and the signed text, in order),
and the reading the answers were given under: every interpretive choice and
every parameter with the value it had (a choice left unset is `null`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from ..language.ruleset import RuleSet
from ..values import Unknown, to_json


@lru_cache(maxsize=1)
def version() -> str:
    """The installed version of `mou` (or `unknown` when it runs from a tree that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("mou")
    except PackageNotFoundError:
        return "unknown"


def decision(ruleset: RuleSet, choices: Mapping[str, Any] | None = None,
             parameters: Mapping[str, Any] | None = None) -> dict:
    """The decision record under these choices and parameters (the defaults for those not given)."""
    given_choices, given_parameters = dict(choices or {}), dict(parameters or {})
    interpretation = {}
    for name, choice in ruleset.choices.items():
        value = given_choices.get(name, choice.default)
        interpretation[name] = None if isinstance(value, Unknown) else to_json(value)
    values = {name: to_json(given_parameters.get(name, parameter.default))
              for name, parameter in ruleset.parameters.items()}
    return {"mou": version(), "agreement": ruleset.agreement, "clauses_sha256": ruleset.sha256,
            "interpretation": interpretation, "parameters": values}


def scenario_decision(ruleset: RuleSet, scenario: Any, choices: Mapping[str, Any] | None = None,
                      parameters: Mapping[str, Any] | None = None) -> dict:
    """The record of one scenario: its own `interpretation:` and `parameters:`, with these on top."""
    return decision(ruleset, {**scenario.interpretation, **(choices or {})},
                    {**scenario.parameters, **(parameters or {})})
