"""The `--html` pages of `mou robust` and `mou sweep`: the same kind of page as `mou report`.

Stage: tools (report pages). Imports `charts`, `page`, `readings`, answers'
`analysis`, `output`, `record` and `render`, and `mou.values`.

- `robust_html`: which answers are safe under every reading, then the table
  of every answer under each reading, cells that differ from the reading as
  written marked.
- `SweepPlot`: stands between a sweep and its output. It passes every row
  on unchanged and keeps a sample of them (at most `MAX_POINTS`, evenly
  spaced), so memory stays flat however many variants there are; `html()`
  then plots each answer against the first value varied, one series per
  combination of the others.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ...answers.analysis import AnswerTable
from ...answers.output import asked
from ...answers.record import scenario_decision
from ...answers.render import plain
from ...values import to_json
from . import charts
from .page import page
from .readings import shown

MAX_POINTS = 20_000
"""A sweep's page plots at most this many variants (evenly spaced among them)."""


def robust_html(engine: Any, scenario: Any, table: AnswerTable, results: list, today: date | None = None) -> str:
    """The page of `mou robust --html`."""
    written = scenario.choices(engine.ruleset)
    base = tuple(to_json(written.get(name)) if name in written else None for name in table.names)
    rows = []
    first: list[str] = []
    for index, combo in enumerate(table.combos):
        values = tuple(to_json(v) for v in combo)
        answers = [plain(to_json(column[index])) for column in table.table]
        flipped = [f"{name} = {shown(value)}" for name, value, written_value in zip(table.names, values, base)
                   if value != written_value]
        if not flipped:
            first = answers
        rows.append((len(flipped), index, ", ".join(flipped) or "as written", answers))
    rows.sort()  # the reading as written, then single flips, then two at a time …
    rows = [(label, answers, not count) for count, _, label, answers in rows]
    first = first or (rows[0][1] if rows else [])
    record = {**scenario_decision(engine.ruleset, scenario), "varied": list(table.names)}
    return page("robust.html.j2", version=record["mou"],
                title=scenario.title, description=scenario.description, file=scenario.file,
                date=(today or date.today()).isoformat(), record=record,
                names=table.names, written=base, questions=[asked(c.ask, c.raw_args) for c in scenario.questions],
                rows=rows, first=first, results=results, total=len(table.combos))


class SweepPlot:
    """A writer in front of a sweep's output: passes the text on, keeps a sample of the rows for a page."""

    def __init__(self, out: Any, sweep: Any, out_format: str):
        self.out = out
        self.sweep = sweep
        self.format = out_format
        self.stride = max(1, -(-len(sweep) // MAX_POINTS))
        self.seen = 0
        self.rows: list[tuple[int, list[str]]] = []  # (variant number, cells)
        self._header = out_format == "csv"

    def write(self, text: str) -> int:
        """Pass `text` on, and keep every `stride`-th row of it."""
        written = self.out.write(text)
        if text:
            lines = csv.reader(io.StringIO(text)) if self.format == "csv" else (
                _jsonl_cells(line, self.sweep.columns) for line in text.splitlines() if line.strip())
            for cells in lines:
                if self._header:
                    self._header = False
                    continue
                if self.seen % self.stride == 0:
                    self.rows.append((self.seen, cells))
                self.seen += 1
        return written

    def flush(self) -> None:
        """Flush the output underneath."""
        self.out.flush()

    def html(self, today: date | None = None) -> str:
        """The page: one chart per question, answers against the first value varied."""
        sweep = self.sweep
        variations = sweep.variations
        first = variations[0]
        x_labels = [plain(to_json(v)) for v in first.values]
        position = {label: index for index, label in enumerate(x_labels)}
        others = len(variations) - 1
        questions = sweep.columns[len(variations):-1]
        plots = []
        for column, label in enumerate(questions, len(variations)):
            series: dict[str, charts.Series] = {}
            for _, cells in self.rows:
                if cells[-1]:
                    continue  # an invalid variant has no answers
                key = ", ".join(f"{v.label}={cells[i]}" for i, v in enumerate(variations[1:], 1)) or "answers"
                x = position.get(cells[0])
                if x is not None:
                    series.setdefault(key, charts.Series(key, [])).points.append((x, cells[column]))
            drawn = list(series.values())
            plots.append((label, charts.chart(label, x_labels, drawn, first.label), len(drawn),
                          [(charts.style(i)[0], f"{s.label} ({charts.style(i)[2]})") for i, s in
                           enumerate(drawn[:charts.MAX_SERIES])]))
        invalid = sum(1 for _, cells in self.rows if cells[-1])
        record = {**scenario_decision(sweep.engine.ruleset, sweep.scenario, sweep.choices, sweep.parameters),
                  "varied": [v.label for v in variations]}
        return page("sweep.html.j2", version=record["mou"],
                    title=sweep.scenario.title, description=sweep.scenario.description, file=sweep.scenario.file,
                    date=(today or date.today()).isoformat(), record=record,
                    variations=[(v.label, len(v.values)) for v in variations], total=len(sweep), plotted=len(self.rows),
                    stride=self.stride, plots=plots, others=others, invalid=invalid,
                    max_series=charts.MAX_SERIES, colours=charts.COLOURS)


def _jsonl_cells(line: str, columns: list[str]) -> list[str]:
    row = json.loads(line)
    cells = []
    for name in columns:
        value = row.get(name)
        cells.append("" if value is None else json.dumps(value, ensure_ascii=False)
                     if isinstance(value, (list, dict)) else plain(value))
    return cells
