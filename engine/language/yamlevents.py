"""Reading YAML from libyaml's event stream: every mark recorded, every problem found and worded.

Stage: after yamldoc. Imports `yamldoc` and `errors`.

This is the reader of record: `yamltree` reads a plain file faster and leaves
everything else here, so each message about a file comes from this module.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Diagnostic, Location, MouError
from .yamldoc import (CONTROL, CORE_TAGS, NUMBER, Document, Limits, StrictLoader, Positions, Stop,
                      tagged, resolve_plain, source_lines)


def load_full(text: str, file: str, limits: Limits, keep_going: bool) -> Document:
    """Read from libyaml's event stream, recording every mark and every problem (see `load_yaml`)."""
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


_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "next-line character (U+0085)", "\u2028": "line separator (U+2028)",
                "\u2029": "paragraph separator (U+2029)"}


def _syntax_error(error: yaml.MarkedYAMLError, text: str, file: str) -> Diagnostic:
    """libyaml's complaint in words a person can act on, at the place that needs the fix."""
    mark = error.problem_mark or error.context_mark
    positions = Positions(text)
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
    hidden = [found for found in _HIDDEN_BREAK.finditer(text, 0, mark.index + 1)] if mark else []
    if hidden and positions.at(file, hidden[-1].start()).line >= line - 1:  # a line break only YAML sees
        return Diagnostic(positions.at(file, hidden[-1].start()),
                          f"a {_BREAK_NAMES[hidden[-1].group()]} stands here: YAML reads it as the end of a line, "
                          "though editors show none; delete it, or put the text in quotes")
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
        opened = positions.at(file, context.index)  # as editors number lines (libyaml's own counts NEL)
        problem = (f"the {{ opened at line {opened.line}, column {opened.column} is not closed "
                   f"with }} (or a , is missing)")
    elif context is not None and error.context and "flow sequence" in error.context:
        opened = positions.at(file, context.index)
        problem = (f"the [ opened at line {opened.line}, column {opened.column} is not closed "
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


class _Builder:
    """Turns libyaml events into plain data, recording marks and problems."""

    def __init__(self, file: str, limits: Limits, text: str):
        self.file = file
        self.limits = limits
        self.positions = Positions(text)
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
        except Stop:
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
            raise Stop
        if depth > self.limits.max_depth:
            self.fatal.append(Diagnostic(location, f"nesting is deeper than {self.limits.max_depth} levels"))
            raise Stop
        self.marks[path] = location
        if isinstance(event, yaml.AliasEvent):
            self._refuse(location, f"aliases (*{event.anchor}) are not allowed; write the value out")
            return None
        if getattr(event, "anchor", None):
            self._refuse(location, f"anchors (&{event.anchor}) are not allowed; write values out")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        plain_implicit = implicit[0] if isinstance(implicit, tuple) else implicit
        if tag and tag not in CORE_TAGS and not (tag == "!" and not plain_implicit):
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
        raise Stop  # pragma: no cover - libyaml emits no other node events

    def scalar(self, event, path: tuple, location: Location, tag: str | None) -> Any:
        if len(event.value) > self.limits.max_scalar_chars:
            self.fatal.append(Diagnostic(location, f"value is longer than {self.limits.max_scalar_chars:,} characters"))
            return None
        self.styles[path] = event.style or ""
        if tag and tag in CORE_TAGS:
            if len(event.value) > self.limits.max_number_chars and tag != "tag:yaml.org,2002:str":
                self.problems.append(Diagnostic(location, f"a value of {len(event.value):,} characters is too long "
                                                          f"for {tag.rsplit(':', 1)[-1]}"))
                return None
            try:
                return tagged(event.value, tag)
            except ValueError as error:
                self.problems.append(Diagnostic(location, str(error)))
                return None
        plain = event.style in (None, "") and event.implicit[0]
        if plain and len(event.value) > self.limits.max_number_chars and NUMBER.fullmatch(event.value):
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
            control = CONTROL.search(key)
            if control:
                self.problems.append(Diagnostic(key_location, f"key {key!r} contains the control character "
                                                              f"U+{ord(control.group()):04X}; a key is a name"))
            seen[key] = key_location
            self.key_marks[path + (key,)] = key_location
            result[key] = self.node(loader, path + (key,), depth + 1)
        loader.get_event()
        return result
