"""The scenario files the page offers: listed once at start, then opened only by a name from that listing.

Stage: web. Imports the standard library only.

No path from a request is ever opened: a request names a scenario, and the
name is looked up in the listing made when the server started (the texts are
read then too). The default workspace is the shipped scenarios.
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
        if directory is None:
            return
        for path in sorted(directory.iterdir())[:MAX_FILES]:
            if path.suffix not in (".yaml", ".yml") or not path.is_file() or path.stat().st_size > MAX_FILE:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            found = _TITLE.search(text)
            if found is None:
                continue  # not a scenario (no top-level `scenario:`)
            title = found.group(1).strip("'\"")
            self.entries.setdefault(path.stem, Entry(path.stem, title, text))

    def listing(self) -> list[dict]:
        """Every scenario's name and title, by name."""
        return [entry.to_json() for entry in self.entries.values()]

    def get(self, name: str) -> Entry | None:
        """The scenario listed under `name`, or None."""
        return self.entries.get(name)
