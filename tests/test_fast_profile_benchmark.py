"""`benchmarks/fast_profile.py` cuts the fast path's time into phases and counts its weighings: it must only count.

It wraps the weighing's functions for one run; afterwards the engine must be as it was, the collector running,
and what it counts must add up. No figure is timed here.
"""

from __future__ import annotations

import gc
import importlib.util
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "fast_profile.py"


def load_benchmark():
    """The benchmark module, by path (benchmarks/ is not a package; it imports its neighbours)."""
    sys.path.insert(0, str(BENCHMARK.parent))
    spec = importlib.util.spec_from_file_location("fast_profile", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


profile = load_benchmark()


def test_the_counts_leave_the_engine_as_it_was(capsys):
    from mou import Engine
    from mou.answers import case, fast

    engine = Engine()
    before = (case.Case.resolve, fast._FastCase.evaluate)
    scenarios = profile.standard(engine, 60, 2009)
    profile.weighings(engine, scenarios)
    profile.questions(engine, scenarios[:10])
    assert (case.Case.resolve, fast._FastCase.evaluate) == before
    on, off = profile.collector(engine, scenarios[:5], 1)
    assert gc.isenabled() and on > 0 and off > 0
    found = profile.phases(engine, scenarios[:5], 1, False)
    assert list(found) == ["lean replay made", "and its events in order", "the replay (firings too)",
                           "the answers (questions, weighing)", "Engine.check (the results)"]
    printed = capsys.readouterr().out
    assert "the weighings (standard workload):" in printed and "µs a call" in printed
