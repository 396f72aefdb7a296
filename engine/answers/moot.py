"""What the facts left open: the conditions of a rule that failed on another condition, which did not decide an
answer, said once for all the events they concern; and what the facts do show of a rule they leave open.

Stage: answers. Imports evaluation's `trace`, the clause language's `wording`, `mou.values` and `derived`.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..evaluation.trace import Firing
from ..language.wording import join
from ..values import Unknown
from .derived import scope_of


def moot_of(firing: Firing, facts: Any) -> Iterator[tuple[str, str, str]]:
    """The conditions of a firing that failed that the facts leave open, which did not matter: (what is not
    stated, or the requirement; the paragraph; the event it fired on, for a requirement)."""
    for condition in firing.conditions:
        if isinstance(condition.value, Unknown):
            unstated = [facts.phrase(read).removesuffix(" is not stated") for read in condition.reads
                        if isinstance(read.value, Unknown) and read.kind == "field"]
            if unstated and unstated[0].startswith("whether "):
                yield unstated[0], firing.rule.paragraph, ""
            else:
                rule = firing.rule
                yield (f"{rule.requires} {condition.says}" if rule.requires else condition.says, rule.paragraph,
                       firing.subject.id if firing.subject is not None else "")


def moot_said(moot: Iterable[tuple[str, str, str]]) -> list[str]:
    """What was not stated and did not matter, in words, a requirement once for all the events it concerns
    ("whether m1 or m3 is a meeting where …, as another condition fails")."""
    groups: dict[tuple[str, str], list[str]] = {}
    for said, paragraph, subject in moot:
        groups.setdefault((said, paragraph), [])
        if subject and subject not in groups[(said, paragraph)]:
            groups[(said, paragraph)].append(subject)
    result = []
    for (said, paragraph), subjects in groups.items():
        if said.startswith("whether "):
            result.append(f"{said} ({paragraph}), as another condition fails")
        elif subjects:
            result.append(f"whether {join(subjects, 'or')} is {said} ({paragraph}), as another condition fails")
        else:
            result.append(f"whether there is {said} ({paragraph}), as another condition fails")
    return result


def established_of(firing: Firing, ruleset: Any) -> list[str]:
    """What the facts do show of a rule whose outcome they leave open: the conditions that held, as one
    requirement cited to the rule's paragraph, and each condition on the agreement's period (while it is in
    force) cited to the paragraph that sets that (IX.1, not the rule's)."""
    rule = firing.rule
    held = [c for c in firing.conditions if c.value is True]
    scoped = {id(c): scope_of(ruleset, c.reads, rule.paragraph) for c in held}
    own = [c for c in held if not scoped[id(c)]]
    found = []
    if own:
        said = ", ".join([f"{rule.requires} {own[0].says}" if rule.requires else own[0].says,
                          *(c.says for c in own[1:])])
        found.append(f"{said} ({rule.paragraph})")
    for condition in held:
        if scoped[id(condition)]:
            said = f"{rule.requires} {condition.says}" if rule.requires and not own else condition.says
            found.append(f"{said} ({scoped[id(condition)]})")
    return found
