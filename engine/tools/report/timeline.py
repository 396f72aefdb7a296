"""The timeline of a case, as data: its events by party, the agreement's life, dated facts and duty windows.

Stage: tools (report pages). Imports answers' `case` and `facts`,
evaluation's `duties`, the clause language's `context`, `types` and
`wording`, scenario files' `model`, and `mou.values`, `mou.errors`.

Everything comes from the rule set and the replay, nothing from names in
Python:

- **events** on their dates, in lanes by party: the first actor field of
  their type (`from`, `party`, `convened_by` …) says whose act it is. A date
  an event carries (a date field, the day its type says it takes effect, a
  date attribute a rule derived for it) is a tick on a span from the event,
  worded by its `reads:` template;
- **the agreement's life** as bands: each question that takes only a date
  and answers with a state (not a yes/no) is evaluated on every day where a
  fact changes, and its runs of equal answers are the bands. The entity's
  date attributes (e.g. the date of entry into force) are ticks on that lane;
- **duty windows**: each instance that arose, from its trigger to its
  deadline, act or lapse, judged on the report's date (its status colours
  it).

`Timeline.words` is the same content as sentences in date order: the
picture's caption, and the Markdown memo's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ...answers.case import Case
from ...answers.facts import Facts
from ...errors import Location
from ...language.context import Ctx, Read
from ...language.wording import say
from ...scenario.model import NOT_GIVEN, QuestionCall
from ...values import Event, Unknown

LIFE = "life"
MAX_ITEMS = 400
"""At most this many events and duty windows are drawn; the caption says how many more there are."""


@dataclass(frozen=True)
class Tick:
    """A dated point on an item: a date it carries, in words."""

    day: date
    says: str
    kind: str = "date"  # date | deadline | act | end


@dataclass(frozen=True)
class Item:
    """One thing on the timeline: an event (a point, maybe with a span of dates it carries) or a window."""

    lane: str
    label: str
    start: date
    end: date | None  # None: a point; for an open window, the axis's end
    says: str  # the hover text: everything about it in words
    kind: str  # event | implied | duty-STATUS
    ticks: tuple[Tick, ...] = ()
    open_end: bool = False  # a window still open on the report's date


@dataclass(frozen=True)
class Band:
    """A run of days on which a state question gives one answer."""

    row: str  # the question's `says`
    value: str
    start: date
    end: date | None  # None: still so at the end of the axis
    says: str
    tone: int  # the value's place among the question's answers: its colour


@dataclass
class Timeline:
    """The picture's data: lanes in order, bands, items, and the same in words."""

    lanes: list[tuple[str, str]] = field(default_factory=list)  # (key, label)
    bands: list[Band] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    as_of: date | None = None
    hidden: int = 0  # items not drawn (over MAX_ITEMS)
    life_ticks: list[Tick] = field(default_factory=list)

    def days(self) -> list[date]:
        """Every date the picture must show."""
        found = [b.start for b in self.bands if b.start != date.min] + \
                [b.end for b in self.bands if b.end is not None]
        for item in self.items:
            found.append(item.start)
            if item.end is not None:
                found.append(item.end)
            found.extend(t.day for t in item.ticks)
        found.extend(t.day for t in self.life_ticks)
        if self.as_of is not None:
            found.append(self.as_of)
        return sorted(set(found))

    def words(self) -> list[tuple[date, str]]:
        """Every item, band start and dated fact as a sentence, in date order."""
        lines: list[tuple[date, int, str]] = []
        for band in self.bands:
            day = band.start if band.start != date.min else band.end or band.start
            lines.append((day, 0, band.says))
        for tick in self.life_ticks:
            lines.append((tick.day, 1, tick.says))
        for item in self.items:
            lines.append((item.start, 2, item.says))
        if self.hidden:
            last = max((line[0] for line in lines), default=date.min)
            lines.append((last, 3, f"… and {self.hidden} more events and duty windows, not drawn"))
        return [(day, text) for day, _, text in sorted(lines, key=lambda line: (line[0], line[1]))]


def timeline(case: Case, as_of: date | None = None) -> Timeline:
    """The timeline of a case, judged on `as_of` (None: after every event)."""
    replay = case.base
    result = Timeline(as_of=as_of)
    facts = Facts(replay)
    parties = list(case.ruleset.parties)
    lanes: dict[str, str] = {LIFE: case.ruleset.short_name or case.ruleset.agreement}
    events: list[Item] = []
    for event in sorted(replay.events, key=lambda e: (e.date, e.index)):
        lane = lane_of(case, event, parties)
        lanes.setdefault(lane, lane)
        events.append(event_item(case, facts, event, lane))
    windows = duty_windows(case, as_of, parties)
    for item in windows:
        lanes.setdefault(item.lane, item.lane)
    items = events + windows
    result.hidden = max(0, len(items) - MAX_ITEMS)
    result.items = items[:MAX_ITEMS]
    result.bands = life_bands(case, result.items)
    result.life_ticks = entity_ticks(case, facts)
    order = [LIFE, *parties, *(f"duties of {p}" for p in parties)]
    keys = sorted(lanes, key=lambda k: (order.index(k) if k in order else len(order), k))
    result.lanes = [(key, lanes[key]) for key in keys]
    return result


def lane_of(case: Case, event: Event, parties: list[str]) -> str:
    """Whose act an event is: the value of its type's first actor field (a party, else `others`)."""
    definition = case.ruleset.event_types[event.type]
    for name, spec in definition.fields.items():
        if spec.type.kind == "actor" or (spec.type.kind == "list" and spec.type.item is not None
                                         and spec.type.item.kind == "actor"):
            value = event.fields.get(name)
            if isinstance(value, str) and value in parties:
                return value
            if isinstance(value, (list, tuple)) and value and all(v in parties for v in value):
                return value[0] if len(set(value)) == 1 else "jointly"
            return "others"
    return "others"


def _read(kind: str, owner: str, name: str, value: Any, day: date | None = None) -> Read:
    return Read(f"{owner}.{name}", value, kind=kind, owner=owner, name=name, day=day)


def event_item(case: Case, facts: Facts, event: Event, lane: str) -> Item:
    """An event: its point, the dates it carries as ticks, and what it is and became, in words."""
    definition = case.ruleset.event_types[event.type]
    replay = case.base
    ticks: list[Tick] = []
    carried: list[Tick] = []  # the dates rules derived for it (shown as ticks where they differ from its date)
    for name, spec in definition.fields.items():
        value = event.fields.get(name)
        if spec.type.kind == "date" and isinstance(value, date) and value != event.date:
            ticks.append(Tick(value, facts.phrase(_read("field", event.id, name, value))))
    if definition.takes_effect is not None:
        name = definition.takes_effect[0]
        value, _ = replay.state.attr(event.id, name, None)
        if isinstance(value, date) and value != event.date and value not in {t.day for t in ticks}:
            ticks.append(Tick(value, f"{event.id} takes effect on {say(value)}"))
    for name, spec in definition.attributes.items():
        value, _ = replay.state.attr(event.id, name, None)
        if spec.type.kind == "date" and isinstance(value, date):
            carried.append(Tick(value, facts.phrase(_read("attribute", event.id, name, value)), "end"))
    ticks.extend(t for t in carried if t.day != event.date)
    said = [facts.phrase(_read("field", event.id, "date", event.date))]
    for name, spec in definition.fields.items():
        value = event.fields.get(name)
        if name in event.copied or isinstance(value, Unknown) or value is None or spec.type.kind == "date":
            continue
        said.append(facts.phrase(_read("field", event.id, name, value)))
    flags = [name for name, spec in definition.attributes.items() if spec.type.kind == "bool"]
    for name in flags:  # the type's first flag always (valid, counted …), the others where a rule changed them
        value, _ = replay.state.attr(event.id, name, None)
        if name == flags[0] or value != definition.attributes[name].initial:
            said.append(facts.phrase(_read("attribute", event.id, name, value)))
    said.extend(t.says for t in sorted([*ticks, *carried], key=lambda t: t.day))
    head = f"{event.id}: {definition.says}" + (" (implied)" if event.implied else "")
    says = f"{head} ({definition.paragraph}). " + "; ".join(dict.fromkeys(s for s in said if s)) + "."
    ticks.sort(key=lambda t: t.day)
    end = max((t.day for t in ticks), default=None)
    start = min([event.date, *(t.day for t in ticks)])
    return Item(lane, event.id, start, end if end is not None and end > start else None, says,
                "implied" if event.implied else "event", tuple(ticks))


def entity_ticks(case: Case, facts: Facts) -> list[Tick]:
    """The agreement's own date facts (entry into force, last day …), as they stand after the replay."""
    ticks = []
    for entity, attributes in case.ruleset.entity_attributes.items():
        for name, spec in attributes.items():
            if spec.type.kind != "date":
                continue
            value, _ = case.base.state.attr("$" + entity, name, None)
            if isinstance(value, date):
                ticks.append(Tick(value, facts.phrase(_read("state", entity, name, value))))
    return sorted(ticks, key=lambda t: t.day)


def state_questions(case: Case) -> list[Any]:
    """The questions that take only a date and answer with a state: the agreement's life, as bands."""
    found = []
    for question in case.ruleset.questions.values():
        if len(question.args) != 1 or question.args[0].type.kind != "date" or question.at != question.args[0].name:
            continue
        keys = [k for k in question.answers if k not in ("true", "false", "none", "value", "unknown")]
        if keys:
            found.append(question)
    return found


def life_bands(case: Case, items: list[Item]) -> list[Band]:
    """Runs of equal answers of each state question, over every day where something happens."""
    replay = case.base
    days = {replay.now} | {day for day, _ in replay.order}
    days |= {item.start for item in items} | {t.day for item in items for t in item.ticks}
    for firing in replay.firings:
        days.add(firing.day)
    for tick in entity_ticks(case, Facts(replay)):
        days.add(tick.day)
    days = {d for d in days if isinstance(d, date) and d != date.min}
    if not days:
        return []
    points = sorted(days | {d + timedelta(days=1) for d in days if d < date.max})
    points = [min(points) - timedelta(days=1), *points]
    bands: list[Band] = []
    for question in state_questions(case):
        name = question.args[0].name
        tones = list(question.answers)
        runs: list[list[Any]] = []  # [value, start]
        for day in points:
            call = QuestionCall(question.name, {name: day}, {name: day.isoformat()}, NOT_GIVEN,
                                Location("<report>"), question)
            value = case.value(call)
            key = "unknown" if isinstance(value, Unknown) else value
            if runs and runs[-1][0] == key:
                continue
            runs.append([key, day])
        for index, (value, start) in enumerate(runs):
            end = runs[index + 1][1] - timedelta(days=1) if index + 1 < len(runs) else None
            first = start if index else date.min
            words = _state_words(question, value, start, end, not index)
            tone = tones.index(value) if value in tones else len(tones)
            bands.append(Band(question.says, str(value), first, end, words, tone))
    return bands


def _state_words(question: Any, value: Any, start: date, end: date | None, first: bool) -> str:
    words = str(value).replace("_", " ")
    if first and end is not None:
        return f"{words} until {say(end)} ({question.says})"
    if end is None:
        return f"{words} from {say(start)} ({question.says})"
    return f"{words} from {say(start)} through {say(end)} ({question.says})"


def duty_windows(case: Case, as_of: date | None, parties: list[str]) -> list[Item]:
    """Each duty instance that arose: its window, from its trigger to its act, deadline or lapse."""
    state = case.base.state
    items = []
    for instance in state.instances:
        if instance.arose is False:
            continue
        judgement = state.judge(instance, as_of)
        status = "unknown" if isinstance(judgement.status, Unknown) else judgement.status
        if status == "not_triggered":
            continue
        duty = instance.duty
        ctx = Ctx(state, state.choices, dict(instance.env), as_of=as_of)
        ticks = []
        deadline = _date_of(duty.deadline, ctx)
        lapse = _date_of(duty.lapses_after, ctx)
        if deadline is not None:
            ticks.append(Tick(deadline, f"due by {say(deadline)}", "deadline"))
        end = deadline
        if judgement.act is not None:
            ticks.append(Tick(judgement.act.date, f"{judgement.act.id} of {say(judgement.act.date)}", "act"))
            end = judgement.act.date
        elif status == "lapsed" and lapse is not None:
            ticks.append(Tick(lapse, f"lapsed after {say(lapse)}", "end"))
            end = lapse
        elif status == "violated" and deadline is None and as_of is not None:
            end = as_of
        bearer = instance.bearer
        lane = f"duties of {bearer}" if bearer in parties else "duties of others"
        trigger = f", triggered by {instance.event.id}" if instance.event is not None else ""
        towards = f" towards {instance.counterparty}" if instance.counterparty else ""
        when = f"judged on {say(as_of)}" if as_of is not None else "judged after every event"
        says = (f"{duty.paragraph}: {bearer}{towards}: {duty.says} (arose on {say(instance.day)}{trigger}). "
                f"{status.replace('_', ' ')} ({when}): {judgement.why}.")
        label = f"{duty.paragraph} {instance.event.id}" if instance.event is not None else duty.paragraph
        open_end = end is None or (status == "active" and judgement.act is None)
        items.append(Item(lane, label, instance.day, end if end is not None and end > instance.day else None,
                          says, f"duty-{status}", tuple(sorted(ticks, key=lambda t: t.day)), open_end))
    return items


def _date_of(fn: Any, ctx: Ctx) -> date | None:
    if fn is None:
        return None
    value = fn(ctx)
    return value if isinstance(value, date) else None
