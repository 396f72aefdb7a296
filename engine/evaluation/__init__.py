"""Evaluation: replaying a scenario's timeline through a compiled rule set.

In pipeline order: `replay.Replay` takes the events in the order they take
effect and fires the dates rules watch, up to the evaluation horizon
(`horizon`); a backend (`backends`: native, or
durable-rules) matches each fact to the rules it triggers; the conclusions go
into `state.State`, facts with history and provenance; `trace` records every
firing; `duties` judges each duty instance on a date, looking the acts that
may settle it up in `state`'s index; `checkpoints` lets a replay of a variant
go on from the original's, after the events both begin with.

May import: `mou.errors`, `mou.dates`, `mou.values` and the clause language
(`mou.language`). Nothing of scenario files, answers or tools: a replay runs
on events, choices and parameters alone.
"""

BACKENDS = ("durable", "native")
DEFAULT_BACKEND = "native"
"""Native by measurement (benchmarks/run.py): about 1.8× the throughput of durable-rules on the
standard workload, no limit on live sessions, and it runs wherever Python does. The durable-rules
backend gives the same answers and explanations (a differential test checks it). Named here, not
in `backends`, so that the command line can offer them without loading the rule machinery."""
