"""Parsed expressions kept on disk between runs, so a cold `mou` need not parse (nor load Lark).

Stage: the clause language. Imports `dates`, `syntax` and `cachefiles` (where the
cache lives, and how its files are sealed with the user's key).

Parsing the shipped clause files' 162 distinct expression texts is most of
compiling them, and every `mou` process used to do it again. The trees are
data (immutable nodes of text, numbers, dates and durations), so they are
written as JSON, never pickled: reading the store runs no code from it, and
every node is rebuilt from a fixed list of node types.

Where: `$MOU_CACHE_DIR`, else the user's cache directory (platformdirs:
`~/.cache/mou` on Linux). `MOU_NO_CACHE=1` turns the store off. One file
per version of the parser, named by a hash of the source of `grammar`,
`syntax`, `dates` and this module, so a changed parser never reads another's
trees. The store is an optimisation only:
- a missing, unreadable, foreign or damaged file is ignored (every text is
  parsed again), and a directory that cannot be written is left alone;
- the file is sealed with the user's key (`cachefiles`: an HMAC-SHA256), so
  one edited by hand or written by anyone else is never read: a forged tree
  cannot change what a condition means;
- a tree is used only for the text it was stored under, and only if it lies
  within that text; if the clause files do not compile with stored trees,
  they are compiled again with none (`compiler.compile_corpus`), so a stored
  tree can never be reported as an error in a clause file;
- a text that does not parse is never stored, so every syntax error comes
  from the parser itself, with its message and offset;
- writers are safe under concurrent runs: each writes a file of its own and
  renames it over the store (atomic on POSIX and Windows), after merging
  what another run stored meanwhile.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any

from ..dates import Duration
from . import cachefiles
from .syntax import (Arith, Attr, BoolOp, Call, Compare, Comprehension, IfThen, ListOf, Literal, Name, Negate,
                     Node, Not, Quantifier)

FORMAT = 2
"""The layout of a store file; part of its name, with the parser's source."""
MOST_TREES = 20_000
"""A store holds at most this many texts; past it, a run keeps only its own."""
MOST_BYTES = 64_000_000
"""A store file larger than this is not read."""

_NODE_TYPES = {kind.__name__: kind for kind in (Literal, ListOf, Name, Attr, Call, Not, Negate, BoolOp, Compare,
                                                 Arith, IfThen, Comprehension, Quantifier)}
_FIELDS = {name: tuple(f.name for f in fields(kind) if f.name not in ("start", "end"))
           for name, kind in _NODE_TYPES.items()}
_UNITS = ("days", "months", "years")


class DamagedStore(ValueError):
    """A stored tree that is not one this module writes."""


def encode(node: Node) -> list:
    """A tree as JSON data: `[type, start, end, field, …]`; tuples, dates and durations tagged."""
    return [type(node).__name__, node.start, node.end, *(_encode_value(getattr(node, name))
                                                         for name in _FIELDS[type(node).__name__])]


def _encode_value(value: Any) -> Any:
    if isinstance(value, Node):
        return encode(value)
    if isinstance(value, tuple):
        return {"tuple": [_encode_value(item) for item in value]}
    if isinstance(value, Duration):
        return {"duration": [value.count, value.unit]}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"a syntax tree holds {type(value).__name__}, which the store cannot write")


def decode(data: Any) -> Node:
    """The tree `encode` wrote; DamagedStore for anything else."""
    if not isinstance(data, list) or not data or data[0] not in _NODE_TYPES:
        raise DamagedStore("not a stored node")
    name, start, end, *values = data
    names = _FIELDS[name]
    if len(values) != len(names) or type(start) is not int or type(end) is not int:
        raise DamagedStore(f"a stored {name} of the wrong shape")
    return _NODE_TYPES[name](*(_decode_value(value) for value in values), start=start, end=end)


def _decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return decode(value)
    if isinstance(value, dict) and len(value) == 1:
        (tag, content), = value.items()
        if tag == "tuple" and isinstance(content, list):
            return tuple(_decode_value(item) for item in content)
        if tag == "date" and isinstance(content, str):
            try:
                return date.fromisoformat(content)
            except ValueError:
                raise DamagedStore("a stored date that is not one") from None
        if (tag == "duration" and isinstance(content, list) and len(content) == 2 and type(content[0]) is int
                and content[1] in _UNITS):
            return Duration(content[0], content[1])
        raise DamagedStore("a stored value of an unknown kind")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise DamagedStore("a stored value of an unknown kind")


@lru_cache(maxsize=1)
def parser_version() -> str:
    """A hash of the source that decides what a text parses to, and of the store's own layout."""
    digest = hashlib.sha256(f"format {FORMAT}".encode("ascii"))
    here = Path(__file__).resolve().parent
    for source in (here / "grammar.py", here / "syntax.py", here.parent / "dates.py", here / "parse_store.py"):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def replace_file(path: Path, data: bytes) -> bool:
    """Seal `data` and write it whole over `path` (`cachefiles.replace_file`); False when it cannot be."""
    return cachefiles.replace_file(path, data)


def default_directory() -> Path | None:
    """Where the store lives, from the environment; None when it is turned off."""
    return cachefiles.default_directory()


class ParseStore:
    """The trees of one store file: read on first use, written back by `save` when a run added some."""

    def __init__(self, directory: Path | None):
        self.path = None if directory is None else directory / f"expressions-{parser_version()}.json"
        self._stored: dict[str, Any] | None = None  # text → encoded tree, as read
        self._added: dict[str, list] = {}
        self.served = 0
        """How many trees this store has given (compiling retries without them if it fails)."""

    def get(self, text: str) -> Node | None:
        """The stored tree of `text`, or None (not stored, or damaged: parse it again)."""
        data = self._read().get(text)
        if data is None:
            return None
        try:
            tree = decode(data)
        except (DamagedStore, RecursionError, TypeError, ValueError):
            return None
        if not 0 <= tree.start <= tree.end <= len(text):
            return None  # not a tree of this text
        self.served += 1
        return tree

    def forget(self) -> None:
        """Read nothing more from the file in this process (what is added is still saved)."""
        self._stored = {}
        self.served = 0

    def add(self, text: str, node: Node) -> None:
        """Keep a freshly parsed tree, to be written by `save`."""
        if self.path is not None:
            self._added[text] = encode(node)

    def save(self) -> None:
        """Write the trees added since the last save, merged with what the file holds now."""
        if self.path is None or not self._added:
            return
        trees = {**_load(self.path), **self._added}
        if len(trees) > MOST_TREES:
            trees = dict(self._added)
        data = json.dumps({"format": FORMAT, "parser": parser_version(), "trees": trees}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":")).encode("utf-8")
        if not replace_file(self.path, data):
            return  # a read-only or full cache directory costs the next run a parse, nothing more
        self._stored = trees
        self._added = {}

    def _read(self) -> dict[str, Any]:
        if self._stored is None:
            self._stored = {} if self.path is None else _load(self.path)
        return self._stored


def _load(path: Path) -> dict[str, Any]:
    """The trees of a store file; empty if it is missing, too large, not sealed with the user's key, or not
    a store of this parser."""
    raw = cachefiles.read_sealed(path, MOST_BYTES)
    if raw is None:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return {}
    if (not isinstance(data, dict) or data.get("format") != FORMAT or data.get("parser") != parser_version()
            or not isinstance(data.get("trees"), dict)):
        return {}
    return data["trees"]


_store: ParseStore | None = None


def store() -> ParseStore:
    """The process's store, at the place the environment names when first asked."""
    global _store
    if _store is None:
        _store = ParseStore(default_directory())
    return _store


def use(directory: Path | None) -> ParseStore:
    """Use the store in `directory` from now on (None: no store); returns it. For tests and tools."""
    global _store
    _store = ParseStore(directory)
    return _store
