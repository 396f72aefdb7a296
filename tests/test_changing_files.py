"""`--watch` on a file that becomes something else (issue 33): reported, the last agenda kept, still watching.

A watched scenario file replaced by a FIFO used to stop the watch (reading
it waited for a writer forever); one replaced by a link to `/dev/zero` ended
in a MemoryError traceback. Each is now reported like any invalid file, in
bounded time, and the watch goes on.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from mou.language.yamlio import LIMITS
from mou.tools.calendar import Watcher
from test_agenda import LOG, write_log


def become(log: Path, what: str) -> None:
    """Replace the watched file by something that is no scenario file."""
    log.unlink()
    if what == "fifo":
        os.mkfifo(log)
    elif what == "dev-zero":
        log.symlink_to("/dev/zero")
    elif what == "directory":
        log.mkdir()
    elif what == "huge":
        with open(log, "wb") as out:
            out.truncate(LIMITS.max_bytes * 1000)  # sparse: a gigabyte that takes no room
    else:
        raise AssertionError(what)


def restore(log: Path) -> None:
    if log.is_dir() and not log.is_symlink():
        shutil.rmtree(log)
    else:
        log.unlink()


@pytest.mark.parametrize("what, said", [("fifo", "is a named pipe (FIFO)"), ("dev-zero", "not a regular file"),
                                        ("directory", "is a directory"), ("huge", "the limit is")])
def test_a_watched_file_that_becomes_no_scenario_file_is_reported_and_the_watch_goes_on(native, tmp_path, what,
                                                                                       said):
    log = tmp_path / "log.yaml"
    write_log(log, LOG[:6])
    watcher = Watcher(native, log, days=180)
    first = watcher.poll()
    assert first.first
    become(log, what)
    started = time.monotonic()
    broken = watcher.poll()
    assert time.monotonic() - started < 5
    assert broken.agenda is None and said in str(broken.diagnostics[0]), broken.diagnostics
    assert str(broken.diagnostics[0]).startswith(f"{log}:1:1: ")
    assert watcher.poll() is None  # said once, not at every look
    assert watcher.current.items == first.agenda.items  # the last good agenda stands
    restore(log)
    write_log(log, LOG[:7])
    change = watcher.poll()
    assert change is not None and change.agenda is not None and not change.first


def test_a_file_gone_for_a_moment_is_no_change(native, tmp_path):
    log = tmp_path / "log.yaml"
    write_log(log, LOG[:6])
    watcher = Watcher(native, log, days=180)
    assert watcher.poll().first
    log.unlink()  # an editor saving it
    assert watcher.poll() is None or watcher.current is not None
    write_log(log, LOG[:6])
    assert watcher.current is not None
