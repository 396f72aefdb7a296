"""Compiler: clause files → a checked, immutable `RuleSet`.

Stage: the clause language, its last step. Imports `compilation` and the
steps it runs (`vocabulary`, `rules`, `questions`), `model`, `corpus`,
`ruleset`, `sources`, `yamlio`, `mou.dates` and `mou.errors`.

It reads the manifest (`agreement.yaml`) and the clause files it lists,
validates each against `model` (every path the manifest names must stay
inside the clause directory: no absolute path, no `..`, no symbolic link
out, and only regular files are read), merges their vocabularies (refusing
duplicates), resolves type names, parses and type-checks every expression,
and checks that every rule cites a paragraph that exists. All problems of all
files are reported together, each with FILE:LINE:COLUMN. It also gathers
the periods the rules can add to a date, from which replay derives its
evaluation horizon.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from .. import collector
from ..dates import Duration
from ..errors import Location, MouError
from . import parse_store, rulecache, strata
from . import model as M
from . import types as T
from .compilation import BASE_TYPES, Compilation, Schema, Source
from .corpus import MANIFEST
from .expressions import parse
from .questions import build_default_events, build_properties, build_questions, default_names
from .rules import build_rules
from .ruleset import Paragraph, Rule, RuleSet, frozen_map
from .sources import manifest_path, read_input
from .vocabulary import (build_attributes, build_choices, build_event_type, build_parameters, event_fields,
                         word_vocabulary)
from .yamlio import LIMITS, Document, load_yaml

SIGNED_TEXT_LIMIT = 1_000_000
"""The largest signed text read, in bytes (the MoU's is about 10 KB)."""


def compile_corpus(directory: str | Path) -> RuleSet:
    """Compile the clause files in `directory` (which holds `agreement.yaml`).

    A process compiles the same clause files once: the rule set (immutable)
    is kept by the directory's name and the hash of every file in it, so an
    edited file is compiled again, and a directory that does not compile is
    never kept (its problems are reported each time). A rule set compiled is
    also stored for the next process (`rulecache`; `rulecache.load_ruleset`
    reads it back instead of compiling).
    """
    path = Path(directory)
    key = rulecache.content_key(path)
    if key is not None and rulecache.kept(key) is not None:
        return rulecache.kept(key)
    c = Compilation(path)
    store = parse_store.store()
    try:
        with collector.paused():  # a rule set is thousands of objects that all live on
            try:
                ruleset = _run(c)
            except MouError:
                if not store.served:  # (a tree served earlier may be in `parse`'s memory)
                    raise
                # Some trees came from the store: compile again from the texts alone, so that the problems
                # reported are the clause files', never those of a stored tree.
                store.forget()
                parse.cache_clear()
                c = Compilation(path)
                ruleset = _run(c)
    finally:
        store.save()  # the next process reads these trees instead of parsing
    if key is not None:
        rulecache.keep(key, ruleset)
        trees = {name: parse(info.text) for name, info in c.schema.cache.items()}
        rulecache.store(key, ruleset, rulecache.Vocabulary.of(c.schema, trees), c.recipes)
    return ruleset


def _run(c: Compilation) -> RuleSet:
    """Read, validate and compile every clause file; MouError with all problems."""
    manifest_doc = _read(c, c.directory / MANIFEST, Location(str(c.directory / MANIFEST), 1, 1))
    if manifest_doc is None:
        raise MouError(c.problems)
    try:
        manifest = M.validate(M.Manifest, manifest_doc)
    except MouError as error:
        raise MouError(c.problems + error.diagnostics) from None
    c.parties = tuple(manifest.parties)
    # Paths are checked before anything is read: a manifest that names a file outside the clause
    # directory is refused without reading it, so nothing of that file reaches a message.
    paths = [_inside(c, name, manifest_doc.location(("files", index)), "clause file")
             for index, name in enumerate(manifest.files)]
    first: dict[str, int] = {}
    for index, path in enumerate(paths):  # the same file twice would define every paragraph of it twice
        same = os.path.normcase(os.path.realpath(path))
        if same in first and path != c.directory / MANIFEST:
            earlier = manifest_doc.location(("files", first[same]))
            c.problem(manifest_doc.location(("files", index)),
                      f"{manifest.files[index]!r} is listed twice in the manifest (also at line {earlier.line}, as "
                      f"{manifest.files[first[same]]!r}); list each clause file once")
        first.setdefault(same, index)
    signed_at = manifest_doc.location(("signed_text",))
    signed_path = _inside(c, manifest.signed_text, signed_at, "signed text")
    if c.problems:
        raise MouError(c.problems)
    for index, path in enumerate(paths):
        doc = _read(c, path, manifest_doc.location(("files", index)))
        if doc is None:
            continue
        try:
            c.sources.append(Source(doc, M.validate(M.ClauseFile, doc)))
        except MouError as error:
            c.problems.extend(error.diagnostics)
    signed_text = ""
    try:
        raw = read_input(signed_path, SIGNED_TEXT_LIMIT, "signed text", signed_at)
        _digest(c, signed_path.name, raw)
        signed_text = raw.decode("utf-8-sig")
    except MouError as error:
        c.problems.extend(error.diagnostics)
    except UnicodeDecodeError as error:
        c.problem(signed_at, f"the signed text {signed_path} is not UTF-8 (byte {error.start:,}); save it as UTF-8")
    if c.problems:
        raise MouError(c.problems)
    ruleset = _build(c, manifest, signed_text)
    if c.problems:
        raise MouError(c.problems)
    return ruleset


def _digest(c: Compilation, name: str, raw: bytes) -> None:
    """Add one file to the hash of the clause files as compiled (its name, its length, its bytes)."""
    c.sha256.update(name.encode("utf-8") + b"\0" + str(len(raw)).encode("ascii") + b"\0" + raw)


def _inside(c: Compilation, name: str, location: Location, what: str) -> Path:
    """A path the manifest names, kept inside the clause directory (problems recorded)."""
    try:
        return manifest_path(c.directory, name, location, what)
    except MouError as error:
        c.problems.extend(error.diagnostics)
        return c.directory / MANIFEST


def _read(c: Compilation, path: Path, referenced_at: Location) -> Document | None:
    """One clause file (a regular file, size-capped), or None with its problems recorded.

    A file that cannot be opened is reported where the manifest names it; a
    problem inside it, in the file itself.
    """
    try:
        raw = read_input(path, LIMITS.max_bytes, "clause file", referenced_at)
    except MouError as error:
        c.problems.extend(error.diagnostics)
        return None
    _digest(c, path.name, raw)
    try:
        return load_yaml(raw, str(path))
    except MouError as error:
        c.problems.extend(error.diagnostics)
        return None


def _build(c: Compilation, manifest: M.Manifest, signed_text: str) -> RuleSet:
    """Gather the specs of every file, then compile each part into the rule set."""
    paragraphs: dict[str, Paragraph] = {}
    for source in c.sources:
        doc, clause = source.doc, source.clause
        for index, paragraph in enumerate(clause.paragraphs):
            location = doc.location(("paragraphs", index, "id"))
            if c.declare("paragraph", paragraph.id, location):
                paragraphs[paragraph.id] = Paragraph(paragraph.id, " ".join(paragraph.text.split()),
                                                     clause.article, location)
        for name, values in clause.enums.items():
            if name in BASE_TYPES:
                c.problem(doc.key_location(("enums", name)), f"{name!r} is a built-in type; choose another name")
            elif c.declare("enum", name, doc.key_location(("enums", name))):
                if isinstance(values, dict):
                    c.enums[name] = T.enum(name, list(values), list(values.values()))
                else:
                    c.enums[name] = T.enum(name, values)
        for section, specs in (("parameters", c.param_specs), ("choices", c.choice_specs),
                               ("definitions", c.definition_specs), ("state", c.state_specs),
                               ("event_types", c.event_specs)):
            for name, spec in getattr(clause, section).items():
                if c.declare(section[:-1] if section != "state" else "state attribute", name,
                             doc.key_location((section, name))):
                    specs[name] = (source, spec)
    c.paragraphs = paragraphs
    c.parameters = build_parameters(c)
    c.choices = build_choices(c)
    c.entity_attributes = {"agreement": build_attributes(
        c, {name: spec for name, (_, spec) in c.state_specs.items()},
        lambda name: (c.state_specs[name][0].doc, ("state", name)))}
    c.event_types_partial = {name: event_fields(c, name, source, spec)
                             for name, (source, spec) in c.event_specs.items()}
    c.schema = Schema(c)
    for name in c.definition_specs:
        c.schema.definition(name)
    event_types = {name: build_event_type(c, name, source, spec)
                   for name, (source, spec) in c.event_specs.items()}
    definitions = word_vocabulary(c)
    rules = _in_strata(c, build_rules(c), event_types)
    questions = build_questions(c)
    invariants, symmetries = build_properties(c)
    default_events = build_default_events(c)
    date_triggers: dict[tuple[str, str], tuple[Rule, ...]] = {}
    for rule in rules:
        if rule.trigger.kind == "date":
            key = (rule.trigger.owner, rule.trigger.attr)
            date_triggers[key] = date_triggers.get(key, ()) + (rule,)
    for name, (source, spec) in c.event_specs.items():
        c.cite(source.doc, ("event_types", name, "paragraph"), spec.paragraph)
    return RuleSet(
        agreement=manifest.agreement, title=manifest.title, short_name=manifest.short_name,
        parties=c.parties, paragraphs=frozen_map(paragraphs), enums=frozen_map(c.enums),
        parameters=frozen_map(c.parameters), choices=frozen_map(c.choices),
        entity_attributes=frozen_map({k: frozen_map(v) for k, v in c.entity_attributes.items()}),
        event_types=frozen_map(event_types), rules=tuple(rules),
        duties=frozen_map({rule.duty.id: rule.duty for rule in rules if rule.duty is not None}),
        questions=frozen_map(questions),
        default_events=default_events, date_triggers=frozen_map(date_triggers),
        default_before=next((s.clause.default_events.before for s in c.sources if s.clause.default_events), ""),
        default_names=frozen_map(default_names(c)),
        files=tuple(manifest.files), signed_text=signed_text, layout=tuple(manifest.layout),
        titles=frozen_map({source.clause.article: source.clause.title for source in c.sources}),
        invariants=frozen_map(invariants), symmetries=frozen_map(symmetries),
        definitions=frozen_map(definitions),
        durations=_durations(c), sha256=c.sha256.hexdigest(),
        compiled_definitions=frozen_map({name: c.schema.cache[name] for name in c.definition_specs}),
        standard_invariants=_standard(c, manifest, questions))


STANDARD_QUESTIONS = {"in_force": ("on",), "status": ("on",), "entry_into_force_date": (), "last_day_in_force": ()}
"""The questions the standard invariants are judged through (`answers.standard`), with their arguments."""


def _standard(c: Compilation, manifest: M.Manifest, questions: dict) -> bool:
    """Whether the manifest declares the standard invariants; refused when a question they need is missing."""
    if manifest.invariants != "standard":
        return False
    for name, args in STANDARD_QUESTIONS.items():
        question = questions.get(name)
        if question is None or tuple(a.name for a in question.args) != args:
            c.problem(Location(str(c.directory / MANIFEST), 1, 1),
                      f"`invariants: standard` needs the question {name}"
                      + (f" with the argument{'s' if len(args) > 1 else ''} {', '.join(args)}" if args else
                         " with no argument") + ", which the standard invariants are judged through")
    return True


def _in_strata(c: Compilation, rules: list[Rule], event_types: dict) -> list[Rule]:
    """The rules, those of one trigger ordered by what they read and write (`strata`); a cycle is refused."""
    definitions = {}
    for name in c.definition_specs:
        info = c.schema.cache.get(name)
        if info is not None:
            definitions[name] = ({p: t.events for p, t in info.params if t.kind == "event"}, info.text)
    facts = strata.Facts({name: list(d.attributes) for name, d in event_types.items()},
                         c.entity_attributes, definitions)
    trigger_types = {rule.trigger.key: frozenset({rule.trigger.owner}) for rule in rules
                     if rule.trigger.owner in event_types}
    ordered, cycles = strata.order(facts, rules, trigger_types)
    for cycle, edges in cycles:
        between = "; ".join(f"{reader.id} reads {', '.join('.'.join(f) for f in met)}, which {writer.id} sets"
                            for writer, reader, met in edges)
        others = ", ".join(f"{rule.id} ({rule.location})" for rule in cycle[1:])
        c.problem(cycle[0].location, (
            f"rules on one trigger ({cycle[0].trigger}) read each other's conclusions, so no order of them is "
            f"right: {between}. Rules on one trigger run in strata (a rule that reads a fact waits for every "
            f"rule that sets it); break the cycle, e.g. by reading the day (`today`) instead of a fact another "
            f"rule moves, or by joining the rules into one with `else`. With {others}"))
    return [replace(rule, index=index) for index, rule in enumerate(ordered)]


def _durations(c: Compilation) -> tuple:
    """The distinct periods the rule set can add to a date, in a stable order."""
    found = set(c.durations)
    found.update(p.default for p in c.parameters.values() if isinstance(p.default, Duration))
    for choice in c.choices.values():
        found.update(v for v in (choice.default, *choice.values) if isinstance(v, Duration))
    return tuple(sorted(found, key=lambda d: (d.unit, d.count)))
