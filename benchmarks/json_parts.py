"""Benchmark: where the time of `mou check --format json scenarios/` goes, part by part, beside another revision.

    python benchmarks/json_parts.py main             # this checkout and main, in one process, taking turns
    python benchmarks/json_parts.py main --rounds 5

`check_json.py` gives the cold ratio of the JSON to the text run; this says which part of the difference moved.
REV is checked out in a temporary git worktree and imported as `mou_base` (benchmarks/compare.py), and each
round runs, for each engine in turn, over the shipped scenarios:

- `text`: answers and properties, without explanations (what `mou check scenarios/` computes);
- `json`: the same as `mou check --format json` computes them since schema_version 2 (`later=True`: no
  explained replay yet);
- `summaries`: then the summary of each answer shown with its summary alone;
- `explanations`: the whole explanation of each answer that fails its `expect` or is `unknown`;
- `writing`: the document's text, as the command writes it.

Each figure is the best of `--rounds` (wall time, one process: the ratios between the two engines hold
better than the absolute times on a shared machine). REV must be schema_version 2 or later.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import FILES, checked_out  # noqa: E402

PARTS = ("text", "json", "summaries", "explanations", "writing")


def parts(engine: Any, output: Any) -> dict[str, float]:
    """One round of every part, for one engine (`output`: its `answers.output` module)."""
    spent = dict.fromkeys(PARTS, 0.0)
    start = time.perf_counter()
    for file in FILES:
        engine.check(engine.read(file), properties=True, explain=False)
    spent["text"] = time.perf_counter() - start
    start = time.perf_counter()
    results = [engine.check(engine.read(file), properties=True, later=True) for file in FILES]
    spent["json"] = time.perf_counter() - start
    for result in results:
        for item in result.results:
            start = time.perf_counter()
            if item.explained_anyway:
                item.explanation  # noqa: B018 - built on first use
                spent["explanations"] += time.perf_counter() - start
            else:
                item.summary  # noqa: B018
                spent["summaries"] += time.perf_counter() - start
    start = time.perf_counter()
    "".join(output.check_text(iter(results), [], engine.decision(), False,
                              head={"schema_version": output.CHECK_VERSION}))
    spent["writing"] = time.perf_counter() - start
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision", help="the revision to compare with (a commit, a branch, HEAD~N)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the best counts)")
    options = parser.parse_args()

    import importlib

    import mou
    from mou import collector

    with checked_out(options.revision) as base:
        engines = {"new": (mou.Engine(), importlib.import_module("mou.answers.output")),
                   "base": (base.Engine(), importlib.import_module("mou_base.answers.output"))}
        best = {name: dict.fromkeys(PARTS, float("inf")) for name in engines}
        with collector.rarely():
            for turn in range(options.rounds):
                for name in (list(engines) if turn % 2 else list(reversed(engines))):
                    for part, seconds in parts(*engines[name]).items():
                        best[name][part] = min(best[name][part], seconds)
        print(f"{len(FILES)} scenario files; best of {options.rounds} rounds, the two engines taking turns")
        print(f"{'':<14} {'this checkout':>14} {options.revision:>14}   new/base")
        for part in PARTS:
            new, old = best["new"][part], best["base"][part]
            print(f"{part:<14} {new * 1000:11.0f} ms {old * 1000:11.0f} ms   {new / old:7.3f}")


if __name__ == "__main__":
    main()
