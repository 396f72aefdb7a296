"""Help texts under `--clauses`: their examples drawn from the agreement loaded, not from the shipped MoU.

Stage: cli. Imports `mou.dates` and `mou.values`; the clause files are loaded
(`mou.language.loading`) only when a help text is printed with `--clauses`.

The commands' help texts are written once, with the shipped MoU's examples
(`--set IX.3.notice_period='3 months'`, `scenarios/ix3-notice-valid.yaml`).
Asked for help with `--clauses DIR`, a command prints them with the names of
that agreement instead: one of its parameters and a value, one of its
interpretive choices, one of its questions, a scenario file of the directory,
and `--clauses DIR` in every example line (`Examples`). Commands get it by
`localize`, which gives their class the `Localized` behaviour; the question
commands of `mou ask` are made so (`commands.questions`).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click

CLAUSES_META = "mou.clauses"  # where a command's context keeps the `--clauses` of its arguments


def clauses_in(args: list[str]) -> str | None:
    """The value of a `--clauses` among the arguments (the last one given), before click has parsed them."""
    found = None
    for index, item in enumerate(args):
        if item == "--clauses" and index + 1 < len(args):
            found = args[index + 1]
        elif item.startswith("--clauses="):
            found = item.partition("=")[2]
    return found


class Examples:
    """The words of one agreement that replace the shipped MoU's in help texts."""

    def __init__(self, ruleset: Any, directory: str):
        self.ruleset = ruleset
        self.directory = directory
        root = Path(directory)
        scenarios = sorted((root / "scenarios").glob("*.yaml")) if (root / "scenarios").is_dir() else []
        agenda = sorted((root / "agenda").glob("*.yaml")) if (root / "agenda").is_dir() else []
        self.scenario = str(scenarios[0]) if scenarios else "FILE"
        self.agenda = str(agenda[0]) if agenda else self.scenario
        self.scenarios = str(root / "scenarios") + "/" if scenarios else "DIR/"
        self.parameter = next(iter(ruleset.parameters.values()), None)
        self.choice = next((c for c in ruleset.choices.values() if c.values), None)

    def parameter_example(self, count: int) -> str:
        """`NAME='VALUE'` (or `NAME='V1,V2,…'` for `count` values) with one of the agreement's parameters."""
        if self.parameter is None:
            return "PARAM=" + ",".join(["VALUE"] * count)
        values = _values(self.parameter.default)
        chosen = values[:1] if count == 1 else values[:count]
        return f"{self.parameter.name}='{','.join(chosen)}'"

    def choice_example(self, count: int) -> str:
        """`NAME=VALUE` (or `NAME=V1,V2`) with one of the agreement's interpretive choices."""
        if self.choice is None:
            return "NAME=" + ",".join(["VALUE"] * count)
        values = [v for v in self.choice.values if v != self.choice.default] + [self.choice.default]
        shown = values[:1] if count == 1 else values[:count]
        return f"{self.choice.name}={','.join(_word(v) for v in shown)}"

    def ask_lines(self) -> list[str]:
        """`mou ask` example lines: a question about a date, and one about an event, if the agreement has them."""
        lines = []
        dated = next((q for q in self.ruleset.questions.values() if [a.name for a in q.args] == ["on"]), None)
        if dated is not None:
            lines.append(f"mou ask {dated.name} --clauses {self._dir()} --scenario {self.scenario} --on 2030-01-01")
        plain = next((q for q in self.ruleset.questions.values() if not q.args), None)
        if plain is not None:
            lines.append(f"mou ask {plain.name} --clauses {self._dir()} --scenario {self.scenario} --format json")
        return lines

    def _dir(self) -> str:
        return shlex.quote(self.directory)

    def apply(self, text: str) -> str:
        """`text` with the shipped MoU's examples replaced by this agreement's."""
        if self.choice is None:
            text = re.sub(r",\s+e\.g\.\s+notice_runs_from=\S+", " (this agreement has none)", text)
        text = re.sub(r"IX\.3\.notice_period='([^']*)'",
                      lambda m: self.parameter_example(m.group(1).count(",") + 1), text)
        text = re.sub(r"notice_runs_from=([a-z_]+(?:,[a-z_]+)*)",
                      lambda m: self.choice_example(m.group(1).count(",") + 1), text)
        text = text.replace("--name IX.3.notice_period",
                            f"--name {self.parameter.name}" if self.parameter is not None else "--name PARAM")
        text = text.replace("scenarios/agenda-desk-december-2026.yaml", self.agenda)
        text = re.sub(r"scenarios/[\w.-]+\.yaml", lambda m: self.scenario, text)
        text = re.sub(r"(?<![\w/])scenarios/(?=\s|$)", lambda m: self.scenarios, text)
        text = text.replace("n1.received", "EVENT.FIELD")
        return text

    def epilog(self, text: str) -> str:
        """An epilog with its examples localized: `--clauses DIR` in each `mou` line, the MoU's own lines of
        `mou ask` replaced, and no note about the shipped scenarios."""
        head, marker, rest = text.partition("\b\nExample:\n")
        if not marker:
            return self.apply(text)
        lines = []
        asked = False
        for line in rest.split("\n"):
            stripped = line.strip()
            if stripped.startswith("mou ask "):
                if not asked:
                    lines += [f"  {example}" for example in self.ask_lines()]  # written for this agreement
                    asked = True
                continue
            if self.choice is None and "notice_runs_from" in stripped:
                continue  # an agreement with no interpretive choices: no example of one
            if stripped.startswith("mou ") and "--clauses" not in stripped:
                verb, _, tail = stripped[4:].partition(" ")
                line = f"  mou {verb} --clauses {self._dir()}" + (f" {tail}" if tail else "")
                line = line.replace("&& mou check ", f"&& mou check --clauses {self._dir()} ")
            elif stripped.startswith("\b") or stripped.startswith("The files under scenarios/"):
                break  # the note about the shipped scenarios, which this agreement does not use
            lines.append(self.apply(line))
        return self.apply(head) + marker + "\n".join(lines).rstrip()


def _values(default: Any) -> list[str]:
    """Example values of a parameter: another than its default first, then the default and a larger one."""
    from ..dates import Duration
    from ..values import to_json

    if isinstance(default, Duration):
        count, unit = default.count, default.unit
        return [f"{max(1, count // 2)} {_unit(unit, max(1, count // 2))}", f"{count} {_unit(unit, count)}",
                f"{count * 2} {_unit(unit, count * 2)}"]
    if isinstance(default, int) and not isinstance(default, bool):
        return [str(max(1, default // 2)), str(default), str(default * 2)]
    return [str(to_json(default))] * 3


def _unit(unit: str, count: int) -> str:
    return unit if count != 1 else unit.rstrip("s")


def _word(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _examples(ctx: click.Context) -> Examples | None:
    """The examples of the `--clauses` given on this command line, or None (no `--clauses`, or it does not load)."""
    directory = ctx.meta.get(CLAUSES_META)
    if not directory:
        return None
    if "mou.examples" not in ctx.meta:
        from ..errors import MouError
        from ..language.loading import load_ruleset

        try:
            ctx.meta["mou.examples"] = Examples(load_ruleset(Path(directory)), directory)
        except MouError:
            ctx.meta["mou.examples"] = None  # the command itself says what is wrong with them
    return ctx.meta["mou.examples"]


class Localized:
    """A click command (or group) whose help, under `--clauses`, gives the examples of those clauses."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = clauses_in(args)
        if given:
            ctx.meta[CLAUSES_META] = given  # before --help, which is eager
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        examples = _examples(ctx)
        if examples is None:
            return super().format_help(ctx, formatter)  # type: ignore[misc]
        saved = [(self, "help", self.help), (self, "epilog", self.epilog)]  # type: ignore[attr-defined]
        saved += [(p, "help", p.help) for p in self.params if isinstance(p, click.Option)]  # type: ignore[attr-defined]
        try:
            for owner, name, value in saved:
                if value:
                    setattr(owner, name, examples.epilog(value) if name == "epilog" else examples.apply(value))
            super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            for owner, name, value in saved:
                setattr(owner, name, value)


def localize(command: click.Command) -> click.Command:
    """Give `command` the `Localized` help (once)."""
    cls = type(command)
    if not issubclass(cls, Localized):
        command.__class__ = type(f"Localized{cls.__name__}", (Localized, cls), {})
    return command
