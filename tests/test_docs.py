"""The documentation site documents everything the engine has, and builds.

The reference pages are generated from the rule set and the commands (docs/hooks/reference.py, run by
`mkdocs build`); these tests hold the generator to naming every event type and field, question and
argument, choice and value, parameter, area, command and option, and the clause-language page to
describing every built-in function the compiler registers. The examples of the pages run in
tests/test_readme.py.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import click
import pytest

from mou.api import Engine
from mou.cli import main
from mou.language.functions import FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("mou_docs_reference", DOCS / "hooks" / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages():
    return load_generator().pages()


@pytest.fixture(scope="module")
def ruleset():
    return Engine().ruleset


def test_every_event_type_and_field_is_documented(pages, ruleset):
    page = pages["reference/events.md"]
    for name, event in ruleset.event_types.items():
        section = page[page.index(f"\n## {name}\n"):]
        section = section[:section.find("\n## ", 1)]
        assert f"({event.paragraph})" in section or f"paragraph {event.paragraph})" in section, name
        for field in event.fields.values():
            row = next((line for line in section.splitlines() if line.startswith(f"| `{field.name}` |")), None)
            assert row is not None, f"{name}.{field.name}"
            assert ("required" in row) == field.required, f"{name}.{field.name}: {row}"


def test_every_question_argument_and_answer_is_documented(pages, ruleset):
    page = pages["reference/questions.md"]
    for name, question in ruleset.questions.items():
        section = page[page.index(f"\n## {name}\n"):]
        section = section[:section.find("\n## ", 1)]
        for arg in question.args:
            assert f"| `{arg.name}` |" in section, f"{name}({arg.name})"
        for answer in question.answers:
            if answer not in ("value", "none"):
                assert f"`{answer}`" in section, f"{name}: {answer}"


def test_every_choice_parameter_and_area_is_documented(pages, ruleset):
    for name, choice in ruleset.choices.items():
        page = pages["reference/choices.md"]
        section = page[page.index(f"\n## {name}\n"):]
        assert choice.source in section
        for value in choice.values:
            shown = "true" if value is True else "false" if value is False else str(value)
            assert f"`{shown}`" in section, f"{name}={shown}"
    for name in ruleset.parameters:
        assert f"`{name}`" in pages["reference/parameters.md"]
    for area in ruleset.enums["area"].values:
        assert ruleset.paragraphs[f"V.1.{area}"].text in pages["reference/areas.md"]


def test_every_command_and_option_is_documented(pages):
    page = pages["reference/cli.md"]
    root = click.Context(main)
    for name, command in main.commands.items():
        assert f"\n## mou {name}\n" in page, name
        options = [command]
        if hasattr(command, "list_commands"):
            sub = click.Context(command, parent=root)
            options += [command.get_command(sub, question) for question in command.list_commands(sub)]
        for each in options:
            for param in each.params:
                if isinstance(param, click.Option):
                    assert f"`{param.opts[-1]}`" in page, f"mou {name}: {param.opts}"


def test_every_built_in_function_is_described_with_an_example():
    page = (DOCS / "clauses" / "language.md").read_text(encoding="utf-8")
    table = page[page.index("## Built-in functions"):page.index("## Names in scope")]
    for name in FUNCTIONS:
        row = next((line for line in table.splitlines() if re.match(rf"\| `{name}\(", line)), None)
        if row is None:  # described together with its pair: `max(…)`, `min(…)`; `first(list)`, `last(list)`
            row = next((line for line in table.splitlines() if line.startswith("| `") and f", `{name}(" in line), None)
        assert row is not None, f"the clause language page does not describe {name}()"
        assert row.count("`") >= 4, f"{name}(): no example"
    for name in ("today", "event", "bearer", "act", "on", "agreement", "choice", "parties"):
        assert f"`{name}`" in page[page.index("## Names in scope"):]


def test_no_page_cites_a_document_the_repository_does_not_ship():
    cited = re.compile(r"\b([A-Z][A-Z-]+\.md)\b")
    shipped = {path.name for path in ROOT.rglob("*.md") if ".venv" not in path.parts}
    for path in [ROOT / "README.md", *DOCS.rglob("*.md"), *(ROOT / "scenarios").glob("*.yaml")]:
        for name in cited.findall(path.read_text(encoding="utf-8")):
            assert name in shipped, f"{path.relative_to(ROOT)} cites {name}, which the repository does not ship"
