"""How `mou` ends when its output fails or it is interrupted: each way with its own exit code.

Run as real processes, since what is tested is the process: its exit status,
its stderr, and the files it leaves behind.

- a full disk (`> /dev/full`) or an unwritable `-o` path: exit 4 and one line;
- a reader that goes away (`| head`): exit 141 and nothing on stderr;
- Ctrl-C, also during `sweep --jobs 2`: exit 130, no traceback from the
  process or its workers, and no `-o` file that looks finished;
- SIGTERM: exit 143, and no `-o` file left behind either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")
MANY = ["--vary", "n1.received=2010-01-01..2030-12-31", "--vary", "interpretation.notice_runs_from=receipt,dispatch",
        "--vary", "interpretation.termination_effect=after_period_end,on_period_end",
        "--vary", "interpretation.short_notice=defer,invalid"]  # 122,720 variants: long enough to interrupt
# (with --no-vector: the vectorized kernels would finish them before the signal arrives)


def mou(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mou", *args], capture_output=True, text=True, timeout=300,
                          **options)


@pytest.mark.parametrize("args", [["check", NOTICE], ["check", "--format", "json", NOTICE],
                                  ["ask", "in_force", "--scenario", NOTICE, "--on", "2020-11-13"],
                                  ["sweep", NOTICE, "--vary", "n1.received=2020-01-01..2020-12-31"]],
                         ids=["check", "check-json", "ask", "sweep"])
def test_a_full_disk_on_stdout_is_exit_4_with_one_line(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "mou", *args], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=300)
    assert result.returncode == 4
    assert result.stderr == "mou: cannot write standard output: No space left on device (exit 4)\n"


def test_a_full_disk_under_o_is_exit_4_with_one_line():
    result = mou("sweep", NOTICE, "--vary", "n1.received=2020-01-01..2020-12-31", "-o", "/dev/full")
    assert result.returncode == 4
    assert result.stderr == "mou: cannot write /dev/full: No space left on device (exit 4)\n"


@pytest.mark.parametrize("where", ["missing-directory/rows.csv", "a-file/rows.csv"])
def test_an_unwritable_o_path_is_exit_4_with_one_line(tmp_path, where):
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    target = tmp_path / where
    result = mou("sweep", NOTICE, "--vary", "n1.received=2020-01-01..2020-01-31", "-o", str(target))
    assert result.returncode == 4
    assert result.stderr.startswith(f"mou: cannot write {target}: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_o_files_appear_only_when_complete(tmp_path):
    target = tmp_path / "rows.csv"
    result = mou("sweep", NOTICE, "--vary", "n1.received=2020-01-01..2020-01-31", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.csv"]  # no temporary file left beside it
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1 + 31


@pytest.mark.parametrize("args", [["check", "--explain", str(ROOT / "scenarios")], ["sweep", NOTICE, *MANY[:2]]],
                         ids=["check", "sweep"])
def test_a_closed_pipe_ends_quietly_with_141(args):
    process = subprocess.Popen([sys.executable, "-m", "mou", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does once it has its line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141
    assert stderr == ""


def interrupt(args: list[str], cwd: Path, ready, signum: int = signal.SIGINT) -> subprocess.CompletedProcess:
    """Run mou in its own process group, and Ctrl-C it (SIGINT to the group, as a terminal does) once `ready()`."""
    process = subprocess.Popen([sys.executable, "-m", "mou", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not ready() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "mou finished before it could be interrupted"
    time.sleep(1.0)  # the workers are busy by now
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)  # to mou alone, as `kill PID` does
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_sweep_is_130_with_no_traceback_and_no_finished_looking_file(tmp_path, jobs):
    target = tmp_path / "rows.csv"
    target.write_text("the rows of an earlier run\n", encoding="utf-8")
    result = interrupt(["sweep", NOTICE, *MANY, "--no-vector", "--jobs", jobs, "-o", str(target)], tmp_path,
                       ready=lambda: any(p.name.startswith(".rows.csv.") for p in tmp_path.iterdir()))
    assert result.returncode == 130
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr, result.stderr
    assert result.stderr == "mou: interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.csv"]  # the temporary file is gone
    assert target.read_text(encoding="utf-8") == "the rows of an earlier run\n"  # and the old file untouched


def test_ctrl_c_during_a_property_search_is_130_with_no_traceback(tmp_path):
    started = time.monotonic()
    result = interrupt(["test", "--examples", "1000000"], tmp_path, ready=lambda: time.monotonic() - started > 1.0)
    assert result.returncode == 130
    assert result.stderr.endswith("mou: interrupted\n") and "Traceback" not in result.stderr


def test_sigterm_during_a_sweep_is_143_and_leaves_no_file(tmp_path):
    target = tmp_path / "rows.csv"
    result = interrupt(["sweep", NOTICE, *MANY, "--no-vector", "--jobs", "2", "-o", str(target)], tmp_path,
                       ready=lambda: any(p.name.startswith(".rows.csv.") for p in tmp_path.iterdir()),
                       signum=signal.SIGTERM)
    assert result.returncode == 143
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_that_a_garbage_collector_callback_swallows_comes_again():
    """Python ignores an exception raised in a gc callback (hypothesis has one), Ctrl-C's included."""
    import gc

    from mou.tools.command import terminable

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            raise KeyboardInterrupt  # as if Ctrl-C had come right here

    with pytest.raises(KeyboardInterrupt):
        with terminable():
            gc.callbacks.append(callback)
            try:
                gc.collect()  # "Exception ignored in: <function callback ...>": swallowed
            finally:
                gc.callbacks.remove(callback)
            time.sleep(10)  # the Ctrl-C comes again, here
