"""The README and the documentation tell the truth: their console examples are real runs, and their options exist.

- Every ```console block of README.md and of every page under docs/ is run:
  each `$ command` in one bash (so a block can set a variable and use it),
  from the repository's root, 100 columns wide, stdout and stderr together as a terminal shows them. The output must be
  what the block shows. `…` in an expected line stands for any text, and a
  line that is only `…` for any number of lines: that is how an example
  leaves out what does not matter to it. Regenerate the blocks that leave
  nothing out with `MOU_README=update python -m pytest tests/test_readme.py`
  (then read the diff: the pages are for people). So an example whose output
  another change rewords (an explanation) is regenerated, never copied by hand,
  and this test fails while it is stale.
- Every `mou …` line of a code block names options its command has (as
  `--help` lists them; for `mou ask QUESTION`, the question's own).
- The table of options per command (docs/legal/questions.md) matches the commands.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from mou.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# The pages whose examples run: the README and the documentation site's own pages (the contract's
# copies under docs/contract/ show scenario files and JSON, not console runs).
DOCUMENTS = [README, *sorted(path for path in (ROOT / "docs").rglob("*.md") if "contract" not in path.parts)]
OPTIONS_TABLE = ROOT / "docs" / "legal" / "questions.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SEPARATOR = "\x1emou-readme-example\x1e"


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def blocks(kind: str) -> list[tuple[str, int, str]]:
    """The code blocks of a kind in every document, with the document and the line each starts on."""
    found = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        found += [(name(path), text.count("\n", 0, match.start()) + 1, match.group(2))
                  for match in BLOCK.finditer(text) if match.group(1) == kind]
    return found


def examples(body: str) -> list[tuple[str, list[str]]]:
    """The commands of a console block, each with the lines it shows."""
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif found:
            found[-1][1].append(line)
    return found


def run(commands: list[str]) -> list[list[str]]:
    """Run the commands in one bash, as a reader would type them; the output of each, as lines."""
    script = "".join(f"printf '%s\\n' '{SEPARATOR}'\n{{ {command}\n}} 2>&1\n" for command in commands)
    env = {**os.environ, "COLUMNS": "100", "LINES": "50", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "PYTHONHASHSEED": "0"}
    env.pop("MOU_README", None)
    result = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    outputs = result.stdout.split(SEPARATOR + "\n")[1:]
    return [[line.rstrip() for line in output.splitlines()] for output in outputs]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the lines match, `…` standing for any text and a `…` line for any lines."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line.strip() == "…" else
                      ".*".join(map(re.escape, line.rstrip().split("…"))) + r"\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual), re.DOTALL) is not None


CONSOLE = blocks("console")


@pytest.mark.parametrize("document, start, body", CONSOLE, ids=[f"{doc}:{start}" for doc, start, _ in CONSOLE])
def test_every_console_example_is_what_the_command_prints(document, start, body):
    shown = examples(body)
    assert shown, f"{document}:{start}: a console block with no `$ command`"
    outputs = run([command for command, _ in shown])
    if os.environ.get("MOU_README") == "update" and not any("…" in line for _, lines in shown for line in lines):
        path = ROOT / document
        text = path.read_text(encoding="utf-8")
        fresh = "".join(f"$ {command}\n" + "".join(f"{line}\n" for line in output)
                        for (command, _), output in zip(shown, outputs))
        path.write_text(text.replace(body, fresh, 1), encoding="utf-8")
        return
    for (command, expected), actual in zip(shown, outputs):
        assert matches([line.rstrip() for line in expected], actual), (
            f"{document}:{start}: `{command}` prints:\n" + "\n".join(actual))


def test_the_readme_is_short_and_its_first_screen_has_both_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 15_000, "the README is at most 15 KB: move detail into docs/"
    first = text[:text.index("| exit code |")]
    assert "pip install -e '.[durable,test]' && mou check scenarios/" in first
    assert "python -m pytest -n auto -p no:cacheprovider -q" in first


def commands_in_code() -> list[tuple[str, list[str]]]:
    """Every `mou …` command line of the code blocks, as words, with where it is."""
    found = []
    for kind in ("sh", "console"):
        for document, start, body in blocks(kind):
            for offset, line in enumerate(body.splitlines()):
                if kind == "console" and not line.startswith("$ "):
                    continue  # what a command printed
                line = line[2:] if line.startswith("$ ") else line
                line = line.split("  #", 1)[0]
                for part in re.split(r"&&|\|", line):
                    words = part.split() if "'" not in part and '"' not in part else shlex.split(part, posix=True)
                    if words[:1] == ["mou"] and len(words) > 1:
                        found.append((f"{document}:{start + 1 + offset}", words))
    return found


def options_of(words: list[str]) -> set[str]:
    """The options the command named by `words` (`mou check …`, `mou ask QUESTION …`) takes."""
    context = click.Context(main)
    command = main.get_command(context, words[1])
    assert command is not None, f"no command `mou {words[1]}`"
    names = {name for param in command.params for name in [*param.opts, *param.secondary_opts]}
    if words[1] == "ask":
        question = next((word for word in words[2:] if not word.startswith("-") and word.isidentifier()), None)
        sub = click.Context(command, parent=context)
        if "--clauses" in words:  # another agreement's questions, as `mou ask` reads them
            sub.meta["mou.clauses"] = str(ROOT / words[words.index("--clauses") + 1])
        if question and (asked := command.get_command(sub, question)) is not None:
            names |= {name for param in asked.params for name in [*param.opts, *param.secondary_opts]}
    return names | {"--help", "--version"}


def test_every_option_the_readme_shows_exists():
    lines = commands_in_code()
    assert len(lines) > 10  # the parser finds the README's commands
    for line, words in lines:
        known = options_of(words)
        for word in words[2:]:
            option = word.strip("[]").split("=", 1)[0]
            if option.startswith("--") and option not in ("--...", "--NAME"):
                assert option in known, f"{line}: `mou {words[1]}` has no option {option}"


def test_the_table_of_options_per_command_matches_the_commands():
    text = OPTIONS_TABLE.read_text(encoding="utf-8")
    start = text.index("| command | `--format` |")
    table = text[start:text.index("\n\n", start)].splitlines()
    rows = table[2:]
    header = [cell.strip() for cell in table[0].strip("|").split("|")][1:]
    assert {row.split("|")[1].strip().strip("`").split()[1] for row in rows} == set(main.commands)
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        name = cells[0].strip("`").split()[1]
        command = main.commands[name]
        if name == "ask":
            command = command.get_command(click.Context(command, parent=click.Context(main)), "in_force")
        params = {param.opts[0]: param for param in command.params if param.opts}
        for option, cell in zip(header, cells[1:]):
            first = re.search(r"--[\w-]+", option).group()
            if cell.startswith("—"):
                assert first not in params, f"`mou {name}` has {first}, the table says it has not"
            else:
                assert first in params, f"`mou {name}` has no {first}, the table says it has"
                if first == "--format":
                    assert cell.replace("`", "").split(", ") == list(params[first].type.choices), name
