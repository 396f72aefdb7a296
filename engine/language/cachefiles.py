"""The files of the on-disk cache: where they live, who may have written them, and how they are sealed.

Stage: the clause language, under `parse_store` and `rulecache` (the two
caches). Imports nothing of mou's.

Trust model. The cache is an optimisation that must never change an answer.
Every file in it (a stored rule set, the expression store) is sealed with an
HMAC-SHA256 made with a key of the user's own: 32 random bytes in
`cache.key` in the user's config directory (platformdirs: `~/.config/mou`
on Linux), mode 0600, created on first use, outside the cache directory. A
file whose seal does not verify — edited by hand, written by another user,
restored from a shared CI cache, copied from another machine — is never
read: the clause files are compiled again, and the file is replaced. A cache
directory, cache file or key that is not owned by the user, or that group or
others may write (the key: read), is not used at all: one warning line on
stderr, then the clause files are compiled, as ssh and pip treat such files.
So whoever holds the user's key can write the cache, as they could edit the
user's clause files; no one else can. A file whose seal verifies is still
checked as if it were not trusted (its content key and engine version, its
size, bounded decoding, every exception while reading): what is wrong in it
means compiling, never a traceback or a different answer.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path

KEY_BYTES = 32
"""The length of the user's cache key."""
STALE_SECONDS = 3600
"""A temporary file of a writer that is gone, or older than this, is removed by the next writer."""

_warned: set[str] = set()


def default_directory() -> Path | None:
    """Where the cache lives, from the environment; None when it is turned off (`MOU_NO_CACHE=1`)."""
    if os.environ.get("MOU_NO_CACHE"):
        return None
    chosen = os.environ.get("MOU_CACHE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mou", appauthor=False))


def key_file() -> Path:
    """The user's cache key: in the user's config directory, never in the cache directory."""
    import platformdirs

    return Path(platformdirs.user_config_dir("mou", appauthor=False)) / "cache.key"


def warn(message: str) -> None:
    """One line on stderr, once a process: the cache is not used, and why."""
    if message in _warned:
        return
    _warned.add(message)
    try:
        sys.stderr.write(f"mou: warning: {message}; compiling the clause files instead\n")
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):
        pass  # no stderr: the run goes on without the cache all the same


def _unsafe(info: os.stat_result, what: str, path: Path, secret: bool = False) -> bool:
    """True (with a warning) when a cache file or directory could have been written by someone else."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        warn(f"not using the cache: {what} {path} is owned by another user (uid {info.st_uid})")
        return True
    if info.st_mode & (0o077 if secret else 0o022):
        warn(f"not using the cache: {what} {path} is {'readable' if secret else 'writable'} by group or others "
             f"(mode {stat.S_IMODE(info.st_mode):04o})")
        return True
    return False


def usable(directory: Path | None, create: bool = False) -> bool:
    """Whether a cache directory is the user's own and only theirs (created, 0700, when `create`)."""
    if directory is None:
        return False
    try:
        if create and not os.path.lexists(directory):
            directory.mkdir(parents=True, mode=0o700, exist_ok=True)
        info = os.lstat(directory)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(directory)
        except OSError:
            return False
    if not stat.S_ISDIR(info.st_mode):
        warn(f"not using the cache: {directory} is not a directory")
        return False
    return not _unsafe(info, "the cache directory", directory)


def _key(create: bool) -> bytes | None:
    """The user's cache key; created on first use when `create`. None when there is none to trust."""
    path = key_file()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return _new_key(path) if create else None
    except OSError as error:
        warn(f"not using the cache: cannot read its key {path}: {error.strerror}")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or _unsafe(info, "the cache key", path, secret=True):
            return None
        data = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) != KEY_BYTES:
        warn(f"not using the cache: its key {path} is not {KEY_BYTES} bytes (delete it to make a new one)")
        return None
    return data


def _new_key(path: Path) -> bytes | None:
    """Make the key: written whole under another name, then linked into place (a concurrent run's wins)."""
    try:
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".cache.key-", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(os.urandom(KEY_BYTES))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another run made it first: use theirs
        finally:
            os.unlink(temporary)
    except OSError:
        return None  # no config directory to write: no cache, nothing else lost
    return _key(create=False)


def seal(data: bytes) -> bytes | None:
    """`data` with its HMAC in front; None when there is no key (nothing is then written)."""
    key = _key(create=True)
    if key is None:
        return None
    return hmac.new(key, data, hashlib.sha256).digest() + data


def read_sealed(path: Path, most_bytes: int) -> bytes | None:
    """What `seal` wrote in `path`, if the user's key verifies it; None for anything else (with a warning
    when the file may have been written by someone else)."""
    if not usable(path.parent):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None  # missing, or a symlink: nothing this cache wrote
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > most_bytes or info.st_size < 32:
            return None
        if _unsafe(info, "the cache file", path):
            return None
        chunks, left = [], info.st_size
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
    key = _key(create=False)
    if key is None or len(raw) < 32:
        return None
    mac, data = raw[:32], raw[32:]
    if not hmac.compare_digest(hmac.new(key, data, hashlib.sha256).digest(), mac):
        return None  # damaged, or sealed with another key (another user, another machine): compile
    return data


_TEMPORARY = re.compile(r"^\..*-(\d+)-[^-/]*\.tmp$")


def replace_file(path: Path, data: bytes) -> bool:
    """Seal `data` and write it whole: a temporary file of this run's own (named with its process id),
    renamed over `path` (atomic on POSIX and Windows), so that a concurrent reader sees the old file or
    the new, never part of one. False when the cache directory cannot be used or written."""
    directory = path.parent
    if not usable(directory, create=True):
        return False
    sealed = seal(data)
    if sealed is None:
        return False
    try:
        remove_stale(directory)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem[:20]}-{os.getpid()}-", suffix=".tmp",
                                             dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(sealed)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def remove_stale(directory: Path) -> None:
    """Remove the temporary files of writers that were killed: their process is gone, or they are old."""
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None and not (entry.name.startswith(".") and entry.name.endswith(".tmp")):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if old or (match is not None and not alive(int(match.group(1)))):
                os.unlink(entry.path)
        except (OSError, ValueError, OverflowError):
            continue  # another writer removed or renamed it meanwhile


def alive(pid: int) -> bool:
    """Whether a process of this id exists (then its temporary file may still be being written)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, ValueError, OverflowError):
        return True
    return True
