"""The cyclic garbage collector, paused while the engine builds or replays.

Stage: base (with errors, dates and values). Imports nothing of mou.

Compiling a rule set and replaying a scenario allocate many objects that
live until the work ends: a fact's history, a duty's instances, memoized
definitions. Each allocation counts towards the collector's next pass, and
every pass walks the objects still alive, so on a long timeline most passes
walk the replay's own growing state and find nothing to free. The engine
makes no reference cycles (`tests/test_collector.py` checks that a replay,
a property check and an explanation leave none), so nothing waits for the
collector: it resumes when the outermost paused block ends. On 10,000
meetings, checking `breaches` and `obligations` took 0.97 s with the
collector running and 0.59 s paused (benchmarks/duties.py).

A caller that has turned the collector off keeps it off; nested blocks
leave it to the outermost.

A command (`mou.cli`) goes further: it loads with the collector paused and
freezes what it loaded (`keep`), runs `rarely` (the collector runs far less
often), and at the process's exit nothing is walked at all
(`untouched_at_exit`). A command keeps what it computes until it writes it
(`mou check --format json scenarios/` builds millions of objects that all
live to the end), and with Python's default thresholds the collector spent a
sixth of that run, and a sixth of a cold `mou check` with its exit, walking
objects that were never garbage.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


COMMAND_THRESHOLDS = (1_000_000, 30, 30)
"""The collector's thresholds while a command runs: loading the library for a cold check (some 250,000
objects) triggers no collection. (mypy raises its own to 200,000, for the same reason.)"""


def keep() -> None:
    """Put everything alive now out of the collector's sight (`gc.freeze`), until `rarely` ends and thaws it.

    For what a process loads before it runs a command: walking it again and
    again would find nothing to free.
    """
    gc.freeze()


@contextmanager
def rarely() -> Iterator[None]:
    """Run the block with what exists now out of the collector's sight, and the collector running rarely.

    Everything alive when the block starts is frozen (`gc.freeze`: the
    collector no longer walks it) and the thresholds are `COMMAND_THRESHOLDS`;
    both are undone when it ends, so that a process running commands one
    after another (a test suite) collects as before between them.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*COMMAND_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.freeze()  # what the command made is not walked on its way out (freezing restarts the count) ...
        gc.unfreeze()  # ... and all of it can be collected again, from the oldest generation


def untouched_at_exit() -> None:
    """At the interpreter's exit, freeze what is still alive, so that the final collections skip it.

    They would walk every object only to free memory the process is about
    to give back: 20–40 ms of a 0.2 s `mou check`. Objects are still
    finalized as Python finalizes whatever is alive at exit; only cyclic
    garbage is left to the operating system (mypy, for the same reason,
    exits without freeing anything at all). `atexit` runs it after every
    handler registered later, which is every handler a command's libraries
    register.
    """
    atexit.register(gc.freeze)


class paused:
    """Run the block with the cyclic garbage collector paused; it resumes after, if it was running.

    A class, not a generator: every replay enters one, and a generator-based
    context manager cost more than the pause saved on a short replay.
    """

    __slots__ = ("was_running",)

    def __enter__(self) -> None:
        self.was_running = gc.isenabled()
        if self.was_running:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_running:
            gc.enable()
