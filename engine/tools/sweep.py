"""Sweeps: many variants of one scenario, evaluated and streamed as rows.

Stage: tools. Imports answers' `questions`, scenario files' `builder` and
`model`, the clause language's `types`, `vocabulary` and `yamlio`, and
`mou.dates`, `mou.errors`, `mou.values`; a worker process builds its own
`mou.api.Engine`.

A variation names what to vary and over which values::

    n1.received=2020-01-01..2021-12-31          every day (dates step 1 day by default)
    n1.received=2020-01-31..2022-01-31/1 month  month ends stay month ends (Reg. 1182/71 rule)
    interpretation.notice_runs_from=receipt,dispatch
    parameters.IX.3.notice_period=1 month..12 months/1 month
    m1.topics=ii,x                              a list of values (for a list field: one value each)

The variants are the product of the variations, in order (the last varies
fastest). Rows are produced lazily, one variant at a time, so memory stays
flat however many variants there are; `rows(start, stop)` lets processes
share the work.
"""

from __future__ import annotations

import csv
import itertools
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from .. import dates
from ..answers.output import plain
from ..errors import Location, MouError, RuleError, suggest
from ..jsontext import SCHEMA_VERSION
from ..language import types as T
from ..language.types import to_value
from ..language.yamlio import resolve_plain
from ..scenario.builder import check_message, failed_checks
from ..scenario.model import Scenario
from ..values import Event, to_json
from .limits import MAX_VALUES

WHERE = Location("<command line>")


@dataclass(frozen=True)
class Variation:
    """One thing to vary: a target (event field, choice or parameter) and its values."""

    label: str  # as the user wrote it, e.g. n1.received
    kind: str  # event | choice | parameter
    target: str  # event id, choice name or parameter name
    field: str  # for events: the field (or `date`)
    values: tuple


def parse_variation(spec: str, scenario: Scenario, ruleset: Any) -> Variation:
    """Read `FIELD=RANGE` (see the module docstring); MouError with a message otherwise."""
    label, kind, target, field, type_, text = variation_target(spec, scenario, ruleset)
    return Variation(label, kind, target, field, _values(text, type_, ruleset, label))


def variation_target(spec: str, scenario: Scenario, ruleset: Any) -> tuple[str, str, str, str, T.Type, str]:
    """What `FIELD=VALUES` varies: (label, kind, target, field, type, the values' text); nothing built yet."""
    label, sep, text = spec.partition("=")
    label, text = label.strip(), text.strip()
    if not sep or not label or not text:
        raise MouError.at(WHERE, f"--vary takes FIELD=VALUES, e.g. n1.received=2020-01-01..2020-12-31; got {spec!r}")
    if label.startswith("interpretation."):
        name = label.split(".", 1)[1]
        if name not in ruleset.choices:
            raise MouError.at(WHERE, f"unknown interpretive choice {name!r}{suggest(name, ruleset.choices)}")
        return label, "choice", name, "", ruleset.choices[name].type, text
    if label.startswith("parameters."):
        name = label.split(".", 1)[1]
        if name not in ruleset.parameters:
            raise MouError.at(WHERE, f"unknown parameter {name!r}{suggest(name, ruleset.parameters)}")
        return label, "parameter", name, "", ruleset.parameters[name].type, text
    event_id, _, field = label.partition(".")
    events = {event.id: event for event in scenario.events}
    if event_id not in events:
        raise MouError.at(WHERE, f"{label}: no event {event_id!r} in {scenario.file}{suggest(event_id, events)}; "
                                 "write EVENT.FIELD, interpretation.CHOICE or parameters.PARAMETER")
    definition = ruleset.event_types[events[event_id].type]
    if field == "date":
        type_ = T.DATE
    elif field in definition.fields:
        type_ = definition.fields[field].type
        if type_.kind == "event":
            raise MouError.at(WHERE, f"{label}: references between events cannot be varied")
    else:
        raise MouError.at(WHERE, f"{label}: a {definition.name} has no field {field!r}"
                                 f"{suggest(field, ['date', *definition.fields])}")
    return label, "event", event_id, field, type_, text


def count_values(text: str, type_: T.Type, label: str) -> int:
    """How many values `_values` would give, computed without making them (a refusal takes milliseconds)."""
    try:
        if ".." not in text:
            return len(text.split(","))
        bounds, _, step_text = text.partition("/")
        start_text, _, end_text = bounds.partition("..")
        if type_.kind == "date":
            start, end = dates.parse_date(start_text.strip()), dates.parse_date(end_text.strip())
            step = dates.parse_duration(step_text) if step_text else dates.Duration(1, "days")
            if end < start:
                raise ValueError(f"the range ends ({end}) before it starts ({start})")
            if step.count <= 0:
                raise ValueError("the step must be positive")
            if step.months is None:
                return (end - start).days // step.count + 1
            k = ((end.year - start.year) * 12 + end.month - start.month) // step.months + 1
            while k > 0 and dates.add(start, dates.Duration(step.count * k, step.unit)) > end:
                k -= 1
            return k + 1
        return _count_range(text, type_)
    except (ValueError, OverflowError, dates.DateError) as error:
        raise MouError.at(WHERE, f"{label}: {error}") from None


def _count_range(text: str, type_: T.Type) -> int:
    bounds, _, step_text = text.partition("/")
    start_text, _, end_text = bounds.partition("..")
    if type_.kind == "int":
        step = int(step_text or 1)
        if step <= 0:
            raise ValueError("the step must be positive")
        return len(range(int(start_text), int(end_text) + 1, step))
    if type_.kind == "duration":
        start, end = dates.parse_duration(start_text), dates.parse_duration(end_text)
        step = dates.parse_duration(step_text) if step_text else dates.Duration(1, start.unit)
        if not (start.comparable(end) and start.comparable(step)):
            raise ValueError("a range of durations needs one unit kind (days, or months and years)")
        if start.months is None:
            return len(range(start.count, end.count + 1, max(step.count, 1)))
        return len(range(start.months, end.months + 1, max(step.months or 1, 1)))
    raise ValueError(f"a range START..END needs dates, durations or numbers, not {type_}")


def _values(text: str, type_: T.Type, ruleset: Any, label: str) -> tuple:
    try:
        if ".." in text:
            return tuple(_range(text, type_))
        item_type = type_.item if type_.kind == "list" and type_.item else type_
        values = [to_value(resolve_plain(part.strip()) if item_type.kind not in ("text", "actor") else part.strip(),
                           item_type, ruleset.parties) for part in text.split(",")]
        return tuple((value,) if type_.kind == "list" else value for value in values)
    except (ValueError, dates.DateError) as error:
        raise MouError.at(WHERE, f"{label}: {error}") from None


def _range(text: str, type_: T.Type) -> Iterator[Any]:
    bounds, _, step_text = text.partition("/")
    start_text, _, end_text = bounds.partition("..")
    kind = type_.kind
    if kind == "date":
        start, end = dates.parse_date(start_text.strip()), dates.parse_date(end_text.strip())
        step = dates.parse_duration(step_text) if step_text else dates.Duration(1, "days")
        yield from _steps(start, end, lambda k: dates.add(start, dates.Duration(step.count * k, step.unit)))
    elif kind == "duration":
        start, end = dates.parse_duration(start_text), dates.parse_duration(end_text)
        step = dates.parse_duration(step_text) if step_text else dates.Duration(1, start.unit)
        if not (start.comparable(end) and start.comparable(step)):
            raise ValueError("a range of durations needs one unit kind (days, or months and years)")
        unit = "days" if start.months is None else "months"
        first, last, by = ((start.count, end.count, step.count) if unit == "days"
                           else (start.months, end.months, step.months))
        if by <= 0:
            raise ValueError("the step must be positive")
        for count in range(first, last + 1, by):
            yield dates.Duration(count, unit)
    elif kind == "int":
        first, last = int(start_text), int(end_text)
        yield from range(first, last + 1, int(step_text or 1))
    else:
        raise ValueError(f"a range START..END needs dates, durations or numbers, not {type_}")


def _steps(start: date, end: date, nth) -> Iterator[date]:
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    for k in itertools.count():
        value = nth(k)
        if value > end:
            return
        if k >= MAX_VALUES:  # counted before (`count_values`): never cut short silently
            raise ValueError(f"the range has more than {MAX_VALUES:,} values")
        if k and value == nth(k - 1):
            raise ValueError("the step must be positive")
        yield value


def question_labels(scenario: Scenario) -> list[str]:
    """One column name per question, e.g. `in_force(on=2020-11-12)`."""
    labels, seen = [], {}
    for call in scenario.questions:
        label = f"{call.ask}(" + ",".join(f"{k}={v}" for k, v in call.raw_args.items()) + ")"
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label}#{seen[label]}")
    return labels


class Sweep:
    """The variants of a scenario and their answers, produced one at a time."""

    def __init__(self, engine: Any, scenario: Scenario, variations: list[Variation],
                 choices: dict | None = None, parameters: dict | None = None):
        self.engine = engine
        self.scenario = scenario
        self.variations = variations
        self.choices = dict(choices or {})
        self.parameters = dict(parameters or {})
        self.events = {event.id: event for event in scenario.events}
        self.columns = [v.label for v in variations] + question_labels(scenario) + ["invalid"]
        self.duties = any(call.definition.uses_duties for call in scenario.questions)

    def __len__(self) -> int:
        total = 1
        for variation in self.variations:
            total *= len(variation.values)
        return total

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[list[Any]]:
        """Rows `start` to `stop` (JSON values, in column order)."""
        combos = itertools.islice(itertools.product(*(v.values for v in self.variations)), start, stop)
        for combo in combos:
            yield self.row(combo)

    def row(self, combo: tuple) -> list[Any]:
        """The answers of one variant."""
        choices, parameters = dict(self.choices), dict(self.parameters)
        saved: list[tuple[Event, str, Any]] = []
        try:
            for variation, value in zip(self.variations, combo):
                if variation.kind == "choice":
                    choices[variation.target] = value
                elif variation.kind == "parameter":
                    parameters[variation.target] = value
                else:
                    self._set(self.events[variation.target], variation.field, value, saved)
            problem = self._check(saved)
            answers: list[Any] = [None] * len(self.scenario.questions)
            if not problem:
                found = self.engine.answers(self.scenario, choices, parameters, self.duties)  # fast, or FALLBACK
                if found:
                    answers = [to_json(value) for value in found.values]
                else:
                    case = self.engine.case(self.scenario, choices, parameters, explain=False, duties=self.duties)
                    answers = [to_json(case.value(call)) for call in self.scenario.questions]
        except RuleError as error:  # no row for this variant, nor for any after it
            error.add_note("in the variant " + ", ".join(f"{v.label}={plain(to_json(value))}"
                                                         for v, value in zip(self.variations, combo)))
            raise
        finally:
            for event, name, value in reversed(saved):
                if name == "date":
                    event.date = value
                else:
                    event.fields[name] = value
        return [to_json(value) for value in combo] + answers + [problem]

    @staticmethod
    def _set(event: Event, name: str, value: Any, saved: list) -> None:
        if name == "date":
            saved.append((event, "date", event.date))
            event.date = value
        else:
            saved.append((event, name, event.fields[name]))
            event.fields[name] = value
        for copy, source in event.copied.items():
            if source == name:
                saved.append((event, copy, event.fields[copy]))
                event.fields[copy] = value

    def _check(self, saved: list) -> str:
        """The input checks of the clause files, on the events this variant changed."""
        for event in {id(e): e for e, _, _ in saved}.values():
            for check in failed_checks(self.engine.ruleset, event):
                return f"{event.id}: {check_message(check, event)}"
        return ""


@dataclass(frozen=True)
class SweepSpec:
    """Everything a process needs to rebuild a sweep on its own (picklable)."""

    scenario: str
    variations: tuple[str, ...]
    interpret: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    backend: str = "native"
    clauses: str | None = None
    evaluator: str = "fast"  # the scalar rows: the fast evaluator first, or the full one only

    def build(self, max_variants: int | None = None) -> Sweep:
        """The engine, the scenario and the sweep, read and checked (at most `max_variants` variants)."""
        from ..api import Engine
        from ..scenario.command_line import command_line_value

        engine = Engine(self.clauses, backend=self.backend, evaluator=self.evaluator)
        scenario = engine.read(self.scenario)
        overrides: dict[str, dict] = {"choice": {}, "parameter": {}}
        for kind, items in (("choice", self.interpret), ("parameter", self.settings)):
            for item in items:
                name, sep, value = item.partition("=")
                if not sep:
                    raise MouError.at(WHERE, f"expected NAME=VALUE, got {item!r}")
                overrides[kind][name.strip()] = command_line_value(engine.reader, kind, name.strip(), value.strip())
        targets = [variation_target(spec, scenario, engine.ruleset) for spec in self.variations]
        seen: dict[tuple[str, str, str], str] = {}
        for label, kind, target, field, _, _ in targets:
            if (kind, target, field) in seen:
                also = "" if seen[kind, target, field] == label else f" (also as {seen[kind, target, field]})"
                raise MouError.at(WHERE, f"--vary {label} is given twice{also}; vary each field once, with all its "
                                         "values: FIELD=A,B,C")
            seen[kind, target, field] = label
        # The number of variants, before any value is made: a sweep too large is refused at once.
        counts = [count_values(text, type_, label) for label, _, _, _, type_, text in targets]
        for (label, *_), count in zip(targets, counts):
            if count > MAX_VALUES:
                raise MouError.at(WHERE, f"{label}: the range has {count:,} values, more than the limit of "
                                         f"{MAX_VALUES:,}; narrow it, or take a longer step")
        total = 1
        for count in counts:
            total *= count
        if max_variants is not None and total > max_variants:
            raise MouError.at(WHERE, f"this sweep has {total:,} variants, more than the limit of "
                                     f"{max_variants:,}; narrow the ranges, or raise the limit with --max-variants")
        variations = [Variation(label, kind, target, field, _values(text, type_, engine.ruleset, label))
                      for label, kind, target, field, type_, text in targets]
        return Sweep(engine, scenario, variations, overrides["choice"], overrides["parameter"])


def write_rows(handle, out_format: str, columns: list[str], rows: Iterable[list[Any]],
               progress: Callable[[int], None] | None = None, header: bool = True) -> None:
    """Stream rows as CSV or JSON Lines; `progress(count)` is called every 500 rows and at the end."""
    writer = csv.writer(handle, lineterminator="\n") if out_format == "csv" else None
    if writer is not None and header:
        writer.writerow(columns)

    def write(row: list) -> None:
        if writer is not None:
            writer.writerow([cell(value) for value in row])
        else:
            document = {"schema_version": SCHEMA_VERSION, **dict(zip(columns, row))}
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")

    count = 0
    for count, row in enumerate(rows, 1):
        write(row)
        if progress is not None and count % 500 == 0:
            progress(count)
    if progress is not None:
        progress(count)


def cell(value: Any) -> str:
    """A JSON value as one CSV cell."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return plain(value)
