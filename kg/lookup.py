"""The one name resolver: which node a user means by an id, a name, an alias or 曾用名, and close names on a miss.

:meth:`kg.KnowledgeGraph.resolve` (used by every command that takes a unit's name: ``kg match partners``,
``kg match experts``, ``kg match adopters``, ``kg view ego``, ``kg view match`` ...) tries, in order,

1. the id, the exact name or an alias (aliases hold 曾用名, 简称, 别称);
2. the normalised name (:func:`kg.normalise.name_key`: full- and half-width brackets, spaces, case and
   company form folded), so 「盘锦（辽河）化工有限责任公司」 finds 「盘锦(辽河)化工有限公司」;

and on a miss suggests the closest stored names and aliases (:func:`suggest`).

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "盘锦(辽河)化工有限公司", "aliases": ["辽河化工"]},
...                                   {"id": "E2", "name": "Siemens AG"}])
>>> g.resolve("盘锦（辽河） 化工有限责任公司")
('Enterprise', 'E1')
>>> suggest(g, "Siemen", ["Enterprise"])
['Siemens AG']
>>> suggest(g, "辽河化工厂", ["Enterprise"])
['辽河化工', '盘锦(辽河)化工有限公司']
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from kg import cypher
from kg.normalise import name_key
from kg.values import as_list

#: at most this many names are compared closely (the ones sharing most character pairs with the text)
CANDIDATES = 20_000


def _key(text: str) -> str:
    return name_key(str(text))


def _names(graph, labels: Sequence[str]):
    """``(label, id, text)`` for every name and alias of the nodes of ``labels``."""
    for label in labels:
        df = graph.query(cypher.names_of(label))
        for id_, name, aliases in df.itertuples(index=False, name=None):
            for text in [name, *as_list(aliases)]:
                if isinstance(text, str) and text:
                    yield label, id_, text


def _labels(graph, types) -> list[str]:
    return [graph.schema.node(t).label for t in (types or graph.schema.nodes)]


def normalised(graph, text: str, types: Sequence[str] | None = None) -> pd.DataFrame:
    """Nodes whose name or an alias normalises like ``text`` (``label``, ``id``, ``name``), empty when none."""
    key = _key(text)
    hits = {(label, id_) for label, id_, name in _names(graph, _labels(graph, types)) if key and _key(name) == key}
    rows = []
    for label, id_ in sorted(hits):
        name = graph.query(cypher.nodes_by_ids(label, ["name"]), ids=[id_])["name"]
        rows.append({"label": label, "id": id_, "name": name.iloc[0] if len(name) else None})
    return pd.DataFrame(rows, columns=["label", "id", "name"])


def suggest(graph, text: str, types: Sequence[str] | None = None, n: int = 5) -> list[str]:
    """Up to ``n`` stored names or aliases closest to ``text`` (normalised), best first."""
    key = _key(text)
    if not key:
        return []
    names = [name for _, _, name in _names(graph, _labels(graph, types))]
    for size in (2, 1):  # character pairs first; single characters for short or badly misspelt names
        grams = {key[i : i + size] for i in range(max(1, len(key) - size + 1))}
        scored: dict[str, tuple[int, str]] = {}
        for name in names:
            k = _key(name)
            shared = sum(g in k for g in grams)
            if shared and (name not in scored or scored[name][0] < shared):
                scored[name] = (shared, k)
        if scored:
            break
    pool = sorted(scored.items(), key=lambda kv: -kv[1][0])[:CANDIDATES]
    ranked = []
    for name, (shared, k) in pool:
        ratio = max(difflib.SequenceMatcher(None, key, k).ratio(), 0.9 * shared / len(grams))
        if key in k or k in key:
            ratio = max(ratio, 0.75)
        if ratio >= 0.45:
            ranked.append((-ratio, len(name), name))
    return [name for _, _, name in sorted(ranked)[:n]]


def suggestion(graph, text: str, types: Sequence[str] | None = None) -> str:
    """``"; close names: a, b"`` for an error message, or a hint where nothing is close."""
    close = suggest(graph, text, types)
    if close:
        return "; close names: " + ", ".join(close)
    label = _labels(graph, types)[0] if types and len(types) == 1 else ""
    pattern = f"(n:{label})" if label else "(n)"
    return f'; no close name either (kg query "MATCH {pattern} RETURN n.id, n.name LIMIT 20" lists some)'
