"""`mou ask QUESTION`: one subcommand per question of the rule set, its arguments as real options.

Stage: cli. Imports `common`; the rule set is compiled when the questions
are listed or one is asked.

The questions come from the clause files (`--clauses`, else the shipped
MoU), so another agreement's questions show in `mou ask --help` too. Each
argument is a click option with its `says` as help, completion (the ids of
the scenario's events of the right type, an enum's values, the scenario's
dates) and click's "did you mean" for a misspelt option; a misspelt question
gets a suggestion too. Values are checked as a scenario file's would be
(`scenario.command_line`), with the same messages.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from ..errors import suggest
from ..tools.command import EXIT_INVALID, EXIT_OK, finish, print_diagnostics
from .examples import clauses_in, localize
from .common import (DONE_CODES, SHIPPED_NOTE, MouError, dated, echo_json, engine, lean_conflicts, lines,
                     memo_options, override_options, width)

ASK_EXAMPLES = ("\b\nExample:\n  mou ask in_force --scenario scenarios/ix3-notice-valid.yaml --on 2020-11-13\n"
                "  mou ask termination_notice_valid --scenario scenarios/ix3-notice-valid.yaml --notice n1 "
                "--format json\n\n" + SHIPPED_NOTE)
RESERVED = {"scenario", "interpret", "set", "trace", "full", "no-explanations", "format", "backend", "clauses",
            "help"}
"""The options every question has: a question argument may not take one of these names."""


class Questions(click.Group):
    """`mou ask`: its subcommands are the questions of the clause files, read when they are needed."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["mou.clauses"] = clauses_in(args)  # before --help, which lists the questions of those clauses
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        ruleset = _ruleset(ctx)
        return list(ruleset.questions) if ruleset is not None else []

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        ruleset = _ruleset(ctx)
        definition = ruleset.questions.get(name) if ruleset is not None else None
        return None if definition is None else _command(definition)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                           list[str]]:
        name = args[0]
        command = self.get_command(ctx, name)
        if command is None and not ctx.resilient_parsing:
            known = self.list_commands(ctx)
            ctx.fail(f"unknown question {name!r}{suggest(name, known)} (`mou ask --help` lists the questions)")
        return name, command, args[1:]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ruleset = _ruleset(ctx)
        rows = [(" ".join([name, *(_usage(argument) for argument in definition.args)]), definition.says)
                for name, definition in ruleset.questions.items()]
        with formatter.section(f"Questions of the {ruleset.short_name or ruleset.agreement}"):
            formatter.write_dl(rows, col_max=44)


def _ruleset(ctx: click.Context) -> Any:
    """The rule set whose questions these are (compiled once per command; a problem is exit 2).

    While the shell completes a word, clause files that do not compile give
    None: nothing to offer, and nothing printed.
    """
    if "mou.ruleset" not in ctx.meta:
        from ..language.loading import load_ruleset
        from ..language.corpus import shipped_clauses

        clauses = ctx.meta.get("mou.clauses")
        try:
            ctx.meta["mou.ruleset"] = load_ruleset(Path(clauses) if clauses else shipped_clauses())
        except MouError as error:
            if ctx.resilient_parsing:  # completing a word: no questions, and no noise
                ctx.meta["mou.ruleset"] = None
            else:
                print_diagnostics(error.diagnostics)
                ctx.exit(EXIT_INVALID)
    return ctx.meta["mou.ruleset"]


def _usage(argument: Any) -> str:
    text = f"--{argument.name} {_metavar(argument)}"
    return f"[{text}]" if argument.default is not None or argument.type.kind == "date" else text


def _metavar(argument: Any) -> str:
    kind = argument.type.kind
    return {"date": "DATE", "event": "ID", "enum": "NAME", "duration": "PERIOD", "int": "N",
            "bool": "true|false"}.get(kind, kind.upper())


class ArgumentType(click.ParamType):
    """A question argument: taken as written (checked later, like a scenario file's), completed from the scenario."""

    def __init__(self, argument: Any):
        self.argument = argument
        self.name = argument.type_text

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return dated(value) if self.argument.type.kind == "date" and isinstance(value, str) else value

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        kind = self.argument.type.kind
        if kind == "enum":
            words = list(self.argument.type.values)
        else:
            scenario = _scenario_for_completion(ctx)
            if scenario is None:
                return []
            if kind == "event":
                words = [event.id for event in scenario.events
                         if event.type in self.argument.type.events and not event.implied]
            elif kind == "date":
                words = sorted({event.date.isoformat() for event in scenario.events}
                               | ({scenario.as_of.isoformat()} if scenario.as_of else set()))
            else:
                return []
        return [CompletionItem(word) for word in words if word.startswith(incomplete)]


def _scenario_for_completion(ctx: click.Context) -> Any:
    """The scenario named by `--scenario` so far, or None when there is none or it does not read."""
    path = ctx.params.get("scenario_path")
    ruleset = ctx.meta.get("mou.ruleset")
    if not path or ruleset is None:
        return None
    from ..scenario.reader import ScenarioReader

    try:
        return ScenarioReader(ruleset).read(path)
    except MouError:
        return None


def _command(definition: Any) -> click.Command:
    """The subcommand of one question: --scenario, its arguments, and the options every question has."""
    clashes = [argument.name for argument in definition.args if argument.name in RESERVED]
    if clashes:
        raise click.UsageError(f"question {definition.name!r} has an argument --{clashes[0]}, the name of an "
                               f"option every question has; rename it in {definition.location}")

    def callback(scenario_path: Path, interpret: tuple[str, ...], settings: tuple[str, ...], full: bool,
                 trace: bool, lean: bool, fmt: str, backend: str, clauses: Path | None, **given: str | None) -> None:
        values = {argument.name: given[_key(argument)] for argument in definition.args
                  if given.get(_key(argument)) is not None}
        clauses = clauses or click.get_current_context().meta.get("mou.clauses")
        code = finish(lambda: _ask(definition.name, scenario_path, values, full or trace, lean, interpret,
                                   settings, fmt, backend, clauses), fmt)
        sys.exit(code)

    function = memo_options(override_options(callback))
    function = click.option("--full", is_flag=True, hidden=True, help="the same as --trace")(function)
    for argument in reversed(definition.args):
        function = click.option(f"--{argument.name}", _key(argument), type=ArgumentType(argument),
                                metavar=_metavar(argument), help=_help(argument))(function)
    function = click.option("--scenario", "scenario_path", required=True, type=click.Path(path_type=Path),
                            help="the scenario file whose events are used")(function)
    paragraphs = ", ".join(definition.paragraphs)
    doc = (f"{definition.says[:1].upper()}{definition.says[1:]} ({paragraphs}).\n\n"
           "The answer comes with its explanation: the decisive reasons, the text as in force, the choices that "
           "mattered, what would change it. The scenario's own questions are not asked.")
    return localize(click.command(definition.name, help=doc, short_help=definition.says,
                                  epilog=DONE_CODES + "\n\n" + ASK_EXAMPLES)(function))


def _help(argument: Any) -> str:
    """An argument's help: its `says`, else what its type asks for; and what it defaults to."""
    kind = argument.type.kind
    said = argument.says or {
        "date": "the date asked about",
        "event": f"the id of a {' or '.join(argument.type.events or ('',))} event of the scenario",
        "enum": "one of: " + ", ".join(argument.type.values or ()),
    }.get(kind, f"a {argument.type_text}")
    if kind == "date":
        said += " (YYYY-MM-DD or `today`; default: the scenario's as_of)"
    elif argument.default is not None:
        said += " (it has a default)"
    return said


def _key(argument: Any) -> str:
    return "arg_" + argument.name.replace("-", "_")


def _ask(question: str, scenario_path: Path, values: dict[str, str], full: bool, lean: bool,
         interpret: tuple[str, ...], settings: tuple[str, ...], fmt: str, backend: str, clauses: Any) -> int:
    from ..answers.check import horizon_notes
    from ..answers.explain import explanation
    from ..answers.output import answer_lines, ask_document, asked, plain
    from ..answers.record import scenario_decision
    from ..answers.render import question_line, render_markdown, render_text
    from ..scenario.command_line import command_line_question, overrides
    from ..values import to_json

    lean_conflicts(lean, fmt, full)
    with engine(Path(clauses) if clauses else None, backend) as mou:
        choices, parameters = overrides(mou.reader, interpret, settings)
        scenario = mou.read(scenario_path)
        call = command_line_question(mou.reader, scenario, question, values)
        case = mou.case(scenario, choices, parameters, explain=not lean, asking=[call])
        print_diagnostics(horizon_notes(case.base, [call]))  # only where the answer depends on the horizon
        found, resolution = case.answer(call)
        explained = None if lean else explanation(case, found, resolution)
        record = scenario_decision(mou.ruleset, scenario, choices, parameters)
    value = to_json(resolution.value)
    if fmt == "json":
        echo_json(ask_document(record, question, call.raw_args, resolution.value, explained))
    elif fmt == "markdown":
        lines(render_markdown(asked(question, call.raw_args), value, explained))
    elif explained is None:  # answers only, as a script reads them: the question as typed and its value
        lines(answer_lines(f"{asked(question, call.raw_args)}: {plain(value)}", width(), "  "))
    else:  # a person reads it: the question in words and the answer, then why
        lines(question_line(explained, value, asked(question, call.raw_args), width()))
        lines(render_text(explained, indent="  ", width=width(), full=full))
    return EXIT_OK


@click.group(cls=Questions, epilog=DONE_CODES + "\n\n" + ASK_EXAMPLES, no_args_is_help=True,
             subcommand_metavar="QUESTION --scenario FILE [ARGUMENTS] [OPTIONS]")
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="clause directory whose questions to list and ask (default: the shipped MoU)")
def ask(clauses: Path | None) -> None:
    """Ask one QUESTION about a scenario, with the question's arguments as options.

    Arguments are given as --NAME VALUE, e.g. --on 2020-11-13, --notice n1,
    --name IX.3.notice_period; a date argument left out takes the scenario's
    `as_of`. `mou ask QUESTION --help` describes one question and its options.
    """
