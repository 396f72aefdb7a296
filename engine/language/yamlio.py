"""Strict YAML reading: plain data plus the line and column of every node.

Stage: after yamldoc. Imports `yamldoc`, `yamltree`, `yamlevents`, `errors`
and `sources` (which reads files safely).

Scenario and clause files are read through `load_yaml`, never `yaml.load`.
It builds the data itself from what libyaml parses (a `SafeLoader`
subclass), never with PyYAML's constructors, so that:

- bytes are decoded strictly as UTF-8 and bad bytes are reported with a line
  and column;
- scalars resolve by the YAML 1.2 core schema: only `true`/`false` are
  booleans, `no`/`on`/`NO` stay text, `2009-01-27` stays text (the engine's own
  date parser reads it, with its own message);
- anchors, aliases and tags outside the core schema are refused (no alias
  bombs, no object construction);
- duplicate keys, keys that are not text and keys with control characters
  are refused, naming both lines;
- lines are numbered as editors number them (NEL and U+2028 end no line);
- size, depth and node count are capped (`LIMITS`);
- every node's position can be asked of the `Document`, by its path.

A plain file (no anchor, alias or tag, nothing to report) is composed by
libyaml in C and its positions looked up only when asked for
(`yamltree.load_fast`); any other file is read from libyaml's event stream,
which finds and words every problem (`yamlevents.load_full`). The fast path
gives up rather than judge, so both give the same data, positions and
messages.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, MouError
from .sources import read_input, too_large
from .yamldoc import BREAK, FORBIDDEN, LIMITS, Document, Limits, Positions, resolve_plain, source_lines
from .yamlevents import load_full
from .yamltree import load_fast

__all__ = ["LIMITS", "Document", "Limits", "decode", "load_yaml", "read_yaml", "resolve_plain", "source_lines"]


def decode(raw: bytes, file: str, limits: Limits = LIMITS) -> str:
    """Strict UTF-8 (a BOM allowed) to text; bad bytes and control characters located."""
    if len(raw) > limits.max_bytes:
        raise MouError.at(Location(file, 1, 1), too_large(len(raw), limits.max_bytes))
    encoding = _other_encoding(raw)
    if encoding:
        raise MouError.at(Location(file, 1, 1), f"the file is encoded as {encoding}, not UTF-8; "
                                                "save it as UTF-8 (in most editors: Save with Encoding → UTF-8)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
        line = len(BREAK.findall(before.decode("utf-8", "replace"))) + 1
        column = len(before[start:].decode("utf-8", "replace")) + 1
        raise MouError.at(Location(file, line, column),
                          f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8") from None
    bad = FORBIDDEN.search(text)
    if bad:
        raise MouError.at(Positions(text).at(file, bad.start()),
                          f"control character U+{ord(bad.group()):04X} is not allowed in YAML")
    return text


def _other_encoding(raw: bytes) -> str:
    """The name of the encoding a file evidently has when it is UTF-16 or UTF-32 rather than UTF-8, or ''.

    Known by its byte-order mark, or, without one, by the zero byte that
    UTF-16 puts beside every ASCII character.
    """
    for mark, name in ((b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"), (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
                       (b"\xff\xfe", "UTF-16 (little-endian)"), (b"\xfe\xff", "UTF-16 (big-endian)")):
        if raw.startswith(mark):
            return name
    head = raw[:200]
    if len(head) >= 8 and head.count(0) * 3 >= len(head):
        return "UTF-16 (little-endian)" if head[1::2].count(0) > head[::2].count(0) else "UTF-16 (big-endian)"
    return ""


def load_yaml(source: str | bytes, file: str, limits: Limits = LIMITS, keep_going: bool = False) -> Document:
    """Read one YAML document into plain data with marks; raise MouError on any problem.

    With `keep_going`, problems that leave the data usable (a duplicate key,
    whose second value is dropped; a key that is not text; an anchor, alias
    or tag) are returned in `Document.problems` instead, so that the caller
    can report them together with what it finds next.
    """
    text = decode(source, file, limits) if isinstance(source, bytes) else source
    if isinstance(source, str):
        decode(source.encode("utf-8", "surrogatepass"), file, limits)
    return load_fast(text, file, limits) or load_full(text, file, limits, keep_going)


def read_yaml(path: str | Path, limits: Limits = LIMITS, keep_going: bool = False, what: str = "file",
              location: Location | None = None) -> Document:
    """Read a YAML file from disk (see `load_yaml`): a regular file only, of at most `limits.max_bytes`.

    `what` and `location` are as for `sources.read_input`.
    """
    raw = read_input(path, limits.max_bytes, what, location)
    return load_yaml(raw, str(path), limits, keep_going)
