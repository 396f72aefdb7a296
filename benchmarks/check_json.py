"""Benchmark: what `mou check --format json` costs since schema_version 2 (issue 32), as ratios to floors.

    python benchmarks/check_json.py                      # the whole set, about 4 minutes on 2 cores
    python benchmarks/check_json.py --base c660ddf --rounds 3 --meetings 10000

Prints, each against a floor measured in the same run, the two taking turns:

- cold: `mou check --format json scenarios/` against `mou check scenarios/` (text), fresh processes,
  best of `--rounds`; target ≤ 1.5×. With `--beside REV`, REV's two commands (checked out as `--base` is,
  below) take the same turns, so that both ratios come from the same moments of the machine;
- `mou check --explain --format json scenarios/` here against the default JSON of `--base` (version 1, which
  explained every answer in full), fresh processes: `--base` is checked out in a temporary git worktree
  (benchmarks/compare.py) and its command run with its engine first on the path as `mou`; target ≤ 1×.
  Before timing, `--explain`'s document is compared in this process with version 1's as written by the
  commit this checkout is built on (its merge base with `--same-as`, main; the wording of explanations
  moves between commits, so `--base`'s may say things otherwise): apart from `schema_version` they must be
  the same bytes (a difference exits 1);
- `--meetings` meetings (benchmarks/duties.py's timeline) with the question `breaches` on the last day,
  read, answered and written as `mou check --format json` writes it, in a fresh process: seconds and
  peak RSS; targets ≤ 5 s and ≤ 500 MB. The scenario is built in memory (its file would pass the 1 MB
  limit on scenario files).

Nothing is sampled here: each figure is a whole run. The 10,000 meetings take under 10 s a run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import checked_out  # noqa: E402
from everyday import best_processes  # noqa: E402

FILES = sorted(str(path) for path in (ROOT / "scenarios").glob("*.yaml"))


def document_here(engine, explain_all: bool) -> str:
    """This checkout's `mou check --format json [--explain] scenarios/`, as the command writes it."""
    from mou.answers.output import CHECK_VERSION, check_text

    problems: list = []
    return "".join(check_text(engine.check_each(FILES, problems, later=True), problems, engine.decision(), explain_all,
                              head={"schema_version": CHECK_VERSION}))


def document_base(base, engine) -> str:
    """The base revision's `mou check --format json scenarios/` (its default), as its command wrote it."""
    from_output = __import__(f"{base.__name__}.answers.output", fromlist=["check_document"])
    jsontext = __import__(f"{base.__name__}.jsontext", fromlist=["dumps"])
    results, problems = engine.check_files(FILES)
    return jsontext.dumps({"schema_version": jsontext.SCHEMA_VERSION,
                           **from_output.check_document(results, problems, engine.decision())})


def meetings_child(count: int) -> None:
    """In a fresh process: the meetings' `breaches`, read, answered and written; seconds, peak RSS, bytes."""
    from duties import meetings

    from mou import Engine
    from mou.answers.output import CHECK_VERSION, check_text
    from mou.tools.strategies import as_document

    engine = Engine()
    document = meetings(count)
    document["questions"] = [q for q in document["questions"] if q["ask"] == "breaches"]
    start, used = time.perf_counter(), _cpu()
    scenario = engine.reader.from_document(as_document(document))
    written = 0
    for piece in check_text(iter([engine.check(scenario, properties=True, later=True)]), [], engine.decision(), False,
                            head={"schema_version": CHECK_VERSION}):
        written += len(piece.encode("utf-8"))
    seconds, cpu = time.perf_counter() - start, _cpu() - used
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "bytes": written}))


def _forget_base() -> None:
    """Forget the checked-out revision imported as `mou_base`: the next checkout is imported under the same name."""
    for name in [name for name in sys.modules if name == "mou_base" or name.startswith("mou_base.")]:
        del sys.modules[name]


def _as_mou(checkout) -> Path:
    """A directory that, first on the path, makes a checked-out revision's engine the package `mou` (its command
    runs in a fresh process as it would installed)."""
    shadow = Path(checkout.__path__[0]).parent.parent / "as-mou"
    shadow.mkdir(exist_ok=True)
    if not (shadow / "mou").exists():
        (shadow / "mou").symlink_to(Path(checkout.__path__[0]).resolve(), target_is_directory=True)
    return shadow


def _peak_mb() -> float:
    """This process's peak resident memory in MB: the kernel's high-water mark of its own memory (VmHWM).

    Not `getrusage`'s `ru_maxrss`: on Linux it survives `exec`, so a child started by a parent that had grown
    (this script, after holding the explained documents) reported the parent's size at the fork as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # not Linux: getrusage (a fresh process's own, where exec resets it)
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """This process's processor time so far (user and system): on a shared machine, what the run itself took."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="c660ddf", help="the revision whose default JSON is version 1's")
    parser.add_argument("--same-as", default="main", help="whose version 1 document --explain must give, byte "
                        "for byte: the commit of this branch it is built on (its merge base)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--beside", default=None, help="a revision whose cold JSON and text runs take the same "
                        "turns as this checkout's (e.g. main)")
    parser.add_argument("--meetings", type=int, default=10_000)
    parser.add_argument("--meetings-child", type=int, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.meetings_child is not None:
        return meetings_child(options.meetings_child)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"Python {sys.version.split()[0]}; commit {commit}; {len(FILES)} scenario files; wall times, best of "
          f"{options.rounds}, each figure and its floor taking turns")

    mou = [sys.executable, "-m", "mou"]
    commands = {"json": ([*mou, "check", "--format", "json", "scenarios/"], {}),
                "text": ([*mou, "check", "scenarios/"], {})}
    with (checked_out(options.beside) if options.beside else nullcontext()) as beside:
        if beside is not None:
            shadow = _as_mou(beside)
            command = [sys.executable, "-c", "import sys; from mou.cli import main; sys.argv[0] = 'mou'; main()"]
            commands.update({f"json {options.beside}": ([*command, "check", "--format", "json", "scenarios/"],
                                                        {"PYTHONPATH": str(shadow)}),
                             f"text {options.beside}": ([*command, "check", "scenarios/"],
                                                        {"PYTHONPATH": str(shadow)})})
        cold = best_processes(commands, rounds=options.rounds)
    _forget_base()
    for suffix in ("", f" {options.beside}") if options.beside else ("",):
        json_, text = cold["json" + suffix], cold["text" + suffix]
        print(f"  check --format json scenarios/, cold{suffix:<10}{json_ * 1000:8.1f} ms   "
              f"check scenarios/ (text), cold  {text * 1000:8.1f} ms   {json_ / text:5.2f}×   (target ≤ 1.5×)")

    from mou import Engine

    # The bytes are compared with version 1 as written by the code this checkout is built on (the wording of
    # explanations moves between commits); the time with `--base`'s.
    built_on = subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", options.same_as], capture_output=True,
                              text=True).stdout.strip() or options.base
    with checked_out(built_on) as same:
        explained, old = document_here(Engine(), True), document_base(same, same.Engine())
    _forget_base()
    if explained != old.replace('"schema_version": 1', '"schema_version": 2', 1):
        print(f"  --explain does not give {built_on[:7]}'s document: not timed")
        sys.exit(1)
    print(f"  --explain gives the document of {built_on[:7]} ({options.same_as} as this checkout has it) byte for "
          "byte but its schema_version")
    with checked_out(options.base) as base:
        shadow = _as_mou(base)
        times = best_processes({
            "explain": ([*mou, "check", "--explain", "--format", "json", "scenarios/"], {}),
            "base": ([sys.executable, "-c", "import sys; from mou.cli import main; sys.argv[0] = 'mou'; main()",
                      "check", "--format", "json", "scenarios/"], {"PYTHONPATH": str(shadow)}),
        }, rounds=options.rounds)
    print(f"  check --explain --format json scenarios/, cold {times['explain'] * 1000:7.1f} ms   "
          f"{options.base}'s default JSON, cold {times['base'] * 1000:8.1f} ms   "
          f"{times['explain'] / times['base']:5.2f}×   (target ≤ 1×; {len(explained.encode()):,} bytes here)")

    child = subprocess.run([sys.executable, __file__, "--meetings-child", str(options.meetings)], cwd=ROOT,
                           capture_output=True, text=True, check=True)
    measured = json.loads(child.stdout)
    print(f"  {options.meetings:,} meetings, breaches, check --format json: {measured['seconds']:.2f} s "
          f"({measured['cpu']:.2f} s of processor time), peak RSS {measured['peak_mb']:.0f} MB, "
          f"{measured['bytes']:,} bytes   (targets ≤ 5 s, ≤ 500 MB)")


if __name__ == "__main__":
    main()
