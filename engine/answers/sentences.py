"""A condition of a rule as a sentence of an explanation.

Stage: answers. Imports evaluation's `trace` and `mou.values`.

A condition that held reads as what the rule requires ("notice given in writing"); one that failed as what
its paragraph requires, or covers only (a condition on the rule's scope, the MoU's period, or on a permission),
or as a reading the case does not take ("this case does not read the paragraph to allow …"); one the facts leave open
as a requirement they do not show.
"""

from __future__ import annotations

from typing import Any

from ..evaluation.trace import ConditionResult
from ..values import to_json


def condition_sentence(rule: Any, condition: ConditionResult, holds: Any, within: str | None,
                       choices: Any = None) -> str:
    """A condition of a rule as a sentence: what it requires where it held; where it failed, what the paragraph
    requires, or covers only (a condition on its scope, the MoU's period, or a permission's), or that the case
    does not read it so (a condition on a reading alone)."""
    requirement = f"{rule.requires} {condition.says}" if rule.requires else condition.says
    if holds is True:
        return requirement
    if holds is False and (within or rule.kind == "permission"):
        return f"{rule.paragraph} applies only if {condition.says}" if (rule.requires or "").startswith("that") \
            else f"{rule.paragraph} covers only {requirement}"
    if holds is False and condition.reads and all(read.kind == "choice" for read in condition.reads):
        read = condition.reads[0]
        value = plain_value(read.value)
        meaning = getattr((choices or {}).get(read.name), "means", {}).get(value) if len(condition.reads) == 1 else None
        if meaning:  # the reading the case takes, in its words; a rule that exists by a reading is cited to it alone
            return f"as this case reads it, {meaning} (`{read.name}: {value}`)" if rule.rests_on else \
                f"this case reads {rule.paragraph} so that {meaning} (`{read.name}: {value}`)"
        allow = condition.says.split(" ", 1)[0] in ("of", "by", "to", "in", "on", "while", "for", "from")
        return f"this case does not read {rule.paragraph} to allow {requirement}" if allow else \
            f"this case does not read {rule.paragraph} so that {condition.says}"
    if holds is False and rule.rests_on:  # a rule that exists by a reading: cited to it, not to a paragraph
        return f"{requirement} is required"
    if holds is False:
        return f"{rule.paragraph} requires {requirement}"
    verb = "covers only" if within or rule.kind == "permission" else "requires"
    return f"{rule.paragraph} {verb} {requirement}, which the facts given do not show"


def plain_value(value: Any) -> str:
    """A choice's value as a scenario writes it (`false`, `12 months`, `receipt`; `unset` for none)."""
    value = to_json(value)
    return "true" if value is True else "false" if value is False else "unset" if value is None else str(value)
