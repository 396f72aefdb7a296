"""Explanations a legal officer can quote: the answer, its decisive reasons, and what would change it.

Stage: answers. Imports `case`, `reasons`, `summary`, `assumptions`, `missing`, `moot`,
`consolidated`, `counterfactuals`, `acts`, `steps`, `questions`, scenario
files' `variants`, the clause language's `context`, `ruleset` and `wording`,
and `mou.values`, `mou.dates`.

`explanation(case, answer, resolution)` is plain data (docs/contract/
SCENARIOS.md, "Explanations"), built from the case as known on the day the
answer concerns: `summary`, the answer and its decisive reason in the clause
files' own words (`asks`, the question in words; `answer_says` and `verdict`,
the answer); `reasons`, the decisive reasons only; `paragraphs`, each as in
force on that day; `choices`, each consulted, with `matters`; `assumed`, the
defaults and choices that decided it; `missing` and `established`, for an
answer that lacks facts; `unneeded`, the facts missing that did not matter;
`counterfactuals`, the changes and acts not taken that would change it; and
`steps`, the full trace. `render` writes it for people.
"""

from __future__ import annotations


from datetime import date
from typing import Any, Iterable, Iterator

from ..evaluation.replay import Replay
from ..language.context import Read
from ..language.ruleset import QuestionDef
from ..language.wording import say
from ..scenario.model import QuestionCall
from ..values import Event, Unknown, to_json
from .case import Case, Resolution, events_in
from .acts import candidates, new_id
from .consolidated import paragraph_json
from .counterfactuals import Search, described, grouped
from .questions import Answer, same
from .provisos import grounds_weighed, leaning, provisos, with_provisos
from .changed import changed_answer, only_unknown
from .render import statuses_of
from .assumptions import assumed_of, decided, said_with_defaults, same_day_order
from .derived import concluded, every_read, grounds_of, readings_behind
from .dependence import decided_answer
from .missing import choice_matters, missing_of, presumptions_weighed
from .moot import moot_said
from .reasons import Reasons, facts_in, grounded_in
from .summary import asks, head, summary, verdict
from .steps import choice_json, trace_of



def explanation(case: Case, found: Answer, resolution: Resolution, search: bool = True,
                whole: Case | None = None) -> dict:
    """The explanation of an answer as a JSON-ready dict (see the module docstring).

    An answer about a day is explained from the case as it stood that day
    (`Case.as_of`): nothing later reaches its reasons, summary or
    counterfactuals. `whole`: the whole case, when `case` is already the one
    the answer is explained from (`shown.twin_explanation`).
    """
    if whole is None:
        whole = case
        case, found, resolution = as_known_then(case, found, resolution)
    replay = case.base
    call = found.call
    question = call.definition
    value = resolution.value
    subjects, builder, reasons = decisive(case, found, resolution)
    weighed = reasons + _established_defaults(case, builder)  # what the facts establish rests on defaults too
    trace = trace_of(replay, found.reads, subjects, list(question.paragraphs), question.says, found.as_of)
    missing, unneeded = missing_of(case, call, found, resolution)
    choices = []
    behind = readings_behind(replay, grounded_in(reasons))  # what the dates the reasons state rest on
    read = {**behind, **{name: replay.choices.get(name) for name in _read_as(reasons)},
            **consulted_choices(replay, trace.choices, question.uses_duties)}
    for name, consulted in sorted(read.items()):
        item = choice_json(case.ruleset, name, consulted)
        item["matters"] = choice_matters(case, call, value, name, consulted, missing)
        if name in behind and not item["matters"]:
            item["behind"] = True  # the answer does not rest on it; a date its reasons state does
        choices.append(item)
    flips: list[dict] = []
    searched = {"evaluations": 0, "cut_short": False}
    if search:
        flips, searched = counterfactuals_of(case, call, value, weighed, subjects, choices, builder,
                                             parameters_read(trace, found.reads), amended_by(trace, found.reads),
                                             whole if case.until is not None and question.at is None
                                             and len(case.scenario.events) < len(whole.scenario.events) else None)
    assumed, unpresumed = presumptions_weighed(case, call, value, assumed_of(case, weighed, choices, subjects),
                                               searched)
    assumed, moot = decided(grounds_weighed(case, call, value, assumed, searched), flips, searched["cut_short"])
    assumed += set_here(case, parameters_read(trace, found.reads))
    moot = unpresumed + moot
    flips = said_with_defaults(flips, assumed)
    assumed = leaning(flips, assumed)
    flips = with_provisos(flips, assumed)
    notes = list(notes_of(replay, trace.json["notes"], reasons))
    if replay.defaulted and (replay.defaulted in notes or _rests_on_implied(case, reasons, builder.established)):
        if replay.defaulted in notes:  # the events the clauses supply (the signed original), that the answer rests on
            notes.remove(replay.defaulted)
        assumed.insert(0, {"event": None, "field": None, "choice": None, "value": None,
                           "says": _defaulted(case, day_of(case, found)), "implied": True,
                           "how_to_state": "give the events in the scenario if they differ"})
    said = summary(case, found, resolution, reasons, missing)
    named = [p for p in question.paragraphs if f"({p})" in said or f"({p}," in said]  # the summary's citations
    paragraphs = paragraphs_of(case, reasons, trace, question, found.as_of, named)
    return {
        "summary": said,
        "asks": asks(replay, call, found.as_of),
        "answer_says": head(replay, call, value, found.as_of),
        "verdict": verdict(replay, call, value, found.as_of),
        "question": trace.json["question"],
        "as_of": trace.json["as_of"],
        "reasons": reasons,
        "paragraphs": paragraphs,
        "choices": choices,
        "missing": missing,
        "assumed": assumed,
        "established": list(dict.fromkeys(builder.established)),
        "unneeded": unneeded + moot + [{"event": None, "field": None, "choice": None, "says": said}
                                       for said in moot_said(builder.moot)],
        "counterfactuals": flips,
        **_statuses(case, missing),
        "search": searched,
        "facts": trace.json["facts"],
        "events": trace.json["events"],
        "notes": notes,
        "steps": trace.json["steps"],
    }


def set_here(case: Case, read: Iterable[str]) -> list[dict]:
    """The parameters the answer read that the case sets itself, not as the text (or an amendment) fixes them."""
    items = []
    for name in sorted(read):
        spec, given = case.ruleset.parameters[name], case.scenario.parameters.get(name)
        if given is None or given == spec.default:
            continue
        said = f"{spec.says} is {say(given)}, as set for this case, where the text says " \
               f"{spec.stands_in or say(spec.default)} (`{name}: {say(given)}`)"
        items.append({"event": None, "field": None, "choice": None, "parameter": name, "value": to_json(given),
                      "says": said, "how_to_state": "`parameters:` in the scenario"})
    return items


def _defaulted(case: Case, day: date | None) -> str:
    """What the events the clauses supply say, as of the day an answer is about: before them all, without them
    (an answer about 2008 does not say the MoU was signed in 2009)."""
    implied = [event.date for event in case.base.events if event.implied]
    before = case.ruleset.default_before
    if before and day is not None and implied and day < min(implied):
        return before.replace("{day}", say(day))
    return case.base.defaulted


def _established_defaults(case: Case, builder: Reasons) -> list[dict]:
    """A node citing the defaults among the facts of the conditions that held of a rule the facts leave open (its
    "Established" lines: rules of procedure not shown to bar observers), for the assumptions and the search."""
    firings, by_id = case.base.firings, case.base.by_id
    facts = [{"event": read.owner, "field": read.name, "says": builder.facts.phrase(read)}
             for index in sorted(builder.expanded) if index < len(firings)
             and isinstance(firings[index].outcome, Unknown)
             for condition in firings[index].conditions if condition.value is True
             for read in every_read(condition.reads) if read.kind == "field" and read.owner in by_id
             and read.name in by_id[read.owner].defaulted]
    return [{"facts": facts, "because": []}] if facts else []


def _rests_on_implied(case: Case, reasons: list[dict], established: list[str]) -> bool:
    """Whether the reasons rest on an event the clause files supply (the signatures of the signed original):
    they cite a fact of the agreement itself (in force or not on a day, ended), what they cite rests on one,
    or an answer left open rests on what the facts do establish (held while the agreement was in force)."""
    by_id = case.base.by_id
    cited = [fact.get("event") for fact in facts_in(reasons)]
    behind = [read.owner for read in grounds_of(case.base, grounded_in(reasons))]
    return bool(established) or None in cited or any(
        name in by_id and by_id[name].implied for name in [*cited, *behind])


def _read_as(nodes: list[dict]) -> Iterator[str]:
    """The choices a tree of reasons says a condition was read by (`read_as`: "`email_is_writing: false`")."""
    for node in nodes:
        yield from (said.strip("`").split(":")[0] for said in node.get("read_as", ()))
        yield from _read_as(node.get("because", ()))


def consulted_choices(replay: Replay, traced: dict, duties: bool) -> dict:
    """The choices an answer consulted: those its trace read; for one about duties, also every choice the case's
    rules read, when events took effect included (a duty's standing rests on the agreement's life, which
    the trace of a duty does not follow: a reply on what was the last day only under the default readings)."""
    if not duties:
        return traced
    found = dict(traced)
    reads = [read for firing in replay.firings for read in (*firing.let_reads, *(
        read for condition in firing.conditions for read in condition.reads))]
    reads += [read for timing in replay.timing.values() for read in timing[2]]
    for read in every_read(reads):
        if read.kind == "choice":
            found.setdefault(read.name, read.value)
    return dict(sorted(found.items()))


def as_known_then(case: Case, found: Answer, resolution: Resolution) -> tuple[Case, Answer, Resolution]:
    """The case, answer and resolution an answer is explained from: for an answer about a day, the case as it
    stood that day, unless the answer then differs (it rests on what happens after the day: a duty owed
    before its meeting), when it is the whole case."""
    day = day_of(case, found)
    if day is not None and case.until is None:
        known = case.as_of(day, found.call, named_in(to_json(resolution.value)))
        found_then, resolution_then = known.answer(found.call)
        if same(resolution_then.value, resolution.value, found.call.definition.unordered):
            return known, found_then, resolution_then
    return case, found, resolution


def day_of(case: Case, found: Answer) -> date | None:
    """The day an answer is about: the day it asks about (`at`); for a question without one about a single
    dated event (an act: was it valid, was it owed), the last date of that event (its receipt) and of the events
    that answer it (a response to a request). A party acts on what it knows that day, so what would have changed the
    answer is what it could have done by then, not the act moved into a future that later events shaped."""
    if found.call.definition.at is not None:
        return found.as_of if isinstance(found.as_of, date) else None
    acts = [value for value in found.call.args.values() if isinstance(value, Event)]
    if len(acts) != 1 or not isinstance(acts[0].date, date):
        return None
    answering = [event.date for event in case.scenario.events if any(
        other.id == acts[0].id for value in event.fields.values() for other in events_in(value))]
    own = [value for value in acts[0].fields.values() if isinstance(value, date)]  # its receipt
    return max([acts[0].date, *own, *answering])


def decisive(case: Case, found: Answer, resolution: Resolution) -> tuple[list[str], Reasons, list[dict]]:
    """The events asked about, the reasons' builder, and the decisive reasons of an answer (for a list of
    duties, those of the duties listed; for "any of", the one that holds)."""
    call = found.call
    question = call.definition
    value = resolution.value
    subjects = [v.id for v in call.args.values() if isinstance(v, Event)]
    stated = min([day for day in (case.scenario.as_of, case.until) if day is not None], default=None)
    builder = Reasons(case.base, subjects, question.paragraphs[0] if question.paragraphs else None, stated)
    reasons = builder.of_answer(found.reads, lambda read: decided_answer(case.base, call, value, found.reads, read))
    listed = to_json(value) if isinstance(value, tuple) else None
    if listed and all(isinstance(item, dict) for item in listed):  # a list of duties: the reasons of those listed
        keys = {(item.get("paragraph"), item.get("bearer"), item.get("event")) for item in listed}
        reasons = [node for node in reasons if "status" not in node or node["status"] == "unknown"
                   or _instance_key(node) in keys or _near_miss(node, case.ruleset.parties)]
    elif listed == []:  # none listed: why each duty that arose is not among them, and the near misses
        reasons = [node for node in reasons if node.get("status") != "not_triggered"
                   or _near_miss(node, case.ruleset.parties)]
    duties = [node for node in reasons if isinstance(node.get("status"), bool)]
    if value is True and len(duties) > 1 and any(node["status"] for node in duties):  # "any of": the one that holds
        reasons = [node for node in reasons if node.get("status") is not False]
    return subjects, builder, reasons


def _near_miss(node: dict, parties: Iterable[str]) -> bool:
    """A duty that did not arise for want of one condition (a meeting whose rules of procedure bar observers): a
    list of duties says why it is not among them. One that fails more, or fails on which party acted (a meeting
    the other party convened), is no duty of that bearer's at all, and is left out."""
    failed = [child for child in node.get("because", ()) if "sentence" in child and child.get("holds") is False]
    return node.get("status") == "not_triggered" and len(failed) == 1 and not any(
        fact.get("value") in parties for fact in failed[0].get("facts", ()) if isinstance(fact.get("value"), str))


def _instance_key(node: dict) -> tuple:
    """A duty node's (paragraph, bearer, event), as a list answer's records name an instance."""
    return node.get("paragraph"), node.get("bearer"), node.get("subject")


def named_in(value: Any) -> list[str]:
    """The event ids an answer names (the `event` of each duty instance it lists)."""
    if isinstance(value, list):
        return [name for item in value for name in named_in(item)]
    if isinstance(value, dict) and isinstance(value.get("event"), str):
        return [value["event"]]
    return []


def notes_of(replay: Replay, notes: list[str], reasons: list[dict]) -> list[str]:
    """The notes of the rules that applied; the note on default events only where the reasons rest on them."""
    if not replay.defaulted or replay.defaulted not in notes:
        return notes
    implied = {event.id for event in replay.events if event.implied}
    about = {replay.ruleset.event_types[event.type].paragraph for event in replay.events if event.implied}
    cited = set(_paragraphs_in(reasons)) | {fact.get("event") for fact in facts_in(reasons)}
    if cited & (implied | about):
        return notes
    return [note for note in notes if note != replay.defaulted]


def explain_property(replay: Replay, reads: Iterable[Read], subjects: Iterable[str], paragraph: str, says: str,
                     as_of: Any) -> dict:
    """The explanation of a property of the clause files that fails in a scenario (no search)."""
    reads = tuple(reads)
    subjects = list(subjects)
    trace = trace_of(replay, reads, subjects, [paragraph], says, as_of)
    reasons = Reasons(replay, subjects, paragraph).of_answer(reads)
    return {"summary": says, "question": says, "as_of": trace.json["as_of"], "reasons": reasons,
            "paragraphs": [paragraph_json(replay.ruleset, replay, p, as_of) for p in [paragraph]
                           if p in replay.ruleset.paragraphs],
            "choices": [], "missing": [], "unneeded": [], "counterfactuals": [],
            "facts": trace.json["facts"], "events": trace.json["events"], "notes": trace.json["notes"],
            "steps": trace.json["steps"]}


# -- counterfactuals ---------------------------------------------------------------------------

def _statuses(case: Case, missing: list[dict]) -> dict:
    """`{statuses: {"PARAGRAPH STATUS": words}}` for the duties listed in what each missing value would answer that
    word a status their own way (a best-efforts duty "not shown to be met"); nothing where none does."""
    listed = {f"{item.get('paragraph')} {item.get('status')}" for entry in missing for answer in entry.get("answers", ())
              if isinstance(answer.get("answer"), list) for item in answer["answer"] if isinstance(item, dict)}
    words = {key: said for key, said in statuses_of(case.ruleset).items() if key in listed}
    return {"statuses": words} if words else {}


def counterfactuals_of(case: Case, call: QuestionCall, value: Any, reasons: list[dict], subjects: list[str],
                       choices: list[dict], builder: Reasons, read_parameters: set[str],
                       amending: Iterable[int] = (), whole: Case | None = None) -> tuple[list[dict], dict]:
    """The single changes that flip the answer, in words, and how much the search took. For an answer about a
    day, they are changes to the case as known that day, as its reasons are (what happens later, which the
    explanation does not speak of, can neither add one nor take one away). For one about an act, explained as
    known on its day, `whole` is the whole case: a date moved past that day is offered only where it gives the
    same answer there too (a notice received later would have met a notice that was later withdrawn)."""
    search = Search(case, call, value)
    acts: list = []
    if case.until is not None:  # an answer about a day: what a party could have done by then (searched first:
        found = candidates(case.base, case.until)  # the acts a party could take matter most, and the budget ends)
        if call.definition.at is None:  # about an act: no later act on that act itself (its withdrawal), whose
            found = [act for act in found if not set(subjects) & set(act.names)]  # days outrun the act's
        acts = search.acts(found, lambda found: new_id(case.base, found))
    fields = candidate_fields(case, reasons, subjects, amending)
    parameters = [name for name in case.ruleset.parameters if name in read_parameters]
    flips = search.flips(fields, [c["name"] for c in choices if c["matters"]], parameters)
    flips += search.moves(same_day_order(case, reasons, subjects))
    if whole is not None:  # a date moved past the day can meet what happened after it: checked in the whole case
        overall = Search(whole, call, value)
        flips = [flip for flip in flips if not _past(flip, case.until) or _holds_in(overall, flip)]
        search.spent += overall.spent
    result = []
    flips = [flip for flip in flips if not only_unknown(value, flip.answer)]
    worded = [(flip, changed_answer(case, call, value, flip)) for flip in flips]
    cited = [fact["event"] for fact in facts_in(reasons) if fact.get("event")]
    behind = [read.owner for read in grounds_of(case.base, grounded_in(reasons), through_state=True)]
    behind_readings = [choice["name"] for choice in choices if choice.get("behind")]
    for flip, said in grouped(worded):
        condition, outcome = described(flip, case, builder.facts, said)
        result.append({**flip.to_json(f"{condition}: {outcome}"), "if": condition, "then": outcome,
                       "assuming": provisos(case, search, flip, subjects, cited, behind, behind_readings)})
    for flip, act in acts:  # acts not taken: what a party could have done by the day asked
        said = changed_answer(case, call, value, flip)
        day = flip.change.value[0]
        condition = f"had {act.says} by {say(day)}" if flip.last is None else f"had {act.says} on {say(day)}" \
            if flip.last == day else f"had {act.says} on a day from {say(flip.last)} to {say(day)}"
        if len(flip.change.value) > 2:  # on that day, only listed before an event of the day
            before = case.base.by_id[flip.change.value[2]]
            condition += f", before {before.called or before.id} that day"
        if case.base.stated is not None and day > case.base.stated:  # an act a party may still take
            condition += f" (still open as of {say(case.base.stated)})"
        result.append({**flip.to_json(f"{condition}: {said}"), "if": condition, "then": said,
                       "assuming": provisos(case, search, flip, subjects, readings=behind_readings)})
    searched = {"evaluations": search.spent, "cut_short": search.cut_short}
    if search.failed:
        searched["failed"] = search.failed  # variants dropped because a rule failed on them
    return result, searched


def _past(flip: Any, day: date) -> bool:
    """Whether a change moves a date past `day` (or a span of dates reaching past it)."""
    return isinstance(flip.change.value, date) and flip.change.value > day or isinstance(flip.last, date) and \
        flip.last > day


def _holds_in(search: Search, flip: Any) -> bool:
    """Whether a change gives the same other answer in the case `search` is of."""
    other = search.answer_under(flip.change)
    return search.differs(other) and same(other, flip.answer, search.call.definition.unordered)


def candidate_fields(case: Case, reasons: list[dict], subjects: list[str],
                     amending: Iterable[int] = ()) -> list[tuple[Event, str]]:
    """The scenario's fields the decisive reasons rest on, and the dates of the events asked about; `amending`:
    the firings that set a parameter the answer read (a change of its terms coming into force), whose grounds (when
    each party accepted it) can decide as much."""
    by_id = case.base.by_id
    found: dict[tuple[str, str], None] = {}
    for fact in facts_in(reasons, assumed=True):
        event = by_id.get(fact.get("event") or "")
        if event is None or fact.get("field") is None:
            continue
        name = fact["field"]
        if name == "date" or name in case.ruleset.event_types[event.type].fields:
            found[(event.id, name)] = None
    for act in _acts_in(reasons):  # the act that settled a duty: what it said could have settled it otherwise
        event = by_id.get(act)
        if event is not None:
            for name in ("date", *case.ruleset.event_types[event.type].fields):
                found[(event.id, name)] = None
    for event_id in subjects:  # when the act asked about was done can decide (before or after the MoU's life)
        if event_id in by_id:
            found[(event_id, "date")] = None
    changed = [{"event": owner, "field": attr} for index in amending if index < len(case.base.firings)
                  for owner, attr in concluded(case.base.firings[index])]
    for read in grounds_of(case.base, [*grounded_in(reasons), *changed]):  # what a derived fact rests on
        found[(read.owner, read.name)] = None
    concerned = list(dict.fromkeys([*subjects, *(event_id for event_id, _ in found)]))
    for event_id in concerned:  # when an event takes effect can decide as much as what it says
        for read in case.base.timing.get(event_id, ("", None, ()))[2]:
            if read.kind == "field" and read.owner == event_id:
                found[(event_id, read.name)] = None
    return [(by_id[event_id], name) for event_id, name in found if not by_id[event_id].implied]


def _acts_in(nodes: list[dict]) -> Iterator[str]:
    for node in nodes:
        if node.get("act"):
            yield node["act"]
        yield from _acts_in(node.get("because", ()))


def amended_by(trace: Any, reads: Iterable[Read]) -> list[int]:
    """The firings that set the parameters the answer or the firings it rests on read (a change of the terms)."""
    found = [read.source for read in reads if read.kind == "parameter" and read.source is not None]
    for firing in trace.firings:
        found += [read.source for read in (*firing.let_reads, *(r for c in firing.conditions for r in c.reads))
                  if read.kind == "parameter" and read.source is not None]
    return list(dict.fromkeys(found))


def parameters_read(trace: Any, reads: Iterable[Read]) -> set[str]:
    """The parameters the answer or the firings it rests on read."""
    found = {read.name for read in reads if read.kind == "parameter"}
    for firing in trace.firings:
        found |= {read.name for read in firing.let_reads if read.kind == "parameter"}
        for condition in firing.conditions:
            found |= {read.name for read in condition.reads if read.kind == "parameter"}
    return found


# -- paragraphs ---------------------------------------------------------------------------------

def paragraphs_of(case: Case, reasons: list[dict], trace: Any, question: QuestionDef, as_of: Any,
                  named: Iterable[str] = ()) -> list[dict]:
    """The paragraphs the reasons cite (and the question's paragraphs its summary `named`), each as in force
    when the answer's decision was taken."""
    cited = list(dict.fromkeys(p for p in [*named, *_paragraphs_in(reasons, decisive_only=True)]
                               if p in case.ruleset.paragraphs))
    if not cited:  # no reason to cite: the question's own paragraphs
        cited = [p for p in question.paragraphs if p in case.ruleset.paragraphs]
    cited = [item for p in cited for item in (p, *_items_named(case, reasons, p))]
    used: dict[str, tuple[Any, int | None]] = {}
    for firing in trace.firings:
        for condition in firing.conditions:
            for read in condition.reads:
                if read.kind == "parameter":
                    used.setdefault(read.name, (read.value, read.source))
        for read in firing.let_reads:
            if read.kind == "parameter":
                used.setdefault(read.name, (read.value, read.source))
    on = as_of if isinstance(as_of, date) else None
    return [paragraph_json(case.ruleset, case.base, p, on, used) for p in cited]


def _items_named(case: Case, reasons: list[dict], paragraph: str) -> list[str]:
    """The items of a paragraph that the facts cited name by their id: V.1.iii where a topic is area iii (a list
    paragraph quoted without the item that decides would stop at its colon)."""
    values: list[Any] = []
    for fact in facts_in(reasons):
        value = fact.get("value")
        values.extend(value if isinstance(value, list) else [value])
    return list(dict.fromkeys(f"{paragraph}.{value}" for value in values if isinstance(value, str)
                              and f"{paragraph}.{value}" in case.ruleset.paragraphs))


def _paragraphs_in(nodes: list[dict], decisive_only: bool = False) -> Iterator[str]:
    """The paragraphs reasons cite; `decisive_only`: not those of background facts that stand as one line."""
    for node in nodes:
        if node.get("paragraph") and not (decisive_only and node.get("brief")):
            yield node["paragraph"]
        if node.get("holds") is False:  # a fact that failed a condition under another paragraph decides too
            yield from (fact["paragraph"] for fact in node.get("facts", ()) if fact.get("paragraph"))
        yield from _paragraphs_in(node.get("because", ()), decisive_only)
