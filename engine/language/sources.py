"""Input files from disk: regular files only, size-capped, never a blocking open.

Stage: the clause language, its first step (scenario files use it too).
Imports only `errors`.

Every file the engine reads (scenario files, clause files, the signed text)
goes through `read_input`, which:

- looks at the file with `os.stat` before opening it: a directory, a named
  pipe (FIFO), a device or a socket is refused with a message that says what
  it is, so that nothing ever waits on a pipe nobody writes to, or reads
  `/dev/zero` until memory runs out;
- refuses a file larger than the limit, giving the file's real size;
- opens with `O_NONBLOCK` and checks the opened file again (`os.fstat`), so a
  file swapped for a FIFO between the look and the open cannot block either;
- reads at most the limit plus one byte.

`manifest_path` keeps the paths a clause manifest names inside the clause
directory (no absolute paths, no `..`, no symlink that leads out), and
`scenario_files` expands the paths given on the command line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterable

from ..errors import Diagnostic, Location, MouError


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"  # pragma: no cover - doors, whiteouts and the like


def size_words(size: int) -> str:
    """A byte count as people read it: `11,000,000 bytes (10.5 MiB)`."""
    if size < 1024 * 1024:
        return f"{size:,} bytes"
    return f"{size:,} bytes ({size / (1024 * 1024):.1f} MiB)"


def too_large(size: int, limit: int) -> str:
    """The message for a file over the size limit, with both real numbers."""
    return f"file is {size_words(size)}; the limit is {limit:,} bytes"


def read_input(path: str | Path, limit: int, what: str = "file",
               location: Location | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; MouError (located at `location`) otherwise.

    `what` names the file in messages ("scenario file", "signed text");
    `location` is where the problem is reported (by default the file itself,
    line 1, column 1).
    """
    path = Path(path)
    where = location or Location(str(path), 1, 1)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise MouError.at(where, f"no such {what}: {path}") from None
    except OSError as error:
        raise MouError.at(where, f"cannot read {what} {path}: {error.strerror or error}") from None
    kind = _kind(info.st_mode)
    if kind is not None:
        raise MouError.at(where, f"{path} is {kind}, not a regular file; a {what} must be a regular file")
    if info.st_size > limit:
        raise MouError.at(where, too_large(info.st_size, limit))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise MouError.at(where, f"cannot read {what} {path}: {error.strerror or error}") from None
    try:
        opened = os.fstat(descriptor)
        kind = _kind(opened.st_mode)
        if kind is not None:  # replaced between the look and the open
            raise MouError.at(where, f"{path} is {kind}, not a regular file; a {what} must be a regular file")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise MouError.at(where, f"cannot read {what} {path}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if total > limit:  # it grew while being read: its size now, or at least what was read
        raise MouError.at(where, too_large(max(total, os.stat(path).st_size), limit))
    return b"".join(chunks)


def manifest_path(directory: Path, name: str, location: Location, what: str) -> Path:
    """`name` from a clause manifest as a path inside `directory`; MouError when it would lead out.

    The message names the path as written and never anything read from it.
    """
    problem = None
    if not name.strip():
        problem = "is empty"
    elif PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or name.startswith("~"):
        problem = "is an absolute path"
    elif ".." in PurePosixPath(name.replace("\\", "/")).parts:
        problem = "goes up with '..'"
    if problem is None:
        root = directory.resolve()
        target = (directory / name).resolve()
        if target != root and root not in target.parents:
            problem = "leads out of the clause directory (through a symbolic link)"
    if problem is not None:
        raise MouError.at(location, f"{what} {name!r} {problem}; name a file inside the clause directory "
                                    f"({directory}) by a path relative to it")
    return directory / name


SCENARIO_KEY = re.compile(rb"^(scenario|'scenario'|\"scenario\")[ \t]*:", re.MULTILINE)
"""A scenario file's top-level mapping has a `scenario:` key, at the start of a line."""


def looks_like_scenario(data: bytes) -> bool:
    """Whether YAML text is a scenario file: its top-level mapping has a `scenario` key."""
    return SCENARIO_KEY.search(data) is not None


def scenario_files(paths: Iterable[Path], diagnostics: list[Diagnostic], limit: int = 1_000_000
                   ) -> tuple[list[Path], list[Path]]:
    """The scenario files named on the command line, and the YAML files skipped under directories.

    A file named explicitly is always taken (and refused when read, if it is
    not a scenario). Under a directory, a *.yaml / *.yml file is taken when its
    top-level mapping has a `scenario` key, as the pytest plugin collects them;
    other YAML (CI workflows, clause files, configuration) is skipped and
    counted. A path that does not exist, or that is a FIFO, device or socket,
    is reported in `diagnostics` (it is never opened); so is such a file found
    under a directory.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            diagnostics.append(Diagnostic(Location(str(path)), "no such file or directory"))
            continue
        except OSError as error:
            diagnostics.append(Diagnostic(Location(str(path)), f"cannot read: {error.strerror or error}"))
            continue
        if stat.S_ISDIR(info.st_mode):
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and not p.is_dir())
            taken = []
            for candidate in found:
                try:
                    data = read_input(candidate, limit, "scenario file")
                except MouError:
                    taken.append(candidate)  # a FIFO or an oversized file: reading it again says what it is
                    continue
                (taken if looks_like_scenario(data) else skipped).append(candidate)
            if not taken:
                diagnostics.append(Diagnostic(Location(str(path)), "no scenario files here (YAML files whose "
                                                                   "top-level mapping has a `scenario:` key)"))
            files.extend(taken)
        else:
            files.append(path)  # read_input says what it is if it is not a regular file
    return files, skipped
