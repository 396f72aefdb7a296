"""Benchmark: this checkout's engine against another revision's, in one process, taking turns.

    python benchmarks/compare.py REV            # e.g. HEAD~3, main, a commit
    python benchmarks/compare.py REV --rounds 7 --workload 1000

This shared machine's speed drifts by half within a minute, so two runs of
`everyday.py` an hour apart cannot tell a 5% change from noise. Here the two
engines run side by side: REV is checked out in a temporary git worktree and
its `engine/` imported as the package `mou_base` (its imports are relative,
so it runs as it would installed), and for each shipped scenario file the two
take turns `--rounds` times; each file counts its best time for each engine.
The figures are the sums over the files, and the ratio new/base.

Printed, for each of:
- `read`: reading and validating each file (`Engine.read`);
- `check`: reading, answering and judging the properties, without
  explanations (what `mou check scenarios/` does for each file);
- `explained`: the same with every explanation built, counterfactual search
  included (what `mou check --explain --format json scenarios/` does);
- `summaries`: the same as `mou check --format json scenarios/` builds it
  since schema_version 2: answered without explanations, then each answer's
  summary, and the whole explanation of those that fail or are `unknown`
  (left out when REV is older than that);
- `throughput`: the standard workload of `run.py` (answers only), the same
  generated documents read by each engine;

and, first, whether the two give the same answers and explanations on every
shipped scenario: the JSON of each file's result, compared. A difference
exits 1, so the figures of a change that alters outputs are never mistaken
for a speed-up.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(str(path) for path in (ROOT / "scenarios").glob("*.yaml"))


@contextmanager
def checked_out(revision: str) -> Iterator[Any]:
    """The package `mou_base`: `engine/` of `revision`, in a temporary git worktree removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mou-compare-") as scratch:
        tree, path = Path(scratch) / "tree", Path(scratch) / "path"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), revision],
                       check=True)
        try:
            path.mkdir()
            (path / "mou_base").symlink_to(tree / "engine", target_is_directory=True)
            sys.path.insert(0, str(path))
            yield importlib.import_module("mou_base")
        finally:
            if str(path) in sys.path:
                sys.path.remove(str(path))
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)


def result_json(engine: Any, file: str, explain: bool) -> str:
    """A file's check as JSON text: answers, properties and (with `explain`) every explanation."""
    result = engine.check(engine.read(file), explain=explain, properties=True)
    return json.dumps(result.to_json(), sort_keys=True, default=str)


def differences(new: Any, base: Any) -> list[str]:
    """The shipped scenario files whose results differ between the two engines, explained or not."""
    return [file for file in FILES for explain in (False, True)
            if result_json(new, file, explain) != result_json(base, file, explain)]


def taking_turns(work: Callable[[str, Any, Any], None], items: list, engines: dict[str, Any], rounds: int) -> dict:
    """For each item, the best of `rounds` for each engine (alternating who goes first), summed."""
    total = dict.fromkeys(engines, 0.0)
    for index, item in enumerate(items):
        best = dict.fromkeys(engines, float("inf"))
        for turn in range(rounds):
            names = list(engines) if (index + turn) % 2 else list(reversed(engines))
            for name in names:
                start = time.perf_counter()
                work(name, engines[name], item)
                best[name] = min(best[name], time.perf_counter() - start)
        for name in engines:
            total[name] += best[name]
    return total


def read(name: str, engine: Any, file: str) -> None:
    engine.read(file)


def check(name: str, engine: Any, file: str) -> None:
    engine.check(engine.read(file), explain=False, properties=True)


def explained(name: str, engine: Any, file: str) -> None:
    result = engine.check(engine.read(file), explain=True, properties=True)
    for item in result.results:
        item.explanation  # built on first use


def summaries(name: str, engine: Any, file: str) -> None:
    engine.check(engine.read(file), properties=True, later=True).to_json(False)  # builds what it shows


def answers(name: str, engine: Any, scenarios: dict[str, Any]) -> None:
    engine.check(scenarios[name], explain=False)


def workload(engines: dict[str, Any], modules: dict[str, Any], errors: tuple, count: int,
             seed: int) -> list[dict[str, Any]]:
    """`count` generated documents that both engines read, as each engine's scenario (`errors`: their MouErrors)."""
    from mou.tools.strategies import random_scenario_data

    rng = random.Random(seed)
    ruleset = engines["new"].ruleset
    made: list[dict[str, Any]] = []
    while len(made) < count:
        data = random_scenario_data(ruleset, rng, min_events=5, max_events=20)
        try:
            made.append({name: engine.reader.from_document(modules[name].as_document(data))
                         for name, engine in engines.items()})
        except errors:  # invalid for either engine: drawn again
            continue
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", help="the revision to compare with (a commit, a branch, HEAD~N)")
    parser.add_argument("--rounds", type=int, default=5, help="turns per file (the best counts)")
    parser.add_argument("--workload", type=int, default=500, help="generated scenarios for the throughput row")
    parser.add_argument("--seed", type=int, default=2009)
    options = parser.parse_args()

    import mou
    from mou import collector

    with checked_out(options.revision) as base:
        engines = {"new": mou.Engine(), "base": base.Engine()}
        differ = differences(engines["new"], engines["base"])
        print(f"{len(FILES)} scenario files; answers and explanations "
              + (f"DIFFER in {len(set(differ))}: {', '.join(sorted(set(differ))[:5])}" if differ else "identical"))
        modules = {"new": importlib.import_module("mou.tools.strategies"),
                   "base": importlib.import_module("mou_base.tools.strategies")}
        rows = [("read", read, FILES), ("check", check, FILES), ("explained", explained, FILES),
                *([("summaries", summaries, FILES)] if _summarizes(engines["base"]) else []),
                ("throughput", answers, workload(engines, modules, (mou.MouError, base.MouError),
                                                    options.workload, options.seed))]
        print(f"{'':<12} {'this checkout':>14} {options.revision:>14}   new/base")
        with collector.rarely():
            for name, work, items in rows:
                spent = taking_turns(work, items, engines, options.rounds)
                print(f"{name:<12} {spent['new'] * 1000:11.0f} ms {spent['base'] * 1000:11.0f} ms   "
                      f"{spent['new'] / spent['base']:7.3f}", flush=True)
    if differ:
        sys.exit(1)


def _summarizes(engine: Any) -> bool:
    """Whether a revision's engine builds JSON summaries on their own (schema_version 2: `check(later=True)`)."""
    try:
        summaries("base", engine, FILES[0])
    except TypeError:
        return False
    return True


if __name__ == "__main__":
    main()
