"""Hostile input never hurts: special files, clause directories that reach out, deep clause logic, the terminal.

The bad-input corpus (`tests/bad_inputs/`) holds the mistakes that fit in one
scenario file. These need something else: a FIFO, a device, a directory, a
symbolic link, a generated large file, or a clause directory of their own.
Each test names the defect it covers (issue 11). Commands that could hang on
a FIFO run in a subprocess with a timeout, so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou.cli import main
from mou.errors import MouError
from mou.language import sources
from mou.language.corpus import shipped_clauses
from mou.tools.terminal import UNSAFE, escape_controls

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")
SECONDS = 10


def mou(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m mou ARGS` in a subprocess: (exit code, stdout, stderr), killed after `timeout`."""
    return subprocess.run([sys.executable, "-m", "mou", *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def refused(result, fragment: str) -> None:
    """Exit 2, the fragment in a FILE:LINE:COLUMN diagnostic on stderr, no traceback."""
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert any(fragment in line for line in result.stderr.splitlines()), result.stderr


# -- 6. only regular files -----------------------------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")

COMMANDS = {
    "check": ["check", "{path}"],
    "ask": ["ask", "in_force", "--scenario", "{path}", "--on", "2020-01-01"],
    "whatif": ["whatif", "{path}", "--set", "IX.3.notice_period=3 months"],
    "sweep": ["sweep", "{path}", "--vary", "n1.date=2020-01-01..2020-01-03"],
    "robust": ["robust", "{path}"],
    "test": ["test", "{path}", "--examples", "1", "--property", "IX.3/notice-period-respected"],
}


@needs_fifo
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_named_as_a_scenario_is_refused_without_waiting_for_a_writer(tmp_path, command):
    """Before: `ask`, `whatif`, `sweep` and `robust` hung forever; `check` said "no such file or directory"."""
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    args = [part.format(path=fifo) for part in COMMANDS[command]]
    refused(mou(*args, timeout=60), "is a named pipe (FIFO), not a regular file")


@needs_fifo
def test_a_fifo_inside_a_scenario_directory_is_reported_by_name(tmp_path):
    shutil.copy(SCENARIO, tmp_path / "ok.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    result = mou("check", str(tmp_path), timeout=60)
    refused(result, f"{tmp_path / 'pipe.yaml'}:1:1: {tmp_path / 'pipe.yaml'} is a named pipe (FIFO)")
    assert "ok.yaml" in result.stdout  # the regular file is still checked


@needs_fifo
def test_a_symbolic_link_to_a_fifo_is_refused_too(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "pipe")
    refused(mou("ask", "in_force", "--scenario", str(tmp_path / "link.yaml"), "--on", "2020-01-01"),
            "is a named pipe (FIFO)")


@pytest.mark.parametrize("path, fragment", [("/dev/zero", "is a device"), ("/dev/null", "is a device")])
def test_a_device_named_as_a_scenario_is_refused(path, fragment):
    if not os.path.exists(path):
        pytest.skip(f"no {path} here")
    refused(mou("ask", "in_force", "--scenario", path, "--on", "2020-01-01"), fragment)


def test_a_directory_named_as_the_scenario_of_ask_is_refused(tmp_path):
    refused(mou("ask", "in_force", "--scenario", str(tmp_path), "--on", "2020-01-01"), "is a directory")


def test_a_missing_file_is_still_no_such_file():
    result = CliRunner().invoke(main, ["check", "/nonexistent/scenario.yaml"])
    assert result.exit_code == 2
    assert "/nonexistent/scenario.yaml: no such file or directory" in result.stderr


@needs_fifo
def test_a_file_swapped_for_a_fifo_after_the_look_is_refused_without_blocking(tmp_path, monkeypatch):
    """The race `read_input` guards against: stat says regular, open finds a FIFO (O_NONBLOCK: no wait)."""
    fifo = tmp_path / "swapped.yaml"
    os.mkfifo(fifo)
    regular = os.stat(SCENARIO)
    real_stat = os.stat
    monkeypatch.setattr(sources.os, "stat", lambda path, *a, **k: regular if Path(path) == fifo
                        else real_stat(path, *a, **k))
    start = time.perf_counter()
    with pytest.raises(MouError, match="is a named pipe"):
        sources.read_input(fifo, 1_000_000, "scenario file")
    assert time.perf_counter() - start < SECONDS


def test_a_large_file_is_reported_with_its_real_size(tmp_path):
    """Before: an 11 MB file was "1,000,001 bytes" (the size of what was read, not of the file)."""
    path = tmp_path / "large.yaml"
    with path.open("wb") as handle:
        handle.write(b"scenario: large\n")
        handle.truncate(11_000_000)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:1:1: file is 11,000,000 bytes (10.5 MiB); the limit is 1,000,000 bytes" in result.stderr


# -- 7. clause files are input too ---------------------------------------------------------------------

def clause_copy(tmp_path: Path) -> Path:
    """A copy of the shipped clause files to change."""
    target = tmp_path / "clauses"
    shutil.copytree(shipped_clauses(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_question(clauses: Path, answer: str, definitions: str = "") -> None:
    """Add a question `probe` (answered by `answer` on a date `on`) and definitions to Article IX."""
    article = clauses / "article-9.yaml"
    if definitions:
        edit(article, "definitions:\n", "definitions:\n" + definitions)
    edit(article, "questions:\n", "questions:\n  probe:\n    paragraphs: [IX.1]\n    says: a probe\n"
                                  "    args:\n      \"on\": {type: date}\n    at: \"on\"\n"
                                  f"    answer: {answer}\n")


def check_with(clauses: Path, *options: str, scenario: str = SCENARIO):
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["check", "--clauses", str(clauses), *options, scenario])
    return result, time.perf_counter() - start


def assert_located_refusal(result, seconds: float, fragment: str) -> str:
    assert result.exit_code == 2, f"exit {result.exit_code}\n{result.stderr}"
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    lines = [line for line in result.stderr.splitlines() if fragment in line]
    assert lines, result.stderr
    file, line, column = lines[0].split(": ", 1)[0].rsplit(":", 2)
    assert Path(file).exists() and int(line) >= 1 and int(column) >= 1, lines[0]
    return lines[0]


@pytest.mark.parametrize("answer, fragment", [
    ("not " * 600 + "in_force", "nests more than 64 levels deep"),
    ("if true then " * 100 + "in_force" + " else false" * 100, "nests more than 64 levels deep"),
    ("in_force and " + "1" * 5000 + " > 0", "a number of 5,000 digits is too long"),
    ("in_force and on + 366000 days > on", "'366000 days' is longer than 100 years"),
    ("in_force and on + 99999999999999999999 years > on", "is longer than 100 years"),
], ids=["600-nested-not", "100-nested-if", "5000-digit-literal", "366000-day-literal", "20-digit-year-literal"])
def test_deep_or_huge_clause_expressions_are_located_errors(tmp_path, answer, fragment):
    """Before: a RecursionError traceback (600 `not`), a ValueError traceback (5,000 digits)."""
    clauses = clause_copy(tmp_path)
    with_question(clauses, answer)
    assert_located_refusal(*check_with(clauses), fragment)


def test_parentheses_do_not_nest_the_tree_and_are_accepted(tmp_path):
    clauses = clause_copy(tmp_path)
    with_question(clauses, "(" * 300 + "in_force" + ")" * 300)
    result, _ = check_with(clauses)
    assert result.exit_code == 0, result.stderr


def test_definitions_that_use_each_other_too_deeply_are_a_located_error(tmp_path):
    clauses = clause_copy(tmp_path)
    chain = "".join(f"  chain{i}:\n    says: a link\n    value: {f'chain{i - 1}' if i else 'in_force'}\n"
                    for i in range(200))
    with_question(clauses, "chain199", chain)
    assert_located_refusal(*check_with(clauses), "levels deep")


def test_nested_parameterised_definitions_stay_polynomial(tmp_path):
    """Each level uses the one below twice: 2^30 evaluations without memoising, 31 with it.

    Before: exponential at run time (the command never finished). Explanations
    (`--explain --format json`) are memoised too, with the same facts.
    """
    clauses = clause_copy(tmp_path)
    levels = "  twice0:\n    params: {d: date}\n    says: a level\n    value: d > 2000-01-01\n" + "".join(
        f"  twice{i}:\n    params: {{d: date}}\n    says: a level\n    value: twice{i - 1}(d) and twice{i - 1}(d)\n"
        for i in range(1, 31))
    with_question(clauses, "twice30(on)", levels)
    scenario = tmp_path / "probe.yaml"
    scenario.write_text("scenario: probe\nevents: []\nquestions:\n  - {ask: probe, \"on\": 2020-01-01, expect: true}\n",
                        encoding="utf-8")
    result, seconds = check_with(clauses, "--explain", "--format", "json", scenario=str(scenario))
    assert result.exit_code == 0, result.stderr
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    answer = json.loads(result.stdout)["scenarios"][0]["results"][0]
    assert answer["answer"] is True


@pytest.mark.parametrize("manifest_line, replacement, fragment", [
    ("  - signature.yaml\n", "  - signature.yaml\n  - ../outside/secret.yaml\n", "goes up with '..'"),
    ("  - signature.yaml\n", "  - signature.yaml\n  - {outside}/secret.yaml\n", "is an absolute path"),
    ("signed_text: eco-iom-mou-2009.txt", "signed_text: /etc/passwd", "is an absolute path"),
    ("signed_text: eco-iom-mou-2009.txt", "signed_text: /dev/zero", "is an absolute path"),
    ("signed_text: eco-iom-mou-2009.txt", "signed_text: ../outside/secret.yaml", "goes up with '..'"),
], ids=["file-up", "file-absolute", "signed-text-etc-passwd", "signed-text-dev-zero", "signed-text-up"])
def test_a_manifest_cannot_name_files_outside_its_directory(tmp_path, manifest_line, replacement, fragment):
    """Before: `files: [../../secret.yaml]` printed the secret file's keys; `signed_text: /etc/passwd`
    made `mou lint` print it; `/dev/zero` grew memory until it failed."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("top_secret_key: hunter2\n", encoding="utf-8")
    clauses = clause_copy(tmp_path)
    edit(clauses / "agreement.yaml", manifest_line, replacement.format(outside=outside))
    for command in (["check", "--clauses", str(clauses), SCENARIO], ["lint", str(clauses)]):
        start = time.perf_counter()
        result = CliRunner().invoke(main, command)
        line = assert_located_refusal(result, time.perf_counter() - start, fragment)
        assert line.startswith(f"{clauses / 'agreement.yaml'}:"), line
        output = result.stdout + result.stderr
        assert "top_secret_key" not in output and "hunter2" not in output and "root:" not in output


@pytest.mark.parametrize("target", ["outside-file", "dev-zero", "outside-directory"])
def test_a_symbolic_link_out_of_the_clause_directory_is_refused(tmp_path, target):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("top_secret_key: hunter2\n", encoding="utf-8")
    clauses = clause_copy(tmp_path)
    if target == "outside-file":
        (clauses / "extra.yaml").symlink_to(outside / "secret.yaml")
        edit(clauses / "agreement.yaml", "  - signature.yaml\n", "  - signature.yaml\n  - extra.yaml\n")
    elif target == "dev-zero":
        (clauses / "zero.txt").symlink_to("/dev/zero")
        edit(clauses / "agreement.yaml", "signed_text: eco-iom-mou-2009.txt", "signed_text: zero.txt")
    else:
        (clauses / "more").symlink_to(outside, target_is_directory=True)
        edit(clauses / "agreement.yaml", "  - signature.yaml\n", "  - signature.yaml\n  - more/secret.yaml\n")
    result = CliRunner().invoke(main, ["lint", str(clauses)])
    assert_located_refusal(result, 0, "leads out of the clause directory")
    assert "hunter2" not in result.stdout + result.stderr


@needs_fifo
@pytest.mark.parametrize("what", ["clause-file", "signed-text"])
def test_a_fifo_in_a_clause_manifest_is_refused_without_blocking(tmp_path, what):
    clauses = clause_copy(tmp_path)
    os.mkfifo(clauses / "pipe.yaml")
    if what == "clause-file":
        edit(clauses / "agreement.yaml", "  - signature.yaml\n", "  - signature.yaml\n  - pipe.yaml\n")
    else:
        edit(clauses / "agreement.yaml", "signed_text: eco-iom-mou-2009.txt", "signed_text: pipe.yaml")
    refused(mou("lint", str(clauses), timeout=60), "is a named pipe (FIFO), not a regular file")


# -- 9. the terminal is safe ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("\x1b]0;pwned\x07", "\\u001b]0;pwned\\u0007"),
    ("red \x1b[31mtext\x1b[0m", "red \\u001b[31mtext\\u001b[0m"),
    ("over\rwrite", "over\\u000dwrite"),
    ("csi \x9b2J", "csi \\u009b2J"),
    ("del \x7f", "del \\u007f"),
    ("rtl \u202egpj.exe", "rtl \\u202egpj.exe"),
    ("lines\nand\ttabs", "lines\nand\ttabs"),
    ("ECO, IOM, ЕСО, 𝐄𝐂𝐎, «é»", "ECO, IOM, ЕСО, 𝐄𝐂𝐎, «é»"),
])
def test_escape_controls_shows_control_characters_and_nothing_else(raw, shown):
    assert escape_controls(raw) == shown


ESCAPES = """\
scenario: IOM gives notice in 2020
description: "retitle \\e]0;pwned\\a, clear \\e[2J, CSI \\x9b, DEL \\x7f, return \\r, override \\u202e; tab\\tnewline\\n"
events:
  - {id: n1, type: termination_notice, from: "Turk\\e[2Jey", to: ECO, date: 2020-05-10, received: 2020-05-12,
     form: letter}
questions:
  - {ask: termination_notice_valid, notice: n1, expect: true}
"""


@pytest.mark.parametrize("command", [
    ["check", "--explain", "{path}"], ["check", "--format", "json", "{path}"],
    ["ask", "termination_notice_valid", "--scenario", "{path}", "--notice", "n1", "--full"],
    ["ask", "termination_notice_valid", "--scenario", "{path}", "--notice", "n1", "--format", "json"],
    ["whatif", "{path}", "--interpret", "notice_runs_from=dispatch"], ["robust", "{path}"],
    ["sweep", "{path}", "--vary", "n1.date=2020-05-10,2020-05-11"],
    ["check", "--explain", "{path}", "{path}.missing"],
], ids=["check-text", "check-json", "ask-text", "ask-json", "whatif", "robust", "sweep", "diagnostics"])
def test_no_control_character_from_the_input_reaches_the_terminal(tmp_path, command):
    """Before: YAML escapes such as "\\e]0;…\\a" reached the terminal raw."""
    path = tmp_path / "escapes.yaml"
    path.write_text(ESCAPES, encoding="utf-8")
    result = CliRunner().invoke(main, [part.format(path=path) for part in command])
    assert result.exit_code in (0, 1, 2), result.stderr
    for stream in (result.stdout, result.stderr):
        assert not UNSAFE.search(stream), repr(UNSAFE.search(stream))
    if "json" in command:
        json.loads(result.stdout)  # still valid JSON: the escapes are JSON escapes
    if "check-text" not in command and "Turk" in result.stdout:
        assert "Turk\\u001b[2Jey" in result.stdout  # shown escaped, never stripped to a plausible "Turkey"


def test_json_output_keeps_the_value_exactly(tmp_path):
    """DEL is not escaped by json.dumps; escaped at the edge it is still the same character to a JSON reader."""
    path = tmp_path / "escapes.yaml"
    path.write_text(ESCAPES.replace('"Turk\\e[2Jey"', '"Turk\\x7fey"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["ask", "termination_notice_valid", "--scenario", str(path), "--notice", "n1",
                                       "--format", "json"])
    assert "Turk\\u007fey" in result.stdout and "\x7f" not in result.stdout
    strings, stack = [], [json.loads(result.stdout)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            strings.append(node)
    assert "Turk\x7fey" in strings


def test_the_junit_report_stays_valid_xml_with_control_characters_in_the_input(tmp_path):
    """XML 1.0 cannot hold a raw ESC: the report escapes it as the terminal does."""
    import xml.etree.ElementTree as ET

    path = tmp_path / "escapes.yaml"
    path.write_text(ESCAPES, encoding="utf-8")
    report = tmp_path / "report.xml"
    result = CliRunner().invoke(main, ["test", "--examples", "1", "--property", "IX.3/notice-period-respected",
                                       "--junit-xml", str(report), str(path)])
    assert result.exit_code == 1, result.stderr
    failure = ET.parse(report).getroot().find("testsuite/testcase/failure")
    assert failure is not None and not UNSAFE.search(failure.get("message") + (failure.text or ""))
    assert not UNSAFE.search(report.read_text(encoding="utf-8"))


def test_the_pytest_plugin_reports_a_failure_with_control_characters_escaped(pytester):
    pytester.makefile(".yaml", escapes=ESCAPES)
    result = pytester.runpytest("escapes.yaml")
    assert result.ret == 1  # the question fails (expect true); the properties item passes
    output = result.stdout.str()
    assert "Turk\\u001b[2Jey" in output and "\x1b[2J" not in output
