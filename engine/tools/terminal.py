"""Text on its way to a terminal: control characters from the input are shown escaped.

Stage: tools. Imports nothing from the engine.

A scenario or clause file can hold any character a YAML escape can write:
`"\\e]0;…\\a"` retitles a terminal window, `"\\e[2J"` clears it, a carriage
return or a right-to-left override hides what follows. None of that reaches a
terminal from `mou`: the CLI writes all its text (results, explanations,
diagnostics, help, tracebacks) through `escaped_output`, which shows each
such character as `\\uXXXX`. Newline and tab pass; so does every printable
character in any script. The same escape is valid inside a JSON string and
means the same character there, so JSON output stays valid and exact.
"""

from __future__ import annotations

import io
import re
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and newline, DEL, C1 controls, and the marks and overrides that reorder text."""


def escape_controls(text: str) -> str:
    """`text` with every character of `UNSAFE` written as `\\uXXXX` (`"\\x1b]0;x\\x07"` → `\\u001b]0;x\\u0007`)."""
    return UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class EscapingWriter(io.TextIOBase):
    """A text stream that writes to another with control characters escaped (see `escape_controls`)."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self.unescaped = stream

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):  # a text stream: click probes with b"" to tell text from binary
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.unescaped.write(escape_controls(text))
        return len(text)

    def flush(self) -> None:
        self.unescaped.flush()

    def isatty(self) -> bool:
        return self.unescaped.isatty()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.unescaped.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.unescaped, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.unescaped, "errors", None)


def unescaped(stream: TextIO) -> TextIO:
    """The stream under an `EscapingWriter` (for the progress bar's own control sequences), else `stream`."""
    return stream.unescaped if isinstance(stream, EscapingWriter) else stream


@contextmanager
def escaped_output() -> Iterator[None]:
    """While inside, `sys.stdout` and `sys.stderr` escape control characters; restored on leaving."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(sys.stdout), EscapingWriter(sys.stderr)
    try:
        yield
    finally:  # EscapingWriter keeps no buffer: every write has reached the stream under it
        sys.stdout, sys.stderr = saved
