"""Errors with a source location: the one error type a user can cause.

Stage: first. Imports nothing from the engine (confusable_homoglyphs, lazily, for look-alike names).

Every problem a user can cause (a bad scenario file, a bad clause file, a bad
command-line value) is a `Diagnostic` with a `Location`; `MouError` carries one
or more of them and is the only exception the CLI catches on purpose. Anything
else that escapes is an internal bug.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
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
    """`; did you mean 'x'?` for the closest of `choices`, or ''.

    A Unicode look-alike of a choice (`ЕСО` in Cyrillic letters for `ECO`)
    is named as such: `; did you mean 'ECO'? ('ЕСО' uses Cyrillic letters)`.
    """
    choices = list(choices)
    twin = lookalike(word, choices)
    if twin is not None:
        return f"; did you mean {twin!r}? ({why_lookalike(word, twin)})"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    foreign = foreign_lookalikes(word, choices)
    return hint + (f" ({foreign})" if foreign else "")


def foreign_lookalikes(word: str, choices: Iterable[str] = ()) -> str:
    """A note on the characters of `word` that only look like those the names use (`'IІ.3' has a Cyrillic
    'І' (U+0406), which looks like the Latin 'I'`), or '' (a word in ASCII, or in the names' own scripts)."""
    if not isinstance(word, str) or word.isascii():
        return ""
    scripts = {_script(c) for name in choices if isinstance(name, str) for c in name if c.isalpha()} or {"Latin"}
    notes: list[str] = []
    for c in dict.fromkeys(word):
        if c.isascii():
            continue
        if c not in _visible(c):
            notes.append(f"an invisible U+{ord(c):04X} {unicodedata.name(c, 'character')}")
            continue
        script = _script(c)
        if not c.isalpha() or script in scripts or script in ("Common", "Inherited"):
            continue
        twin = _latin_letter(c)
        if twin is not None:
            notes.append(f"a {script} {c!r} (U+{ord(c):04X}), which looks like the Latin {twin!r}")
    return f"{word!r} has " + " and ".join(notes) if notes else ""


# -- look-alikes: the confusables of Unicode Technical Standard #39 -------------------------------
#
# Two names are confusable when their skeletons are equal. The skeleton here
# is UTS #39's, from Unicode's confusables data as the confusable_homoglyphs
# package ships it: compatibility forms folded (full-width and styled
# letters, NFKD), default-ignorable characters (zero-width spaces and joiners,
# soft hyphens: format characters) removed, and each remaining character that
# has a Latin look-alike replaced by it. The data is loaded only when a name
# has a character outside ASCII: ASCII near-misses are `suggest`'s and the typo
# checks' business, and most runs never need it.


@lru_cache(maxsize=1)
def _confusables():
    from confusable_homoglyphs import categories, confusables  # Unicode's data: confusables.txt, Scripts.txt

    return confusables, categories


def _visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _latin_letter(char: str) -> str | None:
    """The ASCII letter `char` looks like (`I` for the Cyrillic `І`), or None."""
    confusables, _ = _confusables()
    seen, pending = {char}, [char]
    while pending:
        for found in confusables.is_confusable(pending.pop(), greedy=True) or ():
            for homoglyph in found.get("homoglyphs", ()):
                other = homoglyph["c"]
                if len(other) == 1 and other not in seen:
                    seen.add(other)
                    pending.append(other)
    letters = sorted(c for c in seen if c.isascii() and c.isalpha())
    same_case = [c for c in letters if c.isupper() == char.isupper()]
    return (same_case or letters or [None])[0]


@lru_cache(maxsize=65536)
def _latin(char: str) -> str:
    """One representative of the characters that look like `char`, preferring ASCII (`1` for I, l, І, Ι)."""
    confusables, _ = _confusables()
    seen, pending = {char}, [char]
    while pending:  # the closure of look-alikes: I looks like l, l like 1
        for found in confusables.is_confusable(pending.pop(), greedy=True) or ():
            for homoglyph in found.get("homoglyphs", ()):
                other = homoglyph["c"]
                if len(other) == 1 and (other.isascii() or not char.isascii()) and other not in seen:
                    seen.add(other)
                    pending.append(other)
    ascii_ones = [c for c in seen if c.isascii()]
    return min(ascii_ones) if ascii_ones else char


@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """The confusables skeleton of `text` (not for display: only for comparing)."""
    folded = unicodedata.normalize("NFKD", _visible(text))
    return unicodedata.normalize("NFC", "".join(_latin(c) for c in folded if not unicodedata.combining(c)))


def _script(char: str) -> str:
    """The script of a character, as Unicode names it (`Cyrillic`, `Greek`, `Latin`, `Common`)."""
    _, categories = _confusables()
    try:
        return categories.aliases_categories(char)[0].title()
    except (KeyError, IndexError, TypeError):
        return "Common"


def lookalike(value: str, names: Iterable[str]) -> str | None:
    """The name among `names` that `value` only looks like, or None.

    Only a value with a character outside ASCII can be one: `ЕСО` (Cyrillic),
    `ΕCΟ` (Greek), `ＥＣＯ` (full-width) and `E\u200bCO` (a zero-width space)
    all look like `ECO`.
    """
    if not isinstance(value, str) or value.isascii():
        return None
    mine = skeleton(value)
    for name in names:
        if isinstance(name, str) and name != value and skeleton(name) == mine:
            return name
    return None


def why_lookalike(value: str, name: str) -> str:
    """Why `value` is not `name` though it looks like it, e.g. `'ЕСО' uses Cyrillic letters`."""
    hidden = [c for c in value if c not in _visible(c)]
    if hidden:
        c = hidden[0]
        return f"{value!r} contains an invisible character, U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}"
    reasons: list[str] = []
    expected = {_script(c) for c in name if c.isalpha()}
    for c in value:
        if c in name:
            continue
        form = unicodedata.decomposition(c).split(" ")[0]
        script = _script(c)
        if form == "<wide>":
            reason = "uses full-width letters"
        elif form == "<font>":
            reason = "uses styled (mathematical) letters"
        elif c.isalpha() and script not in expected and script not in ("Common", "Inherited"):
            reason = f"uses {script} letters"
        else:
            reason = f"uses the look-alike U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}"
        if reason not in reasons:
            reasons.append(reason)
    return f"{value!r} " + " and ".join(reasons or ["uses look-alike characters"])
