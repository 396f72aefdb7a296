"""Benchmark: what each named way of cutting `mou check --format json scenarios/` could save, counted before it is built.

    python benchmarks/json_levers.py                 # all three, about a minute on 2 cores
    python benchmarks/json_levers.py --only imports

The fourth pass on the JSON's cost (docs/internals/performance.md) measured the ways the earlier passes named
before building any of them. Each part prints what bounds its saving:

- `imports`: the modules `mou check --format json scenarios/` imports that `mou check scenarios/` does not, and
  their own import time (`python -X importtime`, fresh processes as `check_json.py` runs them, bytecode cached;
  best of `--rounds`): what lazier imports could take off the cold JSON run at most;
- `searches`: the variant replays of the searches of the `unknown` answers (the default document's whole
  explanations), the events each takes itself after taking over its trunk's, and, for the replays one change
  apart from a variant replayed before them (the weighing of that variant's missing facts, or an act added to
  it), how many of their events that variant's own replay could have given them (the events both timelines
  begin with, as `checkpoints.resume` counts them for the trunk; a change of a choice is not counted, and
  none of the shipped scenarios' is one): what going on from a variant's own replay could save;
- `summaries`: the default document's own work, in one process after a round that warms it (best of
  `--rounds`): the summaries the clause files word whole (`shown.worded_summary`), the others' explained
  replays (`replay_of` with `explain=True`) and their trees of reasons (`explain.decisive`), and the
  explanations' variant replays. Each timed call is wrapped, so the small ones read a little high.

Nothing here changes what the engine does: the counts come from wrapping its functions for the run.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import FILES  # noqa: E402
from everyday import ENVIRONMENT  # noqa: E402


def imported(arguments: list[str]) -> dict[str, int]:
    """Each module a fresh `mou ARGUMENTS` imports, with its own import time in µs (`-X importtime`)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "mou", *arguments], cwd=ROOT,
                          env=ENVIRONMENT, capture_output=True, text=True, check=False)
    found = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S.*)$", line)
        if match:
            found[match.group(2).strip()] = int(match.group(1))
    return found


def imports(rounds: int) -> None:
    best: dict[str, int] = {}
    text: set[str] = set()
    for _ in range(rounds):
        text |= set(imported(["check", "scenarios/"]))
        for name, micros in imported(["check", "--format", "json", "scenarios/"]).items():
            best[name] = min(best.get(name, micros), micros)
    extra = {name: micros for name, micros in best.items() if name not in text}
    print(f"imports: {len(extra)} modules beyond the text run's, {sum(extra.values()) / 1000:.1f} ms of their own "
          f"import time (best of {rounds}; the text run imports {len(text)})")
    for name, micros in sorted(extra.items(), key=lambda item: -item[1]):
        print(f"  {micros / 1000:6.2f} ms  {name}")


def document(engine, search_only: bool = False) -> None:
    """The default document's own work: the summaries and whole explanations of the shipped scenarios."""
    results = [engine.check(engine.read(file), properties=True, later=True) for file in FILES]
    for result in results:
        for item in result.results:
            if item.explained_anyway:
                item.explanation  # noqa: B018 - built on first use
            elif not search_only:
                item.summary  # noqa: B018


def searches() -> None:
    from mou import Engine, collector
    from mou.answers import case as cases
    from mou.evaluation import checkpoints

    counts: Counter = Counter()
    last: dict = {}
    resume = checkpoints.resume

    def counted_resume(replay, trunk, schedule):
        shared = resume(replay, trunk, schedule)
        last.update(schedule=schedule, shared=shared)
        return shared

    replayed = cases.Case._replayed

    def counted_replayed(self, scenario, items, duties):
        last.clear()
        made = replayed(self, scenario, items, duties)
        if made is cases.FAILED or "schedule" not in last:
            return made
        schedule, shared = last["schedule"], last["shared"]
        counts["replays"] += 1
        counts["events"] += len(schedule)
        counts["taken"] += len(schedule) - shared
        best, parent_found = shared, None
        for index, change in enumerate(items):  # a variant this one weighs a missing fact of
            parent = self._made.get((items[:index] + items[index + 1:], duties))
            if not items[:index] + items[index + 1:] or parent is None or parent is cases.FAILED:
                continue
            parent_found = parent_found or change.kind
            if change.kind == "choice":
                continue  # a variant's replay keeps no record of when it first read a choice: nothing counted
            common = 0
            for (day, event), (their_day, theirs) in zip(schedule, parent.order):
                if day != their_day or event is not theirs:
                    break
                common += 1
            best = max(best, common)
        if parent_found:
            counts["sub-variants"] += 1
            counts[f"by: {parent_found}"] += 1
            counts["sub-variants: taken"] += len(schedule) - shared
            counts["sub-variants: from the variant"] += len(schedule) - best
        return made

    checkpoints.resume, cases.Case._replayed = counted_resume, counted_replayed
    try:
        with collector.rarely():
            document(Engine(), search_only=True)
    finally:
        checkpoints.resume, cases.Case._replayed = resume, replayed
    print(f"searches: {counts['replays']:,} variant replays resumed from their trunks, {counts['events']:,} events, "
          f"{counts['taken']:,} of them taken by the replays themselves")
    print(f"  {counts['sub-variants']:,} are one change apart from a variant replayed before them ("
          + ", ".join(f"{counts[key]:,} by a change of kind {key[4:]!r}" for key in sorted(counts) if key.startswith("by: "))
          + ")")
    print(f"  the events those take themselves: {counts['sub-variants: taken']:,} going on from the trunk, "
          f"{counts['sub-variants: from the variant']:,} if they went on from the variant's own replay")


def summaries(rounds: int) -> None:
    from mou import Engine, collector
    from mou.answers import case as cases, shown

    spent: Counter = Counter()
    calls: Counter = Counter()
    depth = [0]

    def timed(module, name, label, explained=None):
        function = getattr(module, name)

        def wrapper(*args, **kwargs):
            if depth[0] or (explained is not None and explained(args, kwargs) is not True):
                return function(*args, **kwargs)
            depth[0] += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start
                calls[label] += 1
                depth[0] -= 1

        setattr(module, name, wrapper)
        return module, name, function

    def is_explained(args, kwargs):
        return kwargs.get("explain", args[5] if len(args) > 5 else True)

    engine = Engine()
    best: dict[str, tuple[float, int]] = {}
    with collector.rarely():
        document(engine)  # warm: what a cold run pays once is not the question here
        wrapped = [timed(shown, "worded_summary", "worded summaries (tried)"),
                   timed(shown, "decisive", "trees of reasons (explain.decisive)"),
                   timed(cases, "replay_of", "explained replays", is_explained)]
        try:
            for _ in range(rounds):
                spent.clear()
                calls.clear()
                results = [engine.check(engine.read(file), properties=True, later=True) for file in FILES]
                for part, wanted in (("summaries", False), ("explanations", True)):
                    start = time.perf_counter()
                    for result in results:
                        for item in result.results:
                            if item.explained_anyway is wanted:
                                item.explanation if wanted else item.summary  # noqa: B018
                    spent[part] = time.perf_counter() - start
                for label in spent:
                    if label not in best or spent[label] < best[label][0]:
                        best[label] = (spent[label], calls[label])
        finally:
            for module, name, function in wrapped:
                setattr(module, name, function)
    print(f"summaries and explanations, in one process (best of {rounds}; timed calls wrapped):")
    for label, (seconds, count) in best.items():
        print(f"  {label:<40} {seconds * 1000:7.1f} ms" + (f"   {count:,} calls" if count else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("imports", "searches", "summaries"), default=None)
    options = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"Python {sys.version.split()[0]}; commit {commit}; {len(FILES)} scenario files")
    if options.only in (None, "imports"):
        imports(options.rounds)
    if options.only in (None, "searches"):
        searches()
    if options.only in (None, "summaries"):
        summaries(options.rounds)


if __name__ == "__main__":
    main()
