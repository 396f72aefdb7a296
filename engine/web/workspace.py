"""The scenario files the page offers: the workspace's own listing, opened only by a name from it.

Stage: web. Imports the standard library only.

No path from a request is ever opened: a request names a scenario, and the
name is looked up among the files the directory lists, as it lists them when
the request comes (a scenario saved there while the server runs is offered
at once; one removed is gone). Only a file of that listing is read, and only
when it is new or has changed since it was last read (its size and
modification time). The default workspace is the shipped scenarios.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MAX_FILE = 1_000_000
"""A file larger than a request may be is left out of the listing."""
MAX_FILES = 5_000
_TITLE = re.compile(r"^scenario:\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    """One scenario file of the workspace: its name (the file's stem), title and text."""

    name: str
    title: str
    text: str

    def to_json(self, text: bool = False) -> dict:
        """As `GET /v1/scenarios` lists it (with `text`, as `GET /v1/scenarios/{name}` returns it)."""
        data = {"name": self.name, "title": self.title}
        if text:
            data["scenario"] = self.text
        return data


def shipped_scenarios() -> Path | None:
    """The directory of the shipped scenarios (`mou/scenarios` installed, `scenarios/` in a checkout), if any."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "scenarios", package.parent / "scenarios"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


class Workspace:
    """The scenario files directly in a directory (*.yaml, *.yml with a top-level `scenario:`), by name."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.entries: dict[str, Entry] = {}
        self._read: dict[str, tuple[tuple[int, int], Entry | None]] = {}  # file name → (size, mtime), its entry
        self.refresh()

    def refresh(self) -> dict[str, Entry]:
        """List the directory again: the scenarios it holds now, by name (files read only if new or changed).

        A new dict each time, swapped in whole: a request reading the last
        listing while another lists again sees one or the other, never half.
        """
        if self.directory is None:
            return self.entries
        try:
            paths = sorted(self.directory.iterdir())[:MAX_FILES]
        except OSError:
            paths = []
        entries: dict[str, Entry] = {}
        read: dict[str, tuple[tuple[int, int], Entry | None]] = {}
        for path in paths:
            if path.suffix not in (".yaml", ".yml"):
                continue
            try:
                if not path.is_file():
                    continue
                status = path.stat()
            except OSError:
                continue
            stamp = (status.st_size, status.st_mtime_ns)
            known = self._read.get(path.name)
            entry = known[1] if known is not None and known[0] == stamp else _entry(path, status.st_size)
            read[path.name] = (stamp, entry)
            if entry is not None:
                entries.setdefault(entry.name, entry)
        self._read = read
        self.entries = entries
        return entries

    def listing(self) -> list[dict]:
        """Every scenario's name and title, by name, as the directory holds them now."""
        return [entry.to_json() for entry in self.refresh().values()]

    def get(self, name: str) -> Entry | None:
        """The scenario listed under `name` now, or None."""
        return self.refresh().get(name)


def _entry(path: Path, size: int) -> Entry | None:
    """A file of the listing as a scenario: None if it is too large, unreadable, or not a scenario."""
    if size > MAX_FILE:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = _TITLE.search(text)
    if found is None:
        return None  # not a scenario (no top-level `scenario:`)
    return Entry(path.stem, found.group(1).strip("'\""), text)
