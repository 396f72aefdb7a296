"""Where a command's results go: `-o`, `--html` and `--junit-xml` paths that never destroy data.

Stage: tools. Imports `command` (`OutputError`, `writing`, `GuardedWriter`).

A file is written under a temporary name beside it and renamed when
complete, so an interrupted or failed run never leaves a file that looks
finished; what is not a regular file is written in place; an output that is
one of the command's inputs is refused before anything is written.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from ..language.cachefiles import alive
from .command import GuardedWriter, OutputError, writing


@contextmanager
def atomic_output(path: Path, binary: bool = False, inputs: Iterable[Path] = (),
                  trees: Iterable[Path] = ()) -> Iterator[Any]:
    """A file written under a temporary name in `path`'s directory, renamed to `path` once complete.

    Yields a writer whose failed writes are `OutputError`s. If the block
    raises (an error, Ctrl-C), the temporary file is removed and `path` is
    left as it was. Nothing it is given is destroyed:
    - `path` may not be one of the command's `inputs` (the same file, through
      symbolic links too; inside an input directory, a scenario file it would
      read), nor any file inside one of its `trees` (the clause directory),
      nor a directory: an `OutputError`, before anything is written;
    - `-` is standard output, and so is `/dev/stdout`; another `/dev/fd/N`
      (a process substitution) is that descriptor, written in place;
    - anything else that exists and is not a regular file (`/dev/null`, a
      FIFO, a device) is opened and written in place, never replaced;
    - a regular file (through a symbolic link: the file it names, and the
      link stays) is replaced whole, keeping its mode; an existing one that is
      not writable is refused, as a shell's `>` would refuse it;
    - the temporary files of earlier writers of `path` that were killed are
      removed.
    """
    target = str(path)
    with writing(target):
        kind, where = _destination(path)
        if kind != "fd":
            refuse_inputs(path, inputs, trees)
    if kind == "fd" and where == 1:
        yield from_stdout(binary)
        return
    mode = None
    with writing(target):
        if kind == "fd":
            temporary, fd = None, os.dup(where)
        elif kind == "special":
            temporary, fd = None, os.open(where, os.O_WRONLY)
        else:
            if os.path.lexists(where) and not os.access(where, os.W_OK):
                raise PermissionError(13, "Permission denied", target)
            _remove_stale(where)
            mode = _mode(where)
            temporary, fd = _create_beside(where)
            if mode is not None:
                os.fchmod(fd, mode)
    stream: IO = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
    try:
        yield GuardedWriter(stream, target)
        with writing(target):
            stream.flush()
            if temporary is not None:
                os.fsync(stream.fileno())
            stream.close()
            if temporary is not None:
                os.replace(temporary, where)
    except BaseException:
        try:
            stream.close()
        except OSError:
            pass  # the disk is full: the file goes anyway
        if temporary is not None:
            _remove(temporary)
        raise


def from_stdout(binary: bool = False) -> "GuardedWriter":
    """Standard output as `atomic_output` yields a file (`-o -`)."""
    stream: Any = sys.stdout
    if binary:
        stream.flush()
        stream = getattr(stream, "buffer", stream)
    return GuardedWriter(stream, "standard output")


def is_stdout(path: Path | None) -> bool:
    """Whether an output path means standard output (`-`)."""
    return path is not None and str(path) == "-"


def refuse_inputs(path: Path, inputs: Iterable[Path] = (), trees: Iterable[Path] = ()) -> None:
    """OutputError if writing `path` would overwrite one of the command's inputs, or a directory."""
    if str(path) == "-":
        return
    target = str(path)
    if os.path.isdir(path):
        raise OutputError(target, IsADirectoryError(21, "it is a directory; give a file name"))
    if not os.path.exists(path):
        return
    real = os.path.realpath(path)
    for given in inputs:
        try:
            if os.path.isdir(given):
                inside = os.path.commonpath([real, os.path.realpath(given)]) == os.path.realpath(given)
                if inside and real.endswith((".yaml", ".yml")):
                    raise OutputError(target, OSError(0, f"it is a scenario file the command reads (in {given})"))
            elif os.path.exists(given) and os.path.samefile(path, given):
                raise OutputError(target, OSError(0, f"it is {given}, which the command reads"))
        except ValueError:
            continue  # another drive (Windows): not the same file
    for tree in trees:
        try:
            top = os.path.realpath(tree)
            if os.path.commonpath([real, top]) == top:
                raise OutputError(target, OSError(0, f"it is in the clause directory {tree}, which the command "
                                                     "reads"))
        except ValueError:
            continue


_FD = re.compile(r"^/(?:proc/(?:self|thread-self|%d)/fd|dev/fd)/(\d+)$" % os.getpid())


def _destination(path: Path) -> tuple[str, Any]:
    """What writing `path` means: ("fd", N) a descriptor of this process, ("special", path) a file that
    exists and is no regular file (written in place), or ("replace", path) the regular file, or new path,
    that symbolic links lead to."""
    if str(path) == "-":
        return "fd", 1
    current = os.path.abspath(path)
    for _ in range(40):
        named = _FD.match(current)
        if named is not None:
            return "fd", int(named.group(1))
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return "replace", Path(current)
        if stat.S_ISLNK(info.st_mode):
            current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
            continue
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "it is a directory; give a file name")
        return ("replace" if stat.S_ISREG(info.st_mode) else "special"), Path(current)
    raise OSError(40, "Too many levels of symbolic links")


def _mode(path: Path) -> int | None:
    """The permission bits of an existing file, which its replacement keeps."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def _create_beside(path: Path) -> tuple[Path, int]:
    """A new file next to `path`, hidden, named so that it cannot be taken for the finished one (and with
    this process's id, so that a later writer can tell it was left by a writer that was killed)."""
    import secrets  # only when a file is written (10 ms of a cold start otherwise)

    while True:
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


STALE_SECONDS = 24 * 3600
"""A temporary file of a writer that is gone, or this old, is removed by the next writer of the same path."""


def _remove_stale(path: Path) -> None:
    """Remove the temporary files that killed writers of `path` left (ours only: `.NAME.PID.HEX.part`)."""
    import time

    mine = re.compile(r"^\.%s\.(?:(\d+)\.)?[0-9a-f]{8}\.part$" % re.escape(path.name))
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        found = mine.match(entry.name)
        if found is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            gone = found.group(1) is not None and not alive(int(found.group(1)))
            if old or gone:
                os.unlink(entry.path)
        except (OSError, ValueError, OverflowError):
            continue



def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
