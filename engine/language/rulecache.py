"""Compiled rule sets kept on disk between runs, so that a command need not compile the clause files.

Stage: the clause language, beside the compiler. Imports `cachefiles` (the
cache directory, seals), `closures`, `context`, `ruleset`, `syntax` and
`mou.collector`; never the compiler, its pydantic models or pydantic, which a
command that finds its rule set here never loads.

`loading.load_ruleset(directory)` gives the rule set of a clause directory:
the one this process already has, else the one stored here for the same
files by an earlier run (`read`), else a fresh compile
(`compiler.compile_corpus`, which stores what it compiles: `store`).

What is stored. A rule set is data (frozen dataclasses of text, numbers,
dates, types and locations) and the closures compiled from its expressions,
which cannot be written. So the file holds the data, and for each closure
how it was made: the syntax tree of the expression and the names in scope
(`Compilation.recipes`), or the name of the definition it is. Reading the file
compiles each closure again, from its tree, against the same vocabulary
(stored too) — the same code that compiled it the first time, so the
closures are the ones a fresh compile makes. Loading takes a few
milliseconds; compiling takes about a hundred, and loads pydantic.

How it is read. A file is read only if it is sealed with the user's key
(`cachefiles`: an HMAC-SHA256, with the trust model: whoever holds the key
can write the cache, as they could edit the clause files; no one else can),
and lies in a directory and file owned by the user and writable by no one
else. Its header names the engine version and the content key it was
compiled for, and must name this run's. The data is a pickle, read by an
unpickler that builds only the classes of the rule set's own modules
(`_CLASSES`), dates, and read-only mappings: no other class or function can
be named in the file, so reading it runs no code but those classes' own.
Every syntax tree is measured before it is compiled (at most `MOST_NODES`
nodes counted as a tree, so a tree that shares its branches cannot blow up,
and at most `MOST_DEPTH` deep), and the rule set read is checked for its
shape. Anything wrong — a seal, a header, a tree, a shape, any exception
while reading — means the file is ignored and the clause files are compiled
again: a stored file can make a run faster, never change its answers.

Where: beside the parsed expressions (`cachefiles`: `$MOU_CACHE_DIR`, else
the user's cache directory; `MOU_NO_CACHE=1` turns both off). A file is named
by a hash of the engine's source (`engine_version`) and of the clause
directory, as named, with every file in it, names and bytes (`content_key`),
so an edited clause file, a moved directory or another version of mou never
reads another's rule set. Writers are safe under concurrent runs: each writes
a file of its own and renames it into place. At most `MOST_FILES` rule sets
are kept; the oldest go first.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FunctionType, MappingProxyType
from typing import Any, Mapping

from .. import collector
from . import cachefiles
from .closures import compile_expr
from .context import DefinitionInfo, EventTypeInfo, Scope
from .ruleset import NO_DEFAULT, RuleSet

FORMAT = 2
"""The layout of a rule set file; part of `engine_version`."""
MOST_FILES = 32
"""How many stored rule sets the cache directory keeps (one per clause directory and version)."""
MOST_BYTES = 64_000_000
"""A stored rule set larger than this is not read."""
MOST_NODES = 20_000
"""The most nodes a stored syntax tree may have, counted as a tree (a shared branch once per use)."""
MOST_DEPTH = 256
"""The deepest a stored syntax tree may be."""
KEPT = 8
"""How many rule sets a process keeps, by the content of their clause directory."""

_kept: dict[tuple[str, str], RuleSet] = {}


def keep(key: tuple[str, str], ruleset: RuleSet) -> None:
    """Keep a rule set in this process (the oldest of `KEPT` goes)."""
    while len(_kept) >= KEPT:
        del _kept[next(iter(_kept))]
    _kept[key] = ruleset


def kept(key: tuple[str, str]) -> RuleSet | None:
    """The rule set this process keeps for a content key, if any."""
    return _kept.get(key)


def content_key(directory: Path, most_files: int = 256, most_bytes: int = 16_000_000) -> tuple[str, str] | None:
    """The directory as named, and the SHA-256 of every regular file under it (names and bytes).

    None, so that nothing is kept, when it cannot be read whole, or is larger
    than any clause directory (then compiling reports what is wrong).
    """
    digest = hashlib.sha256()
    total = 0
    try:
        files = sorted(Path(top, name) for top, _, names in os.walk(directory) for name in names)  # links not followed
        if len(files) > most_files:
            return None
        for file in files:
            if not file.is_file():  # a FIFO or a device is never opened (compiling refuses it by name)
                return None
            total += file.stat().st_size
            if total > most_bytes:
                return None
            data = file.read_bytes()
            digest.update(str(file.relative_to(directory)).encode("utf-8", "surrogateescape") + b"\0"
                          + str(len(data)).encode("ascii") + b"\0" + data)
    except (OSError, ValueError):
        return None
    return str(directory), digest.hexdigest()


_version: str | None = None


def engine_version() -> str:
    """A hash of the source of everything that shapes a compiled rule set, and of this file's layout."""
    global _version
    if _version is None:
        here = Path(__file__).resolve().parent
        digest = hashlib.sha256(f"format {FORMAT} python {sys.version_info[:2]}".encode("ascii"))
        for source in sorted(here.glob("*.py")) + [here.parent / name for name in ("errors.py", "dates.py",
                                                                                     "values.py")]:
            digest.update(source.name.encode("utf-8") + b"\0" + source.read_bytes())
        _version = digest.hexdigest()[:16]
    return _version


def file_for(key: tuple[str, str]) -> Path | None:
    """Where the rule set of a content key is stored (None when the cache is off)."""
    directory = cachefiles.default_directory()
    if directory is None:
        return None
    name = hashlib.sha256(f"{key[0]}\0{key[1]}".encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return directory / f"ruleset-{engine_version()}-{name}.pickle"


# -- the vocabulary expressions are compiled against -----------------------------------------


@dataclass
class Vocabulary:
    """The compiler's `Schema` as data: what expressions may name, and each definition as a tree.

    It is the `context.Schema` that closures are compiled against when a
    stored rule set is read; a definition is compiled on first use, once.
    """

    parties: tuple[str, ...]
    event_types: Mapping[str, EventTypeInfo]
    entities: Mapping[str, Mapping[str, Any]]
    parameters: Mapping[str, Any]
    choices: Mapping[str, Any]
    enums: Mapping[str, Any]
    definition_names: tuple[str, ...]
    duty_names: tuple[str, ...]
    definitions: Mapping[str, tuple[tuple, Any, str]]  # name → (params, tree, text)
    compiled: dict[str, DefinitionInfo] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, schema: Any, trees: Mapping[str, Any]) -> "Vocabulary":
        """The vocabulary of the compiler's schema, with the tree of each definition's text."""
        return cls(schema.parties, dict(schema.event_types), {k: dict(v) for k, v in schema.entities.items()},
                   dict(schema.parameters), dict(schema.choices), dict(schema.enums), tuple(schema.definition_names),
                   tuple(schema.duty_names),
                   {name: (info.params, trees[name], info.text) for name, info in schema.cache.items()})

    def definition(self, name: str) -> DefinitionInfo | None:
        if name not in self.definitions:
            return None
        if name not in self.compiled:
            params, tree, text = self.definitions[name]
            made = compile_expr(bounded(tree), Scope(self, dict(params)))
            self.compiled[name] = DefinitionInfo(name, params, made.type, made.fn, text)
        return self.compiled[name]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "compiled": {}}


# -- writing -----------------------------------------------------------------------------------


def _proxy(items: dict) -> MappingProxyType:
    """A read-only mapping, as the unpickler rebuilds one."""
    return MappingProxyType(items)


class _Writer(pickle.Pickler):
    """Pickles a rule set, writing each closure as how it was made."""

    def __init__(self, file: io.BytesIO, recipes: Mapping[int, tuple[Any, tuple]]):
        super().__init__(file, protocol=5)
        self.recipes = recipes

    def persistent_id(self, obj: Any) -> Any:
        if obj is NO_DEFAULT:
            return ("no default",)  # a marker compared by identity
        if type(obj) is FunctionType and obj is not _proxy:
            made = self.recipes.get(id(obj))
            if made is None or made[0] is not obj:
                raise pickle.PicklingError(f"a closure of the rule set with no recipe: {obj.__qualname__}")
            return made[1]
        return None

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _proxy, (dict(obj),)
        return NotImplemented


def store(key: tuple[str, str], ruleset: RuleSet, vocabulary: Vocabulary,
          recipes: Mapping[int, tuple[Any, tuple]]) -> None:
    """Write a freshly compiled rule set for the next run; a cache that cannot be written is left alone."""
    path = file_for(key)
    if path is None:
        return
    try:
        buffer = io.BytesIO()
        writer = _Writer(buffer, recipes)
        writer.dump(vocabulary)
        writer.clear_memo()  # two pickles: the vocabulary is read before any closure is compiled against it
        writer.dump(ruleset)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a rule set this module cannot write is compiled each time, as before
    data = _header(key) + buffer.getvalue()
    if cachefiles.replace_file(path, data):
        try:
            _prune(path.parent)
        except OSError:
            pass  # another run pruned it meanwhile


def _prune(directory: Path) -> None:
    """Keep the `MOST_FILES` most recently written rule sets."""
    files = sorted(directory.glob("ruleset-*.pickle"), key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    for old in files[MOST_FILES:]:
        old.unlink(missing_ok=True)


# -- reading -----------------------------------------------------------------------------------


def _classes() -> dict[tuple[str, str], Any]:
    """What a stored rule set may name: the classes of its own modules, dates, and `_proxy`."""
    from .. import dates, errors, values
    from . import context, ruleset, syntax, types, wording

    allowed: dict[tuple[str, str], Any] = {("datetime", "date"): date, (__name__, "_proxy"): _proxy,
                                           (__name__, "Vocabulary"): Vocabulary}
    for module in (dates, errors, values, context, ruleset, syntax, types, wording):
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                allowed[(module.__name__, name)] = value
    return allowed


_CLASSES: dict[tuple[str, str], Any] = {}


class _Reader(pickle.Unpickler):
    """Reads a stored rule set: only `_CLASSES`, and each closure compiled again against the vocabulary."""

    def __init__(self, file: io.BytesIO, vocabulary: Vocabulary | None = None):
        super().__init__(file)
        self.vocabulary = vocabulary

    def find_class(self, module: str, name: str) -> Any:
        if not _CLASSES:
            _CLASSES.update(_classes())
        found = _CLASSES.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"a stored rule set names {module}.{name}")
        return found

    def persistent_load(self, made: Any) -> Any:
        if made == ("no default",):
            return NO_DEFAULT
        if self.vocabulary is None:
            raise pickle.UnpicklingError("a closure before the vocabulary")
        if made[0] == "definition":
            return self.vocabulary.definition(made[1]).fn
        _, tree, bindings, today = made
        return compile_expr(bounded(tree), Scope(self.vocabulary, bindings, today)).fn


def _header(key: tuple[str, str]) -> bytes:
    """The first line of a stored file: what it was compiled for, checked when it is read."""
    return json.dumps({"format": FORMAT, "engine": engine_version(), "directory": key[0], "content": key[1]},
                      ensure_ascii=True, sort_keys=True).encode("ascii") + b"\n"


def bounded(tree: Any) -> Any:
    """`tree` if it is a syntax tree of at most `MOST_NODES` nodes and `MOST_DEPTH` levels; else an
    UnpicklingError (walked without recursion, and never further than the bound)."""
    from .syntax import Node

    count, stack = 0, [(tree, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, tuple):
            stack.extend((child, depth) for child in item)
            continue
        if not isinstance(item, Node):
            continue
        count += 1
        if count > MOST_NODES or depth > MOST_DEPTH:
            raise pickle.UnpicklingError("a stored syntax tree larger than any clause file's")
        stack.extend((child, depth + 1) for child in vars(item).values() if isinstance(child, (Node, tuple)))
    if not isinstance(tree, Node):
        raise pickle.UnpicklingError("a stored expression that is not a syntax tree")
    return tree


_SHAPE = {"paragraphs": "Paragraph", "parameters": "Parameter", "choices": "Choice", "event_types": "EventTypeDef",
          "duties": "DutyDef", "questions": "QuestionDef", "invariants": "InvariantDef",
          "symmetries": "SymmetryDef", "definitions": "DefinitionDef"}


def _well_formed(ruleset: Any) -> bool:
    """Whether a rule set read has the shape the compiler gives one (its fields, and what they hold)."""
    from . import ruleset as R

    if type(ruleset) is not RuleSet:
        return False
    for name in ("agreement", "title", "short_name", "signed_text", "sha256"):
        if type(getattr(ruleset, name)) is not str:
            return False
    for name in ("parties", "rules", "files", "layout", "durations"):
        if type(getattr(ruleset, name)) is not tuple:
            return False
    if not all(type(party) is str for party in ruleset.parties):
        return False
    if not all(type(rule) is R.Rule for rule in ruleset.rules):
        return False
    for name, kind in _SHAPE.items():
        mapping = getattr(ruleset, name)
        if not isinstance(mapping, Mapping):
            return False
        expected = getattr(R, kind, None)
        if expected is not None and not all(type(k) is str and type(v) is expected for k, v in mapping.items()):
            return False
    return all(isinstance(getattr(ruleset, name), Mapping)
               for name in ("enums", "entity_attributes", "date_triggers", "titles", "compiled_definitions"))


def read(key: tuple[str, str]) -> RuleSet | None:
    """The stored rule set of a content key; None when there is none, or it cannot be trusted or read as one."""
    path = file_for(key)
    if path is None:
        return None
    raw = cachefiles.read_sealed(path, MOST_BYTES)
    if raw is None:
        return None
    header, _, data = raw.partition(b"\n")
    try:
        if json.loads(header) != json.loads(_header(key)):
            return None  # another clause directory's, or another version's, under this one's name
    except (ValueError, RecursionError):
        return None
    stream = io.BytesIO(data)
    try:
        with collector.paused():
            vocabulary = _Reader(stream).load()
            if not isinstance(vocabulary, Vocabulary):
                return None
            ruleset = _Reader(stream, vocabulary).load()  # a reader of its own: each pickle numbers its memo from 0
            return ruleset if _well_formed(ruleset) else None
    except Exception:  # noqa: BLE001 - anything wrong in a stored file means compiling, never a traceback
        return None
