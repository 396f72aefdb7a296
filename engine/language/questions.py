"""Compiling questions, invariants, symmetries and default events.

Stage: the clause language, part of the compiler. Imports `compilation`, `rules` (conditions and templates), `ruleset`, `context`,
`types` and `errors`.
"""

from __future__ import annotations

import re

from ..errors import suggest
from . import types as T
from .compilation import Compilation
from .context import Scope
from .rules import lets_and_conditions, template, unreachable
from .ruleset import Argument, InvariantDef, QuestionDef, SymmetryDef, frozen_map


def build_questions(c: Compilation) -> dict[str, QuestionDef]:
    """Every question, its arguments, answer and summary templates."""
    questions = {}
    words = duty_words(c)
    for source in c.sources:
        doc = source.doc
        for name, spec in source.clause.questions.items():
            path = ("questions", name)
            if not c.declare("question", name, doc.key_location(path)):
                continue
            for number, paragraph in enumerate(spec.paragraphs):
                c.cite(doc, path + ("paragraphs", number), paragraph)
            args = tuple(Argument(arg, c.type_of(a.type, doc, path + ("args", arg, "type")), a.type, a.says)
                         for arg, a in spec.args.items())
            arg_scope = Scope(c.schema, {a.name: a.type for a in args})
            args = tuple(Argument(a.name, a.type, a.type_text, a.says,
                                  c.expr(doc, path + ("args", a.name, "default"), spec.args[a.name].default,
                                            arg_scope, a.type).fn if spec.args[a.name].default else None)
                         for a in args)
            if spec.at is not None and spec.at not in {a.name for a in args if a.type == T.DATE}:
                c.problem(doc.location(path + ("at",)), f"`at:` must name a date argument of {name}")
            scope = Scope(c.schema, {a.name: a.type for a in args})
            lets, _, scope = lets_and_conditions(c, doc, path, spec.let, [], scope)
            answer = c.expr(doc, path + ("answer",), spec.answer, scope)
            answers = {key: template(c, doc, path + ("answers", key), text, scope.bind(answer=answer.type))
                       for key, text in spec.answers.items()}
            would = {key: template(c, doc, path + ("would", key), text, scope.bind(answer=answer.type))
                     for key, text in spec.would.items()}
            said = scope.bind(answer=answer.type)
            because = {key: tuple((c.expr(doc, path + ("because", key, n, "if"), item.if_, said, T.BOOL).fn
                                   if item.if_ else None, template(c, doc, path + ("because", key, n, "says"),
                                                                   item.says, said))
                                  for n, item in enumerate(items))
                       for key, items in spec.because.items()}
            asks = template(c, doc, path + ("asks",), spec.asks, scope) if spec.asks else ()
            texts = [spec.answer, *spec.let.values(), *(a.default or "" for a in spec.args.values())]
            questions[name] = QuestionDef(name, tuple(spec.paragraphs), spec.says, args, spec.at, answer,
                                          spec.answer, spec.unordered, frozen_map(answers), doc.key_location(path),
                                          lets, reads_duties(texts, words),
                                          frozen_map({key: doc.key_location(path + ("answers", key))
                                                      for key in spec.answers}),
                                          unreachable(c, doc, path, spec.coverage, list(spec.answers)),
                                          asks=asks, because=frozen_map(because),
                                          verdicts=frozen_map({key: template(c, doc, path + ("verdicts", key), text,
                                                                             said)
                                                               for key, text in spec.verdicts.items()}),
                                          would=frozen_map(would))
    return questions


def build_properties(c: Compilation) -> tuple[dict[str, InvariantDef], dict[str, SymmetryDef]]:
    """Invariants and symmetries: what must hold in every valid scenario."""
    invariants, symmetries = {}, {}
    for source in c.sources:
        doc = source.doc
        for name, spec in source.clause.invariants.items():
            path = ("invariants", name)
            if not c.declare("invariant", name, doc.key_location(path)):
                continue
            c.cite(doc, path + ("paragraph",), spec.paragraph)
            bindings: dict[str, T.Type] = {}
            if spec.for_each is not None:
                if spec.for_each not in c.event_specs:
                    c.problem(doc.location(path + ("for_each",)),
                                 f"unknown event type {spec.for_each!r}{suggest(spec.for_each, c.event_specs)}")
                    continue
                bindings["event"] = T.event(spec.for_each)
            if spec.each_day:
                bindings["on"] = T.DATE
            holds = c.expr(doc, path + ("holds",), spec.holds, Scope(c.schema, bindings), T.BOOL)
            invariants[name] = InvariantDef(name, spec.paragraph, spec.says, spec.for_each, spec.each_day,
                                            holds.fn, spec.holds, doc.key_location(path))
        for name, spec in source.clause.symmetries.items():
            path = ("symmetries", name)
            if not c.declare("symmetry", name, doc.key_location(path)):
                continue
            c.cite(doc, path + ("paragraph",), spec.paragraph)
            for key, value in spec.swap_paragraphs.items():
                c.cite(doc, path + ("swap_paragraphs", key), key)
                c.cite(doc, path + ("swap_paragraphs", key), value)
            if len(c.parties) != 2:
                c.problem(doc.location(path), "a symmetry exchanges the two parties: it needs exactly two")
            symmetries[name] = SymmetryDef(name, spec.paragraph, spec.says, frozen_map(spec.swap_paragraphs),
                                           doc.key_location(path))
    return invariants, symmetries


def duty_words(c: Compilation) -> set[str]:
    """The functions and definitions through which an expression may read duty instances."""
    words = {"triggered", "duty_status", "obligations", "breaches"}
    grew = True
    while grew:
        grew = False
        for name, (_, spec) in c.definition_specs.items():
            if name not in words and any(re.search(rf"\b{w}\b", spec.value) for w in words):
                words.add(name)
                grew = True
    return words


def reads_duties(texts: list[str], words: set[str]) -> bool:
    """Whether expressions may read duty instances (directly, or through a definition): conservative."""
    return any(re.search(rf"\b{word}\b", text) for text in texts for word in words)


def default_names(c: Compilation) -> dict[str, str]:
    """How sentences name the default events (`called:`), by id: never by an id the scenario did not write."""
    for source in c.sources:
        spec = source.clause.default_events
        if spec is not None:
            ids = {raw.get("id") for raw in spec.events if isinstance(raw, dict)}
            for key in spec.called:
                if key not in ids:
                    c.problem(source.doc.key_location(("default_events", "called", key)),
                              f"{key!r} is not the id of a default event{suggest(key, [i for i in ids if i])}")
            return dict(spec.called)
    return {}


def build_default_events(c: Compilation) -> tuple[str, str, tuple[dict, ...]] | None:
    found = [(s.doc, s.clause.default_events) for s in c.sources if s.clause.default_events]
    if not found:
        return None
    if len(found) > 1:
        c.problem(found[1][0].location(("default_events",)), "only one clause file may give default_events")
    doc, spec = found[0]
    if spec.unless not in c.event_specs:
        c.problem(doc.location(("default_events", "unless")), f"unknown event type {spec.unless!r}")
    return (spec.unless, spec.says, tuple(spec.events))

