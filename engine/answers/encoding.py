"""Text for an output that cannot encode every mark an explanation uses.

Stage: answers. Imports nothing of mou.

`for_encoding` replaces the few non-ASCII marks (✓ ✗ → “ ” …) with ASCII where the output's encoding cannot write
them, and escapes anything else it cannot.
"""

from __future__ import annotations

ASCII = {"✓": "+", "✗": "x", "•": "*", "→": "->", "“": '"', "”": '"', "…": "...", "—": "--", "–": "-", "’": "'",
         "‘": "'", "§": "s.", "×": "x", "≥": ">=", "≤": "<="}


def for_encoding(text: str, encoding: str | None) -> str:
    """The text, with marks the encoding cannot write replaced by ASCII (and anything else escaped)."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    for mark, replacement in ASCII.items():
        text = text.replace(mark, replacement)
    try:
        return text.encode(encoding, errors="backslashreplace").decode(encoding)
    except LookupError:
        return text.encode("ascii", errors="backslashreplace").decode("ascii")
