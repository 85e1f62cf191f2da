"""Groups: the top of each unit's SUBSIDIARY_OF / BRANCH_OF chain, to count per group instead of per unit.

A subsidiary (北京有竹居网络技术有限公司 SUBSIDIARY_OF 字节跳动有限公司) or a
unit of a larger body (a campus, an institute of an academy: BRANCH_OF)
rolls up to the top of its chain; a unit with no such link is its own group.
Analytics (``participations``, ``centrality``) and ``match partners`` take
``rollup="group"`` and count through :func:`rollup_groups`.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "A", "name": "北京有竹居网络技术有限公司"}, {"id": "G", "name": "字节跳动有限公司"},
...                                   {"id": "B", "name": "甲公司"}])
>>> _ = g.upsert_edges("SUBSIDIARY_OF", [{"from_id": "A", "to_id": "G", "source": "t"}])
>>> rollup_groups(g, pd.DataFrame({"id": ["A", "G", "B"], "name": ["北京有竹居网络技术有限公司", "字节跳动有限公司", "甲公司"]}))[
...     ["group_id", "group_name"]].values.tolist()
[['G', '字节跳动有限公司'], ['G', '字节跳动有限公司'], ['B', '甲公司']]
"""

from __future__ import annotations

import pandas as pd

from kg import cypher
from kg.errors import KGError

#: the edges a unit rolls up along (a member to its group, a unit to its larger body)
GROUP_EDGES = ("SUBSIDIARY_OF", "BRANCH_OF")
#: values of ``rollup=``
ROLLUPS = (None, "unit", "group")


def check_rollup(rollup) -> bool:
    """True for ``rollup="group"``; None / "unit" is False; anything else is one error.

    Examples
    --------
    >>> check_rollup("group"), check_rollup(None), check_rollup("unit")
    (True, False, False)
    """
    if rollup not in ROLLUPS:
        raise KGError(f"rollup={rollup!r}: use 'group' (count a subsidiary or unit with its group) or 'unit'")
    return rollup == "group"


def group_parents(graph) -> tuple[dict[str, str], dict[str, str]]:
    """``(parent of each unit, name of each parent)`` from the SUBSIDIARY_OF and BRANCH_OF edges of ``graph``."""
    parent: dict[str, str] = {}
    names: dict[str, str] = {}
    for edge in GROUP_EDGES:
        if edge not in graph.schema.edges:
            continue
        df = graph.query(cypher.parent_links(edge))
        for a, b, name in df[["from_id", "to_id", "to_name"]].itertuples(index=False, name=None):
            parent.setdefault(a, b)
            names[b] = name
    return parent, names


def group_of(parent: dict[str, str], unit: str) -> str:
    """The top of ``unit``'s chain in ``parent`` (itself without one; a cycle stops where it closes).

    Examples
    --------
    >>> group_of({"a": "b", "b": "c"}, "a"), group_of({"a": "b", "b": "a"}, "a"), group_of({}, "x")
    ('c', 'a', 'x')
    """
    seen = set()
    while unit in parent and unit not in seen:
        seen.add(unit)
        unit = parent[unit]
    return unit


def rollup_groups(graph, frame: pd.DataFrame, id_col: str = "id", name_col: str = "name") -> pd.DataFrame:
    """``frame`` with ``group_id`` / ``group_name``: the top of each unit's SUBSIDIARY_OF / BRANCH_OF chain.

    A unit with no such link is its own group (its name from ``name_col``
    when the frame has it, else from the store).
    """
    parent, names = group_parents(graph)
    groups = frame[id_col].map(lambda i: group_of(parent, i))
    own = frame[name_col] if name_col in frame else frame[id_col].map(stored_names(graph, frame[id_col].tolist()))
    group_names = groups.map(names).astype(object)
    return frame.assign(
        group_id=groups,
        group_name=group_names.where(groups != frame[id_col], own).where(lambda s: s.notna(), group_names),
    )


def stored_names(graph, ids: list[str]) -> dict[str, str]:
    """``id -> name`` of the organisations among ``ids`` (the labels SUBSIDIARY_OF joins)."""
    labels = graph.schema.edge(GROUP_EDGES[0]).from_types if GROUP_EDGES[0] in graph.schema.edges else ()
    out: dict[str, str] = {}
    for label in dict.fromkeys(labels):
        df = graph.query(cypher.names_of(label, by_ids=True), ids=list(dict.fromkeys(ids)))
        out.update(zip(df["id"], df["name"]))
    return out
