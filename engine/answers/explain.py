"""Explanations: why an answer is what it is, as data and as plain text.

Stage: answers. Imports `questions`, evaluation's `replay` and `trace`, the
clause language's `context` and `ruleset`, and `mou.values`.

An explanation is built from the facts the answer read and, through their
provenance, the rule firings that set them (and, for a fact no rule set, the
firings of the rules that could have set it and did not). It lists the
paragraphs applied with their text, each step with every condition that held
or failed and the facts it read, the interpretive choices consulted, the
missing facts when the answer is `unknown`, and the notes rules added. It is
plain data (`explanation(...)` → dict, JSON-ready); `render_text` turns it
into lines for people.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..evaluation.replay import Replay
from ..evaluation.trace import Firing
from ..language.context import Ctx, Read
from ..language.ruleset import RuleSet
from ..values import Event, Unknown, show, to_json
from .questions import Answer


def explanation(replay: Replay, answer: Answer) -> dict:
    """The explanation of `answer` as a JSON-ready dict."""
    question = answer.call.definition
    subjects = [value.id for value in answer.call.args.values() if isinstance(value, Event)]
    explained = explain_reads(replay, answer.reads, subjects, list(question.paragraphs), question.says,
                              answer.as_of)
    if isinstance(answer.value, Unknown):
        explained["missing"] = sorted({str(m) for m in answer.value.missing})
    return {"summary": summary(replay, answer), **explained}


def explain_reads(replay: Replay, reads: Iterable[Read], subjects: Iterable[str], paragraphs: list[str],
                  says: str, as_of: Any = None) -> dict:
    """The explanation of whatever read `reads` about `subjects` (a question, an invariant)."""
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
            choice_reads.setdefault(read.label, read.value)
    duty_reads = [read for read in reads if read.kind == "duty" and read.source is not None]
    if duty_reads and replay.firings:  # a question about duties cites the paragraphs of the duties it found
        paragraphs = list(dict.fromkeys(replay.firings[read.source].rule.paragraph for read in duty_reads))
    for firing in firings:
        if firing.rule.paragraph not in paragraphs:
            paragraphs.append(firing.rule.paragraph)
    notes = [note for firing in firings for note in firing.notes]
    if replay.defaulted and any(e.implied for e in replay.events if e.id in events):
        notes.insert(0, replay.defaulted)
    return {
        "question": says,
        "as_of": to_json(as_of),
        "paragraphs": [{"id": p, "text": ruleset.paragraphs[p].text} for p in paragraphs if p in ruleset.paragraphs],
        "facts": _facts(reads, replay),
        "steps": [_step(firing, firing.index in main) for firing in firings],
        "events": [_event(replay, event_id) for event_id in events if event_id in replay.by_id],
        "choices": [_choice(ruleset, name, value) for name, value in sorted(choice_reads.items())],
        "missing": [],
        "notes": notes,
    }


def summary(replay: Replay, answer: Answer) -> str:
    """One sentence in plain words, from the question's `answers` templates."""
    question = answer.call.definition
    value = answer.value
    key = to_json(value)
    key_text = "true" if key is True else "false" if key is False else str(key)
    template = question.answers.get(key_text)
    if template is None:
        template = question.answers.get("none" if value is None else "value")
    if template is None:
        return f"{question.says}: {show(value)}"
    ctx = Ctx(replay.state, replay.choices, {**answer.call.args, "answer": value}, as_of=answer.as_of)
    return "".join(part if isinstance(part, str) else show(part(ctx)) for part in template)


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
        elif read.kind == "fact":
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


def _choice(ruleset: RuleSet, name: str, value: Any) -> dict:
    choice = ruleset.choices[name]
    return {"name": name, "value": to_json(value), "default": value == choice.default
            if not isinstance(value, Unknown) else choice.default is None,
            "paragraph": choice.paragraph, "source": choice.source}


def render_text(explained: dict, indent: str = "    ", full: bool = False) -> list[str]:
    """The explanation as lines of plain text (no trailing newlines).

    Steps the answer rests on directly are shown with every condition; the
    supporting chain (e.g. how the MoU entered into force) one line a step,
    or in full with `full=True`.
    """
    lines = []
    for paragraph in explained["paragraphs"]:
        lines.append(f"{indent}{paragraph['id']}  “{paragraph['text']}”")
    for fact in explained["facts"]:
        if "why" in fact:
            lines.append(f"{indent}{fact['fact']}: {show(fact['value'])}: {fact['why']}")
    if explained["steps"]:
        lines.append(f"{indent}because:")
    for step in explained["steps"]:
        subject = f" ({step['event']})" if step["event"] else ""
        mark = {True: "applies", False: "does not apply", "unknown": "may apply"}.get(step["outcome"], "")
        if step["role"] == "support" and not full:
            if step["outcome"] is True:
                concluded = ", ".join(f"{k} = {show(v)}" for k, v in step["concluded"].items())
                lines.append(f"{indent}  {step['date']}  {step['paragraph']}: {step['says']}{subject}"
                             + (f"  → {concluded}" if concluded else ""))
            continue
        lines.append(f"{indent}  {step['date']}  {step['paragraph']}: {step['says']}{subject}: {mark}")
        for condition in step["conditions"]:
            sign = {True: "✓", False: "✗"}.get(condition["holds"], "?")
            facts = ", ".join(f"{k} = {show(v)}" for k, v in condition["facts"].items())
            lines.append(f"{indent}      {sign} {condition['says']}" + (f"  [{facts}]" if facts else ""))
        if step["concluded"]:
            concluded = ", ".join(f"{k} = {show(v)}" for k, v in step["concluded"].items())
            lines.append(f"{indent}      → {concluded}")
        for note in step.get("notes", ()):
            lines.append(f"{indent}      note: {note}")
        if step.get("error"):
            lines.append(f"{indent}      error: {step['error']}")
    for event in explained["events"]:
        extra = [f"{k} {v}" for k, v in event.items() if k not in ("id", "type", "date", "implied")]
        if extra:
            lines.append(f"{indent}{event['id']}: {event['type']} dated {event['date']}, {', '.join(extra)}")
    if explained["choices"]:
        shown = ", ".join(f"{c['name']} = {show(c['value'])}" + (" (default)" if c["default"] else "")
                          for c in explained["choices"])
        lines.append(f"{indent}choices: {shown}")
    for missing in explained["missing"]:
        lines.append(f"{indent}missing: {missing}")
    for note in explained["notes"]:
        if not any(note in step.get("notes", ()) for step in explained["steps"]):
            lines.append(f"{indent}note: {note}")
    return lines
