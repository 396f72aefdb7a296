"""Issue 28's checks of explanations, as plain functions: each returns a list of human-readable violations.

DOMAIN.md, "What an explanation must be", and EXPLANATIONS.md say what an explanation must be; these are the
parts of it a program can check. Every check takes what it needs (an engine, a scenario, a question call, or
the explanation already built: `Asked`) and returns violations as sentences, empty when the explanation
passes. They are run over the shipped scenarios and generated ones by tests/test_explanation_properties.py,
and counted by benchmarks/explanation_audit.py.

- `hindsight`: an answer about day D is the same, word for word, once every event after D is removed;
- `counterfactuals`: each counterfactual is valid input, flips the answer to what it says, and is something
  a party could have done (no self-addressed notice, no signing for the other, no restating the question);
- `paragraphs`: a reason cites the paragraph of the rule that set its fact (entry into force IX.1,
  amendment IX.2, termination IX.3; the right to withdraw a notice: the choice, not IX.3);
- `notation`: no internal notation in anything a person reads (patterns in NOTATION, one place);
- `lines`: text at most 100 columns; `memo`: the memo of a scenario at most 100 columns (and 80 lines for
  scenarios/ix3-notice-valid.yaml), headings in words, no file names, no "(as expected)".

Everything runs in-process through the library (`Engine.case`, `answers.explain.explanation`, the renderers
`mou ask` uses), so a scenario costs milliseconds. The checks read only the public JSON shape of an
explanation (SCENARIOS.md, "Explanations"), so they keep working while the engine behind it is rewritten.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from mou import Engine
from mou.answers.explain import explanation
from mou.answers.output import asked as asked_line, check_markdown
from mou.answers.render import question_line, render_markdown, render_text
from mou.errors import MouError
from mou.jsontext import dumps
from mou.language.yamlio import Document
from mou.scenario.model import QuestionCall, Scenario
from mou.values import to_json

WIDTH = 100
"""Text output wraps at 100 columns (issue 28, and the golden files)."""

MEMO_MAX_LINES = {"ix3-notice-valid.yaml": 80}
"""Scenario files whose memo (`mou check FILE --format markdown`) must fit this many lines (issue 28)."""

IGNORED_KEYS = {"search"}
"""Top-level explanation keys `hindsight` does not compare: `search` counts the engine's evaluations (no word
a person reads; fewer events, fewer variants to try). Everything else, `steps` included, must be identical:
an answer about D "is built from the replay as of D". The truncated scenario keeps the file's name, so no
field differs for naming the file."""

READ_KEYS = {"summary", "says", "sentence", "why", "notes", "how_to_state", "heading"}
"""Keys of an explanation's JSON whose strings a person reads (anywhere in it but `steps`, the full trace,
whose words are checked where they are rendered: `--trace`)."""

# -- the internal-notation patterns (one place; each with why) ---------------------------------------------
# Each pattern is matched against engine-made text with the spans in backticks removed first: a name the
# reader must type (a choice to set, `notice_revocable`) may appear as code. Adjust them here.
NOTATION: list[tuple[str, str]] = [
    # Python's booleans as words: "1 True", "2 False", "II.1/invite triggered by m1: False".
    ("a Python value", r"\b(?:True|False)\b"),
    # Python's None ("None of the ..." at the start of a sentence is English, not Python).
    ("a Python None", r"\bNone\b(?! of\b)"),
    # A rule id: an article or paragraph, a slash, a slug ("II.1/invite", "IX.3/termination", "VII/consult").
    ("a rule id", r"\b[IVX]+(?:\.\d+)?/[a-z][\w-]*"),
    # A dotted parameter name ("IX.3.notice_period"): say "the notice period of IX.3". An item of a paragraph,
    # numbered in lower-case Roman numerals ("V.1.iii"), is a citation, not notation.
    ("a dotted parameter name", r"\b[IVX]+\.\d+\.(?![ivx]+\b)[a-z][a-z_]*"),
    # A status code or any snake_case word in prose ("not_triggered", "termination_pending",
    # "notice_revocable" outside backticks).
    ("a snake_case word", r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    # The engine's "(as expected)" beside an answer (DOMAIN.md rule 8).
    ("'(as expected)'", r"\(as expected\)"),
]


def notation_patterns(engine: Engine) -> list[tuple[str, re.Pattern]]:
    """NOTATION, plus what depends on the clause files: the built-in ids of the default events ("signed-IOM":
    say "IOM's signature of 27 January 2009") and `event.field` notation ("n1.form = oral")."""
    found = [(what, re.compile(pattern)) for what, pattern in NOTATION]
    defaults = engine.ruleset.default_events
    ids = [raw["id"] for raw in defaults[2]] if defaults else []
    if ids:
        found.append(("a built-in event id", re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) +
                                                        r")(?![\w-])")))
    fields = sorted({name for t in engine.ruleset.event_types.values() for name in t.fields}, key=len, reverse=True)
    found.append(("event.field notation", re.compile(r"(?<![\w.])[A-Za-z0-9][\w:-]*\.(?:" +
                                                       "|".join(map(re.escape, fields)) + r")\b")))
    return found


CODE = re.compile(r"`[^`]*`")
"""A span in backticks: a name the reader must type, shown as code."""

NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot)\b|n't\b", re.IGNORECASE)
"""A sentence that says something does not hold: a ✓ must not stand before a false fact worded so, unless its
own condition is worded negatively too ("✓ notice not withdrawn: the notice n1 has not been withdrawn")."""

TOPICS: list[tuple[str, re.Pattern, str]] = [
    # (what, pattern on a reason's statement, the paragraph it must cite); the first to match, by position in
    # the statement, decides. DOMAIN.md rule 3: termination IX.3, entry into force IX.1, amendment IX.2.
    ("an amendment", re.compile(r"\bamendments?\b", re.IGNORECASE), "IX.2"),
    ("termination", re.compile(r"\bterminat\w*", re.IGNORECASE), "IX.3"),
    ("entry into force", re.compile(r"\b(?:entry|entered|enters|enter) into force\b", re.IGNORECASE), "IX.1"),
]

WITHDRAWAL = re.compile(r"\bwithdr[ae]w\w*", re.IGNORECASE)
WITHDRAWAL_CHOICE = "notice_revocable"
"""DOMAIN.md rule 3: the right to withdraw a notice is cited to the choice `notice_revocable` and its
authority (VCLT Art. 68 by analogy), not to IX.3."""

CITED = re.compile(r"([^;:()]+?)\s*\(((?:[IVX]+)(?:\.\d+)?)\)")
"""A statement in a summary followed by its paragraph in parentheses: "the MoU has not been terminated (IX.1)"."""


# -- asking, in-process, as `mou ask` does ---------------------------------------------------------------

@dataclass
class Asked:
    """One question asked of one scenario, as `mou ask --format json`, text and markdown give it."""

    scenario: Scenario
    call: QuestionCall
    answer: Any  # the answer as JSON
    explanation: dict  # the explanation as JSON
    text: list[str]  # `mou ask` text, the first line included
    markdown: list[str]  # `mou ask --format markdown`

    @property
    def name(self) -> str:
        return f"{Path(self.scenario.file).name}: {asked_line(self.call.ask, self.call.raw_args)}"


def ask(engine: Engine, scenario: Scenario, call: QuestionCall, case: Any = None) -> Asked:
    """Ask one question of a scenario with its full explanation (what `mou ask` does, without a process)."""
    case = case if case is not None else engine.case(scenario, asking=[call])
    found, resolution = case.answer(call)
    explained = json.loads(dumps(explanation(case, found, resolution)))
    value = to_json(resolution.value)
    head = asked_line(call.ask, call.raw_args)
    text = [*question_line(explained, value, head, WIDTH), *render_text(explained, indent="  ", width=WIDTH)]
    markdown = list(render_markdown(head, json.loads(dumps(value)), explained))
    return Asked(scenario, call, json.loads(dumps(value)), explained, text, markdown)


def ask_all(engine: Engine, scenario: Scenario) -> list[Asked]:
    """Every question of a scenario, asked and explained (one case, as `mou check --explain` does)."""
    case = engine.case(scenario)
    return [ask(engine, scenario, call, case) for call in scenario.questions]


def answer_of(engine: Engine, data: dict, file: str) -> tuple[Any, Any]:
    """(the scenario read from raw data, the answer as JSON to its one question), or (MouError, None)."""
    try:
        scenario = engine.reader.from_document(Document(file, data))
    except MouError as error:
        return error, None
    case = engine.case(scenario, explain=False)
    return scenario, json.loads(dumps(to_json(case.value(scenario.questions[0]))))


def raw(scenario: Scenario) -> dict:
    """The scenario as written (the data of its file), to vary."""
    if scenario.document is None:
        raise ValueError(f"{scenario.file}: the scenario keeps no document to vary")
    return scenario.document.data


def question_raw(call: QuestionCall) -> dict:
    """A question as a scenario file writes it (without `expect`)."""
    return {"ask": call.ask, **call.raw_args}


# -- 1. no hindsight ---------------------------------------------------------------------------------------

def day_of(call: QuestionCall) -> date | None:
    """The day D a question is about: its `on` argument (None for a question that takes none)."""
    value = call.args.get("on")
    return value if isinstance(value, date) else None


def _named(answer: Any) -> set[str]:
    """The event ids an answer names (an obligation's `event`: the meeting whose invitation duty is active
    before the meeting day, DOMAIN.md)."""
    if isinstance(answer, list):
        return set().union(*map(_named, answer)) if answer else set()
    if isinstance(answer, dict) and isinstance(answer.get("event"), str):
        return {answer["event"]}
    return set()


def truncated(engine: Engine, scenario: Scenario, call: QuestionCall, day: date, answer: Any = None) -> dict:
    """The scenario as written with every event dated after `day` removed, except the events the question's
    arguments, its answer (`_named`) or a kept event refer to, and except one signature (the earliest) where
    the scenario has any and none is left (else the default signatures would be implied). Its only question
    is `call`.

    The answer's events are kept because duties look ahead: the duty to invite to a meeting is active before
    the meeting day (DOMAIN.md), so `obligations` on D lists a meeting dated after D, and removing it would
    change an answer that issue 28 keeps as it is. For the same reason, an answer about a duty rests on what
    happens up to the day of the event that triggers it (whether the MoU is in force on the meeting day): for
    a question that reads duties, D is taken as the latest of D and the dates of the events it names."""
    data = copy.deepcopy(raw(scenario))
    events = [e for e in data.get("events") or [] if isinstance(e, dict)]
    by_id = {e.get("id"): e for e in events}
    named = {v for v in call.raw_args.values() if isinstance(v, str) and v in by_id} | (_named(answer) & set(by_id))
    if call.definition.uses_duties:
        day = max([day, *(date.fromisoformat(str(by_id[i]["date"])[:10]) for i in named)])
    keep = {e.get("id") for e in events if date.fromisoformat(str(e["date"])[:10]) <= day}
    keep |= named
    defaults = engine.ruleset.default_events
    signature_type = defaults[0] if defaults else None
    signatures = [e for e in events if e.get("type") == signature_type]
    if signatures and not any(e.get("id") in keep for e in signatures):
        keep.add(min(signatures, key=lambda e: str(e["date"])[:10]).get("id"))
    changed = True
    while changed:  # what kept events refer to, and what those refer to
        changed = False
        for event in [by_id[i] for i in list(keep) if i in by_id]:
            definition = engine.ruleset.event_types.get(event.get("type"))
            for name, spec in (definition.fields.items() if definition else ()):
                target = event.get(name)
                if spec.type.kind == "event" and isinstance(target, str) and target in by_id and target not in keep:
                    keep.add(target)
                    changed = True
    data["events"] = [e for e in events if e.get("id") in keep]
    data["questions"] = [question_raw(call)]
    return data


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two JSON values first differ, and how: `reasons[0].facts[0].says: 'x' ≠ 'y'`."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if a.get(key, "<absent>") != b.get(key, "<absent>"):
                return _first_difference(a.get(key, "<absent>"), b.get(key, "<absent>"), f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        for index, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{index}]")
        if len(a) != len(b):
            return f"{path}: {len(a)} items, {len(b)} without the later events"
    return f"{path}: {_short(a)} ≠ {_short(b)} without the later events"


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _late_reasons(nodes: Iterable[dict], day: date, kept: set[str]) -> Iterator[str]:
    """Reason nodes resting on a fact a rule set after `day` (their `by.date`), unless the rule fired for an
    event dated after `day` that the truncated scenario keeps (the meeting asked about, dated later)."""
    for node in nodes:
        by = node.get("by") or {}
        if isinstance(by.get("date"), str) and by["date"] > day.isoformat() and by.get("event") not in kept:
            yield f"the reason {node.get('says')!r} rests on a fact set on {by['date']} by {by.get('rule')}"
        yield from _late_reasons(node.get("because") or [], day, kept)


def hindsight(engine: Engine, scenario: Scenario, call: QuestionCall, asked: Asked | None = None) -> list[str]:
    """No hindsight (DOMAIN.md rule 1): removing every event dated after the question's day changes neither
    the answer nor a word of its explanation (JSON, text, markdown). [] for a question without `on`."""
    day = day_of(call)
    if day is None:
        return []
    asked = asked or ask(engine, scenario, call)
    data = truncated(engine, scenario, call, day, asked.answer)
    kept = {e.get("id") for e in data["events"] if date.fromisoformat(str(e["date"])[:10]) > day}
    late = [f"{asked.name}: {late}" for late in _late_reasons(asked.explanation.get("reasons") or [], day, kept)]
    if len(data["events"]) == len([e for e in raw(scenario).get("events") or [] if isinstance(e, dict)]):
        return late  # nothing later to remove
    try:
        cut = engine.reader.from_document(Document(scenario.file, data))
    except MouError as error:
        return [f"{asked.name}: the scenario without the events after {day} is not valid input "
                f"({error.diagnostics[0].message if error.diagnostics else error}); the check cannot run"]
    before = ask(engine, cut, cut.questions[0])
    removed = sorted({e.get("id") for e in raw(scenario).get("events") or [] if isinstance(e, dict)}
                     - {e.get("id") for e in data["events"]})
    found = []
    where = f"{asked.name}: without the events after {day} ({', '.join(removed)})"
    if not _same(asked.answer, before.answer):
        if isinstance(asked.answer, list) and isinstance(before.answer, list):
            more = [x for x in asked.answer if x not in before.answer]
            less = [x for x in before.answer if x not in asked.answer]
            found.append(f"{where} the answer lacks {_short(more)} and has {_short(less)} besides")
        else:
            found.append(f"{where} the answer is {_short(before.answer)}, not {_short(asked.answer)}")
    for key in sorted(set(asked.explanation) | set(before.explanation)):
        if key in IGNORED_KEYS:
            continue
        a, b = asked.explanation.get(key, "<absent>"), before.explanation.get(key, "<absent>")
        if a != b:
            found.append(f"{where}, the explanation's {key} differs: {_first_difference(a, b, key)}")
    for kind, a, b in (("text", asked.text, before.text), ("markdown", asked.markdown, before.markdown)):
        if a != b:
            index = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            x = a[index] if index < len(a) else "<no line>"
            y = b[index] if index < len(b) else "<no line>"
            found.append(f"{where}, the {kind} differs from line {index + 1}: {x.strip()!r} ≠ {y.strip()!r}")
    return found + late


# -- 2. counterfactuals a person could act on ---------------------------------------------------------------

def _target(key: str) -> tuple[str, str, str]:
    """A change's key as (kind, name, field): ("interpretation", NAME, ""), ("parameters", NAME, ""), or
    ("event", ID, FIELD) for `ID.FIELD` (an id may hold dots; a field never does)."""
    for kind in ("interpretation", "parameters"):
        if key.startswith(kind + "."):
            return kind, key[len(kind) + 1:], ""
    event, _, field = key.rpartition(".")
    return "event", event, field


def _moved(base: dict, move: dict) -> dict | str:
    """The scenario with an event listed right after (or before) another of its day, as a person would edit the
    file; or why that cannot be done."""
    data = copy.deepcopy(base)
    events = list(data.get("events") or [])
    ids = [e.get("id") if isinstance(e, dict) else None for e in events]
    side = "after" if "after" in move else "before"
    if move.get("event") not in ids or move.get(side) not in ids:
        return f"it moves an event the file does not give ({move})"
    event = events.pop(ids.index(move["event"]))
    other = [e.get("id") if isinstance(e, dict) else None for e in events].index(move[side])
    if str(event.get("date")) != str(events[other].get("date")):
        return f"it moves {move['event']} next to an event of another day"
    events.insert(other + 1 if side == "after" else other, event)
    data["events"] = events
    return data


def _variants(engine: Engine, scenario: Scenario, flip: dict, base: dict | None = None) -> Iterator[tuple[str, dict | str]]:
    """Each scenario a counterfactual stands for, as raw data (one per value of a grouped change), or a
    sentence saying why it cannot be built. Yields (what was changed, data or reason). `base`: the case the
    explanation speaks of, where it is not the whole file (the case as known on the day asked)."""
    base = copy.deepcopy(base) if base is not None else raw(scenario)
    if "add" in flip:
        data = copy.deepcopy(base)
        events = list(data.get("events") or [])
        place = next((at for at, event in enumerate(events) if isinstance(event, dict)
                      and event.get("id") == flip.get("before")), len(events))  # listed before that event
        data["events"] = events[:place] + [copy.deepcopy(flip["add"])] + events[place:]
        yield f"add {_short(flip['add'], 100)}", data
    if "move" in flip:
        yield f"move {_short(flip['move'], 100)}", _moved(base, flip["move"])
    change = flip.get("change")
    if not isinstance(change, dict):
        if "add" not in flip and "move" not in flip:
            yield "?", "it has neither a `change`, an `add` nor a `move`"
        return
    grouped = []
    for key, value in change.items():
        kind, name, field = _target(key)
        spec = None
        if kind == "event":
            event = next((e for e in scenario.events if e.id == name), None)
            definition = engine.ruleset.event_types.get(event.type) if event is not None else None
            spec = definition.fields.get(field) if definition else None
        if isinstance(value, list) and not (spec is not None and spec.type.kind == "list"):
            grouped.append((key, value))
    if len(grouped) > 1:
        yield _short(change), "it groups the values of more than one field"
        return
    key, values = grouped[0] if grouped else (None, [None])
    for one in values:
        applied = {k: (one if k == key else v) for k, v in change.items()}
        data = copy.deepcopy(base)
        problem = None
        for k, v in applied.items():
            kind, name, field = _target(k)
            if kind != "event":
                section = data.get(kind)
                data[kind] = dict(section) if isinstance(section, dict) else {}
                data[kind][name] = v
                continue
            events = [e for e in data.get("events") or []]
            if not any(isinstance(e, dict) and e.get("id") == name for e in events):
                defaults = engine.ruleset.default_events
                implied = [dict(e) for e in defaults[2]] if defaults else []
                if any(e["id"] == name for e in implied) and not any(
                        isinstance(e, dict) and e.get("type") == defaults[0] for e in events):
                    events = implied + events  # a default event, written out so it can be changed
                else:
                    problem = f"it changes {k}, and the scenario has no event {name!r}"
                    break
            data["events"] = events
            for index, e in enumerate(events):
                if isinstance(e, dict) and e.get("id") == name:
                    events[index] = {**e, field: v}
        yield _short(applied), (problem or data)


def _event_dicts(data: dict) -> dict[str, dict]:
    return {e["id"]: e for e in data.get("events") or [] if isinstance(e, dict) and "id" in e}


def counterfactuals(engine: Engine, scenario: Scenario, call: QuestionCall, asked: Asked | None = None) -> list[str]:
    """Counterfactuals a person could act on (DOMAIN.md rule 5): each variant is valid input and flips the
    answer to the one it states; none has a party addressing itself, a signature changing the party it is
    for, or a change to what the question itself asks about."""
    asked = asked or ask(engine, scenario, call)
    found = []
    base_events = {**{e["id"]: e for e in (engine.ruleset.default_events or (None, None, ()))[2]},
                   **_event_dicts(raw(scenario))}
    signature_type = engine.ruleset.default_events[0] if engine.ruleset.default_events else "signature"
    asked_events = {v for v in call.raw_args.values() if isinstance(v, str) and v in base_events}
    asked_names = {v for k, v in call.raw_args.items()
                   if any(a.name == k and a.type_text == "parameter" for a in call.definition.args)}
    known = None  # an answer about a day is explained from the case as known that day: its variants are of it
    day = day_of(call)
    if day is not None and asked.explanation.get("counterfactuals"):
        cut = truncated(engine, scenario, call, day, asked.answer)
        if not isinstance(answer_of(engine, cut, scenario.file)[0], MouError) and \
                _same(answer_of(engine, cut, scenario.file)[1], asked.answer):
            known = cut
    for flip in asked.explanation.get("counterfactuals") or []:
        says = flip.get("says", "")
        head = f"{asked.name}: the counterfactual {says!r}"
        change = flip.get("change") if isinstance(flip.get("change"), dict) else {}
        for key, value in change.items():
            kind, name, field = _target(key)
            if kind == "parameters" and name in asked_names:
                found.append(f"{head} restates the question: it changes the parameter asked about ({key})")
            if kind == "event" and field == "party" and base_events.get(name, {}).get("type") == signature_type:
                found.append(f"{head} has a signature signed for another party ({key}: {_short(value)})")
            # A boolean that equals a boolean answer is a coincidence ("had no IGO been invited: no duty"); a
            # value that is the answer (topics → the areas asked about) restates the question.
            if (kind == "event" and name in asked_events and not isinstance(value, bool)
                    and not isinstance(flip.get("answer"), bool) and _same(value, flip.get("answer"))):
                found.append(f"{head} restates the question: it sets {key}, a fact of the event asked about, "
                             f"to the answer itself ({_short(value)})")
        for changed, data in _variants(engine, scenario, flip, known):
            if isinstance(data, str):
                found.append(f"{head} ({changed}) cannot be applied: {data}")
                continue
            data["questions"] = [question_raw(call)]
            for event_id, event in _event_dicts(data).items():
                before = base_events.get(event_id)
                if ("from" in event and "to" in event and event["from"] == event["to"]
                        and not (before and before.get("from") == before.get("to"))):
                    found.append(f"{head} ({changed}) has {event['from']} addressing itself (event {event_id})")
            variant, answer = answer_of(engine, data, scenario.file)
            if isinstance(variant, MouError):
                message = variant.diagnostics[0].message if variant.diagnostics else str(variant)
                found.append(f"{head} ({changed}) is not valid input: {message}")
                continue
            if _same(answer, asked.answer):
                found.append(f"{head} ({changed}) does not change the answer: it stays {_short(answer)}")
            elif "answer" in flip and not _same(answer, flip["answer"]):
                found.append(f"{head} ({changed}) gives {_short(answer)}, not {_short(flip['answer'])} as it says")
    return found


def _same(a: Any, b: Any) -> bool:
    """Equal as answers (a list answer in any order; a one-value list equals that value)."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(_key, a)) == sorted(map(_key, b))
    if isinstance(a, list) and len(a) == 1:
        return _same(a[0], b)
    if isinstance(b, list) and len(b) == 1:
        return _same(a, b[0])
    return _key(a) == _key(b)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


# -- 3. the right paragraph ----------------------------------------------------------------------------

def _nodes(nodes: Iterable[dict]) -> Iterator[dict]:
    for node in nodes:
        yield node
        yield from _nodes(node.get("because") or [])


def _topic(statement: str) -> tuple[str, str] | None:
    """(what, paragraph) of the first topic a statement names (TOPICS), or None."""
    hits = [(m.start(), what, paragraph) for what, pattern, paragraph in TOPICS
            for m in [pattern.search(statement)] if m]
    return min(hits)[1:] if hits else None


def paragraphs(engine: Engine, asked: Asked) -> list[str]:
    """The right paragraph (DOMAIN.md rule 3): a reason set by a rule cites that rule's paragraph; a reason or
    a cited statement of the summary about entry into force cites IX.1, termination IX.3, an amendment IX.2;
    the right to withdraw a notice is cited to the choice `notice_revocable`, not to IX.3 alone."""
    rules = {rule.id: rule.paragraph for rule in engine.ruleset.rules}
    found = []
    for node in _nodes(asked.explanation.get("reasons") or []):
        says, cited = node.get("says", ""), node.get("paragraph")
        rule = (node.get("by") or {}).get("rule")
        if rule in rules and cited != rules[rule]:
            found.append(f"{asked.name}: the reason {says!r} cites {cited}, but the rule that set it is in "
                         f"{rules[rule]}")
        topic = _topic(says)
        if topic and cited != topic[1] and not re.search(rf"\b{re.escape(topic[1])}\)", says):
            # (a reason under another paragraph may name the date the MoU entered into force, citing IX.1 itself)
            found.append(f"{asked.name}: the reason {says!r} is about {topic[0]} and cites {cited}, not {topic[1]}")
        if WITHDRAWAL.search(says) and cited == "IX.3" and WITHDRAWAL_CHOICE not in json.dumps(
                {k: v for k, v in node.items() if k != "because"}):
            found.append(f"{asked.name}: the reason {says!r} rests on the right to withdraw a notice and cites IX.3, "
                         f"not the choice `{WITHDRAWAL_CHOICE}` and its authority")
    for match in CITED.finditer(asked.explanation.get("summary") or ""):
        statement, cited = match.group(1).strip(), match.group(2)
        topic = _topic(statement)
        if topic and cited != topic[1]:
            found.append(f"{asked.name}: the summary says {statement!r} ({cited}), about {topic[0]}: {topic[1]}")
    return found


# -- 4. plain words ------------------------------------------------------------------------------------

def read_texts(explained: dict) -> Iterator[tuple[str, str]]:
    """(where, text) for every string of an explanation's JSON a person reads (READ_KEYS, outside `steps`)."""
    def walk(value: Any, path: str, reading: bool) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "steps":
                    yield from walk(item, f"{path}.{key}" if path else key, key in READ_KEYS)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{path}[{index}]", reading)
        elif reading and isinstance(value, str):
            yield path, value
    yield from walk(explained, "", False)


def notation_in(text: str, patterns: list[tuple[str, re.Pattern]]) -> Iterator[tuple[str, str]]:
    """(what, the words) of each internal notation in a text, spans in backticks left out."""
    prose = CODE.sub("`…`", text)
    for what, pattern in patterns:
        for match in pattern.finditer(prose):
            yield what, match.group(0)


def notation(engine: Engine, asked: Asked, patterns: list[tuple[str, re.Pattern]] | None = None,
             header: bool = False) -> list[str]:
    """Plain words (DOMAIN.md rule 6): no internal notation (NOTATION) in the JSON a person reads, the text of
    `mou ask` or its markdown, and no ✓ before a sentence that says the opposite.

    The first line of the text (`status on=2020-07-31: termination_pending`) echoes the command and the answer
    as the contract (SCENARIOS.md) spells it: it is checked only with `header=True`; the markdown heading, which
    should be the question in words, is always checked."""
    patterns = patterns or notation_patterns(engine)
    found = []
    seen = set()

    def report(where: str, text: str) -> None:
        for what, words in notation_in(text, patterns):
            key = (what, words, where.split(" ")[0].rstrip(","))  # once per output (JSON, text, markdown)
            if key not in seen:
                seen.add(key)
                found.append(f"{asked.name}: {what} in the {where}: {words!r} in {_short(text.strip(), 140)}")

    for where, text in read_texts(asked.explanation):
        report(f"JSON {where}", text)
    for index, line in enumerate(asked.text):
        if index or header:
            report(f"text, line {index + 1}", line)
    for index, line in enumerate(asked.markdown):
        report(f"markdown, line {index + 1}", line)
    for node in _nodes(asked.explanation.get("reasons") or []):
        if node.get("holds") is True:
            condition = node.get("sentence") or node.get("says") or ""
            # A fact that is false and says so in words, under a condition worded as holding: "✓ a signature that
            # is the party's first signature to count: … signed-IOM does not count". (A negation alone is not
            # enough: "✓ the MoU's last day in force is 2020-11-12: … no longer in force from 2020-11-13".)
            contrary = [f.get("says", "") for f in node.get("facts") or []
                        if f.get("value") is False and NEGATION.search(f.get("says", ""))]
            if contrary and not NEGATION.search(condition):
                found.append(f"{asked.name}: ✓ before a sentence that says the opposite: {condition!r} holds, "
                             f"and its facts say {contrary[0]!r}")
    return found


# -- 5. one page -------------------------------------------------------------------------------------------

def lines(asked: Asked, width: int = WIDTH) -> list[str]:
    """Text output wraps at `width` columns: no line of `mou ask`'s text is longer."""
    return [f"{asked.name}: text line {index + 1} has {len(line)} columns (at most {width}): {line[:60]!r}…"
            for index, line in enumerate(asked.text) if len(line) > width]


def memo_of(engine: Engine, scenario: Scenario) -> list[str]:
    """The memo of a scenario: `mou check FILE --format markdown`."""
    return list(check_markdown([engine.check(scenario, explain=True)]))


def memo(engine: Engine, scenario: Scenario, text: list[str] | None = None, width: int = WIDTH,
         patterns: list[tuple[str, re.Pattern]] | None = None) -> list[str]:
    """The memo (DOMAIN.md rule 8, issue 28): at most `width` columns; at most MEMO_MAX_LINES lines for the
    files named there; no file names or "(as expected)"; each question's heading in words (no notation)."""
    text = text if text is not None else memo_of(engine, scenario)
    patterns = patterns or notation_patterns(engine)
    file = Path(scenario.file).name
    found = []
    limit = MEMO_MAX_LINES.get(file)
    if limit is not None and len(text) > limit:
        found.append(f"{file}: the memo has {len(text)} lines (at most {limit})")
    wide = [index for index, line in enumerate(text) if len(line) > width]
    if wide:
        found.append(f"{file}: {len(wide)} memo lines are wider than {width} columns (first: line {wide[0] + 1}, "
                     f"{len(text[wide[0]])} columns)")
    for index, line in enumerate(text):
        if file in line or scenario.file in line:
            found.append(f"{file}: memo line {index + 1} names the file: {_short(line, 100)}")
        if "(as expected)" in line and not line.startswith("###"):
            found.append(f"{file}: memo line {index + 1} says '(as expected)'")
        if line.startswith("###"):
            for what, words in notation_in(line, patterns):
                found.append(f"{file}: memo line {index + 1}, a heading, has {what}: {words!r} in {line!r}")
    return found


CHECKS = ("hindsight", "counterfactuals", "paragraphs", "notation", "lines", "memo")


def check_scenario(engine: Engine, scenario: Scenario, only: Iterable[str] = CHECKS) -> dict[str, list[tuple[str, str]]]:
    """Every check (or those named) over every question of a scenario: check name → (subject, violation)
    pairs, the subject being the answer (`file: question args`) or, for `memo`, the file."""
    only = set(only)
    patterns = notation_patterns(engine)
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in CHECKS if name in only}
    for item in ask_all(engine, scenario):
        runs = {"hindsight": lambda: hindsight(engine, scenario, item.call, item),
                "counterfactuals": lambda: counterfactuals(engine, scenario, item.call, item),
                "paragraphs": lambda: paragraphs(engine, item),
                "notation": lambda: notation(engine, item, patterns),
                "lines": lambda: lines(item)}
        for name, run in runs.items():
            if name in only:
                found[name] += [(item.name, violation) for violation in run()]
    if "memo" in only:
        found["memo"] += [(Path(scenario.file).name, violation) for violation in memo(engine, scenario,
                                                                                       patterns=patterns)]
    return found
