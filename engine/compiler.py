"""Compiler: clause files → a checked, immutable `RuleSet`.

Stage: after model, closures and ruleset. Imports those, `yamlio`, `dates`,
`expressions`, `types`, `errors`.

It reads the manifest (`agreement.yaml`) and the clause files it lists,
validates each against `model`, merges their vocabularies (refusing
duplicates), resolves type names, parses and type-checks every expression,
and checks that every rule cites a paragraph that exists. All problems of all
files are reported together, each with FILE:LINE:COLUMN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from . import dates
from . import model as M
from . import types as T
from .closures import (CompileError, Compiled, DefinitionInfo, EventTypeInfo, Scope, compile_expr,
                       suggest)
from .errors import Diagnostic, Location, MouError
from .expressions import ExpressionSyntaxError, parse
from .ruleset import (NO_DEFAULT, Argument, Assignment, AttributeDef, Binding, CheckDef, Choice, Condition,
                      DutyDef, EventTypeDef, FieldDef, InvariantDef, NoteDef, Paragraph, Parameter, QuestionDef,
                      Rule, RuleSet, SettlementDef, SymmetryDef, Trigger, frozen_map)
from .yamlio import Document, read_yaml

MANIFEST = "agreement.yaml"
BASE_TYPES = {"bool": T.BOOL, "int": T.INT, "text": T.TEXT, "date": T.DATE, "duration": T.DURATION,
              "actor": T.ACTOR}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def compile_corpus(directory: str | Path) -> RuleSet:
    """Compile the clause files in `directory` (which holds `agreement.yaml`)."""
    return _Compiler(Path(directory)).run()


@dataclass
class _Source:
    """A validated clause file with its document (for locations)."""

    doc: Document
    clause: M.ClauseFile


class _Compiler:
    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[Diagnostic] = []
        self.sources: list[_Source] = []
        self.enums: dict[str, T.Type] = {}
        self.where: dict[tuple[str, str], Location] = {}
        self.parties: tuple[str, ...] = ()
        self.param_specs: dict[str, tuple[_Source, M.Parameter]] = {}
        self.choice_specs: dict[str, tuple[_Source, M.Choice]] = {}
        self.definition_specs: dict[str, tuple[_Source, M.Definition]] = {}
        self.state_specs: dict[str, tuple[_Source, M.AttributeSpec]] = {}
        self.event_specs: dict[str, tuple[_Source, M.EventType]] = {}
        self.definitions: dict[str, DefinitionInfo | None] = {}
        self.in_progress: list[str] = []

    # -- reporting -----------------------------------------------------------------

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Diagnostic(location, message))

    def declare(self, kind: str, name: str, location: Location) -> bool:
        """Record a name; report a duplicate with both places. True when new."""
        first = self.where.get((kind, name))
        if first is not None:
            self.problem(location, f"{kind} {name!r} is already defined at {first}")
            return False
        self.where[(kind, name)] = location
        return True

    # -- reading ---------------------------------------------------------------------

    def run(self) -> RuleSet:
        manifest_doc = self.read(self.directory / MANIFEST)
        if manifest_doc is None:
            raise MouError(self.problems)
        try:
            manifest = M.validate(M.Manifest, manifest_doc)
        except MouError as error:
            raise MouError(self.problems + error.diagnostics) from None
        self.parties = tuple(manifest.parties)
        for index, name in enumerate(manifest.files):
            doc = self.read(self.directory / name, manifest_doc.location(("files", index)))
            if doc is None:
                continue
            try:
                self.sources.append(_Source(doc, M.validate(M.ClauseFile, doc)))
            except MouError as error:
                self.problems.extend(error.diagnostics)
        signed_text = ""
        signed_path = self.directory / manifest.signed_text
        try:
            signed_text = signed_path.read_text(encoding="utf-8")
        except OSError:
            self.problem(manifest_doc.location(("signed_text",)), f"cannot read the signed text {signed_path}")
        if self.problems:
            raise MouError(self.problems)
        ruleset = self.build(manifest, signed_text)
        if self.problems:
            raise MouError(self.problems)
        return ruleset

    def read(self, path: Path, referenced_at: Location | None = None) -> Document | None:
        if not path.is_file():
            self.problem(referenced_at or Location(str(path)), f"clause file {path} not found")
            return None
        try:
            return read_yaml(path)
        except MouError as error:
            self.problems.extend(error.diagnostics)
            return None

    # -- vocabulary ------------------------------------------------------------------

    def build(self, manifest: M.Manifest, signed_text: str) -> RuleSet:
        paragraphs: dict[str, Paragraph] = {}
        for source in self.sources:
            doc, clause = source.doc, source.clause
            for index, paragraph in enumerate(clause.paragraphs):
                location = doc.location(("paragraphs", index, "id"))
                if self.declare("paragraph", paragraph.id, location):
                    paragraphs[paragraph.id] = Paragraph(paragraph.id, " ".join(paragraph.text.split()),
                                                         clause.article, location)
            for name, values in clause.enums.items():
                if name in BASE_TYPES:
                    self.problem(doc.key_location(("enums", name)), f"{name!r} is a built-in type; choose another name")
                elif self.declare("enum", name, doc.key_location(("enums", name))):
                    self.enums[name] = T.enum(name, values)
            for section, specs in (("parameters", self.param_specs), ("choices", self.choice_specs),
                                   ("definitions", self.definition_specs), ("state", self.state_specs),
                                   ("event_types", self.event_specs)):
                for name, spec in getattr(clause, section).items():
                    if self.declare(section[:-1] if section != "state" else "state attribute", name,
                                    doc.key_location((section, name))):
                        specs[name] = (source, spec)
        self.paragraphs = paragraphs
        self.parameters = self.build_parameters()
        self.choices = self.build_choices()
        self.entity_attributes = {"agreement": self.build_attributes(
            {name: spec for name, (_, spec) in self.state_specs.items()},
            lambda name: (self.state_specs[name][0].doc, ("state", name)))}
        self.event_types_partial = {name: self.event_fields(name, source, spec)
                                    for name, (source, spec) in self.event_specs.items()}
        self.schema = _Schema(self)
        for name in self.definition_specs:
            self.schema.definition(name)
        event_types = {name: self.build_event_type(name, source, spec)
                       for name, (source, spec) in self.event_specs.items()}
        rules = self.build_rules()
        questions = self.build_questions()
        invariants, symmetries = self.build_properties()
        default_events = self.build_default_events()
        date_triggers: dict[tuple[str, str], tuple[Rule, ...]] = {}
        for rule in rules:
            if rule.trigger.kind == "date":
                key = (rule.trigger.owner, rule.trigger.attr)
                date_triggers[key] = date_triggers.get(key, ()) + (rule,)
        for name, (source, spec) in self.event_specs.items():
            self.cite(source.doc, ("event_types", name, "paragraph"), spec.paragraph)
        return RuleSet(
            agreement=manifest.agreement, title=manifest.title, short_name=manifest.short_name,
            parties=self.parties, paragraphs=frozen_map(paragraphs), enums=frozen_map(self.enums),
            parameters=frozen_map(self.parameters), choices=frozen_map(self.choices),
            entity_attributes=frozen_map({k: frozen_map(v) for k, v in self.entity_attributes.items()}),
            event_types=frozen_map(event_types), rules=tuple(rules),
            duties=frozen_map({rule.duty.id: rule.duty for rule in rules if rule.duty is not None}),
            questions=frozen_map(questions),
            default_events=default_events, date_triggers=frozen_map(date_triggers),
            files=tuple(manifest.files), signed_text=signed_text, layout=tuple(manifest.layout),
            titles=frozen_map({source.clause.article: source.clause.title for source in self.sources}),
            invariants=frozen_map(invariants), symmetries=frozen_map(symmetries))

    def cite(self, doc: Document, path: tuple, paragraph: str) -> None:
        """Check that a cited paragraph exists."""
        if paragraph not in self.paragraphs:
            self.problem(doc.location(path),
                         f"cites paragraph {paragraph!r}, which no clause file defines{suggest(paragraph, self.paragraphs)}")

    def type_of(self, text: str, doc: Document, path: tuple) -> T.Type:
        """Resolve a type name such as `date`, `form`, `list[actor]`, `event[termination_notice]`."""
        text = text.strip()
        if text in BASE_TYPES:
            return BASE_TYPES[text]
        if text in self.enums:
            return self.enums[text]
        if text == "parameter":
            return T.enum("parameter", sorted(self.param_specs))
        if text == "changes":
            return T.Type("changes")
        match = re.fullmatch(r"list\[(.+)\]", text)
        if match:
            return T.list_of(self.type_of(match.group(1), doc, path))
        match = re.fullmatch(r"event\[([A-Za-z_|\s]+)\]", text)
        if match:
            names = [name.strip() for name in match.group(1).split("|")]
            for name in names:
                if name not in self.event_specs:
                    self.problem(doc.location(path), f"unknown event type {name!r}{suggest(name, self.event_specs)}")
            return T.event(*names)
        known = list(BASE_TYPES) + list(self.enums) + ["parameter", "changes", "list[…]", "event[…]"]
        self.problem(doc.location(path), f"unknown type {text!r}{suggest(text, known)}; "
                                         f"known types: {', '.join(known)}")
        return T.ANY

    def convert(self, value: Any, type_: T.Type, doc: Document, path: tuple) -> Any:
        """A YAML scalar as an engine value of `type_`; problems reported at `path`."""
        if value is None:
            return None
        try:
            return to_value(value, type_, self.parties)
        except ValueError as error:
            self.problem(doc.location(path), str(error))
            return None

    def build_parameters(self) -> dict[str, Parameter]:
        result = {}
        for name, (source, spec) in self.param_specs.items():
            doc = source.doc
            path = ("parameters", name)
            type_ = self.type_of(spec.type, doc, path + ("type",))
            self.cite(doc, path + ("paragraph",), spec.paragraph)
            if spec.default is None:
                self.problem(doc.location(path), f"parameter {name!r} needs a default (the value the text fixes)")
            default = self.convert(spec.default, type_, doc, path + ("default",))
            result[name] = Parameter(name, type_, default, spec.paragraph, spec.source, spec.says,
                                     doc.key_location(path))
        return result

    def build_choices(self) -> dict[str, Choice]:
        result = {}
        for name, (source, spec) in self.choice_specs.items():
            doc = source.doc
            path = ("choices", name)
            self.cite(doc, path + ("paragraph",), spec.paragraph)
            if spec.type == "bool":
                type_, values = T.BOOL, (True, False)
            elif spec.type == "text":
                if not spec.values:
                    self.problem(doc.location(path), f"choice {name!r} lists no values")
                type_, values = T.enum(name, [str(v) for v in spec.values]), tuple(str(v) for v in spec.values)
            else:
                type_ = self.type_of(spec.type, doc, path + ("type",))
                values = tuple(self.convert(v, type_, doc, path + ("values", i)) for i, v in enumerate(spec.values))
            default = self.convert(spec.default, type_, doc, path + ("default",))
            if default is None and not spec.unset:
                self.problem(doc.location(path), f"choice {name!r} needs a default, or `unset:` saying "
                                                 "what stays undecided while it is unset")
            if values and default is not None and default not in values:
                self.problem(doc.location(path + ("default",)), f"default {spec.default!r} is not one of the values")
            for key in spec.means:
                if values and key not in [str(v).lower() if isinstance(v, bool) else str(v) for v in values]:
                    self.problem(doc.key_location(path + ("means", key)), f"{key!r} is not a value of choice {name!r}")
            result[name] = Choice(name, type_, values, default, spec.paragraph, spec.source,
                                  frozen_map(spec.means), spec.unset, doc.key_location(path))
        return result

    def build_attributes(self, specs: dict[str, M.AttributeSpec],
                         where: Callable[[str], tuple[Document, tuple]]) -> dict[str, AttributeDef]:
        result = {}
        for name, spec in specs.items():
            doc, path = where(name)
            type_ = self.type_of(spec.type, doc, path + ("type",))
            initial = self.convert(spec.initial, type_, doc, path + ("initial",))
            if type_.kind == "list" and initial is None:
                initial = ()
            result[name] = AttributeDef(name, type_, initial, spec.says)
        return result

    def event_fields(self, name: str, source: _Source, spec: M.EventType) -> tuple[dict, dict]:
        doc = source.doc
        base = ("event_types", name)
        fields: dict[str, FieldDef] = {}
        for field_name, field in spec.fields.items():
            path = base + ("fields", field_name)
            if field_name in ("id", "type", "date"):
                self.problem(doc.key_location(path), f"{field_name!r} is a field of every event; do not declare it")
                continue
            type_ = self.type_of(field.type, doc, path + ("type",))
            if isinstance(field.default, dict):
                other = field.default.get("field", "")
                if set(field.default) != {"field"} or (other not in spec.fields and other != "date"):
                    self.problem(doc.location(path + ("default",)),
                                 "a default is a value, or {field: NAME} to copy another field of the event")
                default: Any = ("field", other)
            elif field.default is None:
                default = NO_DEFAULT if not field.required else None
                if "default" in (doc.data["event_types"][name]["fields"][field_name] or {}):
                    default = None  # `default: null`: absent means none, not unknown
            else:
                default = self.convert(field.default, type_, doc, path + ("default",))
            if type_.kind == "list" and default is None:
                default = ()
            typos_of = None
            if field.typos_of is not None:
                typos_of = self.enums.get(field.typos_of)
                if typos_of is None:
                    self.problem(doc.location(path + ("typos_of",)),
                                 f"unknown enum {field.typos_of!r}{suggest(field.typos_of, self.enums)}")
            fields[field_name] = FieldDef(field_name, type_, field.type, field.required, default, field.says,
                                          field.ask, typos_of)
        attributes = self.build_attributes(dict(spec.attributes),
                                           lambda attr: (doc, base + ("attributes", attr)))
        if spec.takes_effect is not None:
            attributes[spec.takes_effect.name] = AttributeDef(spec.takes_effect.name, T.DATE, None,
                                                              spec.takes_effect.says)
        for attr in attributes:
            if attr in fields:
                self.problem(doc.key_location(base + ("attributes", attr)),
                             f"{attr!r} is both a field and an attribute of {name}")
        return fields, attributes

    def build_event_type(self, name: str, source: _Source, spec: M.EventType) -> EventTypeDef:
        doc = source.doc
        base = ("event_types", name)
        fields, attributes = self.event_fields(name, source, spec)
        scope = Scope(self.schema, {"event": T.event(name)})
        takes_effect = None
        if spec.takes_effect is not None:
            compiled = self.expr(doc, base + ("takes_effect", "value"), spec.takes_effect.value, scope, T.DATE)
            takes_effect = (spec.takes_effect.name, compiled, spec.takes_effect.value)
        checks = []
        for index, check in enumerate(spec.checks):
            compiled = self.expr(doc, base + ("checks", index, "valid"), check.valid, scope, T.BOOL)
            if check.field not in fields and check.field != "date":
                self.problem(doc.location(base + ("checks", index, "field")), f"{name} has no field {check.field!r}")
            checks.append(CheckDef(compiled.fn, check.valid, check.message, check.field))
        return EventTypeDef(name, spec.paragraph, spec.says, frozen_map(fields), frozen_map(attributes),
                            takes_effect, tuple(checks), doc.key_location(base))

    # -- expressions -----------------------------------------------------------------

    def expr(self, doc: Document, path: tuple, text: str, scope: Scope, want: T.Type | None = None) -> Compiled:
        """Parse and compile one expression; on error report it and return a dummy."""
        try:
            compiled = compile_expr(parse(text), scope)
        except ExpressionSyntaxError as error:
            self.problem(doc.text_location(path, error.offset, error.fragment), f"syntax error: {error}")
            return Compiled(want or T.ANY, _broken)
        except CompileError as error:
            node = error.node
            offset = node.start if node is not None else 0
            fragment = text[node.start:node.end] if node is not None else ""
            self.problem(doc.text_location(path, offset, fragment.split("\n")[0][:40]), str(error))
            return Compiled(want or T.ANY, _broken)
        if want is not None and not _assignable(want, compiled):
            self.problem(doc.location(path), f"expected {want}, but this is {compiled.type}")
        return compiled

    def compile_definition(self, name: str) -> DefinitionInfo | None:
        source, spec = self.definition_specs[name]
        doc = source.doc
        path = ("definitions", name)
        params = tuple((param, self.type_of(type_text, doc, path + ("params", param)))
                       for param, type_text in spec.params.items())
        if spec.paragraph:
            self.cite(doc, path + ("paragraph",), spec.paragraph)
        compiled = self.expr(doc, path + ("value",), spec.value, Scope(self.schema, dict(params)))
        return DefinitionInfo(name, params, compiled.type, compiled.fn)

    # -- rules -------------------------------------------------------------------------

    def build_rules(self) -> list[Rule]:
        rules: list[Rule] = []
        for source in self.sources:
            for index, spec in enumerate(source.clause.rules):
                rule = self.build_rule(source.doc, ("rules", index), spec, len(rules))
                if rule is not None:
                    rules.append(rule)
            for name, duty in source.clause.duties.items():
                rule = self.build_duty(source.doc, name, duty, len(rules))
                if rule is not None:
                    rules.append(rule)
        return rules

    def trigger(self, doc: Document, path: tuple, spec: M.Rule) -> tuple[Trigger, dict[str, T.Type]] | None:
        if (spec.on is None) == (spec.at is None):
            self.problem(doc.location(path), "a rule needs exactly one trigger: `on: EVENT_TYPE` or "
                                             "`at: EVENT_TYPE.DATE_ATTRIBUTE`")
            return None
        if spec.on is not None:
            if spec.on not in self.event_specs:
                self.problem(doc.location(path + ("on",)), f"unknown event type {spec.on!r}{suggest(spec.on, self.event_specs)}")
                return None
            return Trigger("event", spec.on), {"event": T.event(spec.on)}
        owner, _, attr = (spec.at or "").partition(".")
        if owner in self.entity_attributes:
            attributes = self.entity_attributes[owner]
            bindings: dict[str, T.Type] = {}
        elif owner in self.event_types_partial:
            attributes = self.event_types_partial[owner][1]
            bindings = {"event": T.event(owner)}
        else:
            known = list(self.event_specs) + list(self.entity_attributes)
            self.problem(doc.location(path + ("at",)), f"unknown event type or entity {owner!r}{suggest(owner, known)}")
            return None
        if attr not in attributes or attributes[attr].type != T.DATE:
            dated = [name for name, a in attributes.items() if a.type == T.DATE]
            self.problem(doc.location(path + ("at",)),
                         f"`at:` needs a date attribute of {owner}; {attr!r} is not one{suggest(attr, dated)}")
            return None
        return Trigger("date", owner, attr), bindings

    def build_rule(self, doc: Document, path: tuple, spec: M.Rule, index: int) -> Rule | None:
        location = doc.location(path)
        self.declare("rule", spec.id, location)
        self.cite(doc, path + ("paragraph",), spec.paragraph)
        found = self.trigger(doc, path, spec)
        if found is None:
            return None
        trigger, bindings = found
        scope = Scope(self.schema, bindings, today=True)
        guard = None
        if spec.applies_if is not None:
            compiled = self.expr(doc, path + ("applies_if",), spec.applies_if, scope, T.BOOL)
            guard = Condition("applies", spec.applies_if, compiled.fn, doc.location(path + ("applies_if",)))
        lets, conditions, scope = self.lets_and_conditions(doc, path, spec.let, spec.when, scope)
        effects = scope.bind(outcome=T.BOOL)
        then = self.assignments(doc, path + ("then",), spec.then, effects)
        otherwise = self.assignments(doc, path + ("else",), spec.else_, effects)
        # In `unknown:`, `outcome` is the unknown itself (with the facts it lacks), fit for any attribute.
        unknown = self.assignments(doc, path + ("unknown",), spec.unknown, scope.bind(outcome=T.ANY))
        notes = tuple(self.note(doc, path + ("notes", number), note, scope) for number, note in enumerate(spec.notes))
        return Rule(spec.id, index, spec.paragraph, spec.says, trigger, lets, conditions, then,
                    otherwise, unknown, notes, location, spec.kind, guard)

    def lets_and_conditions(self, doc: Document, path: tuple, let: dict[str, str], when: list,
                            scope: Scope) -> tuple[tuple[Binding, ...], tuple[Condition, ...], Scope]:
        """Compile `let:` (in order, each seeing the ones before) and `when:` of a rule or duty."""
        lets = []
        for name, text in let.items():
            if name in scope.bindings or name in self.event_specs or name in ("parties", "choice", "today"):
                self.problem(doc.key_location(path + ("let", name)), f"{name!r} is already a name here; choose another")
                continue
            compiled = self.expr(doc, path + ("let", name), text, scope)
            lets.append(Binding(name, text, compiled.fn))
            scope = scope.bind(**{name: compiled.type})
        conditions = []
        for number, item in enumerate(when):
            if isinstance(item, str):
                says, text, item_path = item, item, path + ("when", number)
            elif len(item) == 1:
                says, text = next(iter(item.items()))
                item_path = path + ("when", number, says)
            else:
                self.problem(doc.location(path + ("when", number)),
                             "a condition is an expression, or one `plain words: expression` pair")
                continue
            compiled = self.expr(doc, item_path, text, scope, T.BOOL)
            conditions.append(Condition(says, text, compiled.fn, doc.location(item_path)))
        return tuple(lets), tuple(conditions), scope

    def build_duty(self, doc: Document, name: str, spec: M.Duty, index: int) -> Rule | None:
        """A duty: its definition, and the rule that creates its instances when triggered."""
        path = ("duties", name)
        location = doc.key_location(path)
        self.declare("rule", name, location)
        self.cite(doc, path + ("paragraph",), spec.paragraph)
        found = self.trigger(doc, path, spec)
        if found is None:
            return None
        trigger, bindings = found
        lets, conditions, scope = self.lets_and_conditions(doc, path, spec.let, spec.when,
                                                           Scope(self.schema, bindings, today=True))
        later = Scope(self.schema, scope.bindings)  # judged on a date, after the replay: no `today`
        bearers = self.expr(doc, path + ("bearers",), spec.bearers, later, T.list_of(T.ACTOR))
        with_bearer = later.bind(bearer=T.ACTOR)
        counterparty = (self.expr(doc, path + ("counterparty",), spec.counterparty, with_bearer, T.ACTOR).fn
                        if spec.counterparty is not None else None)
        with_parties = with_bearer.bind(counterparty=T.ACTOR)
        settlement = None
        if spec.settled_by is not None:
            settled = spec.settled_by
            spath = path + ("settled_by",)
            if settled.act not in self.event_specs:
                self.problem(doc.location(spath + ("act",)),
                             f"unknown event type {settled.act!r}{suggest(settled.act, self.event_specs)}")
            else:
                with_act = with_parties.bind(act=T.event(settled.act))
                match = self.expr(doc, spath + ("match",), settled.match, with_act, T.BOOL)
                until = (self.expr(doc, spath + ("until",), settled.until, with_parties, T.DATE).fn
                         if settled.until is not None else None)
                outcomes = tuple((status, self.expr(doc, spath + ("outcomes", status), text, with_act, T.BOOL).fn, text)
                                 for status, text in settled.outcomes.items())
                settlement = SettlementDef(settled.act, match.fn, until, outcomes, settled.match)

        def date_expr(key: str, text: str | None, scope_: Scope):
            return self.expr(doc, path + (key,), text, scope_, T.DATE).fn if text is not None else None

        violated_if = (self.expr(doc, path + ("violated_if",), spec.violated_if, with_parties.bind(on=T.DATE),
                                 T.BOOL).fn if spec.violated_if is not None else None)
        duty = DutyDef(name, spec.paragraph, spec.says, spec.kind, trigger, bearers.fn, counterparty,
                       spec.anticipated, settlement, date_expr("deadline", spec.deadline, with_parties),
                       spec.deadline or "", violated_if, spec.violated_if or "",
                       date_expr("lapses_after", spec.lapses_after, with_parties), spec.listed, location)
        return Rule(name, index, spec.paragraph, spec.says, trigger, lets, conditions, (), (), (), (), location,
                    spec.kind, None, duty)

    def assignments(self, doc: Document, path: tuple, spec: dict[str, str], scope: Scope) -> tuple[Assignment, ...]:
        result = []
        for target_text, text in spec.items():
            item_path = path + (target_text,)
            if target_text == "parameters":
                compiled = self.expr(doc, item_path, text, scope)
                if compiled.type.kind not in ("changes", "any"):
                    self.problem(doc.location(item_path), "`parameters:` takes a value of type `changes` "
                                                          f"(parameter → new value), got {compiled.type}")
                result.append(Assignment("", "", text, compiled.fn, target_text))
                continue
            owner, _, attr = target_text.partition(".")
            if owner in self.entity_attributes:
                attributes, target = self.entity_attributes[owner], "$" + owner
            elif owner in scope.bindings and scope.bindings[owner].kind == "event":
                event_types = sorted(scope.bindings[owner].events)
                attributes = self.event_types_partial[event_types[0]][1]
                target = owner
                for other in event_types[1:]:
                    attributes = {k: v for k, v in attributes.items() if k in self.event_types_partial[other][1]}
            else:
                self.problem(doc.key_location(item_path), f"cannot set {target_text!r}: write ENTITY.ATTRIBUTE, "
                                                          "e.g. event.valid or agreement.entry_into_force")
                continue
            if attr not in attributes:
                fields = self.event_types_partial.get(sorted(scope.bindings[owner].events)[0], ({}, {}))[0] \
                    if owner in scope.bindings else {}
                why = " (a field given by the scenario; rules may only set attributes)" if attr in fields else ""
                self.problem(doc.key_location(item_path),
                             f"{owner} has no attribute {attr!r}{why}{suggest(attr, attributes)}")
                continue
            declared = attributes[attr]
            compiled = self.expr(doc, item_path, text, scope)
            if not _assignable(declared.type, compiled):
                self.problem(doc.location(item_path), f"{target_text} is a {declared.type}; this value is a {compiled.type}")
            result.append(Assignment(target, attr, text, compiled.fn, target_text))
        return tuple(result)

    def note(self, doc: Document, path: tuple, note: M.Note, scope: Scope) -> NoteDef:
        condition = self.expr(doc, path + ("if",), note.if_, scope, T.BOOL).fn if note.if_ else None
        return NoteDef(self.template(doc, path + ("text",), note.text, scope), condition)

    def template(self, doc: Document, path: tuple, text: str, scope: Scope) -> tuple:
        """Plain text with `{expression}` placeholders, compiled."""
        parts: list = []
        last = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append(text[last:match.start()])
            parts.append(self.expr(doc, path, match.group(1), scope).fn)
            last = match.end()
        parts.append(text[last:])
        return tuple(part for part in parts if part != "")

    # -- questions and defaults ----------------------------------------------------------

    def build_questions(self) -> dict[str, QuestionDef]:
        questions = {}
        for source in self.sources:
            doc = source.doc
            for name, spec in source.clause.questions.items():
                path = ("questions", name)
                if not self.declare("question", name, doc.key_location(path)):
                    continue
                for number, paragraph in enumerate(spec.paragraphs):
                    self.cite(doc, path + ("paragraphs", number), paragraph)
                args = tuple(Argument(arg, self.type_of(a.type, doc, path + ("args", arg, "type")), a.type, a.says)
                             for arg, a in spec.args.items())
                arg_scope = Scope(self.schema, {a.name: a.type for a in args})
                args = tuple(Argument(a.name, a.type, a.type_text, a.says,
                                      self.expr(doc, path + ("args", a.name, "default"), spec.args[a.name].default,
                                                arg_scope, a.type).fn if spec.args[a.name].default else None)
                             for a in args)
                if spec.at is not None and spec.at not in {a.name for a in args if a.type == T.DATE}:
                    self.problem(doc.location(path + ("at",)), f"`at:` must name a date argument of {name}")
                scope = Scope(self.schema, {a.name: a.type for a in args})
                lets, _, scope = self.lets_and_conditions(doc, path, spec.let, [], scope)
                answer = self.expr(doc, path + ("answer",), spec.answer, scope)
                answers = {key: self.template(doc, path + ("answers", key), text, scope.bind(answer=answer.type))
                           for key, text in spec.answers.items()}
                texts = [spec.answer, *spec.let.values(), *(a.default or "" for a in spec.args.values())]
                questions[name] = QuestionDef(name, tuple(spec.paragraphs), spec.says, args, spec.at, answer,
                                              spec.answer, spec.unordered, frozen_map(answers), doc.key_location(path),
                                              lets, self.reads_duties(texts))
        return questions

    def build_properties(self) -> tuple[dict[str, InvariantDef], dict[str, SymmetryDef]]:
        """Invariants and symmetries: what must hold in every valid scenario."""
        invariants, symmetries = {}, {}
        for source in self.sources:
            doc = source.doc
            for name, spec in source.clause.invariants.items():
                path = ("invariants", name)
                if not self.declare("invariant", name, doc.key_location(path)):
                    continue
                self.cite(doc, path + ("paragraph",), spec.paragraph)
                bindings: dict[str, T.Type] = {}
                if spec.for_each is not None:
                    if spec.for_each not in self.event_specs:
                        self.problem(doc.location(path + ("for_each",)),
                                     f"unknown event type {spec.for_each!r}{suggest(spec.for_each, self.event_specs)}")
                        continue
                    bindings["event"] = T.event(spec.for_each)
                if spec.each_day:
                    bindings["on"] = T.DATE
                holds = self.expr(doc, path + ("holds",), spec.holds, Scope(self.schema, bindings), T.BOOL)
                invariants[name] = InvariantDef(name, spec.paragraph, spec.says, spec.for_each, spec.each_day,
                                                holds.fn, spec.holds, doc.key_location(path))
            for name, spec in source.clause.symmetries.items():
                path = ("symmetries", name)
                if not self.declare("symmetry", name, doc.key_location(path)):
                    continue
                self.cite(doc, path + ("paragraph",), spec.paragraph)
                for key, value in spec.swap_paragraphs.items():
                    self.cite(doc, path + ("swap_paragraphs", key), key)
                    self.cite(doc, path + ("swap_paragraphs", key), value)
                if len(self.parties) != 2:
                    self.problem(doc.location(path), "a symmetry exchanges the two parties: it needs exactly two")
                symmetries[name] = SymmetryDef(name, spec.paragraph, spec.says, frozen_map(spec.swap_paragraphs),
                                               doc.key_location(path))
        return invariants, symmetries

    def reads_duties(self, texts: list[str]) -> bool:
        """Whether expressions may read duty instances (directly, or through a definition): conservative."""
        if not hasattr(self, "_duty_words"):
            words = {"triggered", "duty_status", "obligations", "breaches"}
            grew = True
            while grew:
                grew = False
                for name, (_, spec) in self.definition_specs.items():
                    if name not in words and any(re.search(rf"\b{w}\b", spec.value) for w in words):
                        words.add(name)
                        grew = True
            self._duty_words = words
        return any(re.search(rf"\b{word}\b", text) for text in texts for word in self._duty_words)

    def build_default_events(self) -> tuple[str, str, tuple[dict, ...]] | None:
        found = [(s.doc, s.clause.default_events) for s in self.sources if s.clause.default_events]
        if not found:
            return None
        if len(found) > 1:
            self.problem(found[1][0].location(("default_events",)), "only one clause file may give default_events")
        doc, spec = found[0]
        if spec.unless not in self.event_specs:
            self.problem(doc.location(("default_events", "unless")), f"unknown event type {spec.unless!r}")
        return (spec.unless, spec.says, tuple(spec.events))


class _Schema:
    """The vocabulary the expression compiler sees, backed by the compiler's tables."""

    def __init__(self, compiler: _Compiler):
        self.compiler = compiler
        self.parties = compiler.parties
        self.event_types = {name: EventTypeInfo(name, {f: d.type for f, d in fields.items()},
                                                {a: d.type for a, d in attributes.items()})
                            for name, (fields, attributes) in compiler.event_types_partial.items()}
        self.entities = {name: {a: d.type for a, d in attrs.items()}
                         for name, attrs in compiler.entity_attributes.items()}
        self.parameters = {name: p.type for name, p in compiler.parameters.items()}
        self.choices = {name: c.type for name, c in compiler.choices.items()}
        self.enums = dict(compiler.enums)
        self.definition_names = tuple(compiler.definition_specs)
        self.duty_names = tuple(name for source in compiler.sources for name in source.clause.duties)
        self.cache: dict[str, DefinitionInfo] = {}
        self.stack: list[str] = []

    def definition(self, name: str) -> DefinitionInfo | None:
        if name not in self.compiler.definition_specs:
            return None
        if name in self.cache:
            return self.cache[name]
        if name in self.stack:
            raise CompileError(f"definition {name!r} refers to itself: {' → '.join(self.stack + [name])}")
        self.stack.append(name)
        try:
            info = self.compiler.compile_definition(name)
        finally:
            self.stack.pop()
        self.cache[name] = info
        return info


def _broken(ctx: Any) -> Any:
    raise AssertionError("a clause expression that failed to compile was run")  # pragma: no cover


def _assignable(declared: T.Type, compiled: Compiled) -> bool:
    if compiled.type in (T.ANY, T.NULL) or declared == T.ANY:
        return True
    if declared.kind == "enum" and compiled.is_constant and isinstance(compiled.constant, str):
        return compiled.constant in declared.values
    if declared.kind == "list" and compiled.type.kind == "list":
        return compiled.type.item in (T.ANY, None) or T.comparable(declared.item or T.ANY, compiled.type.item)
    if declared.kind == "event" and compiled.type.kind == "event":
        return compiled.type.events <= declared.events
    if declared.kind == "enum" and compiled.type.kind == "text":
        return False
    return T.comparable(declared, compiled.type) and (declared.kind == compiled.type.kind
                                                      or T.textlike(declared) and T.textlike(compiled.type))


def to_value(value: Any, type_: T.Type, parties: Iterable[str] = ()) -> Any:
    """A plain YAML value as an engine value of `type_`; ValueError with a message if it does not fit."""
    kind = type_.kind
    if value is None:
        return None
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        return value
    if kind == "date":
        try:
            return dates.parse_date(value)
        except dates.DateError as error:
            raise ValueError(str(error)) from None
    if kind == "duration":
        try:
            return dates.parse_duration(value)
        except dates.DateError as error:
            raise ValueError(str(error)) from None
    if kind in ("text", "actor"):
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value
    if kind == "enum":
        if value not in type_.values:
            raise ValueError(f"{value!r} is not a {type_}{suggest(str(value), type_.values)}; "
                             f"expected one of {', '.join(map(str, type_.values))}")
        return value
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return tuple(to_value(item, type_.item or T.ANY, parties) for item in items)
    return value
