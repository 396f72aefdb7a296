"""Benchmark: duty judgement on long timelines, which must grow linearly with the timeline.

    python benchmarks/duties.py                      # 1,000 and 10,000 meetings
    python benchmarks/duties.py --meetings 1000 10000 100000

Each timeline is the signed original with N meetings convened by ECO, with
intergovernmental organizations invited, on border management (so each
triggers II.1), three a day from 2009-02-01, and an invitation to every
other one. The questions are `breaches` and `obligations` on the last day,
which judge every duty instance, and `invitation_obligation` of the first
and last meetings. Prints, for each size, the seconds to replay and answer
(answers only, as `sweep` and the standard workload do, best of 3; then
once with explanations, as `mou check` does), the peak memory of the process so far,
and the ratio between consecutive sizes: linear means the ratio of sizes.
The scenario is built in memory: a file of 10,000 meetings passes the
1 MB limit on scenario files.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date, timedelta

from mou import Engine
from mou.tools.strategies import as_document


def meetings(count: int) -> dict:
    """The scenario document: `count` meetings, half of them with their invitation."""
    events = []
    first = date(2009, 2, 1)
    for number in range(count):
        day = (first + timedelta(days=number // 3)).isoformat()
        events.append({"id": f"m{number}", "type": "meeting", "convened_by": "ECO", "igos_invited": True,
                       "topics": ["ii"], "date": day})
        if number % 2 == 0:
            events.append({"id": f"i{number}", "type": "invitation", "meeting": f"m{number}", "from": "ECO",
                           "to": "IOM", "date": day})
    last = (first + timedelta(days=count // 3 + 1)).isoformat()
    questions = [{"ask": "breaches", "on": last}, {"ask": "obligations", "on": last},
                 {"ask": "invitation_obligation", "meeting": "m0"},
                 {"ask": "invitation_obligation", "meeting": f"m{count - 1}"}]
    return {"scenario": f"{count:,} meetings", "events": events, "questions": questions}


def timed(engine: Engine, scenario, explain: bool, repeat: int) -> tuple[float, int]:
    """Seconds (best of `repeat`) to replay the scenario and answer its questions, and how many were breached."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = engine.check(scenario, explain=explain)
        best = min(best, time.perf_counter() - start)
    return best, len(result.results[0].answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="answers only: best of this many runs")
    options = parser.parse_args()
    engine = Engine()
    print(f"{'meetings':>9} {'events':>8} {'breaches':>9} {'answers':>9} {'explained':>10} {'peak RSS':>9}")
    previous = None
    for count in options.meetings:
        scenario = engine.reader.from_document(as_document(meetings(count)))
        answers, breaches = timed(engine, scenario, explain=False, repeat=options.repeat)
        explained, _ = timed(engine, scenario, explain=True, repeat=1)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{count:>9,} {len(scenario.events):>8,} {breaches:>9,} {answers:>8.2f}s {explained:>9.2f}s "
              f"{peak:>6.0f} MB")
        if previous is not None:
            size, before, before_explained = previous
            print(f"{'':>9} × {count / size:.0f} meetings: answers × {answers / before:.1f}, "
                  f"explained × {explained / before_explained:.1f}")
        previous = (count, answers, explained)


if __name__ == "__main__":
    main()
