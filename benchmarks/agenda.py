"""Benchmark: the agenda on long timelines, and what one change costs `mou agenda --watch`.

    python benchmarks/agenda.py                      # 1,000 and 10,000 meetings; a watched log of 6,000 events
    python benchmarks/agenda.py --meetings 1000 10000 100000

The timelines are those of `benchmarks/duties.py`: N meetings convened by
ECO with IGOs invited on border management (each triggers II.1), three a day,
half of them with their invitation. The agenda starts 30 days before the last
meeting and looks 90 days ahead. Prints, for each size, the seconds for the
whole agenda (answers only, as `mou agenda` runs it; best of 3), how many
items it has, and the ratio between sizes. Then a log file of the largest
size a scenario file may have (under 1,000,000 bytes) is watched: the seconds
one change costs (the file re-read, validated and replayed, the agenda made
and compared), best of 3.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from duties import meetings  # noqa: E402

from mou import Engine  # noqa: E402
from mou.answers.agenda import agenda  # noqa: E402
from mou.tools.calendar import Watcher  # noqa: E402
from mou.tools.strategies import as_document  # noqa: E402


def start_of(document: dict) -> date:
    last = max(date.fromisoformat(event["date"]) for event in document["events"])
    return last - timedelta(days=30)


def timed_agenda(engine: Engine, count: int, repeat: int) -> tuple[float, int, int]:
    document = meetings(count)
    document["questions"] = []
    scenario = engine.reader.from_document(as_document(document))
    on = start_of(document)
    best, items = float("inf"), 0
    for _ in range(repeat):
        began = time.perf_counter()
        items = len(agenda(engine.case(scenario, explain=False), on, 90).items)
        best = min(best, time.perf_counter() - began)
    return best, len(scenario.events), items


def log_text(count: int) -> str:
    """The timeline of `count` meetings as a scenario file, one event a line, as a log is written."""
    document = meetings(count)

    def value(item: object) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, list):
            return "[" + ", ".join(map(str, item)) + "]"
        return str(item)

    lines = [f"scenario: a log of {count:,} meetings", f"as_of: {start_of(document)}", "events:"]
    lines += ["  - {" + ", ".join(f"{key}: {value(item)}" for key, item in event.items()) + "}"
              for event in document["events"]]
    return "\n".join(lines) + "\n"


def timed_watch(engine: Engine, repeat: int) -> tuple[float, int, int]:
    """One change of the largest log file a scenario may be (under 1,000,000 bytes): seconds, events, bytes."""
    count = 1_000
    while len(log_text(count + 500).encode("utf-8")) < 990_000:
        count += 500
    text = log_text(count)
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.yaml"
        log.write_text(text, encoding="utf-8")
        watcher = Watcher(engine, log, days=90)
        assert watcher.poll() is not None and watcher.current is not None, "the log is not a valid scenario"
        best = float("inf")
        on = watcher.current.on
        for turn in range(repeat):  # a meeting appended to the log, as the desk records it: one item more
            text += (f"  - {{id: extra{turn}, type: meeting, convened_by: ECO, igos_invited: true, topics: [ii], "
                     f"date: {on + timedelta(days=10 + turn)}}}\n")
            log.write_text(text, encoding="utf-8")
            began = time.perf_counter()
            change = watcher.poll()
            best = min(best, time.perf_counter() - began)
            assert change is not None and change.agenda is not None
        return best, text.count("\n  - {"), len(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    engine = Engine()
    print(f"{'meetings':>9} {'events':>8} {'items':>6} {'agenda':>8}")
    previous = None
    for count in options.meetings:
        seconds, events, items = timed_agenda(engine, count, options.repeat)
        print(f"{count:>9,} {events:>8,} {items:>6,} {seconds:>7.2f}s")
        if previous is not None:
            print(f"{'':>9} × {count / previous[0]:.0f} meetings: agenda × {seconds / previous[1]:.1f}")
        previous = (count, seconds)
    seconds, events, size = timed_watch(engine, options.repeat)
    print(f"--watch, one change of a {size:,}-byte log of {events:,} events: {seconds:.2f}s")


if __name__ == "__main__":
    main()
