"""The reads a memoized definition's uses shift to their depth are made without `dataclasses.replace`
(`context.at_depth`, for speed): they must be the reads it would make, field for field."""

from __future__ import annotations

import dataclasses
from datetime import date

from mou.language.context import Read, at_depth


def test_at_depth_is_replace() -> None:
    read = Read("agreement.in_force", True, 7, 2, "state", "a note", "agreement", "in_force", date(2020, 1, 2), (),
                (("bearer", "ECO"),))
    shifted = at_depth(read, 5)
    expected = dataclasses.replace(read, depth=5)
    assert shifted == expected and hash(shifted) == hash(expected) and shifted.depth == 5 and read.depth == 2
    assert list(vars(shifted)) == list(vars(expected))  # every field, in the order __init__ sets them
