"""Reading a plain YAML file fast: libyaml composes it, and positions are looked up when asked for.

Stage: after yamldoc. Imports `yamldoc`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .yamldoc import CONTROL, NUMBER, Document, Limits, Stop, resolve_plain

try:
    from yaml._yaml import CParser as _CParser  # libyaml's, as PyYAML ships it
except ImportError:  # pragma: no cover - PyYAML built without libyaml: every file is read in full
    _CParser = None


_STRUCTURE = re.compile(r"[\[{:]|[-?](?=[ \t\r\n]|$)", re.MULTILINE)
"""What can open a level of nesting: a flow bracket, a colon, or a block entry (`- `, `? `)."""

_NON_SPECIFIC_TAG = re.compile(r"!(?=[ \t\r\n]|$)", re.MULTILINE)
"""A `!` standing alone, which the composer does not tell from no tag (`x != y` is not one)."""

_MAX_COMPOSED = 5_000
"""At most this many openers for libyaml to compose a file itself (its composer recurses in C)."""


UNTAGGED, NON_SPECIFIC = "", "!"
"""The tags `_Composer` gives: a plain scalar's or a collection's without a tag; any other scalar's."""


if _CParser is not None:
    class _Composer(_CParser):  # type: ignore[misc, valid-type]
        """libyaml's parser and composer, resolving no tag: a node's tag is the one written, if any."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode:
                return UNTAGGED if implicit[0] else NON_SPECIFIC
            return UNTAGGED

        def descend_resolver(self, parent: Any, index: Any) -> None:
            """No path-dependent resolution."""

        def ascend_resolver(self) -> None:
            """No path-dependent resolution."""


def load_fast(text: str, file: str, limits: Limits) -> Document | None:
    """The document, read by libyaml's own composer when the file is plain; None to read it in full.

    A file is plain when it has no anchor (no `&` anywhere, so no alias
    either) and no tag (no lone `!` anywhere; others are in the tree), parses as one document, and none of `load_full`'s
    problems arises in it (duplicate keys, keys that are not text, limits,
    ...). Anything else is left to `load_full`, which finds and words the
    problem, so the fast path can only ever give what the full one gives.
    The composer recurses in C, so a file that might nest deeply is never
    given to it (`_MAX_COMPOSED`).
    """
    if _CParser is None or "&" in text or _NON_SPECIFIC_TAG.search(text):
        return None
    if len(_STRUCTURE.findall(text)) > _MAX_COMPOSED:
        return None
    try:
        tree = yaml.compose(text, Loader=_Composer)
    except (yaml.YAMLError, RecursionError):
        return None
    if tree is None:
        return None
    walk = _Walk(limits)
    try:
        data = walk.node(tree, 0)
    except Stop:
        return None
    if data is None:
        return None
    return Document(file, data, source=text, tree=tree)


class _Walk:
    """Plain data from a composed tree, stopping (`Stop`) at the first thing `load_full` would report."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.nodes = 0

    def node(self, node: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes or depth > self.limits.max_depth:
            raise Stop
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self.scalar(node)
        if node.tag != UNTAGGED:
            raise Stop
        if kind is yaml.SequenceNode:
            return [self.node(item, depth + 1) for item in node.value]
        if kind is yaml.MappingNode:
            result: dict[str, Any] = {}
            for key_node, value in node.value:
                if type(key_node) is not yaml.ScalarNode:
                    raise Stop
                key = self.node(key_node, depth + 1)
                if type(key) is not str or key in result or CONTROL.search(key):
                    raise Stop
                result[key] = self.node(value, depth + 1)
            return result
        raise Stop  # pragma: no cover - libyaml composes no other nodes

    def scalar(self, node: Any) -> Any:
        value = node.value
        if len(value) > self.limits.max_scalar_chars:
            raise Stop
        if node.tag == NON_SPECIFIC:  # quoted, block, or `!` before it: text
            return value
        if node.tag != UNTAGGED:
            raise Stop
        if len(value) > self.limits.max_number_chars and NUMBER.fullmatch(value):
            raise Stop
        return resolve_plain(value)
