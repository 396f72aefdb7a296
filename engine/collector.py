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
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector paused; it resumes after, if it was running."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
