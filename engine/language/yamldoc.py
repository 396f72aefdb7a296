"""What a YAML file reads into: `Document` (data and positions), the YAML 1.2 core schema, the caps.

Stage: after errors. Imports `errors`.

Shared by the two ways `yamlio.load_yaml` reads a file: `yamltree` (libyaml
composes the file; positions are looked up in its tree when asked for) and
`yamlevents` (the file is built from libyaml's event stream, every problem
found and worded).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Diagnostic, Location


@dataclass(frozen=True)
class Limits:
    """The caps on one input file, named in one place."""

    max_bytes: int = 1_000_000
    max_depth: int = 64
    max_nodes: int = 200_000
    max_scalar_chars: int = 100_000
    max_number_chars: int = 100
    # Questions of one scenario file: each is answered and explained, and its answer stays in the output until
    # the file's is written (docs/contract/SCENARIOS.md, "File"). 50,000 took 150 s and 0.9 GB.
    max_questions: int = 10_000


LIMITS = Limits()


@dataclass
class Document:
    """Data read from one YAML file, with the position of every node.

    A file read on the fast path keeps libyaml's node tree (`tree`) instead of
    the `marks`, `key_marks` and `styles` tables: a position is then looked up
    when it is asked for, by walking the tree along the path, and gives the
    same answer the tables would.
    """

    file: str
    data: Any
    marks: dict[tuple, Location] = field(default_factory=dict)
    key_marks: dict[tuple, Location] = field(default_factory=dict)
    source: str = ""
    styles: dict[tuple, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)  # found, but the data is usable (keep_going)
    tree: Any = field(default=None, compare=False, repr=False)  # the composed root node (fast path)
    _positions: Any = field(default=None, compare=False, repr=False, init=False)

    def location(self, path: tuple = ()) -> Location:
        """The position of the node at `path`, or of its nearest recorded parent."""
        path = tuple(path)
        if self.tree is not None:
            node, _, _ = follow(self.tree, path)
            return self._at(node.start_mark.index)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), Location(self.file, 1, 1))

    def key_location(self, path: tuple) -> Location:
        """The position of the key of the mapping entry at `path` (else its value)."""
        path = tuple(path)
        if self.tree is not None:
            node, key, _ = follow(self.tree, path)
            return self._at((key or node).start_mark.index)
        return self.key_marks.get(path) or self.location(path)

    def style(self, path: tuple) -> str:
        """The style of the text scalar at `path`: '' for plain, a quote, `|` or `>`."""
        path = tuple(path)
        if self.tree is not None:
            node, _, complete = follow(self.tree, path)
            return (node.style or "") if complete and isinstance(node, yaml.ScalarNode) else ""
        return self.styles.get(path, "")

    def _at(self, index: int) -> Location:
        if self._positions is None:
            self._positions = Positions(self.source)
        return self._positions.at(self.file, index)

    def text_location(self, path: tuple, offset: int, fragment: str = "") -> Location:
        """The position of character `offset` of the text scalar at `path`.

        Exact for single-line plain and quoted scalars; for block and
        multi-line scalars the fragment is looked up in the source lines.
        """
        start = self.location(path)
        style = self.style(path)
        value = self._value(path)
        if isinstance(value, str) and "\n" not in value and style in ("", "'", '"'):
            line_text = self._line(start.line)
            shift = 1 if style else 0
            if line_text[start.column - 1 + shift:].startswith(value):
                return start.shifted(columns=shift + offset)
        if fragment:
            lines = source_lines(self.source)
            for number in range(start.line, min(len(lines), start.line + 200) + 1):
                column = lines[number - 1].find(fragment)
                if column >= 0 and (number > start.line or column >= start.column - 1):
                    return Location(self.file, number, column + 1)
        return start

    def _value(self, path: tuple) -> Any:
        node = self.data
        try:
            for part in path:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
        return node

    def _line(self, number: int) -> str:
        lines = source_lines(self.source)
        return lines[number - 1] if 0 < number <= len(lines) else ""

def follow(tree: Any, path: tuple) -> tuple[Any, Any, bool]:
    """The node at `path` in a composed tree, or its nearest parent there.

    Returns (node, the key node of its mapping entry or None, whether the
    whole path was found). A fast-path tree has text keys only, none
    repeated, so a key's node is the one whose value is the key.
    """
    node, key = tree, None
    for part in path:
        key = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value in node.value:
                if key_node.value == part:
                    node, key = value, key_node
                    break
            else:
                return node, None, False
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return node, None, False
    return node, key, True


# YAML 1.2 core schema, for plain scalars only.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NOT_TEXT = re.compile("|".join(pattern.pattern for pattern in (_NULL, _INT10, _INT8, _INT16, _FLOAT, _INF, _NAN))
                       + "|" + "|".join(_BOOL))
"""Every plain scalar that is not text matches this (one test instead of seven for the many that are)."""
NUMBER = re.compile(r"[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|[0-9.]+([eE][-+]?[0-9]+)?)")
CORE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
# Characters YAML forbids in a stream (besides tab, LF, CR) and that no
# editor shows: C0 and C1 controls, DEL, lone surrogates, noncharacters.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """The lines of a file as editors number them: only CR, LF and CRLF end a line.

    (`str.splitlines` and libyaml also break at NEL, U+2028 and U+2029, which
    would shift every line number after one of them.)
    """
    return BREAK.split(text)


class Positions:
    """Line and column of a character offset, counting lines as `source_lines` does."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in BREAK.finditer(text)]

    def at(self, file: str, index: int) -> Location:
        line = bisect.bisect_right(self.starts, index)
        return Location(file, line, index - self.starts[line - 1] + 1)


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Control characters (C0, DEL, C1): refused in keys, ids and titles (YAML escapes can write them)."""


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema."""
    if not _NOT_TEXT.fullmatch(text):
        return text
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT10.fullmatch(text):
        return int(text)
    if _INT8.fullmatch(text):
        return int(text[2:], 8)
    if _INT16.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


def tagged(text: str, tag: str) -> Any:
    """A scalar with an explicit core tag; ValueError when it does not fit the tag."""
    if tag == "tag:yaml.org,2002:str":
        return text
    value = resolve_plain(text)
    wanted = {"tag:yaml.org,2002:int": int, "tag:yaml.org,2002:bool": bool,
              "tag:yaml.org,2002:null": type(None), "tag:yaml.org,2002:float": float}[tag]
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not wanted:
        raise ValueError(f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]}")
    return value


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """A SafeLoader whose events `load_yaml` turns into data itself.

    The libyaml-backed loader is pinned where PyYAML has it (the pure-Python
    one disagrees with it on a few tab cases); nothing of PyYAML's own
    construction (tags, timestamps, merge keys) is ever used.
    """


class Stop(Exception):
    """A problem after which the rest of the stream cannot be read sensibly (or the fast path gives up)."""
