"""Building blocks of the query tree shared by the interpreter and its keyword handlers: the
tree helpers (`negate`, `conjoin`, `disjoin` flatten nested ANDs/ORs and drop ignored terms),
the shapes of a value (`NUMBER_RE`, `EQUALITY_OPS`) and `shorten` for messages."""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.query import And, Node, Not, Or

NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
EQUALITY_OPS = frozenset({":", "=", "!="})


def shorten(value: str, limit: int = 30) -> str:
    """`value` for a message: at most `limit` characters."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def negate(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


def conjoin(nodes: Iterable[Node | None]) -> Node | None:
    """The AND of `nodes` (None: ignored), nested ANDs flattened, one child being itself."""
    return _join(nodes, And)


def disjoin(nodes: Iterable[Node | None]) -> Node | None:
    """The OR of `nodes` (None: ignored), nested ORs flattened, one child being itself."""
    return _join(nodes, Or)


def _join(nodes: Iterable[Node | None], kind: type[And] | type[Or]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, kind):
            flat.extend(node.children)
        elif node is not None:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))
