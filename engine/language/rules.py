"""Compiling rules and duties: triggers, conditions, conclusions, notes and settlement.

Stage: the clause language, part of the compiler. Imports `compilation`, `closures`, `expressions`,
`model`, `ruleset`, `context`, `types`, `templates`, `agenda` (the agenda's words) and `errors`.

A rule becomes a `Rule`: its trigger (an event type, or a date attribute it
watches), its `let`s and conditions in order, and what it concludes when its
conditions hold, fail or are unknown. A duty becomes a `DutyDef` and the
trigger rule that creates its instances.
"""

from __future__ import annotations

from ..errors import suggest
from . import model as M
from . import types as T
from .agenda import act_of, awaits, duty_agenda, duty_reads, upcoming
from .closures import compile_expr
from .compilation import Compilation
from .context import CompileError, Fn, Scope, assignable
from .expressions import Attr, BoolOp, Compare, ExpressionSyntaxError, Name, Node, parse, walk
from .ruleset import DUTY_STATUSES, Assignment, Binding, Condition, DutyDef, NoteDef, Rule, SettlementDef, Trigger, frozen_map
from .templates import template  # questions take it from here too
from .yamlio import Document


def build_rules(c: Compilation) -> list[Rule]:
    rules: list[Rule] = []
    for source in c.sources:
        for index, spec in enumerate(source.clause.rules):
            rule = _build_rule(c, source.doc, ("rules", index), spec, len(rules))
            if rule is not None:
                rules.append(rule)
        for name, duty in source.clause.duties.items():
            rule = _build_duty(c, source.doc, name, duty, len(rules))
            if rule is not None:
                rules.append(rule)
    return rules


def _trigger(c: Compilation, doc: Document, path: tuple, spec: M.Rule) -> tuple[Trigger, dict[str, T.Type]] | None:
    if (spec.on is None) == (spec.at is None):
        c.problem(doc.location(path), "a rule needs exactly one trigger: `on: EVENT_TYPE` or "
                                         "`at: EVENT_TYPE.DATE_ATTRIBUTE`")
        return None
    if spec.on is not None:
        if spec.on not in c.event_specs:
            c.problem(doc.location(path + ("on",)), f"unknown event type {spec.on!r}{suggest(spec.on, c.event_specs)}")
            return None
        return Trigger("event", spec.on), {"event": T.event(spec.on)}
    owner, _, attr = (spec.at or "").partition(".")
    if owner in c.entity_attributes:
        attributes = c.entity_attributes[owner]
        bindings: dict[str, T.Type] = {}
    elif owner in c.event_types_partial:
        attributes = c.event_types_partial[owner][1]
        bindings = {"event": T.event(owner)}
    else:
        known = list(c.event_specs) + list(c.entity_attributes)
        c.problem(doc.location(path + ("at",)), f"unknown event type or entity {owner!r}{suggest(owner, known)}")
        return None
    if attr not in attributes or attributes[attr].type != T.DATE:
        dated = [name for name, a in attributes.items() if a.type == T.DATE]
        c.problem(doc.location(path + ("at",)),
                     f"`at:` needs a date attribute of {owner}; {attr!r} is not one{suggest(attr, dated)}")
        return None
    return Trigger("date", owner, attr), bindings


def _build_rule(c: Compilation, doc: Document, path: tuple, spec: M.Rule, index: int) -> Rule | None:
    location = doc.location(path)
    c.declare("rule", spec.id, location)
    c.cite(doc, path + ("paragraph",), spec.paragraph)
    found = _trigger(c, doc, path, spec)
    if found is None:
        return None
    trigger, bindings = found
    scope = Scope(c.schema, bindings, today=True)
    guard = None
    if spec.applies_if is not None:
        compiled = c.expr(doc, path + ("applies_if",), spec.applies_if, scope, T.BOOL)
        guard = Condition("applies", spec.applies_if, compiled.fn, doc.location(path + ("applies_if",)))
    lets, conditions, scope = lets_and_conditions(c, doc, path, spec.let, spec.when, scope)
    effects = scope.bind(outcome=T.BOOL)
    then = _assignments(c, doc, path + ("then",), spec.then, effects)
    otherwise = _assignments(c, doc, path + ("else",), spec.else_, effects)
    # In `unknown:`, `outcome` is the unknown itself (with the facts it lacks), fit for any attribute.
    unknown = _assignments(c, doc, path + ("unknown",), spec.unknown, scope.bind(outcome=T.ANY))
    notes = tuple(_note(c, doc, path + ("notes", number), note, scope) for number, note in enumerate(spec.notes))
    applied = template(c, doc, path + ("applied",), spec.applied, scope) if spec.applied else ()
    branches = frozen_map({name: doc.key_location(path + (name,))
                           for name, given in (("then", spec.then), ("else", spec.else_), ("unknown", spec.unknown))
                           if given})
    return Rule(spec.id, index, spec.paragraph, spec.says, trigger, lets, conditions, then,
                otherwise, unknown, notes, location, spec.kind, guard, requires=spec.requires or "", applied=applied,
                upcoming=upcoming(c, doc, path, spec.upcoming, trigger, scope),
                awaits=awaits(c, doc, path, spec.awaits, trigger, Scope(c.schema, {})),
                branches=branches, rests_on=_rests_on(c, doc, path, spec.rests_on), unreachable=unreachable(c, doc, path, spec.coverage, rule_items(conditions, guard,
                                                                                                 branches)))


def lets_and_conditions(c: Compilation, doc: Document, path: tuple, let: dict[str, str], when: list,
                        scope: Scope) -> tuple[tuple[Binding, ...], tuple[Condition, ...], Scope]:
    """Compile `let:` (in order, each seeing the ones before) and `when:` of a rule or duty."""
    lets = []
    for name, text in let.items():
        if name in scope.bindings or name in c.event_specs or name in ("parties", "choice", "today"):
            c.problem(doc.key_location(path + ("let", name)), f"{name!r} is already a name here; choose another")
            continue
        compiled = c.expr(doc, path + ("let", name), text, scope)
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
            c.problem(doc.location(path + ("when", number)),
                         "a condition is an expression, or one `plain words: expression` pair")
            continue
        compiled = c.expr(doc, item_path, text, scope, T.BOOL)
        conditions.append(Condition(says, text, compiled.fn, doc.location(item_path)))
    return tuple(lets), tuple(conditions), scope


def _build_duty(c: Compilation, doc: Document, name: str, spec: M.Duty, index: int) -> Rule | None:
    """A duty: its definition, and the rule that creates its instances when triggered."""
    path = ("duties", name)
    location = doc.key_location(path)
    c.declare("rule", name, location)
    c.cite(doc, path + ("paragraph",), spec.paragraph)
    found = _trigger(c, doc, path, spec)
    if found is None:
        return None
    trigger, bindings = found
    lets, conditions, scope = lets_and_conditions(c, doc, path, spec.let, spec.when,
                                                       Scope(c.schema, bindings, today=True))
    later = Scope(c.schema, scope.bindings)  # judged on a date, after the replay: no `today`
    bearers = c.expr(doc, path + ("bearers",), spec.bearers, later, T.list_of(T.ACTOR))
    with_bearer = later.bind(bearer=T.ACTOR)
    counterparty = (c.expr(doc, path + ("counterparty",), spec.counterparty, with_bearer, T.ACTOR).fn
                    if spec.counterparty is not None else None)
    with_parties = with_bearer.bind(counterparty=T.ACTOR)
    settlement = None
    if spec.settled_by is not None:
        settled = spec.settled_by
        spath = path + ("settled_by",)
        if settled.act not in c.event_specs:
            c.problem(doc.location(spath + ("act",)),
                         f"unknown event type {settled.act!r}{suggest(settled.act, c.event_specs)}")
        else:
            with_act = with_parties.bind(act=T.event(settled.act))
            match = c.expr(doc, spath + ("match",), settled.match, with_act, T.BOOL)
            until = (c.expr(doc, spath + ("until",), settled.until, with_parties, T.DATE).fn
                     if settled.until is not None else None)
            outcomes = tuple((status, c.expr(doc, spath + ("outcomes", status), text, with_act, T.BOOL).fn, text)
                             for status, text in settled.outcomes.items())
            index_field, index_key = _index(c, settled.match, c.event_types_partial[settled.act][0], with_parties)
            settlement = SettlementDef(settled.act, match.fn, until, outcomes, settled.match, index_field, index_key,
                                       until_text=settled.until or "")

    def date_expr(key: str, text: str | None, scope_: Scope):
        return c.expr(doc, path + (key,), text, scope_, T.DATE).fn if text is not None else None

    violated_if = (c.expr(doc, path + ("violated_if",), spec.violated_if, with_parties.bind(on=T.DATE),
                             T.BOOL).fn if spec.violated_if is not None else None)
    duty = DutyDef(name, spec.paragraph, spec.says, spec.kind, trigger, bearers.fn, counterparty,
                   spec.anticipated, settlement, date_expr("deadline", spec.deadline, with_parties),
                   spec.deadline or "", violated_if, spec.violated_if or "",
                   date_expr("lapses_after", spec.lapses_after, with_parties), spec.listed, location,
                   awaits=spec.awaits or (f"a {spec.settled_by.act.replace('_', ' ')} settling it"
                                          if spec.settled_by else ""),
                   breach=spec.breach or "its breach condition holds",
                   bearers_text=spec.bearers, counterparty_text=spec.counterparty or "",
                   lapses_after_text=spec.lapses_after or "",
                   agenda=duty_agenda(c, doc, path, spec.agenda, with_parties),
                   reads=duty_reads(c, doc, path, spec.reads, with_parties,
                                    spec.settled_by.act if spec.settled_by is not None else None),
                   act=act_of(c, doc, path, spec.act, spec.settled_by.act if spec.settled_by is not None else None,
                              with_parties.bind(on=T.DATE)),
                   statuses=tuple(sorted(spec.statuses.items())))
    for status in spec.statuses:
        if status not in DUTY_STATUSES:
            c.problem(doc.key_location(path + ("statuses", status)),
                      f"{status!r} is not a duty status (one of {', '.join(DUTY_STATUSES)})")
    return Rule(name, index, spec.paragraph, spec.says, trigger, lets, conditions, (), (), (), (), location,
                spec.kind, None, duty, requires=spec.requires or "",
                unreachable=unreachable(c, doc, path, spec.coverage, [*rule_items(conditions, None, {}), *DUTY_STATUSES]))


def rule_items(conditions: tuple[Condition, ...], guard: Condition | None, branches: dict) -> list[str]:
    """The coverage items of a rule an `unreachable:` annotation may name."""
    named = [*(["applies_if"] if guard is not None else []), *(condition.says for condition in conditions)]
    return [f"{says}: {outcome}" for says in named for outcome in ("true", "false", "unknown")] + list(branches)


def unreachable(c: Compilation, doc: Document, path: tuple, spec: M.Coverage | None, items: list[str]) -> dict:
    """`coverage: unreachable:` of a rule, duty or question: item → why, each item one it has."""
    if spec is None:
        return frozen_map({})
    for item in spec.unreachable:
        if item not in items:
            c.problem(doc.key_location(path + ("coverage", "unreachable", item)),
                      f"{item!r} is not a coverage item here{suggest(item, items)}")
    return frozen_map({item: why for item, why in spec.unreachable.items() if item in items})


def _index(c: Compilation, match: str, fields: dict, scope: Scope) -> tuple[str, Fn | None]:
    """The field to look settling acts up by: `act.FIELD == X` required by `match`, X not reading `act`.

    Found among the conjuncts of `match` (so an act whose FIELD differs from
    X can never match); ("", None) when there is none, and acts are scanned.
    Only fields given by the scenario (and `date`) qualify: they never change
    while the timeline is replayed.
    """
    try:
        node = parse(match)
    except ExpressionSyntaxError:
        return "", None
    for operand in _conjuncts(node):
        if not (isinstance(operand, Compare) and operand.op == "=="):
            continue
        for mine, other in ((operand.left, operand.right), (operand.right, operand.left)):
            if (isinstance(mine, Attr) and mine.subject == Name("act") and (mine.name in fields or mine.name == "date")
                    and not _mentions(other, "act")):
                try:
                    key = compile_expr(other, scope).fn
                except CompileError:
                    return "", None
                c.made(key, other, scope)
                return mine.name, key
    return "", None


def _conjuncts(node: Node) -> list[Node]:
    if isinstance(node, BoolOp) and node.op == "and":
        return [part for operand in node.operands for part in _conjuncts(operand)]
    return [node]


def _mentions(node: Node, name: str) -> bool:
    """Whether the syntax tree `node` uses `name` anywhere."""
    return any(isinstance(part, Name) and part.name == name for part in walk(node))


def _assignments(c: Compilation, doc: Document, path: tuple, spec: dict[str, str], scope: Scope) -> tuple[Assignment, ...]:
    result = []
    for target_text, text in spec.items():
        item_path = path + (target_text,)
        if target_text == "parameters":
            compiled = c.expr(doc, item_path, text, scope)
            if compiled.type.kind not in ("changes", "any"):
                c.problem(doc.location(item_path), "`parameters:` takes a value of type `changes` "
                                                      f"(parameter → new value), got {compiled.type}")
            result.append(Assignment("", "", text, compiled.fn, target_text))
            continue
        owner, _, attr = target_text.partition(".")
        if owner in c.entity_attributes:
            attributes, target = c.entity_attributes[owner], "$" + owner
        elif owner in scope.bindings and scope.bindings[owner].kind == "event":
            event_types = sorted(scope.bindings[owner].events)
            attributes = c.event_types_partial[event_types[0]][1]
            target = owner
            for other in event_types[1:]:
                attributes = {k: v for k, v in attributes.items() if k in c.event_types_partial[other][1]}
        else:
            c.problem(doc.key_location(item_path), f"cannot set {target_text!r}: write ENTITY.ATTRIBUTE, "
                                                      "e.g. event.valid or agreement.entry_into_force")
            continue
        if attr not in attributes:
            fields = c.event_types_partial.get(sorted(scope.bindings[owner].events)[0], ({}, {}))[0] \
                if owner in scope.bindings else {}
            why = " (a field given by the scenario; rules may only set attributes)" if attr in fields else ""
            c.problem(doc.key_location(item_path),
                         f"{owner} has no attribute {attr!r}{why}{suggest(attr, attributes)}")
            continue
        declared = attributes[attr]
        compiled = c.expr(doc, item_path, text, scope)
        if not assignable(declared.type, compiled):
            c.problem(doc.location(item_path), f"{target_text} is a {declared.type}; this value is a {compiled.type}")
        result.append(Assignment(target, attr, text, compiled.fn, target_text))
    return tuple(result)


def _rests_on(c: Compilation, doc: Document, path: tuple, name: str | None) -> str:
    """The choice a rule exists by, checked against the choices declared."""
    if name is None:
        return ""
    if name not in c.choice_specs:
        c.problem(doc.location(path + ("rests_on",)), f"unknown interpretive choice {name!r}"
                                                      f"{suggest(name, c.choice_specs)}")
    return name


def _note(c: Compilation, doc: Document, path: tuple, note: M.Note, scope: Scope) -> NoteDef:
    condition = c.expr(doc, path + ("if",), note.if_, scope, T.BOOL).fn if note.if_ else None
    return NoteDef(template(c, doc, path + ("text",), note.text, scope), condition)
