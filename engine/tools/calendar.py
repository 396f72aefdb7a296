"""The agenda for people, for calendar programs, and kept current while a scenario file grows.

Stage: tools. Imports `answers.agenda`, `command`, `terminal`, `mou.dates` and `mou.errors`, and works
with an `Engine` it is given; the calendar is written with `icalendar`.

- `agenda_lines`: the agenda as text, one item a paragraph;
- `agenda_ics`: an iCalendar file (RFC 5545), one all-day event per dated
  item and one to-do per undated one, a duty of both parties once, with the
  paragraph and its text, the parties and the event in its description;
- `Watcher`: re-reads a scenario file (an event log that grows) and says
  what changed in its agenda since the last time it looked; `watch` polls it
  until Ctrl-C;
- `run_agenda`: `mou agenda`, from its options to its output.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import textwrap
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from .. import jsontext
from ..answers.agenda import DEFAULT_DAYS, Agenda, Item, agenda, sort_key
from ..dates import DateError, parse_date
from ..errors import Diagnostic, Location, MouError
from ..language.sources import read_input
from ..language.yamlio import LIMITS
from .command import EXIT_OK, print_diagnostics, writing
from .outputs import atomic_output
from .terminal import escape_controls, unescaped

KIND_WORDS = {"deadline": "deadline", "takes_effect": "takes effect", "awaiting": "awaiting"}
PRODID = "-//mou//agenda//EN"


def agenda_heading(document: Agenda) -> str:
    """The first line: whose agenda, from when to when, and how many items."""
    count = len(document.items)
    title = document.scenario.title or document.scenario.file
    return (f"Agenda of “{title}” from {document.on} to {document.until} "
            f"({(document.until - document.on).days} days): {count:,} item{'' if count == 1 else 's'}")


def item_lines(item: Item, width: int = 100, mark: str = " ") -> list[str]:
    """One item: its date, kind, paragraph, party and event on one line, then what it says, wrapped."""
    when = item.date.isoformat() if item.date else "no date"
    facts = [item.paragraph, item.party or "either party", f"event {item.event}" if item.event else ""]
    head = f"{mark} {when:<10}  {KIND_WORDS[item.kind]:<12}  " + "  ".join(part for part in facts if part)
    body = textwrap.wrap(item.says, width=max(width - 6, 34), initial_indent=" " * 6, subsequent_indent=" " * 6,
                         break_on_hyphens=False)
    return [head.rstrip(), *body]


def agenda_lines(document: Agenda, width: int = 100) -> list[str]:
    """The agenda as text for people: a heading, then each item."""
    lines = [agenda_heading(document)]
    if not document.items:
        why = f": the {document.short_name} ended on {document.ended}" if document.ended else " in these days"
        lines.append(f"  nothing falls due, takes effect or awaits action{why}")
    for item in document.items:
        lines.extend(item_lines(item, width))
    return lines


def agenda_ics(document: Agenda, paragraphs: Mapping[str, Any]) -> bytes:
    """The agenda as an iCalendar file: one all-day event per dated item, one to-do per undated one.

    An item without a date has no day in a calendar: it is a `VTODO` with no
    due date (calendar programs list it among the tasks), never an event on
    the agenda's first day. A duty that both parties owe (the same clause,
    event, kind and day for each bearer) is one entry naming both, not one
    per party. The same agenda gives the same bytes: the time stamp is the
    agenda's first day, and each UID is derived from what the entry is.
    """
    from icalendar import Calendar, Event, Todo

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", escape_controls(f"Agenda: {document.scenario.title or document.scenario.file}"))
    stamp = datetime(document.on.year, document.on.month, document.on.day, tzinfo=timezone.utc)
    for group in calendar_entries(document.items):
        item = group[0]
        entry = Event() if item.date else Todo()
        entry.add("uid", _uid(document, group))
        entry.add("dtstamp", stamp)
        if item.date:
            entry.add("dtstart", item.date)
            entry.add("dtend", item.date + timedelta(days=1))
            entry.add("transp", "TRANSPARENT")
        says = _says(group)
        summary = f"{item.paragraph}: {says}" if item.date else f"{item.paragraph} (no date): {says}"
        entry.add("summary", escape_controls(summary))
        entry.add("description", escape_controls(_description(group, paragraphs)))
        entry.add("categories", [KIND_WORDS[item.kind]])
        calendar.add_component(entry)
    return calendar.to_ical()


def calendar_entries(items: tuple[Item, ...]) -> list[list[Item]]:
    """The agenda's items as calendar entries: those that differ only in their party are one entry, in order."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        groups.setdefault((item.source, item.kind, item.event, item.date), []).append(item)
    return list(groups.values())


def parties_of(group: list[Item]) -> str:
    """Whom an entry is for: `ECO`, `ECO and IOM`, or `either party`."""
    named = [item.party for item in group if item.party]
    if not named:
        return "either party"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _says(group: list[Item]) -> str:
    """What an entry says: the words of its first party when all say the same of both, else each one's."""
    said = list(dict.fromkeys(item.says for item in group))
    if len(said) == 1 or all(sorted(text.split()) == sorted(said[0].split()) for text in said):
        return said[0]
    return "; ".join(said)


def _description(group: list[Item], paragraphs: Mapping[str, Any]) -> str:
    item = group[0]
    lines = [_says(group), ""]
    when = f"on {item.date}" if item.date else "no date: open as of the agenda's first day"
    lines.append(f"{KIND_WORDS[item.kind].capitalize()}, {when}.")
    lines.append(f"Paragraph {item.paragraph}" + (f": “{paragraphs[item.paragraph].text}”"
                                                  if item.paragraph in paragraphs else ""))
    lines.append(f"{'Parties' if len(group) > 1 else 'Party'}: {parties_of(group)}")
    if item.event:
        lines.append(f"Event: {item.event}")
    return "\n".join(lines)


def _uid(document: Agenda, group: list[Item]) -> str:
    key = "\x1f".join(str(part) for part in (document.scenario.title, *group[0].key))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@mou-agenda"


@dataclass
class Change:
    """What changed in an agenda since it was last looked at (the first look: everything is new)."""

    agenda: Agenda | None
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # the file is invalid now: the agenda stands
    first: bool = False

    def lines(self, width: int = 100) -> list[str]:
        """The change for people: a heading, then `+` for each new item and `-` for each one gone."""
        if self.agenda is None:
            return []
        if self.first:
            return agenda_lines(self.agenda, width)
        file = self.agenda.scenario.file
        count = len(self.agenda.items)
        lines = [f"{file} changed: {len(self.added)} new, {len(self.removed)} no longer on the agenda "
                 f"({self.agenda.on} to {self.agenda.until}: {count:,} item{'' if count == 1 else 's'})"]
        for item in self.removed:
            lines.extend(item_lines(item, width, "-"))
        for item in self.added:
            lines.extend(item_lines(item, width, "+"))
        return lines

    def to_json(self) -> dict:
        """`{"decision", "on", "until", "added": [...], "removed": [...]}` (the first look: `items`, as `mou agenda`)."""
        assert self.agenda is not None
        if self.first:
            return self.agenda.to_json()
        return {"decision": self.agenda.decision, "on": self.agenda.on.isoformat(),
                "until": self.agenda.until.isoformat(),
                "added": [i.to_json() for i in self.added], "removed": [i.to_json() for i in self.removed]}


class Watcher:
    """Re-reads a scenario file when it changes and says what changed in its agenda.

    `poll()` looks once: None when neither the file nor the day changed (or
    the agenda is the same), else a `Change`. An invalid file gives a change
    with its diagnostics and no agenda; the last agenda stands. With
    `today`, the agenda starts on the day `today()` gives, looked at again
    when it turns.
    """

    def __init__(self, engine: Any, path: str | Path, on: date | None = None, days: int = DEFAULT_DAYS,
                 interpretation: Mapping[str, Any] | None = None, parameters: Mapping[str, Any] | None = None,
                 today: Callable[[], date] | None = None):
        self.engine = engine
        self.path = Path(path)
        self.on = on
        self.days = days
        self.interpretation = dict(interpretation or {})
        self.parameters = dict(parameters or {})
        self.today = today
        self.current: Agenda | None = None
        self._seen: tuple[bytes, date | None] | None = None

    def poll(self) -> Change | None:
        """Look at the file once; what changed in the agenda, if anything did."""
        problem: MouError | None = None
        try:
            # As every scenario file is read: a regular file only, of bounded size, opened without blocking,
            # so a file replaced by a FIFO, a device, a directory or a huge file is reported, not waited on
            # or read into memory.
            content = read_input(self.path, LIMITS.max_bytes, "scenario file")
        except MouError as error:
            content, problem = b"", error
            if not os.path.lexists(self.path):
                problem = None  # gone for a moment (an editor saving it): read it again next time
        on = self.today() if self.today is not None else self.on
        said = "\n".join(map(str, problem.diagnostics)).encode("utf-8", "replace") if problem else b""
        seen = (hashlib.sha256(content + b"\0" + said).digest(), on)
        if seen == self._seen:
            return None
        self._seen = seen
        if problem is not None:
            return Change(None, diagnostics=list(problem.diagnostics))  # the last good agenda stands
        try:
            scenario = self.engine.loads(content, str(self.path))  # the bytes looked at, not a later version
            case = self.engine.case(scenario, self.interpretation, self.parameters, explain=False)
            fresh = agenda(case, on, self.days)
        except MouError as error:
            return Change(None, diagnostics=list(error.diagnostics))
        return self.update(fresh)

    def update(self, fresh: Agenda) -> Change | None:
        """Take `fresh` as the agenda now; what changed since the last one (None: nothing)."""
        previous, self.current = self.current, fresh
        if previous is None:
            return Change(fresh, added=list(fresh.items), first=True)
        before = {item: None for item in previous.items}
        after = {item: None for item in fresh.items}
        added = [item for item in fresh.items if item not in before]
        removed = [item for item in previous.items if item not in after]
        if not added and not removed and (previous.on, previous.until) == (fresh.on, fresh.until):
            return None
        return Change(fresh, added, removed)


def apply(items: list[Item], change: Change) -> list[Item]:
    """The items after a change: what someone who saw only the changes knows (for tests, and clients)."""
    if change.first:
        return list(change.added)
    gone = set(change.removed)
    kept = [item for item in items if item not in gone]
    return sorted([*kept, *change.added], key=sort_key)


TODAY = "today"


def agenda_day(text: str | None) -> date | str | None:
    """`--on`: a date, `today` (the day the command runs, each day anew with --watch), or None (`as_of`)."""
    if text is None or text.strip() == TODAY:
        return None if text is None else TODAY
    try:
        return parse_date(text)
    except DateError as error:
        raise MouError.at(Location("<command line>"), f"--on takes a date YYYY-MM-DD, or `today`: {error}") from None


def render(document: Agenda, fmt: str, paragraphs: Mapping[str, Any], width: int = 100) -> str | bytes:
    """The agenda in a format: `text` and `json` as text, `ics` as the bytes of an iCalendar file."""
    if fmt == "ics":
        return agenda_ics(document, paragraphs)
    if fmt == "json":
        return jsontext.dumps({"schema_version": jsontext.SCHEMA_VERSION, **document.to_json()}) + "\n"
    return "\n".join(agenda_lines(document, width)) + "\n"


def run_agenda(engine: Any, path: Path, on: str | None, days: int, watching: bool, readings: tuple[dict, dict],
               fmt: str, emit: Callable[[str], None], output: Path | None = None, width: int = 100) -> int:
    """`mou agenda`: the agenda of the scenario at `path`, written to `output` or through `emit` (a line at a time).

    With `watching`, polls the file until Ctrl-C and emits what changed; `output`, if given, is rewritten with
    the whole agenda at each change. An iCalendar to standard output is written as bytes, as the format wants.
    """
    choices, parameters = readings
    start = agenda_day(on)
    if watching:
        if fmt == "ics" and output is None:
            raise MouError.at(Location("<command line>"), "--watch --format ics rewrites a calendar file: give -o FILE")
        today = date.today if start == TODAY else None
        watcher = Watcher(engine, path, None if start == TODAY else start, days, choices, parameters, today)
        watch(watcher, lambda change: _show(change, fmt, engine.ruleset.paragraphs, emit, output, width))
        return EXIT_OK  # pragma: no cover - only Ctrl-C (130) or SIGTERM (143) ends a watch
    scenario = engine.read(path)
    document = agenda(engine.case(scenario, choices, parameters, explain=False),
                      date.today() if start == TODAY else start, days)
    _deliver(render(document, fmt, engine.ruleset.paragraphs, width), emit, output)
    return EXIT_OK


def watch(watcher: Watcher, show: Callable[[Change], None], interval: float = 1.0,
          sleep: Callable[[float], None] = time.sleep, polls: int | None = None) -> None:
    """Poll `watcher` every `interval` seconds and `show` each change, until Ctrl-C (or `polls` looks)."""
    count = 0
    while polls is None or count < polls:
        change = watcher.poll()
        if change is not None:
            show(change)
        count += 1
        sleep(interval)


def _show(change: Change, fmt: str, paragraphs: Mapping[str, Any], emit: Callable[[str], None],
          output: Path | None, width: int) -> None:
    print_diagnostics(change.diagnostics)
    if change.agenda is None:
        return
    if output is not None:
        _deliver(render(change.agenda, fmt, paragraphs, width), emit, output)
    if fmt == "json":
        emit(json.dumps(change.to_json(), ensure_ascii=False))  # one line a change: JSON Lines
    else:
        for line in change.lines(width):
            emit(line)


def _deliver(body: str | bytes, emit: Callable[[str], None], output: Path | None) -> None:
    if output is not None:
        with atomic_output(output, binary=isinstance(body, bytes)) as out:
            out.write(body)
    elif isinstance(body, bytes):
        stream = unescaped(sys.stdout)
        with writing("standard output"):
            target = getattr(stream, "buffer", None)
            if target is None:
                stream.write(body.decode("utf-8"))
            else:
                stream.flush()
                target.write(body)
                target.flush()
    else:
        for line in body.rstrip("\n").split("\n"):
            emit(line)
