"""JSON text as every `--format json` prints it: `json.dumps(document, ensure_ascii=False, indent=2)`, fast.

Stage: with errors, dates and values (imports nothing of mou).

The standard library's encoder writes indented JSON in pure Python: for the
JSON of the shipped scenarios with their explanations (17 MB), that is 1.4 s
of a 6 s run. orjson writes the same text about fifteen times faster, and
does so byte for byte for what the commands print: dictionaries with text
keys, lists, tuples, text, booleans, null and integers. It writes floats
differently (`1e16`, not `1e+16`) and refuses what the standard library
accepts (integers past 64 bits, keys that are not text, lone surrogates), so a
document with a float, a subclass of a built-in type or anything orjson
refuses is written by the standard library instead. Either way the text is
`json.dumps`'s.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

# The version of the JSON documents of `ask` and `agenda` and of each line of `sweep`'s JSON Lines (`check` has its
# own, `answers.output.CHECK_VERSION`: its version 2 gives summaries where 1 gave whole explanations),
# written as their `schema_version` and described by schemas/output/ (docs/ci/stability.md says what may change).
SCHEMA_VERSION = 1

_PLAIN = (str, int, bool, type(None))


def dumps(document: Any) -> str:
    """`json.dumps(document, ensure_ascii=False, indent=2)`, written by orjson where that gives the same text."""
    writer = _orjson()
    if writer is not None and _plain(document):
        orjson, options = writer
        try:
            return orjson.dumps(document, default=_refuse, option=options).decode("utf-8")
        except TypeError:
            pass
    return json.dumps(document, ensure_ascii=False, indent=2)


@lru_cache(maxsize=1)
def _orjson() -> tuple[Any, int] | None:
    """orjson and its options, imported when a command first writes JSON (a text command never does)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; without it, the standard library writes everything
        return None
    return orjson, (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS
                    | orjson.OPT_PASSTHROUGH_DATETIME)


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)  # anything orjson would write its own way: the standard library's


def _plain(document: Any) -> bool:
    """Whether the document holds only built-in containers, text, integers, booleans and null (no float)."""
    stack = [document]
    pop, push = stack.pop, stack.extend
    while stack:
        value = pop()
        kind = type(value)
        if kind is dict:
            push(value.values())
        elif kind is list or kind is tuple:
            push(value)
        elif kind not in _PLAIN:
            return False
    return True
