"""Question arguments, choices and parameters given on the command line, checked like a file.

Stage: scenario files. Imports `builder`, `model`, `reader` and the clause
language's `types`, `vocabulary` and `yamlio`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ..errors import Diagnostic, Location, MouError, suggest
from ..language import types as T
from ..language.types import to_value
from ..language.yamlio import resolve_plain
from .builder import fill_defaults
from .model import NOT_GIVEN, QuestionCall, Scenario
from .reader import ScenarioReader

COMMAND_LINE = Location("<command line>")


def command_line_value(reader: ScenarioReader, kind: str, name: str, text: str) -> Any:
    """A `--interpret NAME=VALUE` or `--set PARAM=VALUE` value, read like YAML and checked."""
    table = reader.ruleset.choices if kind == "choice" else reader.ruleset.parameters
    if name not in table:
        what = "interpretive choice" if kind == "choice" else "parameter"
        raise MouError.at(COMMAND_LINE, f"unknown {what} {name!r}{suggest(name, table)}; "
                                        f"known: {', '.join(table)}")
    spec = table[name]
    value = resolve_plain(text)
    if value is None:
        example = spec.default if spec.default is not None else "12 months"
        raise MouError.at(COMMAND_LINE, f"{name}: give a value, e.g. {name}={example}")
    try:
        return to_value(value, spec.type, reader.ruleset.parties)
    except ValueError as error:
        raise MouError.at(COMMAND_LINE, f"{name}: {error}") from None


def command_line_question(reader: ScenarioReader, scenario: Scenario, ask: str,
                          values: dict[str, str]) -> QuestionCall:
    """A question given on the command line (`mou ask`), checked like one in a file."""
    ruleset = reader.ruleset
    if ask not in ruleset.questions:
        raise MouError.at(COMMAND_LINE, f"unknown question {ask!r}{suggest(ask, ruleset.questions)}; "
                                        f"known: {', '.join(ruleset.questions)}")
    definition = ruleset.questions[ask]
    names = [argument.name for argument in definition.args]
    problems = [Diagnostic(COMMAND_LINE, f"{ask} takes no --{key}{suggest(key, names)}"
                                         + (f"; it takes {', '.join('--' + n for n in names)}" if names else ""))
                for key in values if key not in names]
    if problems:
        raise MouError(problems)
    by_id = {event.id: event for event in scenario.events}
    args: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for argument in definition.args:
        text = values.get(argument.name)
        if text is None:
            if argument.type == T.DATE and scenario.as_of is not None:
                args[argument.name], raw[argument.name] = scenario.as_of, scenario.as_of.isoformat()
                continue
            if argument.default is not None:
                continue
            hint = " (or give the scenario an `as_of:` date)" if argument.type == T.DATE else ""
            problems.append(Diagnostic(COMMAND_LINE, f"{ask} needs --{argument.name}{hint}"))
            continue
        if argument.type.kind == "event":
            target = by_id.get(text)
            if target is None or target.type not in argument.type.events:
                ids = [e.id for e in scenario.events if e.type in argument.type.events]
                problems.append(Diagnostic(COMMAND_LINE, f"--{argument.name}: no {' or '.join(argument.type.events)} "
                                                         f"with id {text!r} in {scenario.file}{suggest(text, ids)}"))
                continue
            args[argument.name], raw[argument.name] = target, target.id
            continue
        try:
            value = to_value(resolve_plain(text) if argument.type.kind != "text" else text, argument.type,
                             ruleset.parties)
        except ValueError as error:
            problems.append(Diagnostic(COMMAND_LINE, f"--{argument.name}: {error}"))
            continue
        args[argument.name] = value
        raw[argument.name] = value.isoformat() if isinstance(value, date) else value
    if problems:
        raise MouError(problems)
    fill_defaults(definition, args, raw)
    return QuestionCall(ask, args, raw, NOT_GIVEN, COMMAND_LINE, definition)


def overrides(reader: ScenarioReader, interpret: Iterable[str], settings: Iterable[str]) -> tuple[dict, dict]:
    """`--interpret NAME=VALUE` and `--set PARAM=VALUE`, read and checked: (choices, parameters)."""
    choices: dict[str, Any] = {}
    parameters: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for kind, items, target in (("choice", interpret, choices), ("parameter", settings, parameters)):
        for item in items:
            name, sep, value = item.partition("=")
            if not sep:
                flag = "--interpret" if kind == "choice" else "--set"
                problems.append(Diagnostic(COMMAND_LINE, f"{flag} takes NAME=VALUE, got {item!r}"))
                continue
            try:
                target[name.strip()] = command_line_value(reader, kind, name.strip(), value.strip())
            except MouError as error:
                problems.extend(error.diagnostics)
    if problems:
        raise MouError(problems)
    return choices, parameters


def command_line_ranges(reader: ScenarioReader, items: Iterable[str]) -> dict[str, list[Any]]:
    """`--range NAME=V1,V2,...` of `mou robust`: each choice or parameter with the values to try, checked."""
    named: dict[str, list[Any]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        if not sep:
            raise MouError.at(COMMAND_LINE, f"--range takes NAME=V1,V2,...; got {item!r}")
        name = name.strip()
        kind = "choice" if name in reader.ruleset.choices else "parameter"
        named[name] = [command_line_value(reader, kind, name, value.strip()) for value in values.split(",")]
    return named
