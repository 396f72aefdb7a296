"""Writing scenarios back as YAML: the inverse of `scenario`.

Stage: scenario files. Imports `model`, `mou.values`, `mou.dates` and the
clause language's `yamlio`.

Used to print counterexamples and generated variants as files a user can
save and run with `mou check`. Output is deterministic, YAML 1.2 and safe for
YAML 1.1 tools too: text that could be read as anything else (`no`, `on`,
`012`, `1:30`, …) is quoted. Events and questions are written one per line in
flow style, as in the examples of SCENARIOS.md.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from ..dates import Duration
from ..language.yamlio import resolve_plain
from ..values import Event, Unknown, to_json
from .model import NOT_GIVEN, Scenario

_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ .\-/()']*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
ORDER = ("scenario", "description", "as_of", "interpretation", "parameters", "events", "questions")


def scenario_data(scenario: Scenario) -> dict:
    """A validated scenario as plain data, as its file would write it (default events left out)."""
    data: dict[str, Any] = {"scenario": scenario.title}
    if scenario.description:
        data["description"] = scenario.description
    if scenario.as_of is not None:
        data["as_of"] = scenario.as_of.isoformat()
    if scenario.interpretation:
        data["interpretation"] = {k: _plain_value(v) for k, v in scenario.interpretation.items()}
    if scenario.parameters:
        data["parameters"] = {k: _plain_value(v) for k, v in scenario.parameters.items()}
    data["events"] = [event_data(event) for event in scenario.events if not event.implied]
    questions = []
    for call in scenario.questions:
        item = {"ask": call.ask, **call.raw_args}
        if call.expect is not NOT_GIVEN:
            item["expect"] = to_json(call.expect)
        questions.append(item)
    data["questions"] = questions
    return data


def event_data(event: Event) -> dict:
    """One event as its scenario file writes it (unknown fields left out)."""
    item: dict[str, Any] = {"id": event.id, "type": event.type, "date": event.date.isoformat()}
    for name, value in event.fields.items():
        if isinstance(value, Unknown) or value is None or name in event.copied:
            continue  # left out: unknown, none (the default), or a copy of another field
        item[name] = _plain_value(value)
    return item


def _plain_value(value: Any) -> Any:
    if isinstance(value, Event):
        return value.id
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    return value


def to_yaml(data: dict) -> str:
    """Scenario data as YAML text (top-level keys in the usual order)."""
    lines: list[str] = []
    keys = [k for k in ORDER if k in data] + [k for k in data if k not in ORDER]
    for key in keys:
        value = data[key]
        if key in ("events", "questions"):
            lines.append(f"{key}:" + (" []" if not value else ""))
            lines.extend(f"  - {_flow(item)}" for item in value)
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {_scalar(k)}: {_flow(v)}" for k, v in value.items())
        else:
            lines.append(f"{key}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if (_PLAIN.fullmatch(text) and resolve_plain(text) == text and text.lower() not in _YAML11_WORDS
            and text == text.strip() and not re.fullmatch(r"[-+]?[0-9][0-9_:.]*([eE][-+]?[0-9]+)?", text)
            and " #" not in text):
        return text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return json.dumps(text, ensure_ascii=False)
