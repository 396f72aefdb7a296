"""How a `mou` command ends: its exit code, failed output, broken pipes and Ctrl-C.

Stage: tools. Imports `mou.errors`. The click layer (`cli.py`) runs every
command through `finish`, writes its results through `writing` (standard
output) and `outputs.atomic_output` (`-o` files), and prints `EXIT_CODES` in
its help.

Each way a command can end has its own exit code, so that a CI pipeline can
tell them apart:

- a located input error (`MouError`) is 2, with `FILE:LINE:COLUMN: message`;
- a clause rule that failed (`RuleError`) is 3, with the rule's place in its
  clause file, and no answer is printed;
- results that cannot be written (a full disk, an unwritable `-o` path) are 4,
  with one line saying what could not be written and why;
- a closed pipe (`mou check … | head`) ends quietly with 141, as a shell
  reports a process ended by SIGPIPE;
- Ctrl-C ends with 130 (128 + SIGINT), without a traceback; SIGTERM with 143.

An `-o` file is written under a temporary name beside it and renamed when
complete, so an interrupted or failed run never leaves a file that looks
finished (`outputs`).
"""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from typing import IO, Any, Callable, Iterable, Iterator

from .. import jsontext
from ..errors import Diagnostic, MouError, RuleError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE
EXIT_TERMINATED = 143  # 128 + SIGTERM

EXIT_CODES = """\b
Exit codes:
  0    every expectation holds
  1    some `expect` does not hold
  2    invalid input (FILE:LINE:COLUMN: message on stderr)
  3    internal error: a clause rule failed (its FILE:LINE:COLUMN on stderr), or a bug
  4    the results could not be written (disk full, -o path not writable)
  130  interrupted (Ctrl-C)
  141  the reader of the output went away (a closed pipe, e.g. `| head`)
  143  terminated (SIGTERM)"""
"""The table `mou --help` and each command's help end with (the README has the same)."""


class OutputError(Exception):
    """Results could not be written: exit 4, with one line naming what and why."""

    def __init__(self, target: str, error: OSError):
        self.target = target
        reason = error.strerror or str(error)
        super().__init__(f"cannot write {target}: {reason}")


@contextmanager
def writing(target: str) -> Iterator[None]:
    """Writes inside this block go to `target`; a failed one is an `OutputError` (a closed pipe stays one)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(target, error) from None


class GuardedWriter:
    """A stream whose failed writes are `OutputError`s naming it (for `csv.writer`, `ElementTree.write`)."""

    def __init__(self, stream: IO, target: str):
        self.stream = stream
        self.target = target

    def write(self, text: Any) -> int:
        """Write `text` (or bytes, to a binary stream); OutputError if it cannot be written."""
        with writing(self.target):
            return self.stream.write(text)

    def flush(self) -> None:
        """Flush; OutputError if what was written cannot reach its target."""
        with writing(self.target):
            self.stream.flush()


class ClosedStdout(io.TextIOBase):
    """Standard output when the shell closed it (`mou check … >&-`): each write is an `OutputError`
    (exit 4, one line on stderr), never an AttributeError on None."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: Any) -> int:  # type: ignore[override]
        if not text:
            return 0
        raise OutputError("standard output", OSError(9, "it is closed"))

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        pass  # nothing was written

    @property
    def buffer(self) -> "ClosedStdout":
        return self


def closed_streams() -> None:
    """Give a closed standard output or error (`>&-`, `2>&-`) a stand-in, before anything is opened.

    Their descriptors are pointed at the null device, so that no file opened
    later (an `-o` file, the cache) takes descriptor 1 or 2 and receives what
    was meant for the terminal. A closed stdout is `ClosedStdout`: results
    written to it end with exit 4. A closed stderr swallows diagnostics, but
    never changes the exit code.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                if devnull != fd:
                    os.dup2(devnull, fd)
                    os.close(devnull)
            except OSError:
                pass
    if sys.stderr is None:
        try:
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        except OSError:
            sys.stderr = io.StringIO()
    if sys.stdout is None:
        sys.stdout = ClosedStdout()


def finish(run: Callable[[], int], fmt: str = "text") -> int:
    """Run a command and say how it ended: its own code, or one of those in the module docstring."""
    try:
        return run()
    except ENDINGS as error:
        return ended(error, fmt)
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, reported as such
        if _TERMINATED:  # a library turned the SIGTERM exit into an error of its own (hypothesis does)
            return EXIT_TERMINATED
        traceback.print_exc(file=sys.stderr)
        _stderr(f"mou: internal error (exit {EXIT_INTERNAL}). Please report it with the input that caused it.")
        return EXIT_INTERNAL


def ended(error: BaseException, fmt: str = "text") -> int:
    """Report one of the `ENDINGS` as the module docstring says, and give its exit code."""
    try:
        if isinstance(error, MouError):
            print_diagnostics(error.diagnostics)
            if fmt == "json":
                _json({"diagnostics": [d.to_json() for d in sorted(set(error.diagnostics))]})
            return EXIT_INVALID
        if isinstance(error, RuleError):
            report_rule_error(error)
            if fmt == "json":
                _json({"diagnostics": [error.to_json()]})
            return EXIT_INTERNAL
    except (OutputError, BrokenPipeError) as failed:  # even the report could not be written
        return ended(failed)
    if isinstance(error, OutputError):
        _silence_stdout()
        _stderr(f"mou: {error} (exit {EXIT_OUTPUT})")
        return EXIT_OUTPUT
    if isinstance(error, BrokenPipeError):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    _stderr("mou: interrupted")
    return EXIT_INTERRUPTED


ENDINGS = (MouError, RuleError, OutputError, BrokenPipeError, KeyboardInterrupt)
"""The ways a command ends other than by finishing, each with its exit code."""


@contextmanager
def terminable() -> Iterator[None]:
    """While a command runs, SIGTERM and Ctrl-C end it, whatever it is doing; the handlers return afterwards.

    SIGTERM (`kill`, a CI job's timeout) ends it with 143 (128 + SIGTERM), as
    an exit that unwinds like any other, so a half-written `-o` file is
    removed rather than left behind. A Ctrl-C whose KeyboardInterrupt lands
    in a garbage-collector callback (hypothesis installs one) would be
    swallowed by Python ("Exception ignored in ..."): the signal is sent
    again, as is a SIGTERM's exit swallowed there.
    """
    hook = sys.unraisablehook
    waiting: list[int] = []  # a signal to send again, not sent yet

    def send_again(signum: int) -> None:
        waiting.clear()  # before sending: the signal sent again can be swallowed too, and is then sent again
        os.kill(os.getpid(), signum)

    def unraisable(info: Any) -> None:
        swallowed = (signal.SIGINT if isinstance(info.exc_value, KeyboardInterrupt)
                     else signal.SIGTERM if isinstance(info.exc_value, SystemExit) and _TERMINATED else None)
        if swallowed is not None:  # the signal again, from outside this callback
            if not waiting:
                waiting.append(swallowed)
                again = threading.Timer(0.01, send_again, (swallowed,))
                again.daemon = True
                again.start()
            return
        hook(info)

    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: signals are not ours to handle
        previous = None
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = hook
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def quiet_interrupts() -> None:
    """A Ctrl-C that comes while the command is still loading ends quietly too (the shell sees 130)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, trace: Any) -> None:
        if issubclass(kind, KeyboardInterrupt):
            _stderr("mou: interrupted")
            return  # Python then ends the process by SIGINT, which a shell reports as 130
        previous(kind, value, trace)

    sys.excepthook = hook


_TERMINATED: list[int] = []
"""The SIGTERMs received: once one is, whatever the command raises next is how the SIGTERM ends it."""


def _terminated(signum: int, frame: Any) -> None:
    _TERMINATED.append(signum)
    raise SystemExit(EXIT_TERMINATED)


def report_rule_error(error: RuleError) -> None:
    """The failed rule at its FILE:LINE:COLUMN, what it was evaluating, and that no answer follows."""
    _stderr(str(error))
    for note in getattr(error, "__notes__", ()):
        _stderr("\n".join(f"  {line}" for line in note.splitlines()))
    _stderr(f"mou: internal error (exit {EXIT_INTERNAL}): a clause rule failed while running, so no answer "
            "is given. Please report it with the input.")


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """Each located problem on stderr, sorted by place."""
    for diagnostic in sorted(set(diagnostics)):
        _stderr(str(diagnostic))


def _json(document: dict) -> None:
    with writing("standard output"):
        sys.stdout.write(jsontext.dumps(document) + "\n")
        sys.stdout.flush()


def _stderr(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except OSError:
        pass  # nowhere left to say it; the exit code still does


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered cannot fail again at exit."""
    if isinstance(sys.stdout, ClosedStdout):
        return  # descriptor 1 is the null device already
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing will be flushed to a device
