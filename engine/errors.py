"""Errors with a source location: the one error type a user can cause.

Stage: first. Imports nothing from the engine.

Every problem a user can cause (a bad scenario file, a bad clause file, a bad
command-line value) is a `Diagnostic` with a `Location`; `MouError` carries one
or more of them and is the only exception the CLI catches on purpose. Anything
else that escapes is an internal bug.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column, as editors count them."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{max(self.column, 1)}"

    def shifted(self, lines: int = 0, columns: int = 0) -> "Location":
        """The location `lines` further down (and `columns` further right)."""
        return Location(self.file, self.line + lines, self.column + columns)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in an input, with where it is."""

    location: Location
    message: str
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {prefix}{self.message}"

    def to_json(self) -> dict:
        """The diagnostic as a JSON-ready dict."""
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "message": self.message,
        }


class MouError(Exception):
    """One or more located problems in the input. The CLI reports them and exits 2."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, location: Location, message: str) -> "MouError":
        """A single-problem error."""
        return cls(Diagnostic(location, message))


class EvaluationError(Exception):
    """A clause rule failed while running (a bug in the clause logic or the engine).

    Recorded with the rule that raised it rather than swallowed; the CLI treats
    it as an internal error (exit 3).
    """


class RuleError(EvaluationError):
    """A part of the clause files (a rule, a duty, a question) failed while running, and where it is written.

    Evaluation stops at the first one: nothing computed after a failed rule
    is an answer. The CLI prints `FILE:LINE:COLUMN: rule ID (PARAGRAPH)
    failed on FACT: message` and exits 3.
    """

    def __init__(self, location: Location, kind: str, name: str, paragraph: str, subject: str, message: str):
        self.location = location
        self.kind = kind  # rule | duty | question | event type
        self.name = name
        self.paragraph = paragraph
        self.subject = subject  # the event or the day it was evaluated on
        self.message = message
        cited = f" ({paragraph})" if paragraph else ""
        on = f" on {subject}" if subject else ""
        self.says = f"{kind} {name}{cited} failed{on}: {message}"
        super().__init__(f"{location}: {self.says}")

    def __reduce__(self):
        """Picklable with its notes, so that a sweep's worker process can send it to the parent."""
        return (_rebuild_rule_error, ((self.location, self.kind, self.name, self.paragraph, self.subject,
                                       self.message), tuple(getattr(self, "__notes__", ()))))

    def to_json(self) -> dict:
        """The failure as a JSON-ready dict (the shape of a diagnostic, with what failed)."""
        return {"file": self.location.file, "line": self.location.line, "column": self.location.column,
                "severity": "internal", "message": self.says, "kind": self.kind, "name": self.name,
                "paragraph": self.paragraph, "on": self.subject, "notes": list(getattr(self, "__notes__", ()))}


def _rebuild_rule_error(args: tuple, notes: tuple) -> RuleError:
    error = RuleError(*args)
    for note in notes:
        error.add_note(note)
    return error


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest of `choices`, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
