"""Output paths and standard streams that never lose data (issue 33), run as real processes.

- `-o`, `--html` and `--junit-xml` refuse a path that is one of the command's
  inputs (also through a symbolic or hard link) or in the clause directory:
  exit 4, one line, the input untouched;
- a symbolic link to a descriptor (`/dev/stdout`) is written through, never
  replaced by a regular file; `/dev/null` and FIFOs are written in place;
- `-` is standard output; a replaced file keeps its mode; the temporary files
  of killed writers are removed;
- a closed stdout is exit 4 with one line; a closed stderr never changes the
  exit code; a file that did not read prints nothing on stdout.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mou.tools.command import OutputError
from mou.tools.outputs import atomic_output

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "scenarios" / "ix3-notice-valid.yaml"
VARY = ["--vary", "n1.received=2020-01-01..2020-01-03"]


def mou(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mou", *map(str, args)], capture_output=True, text=True,
                          timeout=300, **options)


def shell(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)


@pytest.fixture
def scenario(tmp_path) -> Path:
    copy = tmp_path / "s.yaml"
    copy.write_bytes(NOTICE.read_bytes())
    return copy


def commands(scenario: Path, target: Path) -> dict[str, list]:
    return {"report": ["report", scenario, "-o", target],
            "agenda": ["agenda", scenario, "-o", target],
            "sweep": ["sweep", scenario, *VARY, "-o", target],
            "sweep-html": ["sweep", scenario, *VARY, "--html", target],
            "robust-html": ["robust", scenario, "--html", target],
            "test-junit": ["test", scenario, "--examples", "1", "--junit-xml", target]}


@pytest.mark.parametrize("command", ["report", "agenda", "sweep", "sweep-html", "robust-html", "test-junit"])
@pytest.mark.parametrize("how", ["itself", "symlink", "hardlink"])
def test_an_output_naming_an_input_is_refused_and_the_input_kept(scenario, tmp_path, command, how):
    before = scenario.read_bytes()
    target = {"itself": scenario, "symlink": tmp_path / "link.yaml", "hardlink": tmp_path / "hard.yaml"}[how]
    if how == "symlink":
        target.symlink_to(scenario)
    elif how == "hardlink":
        os.link(scenario, target)
    result = mou(*commands(scenario, target)[command])
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith(f"mou: cannot write {target}: it is ") and result.stderr.count("\n") == 1
    assert "which the command reads" in result.stderr
    assert scenario.read_bytes() == before
    assert result.stdout == ""


def test_a_scenario_file_under_a_directory_the_command_reads_is_refused(tmp_path, scenario):
    other = tmp_path / "other.yaml"
    other.write_bytes(NOTICE.read_bytes())
    result = mou("test", tmp_path, "--examples", "1", "--junit-xml", other)
    assert result.returncode == 4 and "a scenario file the command reads" in result.stderr
    assert other.read_bytes() == NOTICE.read_bytes()


def test_a_file_in_the_clause_directory_is_refused(tmp_path, scenario):
    import shutil

    clauses = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", clauses)
    article = clauses / "article-9.yaml"
    before = article.read_bytes()
    result = mou("report", scenario, "--clauses", clauses, "-o", article)
    assert result.returncode == 4 and "in the clause directory" in result.stderr
    assert article.read_bytes() == before


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(OutputError, match="directory"):
        with atomic_output(tmp_path) as out:
            out.write("x")
    assert list(tmp_path.iterdir()) == []


def test_a_link_to_a_descriptor_is_written_through_and_stays_a_link(tmp_path, scenario):
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")  # as /dev/stdout is; run as root, it used to be replaced by a file
    if not os.path.exists("/proc/self/fd/1"):
        pytest.skip("no /proc")
    written = tmp_path / "written.html"
    with open(written, "w") as out:
        result = subprocess.run([sys.executable, "-m", "mou", "report", str(scenario), "-o", str(link)],
                                stdout=out, stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert written.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml", "stdout", "written.html"]


@pytest.mark.parametrize("command", ["report", "agenda", "sweep"])
def test_a_dash_is_standard_output(scenario, tmp_path, command):
    result = mou(*commands(scenario, Path("-"))[command], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout and not (tmp_path / "-").exists()


def test_dev_null_and_a_fifo_are_written_in_place(scenario, tmp_path):
    assert mou("report", scenario, "-o", "/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_bytes()))
    reader.start()
    result = mou("report", scenario, "-o", fifo)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and read[0].startswith(b"<!doctype html>")


def test_a_replaced_file_keeps_its_mode(scenario, tmp_path):
    target = tmp_path / "private.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    assert mou("report", scenario, "-o", target).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text(encoding="utf-8") != "old"


def test_a_link_to_a_file_is_kept_and_the_file_replaced(scenario, tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    assert mou("report", scenario, "-o", link).returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_temporary_files_of_killed_writers_are_removed(scenario, tmp_path):
    dead = tmp_path / f".out.html.{2**22 + 4321}.0badf00d.part"  # its writer is gone
    old = tmp_path / ".out.html.deadbeef.part"  # an old one without a process id
    live = tmp_path / f".out.html.{os.getpid()}.feedf00d.part"  # a writer still running (this test)
    other = tmp_path / ".notes.txt.12.0badf00d.part"  # another file's: not ours to judge
    for file in (dead, old, live, other):
        file.write_text("partial", encoding="utf-8")
    os.utime(old, (1, 1))
    assert mou("report", scenario, "-o", tmp_path / "out.html").returncode == 0
    assert not dead.exists() and not old.exists() and live.exists() and other.exists()


@pytest.mark.parametrize("args", [["check", NOTICE], ["check", "--format", "json", NOTICE], ["agenda", NOTICE],
                                  ["ask", "in_force", "--scenario", NOTICE, "--on", "2020-11-13"]],
                         ids=["check", "check-json", "agenda", "ask"])
def test_a_closed_stdout_is_exit_4_with_one_line(args):
    result = shell(f"{shlex.quote(sys.executable)} -m mou {shlex.join(map(str, args))} >&-")
    assert result.returncode == 4, result.stderr
    assert result.stderr == "mou: cannot write standard output: it is closed (exit 4)\n"


def test_a_closed_stdout_does_not_matter_when_the_results_go_to_a_file(tmp_path):
    result = shell(f"{shlex.quote(sys.executable)} -m mou report {shlex.quote(str(NOTICE))} "
                   f"-o {shlex.quote(str(tmp_path / 'r.html'))} >&-")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("valid, code", [(True, 0), (False, 2)])
def test_a_closed_stderr_never_changes_the_exit_code(tmp_path, valid, code):
    path = NOTICE if valid else tmp_path / "bad.yaml"
    if not valid:
        path.write_text("scenario: [\n", encoding="utf-8")
    result = shell(f"{shlex.quote(sys.executable)} -m mou check {shlex.quote(str(path))} 2>&-")
    assert result.returncode == code
    assert ("passed" in result.stdout) if valid else result.stdout == ""


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_file_that_did_not_read_prints_nothing_on_stdout(tmp_path, fmt):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: [\n", encoding="utf-8")
    result = mou("check", "--format", fmt, bad)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"{bad}:2:1: ")
