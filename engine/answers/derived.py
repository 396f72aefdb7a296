"""Derived facts and what they rest on: the firing that concluded a fact, the rules that write one, and the
fields of the scenario behind a fact a rule derived.

Stage: answers. Imports evaluation's `replay` and `trace`, the clause
language's `context` and `ruleset` (`kept_for`), and `mou.values`.

A reason cites facts; some a scenario states, others a rule concluded from
them ("sig-eco counts for the entry into force"). What a concluded fact rests
on (the signatory's authority, taken so where not stated) is as much an
assumption of the answer, and as much a thing that could change it, as a
field the reasons cite themselves.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable, Iterator

from ..evaluation.replay import Replay
from ..evaluation.trace import Firing
from ..language.context import Ctx, Read
from ..language.wording import fill
from ..language.ruleset import kept_for
from ..values import Event, to_json


def concluded(firing: Firing) -> set[tuple[str, str]]:
    """The facts a firing that applied set itself: read before, their old value would contradict its outcome."""
    if firing.outcome is not True:
        return set()
    found = set()
    for assignment in firing.rule.then:
        if assignment.target.startswith("$"):
            found.add((assignment.target[1:], assignment.attr))
        else:
            target = target_id(firing, assignment.target)
            if target is not None:
                found.add((target, assignment.attr))
    return found


def writers(ruleset: Any, target: str, attr: str) -> list[Any]:
    """The rules that set `attr` of the entity `target` (`$agreement`), in the clause files' order."""
    return list(kept_for(ruleset, _WRITERS, _writers).get((target, attr), ()))


def _writers(ruleset: Any) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every rule by the (target, attribute) pairs it sets, each rule once per pair, in the clause files' order: a
    tree of reasons asks for the writers of a fact of the agreement for every such fact it cites."""
    found: dict[tuple[str, str], tuple[Any, ...]] = {}
    for rule in ruleset.rules:
        for key in dict.fromkeys((a.target, a.attr) for a in (*rule.then, *rule.otherwise, *rule.unknown)):
            found[key] = found.get(key, ()) + (rule,)
    return found


_WRITERS: dict[int, dict] = {}
"""`_writers` of each rule set alive (`kept_for`: a rule never holds its rule set)."""


def event_writers(ruleset: Any, attr: str) -> list[Any]:
    """The rules whose `then` or `otherwise` sets `attr` of an event (not of an entity), in the clause files'
    order."""
    return list(kept_for(ruleset, _EVENT_WRITERS, _event_writers).get(attr, ()))


def _event_writers(ruleset: Any) -> dict[str, tuple[Any, ...]]:
    found: dict[str, tuple[Any, ...]] = {}
    for rule in ruleset.rules:
        for attr in dict.fromkeys(a.attr for a in (*rule.then, *rule.otherwise) if not a.target.startswith("$")):
            found[attr] = found.get(attr, ()) + (rule,)
    return found


_EVENT_WRITERS: dict[int, dict] = {}
"""`_event_writers` of each rule set alive (`kept_for`)."""


def target_id(firing: Firing, target: str) -> str | None:
    if target == "event":
        return firing.subject.id if firing.subject is not None else None
    for name, value in firing.lets:
        if name == target and isinstance(value, Event):
            return value.id
    return None


def grounds_of(replay: Replay, facts: Iterable[dict], through_state: bool = False) -> Iterator[Read]:
    """The fields of the scenario behind the derived facts a tree of reasons cites: for each attribute of an
    event or fact of the agreement a rule set ("sig-eco counts for the entry into force", "the MoU entered into
    force on 2009-01-27"), the fields of the event it fired on that the rule's conditions read (its signatory's
    authority, taken so where not stated), and so on back through the derived facts those conditions read.
    What such a fact rests on is as much an assumption, and as much a thing that could change the answer, as a
    field the reasons cite themselves. `through_state`: and back through the facts of the agreement a rule set to
    a date or to yes (that it ended rests on its having entered into force, so on the signatures)."""
    wanted = {(fact.get("event") or fact.get("of"), fact.get("field")) for fact in facts
              if (fact.get("event") or fact.get("of")) and fact.get("field")}
    found: dict[tuple[str, str], Read] = {}
    for firing in reversed(replay.firings):  # later facts rest on earlier ones: walk back once
        if firing.subject is None or firing.outcome is not True:
            continue
        if not any(key in wanted for key in concluded(firing)):
            continue
        for condition in firing.conditions:
            for read in every_read(condition.reads):
                if read.kind == "field" and read.owner == firing.subject.id:
                    found.setdefault((read.owner, read.name), read)
                elif read.kind == "attribute" and read.owner and read.value is not False:
                    wanted.add((read.owner, read.name))
                elif through_state and read.kind == "state" and read.source is not None and \
                        (read.value is True or isinstance(read.value, date)):
                    wanted.add((read.owner, read.name))
    return iter(sorted(found.values(), key=lambda read: (replay.by_id[read.owner].index, read.name)))


def every_read(reads: Iterable[Read]) -> Iterator[Read]:
    """Reads, and the reads inside the definitions among them, depth first."""
    for read in reads:
        yield read
        yield from every_read(read.parts)


def scope_of(ruleset: Any, reads: Iterable[Read], paragraph: str) -> str | None:
    """The paragraph a condition comes from where it is not its rule's: a condition that only reads a definition
    with a paragraph of its own ("while the MoU is in force", IX.1) is cited to that paragraph, not to the rule's
    (II.1 does not say it; the MoU's period does)."""
    definitions = ruleset.definitions
    least = min((read.depth for read in reads), default=0)
    direct = [read for read in reads if read.depth == least]
    found = {definitions[read.name].paragraph for read in direct
             if read.kind == "definition" and read.name in definitions}
    if direct and all(read.kind == "definition" for read in direct) and len(found) == 1 and \
            None not in found and paragraph not in found:
        return found.pop()
    return None


def worded_facts(reads: Iterable[Read], owner: str) -> list[dict]:
    """The facts of other events that words read (a duty's status naming the day another act ends the agreement),
    each once, as `{event, field}`: what those words rest on, beside what the reason cites."""
    found = {(read.owner, read.name): {"event": read.owner, "field": read.name} for read in every_read(reads)
             if read.kind == "attribute" and read.source is not None and read.value not in (None, False, ())
             and read.owner != owner}
    return list(found.values())


def rests_on(duty: Any, status: Any) -> dict:
    """`rests_on` for a duty that arose on a day the agreement names (its entry into force), or lapsed on the
    day an entity's fact names (the agreement's last day), which a reason about it does not cite: what it rests
    on is traced back as the facts a reason cites are (the receipt of the notice that ended the agreement)."""
    trigger = duty.trigger if duty is not None else None
    if trigger is None or status in (False, "not_triggered"):
        return {}
    found = [{"of": trigger.owner, "field": trigger.attr}] if trigger.kind == "date" else []
    lapse = re.fullmatch(r"(\w+)\.(\w+)", duty.lapses_after_text or "")
    if status in ("lapsed", "unknown") and lapse:  # (a status judged up to the agreement's end rests on it)
        found.append({"of": lapse.group(1), "field": lapse.group(2)})
    return {"rests_on": found} if found else {}


def never_dated(replay: Replay, read: Read) -> list[Read]:
    """For a fact no firing could have set: the dates its writers wait for that never came, as reads of those
    dates (each event's date attribute still unset by the day read). A rule that fires on the day an event's
    date attribute names (when a notice takes effect) never fires for an event whose date was never set; why
    that date was not set (the notice was not valid) is why the fact kept its initial value."""
    ruleset = replay.ruleset
    rules = writers(ruleset, "$" + read.owner, read.name) if read.kind == "state" else \
        event_writers(ruleset, read.name)
    found = []
    for rule in rules:
        trigger = rule.trigger
        if trigger.kind != "date" or trigger.owner not in ruleset.event_types:
            continue
        for event in replay.events:
            if event.type != trigger.owner or (read.day is not None and event.date > read.day):
                continue
            value, source = replay.state.attr(event.id, trigger.attr, read.day)
            if value is None and source is None:
                found.append(Read(label="", value=None, kind="attribute", owner=event.id, name=trigger.attr,
                                  day=read.day))
    return found


def could_have_set(replay: Replay, read: Read) -> list[Firing]:
    """Firings of rules that could have set a fact that kept its initial value (and did not), by the day the
    fact was read as of (a firing after it is not why the fact stood as it did that day)."""
    found = []
    for firing in replay.firings:
        if firing.outcome is True or firing.rule.duty is not None:
            continue
        if read.day is not None and firing.day > read.day:
            continue
        for assignment in (*firing.rule.then, *firing.rule.otherwise, *firing.rule.unknown):
            if assignment.attr != read.name:
                continue
            if read.kind == "state" and assignment.target == "$" + read.owner:
                found.append(firing)
                break
            if read.kind == "attribute" and target_id(firing, assignment.target) == read.owner:
                found.append(firing)
                break
    # A rule that watches a date it sets again fails the same way at each repetition: its latest failure
    # stands for them all (an agreement renewed 1,400 times is not explained by 1,400 equal reasons).
    latest = {(firing.rule.id, firing.subject.id if firing.subject else None): firing for firing in found}
    return [firing for firing in found if latest[(firing.rule.id, firing.subject.id if firing.subject else None)]
            is firing or firing.rule.trigger.kind == "event"]


def could_have_changed(replay: Replay, read: Read) -> list[Firing]:
    """For a parameter read at the agreement's own value: the firings by the day read of rules that would have
    consolidated a change of it (`parameters:`) and did not, about an event whose changes name it (an amendment
    changing the notice period, whose second acceptance did not count)."""
    found = []
    for firing in replay.firings:
        if firing.outcome is True or read.day is not None and firing.day > read.day or \
                not any(assignment.attr == "" for assignment in firing.rule.then):
            continue
        events = [firing.subject, *(value for _, value in firing.lets)]
        changing = [event.id for event in events if isinstance(event, Event) and any(
            isinstance(value, dict) and read.name in value for value in event.fields.values())]
        if changing:
            found.append((firing, (firing.rule.id, changing[0])))
    latest = dict((key, firing) for firing, key in found)  # each rule's last attempt for each changing event
    return [firing for firing, key in found if latest[key] is firing]


def by_reading(firing: Firing) -> bool:
    """Whether a firing failed on a reading of the case (a condition that reads choices and nothing else): the
    rule does not apply as the case reads the text, whatever else failed beside it (a proposal that would count
    as its proposer's acceptance under another reading, were it in writing)."""
    return any(condition.value is False and condition.reads and all(read.kind == "choice" for read in condition.reads)
               for condition in firing.conditions)


def state_reads(reads: Iterable[Read]) -> Iterator[Read]:
    """The agreement's facts among reads, however deep inside definitions, each once, in order."""
    for read in reads:
        if read.kind == "state":
            yield read
        yield from state_reads(read.parts)


def readings_behind(replay: Replay, facts: Iterable[dict]) -> dict[str, Any]:
    """The interpretive choices the dated facts a tree of reasons states rest on, with their values: those read by
    the firings that applied to the events it cites, or that set the agreement's facts it cites (the notice that
    ended the MoU), and by when those events took effect. A last day stated rests on how a period is counted,
    though the answer may not."""
    events: set[str] = set()
    worded: list[Read] = []
    for fact in facts:
        if fact.get("of") and fact.get("field"):
            changes = [change for change in replay.state.changes("$" + fact["of"], fact["field"])
                       if "value" not in fact or to_json(change[1]) == fact["value"]]  # (later, another value)
            if changes and changes[-1][2] is not None:
                day, value, source = changes[-1]
                subject = replay.firings[source].subject
                events.update([subject.id] if subject is not None else [])
                worded += _words_read(replay, fact["of"], fact["field"], value, day)
        elif fact.get("event"):
            events.add(fact["event"])
    applied = [firing for firing in replay.firings if firing.outcome is True and firing.subject is not None
               and firing.subject.id in events]
    reads = [read for firing in applied
             for read in (*firing.let_reads, *(read for condition in firing.conditions for read in condition.reads))]
    reads += [read for event_id in sorted({firing.subject.id for firing in applied})  # (an act that applied)
              for read in replay.timing.get(event_id, ("", None, ()))[2]]
    return {read.name: read.value for read in every_read([*reads, *worded]) if read.kind == "choice"}


def _words_read(replay: Replay, owner: str, name: str, value: Any, day: date) -> list[Read]:
    """What the words of an agreement's fact read besides its value (the day a running notice ends the MoU, in
    "a notice is running, ending the MoU after …"): a date they state rests on the readings those read."""
    spec = replay.ruleset.entity_attributes.get(owner, {}).get(name)
    if spec is None:
        return []
    trace: list[Read] = []
    try:
        template = spec.reads.template_for(value)
        if template is not None:
            ctx = Ctx(replay.state, replay.choices, {"value": value}, as_of=day, trace=trace)
            fill(template, ctx, noted=True)
    except Exception:  # noqa: BLE001 - words that cannot be filled here: what they read before they failed
        pass
    return trace


def authority(replay: Replay, rule: Any) -> dict:
    """For a rule that exists by an interpretive choice: `{authority: {choice, value, means, source}}`."""
    if not rule.rests_on:
        return {}
    choice = replay.ruleset.choices[rule.rests_on]
    value = replay.choices.get(rule.rests_on)
    key = "true" if value is True else "false" if value is False else str(value)
    return {"authority": {"choice": choice.name, "value": to_json(value), "means": choice.means.get(key, ""),
                          "source": choice.source, "default": to_json(value) == to_json(choice.default)}}


def authority_of_fact(replay: Replay, attr: str) -> dict:
    """For an event's fact that only rules existing by one interpretive choice set (whether a notice was
    withdrawn): that choice, cited beside the paragraph."""
    rules = event_writers(replay.ruleset, attr)
    choices = {rule.rests_on for rule in rules}
    if len(choices) == 1 and "" not in choices:
        return authority(replay, rules[0])
    return {}


def failed_in_all(firings: list[Firing]) -> set[str]:
    """The conditions that failed in every one of several tries of one rule (both parties have not signed, on
    each signature so far): where there are some, the tries' other failures decide nothing (a signature for a
    non-party, which fails on both)."""
    if len(firings) < 2 or any(f.outcome is not False or f.rule is not firings[0].rule for f in firings):
        return set()
    return set.intersection(*({c.says for c in f.conditions if c.value is False} for f in firings))


def add_once(reasons: list[dict], more: Iterable[dict], common: set[str]) -> None:
    """Add to `reasons` the reasons of another try of the rule that gave them: only its failures every try shares,
    where there are some, and a failure said already only once, with this try's facts about other acts added."""
    for reason in more:
        if common and reason["says"] not in common:
            continue
        same = next((had for had in reasons if (had.get("sentence"), had["says"]) == (reason.get("sentence"),
                                                                              reason["says"])), None)
        if same is None:
            reasons.append(reason)
        else:
            told = {fact.get("event") for fact in same["facts"]}
            same["facts"] += [fact for fact in reason["facts"] if fact.get("event") not in told]
