"""The decisive reasons of an answer: a tree pruned to what decided it.

Stage: answers. Imports `facts`, evaluation's `replay` and `trace`, the clause
language's `context`, and `mou.values`.

From the facts an answer read, follow each derived fact to the rule firing
that set it (or, for a fact no rule set, to the firings of the rules that
could have set it and did not) and from a firing to the conditions that
decided its outcome: for an outcome that held, every condition; for one that
failed, the conditions that failed; for an unknown one, the unknown ones.
Each reason cites its paragraph and names its facts in words. A firing about
other events than the ones in question (how the MoU entered into force, in an
answer about a notice) is not expanded: its fact stands as one line ("the MoU
entered into force on 2009-01-27").

A node is JSON-ready: `{says, paragraph, holds, sentence, facts, because}`,
with `holds` true, false or "unknown" (SCENARIOS.md, "Explanations").
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, Iterator

from ..evaluation.replay import Replay
from ..evaluation.trace import ConditionResult, Firing
from ..language.context import Ctx, Read
from ..language.wording import fill
from ..values import Event, Unknown, to_json
from .derived import (authority, authority_of_fact, by_reading, concluded, could_have_changed, could_have_set,
                      add_once, failed_in_all, never_dated, rests_on, worded_facts, scope_of, state_reads, writers)
from .dependence import decided_by_field, decided_failure, settled_by
from .sentences import condition_sentence, plain_value  # noqa: F401 (plain_value: re-exported)
from .moot import established_of, moot_of
from .facts import Facts

MAX_DEPTH = 5
"""How deep the tree of firings may go (a chain of derived facts is rarely longer than three)."""


def holds_of(value: Any) -> Any:
    """The `holds` of a node: true, false or "unknown"."""
    if isinstance(value, Unknown):
        return "unknown"
    return value if isinstance(value, bool) else True


TAKEN = " (not stated: assumed so)"
"""How a reason marks a fact it took by default (an assumption says "not stated" itself)."""


class _Every(frozenset):
    """A focus that takes in every event: what decided the agreement's state is expanded whoever acted."""

    def __contains__(self, item: object) -> bool:
        return True

    def __or__(self, other: Any) -> "_Every":
        return self


EVERY_EVENT = _Every()


class Reasons:
    """Builds the decisive-reasons tree of answers of one explained replay."""

    def __init__(self, replay: Replay, subjects: Iterable[str], paragraph: str | None = None, stated: Any = None):
        self.replay = replay
        self.facts = Facts(replay, stated)  # `stated`: the day the answer is about, if before the case's own
        self.subjects = set(subjects)
        self.expanded: set[int] = set()
        self.fallback = paragraph  # for facts no rule or event type places: the question's paragraph
        self.alone = True  # the answer reads one fact: why it holds is expanded whatever its subject
        self.established: list[str] = []  # for firings whose outcome is unknown: the conditions that do hold
        self.moot: list[tuple] = []  # for firings that failed: the conditions not known, which did not matter

    # -- the answer ---------------------------------------------------------------------

    def of_answer(self, reads: Iterable[Read], decides: Callable[[Read], bool] = lambda read: True) -> list[dict]:
        """The top-level reasons of an answer that read `reads`, but for facts of the agreement `decides` finds
        did not decide it."""
        nodes = []
        seen: set = set()
        self.expanded: set[int] = set()  # each firing is explained once in a tree
        facts = [read for read in leaves(top(reads), True, _never) if read.kind != "choice"]
        # A fact the clause files call brief (how the MoU entered into force) stands as one line, unless it is the
        # whole answer.
        self.alone = len({(read.kind, read.owner, read.name) for read in facts}) == 1
        for read in leaves(top(reads), True, _never):
            key = (read.kind, read.owner, read.name, read.label)
            if key in seen or read.kind == "choice" or read.kind == "state" and not decides(read):
                continue
            seen.add(key)
            node = self.fact_node(read, set(), depth=0, focus=self.subjects)
            if node is not None:
                nodes.append(node)
        derived = [node for node in nodes if node.get("kind") != "field"]
        if derived and len(derived) < len(nodes):  # facts that only chose the way (e.g. who convened) stand aside
            nodes = derived
        reads_made = [read for read in top(reads) if read.kind != "choice"]
        if len(nodes) == 1 and nodes[0]["because"] and len(reads_made) == 1 \
                and reads_made[0].kind == "attribute" and reads_made[0].owner in self.subjects:
            return nodes[0]["because"]  # the answer is the subject's own attribute: its reasons are the answer's
        return nodes

    # -- one fact -----------------------------------------------------------------------

    def fact_node(self, read: Read, visited: set[int], depth: int, focus: set[str], before: int = -1) -> dict | None:
        """A node for one fact: what it says, and the firing(s) that decided it (for a fact no rule set, read by
        the firing numbered `before`: the firings before it that could have set it, not those after)."""
        node: dict[str, Any] = {"says": self.facts.phrase(read), "paragraph": self.paragraph_of(read),
                                "holds": holds_of(read.value), "kind": read.kind, "facts": [self.facts.entry(read)],
                                "because": []}
        if read.kind == "duty":
            return self.duty_node(read, node, visited, depth)
        if read.kind not in ("attribute", "state", "parameter"):
            return node
        firings = self.replay.firings
        if read.source is not None and read.source < len(firings):
            firing = firings[read.source]
            node["paragraph"] = firing.rule.paragraph
            node.update(authority(self.replay, firing.rule))
            if not self.alone and brief(self.replay, read):
                node["brief"] = True  # background: one line, its paragraph cited but not quoted
            elif self._expand(firing, depth, focus):
                earlier = self.earlier_reasons(read, firing, visited, depth, focus)
                node["facts"].extend(self.trigger_facts(firing))
                node["because"] = earlier + self.firing_reasons(firing, visited, depth + 1, focus)
                node["because"] += [self.attempt_node(later, visited, depth + 1, focus) for later in could_have_set(
                    self.replay, read) if later.index > firing.index and later.subject and later.subject.id != read.owner]
                node.update(self.by(firing))
        else:  # no rule set it: the firings that could have, or that could have set the date such a rule waits
            setters = could_have_set(self.replay, read)  # for (an act not valid); for a parameter, the changes of it
            awaited = could_have_changed(self.replay, read) if read.kind == "parameter" else [] if setters else \
                [firing for unset in never_dated(self.replay, read) for firing in could_have_set(self.replay, unset)]
            tried = [f for f in setters or awaited if before < 0 or f.index < before]
            common = failed_in_all(tried)  # a failure every try shares decides; another beside it does not
            for firing in tried:
                node["paragraph"] = firing.rule.paragraph if setters else node["paragraph"]
                if self._expand(firing, depth, focus):  # each failure once, though two firings failed on it
                    add_once(node["because"], self.firing_reasons(firing, visited, depth + 1, focus), common)
        return node

    def attempt_node(self, firing: Firing, visited: set[int], depth: int, focus: set[str]) -> dict:
        """An act that would have changed a fact and did not take effect (a withdrawal of a notice that cannot be
        withdrawn, or made by email), and why: a reason the fact still stands."""
        act = firing.subject
        named = act.called or f"{self.replay.ruleset.event_types[act.type].says or act.type} {act.id} of {firing.day}"
        return {"says": f"{named} did not take effect", "holds": True,
                "paragraph": firing.rule.paragraph, "kind": "attempt", "facts": [],
                "because": self.firing_reasons(firing, visited, depth, focus | {firing.subject.id}),
                **self.by(firing), **authority(self.replay, firing.rule)}

    def earlier_reasons(self, read: Read, firing: Firing, visited: set[int], depth: int,
                        focus: set[str]) -> list[dict]:
        """Why a fact already had the value a later firing set again: the first reason, which the second does
        not replace (an oral notice later withdrawn was never valid, because it was oral)."""
        if read.kind not in ("attribute", "state"):
            return []
        key = "$" + read.owner if read.kind == "state" else read.owner
        history = self.replay.state.changes(key, read.name)
        before = [(day, value, source) for day, value, source in history if source is not None and source < firing.index]
        if before:
            if before[-1][1] != read.value or before[-1][2] is None:
                return []
            return self.firing_reasons(self.replay.firings[before[-1][2]], visited, depth + 1, focus)
        initial, _ = self.replay.state.attr(key, read.name, date.min) if history else (read.value, None)
        if initial != read.value:
            return []
        reasons = []
        for earlier in could_have_set(self.replay, read):
            if earlier.index < firing.index and self._expand(earlier, depth + 1, focus):
                reasons.extend(self.firing_reasons(earlier, visited, depth + 1, focus))
        return reasons

    def paragraph_of(self, read: Read) -> str | None:
        """The paragraph a fact belongs to before any rule is cited: its event type's, its parameter's."""
        ruleset = self.replay.ruleset
        event = self.replay.by_id.get(read.owner)
        if event is not None:
            return ruleset.event_types[event.type].paragraph
        if read.kind == "parameter" and read.name in ruleset.parameters:
            return ruleset.parameters[read.name].paragraph
        if read.kind == "definition" and read.name in ruleset.definitions:
            return ruleset.definitions[read.name].paragraph or self.fallback
        if read.kind == "state":  # a fact of the agreement no rule has set yet: the paragraph of the rules that set it
            written = writers(ruleset, "$" + read.owner, read.name)
            if written:
                return written[0].paragraph
        return self.fallback

    def duty_node(self, read: Read, node: dict, visited: set[int], depth: int) -> dict:
        """A duty instance and its status: why (the judgement), and the trigger that made it arise."""
        firings = self.replay.firings
        status = "unknown" if isinstance(read.value, Unknown) else read.value
        firing = firings[read.source] if read.source is not None and read.source < len(firings) else None
        duty = self.replay.ruleset.duties.get(read.name)
        paragraph = duty.paragraph if duty is not None else (firing.rule.paragraph if firing else None)
        bearer = dict(read.args).get("bearer", "")
        worded_reads: list[Read] = []
        says, worded = duty_words(self.replay, duty, read, bearer, status, worded_reads) if duty is not None \
            else (f"{read.name}: {status}", False)
        node.update(says=says, paragraph=paragraph, facts=[], status=status, bearer=bearer or None,
                    subject=read.owner or None,
                    why="" if worded or status in (False, "not_triggered") else read.note,
                    holds="unknown" if status == "unknown" else read.value if isinstance(read.value, bool) else True)
        act = dict(read.args).get("act")
        if act is not None:
            node["act"] = act
        node.update(rests_on(duty, status))
        named = worded_facts(worded_reads, read.owner)  # what its words state of other acts (when one ends it)
        if named:
            node["rests_on"] = [*node.get("rests_on", ()), *named]
        # Why the duty arose, where the question names its trigger or the duty is breached (a breach rests on the
        # facts that made the duty arise, and on what was assumed of them: observers not barred)
        if firing is not None and firing.subject is not None and depth < MAX_DEPTH and \
                (firing.subject.id in self.subjects or status in ("violated", "not_triggered")):
            node["because"] = self.firing_reasons(firing, visited, depth + 1, self.subjects)
        elif firing is not None and firing.subject is not None and depth < MAX_DEPTH and firing.outcome is True:
            expanded = set(self.expanded)  # a duty listed: only what its arising presumed (a matter of interest)
            arising = self.firing_reasons(firing, visited, depth + 1, self.subjects)  # and took as not stated
            node["presumes"] = list(presumed_in(arising))
            by_id = self.replay.by_id
            node["assumes"] = [fact for fact in facts_in(arising) if fact.get("event") in by_id
                               and fact.get("field") in by_id[fact["event"]].defaulted]
            self.expanded = expanded
        return node

    # -- one firing ---------------------------------------------------------------------

    def firing_reasons(self, firing: Firing, visited: set[int], depth: int, focus: set[str]) -> list[dict]:
        """The conditions that decided a firing's outcome, each a node (once per tree)."""
        if firing.index in visited or firing.index in self.expanded:
            return []
        self.expanded.add(firing.index)
        visited = visited | {firing.index}
        focus = focus | set(firing.subjects)
        if firing.outcome is False:  # what was not stated and did not matter: another condition failed
            self.moot.extend(moot_of(firing, self.facts))
        if isinstance(firing.outcome, Unknown):  # what the facts do show, beside what they do not
            self.established.extend(established_of(firing, self.replay.ruleset))
        return [self.condition_node(firing, condition, visited, depth, focus)
                for condition in decisive(firing)]

    def condition_node(self, firing: Firing, condition: ConditionResult, visited: set[int], depth: int,
                       focus: set[str]) -> dict:
        """One condition of a firing: held, failed or unknown, with the facts it read."""
        rule = firing.rule
        holds = holds_of(condition.value)
        within = scope_of(self.replay.ruleset, condition.reads, rule.paragraph)
        ended = settled_by(self.replay, firing, condition) if within and holds is False else None
        within = f"{within}, {ended}" if ended and ended != within else within  # where its life began, and where it ended
        sentence = condition_sentence(rule, condition, holds, within, self.replay.ruleset.choices)
        node: dict[str, Any] = {"says": condition.says, "paragraph": rule.paragraph, "holds": holds,
                                "sentence": sentence, "facts": [], "because": [], **self.by(firing),
                                **authority(self.replay, rule)}
        if within:
            node["within"] = within
        seen: set = set()
        direct = {id(read) for read in top(condition.reads)}  # facts inside a definition are not expanded
        # that none qualifies (`not any(…)`) holds because each one read does not: those are its reasons
        none_of = holds is True and condition.text.lstrip().startswith("not any(")
        own = concluded(firing)
        mine = {event.id for event in (firing.subject, *(v for _, v in firing.lets)) if isinstance(event, Event)}
        for read in leaves(top(condition.reads), False, self.facts.worded):
            key = (read.kind, read.owner, read.name)
            if read.kind == "choice" and holds is False and key not in seen:
                seen.add(key)
                choice = self.replay.ruleset.choices.get(read.name)
                if choice is not None and to_json(read.value) != to_json(choice.default):
                    node.setdefault("read_as", []).append(f"`{read.name}: {plain_value(read.value)}`")
                continue
            if key in seen or read.kind == "choice" or (read.owner, read.name) in own:
                continue
            if none_of and read.kind == "field" and read.owner in mine:
                continue  # what the others were compared by (its party) does not show that none qualifies
            if none_of and read.kind == "attribute" and read.owner not in mine:
                if key not in seen:  # that none qualifies: each that does not, and why, a reason of its own
                    seen.add(key)
                    child = self.fact_node(read, visited, depth + 1, focus | {read.owner})
                    node["because"].extend([child] if child is not None else [])
                continue
            if holds is True and read.kind == "attribute" and read.value is False and read.owner not in mine:
                continue  # a condition over every event of a kind: the others that do not qualify are no reason
            if holds is False and read.kind == "field" and \
                    not decided_by_field(firing, condition, read, self.replay.choices, self.replay.state):
                continue  # a fact of the act that did not make it fail (its topics, beside the interest stated)
            if holds is False and read.kind == "state" and read.owner and \
                    not decided_failure(firing, condition, read, self.replay.choices, self.replay.state):
                continue  # nor a fact of the agreement (when it entered into force, for an act after its end)
            if holds is True and (read.kind == "field" or read.value is not True) and read.owner not in mine and \
                    firing.subject is not None and self.replay.by_id.get(read.owner) is not None and \
                    self.replay.by_id[read.owner].type == firing.subject.type:
                continue  # nor do the others of its own kind it was compared with (one party's signature)
            seen.add(key)
            entry = self.facts.entry(read)
            event = self.replay.by_id.get(read.owner) if read.kind == "field" else None
            if event is not None and read.name in event.defaulted and read.value is not None:
                entry["says"] += TAKEN  # a default, not a fact the scenario gives
            if read.kind == "state" and self.paragraph_of(read) not in (None, rule.paragraph):
                entry["paragraph"] = self.paragraph_of(read)  # the agreement's state: the paragraph that sets it
            node["facts"].append(entry)
            if read.kind == "attribute" and "authority" not in node:
                node.update(authority_of_fact(self.replay, read.name))
            if read.kind == "attribute" and read.source is None and depth < MAX_DEPTH and holds is False \
                    and read.owner in mine:  # the event's own fact that kept its initial value: why it did
                child = self.fact_node(read, visited, depth, focus)
                node["because"].extend(child["because"] if child is not None else ())
            elif read.kind in ("attribute", "state") and read.source is not None and depth < MAX_DEPTH \
                    and id(read) in direct:
                source = self.replay.firings[read.source]
                if self._expand(source, depth, focus) and source.index not in visited:
                    child = self.fact_node(read, visited, depth, focus)
                    if child is not None:  # the fact is already among this condition's facts: why it holds
                        node["because"].extend(child["because"])
            if holds is False and read.kind == "attribute" and read.source is not None and depth < MAX_DEPTH - 1:
                for attempt in could_have_set(self.replay, read):  # what else could have added to it, and did not
                    if attempt.index < firing.index and not by_reading(attempt):
                        node["because"].extend({**reason, "aside": True} for reason in self.firing_reasons(
                            attempt, visited, depth + 1, focus | set(attempt.subjects)))  # (not the summary's)
        if holds is not True and depth < MAX_DEPTH - 1:
            # A condition that failed on the agreement's state (it was not in force): the act that decided that
            # state, under its own paragraph (the notice that ended it, the signature still missing).
            for read in state_reads(condition.reads):
                if read.owner and (read.kind, read.owner, read.name) not in seen and \
                        decided_failure(firing, condition, read, self.replay.choices, self.replay.state):
                    seen.add((read.kind, read.owner, read.name))
                    child = self.fact_node(read, visited, depth + 1, EVERY_EVENT, firing.index)
                    if child is not None and (child["because"] or child.get("by")):
                        node["because"].append(child)
        return node

    def by(self, firing: Firing) -> dict:
        """The rule firing a node comes from: `{rule, event, day}`, and what happened if the rule says it in words."""
        found: dict[str, Any] = {"rule": firing.rule.id, "event": firing.subject.id if firing.subject else None,
                                 "date": to_json(firing.day)}
        if firing.outcome is True and firing.rule.applied:
            env = dict(firing.lets)
            if firing.subject is not None:
                env["event"] = firing.subject
            ctx = Ctx(self.replay.state, self.replay.choices, env, as_of=firing.day, now=firing.day)
            try:
                found["applied"] = fill(firing.rule.applied, ctx)
            except Exception:  # noqa: BLE001 - a sentence that cannot be written here is left out, not a crash
                pass
        return {"by": found}

    def trigger_facts(self, firing: Firing) -> list[dict]:
        """For a rule that fires on a date an event names (`at: termination_notice.ends_on`): that date."""
        trigger = firing.rule.trigger
        if trigger.kind != "date" or firing.subject is None:
            return []
        read = Read(f"{firing.subject.id}.{trigger.attr}", firing.day, kind="attribute", owner=firing.subject.id,
                    name=trigger.attr, day=firing.day)
        return [self.facts.entry(read)]

    def _expand(self, firing: Firing, depth: int, focus: set[str]) -> bool:
        """Whether to show why a firing concluded what it did (else its fact stands alone)."""
        if depth >= MAX_DEPTH:
            return False
        if depth == 0:
            return True
        return firing.subject is not None and firing.subject.id in focus


STATUS_WORDS = {
    True: "arose", False: "did not arise", "unknown": "may have arisen: the facts given do not decide it",
    "not_triggered": "did not arise", "active": "is owed and not yet met", "fulfilled": "was met",
    "excused": "is excused", "violated": "is breached", "lapsed": "lapsed when the agreement ended",
}
"""What a duty instance's status says, in words (a deontic vocabulary, the same for every agreement)."""

def duty_words(replay: Replay, duty: Any, read: Read, bearer: str, status: Any,
               trace: list | None = None) -> tuple[str, bool]:
    """A duty instance and its status in words: the duty's own `reads:` for the status (True), else the
    engine's (False); `trace`: what those words read is noted there."""
    template = duty.reads.template_for(status) if isinstance(status, str) else None
    instance = next((i for i in replay.state.duty_instances(duty.id, replay.by_id.get(read.owner))
                     if i.bearer == bearer), None)
    if template is not None and instance is not None:
        act = replay.by_id.get(dict(read.args).get("act") or "")
        env = dict(instance.env, on=read.day, act=act)
        try:
            text = fill(template, Ctx(replay.state, replay.choices, env, as_of=read.day, trace=trace),
                        noted=trace is not None)
            return (text if f"({duty.paragraph}" in text else f"{text} ({duty.paragraph})"), True
        except Exception:  # noqa: BLE001 - a sentence that cannot be written here falls back to the engine's
            pass
    said = duty_says(duty, bearer, read.owner, status)
    return said.replace("the agreement ended", f"the {replay.ruleset.short_name or 'agreement'} ended"), False


def duty_says(duty: Any, bearer: str, event: str, status: Any) -> str:
    """A duty instance and its status in words: "ECO's duty under II.1 concerning m1 arose"."""
    whose = f"{bearer}'s duty" if bearer else "the duty"
    about = f" concerning {event}" if event else ""
    if status is False or status == "not_triggered":
        return f"no duty under {duty.paragraph}{about} arose" + (f" for {bearer}" if bearer else "")
    return f"{whose} under {duty.paragraph}{about} {STATUS_WORDS.get(status, str(status))}"


def facts_in(nodes: list[dict], assumed: bool = False) -> Iterator[dict]:
    """The facts a tree of reasons cites, depth first; `assumed`: also the defaults a duty listed arose on,
    which it does not cite (`assumes`: observers not barred)."""
    for node in nodes:
        yield from node.get("facts", ())
        if assumed:
            yield from node.get("assumes", ())
        yield from facts_in(node.get("because", ()), assumed)


def presumed_in(nodes: list[dict]) -> Iterator[dict]:
    """The facts not stated among those of conditions that held (a matter of interest presumed from a topic),
    and those a duty listed presumed when it arose (`presumes`)."""
    for node in nodes:
        if "sentence" in node and node.get("holds") is True:
            basis = [fact["says"] for fact in node.get("facts", ()) if fact.get("definition")]  # what presumes it
            yield from ({**fact, **({"basis": "; ".join(basis)} if basis else {})} for fact in node.get("facts", ())
                        if fact.get("value") == "unknown" and fact.get("event") and fact.get("field"))
        yield from node.get("presumes", ())
        yield from presumed_in(node.get("because", []))


def grounded_in(nodes: list[dict]) -> Iterator[dict]:
    """The facts a tree of reasons cites, and those a duty cited rests on without saying them (the agreement's
    entry into force, for a duty that arises with it: `rests_on`)."""
    for node in nodes:
        yield from node.get("facts", ())
        yield from node.get("rests_on", ())
        yield from grounded_in(node.get("because", ()))


def decisive(firing: Firing) -> list[ConditionResult]:
    """The conditions that decided a firing: all that held if it applied, else those that failed (or were unknown)."""
    outcome = firing.outcome
    if outcome is True:
        return list(firing.conditions)
    if outcome is False:
        return [c for c in firing.conditions if c.value is False]
    return [c for c in firing.conditions if isinstance(c.value, Unknown)]


def top(reads: Iterable[Read]) -> list[Read]:
    """The reads an expression made itself (depth 0 of its trace), in order."""
    reads = list(reads)
    if not reads:
        return []
    least = min(read.depth for read in reads)
    return [read for read in reads if read.depth == least]


def leaves(reads: Iterable[Read], keep_initial: bool, worded: Callable[[Read], bool]) -> Iterator[Read]:
    """The facts behind reads: a definition the clause files word stands as itself, followed by the
    facts rules derived under it; one without wording is transparent (its facts stand instead). Facts
    that kept their initial value inside a definition are left out unless `keep_initial`."""
    for read in reads:
        if read.kind != "definition":
            yield read
            continue
        if worded(read):
            yield read
            inner = leaves(top(read.parts), keep_initial, _never)  # under a worded definition, only its facts
        else:
            inner = leaves(top(read.parts), keep_initial, worded)
        for part in inner:
            if part.kind == "definition" or part.source is not None or part.kind in ("field", "parameter") \
                    or keep_initial or not worded(read):
                yield part


def brief(replay: Replay, read: Read) -> bool:
    """Whether the fact stands as one line where the answer is about more: the clause files say so."""
    ruleset = replay.ruleset
    if read.kind == "state":
        spec = ruleset.entity_attributes.get(read.owner, {}).get(read.name)
    else:
        event = replay.by_id.get(read.owner)
        spec = ruleset.event_types[event.type].attributes.get(read.name) if event is not None else None
    return spec is not None and spec.brief and read.value is not None  # a date set is background; none decides


def _never(read: Read) -> bool:
    """For `leaves`: treat every definition as transparent (the answer's own head already says it)."""
    return False
