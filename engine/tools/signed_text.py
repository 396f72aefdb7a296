"""The clause corpus against the signed text: verbatim, in order, complete.

Stage: tools (used by `lint`). Imports only the standard library (no engine module, no YAML).

The signed text is a PDF extraction (`clauses/eco-iom-mou-2009.txt`). A clause
paragraph is verbatim when, after `normalize` on both sides, it occurs in the
signed text: same words, punctuation and curly quotes; only line breaks and runs
of whitespace may differ. Three questions are answered here:

- `check_paragraphs`: is every paragraph found, and in document order?
- `uncovered`: is every piece of the signed text claimed by some paragraph (or
  by an explicitly ignored string such as a heading or a list numeral)?
- `normalize`: the one whitespace rule both sides go through.

Matching is on whole tokens: a paragraph must begin and end at a whitespace
boundary of the signed text, so a paragraph that lost the first letter of its
first word or the full stop at its end is reported, not found inside a longer
token.

Two-column layouts. The extraction reads the signature block row by row, so
one signatory's column ("For the Economic Cooperation Organization", then
"Khurshid Anwar Secretary General") is split by the other column's text. A
paragraph that is not found in one piece may therefore be found as up to
`MAX_PIECES` pieces, in order, where every join falls on a line break of the
signed text and every gap between two pieces holds nothing but text claimed by
other paragraphs and characters that are neither letters nor digits (such as a
dotted signature line). A paragraph with a line left out is still reported: the
missing line is in a gap that no other paragraph claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PIECES = 4
"""The most pieces a paragraph may be split into by a column layout."""

QUOTE_LENGTH = 30
"""About how many characters of text a mismatch message quotes."""

Span = tuple[int, int]
"""A half-open character range `[start, end)` in the normalized signed text."""


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends.

    Whitespace is what `str.isspace` says it is: spaces, tabs, line breaks,
    non-breaking spaces and the other Unicode spaces. Nothing else changes;
    curly quotes, ellipses and dashes stay as they are.
    """
    return " ".join(text.split())


@dataclass(frozen=True)
class TextMismatch:
    """A paragraph that is not verbatim, or not in document order."""

    paragraph: str
    message: str

    def __str__(self) -> str:
        return f"{self.paragraph}: {self.message}"


@dataclass(frozen=True)
class _Signed:
    """The normalized signed text, with where its lines start and end."""

    text: str
    line_starts: frozenset[int]
    line_ends: frozenset[int]


@dataclass(frozen=True)
class _Placement:
    """Where one paragraph was found (`pieces`), or why not (`problem`)."""

    index: int
    pieces: tuple[Span, ...] = ()
    problem: str = ""


def _prepare(signed: str) -> _Signed:
    """Normalize the signed text, remembering the offsets of its line breaks."""
    parts: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    offset = 0
    for line in signed.splitlines():
        words = line.split()
        if not words:
            continue
        if parts:
            offset += 1  # the space that replaces the line break
        joined = " ".join(words)
        starts.add(offset)
        parts.append(joined)
        offset += len(joined)
        ends.add(offset)
    text = " ".join(parts)
    # splitlines() only splits on characters that str.split() also treats as
    # whitespace, so this is exactly normalize(signed).
    assert text == normalize(signed)
    return _Signed(text, frozenset(starts), frozenset(ends))


def _find(doc: _Signed, needle: str, start: int) -> int:
    """First offset >= `start` where `needle` occurs as whole tokens, or -1."""
    if not needle:
        return -1
    text = doc.text
    at = text.find(needle, start)
    while at >= 0:
        end = at + len(needle)
        if (at == 0 or text[at - 1] == " ") and (end == len(text) or text[end] == " "):
            return at
        at = text.find(needle, at + 1)
    return -1


def _find_pieces(doc: _Signed, words: list[str], start: int, budget: int,
                 at_line_start: bool) -> list[Span] | None:
    """Find `words` as at most `budget` pieces from `start`, joined at line breaks.

    Longer first pieces are tried first; each later piece must begin at a line
    start and each earlier piece must end at a line end.
    """
    for count in range(len(words), 0, -1):
        piece = " ".join(words[:count])
        rest = words[count:]
        at = _find(doc, piece, start)
        while at >= 0:
            end = at + len(piece)
            if not at_line_start or at in doc.line_starts:
                if not rest:
                    return [(at, end)]
                if budget > 1 and end in doc.line_ends:
                    tail = _find_pieces(doc, rest, end + 1, budget - 1, True)
                    if tail is not None:
                        return [(at, end), *tail]
            at = _find(doc, piece, at + 1)
    return None


def _locate(doc: _Signed, text: str, start: int) -> tuple[Span, ...] | None:
    """Find `text` from `start`: in one piece if possible, else as column pieces."""
    at = _find(doc, text, start)
    if at >= 0:
        return ((at, at + len(text)),)
    pieces = _find_pieces(doc, text.split(" "), start, MAX_PIECES, False)
    return tuple(pieces) if pieces is not None else None


def _head(text: str) -> str:
    """The first `QUOTE_LENGTH` characters of `text`, marked when cut."""
    return text if len(text) <= QUOTE_LENGTH else text[:QUOTE_LENGTH] + "…"


def _tail(text: str) -> str:
    """The last `QUOTE_LENGTH` characters of `text`, marked when cut."""
    return text if len(text) <= QUOTE_LENGTH else "…" + text[-QUOTE_LENGTH:]


def _difference(doc: _Signed, text: str, start: int) -> str:
    """Say where `text` stops matching the signed text, quoting both sides.

    The longest run of leading whole words of `text` that occurs in the signed
    text is the part that matches; the message quotes the paragraph from the
    first word after it, and what the signed text has there (at the first
    occurrence from `start`, else the first occurrence at all).
    """
    words = text.split(" ")
    low, high = 0, len(words)  # words[:low] is found; words[:high + 1] is not
    while low < high:
        middle = (low + high + 1) // 2
        if _find(doc, " ".join(words[:middle]), 0) >= 0:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return f'text differs from the signed text at its start: found "{_head(text)}"'
    prefix = " ".join(words[:low])
    found = " ".join(words[low:])
    at = _find(doc, prefix, start)
    if at < 0:
        at = _find(doc, prefix, 0)
    following = doc.text[at + len(prefix):].lstrip(" ")
    signed_has = (f'the signed text has "{_head(following)}"' if following
                  else "the signed text ends there")
    return (f'text differs from the signed text after "{_tail(prefix)}" '
            f'(word {low + 1}): found "{_head(found)}"; {signed_has}')


def _gaps_claimed(doc: _Signed, placement: _Placement,
                  placements: list[_Placement]) -> bool:
    """Whether every gap between the pieces of `placement` is claimed elsewhere.

    A gap character is claimed when a piece of another found paragraph covers
    it, or when it is neither a letter nor a digit (spaces, dotted lines).
    """
    pieces = placement.pieces
    if len(pieces) < 2:
        return True
    others = [span for other in placements
              if other.index != placement.index and not other.problem
              for span in other.pieces]
    for (_, gap_start), (gap_end, _) in zip(pieces, pieces[1:]):
        for offset in range(gap_start, gap_end):
            if doc.text[offset].isalnum() and not any(
                    start <= offset < end for start, end in others):
                return False
    return True


def _place_all(doc: _Signed, paragraphs: list[tuple[str, str]]) -> list[_Placement]:
    """Find every paragraph, in order; a paragraph that fails carries a problem.

    Each paragraph is searched from the end of the previous found paragraph's
    first piece (its last word, for a paragraph in one piece). A paragraph
    found only before that point is out of order. Column pieces whose gaps are
    not claimed by other paragraphs are then rejected, repeatedly, because a
    rejected paragraph no longer claims anything.
    """
    placements: list[_Placement] = []
    cursor = 0
    previous = ""
    for index, (paragraph_id, raw) in enumerate(paragraphs):
        text = normalize(raw)
        if not text:
            placements.append(_Placement(index, problem="text is empty"))
            continue
        pieces = _locate(doc, text, cursor)
        if pieces is not None:
            placements.append(_Placement(index, pieces))
            cursor = pieces[0][1]
            previous = paragraph_id
            continue
        earlier = _locate(doc, text, 0)
        if earlier is not None:
            problem = (f"out of order: found only before the previous paragraph "
                       f"{previous} (at character {earlier[0][0]} of the normalized "
                       f"signed text; {previous} ends at character {cursor})")
            placements.append(_Placement(index, problem=problem))
        else:
            placements.append(_Placement(index, problem=_difference(doc, text, cursor)))
    changed = True
    while changed:
        changed = False
        for position, placement in enumerate(placements):
            if placement.problem or _gaps_claimed(doc, placement, placements):
                continue
            text = normalize(paragraphs[placement.index][1])
            placements[position] = _Placement(
                placement.index, problem=_difference(doc, text, placement.pieces[0][0]))
            changed = True
    return placements


def check_paragraphs(signed: str, paragraphs: list[tuple[str, str]]) -> list[TextMismatch]:
    """Report the paragraphs that are not verbatim or not in document order.

    `signed` is the full signed text; `paragraphs` are `(id, text)` pairs in
    document order. A paragraph is reported when its normalized text is not
    found in the normalized signed text (the message quotes where it stops
    matching), or when it is found only before the previous paragraph. An
    empty list means every paragraph is verbatim and in order.
    """
    doc = _prepare(signed)
    return [TextMismatch(paragraphs[placement.index][0], placement.problem)
            for placement in _place_all(doc, paragraphs) if placement.problem]


def uncovered(signed: str, paragraphs: list[tuple[str, str]],
              ignore: list[str]) -> list[str]:
    """The pieces of the signed text that no paragraph and no ignored string covers.

    Paragraphs are placed as `check_paragraphs` places them (a paragraph that
    is reported there covers nothing). In what remains, every occurrence of an
    `ignore` string (normalized, matched as whole tokens, longest first) is
    removed. The rest is returned in document order as stripped, non-empty
    strings; an empty list means the paragraphs cover the whole signed text.
    """
    doc = _prepare(signed)
    covered = [False] * len(doc.text)
    for placement in _place_all(doc, paragraphs):
        if placement.problem:
            continue
        for start, end in placement.pieces:
            covered[start:end] = [True] * (end - start)
    patterns = sorted({normalize(item) for item in ignore} - {""}, key=len, reverse=True)
    ignored = (re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, patterns)) + r")(?!\S)")
               if patterns else None)
    result: list[str] = []
    offset = 0
    while offset < len(doc.text):
        if covered[offset]:
            offset += 1
            continue
        end = offset
        while end < len(doc.text) and not covered[end]:
            end += 1
        run = doc.text[offset:end]
        for part in (ignored.split(run) if ignored is not None else [run]):
            if part.strip():
                result.append(part.strip())
        offset = end
    return result
