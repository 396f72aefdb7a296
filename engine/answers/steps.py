"""The full trace behind an answer: the rule firings it rests on, step by step.

Stage: answers. Imports evaluation's `replay` and `trace`, the clause
language's `context` and `ruleset`, and `mou.values`.

From the facts an answer read and, through their provenance, the rule
firings that set them (and, for a fact no rule set, the firings of the rules
that could have set it and did not), `trace_of` gathers every firing the
answer rests on, each with every condition that held or failed and the facts
it read, the events concerned, the interpretive choices consulted and the
notes of the rules that applied. This is the `steps` of an explanation, for
those who want it all (`--trace`); the decisive reasons are `reasons`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..evaluation.replay import Replay
from ..evaluation.trace import Firing
from ..language.context import Read
from ..language.ruleset import RuleSet
from ..values import Unknown, to_json


@dataclass
class Trace:
    """The firings an answer rests on, and what they consulted."""

    firings: list[Firing]
    events: list[str]
    choices: dict[str, Any]  # choice → the value consulted
    paragraphs: list[str]  # every paragraph of the firings, in order
    json: dict = field(default_factory=dict)  # question, as_of, facts, steps, events, notes


def trace_of(replay: Replay, reads: Iterable[Read], subjects: Iterable[str], paragraphs: list[str],
             says: str, as_of: Any = None) -> Trace:
    """The trace part of an explanation of whatever read `reads` about `subjects` (a question, an invariant):
    the question, the facts read, every step, the events, the choices consulted and the notes."""
    ruleset = replay.ruleset
    reads = tuple(reads)
    subjects = list(subjects)
    firings = _relevant_firings(replay, reads, set(subjects))
    main = _main_firings(replay, reads, set(subjects))
    events = list(subjects)
    for firing in firings:
        for event_id in sorted(firing.subjects):
            if event_id not in events:
                events.append(event_id)
    timing_reads = [read for event_id in events for read in replay.timing.get(event_id, ("", None, ()))[2]]
    choice_reads: dict[str, Any] = {}
    for read in _all_reads([*reads, *timing_reads], firings):
        if read.kind == "choice":
            choice_reads.setdefault(read.name, read.value)
    duty_reads = [read for read in reads if read.kind == "duty" and read.source is not None]
    if duty_reads and replay.firings:  # a question about duties cites the paragraphs of the duties it found
        paragraphs = list(dict.fromkeys(replay.firings[read.source].rule.paragraph for read in duty_reads))
    for firing in firings:
        if firing.rule.paragraph not in paragraphs:
            paragraphs.append(firing.rule.paragraph)
    notes = [note for firing in firings for note in firing.notes]
    if replay.defaulted and any(e.implied for e in replay.events if e.id in events):
        notes.insert(0, replay.defaulted)
    return Trace(firings, events, dict(sorted(choice_reads.items())),
                 [p for p in paragraphs if p in ruleset.paragraphs], {
                     "question": says,
                     "as_of": to_json(as_of),
                     "facts": _facts(reads, replay),
                     "steps": [_step(firing, firing.index in main) for firing in firings],
                     "events": [_event(replay, event_id) for event_id in events if event_id in replay.by_id],
                     "notes": notes,
                 })


def _main_firings(replay: Replay, reads: tuple[Read, ...], subjects: set[str]) -> set[int]:
    """The firings an answer rests on directly: about its events, or setting what it read."""
    main = {firing.index for firing in replay.firings if firing.subjects & subjects}
    main |= {read.source for read in reads if read.source is not None}
    return main


def _relevant_firings(replay: Replay, reads: tuple[Read, ...], subjects: set[str]) -> list[Firing]:
    firings = replay.firings
    chosen: set[int] = set()
    pending = list(reads)
    for firing in firings:
        if firing.subjects & subjects:
            chosen.add(firing.index)
            pending.extend(_firing_reads(firing))
    unset_labels = set()
    while pending:
        read = pending.pop()
        if read.source is not None:
            if read.source not in chosen:
                chosen.add(read.source)
                pending.extend(_firing_reads(firings[read.source]))
        elif read.is_fact:
            unset_labels.add(read.label)
    for index in _could_have_set(replay, unset_labels, subjects):
        if index not in chosen:
            chosen.add(index)
            for read in _firing_reads(firings[index]):
                if read.source is not None and read.source not in chosen:
                    pending.append(read)
        while pending:
            read = pending.pop()
            if read.source is not None and read.source not in chosen:
                chosen.add(read.source)
                pending.extend(_firing_reads(firings[read.source]))
    return [firings[index] for index in sorted(chosen)]


def _could_have_set(replay: Replay, labels: set[str], subjects: set[str]) -> list[int]:
    """Firings of rules that could have set a fact that stayed unset, and of the rules that trigger them."""
    if not labels:
        return []
    wanted_attrs = {label.rsplit(".", 1)[-1] for label in labels}
    owners = {label.rsplit(".", 1)[0] for label in labels}
    rules = {rule.id for rule in replay.ruleset.rules
             if any(a.attr in wanted_attrs for a in rule.then)}
    triggering = {(rule.trigger.owner, rule.trigger.attr) for rule in replay.ruleset.rules
                  if rule.id in rules and rule.trigger.kind == "date"}
    rules |= {rule.id for rule in replay.ruleset.rules
              if any((owner_type, a.attr) in triggering for a in rule.then
                     for owner_type in [rule.trigger.owner])}
    result = []
    for firing in replay.firings:
        if firing.rule.id in rules and firing.outcome is not True:
            concerned = firing.subjects & (owners | subjects) or "agreement" in owners or not subjects
            if concerned:
                result.append(firing.index)
    return result


def _event(replay: Replay, event_id: str) -> dict:
    event = replay.by_id[event_id]
    item = {"id": event.id, "type": event.type, "date": to_json(event.date)}
    if event_id in replay.timing:
        name, day, _ = replay.timing[event_id]
        item[name] = to_json(day)
    if event.implied:
        item["implied"] = True
    return item


def _firing_reads(firing: Firing) -> Iterable[Read]:
    yield from firing.let_reads
    for condition in firing.conditions:
        yield from condition.reads


def _all_reads(reads: Iterable[Read], firings: list[Firing]) -> Iterable[Read]:
    yield from reads
    for firing in firings:
        yield from _firing_reads(firing)


def _facts(reads: Iterable[Read], replay: Replay) -> list[dict]:
    result = []
    seen = set()
    for read in reads:
        if read.depth > 0 or read.kind == "choice" or read.label in seen:
            continue
        seen.add(read.label)
        item = {"fact": read.label, "value": to_json(read.value)}
        if read.note:
            item["why"] = read.note
        if read.source is not None:
            firing = replay.firings[read.source]
            item["set_by"] = {"rule": firing.rule.id, "paragraph": firing.rule.paragraph,
                              "date": to_json(firing.day)}
        result.append(item)
    return result


def _step(firing: Firing, main: bool) -> dict:
    rule = firing.rule
    step = {
        "role": "main" if main else "support",
        "date": to_json(firing.day),
        "rule": rule.id,
        "paragraph": rule.paragraph,
        "says": rule.says,
        "event": firing.subject.id if firing.subject is not None else None,
        "outcome": to_json(firing.outcome),
    }
    if firing.lets:
        step["let"] = {name: to_json(value) for name, value in firing.lets}
    step["conditions"] = [
        {"says": c.says, "holds": to_json(c.value), "facts": _condition_facts(c.reads)} for c in firing.conditions]
    step["concluded"] = {label: to_json(value) for label, value in firing.effects}
    if firing.notes:
        step["notes"] = list(firing.notes)
    if firing.error:
        step["error"] = firing.error
    return step


def _condition_facts(reads: Iterable[Read]) -> dict:
    facts = {}
    for read in reads:
        if read.depth == 0 and read.label not in facts:
            facts[read.label] = to_json(read.value)
    return facts


def choice_json(ruleset: RuleSet, name: str, value: Any) -> dict:
    """A choice consulted: `{name, value, default, paragraph, source}` (`matters` is added by the caller)."""
    choice = ruleset.choices[name]
    return {"name": name, "value": to_json(value), "default": value == choice.default
            if not isinstance(value, Unknown) else choice.default is None,
            "paragraph": choice.paragraph, "source": choice.source}
