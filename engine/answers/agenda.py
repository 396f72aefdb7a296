"""The agenda: what falls due, takes effect or awaits action on a day and the days after it.

Stage: answers. Imports `case`, `record`, evaluation's `replay` and `state`,
the clause language's `context`, `ruleset` and `wording`, scenario files'
`model`, and `mou.errors`, `mou.values`.

`agenda(case, on, days)` reads the rule set, never a paragraph or a party by
name. Its items come from three places in the clause files, each said in the
words of the clause that gives it (`language.agenda`):

- **deadline** / **awaiting**: each duty instance open on `on` (`active`; or
  `unknown`, or `violated` and still to be performed, when its clause words
  those), dated by its deadline or its `due:` day, unless the agreement ends
  before that day; one without either is awaiting, with no date. A
  continuing duty whose `due:` day has passed is `overdue`, listed (if its
  clause words that) with that past day;
- **takes_effect**: each firing of an `at:` rule with `upcoming:` words from
  `on` to `until`, in a projection of the timeline: the events that have
  taken effect by `on`, and nothing more, replayed until `until`;
- **awaiting** (or **deadline**): each act an `on:` rule `awaits:` on `on`,
  with the last day for it (`until:`); a `deadline` one is listed when that
  day falls between `on` and `until`, also in a later period of the
  projection (the next term's last day for notice).

The agenda is the timeline as written seen from `on`: acts dated after `on`
have not been done yet (an invitation still to send is still due), while the
events they announce (a meeting held later) are known. Items are sorted by
date, undated ones last, then in the order of the clause files.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterator

from ..errors import Location, MouError, RuleError
from ..evaluation.replay import Replay
from ..language.context import RUN_TIME_ERRORS, Ctx
from ..language.wording import fill
from ..scenario.model import Scenario
from ..values import Event, Unknown, to_json
from .case import Case, evaluating, replay_of
from .record import scenario_decision

DEFAULT_DAYS = 90
MAX_DAYS = 36_525  # a hundred years, as the calendar rule allows any period
KINDS = ("deadline", "takes_effect", "awaiting")


@dataclass(frozen=True)
class Item:
    """One entry of the agenda: when, what kind, under which paragraph, for whom, about which event, in words."""

    date: date | None
    kind: str  # deadline | takes_effect | awaiting
    paragraph: str
    party: str | None
    event: str | None
    says: str
    source: str = field(default="", compare=False)  # the duty or rule of the clause files that gives it
    order: tuple = field(default=(), compare=False, repr=False)

    def to_json(self) -> dict:
        """As SCENARIOS.md fixes it: `{date, kind, paragraph, party, event, says}`."""
        return {"date": to_json(self.date), "kind": self.kind, "paragraph": self.paragraph,
                "party": to_json(self.party), "event": self.event, "says": self.says}

    @property
    def key(self) -> tuple:
        """What makes two items the same entry (for what changed, and calendar UIDs)."""
        return (self.source, self.kind, self.event, self.party, self.date)


@dataclass(frozen=True)
class Agenda:
    """The agenda of a scenario from `on` through `until`."""

    scenario: Scenario
    on: date
    until: date
    items: tuple[Item, ...]
    decision: dict = field(default_factory=dict, compare=False)  # record.decision: the reading it was made under
    ended: date | None = field(default=None, compare=False)  # the agreement's last day, when it was before `on`
    short_name: str = field(default="agreement", compare=False)  # what the agreement is called ("MoU")

    def to_json(self, record: bool = True) -> dict:
        """`{"decision", "on", "until", "items": [...]}`, as `mou agenda --format json` prints it.

        Without `record`, the agenda alone (`{"on", "until", "items"}`): a section of a larger document that
        carries its own decision record.
        """
        document = {"decision": self.decision} if record else {}
        document.update({"on": to_json(self.on), "until": to_json(self.until),
                         "items": [i.to_json() for i in self.items]})
        return document


def window(scenario: Scenario, on: date | None, days: int) -> tuple[date, date]:
    """The agenda's first and last day: `on` (else the scenario's `as_of`) and `days` after it."""
    if on is None:
        on = scenario.as_of
    if on is None:
        raise MouError.at(Location("<command line>"), f"the agenda needs a date: give --on DATE, or give "
                                                      f"{scenario.file} an `as_of:` date")
    if not 0 <= days <= MAX_DAYS:
        raise MouError.at(Location("<command line>"), f"--days takes 0 to {MAX_DAYS:,} days; got {days}")
    return on, on + timedelta(days=days)


def agenda(case: Case, on: date | None = None, days: int = DEFAULT_DAYS) -> Agenda:
    """What falls due, takes effect or awaits action from `on` (default: `as_of`) through `days` later.

    Raises `MouError` when there is no date to start from, and `RuleError` when a clause rule fails.
    """
    on, until = window(case.scenario, on, days)
    timeline = case.base if not case.base.skip_duties else replay_of(
        case.ruleset, case.backend, case.scenario, case.interpretation, case.parameters, duties=True)
    projection = project(case, timeline, on, until)
    with evaluating(case.scenario):
        items = [*_duties(timeline, projection, on, until), *_upcoming(projection, on, until),
             *_awaited(projection, on, until)]
    unique = {item.key: item for item in items}
    return Agenda(case.scenario, on, until, tuple(sorted(unique.values(), key=sort_key)),
                  scenario_decision(case.ruleset, case.scenario, case.interpretation, case.parameters),
                  ended_before(projection, on), case.ruleset.short_name or "agreement")


def ended_before(projection: Replay, on: date) -> date | None:
    """The agreement's last day in force when it fell before `on` (in the projection), else None.

    Read from the agreement's `last_day` fact, which the clause files of an
    agreement that can end declare (the MoU's IX.3, the renewal test clauses):
    an agenda with nothing on it then says why.
    """
    try:
        last, _ = projection.state.attr("$agreement", "last_day", on)
    except KeyError:  # an agreement whose clause files declare no last day
        return None
    return last if isinstance(last, date) and last < on else None


def sort_key(item: Item) -> tuple:
    """The agenda's order: by date, undated last; then deadlines, what takes effect, what awaits; then the clauses'."""
    return (item.date is None, item.date or date.min, KINDS.index(item.kind), item.order)


def project(case: Case, timeline: Replay, on: date, until: date) -> Replay:
    """The events that have taken effect by `on`, and nothing after: replayed, with its dates due, to `until`."""
    scenario = case.scenario
    replay = Replay(case.ruleset, scenario.events, scenario.choices(case.ruleset, case.interpretation),
                    {**scenario.parameters, **case.parameters}, explain=True)
    replay.file, replay.defaulted = scenario.file, scenario.defaulted
    replay.skip_duties = True  # duties are judged on the timeline as written
    replay.asked = (on, until)
    with evaluating(scenario), replay.incremental(case.backend) as feed:
        for day, event in timeline.order:
            if day > on:
                break
            feed(event)
    return replay


def _duties(timeline: Replay, projection: Replay, on: date, until: date) -> list[Item]:
    """Each open duty instance whose clause says how the agenda words it, judged on `on`.

    One due on a later day is left out when, if nothing else happens, the agreement ends first (the
    duty lapses before it falls due: its `lapses_after`, in the projection, is earlier).
    """
    state = timeline.state
    place = {rule.duty.id: rule.index for rule in timeline.ruleset.rules if rule.duty is not None}
    parties = timeline.ruleset.parties
    items = []
    for instance in state.instances:
        duty = instance.duty
        if duty.agenda is None or instance.arose is False:
            continue
        status, missing = _status(state, instance, on)
        templates = duty.agenda.says.templates
        if status not in templates and not (status == "violated" and "overdue" in templates):
            continue
        subject = f"{instance.event.id if instance.event is not None else on} (bearer {instance.bearer})"
        with failing(duty.agenda.location or duty.location, "duty", duty.id, duty.paragraph, subject):
            ctx = Ctx(state, timeline.choices, dict(instance.env, on=on, missing=missing), as_of=on)
            due = duty.agenda.due(ctx) if duty.agenda.due else duty.deadline(ctx) if duty.deadline else None
            due = due if isinstance(due, date) else None
            if status == "violated" and due is not None and due < on:
                status = "overdue"  # breached because its due day passed: still to be performed, late
            template = templates.get(status)
            if template is None or due is not None and (
                    due > until or due < on and status != "overdue" or _lapses_before(projection, instance, due)):
                continue
            ctx.env["due"] = due
            says = fill(template, ctx)
        items.append(Item(due, "deadline" if due else "awaiting", duty.paragraph, instance.bearer,
                          instance.event.id if instance.event is not None else None, says, duty.id,
                          (place[duty.id], instance.event.index if instance.event is not None else -1,
                           parties.index(instance.bearer) if instance.bearer in parties else len(parties),
                           str(instance.bearer))))
    return items


@contextmanager
def failing(location: Location, kind: str, name: str, paragraph: str, subject: str) -> Iterator[None]:
    """An agenda expression of the clause files that fails is a `RuleError` at its place (exit 3)."""
    try:
        yield
    except RuleError:
        raise
    except RUN_TIME_ERRORS as error:
        raise RuleError(location, kind, name, paragraph, subject, f"{type(error).__name__}: {error}") from error


def _lapses_before(projection: Replay, instance: Any, due: date) -> bool:
    lapses_after = instance.duty.lapses_after
    if lapses_after is None:
        return False
    end = lapses_after(Ctx(projection.state, projection.choices, dict(instance.env), as_of=due))
    return isinstance(end, date) and end < due


def _status(state: Any, instance: Any, on: date) -> tuple[str, str]:
    """The status at the end of `on` (due on `on` itself and not yet done: `active`), and what an unknown lacks."""
    judged = state.judge(instance, on)
    if isinstance(judged.status, Unknown):
        return "unknown", "; ".join(sorted({str(missing) for missing in judged.status.missing})) or judged.why
    duty = instance.duty
    if judged.status == "violated" and duty.deadline is not None and judged.act is None:
        ctx = Ctx(state, state.choices, dict(instance.env), as_of=on)
        if duty.deadline(ctx) == on and state.judge(instance, on - timedelta(days=1)).status == "active":
            return "active", ""  # its last day is today: still to be done today
    return judged.status, ""


def _upcoming(projection: Replay, on: date, until: date) -> list[Item]:
    """What each `at:` rule with `upcoming:` words does from `on` to `until`, if nothing else happens."""
    items = []
    for firing in projection.firings:
        rule = firing.rule
        if rule.upcoming is None or firing.outcome is not True or not on <= firing.day <= until:
            continue
        env = dict(firing.lets)
        if firing.subject is not None:
            env["event"] = firing.subject
        ctx = Ctx(projection.state, projection.choices, env, as_of=firing.day, now=firing.day)
        subject = firing.subject.id if firing.subject is not None else str(firing.day)
        with failing(rule.upcoming.location or rule.location, "rule", rule.id, rule.paragraph, subject):
            party = rule.upcoming.party(ctx) if rule.upcoming.party else None
            says = fill(rule.upcoming.says, ctx)
        items.append(Item(firing.day, "takes_effect", rule.paragraph, _actor(party),
                          firing.subject.id if firing.subject is not None else None, says,
                          rule.id, (rule.index, firing.subject.index if firing.subject is not None else -1)))
    return items


def _awaited(projection: Replay, on: date, until: date) -> list[Item]:
    """The acts `on:` rules await on `on`; `deadline` ones also on each later day the projection changes."""
    later = sorted({f.day for f in projection.firings if on < f.day <= until and f.rule.trigger.kind == "date"})
    items = []
    for rule in projection.ruleset.rules:
        if rule.awaits is None:
            continue
        for day in [on, *(later if rule.awaits.kind == "deadline" else ())]:
            items.extend(_awaited_on(projection, rule, day, on, until))
    return items


def _awaited_on(projection: Replay, rule: Any, day: date, on: date, until: date) -> list[Item]:
    awaits = rule.awaits
    subjects: list[Event | None] = list(projection.state.events(awaits.for_each, day)) if awaits.for_each else [None]
    items = []
    for subject in subjects:
        with failing(awaits.location or rule.location, "rule", rule.id, rule.paragraph,
                     subject.id if subject is not None else str(day)):
            items.extend(_awaited_about(projection, rule, subject, day, on, until))
    return items


def _awaited_about(projection: Replay, rule: Any, subject: Event | None, day: date, on: date,
                   until: date) -> list[Item]:
    """The items of one `awaits:` about one event (or none), judged on `day`."""
    awaits = rule.awaits
    env: dict[str, Any] = {"on": day} if subject is None else {"on": day, "event": subject}
    ctx = Ctx(projection.state, projection.choices, env, as_of=day, now=day)
    if awaits.when is not None and awaits.when(ctx) is not True:
        return []
    last = awaits.until(ctx) if awaits.until else None
    last = last if isinstance(last, date) else None
    if last is not None and last < on or awaits.kind == "deadline" and (last is None or last > until):
        return []
    template = awaits.says.template_for(last)
    if template is None:
        return []
    parties = awaits.party(ctx) if awaits.party else None
    items = []
    for party in (parties if isinstance(parties, (list, tuple)) else [parties]):
        ctx.env.update(party=party, until=last)
        items.append(Item(last, awaits.kind, rule.paragraph, _actor(party), subject.id if subject is not None else None,
                          fill(template, ctx), rule.id,
                          (rule.index, subject.index if subject is not None else -1, 0, str(party))))
    return items


def _actor(value: Any) -> str | None:
    if value is None:
        return None
    return "unknown" if isinstance(value, Unknown) else str(value)
