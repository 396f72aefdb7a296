"""The text as in force: paragraphs with their parameters as amended, and the whole agreement on a date.

Stage: answers. Imports evaluation's `replay` and `state`, the clause
language's `ruleset`, and `mou.values`, `mou.dates`; writes numbers in words
with num2words.

A clause file marks where a parameter's words stand in its paragraph
(`stands_in: six months`). On a date, the paragraph reads with the
consolidated value in their place, marked as the EU's consolidated texts mark
an amendment: "by giving twelve months [as amended by a1, in force from
2016-03-15] written notice". A value set by the scenario's own `parameters:`
(a what-if) is marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any


from ..dates import Duration
from ..evaluation.replay import Replay
from ..evaluation.state import PARAM_KEY
from ..language.ruleset import Parameter, RuleSet
from ..values import Event, to_json
from .record import decision, scenario_decision

_ROOT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\.")


@dataclass(frozen=True)
class Amended:
    """One parameter of a paragraph whose value is not the signed text's, and why."""

    parameter: str
    value: Any
    by: str | None  # the event whose changes brought the value, or None when the scenario's `parameters:` set it
    since: date | None  # the day those changes took effect

    def to_json(self) -> dict:
        """As `amended_by` lists it."""
        return {"parameter": self.parameter, "value": to_json(self.value), "event": self.by,
                "in_force_from": to_json(self.since), "set_by": "event" if self.by else "scenario"}

    def mark(self) -> str:
        """The inline mark, e.g. `[as amended by a1, in force from 2016-03-15]`."""
        if self.by is None:
            return "[as this scenario's parameters set it]"
        return f"[as amended by {self.by}, in force from {to_json(self.since)}]"


def in_words(value: Any) -> str:
    """A parameter's value as the signed text would write it: `six months`, `one year`, `thirty days`."""
    if isinstance(value, Duration):
        from num2words import num2words  # here: it loads every language it knows, and few answers need it

        unit = value.unit[:-1] if value.count == 1 else value.unit
        return f"{num2words(value.count)} {unit}"
    return to_json(value) if not isinstance(value, str) else value


def changed_by(replay: Replay, source: int | None) -> tuple[str | None, date | None]:
    """The event that brought a parameter's value, and the day, from the firing that set it."""
    if source is None or source >= len(replay.firings):
        return None, None
    firing = replay.firings[source]
    for assignment in firing.rule.then:
        if assignment.attr:
            continue
        match = _ROOT.match(assignment.text)
        bound = dict(firing.lets).get(match.group(1)) if match else None
        if bound is None and match and match.group(1) == "event":
            bound = firing.subject
        if isinstance(bound, Event):
            return bound.id, firing.day
    return (firing.subject.id if firing.subject is not None else None), firing.day


def changes_in(ruleset: RuleSet, replay: Replay | None, paragraph: str, on: date | None,
               read: dict[str, tuple[Any, int | None]] | None = None) -> list[Amended]:
    """The parameters of `paragraph` whose value differs from the signed text, on `on`.

    `read` gives, for some parameters, the value (and its source) a decision actually used; those win
    over the value on `on`.
    """
    found = []
    for name, parameter in ruleset.parameters.items():
        if parameter.paragraph != paragraph or not parameter.stands_in or replay is None:
            continue
        value, source = (read or {}).get(name) or replay.state.attr(PARAM_KEY, name, on)
        if source is not None:
            by, since = changed_by(replay, source)
            found.append(Amended(name, value, by, since))
        elif value != parameter.default:
            found.append(Amended(name, value, None, None))
    return found


def paragraph_in_force(ruleset: RuleSet, paragraph: str, changes: list[Amended]) -> str:
    """A paragraph's text with its amended parameters in place and marked."""
    text = ruleset.paragraphs[paragraph].text
    for amended in changes:
        parameter: Parameter = ruleset.parameters[amended.parameter]
        if parameter.stands_in in text:  # `mou lint` warns where the words are not in the paragraph
            # every place the words stand ("five (5) years" twice): each states the same value
            text = text.replace(parameter.stands_in, f"{in_words(amended.value)} {amended.mark()}")
    return text


def paragraph_json(ruleset: RuleSet, replay: Replay | None, paragraph: str, on: date | None,
                   read: dict | None = None) -> dict:
    """`{id, text, amended_by}` for an explanation (SCENARIOS.md)."""
    changes = changes_in(ruleset, replay, paragraph, on, read)
    return {"id": paragraph, "text": paragraph_in_force(ruleset, paragraph, changes),
            "amended_by": [c.to_json() for c in changes]}


def whole_text(ruleset: RuleSet, replay: Replay | None, on: date | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The agreement as in force on `on`: (heading, [(paragraph id, text)]) per clause file, in order."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for paragraph in ruleset.paragraphs.values():
        text = paragraph_in_force(ruleset, paragraph.id, changes_in(ruleset, replay, paragraph.id, on))
        sections.setdefault(paragraph.article, []).append((paragraph.id, text))
    result = []
    for article, items in sections.items():
        title = ruleset.titles.get(article, "")
        heading = f"Article {article}: {title}" if re.fullmatch(r"[IVXLC]+", article) else title
        result.append((heading, items))
    return result


def text_document(engine: Any, scenario_path: Any = None, on: Any = None) -> dict:
    """The agreement as in force on a date, as JSON: `{agreement, title, on, scenario, sections}`.

    With no scenario, the signed text; with one, its changes consolidated on `on` (given as text,
    YYYY-MM-DD; default the scenario's `as_of`, else after its last event).
    """
    from ..dates import DateError, parse_date
    from ..errors import Location, MouError

    day = None
    if on is not None:
        try:
            day = parse_date(on)
        except DateError as error:
            raise MouError.at(Location("<command line>"), f"--on: {error}") from None
    replay = None
    scenario = None
    if scenario_path is not None:
        scenario = engine.read(scenario_path)
        replay = engine.replay(scenario)
        day = day or scenario.as_of
    ruleset = engine.ruleset
    sections = [{"heading": heading, "paragraphs": [
        {"id": pid, "text": text, "amended_by": [a.to_json() for a in changes_in(ruleset, replay, pid, day)]}
        for pid, text in items]} for heading, items in whole_text(ruleset, replay, day)]
    record = scenario_decision(ruleset, scenario) if scenario is not None else decision(ruleset)
    return {"decision": record, "agreement": ruleset.agreement, "title": ruleset.title, "on": to_json(day),
            "scenario": scenario.file if scenario is not None else None, "sections": sections}


def text_lines(document: dict, width: int = 100) -> list[str]:
    """The agreement as text: its title, each heading, each paragraph wrapped, changed values marked inline."""
    import textwrap

    when = f"as in force on {document['on']}" if document["on"] else (
        "as in force after the scenario's last event" if document["scenario"] else "as signed")
    lines = [document["title"], f"({when}" + (f"; {document['scenario']})" if document["scenario"] else ")"), ""]
    for section in document["sections"]:
        if section["heading"]:
            lines += [section["heading"], ""]
        for paragraph in section["paragraphs"]:
            number = paragraph["id"].rsplit(".", 1)[-1] if "." in paragraph["id"] else ""
            label = f"{number}. " if re.fullmatch(r"\d+|[ivxlc]+", number) else ""
            if label and re.match(rf"\(?{re.escape(number)}[.)]\s", paragraph["text"]):
                label = ""  # the paragraph quotes its own number: print it once
            lines += textwrap.wrap(label + paragraph["text"], width=max(width, 40), subsequent_indent="   ")
            lines.append("")
    return lines
