"""A validated scenario: its events, questions and readings, as the engine runs them.

Stage: scenario files. Imports `mou.values` and the clause language's `ruleset`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import Location
from ..language.ruleset import QuestionDef, RuleSet, kept_for
from ..language.yamlio import Document
from ..values import Event, Missing, Unknown

NOT_GIVEN = object()
"""`expect` was not given."""


@dataclass(frozen=True)
class QuestionCall:
    """One question of a scenario, with its arguments as engine values."""

    ask: str
    args: dict[str, Any]  # engine values: dates, events, text
    raw_args: dict[str, Any]  # as JSON: ids and ISO dates
    expect: Any  # the expected answer as an engine value (checked when read), or NOT_GIVEN
    location: Location
    definition: QuestionDef


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: events in file order (defaults first) and questions."""

    file: str
    title: str
    description: str
    as_of: date | None
    interpretation: dict[str, Any]
    parameters: dict[str, Any]
    events: tuple[Event, ...]
    questions: tuple[QuestionCall, ...]
    defaulted: str = ""  # why default events were added, if they were
    document: Document | None = field(default=None, compare=False, repr=False)

    def choices(self, ruleset: RuleSet, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Every interpretive choice's value: the override's, else the scenario's, else the default; unset ones
        are unknown."""
        result = dict(kept_for(ruleset, _DEFAULTS, _defaults))
        for given in (self.interpretation, overrides):
            if given:
                for name, value in given.items():
                    if name in result:
                        result[name] = value if value is not None else _unset(ruleset, name)
        return result


_DEFAULTS: dict[int, dict[str, Any]] = {}
"""Each live rule set's choices at their defaults, unset ones unknown (`kept_for`: every replay starts here)."""


def _defaults(ruleset: RuleSet) -> dict[str, Any]:
    return {name: choice.default if choice.default is not None else _unset(ruleset, name)
            for name, choice in ruleset.choices.items()}


def _unset(ruleset: RuleSet, name: str) -> Unknown:
    """The value of a choice left unset: unknown, missing the choice."""
    choice = ruleset.choices[name]
    return Unknown(frozenset({Missing("interpretation", name,
                                      f"the interpretive choice `{name}` ({choice.unset})")}))
