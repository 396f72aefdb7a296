"""What a counterfactual's answer says, in words: for a list of duties, what it would change ("ECO's duty under
V.2 would be met rather than owed").

Stage: answers. Imports `case`, `missing`, `render`, scenario files' `variants`, and `mou.values`.
"""

from __future__ import annotations

from typing import Any

from ..scenario.model import QuestionCall
from ..scenario.variants import changes
from ..values import to_json
from .case import Case
from .missing import head_of
from .render import list_words, record_words, status_said, statuses_of


def changed_answer(case: Case, call: QuestionCall, value: Any, flip: Any) -> str:
    """The answer a change gives, in words, as the variant says it; for a list, what it adds and takes away."""
    other = flip.answer
    if isinstance(other, tuple) and isinstance(value, tuple):
        if not other:
            return head_in(case, call, other, flip)
        return list_change(to_json(value), to_json(other), statuses_of(case.ruleset)) or \
            head_in(case, call, other, flip)
    return head_in(case, call, other, flip)


def only_unknown(value: Any, other: Any) -> bool:
    """Whether a list answer would only gain duties that cannot be judged ("a duty concerning m1 would also be not
    known"): a change that leaves the reader nothing a party could do, so no counterfactual."""
    if not (isinstance(value, tuple) and isinstance(other, tuple)):
        return False
    before, after = to_json(value), to_json(other)
    gained = [item for item in after if item not in before]
    kept = all(item in after for item in before)
    return kept and bool(gained) and all(isinstance(item, dict) and item.get("status") == "unknown"
                                         for item in gained)


def list_change(before: list, after: list, words: dict[str, str] | None = None) -> str:
    """How a list answer would differ, as sentences: a duty whose status would change says from what to what
    ("ECO's duty under V.2 would be owed rather than met"); one that would appear or go says so."""
    def key(item: Any) -> Any:
        return (item.get("paragraph"), item.get("bearer"), item.get("event")) if isinstance(item, dict) else item

    old = {key(item): item for item in before}
    new = {key(item): item for item in after}
    parts = []
    for name, item in new.items():
        if name in old and old[name] != item and isinstance(item, dict):
            said = record_words(item).rsplit(":", 1)[0]
            was = status_said(old[name], words).split(" (")[0]  # (why it is so now is no reason for the change)
            parts.append(f"{said} would be {status_said(item, words)} rather than {was}")
    added = [item for name, item in new.items() if name not in old]
    gone = [item for name, item in old.items() if name not in new]
    for item in added:  # "the bearer's duty under its paragraph concerning m1 would be breached"
        if isinstance(item, dict) and "status" in item:
            parts.append(f"{record_words(item).rsplit(':', 1)[0]} would {'also ' if old else ''}be "
                         f"{status_said(item, words)}")
        else:
            parts.append(f"there would also be {list_words([item])}")
    for item in gone:
        if isinstance(item, dict) and "status" in item:
            parts.append(f"{record_words(item).rsplit(':', 1)[0]} would no longer be "
                         f"{status_said(item, words)}")
        else:
            parts.append(f"there would no longer be {list_words([item])}")
    return "; ".join(parts)


def head_in(case: Case, call: QuestionCall, other: Any, flip: Any) -> str:
    """The answer's head as the variant of `flip` words it (its convener, its dates), else as the case does."""
    return head_of(case, call, other, changes(flip.change))
