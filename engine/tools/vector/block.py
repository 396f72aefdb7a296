"""One block of a sweep's variants, computed by the kernels, with the scalar engine for the rest.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `context`, `checks`,
`plan`, `replay`, the sweep itself (`tools.sweep`), and `mou.values`.

`VectorSweep.block(start, stop)` gives the rows `start` to `stop` of a
`Sweep` as columns (`Block`): per column, a code per row into a list of JSON
values. The variants' values come from the variations (the last varies
fastest, as `itertools.product` orders them); input checks run on the
distinct values of each varied event; the events' days give each variant the
order of its timeline, and the variants that share an order form a group
that `replay.GroupRun` replays at once. Variants the kernels cannot take (a
construct they do not cover, a rule that raises, too many steps) get their
rows from the scalar engine, `Sweep.row`, so the rows are the same either way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...values import Unknown, to_json
from ..sweep import Sweep
from .checks import first_failed
from .context import VCtx, event_vec
from .plan import kernels_for
from .replay import GroupRun
from .vec import UNKNOWN, Unsupported, Vec, const, dense, from_values


@dataclass
class Block:
    """Rows of a sweep as columns: `codes[c][r]` indexes `pools[c]`, the JSON values of column c."""

    size: int
    codes: list[np.ndarray]
    pools: list[list[Any]]

    def rows(self) -> list[list[Any]]:
        """The rows as lists of JSON values (for tests and small sweeps)."""
        columns = [[pool[i] for i in data.tolist()] for data, pool in zip(self.codes, self.pools)]
        return [list(row) for row in zip(*columns)]


class VectorSweep:
    """A sweep whose rows come from the kernels where they can, else from the scalar engine."""

    def __init__(self, sweep: Sweep, strict: bool = False, min_group: int = 1):
        self.sweep = sweep
        self.strict = strict  # raise instead of falling back on an internal error (for tests)
        self.min_group = min_group
        self.scenario = sweep.scenario
        self.ruleset = sweep.engine.ruleset
        self.kernels = kernels_for(self.ruleset)
        self.stats: Counter = Counter()
        self.variations = sweep.variations
        self.radices = [len(v.values) for v in self.variations]
        self.value_json = [[to_json(value) for value in v.values] for v in self.variations]
        self.bases = [self._base(v) for v in self.variations]
        self.events = {event.id: event for event in self.scenario.events}
        self.whole = ""  # why every row goes to the scalar engine, if one reason does for all

    def _base(self, variation: Any) -> Vec:
        values = list(variation.values)
        if variation.kind == "choice":
            values = [UNKNOWN if value is None else value for value in values]
        return from_values(values, np.arange(len(values)))

    # -- a block -----------------------------------------------------------------------------

    def block(self, start: int, stop: int) -> Block:
        """Rows `start` to `stop` as columns."""
        n = stop - start
        columns = len(self.sweep.columns)
        if n <= 0:
            return Block(0, [np.zeros(0, np.int64) for _ in range(columns)], [[] for _ in range(columns)])
        digits = self._digits(np.arange(start, stop, dtype=np.int64))
        width = len(self.variations)
        codes_out = [np.zeros(n, np.int64) for _ in range(columns)]
        pools: list[list[Any]] = [[] for _ in range(columns)]
        for c, d in enumerate(digits):
            codes_out[c] = d
            pools[c] = self.value_json[c]
        answers = range(width, columns - 1)
        for c in answers:
            pools[c].append(None)  # code 0: no answer (an invalid variant)
        fallback = np.zeros(n, bool)
        if self.whole:
            fallback[:] = True
            self.stats["scalar: " + self.whole] += n
        else:
            fields, choices, parameters = self._inputs(digits)
            problem, problems, failed = self._problems(digits, fields, n)
            codes_out[-1], pools[-1] = problem, problems
            fallback |= failed
            valid = np.flatnonzero((problem == 0) & ~failed)
            self.stats["invalid"] += int(np.count_nonzero(problem != 0))
            if len(valid):
                self._replay(valid, fields, choices, parameters, codes_out, pools, fallback)
        for i in np.flatnonzero(fallback).tolist():
            combo = tuple(v.values[d[i]] for v, d in zip(self.variations, digits))
            row = self.sweep.row(combo)
            for c in range(width, columns):
                codes_out[c][i] = len(pools[c])
                pools[c].append(row[c])
        return Block(n, codes_out, pools)

    def _digits(self, index: np.ndarray) -> list[np.ndarray]:
        digits = []
        for radix in reversed(self.radices):
            digits.append(index % radix)
            index = index // radix
        return digits[::-1]

    def _inputs(self, digits: list[np.ndarray]):
        """The varied values as vectors: event fields, choices and parameters."""
        fields: dict[tuple[str, str], Vec] = {}
        overrides: dict[str, dict[str, Vec]] = {"choice": {}, "parameter": {}}
        for variation, base, d in zip(self.variations, self.bases, digits):
            vec = base.take(d)
            if variation.kind in overrides:
                overrides[variation.kind][variation.target] = vec
                continue
            event = self.events[variation.target]
            fields[(event.id, variation.field)] = vec
            for copy, source in event.copied.items():
                if source == variation.field:
                    fields[(event.id, copy)] = vec
        settled = self.scenario.choices(self.ruleset, dict(self.sweep.choices))
        choices = {name: overrides["choice"].get(name, const(value)) for name, value in settled.items()}
        given = {**self.scenario.parameters, **self.sweep.parameters}
        parameters = {name: overrides["parameter"].get(name, const(given.get(name, p.default)))
                      for name, p in self.ruleset.parameters.items()}
        return fields, choices, parameters

    def _problems(self, digits, fields, n: int):
        """The first failed input check of each variant (code 0: none), as `Sweep._check` finds it."""
        problem = np.zeros(n, np.int64)
        failed = np.zeros(n, bool)
        messages = [""]
        changed = []
        for variation in self.variations:
            if variation.kind == "event" and variation.target not in changed:
                changed.append(variation.target)
        for event_id in changed:
            event = self.events[event_id]
            checks = self.ruleset.event_types[event.type].checks
            if not checks:
                continue
            first, broken = first_failed(self.kernels, event, fields, n)
            open_ = (problem == 0) & ~failed
            failed |= open_ & broken
            for index, check in enumerate(checks):
                here = open_ & ~broken & (first == index)
                if here.any():
                    problem = np.where(here, len(messages), problem)
                    messages.append(f"{event.id}: {check.message}")
        return problem, messages, failed

    # -- the replay of valid variants ------------------------------------------------------------

    def _replay(self, valid, fields, choices, parameters, codes_out, pools, fallback) -> None:
        take = _taker(valid)
        fields = {key: take(vec) for key, vec in fields.items()}
        choices = {key: take(vec) for key, vec in choices.items()}
        parameters = {key: take(vec) for key, vec in parameters.items()}
        events = self.scenario.events
        try:
            days, given, failed = self._days(len(valid), fields, choices, parameters)
        except Unsupported as why:
            self._to_scalar(valid, fallback, f"scalar: {why}")
            return
        failed_rows = valid[failed]
        fallback[failed_rows] = True
        self.stats["scalar: a rule raises"] += len(failed_rows)
        keep = np.flatnonzero(~failed)
        if not len(keep):
            return
        order_key = np.stack([np.broadcast_to(days[e.id].data, (len(valid),))[keep] * len(events) + rank
                              for rank, e in enumerate(sorted(events, key=lambda e: e.index))])
        by_rank = sorted(events, key=lambda e: e.index)
        permutation = np.argsort(order_key, axis=0).T
        orders, group_of = _distinct_rows(permutation)
        for number, order in enumerate(orders):
            members = keep[group_of == number]
            rows = valid[members]
            if len(members) < self.min_group:
                self._to_scalar(rows, fallback, "scalar: a small group")
                continue
            sub = _taker(members)
            try:
                run = GroupRun(self.kernels, events, [by_rank[k] for k in order], len(members),
                               {k: sub(v) for k, v in fields.items()}, {k: sub(v) for k, v in choices.items()},
                               {k: sub(v) for k, v in parameters.items()}, {k: sub(v) for k, v in days.items()},
                               {k: (name, sub(v)) for k, (name, v) in given.items()},
                               skip_duties=not self.sweep.duties).run()
                answers = [run.answer(call) for call in self.scenario.questions]
            except Unsupported as why:
                self._to_scalar(rows, fallback, f"scalar: {why}")
                continue
            except Exception:
                if self.strict:
                    raise
                self._to_scalar(rows, fallback, "scalar: an internal error of the kernels")
                continue
            failed = run.failed.copy()
            unknown = np.zeros(len(members), bool)
            for answer in answers:
                if answer.err is not None:
                    failed |= np.broadcast_to(answer.err, failed.shape)
                if answer.unk is not None:
                    unknown |= np.broadcast_to(answer.unk, unknown.shape)
            # An unknown answer is weighed by the scalar engine: it is unknown only if the missing facts
            # could change it (`answers.case`), which needs the facts each unknown lacks.
            unknown &= ~failed
            good = ~(failed | unknown)
            fallback[rows[~good]] = True
            self.stats["scalar: a rule raises"] += int(np.count_nonzero(failed))
            self.stats["scalar: an unknown answer, weighed"] += int(np.count_nonzero(unknown))
            self.stats["vector"] += int(np.count_nonzero(good))
            width = len(self.variations)
            for q, answer in enumerate(answers):
                data, values = json_codes(answer, len(members))
                column = width + q
                codes_out[column][rows[good]] = data[good] + len(pools[column])
                pools[column].extend(values)

    def _days(self, n: int, fields, choices, parameters):
        """The day each event takes effect, per variant (its `takes_effect`, or its date)."""
        events = self.scenario.events
        pre = GroupRun(self.kernels, events, [], n, fields, choices, parameters, {}, {}, True)
        days: dict[str, Vec] = {}
        given: dict[str, tuple[str, Vec]] = {}
        failed = np.zeros(n, bool)
        for event in events:
            definition = self.ruleset.event_types[event.type]
            if definition.takes_effect is None:
                days[event.id] = pre.field(event, "date")
                continue
            name = definition.takes_effect[0]
            day = self.kernels.takes_effect(event.type).fn(VCtx(pre, {"event": event_vec(event)}))
            if day.kind == "obj":
                raise Unsupported("a day among values of other kinds")
            if day.kind != "date":  # none or unknown everywhere: the scalar engine raises
                failed |= True
                day = Vec("date", np.zeros(1, np.int64))
            special = day.special()
            if special is not None:
                failed |= np.broadcast_to(special, (n,))
            pre.state.set(event.id, name, day, pre.now, None)
            days[event.id] = day
            given[event.id] = (name, day)
        return days, given, failed | pre.failed

    def _to_scalar(self, rows: np.ndarray, fallback: np.ndarray, why: str) -> None:
        fallback[rows] = True
        self.stats[why] += len(rows)


def _distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a matrix of small numbers, and each row's index among them."""
    width = rows.shape[1]
    if width and width ** width < 1 << 62:
        key = np.zeros(len(rows), np.int64)
        for column in range(width):
            key = key * width + rows[:, column]
        uniq, inverse = dense(key)
        first = np.zeros(len(uniq), np.int64)
        first[inverse[::-1]] = np.arange(len(rows))[::-1]
        return rows[first], inverse
    orders, inverse = np.unique(rows, axis=0, return_inverse=True)
    return orders, inverse.reshape(-1)


def _taker(index: np.ndarray):
    return lambda vec: vec.take(index)


def json_codes(vec: Vec, n: int) -> tuple[np.ndarray, list[Any]]:
    """Per-variant codes into the JSON values of a vector (`to_json` of each distinct value)."""
    from .ordinals import iso

    if vec.kind == "date":
        uniq, data = dense(vec.data)
        values: list[Any] = iso(uniq).tolist()
    elif vec.kind == "bool":
        data, values = vec.data.astype(np.int64), [False, True]
    elif vec.kind == "int":
        uniq, data = dense(vec.data)
        values = [int(u) for u in uniq]
    elif vec.kind == "obj":
        data, values = vec.data, [to_json(value) for value in vec.pool]
    else:
        data, values = np.zeros(1, np.int64), []
    data = data.reshape(-1)
    if vec.null is not None:
        data = np.where(vec.null, len(values), data)
        values.append(None)
    if vec.unk is not None:
        data = np.where(vec.unk, len(values), data)
        values.append(to_json(Unknown()))
    return np.broadcast_to(data, (n,)), values
