"""The trace of a replay: every rule firing, what it read, found and concluded.

Stage: evaluation. Imports the clause language's `context` and `ruleset`, and
`mou.values`. Plain data: explanations are built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..language.context import Read
from ..language.ruleset import Rule
from ..values import Event


@dataclass(unsafe_hash=True)
class ConditionResult:
    """A condition as evaluated in one firing: its value and the facts it read (never changed once made; not
    `frozen`, whose fields cost a call each to set, as `context.Read` says)."""

    says: str
    text: str
    value: Any
    reads: tuple[Read, ...] = ()


@dataclass
class Firing:
    """One evaluation of one rule on one fact: what it read, found and concluded."""

    index: int
    rule: Rule
    day: date
    subject: Event | None
    lets: tuple[tuple[str, Any], ...] = ()
    let_reads: tuple[Read, ...] = ()
    conditions: tuple[ConditionResult, ...] = ()
    outcome: Any = None
    effects: tuple[tuple[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    subjects: frozenset[str] = frozenset()
