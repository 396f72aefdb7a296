"""Strict YAML reading: plain data plus the line and column of every node.

Stage: after errors. Imports `errors` and `sources` (which reads files safely).

Scenario and clause files are read through `load_yaml`, never `yaml.load`.
It builds the data itself from libyaml's event stream (a `SafeLoader`
subclass), so that:

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
- every node's position is kept in `Document.marks`, keyed by its path.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, Location, MouError
from .sources import read_input, too_large


@dataclass(frozen=True)
class Limits:
    """The caps on one input file, named in one place."""

    max_bytes: int = 1_000_000
    max_depth: int = 64
    max_nodes: int = 200_000
    max_scalar_chars: int = 100_000
    max_number_chars: int = 100


LIMITS = Limits()

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Document:
    """Data read from one YAML file, with the position of every node."""

    file: str
    data: Any
    marks: dict[tuple, Location] = field(default_factory=dict)
    key_marks: dict[tuple, Location] = field(default_factory=dict)
    source: str = ""
    styles: dict[tuple, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)  # found, but the data is usable (keep_going)

    def location(self, path: tuple = ()) -> Location:
        """The position of the node at `path`, or of its nearest recorded parent."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), Location(self.file, 1, 1))

    def key_location(self, path: tuple) -> Location:
        """The position of the key of the mapping entry at `path` (else its value)."""
        return self.key_marks.get(tuple(path)) or self.location(path)

    def text_location(self, path: tuple, offset: int, fragment: str = "") -> Location:
        """The position of character `offset` of the text scalar at `path`.

        Exact for single-line plain and quoted scalars; for block and
        multi-line scalars the fragment is looked up in the source lines.
        """
        start = self.location(path)
        style = self.styles.get(tuple(path), "")
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


# YAML 1.2 core schema, for plain scalars only.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NUMBER = re.compile(r"[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|[0-9.]+([eE][-+]?[0-9]+)?)")
_CORE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}
# Characters YAML forbids in a stream (besides tab, LF, CR) and that no
# editor shows: C0 and C1 controls, DEL, lone surrogates, noncharacters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """The lines of a file as editors number them: only CR, LF and CRLF end a line.

    (`str.splitlines` and libyaml also break at NEL, U+2028 and U+2029, which
    would shift every line number after one of them.)
    """
    return _BREAK.split(text)


class _Positions:
    """Line and column of a character offset, counting lines as `source_lines` does."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in _BREAK.finditer(text)]

    def at(self, file: str, index: int) -> Location:
        line = bisect.bisect_right(self.starts, index)
        return Location(file, line, index - self.starts[line - 1] + 1)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Control characters (C0, DEL, C1): refused in keys, ids and titles (YAML escapes can write them)."""


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema."""
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


def _tagged(text: str, tag: str) -> Any:
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
        line = len(_BREAK.findall(before.decode("utf-8", "replace"))) + 1
        column = len(before[start:].decode("utf-8", "replace")) + 1
        raise MouError.at(Location(file, line, column),
                          f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8") from None
    bad = _FORBIDDEN.search(text)
    if bad:
        raise MouError.at(_Positions(text).at(file, bad.start()),
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
    builder = _Builder(file, limits, text)
    fatal: list[Diagnostic] = []
    try:
        loader = StrictLoader(text)
        try:
            data = builder.stream(loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        fatal.append(_syntax_error(error, text, file))
        data = None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports marks for all it raises
        fatal.append(Diagnostic(Location(file, 1, 1), f"invalid YAML: {error}"))
        data = None
    except RecursionError:
        fatal.append(Diagnostic(Location(file, 1, 1), f"nesting is deeper than {limits.max_depth} levels"))
        data = None
    if fatal or builder.fatal or (builder.problems and not keep_going):
        raise MouError(builder.problems + builder.fatal + fatal)
    document = Document(file, data, builder.marks, builder.key_marks, text, builder.styles)
    document.problems = list(builder.problems)
    return document


def _syntax_error(error: yaml.MarkedYAMLError, text: str, file: str) -> Diagnostic:
    """libyaml's complaint in words a person can act on, at the place that needs the fix."""
    mark = error.problem_mark or error.context_mark
    positions = _Positions(text)
    line, column = (positions.at(file, mark.index).line, positions.at(file, mark.index).column) if mark else (1, 1)
    problem = error.problem or error.context or "invalid YAML"
    lines = source_lines(text)
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    context = error.context_mark
    long_key = _long_key(text, mark.index) if mark else None
    if long_key is not None:
        start, length = long_key
        return Diagnostic(positions.at(file, start), f"this key is {length:,} characters long; YAML allows at most "
                                                     f"1,024 characters in a key (keys are names such as `received`)")
    for number in range(max(1, line - 1), line + 1):  # an invisible no-break space is the usual culprit
        found = lines[number - 1].find("\u00a0") if 0 < number <= len(lines) else -1
        if found >= 0:
            return Diagnostic(Location(file, number, found + 1), "a no-break space (U+00A0) stands here; "
                                                                 "YAML needs an ordinary space: retype it")
    for number in range(max(1, line - 1), line + 1):
        source = lines[number - 1] if 0 < number <= len(lines) else ""
        glued = re.search(r"^(\s*(?:-\s+)?)([A-Za-z_][\w.]*):(\S)", source)
        if glued and "://" not in source:
            return Diagnostic(Location(file, number, glued.start(2) + 1),
                              f"a key needs a space after its colon: write `{glued.group(2)}: "
                              f"{source[glued.end(2) + 1:].strip()}`")
    if column - 1 < len(here) and here[column - 1] == "\t" or "tab" in problem:
        problem = "a tab stands here; YAML indents and separates with spaces, not tabs"
    elif problem == "mapping values are not allowed in this context":
        problem = ("unexpected ': ' here: if this value is text containing ': ', put it in quotes; "
                   "otherwise check this line's indentation against the lines above")
    elif context is not None and error.context and "flow mapping" in error.context:
        problem = (f"the {{ opened at line {context.line + 1}, column {context.column + 1} is not closed "
                   f"with }} (or a , is missing)")
    elif context is not None and error.context and "flow sequence" in error.context:
        problem = (f"the [ opened at line {context.line + 1}, column {context.column + 1} is not closed "
                   f"with ] (or a , is missing)")
    else:
        problem = f"invalid YAML: {problem}"
    return Diagnostic(Location(file, line, column), problem)


_MAX_KEY = 1024  # libyaml's limit on a simple key; past it, it reports "could not find expected ':'"


def _long_key(text: str, index: int) -> tuple[int, int] | None:
    """(start, length) of a key longer than libyaml allows that ends at or just after `index`, or None."""
    end = index
    while end < len(text) and end < index + 2 and text[end] in "'\"":
        end += 1
    if end >= len(text) or text[end] != ":":
        return None
    start = end
    while start > 0 and text[start - 1] not in " \t\r\n{[,":
        start -= 1
    return (start, end - start) if end - start > _MAX_KEY else None


def read_yaml(path: str | Path, limits: Limits = LIMITS, keep_going: bool = False, what: str = "file",
              location: Location | None = None) -> Document:
    """Read a YAML file from disk (see `load_yaml`): a regular file only, of at most `limits.max_bytes`.

    `what` and `location` are as for `sources.read_input`.
    """
    raw = read_input(path, limits.max_bytes, what, location)
    return load_yaml(raw, str(path), limits, keep_going)


class _Stop(Exception):
    """A problem after which the rest of the stream cannot be read sensibly."""


class _Builder:
    """Turns libyaml events into plain data, recording marks and problems."""

    def __init__(self, file: str, limits: Limits, text: str):
        self.file = file
        self.limits = limits
        self.positions = _Positions(text)
        self.marks: dict[tuple, Location] = {}
        self.key_marks: dict[tuple, Location] = {}
        self.styles: dict[tuple, str] = {}
        self.problems: list[Diagnostic] = []  # the data is still usable
        self.fatal: list[Diagnostic] = []  # reading stopped
        self.nodes = 0
        self.refused = 0

    def _refuse(self, location: Location, message: str) -> None:
        """Anchors, aliases and tags: refused outright (the first few reported, then a count)."""
        self.refused += 1
        if self.refused <= 5:
            self.fatal.append(Diagnostic(location, message))
        elif self.refused == 6:
            self.fatal.append(Diagnostic(location, "more anchors, aliases or tags follow; remove them all"))

    def _loc(self, mark) -> Location:
        return self.positions.at(self.file, mark.index)

    def stream(self, loader) -> Any:
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            self.fatal.append(Diagnostic(Location(self.file, 1, 1), "file is empty; expected a YAML mapping"))
            return None
        loader.get_event()  # DocumentStart
        try:
            data = self.node(loader, (), 0)
        except _Stop:
            return None
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            self.fatal.append(Diagnostic(self._loc(event.start_mark),
                                         "file holds more than one YAML document; expected one"))
        if data is None and self.marks.get(()) is not None and not self.problems:
            self.fatal.append(Diagnostic(Location(self.file, 1, 1), "file is empty; expected a YAML mapping"))
        return data

    def node(self, loader, path: tuple, depth: int) -> Any:
        event = loader.get_event()
        location = self._loc(event.start_mark)
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self.fatal.append(Diagnostic(location, f"file has more than {self.limits.max_nodes:,} YAML nodes"))
            raise _Stop
        if depth > self.limits.max_depth:
            self.fatal.append(Diagnostic(location, f"nesting is deeper than {self.limits.max_depth} levels"))
            raise _Stop
        self.marks[path] = location
        if isinstance(event, yaml.AliasEvent):
            self._refuse(location, f"aliases (*{event.anchor}) are not allowed; write the value out")
            return None
        if getattr(event, "anchor", None):
            self._refuse(location, f"anchors (&{event.anchor}) are not allowed; write values out")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        plain_implicit = implicit[0] if isinstance(implicit, tuple) else implicit
        if tag and tag not in _CORE_TAGS and not (tag == "!" and not plain_implicit):
            self._refuse(location, f"tag {tag!r} is not allowed; only plain YAML values are")
            tag = None
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path, location, tag)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not loader.check_event(yaml.SequenceEndEvent):
                items.append(self.node(loader, path + (len(items),), depth + 1))
            loader.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(loader, path, depth)
        raise _Stop  # pragma: no cover - libyaml emits no other node events

    def scalar(self, event, path: tuple, location: Location, tag: str | None) -> Any:
        if len(event.value) > self.limits.max_scalar_chars:
            self.fatal.append(Diagnostic(location, f"value is longer than {self.limits.max_scalar_chars:,} characters"))
            return None
        self.styles[path] = event.style or ""
        if tag and tag in _CORE_TAGS:
            if len(event.value) > self.limits.max_number_chars and tag != "tag:yaml.org,2002:str":
                self.problems.append(Diagnostic(location, f"a value of {len(event.value):,} characters is too long "
                                                          f"for {tag.rsplit(':', 1)[-1]}"))
                return None
            try:
                return _tagged(event.value, tag)
            except ValueError as error:
                self.problems.append(Diagnostic(location, str(error)))
                return None
        plain = event.style in (None, "") and event.implicit[0]
        if plain and len(event.value) > self.limits.max_number_chars and _NUMBER.fullmatch(event.value):
            self.problems.append(Diagnostic(location, f"a number of {len(event.value):,} digits is too long; "
                                                      "put it in quotes if it is text"))
            return event.value
        return resolve_plain(event.value) if plain else event.value

    def mapping(self, loader, path: tuple, depth: int) -> dict:
        result: dict[str, Any] = {}
        seen: dict[str, Location] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            key_location = self._loc(key_event.start_mark)
            if not isinstance(key_event, yaml.ScalarEvent):
                self.problems.append(Diagnostic(key_location, "a key must be plain text, not a list or mapping"))
                self.node(loader, path + ("<key>",), depth + 1)
                self.node(loader, path + ("<value>",), depth + 1)
                continue
            key = self.node(loader, path + ("<key>",), depth + 1)
            self.marks.pop(path + ("<key>",), None)
            self.styles.pop(path + ("<key>",), None)
            if not isinstance(key, str):
                shown = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
                self.problems.append(Diagnostic(
                    key_location, f"key {shown} is not text; quote it (\"{key_event.value}\") if it is meant as a name"))
                self.node(loader, path + ("<value>",), depth + 1)
                continue
            if key in seen:
                first = seen[key]
                self.problems.append(Diagnostic(
                    key_location, f"duplicate key {key!r} (first given at line {first.line}); each key may appear once"))
                self.node(loader, path + ("<dup>",), depth + 1)
                continue
            control = _CONTROL.search(key)
            if control:
                self.problems.append(Diagnostic(key_location, f"key {key!r} contains the control character "
                                                              f"U+{ord(control.group()):04X}; a key is a name"))
            seen[key] = key_location
            self.key_marks[path + (key,)] = key_location
            result[key] = self.node(loader, path + (key,), depth + 1)
        loader.get_event()
        return result
