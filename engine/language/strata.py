"""The order of the rules that fire on one trigger: strata, from what each rule reads and writes.

Stage: the clause language, part of the compiler. Imports `expressions`, `ruleset` and `types`.

Rules that fire on the same trigger (one event, one watched date) must not
depend on the order they are written in. So the compiler orders them by what
they read and write, not by their place in the files: a rule that reads a fact
waits for every other rule on the same trigger that writes it (a stratum
after theirs). Each rule still reads its *own* conclusions as they were before
it fired (a renewal reads the expiry it moves). Rules that depend on nothing of
each other keep clause order, which then cannot change an answer.

Two rules on one trigger that each read what the other writes form a cycle:
no order is right, and the compiler refuses them with both locations and the
facts between them (`cycles`), since which conclusion holds would depend on
the files' order (with a negation in between, on a guess).

What a rule reads is found statically from its expressions: `agreement.X` is
the state attribute `X`; `e.X` is the attribute `X` of the event types `e` can
be (the trigger's for `event`, the listed type for a loop over `TYPE`, any
type with such an attribute otherwise); a definition reads what its body
reads; `param(…)` reads the parameters, which an amendment's `changes` write;
`duty_status`, `triggered`, `obligations` and `breaches` read duty instances,
which a duty's trigger rule writes. The reading is an over-approximation:
it may order two rules that need no order, never miss a dependency.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Iterable, Mapping

from .expressions import Attr, Call, Comprehension, Name, Node, Quantifier, parse
from .ruleset import Rule

Fact = tuple[str, str]  # (owner, name): a state attribute, an event type's attribute, ("duty", id), ("param", "*")
ANY = "*"
DUTY_FUNCTIONS = {"duty_status", "triggered", "obligations", "breaches"}


class Facts:
    """What rules read and write, worked out from their expression texts."""

    def __init__(self, attributes: Mapping[str, Iterable[str]], entities: Iterable[str],
                 definitions: Mapping[str, tuple[Mapping[str, frozenset], str]]):
        """`attributes`: event type → its attribute names; `entities`: `agreement` and the like;
        `definitions`: name → (parameter → the event types it may be, body text)."""
        self.attributes = {name: set(attrs) for name, attrs in attributes.items()}
        self.entities = set(entities)
        self.definitions = definitions
        self._of_definition: dict[str, frozenset[Fact]] = {}

    def reads(self, text: str, types: Mapping[str, frozenset]) -> set[Fact]:
        """The facts an expression reads; `types`: bound names → the event types they may be."""
        try:
            tree = parse(text)
        except Exception:  # noqa: BLE001 - a text the compiler refused has no reads worth ordering by
            return set()
        found: set[Fact] = set()
        self._walk(tree, dict(types), found)
        return found

    def _walk(self, node: Node, types: dict[str, frozenset], found: set[Fact]) -> None:
        if isinstance(node, (Quantifier, Comprehension)):
            self._walk(node.collection, types, found)
            inner = dict(types)
            inner[node.var] = self._item_types(node.collection, types)
            for child in ((node.body,) if isinstance(node, Quantifier) else (node.item, node.cond)):
                if child is not None:
                    self._walk(child, inner, found)
            return
        if isinstance(node, Attr):
            subject = node.subject
            if isinstance(subject, Name) and subject.name in self.entities and subject.name not in types:
                found.add((subject.name, node.name))
                return
            if isinstance(subject, Name) and subject.name == "choice":
                return
            owners = types.get(subject.name) if isinstance(subject, Name) else None
            for owner in owners if owners else [t for t, attrs in self.attributes.items() if node.name in attrs]:
                if node.name in self.attributes.get(owner, ()):
                    found.add((owner, node.name))
            self._walk(subject, types, found)
            return
        if isinstance(node, Name):
            if node.name in self.definitions and node.name not in types:
                found |= self.of_definition(node.name)
            return
        if isinstance(node, Call):
            if node.function in self.definitions:
                found |= self.of_definition(node.function)
            elif node.function in DUTY_FUNCTIONS:
                found.add(("duty", ANY))
            elif node.function == "param":
                found.add(("param", ANY))
            for arg in node.args:
                self._walk(arg, types, found)
            return
        for child in _children(node):
            self._walk(child, types, found)

    def _item_types(self, collection: Node, types: Mapping[str, frozenset]) -> frozenset:
        if isinstance(collection, Name) and collection.name in self.attributes and collection.name not in types:
            return frozenset({collection.name})
        return frozenset()  # unknown: any event type with the attribute read

    def of_definition(self, name: str) -> frozenset[Fact]:
        """What a definition reads, through the definitions it uses (a cycle among them reads nothing more)."""
        if name not in self._of_definition:
            self._of_definition[name] = frozenset()  # while it is being worked out
            params, text = self.definitions[name]
            self._of_definition[name] = frozenset(self.reads(text, params))
        return self._of_definition[name]


def _children(node: Node) -> list[Node]:
    children: list[Node] = []
    for value in (getattr(node, f.name) for f in fields(node) if f.name not in ("start", "end")):
        if isinstance(value, Node):
            children.append(value)
        elif isinstance(value, tuple):
            children.extend(item for item in value if isinstance(item, Node))
    return children


def rule_reads(facts: Facts, rule: Rule, trigger_types: frozenset) -> set[Fact]:
    """What a rule reads when it fires: its guard, `let`s, conditions, conclusions (and a duty's bearers)."""
    types: dict[str, frozenset] = {"event": trigger_types} if trigger_types else {}
    texts = [binding.text for binding in rule.lets]
    texts += [condition.text for condition in rule.conditions]
    texts += [rule.guard.text] if rule.guard is not None else []
    texts += [a.text for a in (*rule.then, *rule.otherwise, *rule.unknown)]
    if rule.duty is not None:
        texts += [rule.duty.bearers_text, rule.duty.counterparty_text]
    found: set[Fact] = set()
    for text in texts:
        if text:
            found |= facts.reads(text, types)
    return found


def rule_writes(facts: Facts, rule: Rule, trigger_types: frozenset) -> set[Fact]:
    """What a rule's conclusions (in any branch) set; a duty's trigger rule writes its instances."""
    found: set[Fact] = set()
    for a in (*rule.then, *rule.otherwise, *rule.unknown):
        if not a.attr:
            found.add(("param", ANY))
        elif a.target.startswith("$"):
            found.add((a.target[1:], a.attr))
        elif a.target == "event" and trigger_types:
            found |= {(owner, a.attr) for owner in trigger_types}
        else:
            found |= {(owner, a.attr) for owner, attrs in facts.attributes.items() if a.attr in attrs}
    if rule.duty is not None:
        found.add(("duty", rule.duty.id))
    return found


def _meets(writes: set[Fact], reads: set[Fact]) -> list[Fact]:
    """The facts `writes` sets that `reads` reads (a read of any duty or parameter meets any write of one)."""
    met = []
    for owner, name in sorted(writes):
        if (owner, name) in reads or (owner, ANY) in reads:
            met.append((owner, name))
    return met


def order(facts: Facts, rules: list[Rule], trigger_types: Mapping[str, frozenset]) \
        -> tuple[list[Rule], list[tuple[list[Rule], list[tuple[Rule, Rule, list[Fact]]]]]]:
    """The rules in strata within each trigger, and the cycles found (rules, edges with the facts between them).

    `trigger_types`: a trigger's key → the event types its `event` may be. The
    rules keep their places in the list as a whole: within each trigger, its
    rules fill the places its rules held, in the order of their strata.
    """
    groups: dict[str, list[Rule]] = {}
    for rule in rules:
        groups.setdefault(rule.trigger.key, []).append(rule)
    placed: dict[str, list[Rule]] = {}
    cycles = []
    for key, group in groups.items():
        if len(group) == 1:
            placed[key] = group
            continue
        types = trigger_types.get(key, frozenset())
        reads = {id(rule): rule_reads(facts, rule, types) for rule in group}
        writes = {id(rule): rule_writes(facts, rule, types) for rule in group}
        before: dict[int, list[tuple[Rule, list[Fact]]]] = {id(rule): [] for rule in group}
        for writer in group:
            for reader in group:
                if writer is not reader:
                    met = _meets(writes[id(writer)], reads[id(reader)])
                    if met:
                        before[id(reader)].append((writer, met))
        sorted_group, cycle = _strata(group, before)
        placed[key] = sorted_group
        if cycle:
            members = {id(rule) for rule in cycle}
            edges = [(writer, reader, met) for reader in cycle for writer, met in before[id(reader)]
                     if id(writer) in members]
            cycles.append((cycle, edges))
    cursor = {key: iter(group) for key, group in placed.items()}
    return [next(cursor[rule.trigger.key]) for rule in rules], cycles


def _strata(group: list[Rule], before: dict[int, list[tuple[Rule, list[Fact]]]]) -> tuple[list[Rule], list[Rule]]:
    """Kahn's order, taking the earliest rule in clause order among those ready; the rules left form cycles."""
    waiting = {id(rule): {id(writer) for writer, _ in before[id(rule)]} for rule in group}
    done: list[Rule] = []
    left = list(group)
    while left:
        ready = next((rule for rule in left if not waiting[id(rule)] - {id(r) for r in done}), None)
        if ready is None:  # what is left waits on a cycle: name the rules on it
            return done + left, [rule for rule in left if _on_cycle(rule, left, waiting)]
        done.append(ready)
        left.remove(ready)
    return done, []


def _on_cycle(rule: Rule, left: list[Rule], waiting: dict[int, set[int]]) -> bool:
    """Whether `rule` waits, through rules in `left`, on itself."""
    ids = {id(r) for r in left}
    seen: set[int] = set()
    stack = [w for w in waiting[id(rule)] if w in ids]
    while stack:
        current = stack.pop()
        if current == id(rule):
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(w for w in waiting[current] if w in ids)
    return False
