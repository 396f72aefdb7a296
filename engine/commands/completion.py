"""Shell completion for the options whose values form a closed set (click's `shell_complete` API).

Stage: commands (the click layer). Imports the clause language's loading and
scenario files' reader, lazily: only while the shell asks for completions.

- `--interpret NAME=VALUE`: the interpretive choices' names, then, after
  `NAME=`, the values the choice takes (its listed values, an enumeration's
  names, true/false);
- `--set PARAM=VALUE`: the parameters' names, then an enumeration's names or
  true/false where the parameter is of such a type;
- `--vary FIELD=VALUES` (`mou sweep`): `interpretation.CHOICE`,
  `parameters.PARAM` and `EVENT.FIELD` for the events of the scenario file
  named on the command line.

The questions of `mou ask` and their arguments (the ids of the scenario's
events) are completed in `questions.py`. A rule set or a scenario that does
not read offers nothing, and prints nothing: the shell is asking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem


def completion_ruleset(ctx: click.Context) -> Any:
    """The rule set of `--clauses` as given so far (else the shipped MoU), or None when it does not compile."""
    root = ctx.find_root()
    if "mou.ruleset" in root.meta:
        return root.meta["mou.ruleset"]
    from ..errors import MouError
    from ..language.corpus import shipped_clauses
    from ..language.loading import load_ruleset

    clauses = None
    for context in (ctx, *_parents(ctx)):
        clauses = clauses or context.params.get("clauses") or context.meta.get("mou.clauses")
    try:
        ruleset = load_ruleset(Path(clauses) if clauses else shipped_clauses())
    except (MouError, OSError):
        ruleset = None
    root.meta["mou.ruleset"] = ruleset
    return ruleset


def _parents(ctx: click.Context) -> list[click.Context]:
    found, parent = [], ctx.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def values_of(kind_type: Any, listed: Any = ()) -> list[str]:
    """The words a value of this type may be written as, where they form a closed set."""
    if listed:
        return [_word(value) for value in listed]
    if kind_type.kind == "enum":
        return list(kind_type.values)
    if kind_type.kind == "bool":
        return ["true", "false"]
    return []


def _word(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _name_then_value(incomplete: str, names: dict[str, list[str]]) -> list[CompletionItem]:
    """`NAME=` for the names that start with what is typed; after `NAME=`, `NAME=VALUE` for its values."""
    name, equals, value = incomplete.partition("=")
    if equals:
        return [CompletionItem(f"{name}={word}") for word in names.get(name, []) if word.startswith(value)]
    return [CompletionItem(f"{candidate}=", help=None) for candidate in names if candidate.startswith(name)]


def complete_interpret(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`--interpret`: choice names, then their values."""
    ruleset = completion_ruleset(ctx)
    if ruleset is None:
        return []
    return _name_then_value(incomplete, {name: values_of(choice.type, choice.values)
                                         for name, choice in ruleset.choices.items()})


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`--set`: parameter names, then their values where they form a closed set."""
    ruleset = completion_ruleset(ctx)
    if ruleset is None:
        return []
    return _name_then_value(incomplete, {name: values_of(parameter.type)
                                         for name, parameter in ruleset.parameters.items()})


def complete_vary(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`--vary`: what a sweep can vary, the events' fields being those of the scenario named."""
    ruleset = completion_ruleset(ctx)
    if ruleset is None:
        return []
    names: dict[str, list[str]] = {}
    for name, choice in ruleset.choices.items():
        names[f"interpretation.{name}"] = [",".join(values_of(choice.type, choice.values))]
    for name, parameter in ruleset.parameters.items():
        names[f"parameters.{name}"] = [",".join(values_of(parameter.type))]
    # While a value is completed, click leaves the positional arguments unparsed, in ctx.args.
    scenario = scenario_for_completion(ctx, ruleset, ctx.params.get("path") or next(iter(ctx.args), None))
    for event in scenario.events if scenario is not None else ():
        if getattr(event, "implied", False):
            continue
        spec = ruleset.event_types.get(event.type)
        names[f"{event.id}.date"] = []
        for field, definition in (spec.fields.items() if spec is not None else ()):
            names[f"{event.id}.{field}"] = [",".join(values_of(definition.type))]
    names = {name: [value for value in values if value] for name, values in names.items()}
    return _name_then_value(incomplete, names)


def scenario_for_completion(ctx: click.Context, ruleset: Any, path: Any) -> Any:
    """The scenario file named so far, read with the rule set, or None when there is none or it does not read."""
    if not path or ruleset is None:
        return None
    from ..errors import MouError
    from ..scenario.reader import ScenarioReader

    try:
        return ScenarioReader(ruleset).read(path)
    except (MouError, OSError):
        return None
