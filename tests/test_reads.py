"""The reads an explained evaluation records are made without `Read.__init__` (`context.record`,
`context.at_depth`, for speed): they must be the reads it would make, field for field."""

from __future__ import annotations

import dataclasses
from datetime import date

from mou.language.context import Ctx, Read, at_depth, record


def test_record_makes_the_read_init_makes() -> None:
    ctx = Ctx(None, {}, {}, as_of=date(2020, 1, 2), trace=[])
    record(ctx, "n1.form", "letter", 3, "field", "a note", "n1", "form", (), (("bearer", "ECO"),))
    made = ctx.trace[0]
    expected = Read("n1.form", "letter", 3, ctx.depth, "field", "a note", "n1", "form", date(2020, 1, 2), (),
                    (("bearer", "ECO"),))
    assert made == expected and hash(made) == hash(expected)
    assert list(vars(made)) == [field.name for field in dataclasses.fields(Read)]  # every field, in order


def test_at_depth_is_replace() -> None:
    read = Read("agreement.in_force", True, 7, 2, "state", owner="agreement", name="in_force")
    shifted = at_depth(read, 5)
    assert shifted == dataclasses.replace(read, depth=5) and shifted.depth == 5 and read.depth == 2
