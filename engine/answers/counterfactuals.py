"""What would have changed the answer: the smallest single changes that flip it, and choices that matter.

Stage: answers. Imports `case`, `facts`, scenario files' `variants`, the
clause language's `types` and `wording`, and `mou.values`, `mou.dates`.

The candidates come from the clause vocabulary and the facts the answer rests
on: another value of an enum or boolean field, a party in place of a
non-party for a field naming an actor (never another party acting, never a
party addressing itself), one more value for a list of enum values, another
value of each interpretive choice read, and the values a parameter takes
where the scenario gives it one (a parameter the scenario leaves as the
agreement says is the agreement's text, not a fact of the case: `whatif` and
sweeps vary it). Values of one field with the same outcome are one
counterfactual. For a date (or a duration), the boundary: the nearest value
that changes the answer, found by doubling the step away from the value given and then
bisecting. The search is bounded by a number of evaluations (`BUDGET`), not by
time, so that the same inputs always give the same explanation; an
explanation says when the search was cut short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Iterable

from ..dates import FIRST_YEAR, LAST_YEAR, Duration
from ..language import types as T
from ..language.wording import join, say
from ..scenario.model import QuestionCall
from ..scenario.variants import ADD, CHOICE, EVENT, MOVE, PARAMETER, Change, changes
from ..values import Event, Unknown, to_json
from .case import INVALID, Case
from .questions import same

BUDGET = 160
"""Evaluations of variants one answer's search may use (shared work with other answers is free)."""

MAX_STEP_DAYS = 4096
"""How far a date boundary is looked for: about eleven years each way."""


@dataclass(frozen=True)
class Flip:
    """A change that changes the answer: what, the answer it gives, and for a boundary its direction."""

    change: Change
    answer: Any
    bound: str = ""  # "or later" / "or earlier" for a date or duration boundary, when all beyond also flip
    values: tuple = ()  # for values of one field with the same outcome: all of them (`change` holds the first)
    last: Any = None  # for a date or duration boundary: the farthest value with the same outcome, if it ends

    def to_json(self, says: str) -> dict:
        """As `counterfactuals` lists it (SCENARIOS.md): one value, or the values grouped with one outcome; an
        act not taken as `add`, the event as a scenario file would give it."""
        if self.change.kind == ADD:
            from .acts import as_written

            placed = {"before": self.change.value[2]} if len(self.change.value) > 2 else {}
            return {"add": as_written(self.change), **placed, "says": says, "answer": to_json(self.answer)}
        if self.change.kind == MOVE:
            return {"move": {"event": self.change.target, self.change.field: self.change.value}, "says": says,
                    "answer": to_json(self.answer)}
        value = [to_json(v) for v in self.values] if self.values else to_json(self.change.value)
        item = {"change": {self.change.label: value}, "says": says, "answer": to_json(self.answer)}
        if self.last is not None:
            item["through"] = to_json(self.last)
        if self.bound:
            item["boundary"] = self.bound
        return item


class Search:
    """The counterfactual search for one answer, within a budget of evaluations."""

    def __init__(self, case: Case, call: QuestionCall, value: Any):
        self.case = case
        self.call = call
        self.value = value
        self.spent = 0
        self.cut_short = False
        self.failed_before = case.failed  # variants that fail (a rule, on a made-up input) are counted, not fatal

    @property
    def failed(self) -> int:
        """Variants this search tried whose replay failed: dropped, as no answer."""
        return self.case.failed - self.failed_before

    def answer_under(self, *items: Change) -> Any:
        """The answer with a change, or a few (INVALID when they make the scenario invalid)."""
        key = changes(*items)
        cached = (id(self.call), key) in self.case._values
        if not cached:
            if self.spent >= BUDGET:
                self.cut_short = True
                return INVALID
            self.spent += 1
        return self.case.value(self.call, key)

    def differs(self, other: Any) -> bool:
        """Whether another answer is a different answer (an invalid variant is no answer)."""
        return self.differs_from(other, self.value)

    def differs_from(self, other: Any, value: Any) -> bool:
        """Whether another answer differs from `value` (a variant's answer, say)."""
        return other is not INVALID and not same(other, value, self.call.definition.unordered)

    # -- candidates -----------------------------------------------------------------------

    def flips(self, fields: Iterable[tuple[Event, str]], choices: Iterable[str],
              parameters: Iterable[str]) -> list[Flip]:
        """Every single change among the candidates that changes the answer."""
        found: list[Flip] = []
        for event, name in fields:
            found.extend(self._field(event, name))
        for name in choices:
            found.extend(self._choice(name))
        for name in parameters:
            found.extend(self._parameter(name))
        return found

    def moves(self, orders: Iterable[tuple[str, str, str]]) -> list[Flip]:
        """An act listed on the other side of the event of its day that changed the agreement's state: "had x1
        taken place after the signature that day". `orders`: (the act, "before" or "after", the event)."""
        found: list[Flip] = []
        for event_id, order, other_id in orders:
            found.extend(self._try(Change(MOVE, event_id, "after" if order == "before" else "before", other_id)))
        return found

    def _try(self, item: Change) -> list[Flip]:
        other = self.answer_under(item)
        return [Flip(item, other)] if self.differs(other) else []

    def _field(self, event: Event, name: str) -> list[Flip]:
        ruleset = self.case.ruleset
        if name == "date":
            return [flip for flip in self._boundary_dates(event, name, event.date)
                    if not self._past_a_default(flip) and not self._past_the_day(flip)]
        spec = ruleset.event_types[event.type].fields.get(name)
        if spec is None or not spec.varies:
            return []
        current = event.fields[name]
        if isinstance(current, Unknown):
            return []  # a fact not given: `missing` says what each value would decide
        kind = spec.type.kind
        if kind == "date" and isinstance(current, date):
            return self._boundary_dates(event, name, current)
        found: list[Flip] = []
        others = {other for key, other in event.fields.items()
                  if key != name and ruleset.event_types[event.type].fields[key].type.kind == "actor"}
        for value in alternatives(spec.type, current, ruleset.parties, others):
            found.extend(self._try(Change(EVENT, event.id, name, value)))
        return found

    def _past_the_day(self, flip: Flip) -> bool:
        """An act of an answer about a day, moved after that day: "had the meeting been held next year, the duty
        would still be owed" changes when it falls due, not what a party did (the answer is as of the day)."""
        until = self.case.until
        return until is not None and isinstance(flip.change.value, date) and flip.change.value > until

    def _past_a_default(self, flip: Flip) -> bool:
        """A date moved, without end, past the date of an event the scenario does not give but the clauses assume
        (the signed original of 2009-01-27): "had the 2019 meeting been held in 2009 or earlier" is no change a
        party could make, only a restatement of what the default decides. A change across an event the
        scenario gives (its own signature, a notice that ended the agreement) stays, and so does a move forward
        into the agreement's life (an arrangement of 2008 made on its first day or later)."""
        if flip.bound != "or earlier" or not isinstance(flip.change.value, date):
            return False
        near = {flip.change.value + timedelta(days=offset) for offset in (-1, 0, 1)}
        return any(event.implied and event.date in near for event in self.case.base.events)

    def _choice(self, name: str) -> list[Flip]:
        choice = self.case.ruleset.choices[name]
        current = self.case.base.choices.get(name)
        found = []
        for value in choice.values:
            if value != current:
                found.extend(self._try(Change(CHOICE, name, "", value)))
        if not choice.values and isinstance(current, Duration):  # an interval the analyst set: where it tips
            found.extend(self._boundary_durations(name, current, CHOICE))
        return found

    def _parameter(self, name: str) -> list[Flip]:
        case = self.case
        if name in {value for value in self.call.args.values() if isinstance(value, str)}:
            return []  # the parameter asked about: changing it would restate the question
        if not scenario_values(case, name):
            return []  # the agreement's own text, not a fact of the case: what-if and sweeps vary it
        parameter = case.ruleset.parameters[name]
        current = case.base.state.param(name, None)[0]
        values = [parameter.default, *scenario_values(case, name)]
        found = self._boundary_durations(name, current) if isinstance(current, Duration) else []
        for value in dict.fromkeys(v for v in values if v is not None and v != current) if not found else ():
            found.extend(self._try(Change(PARAMETER, name, "", value)))  # (a length: its boundary says more)
        return found

    def acts(self, found: Iterable[Any], name_of: Callable[[Any], str]) -> list[tuple[Flip, Any]]:
        """Each act not taken (`acts.Candidate`) that would change the answer, on the latest day it would.

        The latest day is tried first; else days further back, doubling the
        step, then bisecting to the latest day that changes the answer.
        """
        result = []
        for candidate in found:
            ident = name_of(candidate)
            span = (candidate.latest - candidate.earliest).days

            def make(offset: int, candidate: Any = candidate, ident: str = ident) -> Change | None:
                return candidate.change(candidate.latest - timedelta(days=offset), ident) if offset <= span else None

            short_before = self.cut_short
            last_same, first_flip, answer = -1, None, None
            offset = 0
            placed = self._placed(candidate, ident)  # on the last day, listed before an event of that day
            if placed is not None:
                make, span, first_flip, answer = (lambda _, placed=placed: placed), 0, 0, self.answer_under(placed)
            while offset <= span and first_flip is None:
                other = self.answer_under(make(offset))
                if self.differs(other):
                    first_flip, answer = offset, other
                    break
                last_same, offset = offset, max(1, offset * 2)
            if first_flip is None:
                continue
            low, high = last_same, first_flip
            while high - low > 1:
                middle = (low + high) // 2
                other = self.answer_under(make(middle))
                if self.differs(other):
                    high, answer = middle, other
                else:
                    low = middle
            # how far back the same act still gives that answer: an act that counts only from some day (a
            # consultation after the entry into force) is offered for those days, not "by" the latest
            earliest = None
            if high < span and not same(self.answer_under(make(span)), answer, self.call.definition.unordered):
                low_, high_ = high, span  # the earliest day does not give it: where the days that do begin
                while high_ - low_ > 1:
                    middle = (low_ + high_) // 2
                    if same(self.answer_under(make(middle)), answer, self.call.definition.unordered):
                        low_ = middle
                    else:
                        high_ = middle
                earliest = candidate.latest - timedelta(days=low_)
            if self.cut_short and not short_before:
                continue  # the budget ran out while its days were searched: the days found may be wrong
            result.append((Flip(make(high), answer, last=earliest), candidate))
        return result

    def _placed(self, candidate: Any, ident: str) -> Change | None:
        """The act on its last day listed right before an event of that day (the latest such place), where only
        so does it change the answer (a signature before the request it would let count); else None."""
        day = candidate.latest
        if self.differs(self.answer_under(candidate.change(day, ident))):
            return None
        same_day = sorted((event for event in self.case.scenario.events if event.date == day),
                          key=lambda event: event.index, reverse=True)
        for event in same_day:
            change = candidate.change(day, ident, before=event.id)
            if self.differs(self.answer_under(change)):
                return change
        return None

    # -- boundaries ------------------------------------------------------------------------

    def _boundary(self, make: Callable[[int], Any], limit: int, spans: bool = False) -> list[Flip]:
        """The nearest flip on each side of offset 0, by doubling steps then bisecting; `spans` (dates): also
        how far the same outcome goes, where it ends (the MoU's life)."""
        found = []
        for direction in (1, -1):
            short_before = self.cut_short
            last_same, first_flip, answer = 0, None, None
            step = 1
            while step <= limit:
                item = make(direction * step)
                if item is None:
                    break
                other = self.answer_under(item)
                if other is INVALID:
                    break
                if self.differs(other):
                    first_flip, answer = step, other
                    break
                last_same, step = step, step * 2
            if first_flip is None:
                continue
            low, high = last_same, first_flip
            while high - low > 1:
                middle = (low + high) // 2
                other = self.answer_under(make(direction * middle))
                if other is not INVALID and self.differs(other):
                    high, answer = middle, other
                else:
                    low = middle
            # how far the same outcome goes: looked for well past the boundary's own reach (a meeting moved back
            # past the MoU's entry into force, years away, gives no duty at all: "or earlier" would be false)
            end = self._end(make, direction, high, limit, answer) if spans else None
            if spans and end is None:  # one look far past the boundary's reach: a life that ends years away
                far = make(direction * limit * 16)
                other = self.answer_under(far) if far is not None else INVALID
                if other is not INVALID and not same(other, answer, self.call.definition.unordered):
                    end = self._end(make, direction, limit, limit * 16, answer)
            if self.cut_short and not short_before:
                continue  # the budget ran out while this side was searched: its boundary or span may be wrong
            first = make(direction * high)
            if end is None:
                found.append(Flip(first, answer, "or later" if direction > 0 else "or earlier"))
            elif end == high:
                found.append(Flip(first, answer))
            else:  # the same outcome for a while, then not (the MoU's life ends): the whole span
                last = make(direction * end).value
                found.append(Flip(first, answer, "", (), last) if direction > 0 else
                             Flip(Change(first.kind, first.target, first.field, last), answer, "", (), first.value))
        return found

    def _end(self, make: Callable[[int], Any], direction: int, start: int, limit: int, answer: Any) -> int | None:
        """The farthest offset from `start` on that still gives `answer` (None: up to the limit and beyond)."""
        unordered = self.call.definition.unordered
        last_same, step = start, start
        while True:
            step = min(limit, step * 2)
            item = make(direction * step)
            other = self.answer_under(item) if item is not None else INVALID
            if other is INVALID or not same(other, answer, unordered):
                break
            last_same = step
            if step >= limit:
                return None
        low, high = last_same, step
        while high - low > 1:
            middle = (low + high) // 2
            item = make(direction * middle)
            other = self.answer_under(item) if item is not None else INVALID
            if other is not INVALID and same(other, answer, unordered):
                low = middle
            else:
                high = middle
        return low

    def _boundary_dates(self, event: Event, name: str, current: date) -> list[Flip]:
        def make(offset: int) -> Change | None:
            try:
                day = current + timedelta(days=offset)
            except OverflowError:
                return None
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                return None
            return Change(EVENT, event.id, name, day)

        return self._boundary(make, MAX_STEP_DAYS, spans=True)

    def _boundary_durations(self, name: str, current: Duration, kind: str = PARAMETER) -> list[Flip]:
        if current.unit == "years":  # in months: "13 months or longer" where a year and a day is the gap, not
            current = Duration(current.count * 12, "months")  # "2 years or longer", which 13 months would belie

        def make(offset: int) -> Change | None:
            count = current.count + offset
            return Change(kind, name, "", Duration(count, current.unit)) if count >= 1 else None

        return self._boundary(make, 1200 if current.unit != "days" else 36500)


def grouped(found: list[tuple[Flip, str]]) -> list[tuple[Flip, str]]:
    """Flips of one scalar field to values with the same outcome in words, as one flip listing the values (in the
    order tried). A list-valued field's values are not grouped: each is a list of its own."""
    result: list[tuple[Flip, str]] = []
    for flip, outcome in found:
        item = flip.change
        for number, (kept, said) in enumerate(result):
            other = kept.change
            if (item.kind == EVENT and other.kind == EVENT and item.target == other.target
                    and item.field == other.field and item.field != "date" and not kept.bound and not flip.bound
                    and said == outcome and not isinstance(item.value, tuple)):
                values = kept.values or (other.value,)
                result[number] = (Flip(other, kept.answer, "", values + (item.value,)), said)
                break
        else:
            result.append((flip, outcome))
    return result


def kind_of(case: Case, type_: T.Type, values: tuple) -> str:
    """What a definition of the clause files calls exactly these values of an enum ("a communication in writing").

    A definition of one parameter of the enum's type, true for these values
    and for no other (under the case's choices), names the group.
    """
    from ..language.context import Ctx

    ruleset = case.ruleset
    for name, info in ruleset.compiled_definitions.items():
        spec = ruleset.definitions.get(name)
        if spec is None or not spec.says or len(info.params) != 1 or info.params[0][1] != type_:
            continue
        try:
            holding = {value for value in type_.values
                       if info.fn(Ctx(case.base.state, case.base.choices, {info.params[0][0]: value})) is True}
        except Exception:  # noqa: BLE001 - a definition that cannot be judged alone names nothing
            continue
        if holding == set(values):
            return spec.says
    return ""


def alternatives(type_: T.Type, current: Any, parties: tuple[str, ...], others: Iterable[Any] = ()) -> list[Any]:
    """The other values a field could take, from the clause vocabulary, that a party could have brought about.

    Who acted is not changed when it was a party (IOM's notice given by ECO
    instead is another act, by another party), and no actor becomes another
    actor of the same event (a party addressing itself). A non-party may be
    replaced by a party: a notice addressed to a third State could have been
    addressed to the other party. An act of both parties is tried as one party's alone.
    """
    kind = type_.kind
    if kind == "bool" and isinstance(current, bool):
        return [not current]
    if kind == "enum":
        return [value for value in type_.values if value != current]
    if kind == "actor":
        return [] if current in parties else [party for party in parties if party not in set(others)]
    if kind == "list" and type_.item is not None and isinstance(current, tuple):
        item = type_.item
        if item.kind == "enum":
            return [current + (value,) for value in item.values if value not in current]
        if item.kind == "actor" and not all(p in current for p in parties):
            return [tuple(dict.fromkeys((*current, *parties)))]
        if item.kind == "actor" and len(current) > 1:  # each party in turn not joining in (agreed by one alone)
            return [tuple(value for value in current if value != party) for party in parties if party in current]
    return []


def scenario_values(case: Case, name: str) -> list[Any]:
    """The values a parameter takes anywhere in the scenario: its `parameters:` and amendments' changes."""
    values = []
    if name in case.scenario.parameters:
        values.append(case.scenario.parameters[name])
    for event in case.scenario.events:
        for value in event.fields.values():
            if isinstance(value, dict) and name in value:
                values.append(value[name])
    return values


def described(flip: Flip, case: Case, facts: Any, answer_says: str) -> tuple[str, str]:
    """A counterfactual in words, as (condition, outcome): ("if the notice n1 was received on 2020-05-11 or
    earlier", "the MoU is not in force on 2020-11-12").

    Values grouped with one outcome are said on one line ("by letter, by note
    verbale, by fax or by email"); a choice is named as code beside its
    meaning; a duration boundary is "or shorter" / "or longer".
    """
    item = flip.change
    bound = f" {flip.bound}" if flip.bound else ""
    if item.kind == MOVE:
        from ..language.context import Read

        event = case.base.by_id[item.target]
        phrase = facts.phrase(Read(f"{item.target}.date", event.date, kind="field", owner=item.target, name="date",
                                   day=event.date))
        return f"if {phrase} {item.field} {say(case.base.by_id[item.value])} rather than {'before' if item.field == 'after' else 'after'} it", \
            answer_says
    if flip.last is not None and item.kind == EVENT:
        bound = f" (or any day up to {say(flip.last)})"
    if item.kind == EVENT:
        from ..language.context import Read

        event = case.base.by_id.get(item.target)
        spec = case.ruleset.event_types[event.type].fields.get(item.field) if event is not None else None
        kind = "field" if event is not None and (item.field == "date" or spec is not None) else "attribute"
        phrase = facts.phrase(Read(item.label, item.value, kind=kind, owner=item.target, name=item.field,
                                   day=item.value if isinstance(item.value, date) else None))
        if flip.last is not None and f"on {say(item.value)}" in phrase:
            phrase = phrase.replace(f"on {say(item.value)}", f"on any day from {say(item.value)} to {say(flip.last)}", 1)
            bound = ""
        if flip.values and spec is not None:
            first = say(item.value, spec.type)
            words = join([say(value, spec.type) for value in flip.values], "or")
            if first in phrase:
                phrase = phrase.replace(first, words, 1)
            named = kind_of(case, spec.type, flip.values)
            if named:
                phrase = f"{phrase} ({named})"
    elif item.kind == CHOICE:
        choice = case.ruleset.choices[item.target]
        key = say(item.value).lower() if isinstance(item.value, bool) else str(item.value)
        meaning = choice.means.get(key) or choice.means.get("value", "").replace("{value}", key)
        if flip.bound and isinstance(item.value, Duration):
            bound = " or shorter" if flip.bound == "or earlier" else " or longer"
        code = f"`{item.target}: {key}`"
        phrase = f"{meaning}{bound} ({code})" if meaning else f"read with {code}{bound}"
        bound = ""
    else:
        parameter = case.ruleset.parameters[item.target]
        if flip.bound and isinstance(item.value, Duration):
            bound = " or shorter" if flip.bound == "or earlier" else " or longer"
        # the agreement's own term, not an amendment of it (which a case gives as acts, with their own days)
        phrase = f"the {case.ruleset.short_name or 'agreement'} set {parameter.says or 'the parameter'} at " \
                 f"{say(item.value, parameter.type)}"
    return f"if {phrase}{bound}", answer_says
