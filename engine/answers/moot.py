"""What the facts left open that did not decide an answer: the conditions of a rule that failed on another
condition, said once for all the events they concern.

Stage: answers. Imports evaluation's `trace`, the clause language's `wording`, and `mou.values`.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..evaluation.trace import Firing
from ..language.wording import join
from ..values import Unknown


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
