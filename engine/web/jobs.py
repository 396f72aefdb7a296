"""One request's work, done as the matching command does it, in a worker process.

Stage: web. Imports the library (api, answers, scenario, tools.report,
tools.calendar); never click, never the file system: a posted scenario is
read from its text, named `<request>` in diagnostics.

Each job takes the worker's `Engine` and the request body (plain JSON) and
returns `(status, payload)`: a JSON document, or an HTML page (a str). The
documents are the ones the commands print with `--format json`, so that
`POST /v1/check` and `mou check --format json` agree.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable

from .. import jsontext
from ..errors import Diagnostic, Location, MouError, RuleError

REQUEST = "<request>"
"""The name a posted scenario has in diagnostics (with the line and column in the posted text)."""
BODY = Location(REQUEST)

Result = tuple[int, Any]


def scenario_text(given: Any) -> str:
    """A posted scenario as YAML text: the text itself, or a JSON object written as JSON (which YAML reads).

    A JSON object keeps its lines in diagnostics: they count in the indented
    JSON text the object is written as.
    """
    if isinstance(given, str):
        return given
    return json.dumps(given, indent=2, ensure_ascii=False)


def _read(engine: Any, body: dict) -> Any:
    return engine.loads(scenario_text(body.get("scenario")), REQUEST)


def _words(value: Any) -> str:
    """A JSON value as `--interpret`/`--set` would take it on the command line."""
    return value if isinstance(value, str) else json.dumps(value)


def readings(engine: Any, body: dict) -> tuple[dict, dict]:
    """The body's `interpretation` and `parameters`, read and checked as `--interpret` and `--set` are."""
    from ..scenario.command_line import overrides

    try:
        return overrides(engine.reader, [f"{k}={_words(v)}" for k, v in (body.get("interpretation") or {}).items()],
                         [f"{k}={_words(v)}" for k, v in (body.get("parameters") or {}).items()])
    except MouError as error:
        raise _in_request(error) from None


def _in_request(error: MouError) -> MouError:
    """The command line's diagnostics said of the request instead (`--interpret` is `interpretation` here)."""
    return MouError([Diagnostic(BODY if d.location.file == "<command line>" else d.location,
                                d.message.replace("--interpret", "interpretation").replace("--set", "parameters"),
                                d.severity) for d in error.diagnostics])


def check(engine: Any, body: dict) -> Result:
    """`mou check --format json` of the posted scenario (`explain: false`: `--no-explanations`;
    `explain_all: true`: `--explain`)."""
    from ..answers.output import CHECK_VERSION, check_document

    choices, parameters = readings(engine, body)
    scenario = _read(engine, body)
    result = engine.check(scenario, choices, parameters, explain=body.get("explain", True), properties=True)
    document = check_document([result], [], engine.decision(choices, parameters), bool(body.get("explain_all")))
    return 200, {"schema_version": CHECK_VERSION, **document}


def ask(engine: Any, body: dict) -> Result:
    """`mou ask QUESTION --format json` on the posted scenario."""
    from ..answers.explain import explanation
    from ..answers.output import ask_document
    from ..answers.record import scenario_decision
    from ..scenario.command_line import command_line_question

    choices, parameters = readings(engine, body)
    scenario = _read(engine, body)
    values = {name: _words(value) for name, value in (body.get("args") or {}).items() if value is not None}
    try:
        call = command_line_question(engine.reader, scenario, body.get("ask", ""), values)
    except MouError as error:
        raise _in_request(error) from None
    explain = body.get("explain", True)
    case = engine.case(scenario, choices, parameters, explain=explain, asking=[call])
    found, resolution = case.answer(call)
    return 200, ask_document(scenario_decision(engine.ruleset, scenario, choices, parameters), call.ask,
                             call.raw_args, resolution.value, explanation(case, found, resolution) if explain else None)


def agenda(engine: Any, body: dict) -> Result:
    """`mou agenda --format json` of the posted scenario."""
    from ..answers.agenda import DEFAULT_DAYS, agenda as make
    from ..tools.calendar import TODAY, agenda_day

    choices, parameters = readings(engine, body)
    scenario = _read(engine, body)
    try:
        start = agenda_day(body.get("on"))
    except MouError as error:
        raise _in_request(error) from None
    days = body.get("days", DEFAULT_DAYS)
    document = make(engine.case(scenario, choices, parameters, explain=False),
                    date.today() if start == TODAY else start, days)
    return 200, {"schema_version": jsontext.SCHEMA_VERSION, **document.to_json()}


class _Posted:
    """The engine, with `read` giving the posted scenario: for library functions that take a scenario's path."""

    def __init__(self, engine: Any, scenario: Any):
        self._engine = engine
        self._scenario = scenario

    def read(self, path: Any) -> Any:
        return self._scenario

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def text(engine: Any, body: dict) -> Result:
    """`mou text --format json`: the signed text, or with a scenario its amendments consolidated on `on`."""
    from ..answers.consolidated import text_document

    scenario = _read(engine, body) if body.get("scenario") is not None else None
    try:
        document = text_document(_Posted(engine, scenario), REQUEST if scenario is not None else None,
                                 body.get("on"))
    except MouError as error:
        raise _in_request(error) from None
    return 200, document


def report(engine: Any, body: dict) -> Result:
    """`mou report`: the page of the posted scenario, as HTML."""
    from ..tools.report import parse_day, report_text

    choices, parameters = readings(engine, body)
    scenario = _read(engine, body)
    try:
        day = parse_day(body.get("date"))
    except MouError as error:
        raise _in_request(error) from None
    return 200, report_text(engine, scenario, "html", choices, parameters, day)


def whatif(engine: Any, body: dict) -> Result:
    """`mou whatif --format json`: each question as written and under the body's choices and parameters."""
    from ..answers.analysis import whatif as compare
    from ..answers.record import scenario_decision

    choices, parameters = readings(engine, body)
    if not choices and not parameters:
        raise MouError.at(BODY, "give at least one choice in `interpretation` or value in `parameters` "
                                "to compare with, e.g. {\"interpretation\": {\"NAME\": \"VALUE\"}}")
    scenario = _read(engine, body)
    results = compare(engine, scenario, choices, parameters)
    records = [scenario_decision(engine.ruleset, scenario, *given) for given in ((), (choices, parameters))]
    return 200, {"decision": records[0], "variant": {"decision": records[1]},
                 "results": [r.to_json() for r in results]}


def robust(engine: Any, body: dict) -> Result:
    """`mou robust --format json`: every question under every reading (`ranges` as `--range`)."""
    from ..answers.analysis import answer_table, readings as varied, robust as analyse
    from ..answers.record import scenario_decision
    from ..scenario.command_line import command_line_ranges

    scenario = _read(engine, body)
    try:
        named = command_line_ranges(engine.reader, [f"{name}={','.join(map(_words, values))}"
                                                    for name, values in (body.get("ranges") or {}).items()])
    except MouError as error:
        raise _in_request(error) from None
    table = answer_table(engine, scenario, named)
    results = analyse(engine, scenario, table=table)
    record = scenario_decision(engine.ruleset, scenario)
    return 200, {"decision": {**record, "varied": [name for name, _ in varied(engine.ruleset, named)]},
                 "readings": len(table.combos), "results": [r.to_json() for r in results]}


def validate(engine: Any, body: dict) -> Result:
    """The posted scenario read and checked, nothing evaluated: no diagnostics, and the document as data.

    `document` is what the YAML holds, as JSON (the page fills its form from it).
    """
    from ..language.yamlio import load_yaml

    text_ = scenario_text(body.get("scenario"))
    scenario = engine.loads(text_, REQUEST)
    data = load_yaml(text_, REQUEST).data
    return 200, {"valid": True, "diagnostics": [], "title": scenario.title,
                 "document": json.loads(json.dumps(data, default=str))}


JOBS: dict[str, Callable[[Any, dict], Result]] = {
    "check": check, "ask": ask, "agenda": agenda, "text": text, "report": report, "whatif": whatif,
    "robust": robust, "validate": validate}


def run(engine: Any, name: str, body: dict, jobs: dict[str, Callable[[Any, dict], Result]] = JOBS) -> Result:
    """Run one job: its result, or 422 with the diagnostics, or 500 with a failed rule's location."""
    from .. import collector

    try:
        with collector.paused():
            return jobs[name](engine, body)
    except MouError as error:
        return 422, {"diagnostics": [d.to_json() for d in sorted(set(error.diagnostics))]}
    except RuleError as error:
        return 500, {"diagnostics": [error.to_json()]}
    except RecursionError:
        return 422, {"diagnostics": [Diagnostic(BODY, "the scenario is nested too deeply to read").to_json()]}
