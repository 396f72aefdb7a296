"""Facts in plain words: what a read fact says, in the clause files' own wording.

Stage: answers. Imports evaluation's `replay`, the clause language's
`context`, `ruleset` and `wording`, scenario files' `builder` (how an event
is named) and `mou.values`.

Every fact an explanation cites (a field the scenario gives, an attribute a
rule derived, the agreement's state, a parameter, a definition) is written
with the `reads:` template the clause files give it ("the notice n1 was given
orally", "the notice period of n1 ends on 2020-11-12"). Where a clause file
gives none, a plain fallback names the fact by its `says`, never by a dotted
path. A fact of a field the event's name already states (a signature named by its
party and date, signed for that party) is marked `named`: the text does not
repeat it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..evaluation.replay import Replay
from ..language.context import Ctx, Read
from ..language.wording import NOT_KNOWN, Wording, say
from ..scenario.builder import named_by
from ..values import Event, Unknown, to_json


class Facts:
    """Writes the facts of one replay in words."""

    def __init__(self, replay: Replay, stated: Any = None):
        self.replay = replay
        self.stated = replay.stated if stated is None else stated  # facts set later are said as yet to come
        self.ruleset = replay.ruleset
        self.by_id = replay.by_id
        self._said: dict[int, tuple[Read, tuple[str, bool]]] = {}  # by read: a tree words most facts twice or more

    def _ctx(self, read: Read, event: Event | None) -> Ctx:
        env = {**dict(read.args), "value": read.value, "day": read.day}
        if event is not None:
            env["event"] = event
        return Ctx(self.replay.state, self.replay.choices, env, as_of=read.day)

    def _fill(self, wording: Wording, read: Read, event: Event | None) -> str | None:
        try:
            return wording.phrase(read.value, self._ctx(read, event))
        except Exception:  # noqa: BLE001 - a template that cannot be filled here falls back to plain words
            return None

    def phrase(self, read: Read) -> str:
        """The fact in one sentence, e.g. "the notice n1 was given orally"."""
        return self._phrase(read)[0]

    def _phrase(self, read: Read) -> tuple[str, bool]:
        """The fact in words, and whether the clause files word it: made once per read (a replay's facts and
        the reads of its trace do not change; the read is held with its words, so its id is not reused)."""
        said = self._said.get(id(read))
        if said is None:
            said = self._said[id(read)] = (read, self._words(read))
        return said[1]

    def _words(self, read: Read) -> tuple[str, bool]:
        ruleset = self.ruleset
        event = self.by_id.get(read.owner) if read.kind in ("field", "attribute") else None
        found = None
        type_ = None
        says = read.name
        if read.kind == "field" and event is not None:
            definition = ruleset.event_types[event.type]
            if read.name == "date":
                found, says = self._fill(definition.date_reads, read, event), "dated"
            elif read.name in definition.fields:
                spec = definition.fields[read.name]
                shown = _worded(read, spec.typos_of)
                found, type_, says = self._fill(spec.reads, shown, event), spec.type, spec.says or read.name
        elif read.kind == "attribute" and event is not None:
            spec = ruleset.event_types[event.type].attributes.get(read.name)
            if spec is not None:
                found, type_, says = self._fill(self._reads(spec, read), read, event), spec.type, spec.says or read.name
        elif read.kind == "state":
            spec = ruleset.entity_attributes.get(read.owner, {}).get(read.name)
            if spec is not None:
                found, type_, says = self._fill(self._reads(spec, read), read, None), spec.type, spec.says or read.name
        elif read.kind == "parameter":
            spec = ruleset.parameters.get(read.name)
            if spec is not None:
                found, type_, says = self._fill(spec.reads, read, None), spec.type, spec.says or read.name
        elif read.kind == "definition":
            spec = ruleset.definitions.get(read.name)
            if spec is not None:
                found, type_, says = self._fill(self._reads(spec, read), read, None), spec.type, spec.says or read.name
        elif read.kind == "choice":
            choice = ruleset.choices.get(read.name)
            if choice is not None:
                meaning = choice.means.get(_key(read.value))
                if meaning:
                    return meaning, True
                return f"the interpretive choice {read.name} is {say(read.value, choice.type)}", False
        if found:
            return found, True
        return self.fallback(read, event, says, type_), False

    def _reads(self, spec: Any, read: Read) -> Wording:
        """How a derived fact reads: `ahead` where the case's facts make it so only after the day the case is
        stated, or the day the answer is about if earlier (set by a rule on a later day; of a definition, read
        for a later day), where the clause files word it so."""
        if spec.ahead.template_for(read.value) is None or not self.ahead(read):
            return spec.reads
        return spec.ahead

    def ahead(self, read: Read) -> bool:
        """Whether a fact read is, on the day the case is stated, yet to come."""
        stated, firings = self.stated, self.replay.firings
        if stated is None:
            return False
        if read.kind == "definition":
            return read.day is not None and read.day > stated
        return read.source is not None and read.source < len(firings) and firings[read.source].day > stated

    def worded(self, read: Read) -> bool:
        """Whether the clause files give this fact its own wording (else `fallback` names it)."""
        return self._phrase(read)[1]

    def fallback(self, read: Read, event: Event | None, says: str, type_: Any) -> str:
        """Plain words for a fact whose clause file gives no `reads:` wording."""
        who = f"{event.id}: " if event is not None else ""
        if isinstance(read.value, Unknown):
            return f"{who}{says}: {NOT_KNOWN}"
        if read.value is True:
            return f"{who}{says}"
        if read.value is False:
            return f"{who}{says}: not so"
        return f"{who}{says}: {say(read.value, type_)}"

    def entry(self, read: Read) -> dict:
        """The fact as JSON: `{event, field, says, value}` (SCENARIOS.md), plus `parameter` or `definition`."""
        item: dict[str, Any] = {"event": read.owner if read.kind in ("field", "attribute") else None,
                                "field": read.name if read.kind in ("field", "attribute", "state") else None,
                                "says": self.phrase(read), "value": to_json(read.value)}
        if read.kind == "parameter":
            item["parameter"] = read.name
        elif read.kind == "definition":
            item["definition"] = read.name
        elif read.kind == "state":
            item["of"] = read.owner
        event = self.by_id.get(read.owner) if read.kind == "field" else None
        if event is not None and named_by(self.ruleset.event_types[event.type], event, read.name):
            item["named"] = True  # the event's name says it already (a party's signature, signed for that party)
        return item


def _worded(read: Read, enum: Any) -> Read:
    """A free-text list whose items may be values of an enum with words (area ids of V.1 among topics): each
    such item in its words ("area ii (border management)"), the others as written."""
    words = dict(zip(enum.values, enum.words)) if enum is not None and enum.words else {}
    if not words or not isinstance(read.value, (list, tuple)):
        return read
    return replace(read, value=tuple(words.get(item, item) for item in read.value))


def _key(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
