"""The durable-rules backend: rule sets compiled to durable-rules and run there.

Stage: evaluation. Imports the clause language's `ruleset` and `mou.errors`; needs the durable-rules
package (its C module `durable_rules_engine`).

Driven as DURABLE-RULES.md prescribes:

- the C module is called directly; `durable.lang` and its process-global host
  are never imported, and no host timer threads run;
- each compiled rule becomes one durable rule whose pattern is its trigger,
  anchored by a positive test (`kind == 'event' and type == …`), with
  `pri` = its place in the clause files, so rules fire in clause order;
  patterns are built from a whitelist of operators and checked against it;
- the rule definitions are deep-copied before registration (the engine
  mutates them); one durable rule set per compiled `RuleSet` and backend,
  freed by `close()`;
- sessions come from a small pool of numeric session ids, warmed by a rule
  that fires first in every session and deleted after each scenario, so
  tens of thousands of scenarios run in one process without state leaking;
- facts get unique ids and are asserted one at a time; a fact no rule matches
  is expected (not every event type has rules); errors in rule evaluation are
  recorded by `Replay.run_rule`, and anything else abandons the action and
  cleans the session before it propagates.
"""

from __future__ import annotations

import copy
import itertools
import json
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import durable_rules_engine as dre

from ...errors import EvaluationError
from ...language.ruleset import Rule, RuleSet

ALLOWED_OPERATORS = frozenset({"$and", "$or", "$lt", "$lte", "$gt", "$gte", "$neq", "$ex", "$nex"})
"""Operators the compiler may emit. durable-rules accepts unknown ones silently and never matches them."""

WARM_RULE = "warm"
POOL_LIMIT = 64  # well under durable-rules' 1,024 live sessions per rule set
_NOT_HANDLED = 1
_OBSERVED = 2


def pattern(rule: Rule) -> dict:
    """The durable-rules pattern of a rule's trigger, anchored by positive tests."""
    trigger = rule.trigger
    if trigger.kind == "event":
        tests = [{"kind": "event"}, {"type": trigger.owner}]
    else:
        tests = [{"kind": "date"}, {"trigger": f"{trigger.owner}.{trigger.attr}"}]
    return {"$and": tests}


def check_operators(node: Any, where: str) -> None:
    """Refuse any `$operator` outside ALLOWED_OPERATORS (durable-rules would ignore it silently)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("$") and key not in ALLOWED_OPERATORS:
                raise EvaluationError(f"{where}: operator {key} is not allowed in durable-rules patterns")
            check_operators(value, where)
    elif isinstance(node, list):
        for item in node:
            check_operators(item, where)


def definition(ruleset: RuleSet) -> tuple[dict, dict[str, Rule]]:
    """The durable-rules definition of a compiled rule set, and rule names → rules."""
    rules: dict[str, dict] = {WARM_RULE: {"all": [{"m": {"$and": [{"kind": "warm"}]}}], "pri": 0}}
    by_name: dict[str, Rule] = {}
    for rule in ruleset.rules:
        name = f"r{rule.index}"
        body = {"all": [{"m": pattern(rule)}], "pri": rule.index + 1}
        check_operators(body, f"rule {rule.id}")
        rules[name] = body
        by_name[name] = rule
    return rules, by_name


class _Registered:
    """One rule set registered in durable-rules, with its pool of session ids."""

    def __init__(self, ruleset: RuleSet, name: str):
        rules, self.by_name = definition(ruleset)
        self.ruleset = ruleset
        self.name = name
        self.handle = dre.create_ruleset(name, json.dumps(copy.deepcopy(rules), ensure_ascii=False))
        self.free: list[str] = []
        self.created = 0
        self.fact_ids = itertools.count()

    def acquire(self) -> str:
        if self.free:
            return self.free.pop()
        if self.created >= POOL_LIMIT:
            raise EvaluationError(f"more than {POOL_LIMIT} durable-rules sessions open at once")
        sid = str(self.created)
        self.created += 1
        return sid

    def release(self, sid: str) -> None:
        dre.delete_state(self.handle, sid)
        self.free.append(sid)

    def delete(self) -> None:
        dre.delete_ruleset(self.handle)


class DurableSession:
    """One scenario's durable-rules session: asserts facts, runs the actions they trigger."""

    def __init__(self, registered: _Registered, sid: str):
        self._registered = registered
        self._sid = sid

    def assert_fact(self, fact: dict, run: Callable[[Rule], None]) -> None:
        """Assert one fact and run every action it triggers, in priority order."""
        registered = self._registered
        payload = dict(fact, sid=self._sid, id=f"f{next(registered.fact_ids)}")
        try:
            code, state = dre.assert_fact(registered.handle, json.dumps(payload, ensure_ascii=False))
        except MemoryError as error:  # durable-rules' session table is full: the engine is unusable
            raise EvaluationError(f"durable-rules refused a session: {error}") from error
        if code == _NOT_HANDLED:
            return
        if code == _OBSERVED:
            raise EvaluationError(f"durable-rules saw fact {payload['id']} twice")
        started = dre.start_action_for_state(registered.handle, state)
        message = started[1] if started else None
        while message:
            name = next(iter(json.loads(message)))
            try:
                if name != WARM_RULE:
                    run(registered.by_name[name])
            except BaseException:
                dre.abandon_action(registered.handle, state)
                raise
            message = dre.complete_and_start_action(registered.handle, state)

    def dispatch(self, fact: dict, run: Callable[[Rule], None]) -> None:
        """Run every rule the fact triggers (see `timeline.Session`)."""
        self.assert_fact(fact, run)


class DurableBackend:
    """Runs compiled rule sets on durable-rules."""

    name = "durable"

    def __init__(self) -> None:
        self._registered: dict[int, _Registered] = {}
        self._names = itertools.count()

    def _for(self, ruleset: RuleSet) -> _Registered:
        registered = self._registered.get(id(ruleset))
        if registered is None or registered.ruleset is not ruleset:
            registered = _Registered(ruleset, f"{ruleset.agreement}-{id(self):x}-{next(self._names)}")
            self._registered[id(ruleset)] = registered
        return registered

    @contextmanager
    def session(self, ruleset: RuleSet) -> Iterator[DurableSession]:
        """A fresh session for one scenario, deleted afterwards whatever happens."""
        registered = self._for(ruleset)
        sid = registered.acquire()
        session = DurableSession(registered, sid)
        try:
            session.assert_fact({"kind": "warm"}, lambda rule: None)
            yield session
        finally:
            registered.release(sid)

    def close(self) -> None:
        """Free every durable-rules rule set this backend registered."""
        for registered in self._registered.values():
            registered.delete()
        self._registered.clear()
