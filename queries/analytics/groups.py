"""The organisation projection rolled up to groups: each unit counted with the group it belongs to.

A subsidiary (SUBSIDIARY_OF) or a unit of a larger body (BRANCH_OF: a campus,
an institute of an academy) becomes its group's node: the group's projects,
patents and cooperation partners are the distinct ones of all its units (a
project two units share counts once), cooperations inside the group drop
out, and links between groups are rebuilt from what the units share (two
units of one group in one project with a third organisation make one link,
not two).  Measures computed on it (``centrality(..., rollup="group")``,
``participations(..., rollup="group")``) rank groups; ``units`` says how many
units each row stands for.

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "A", "name": "甲子公司"}, {"id": "G", "name": "甲集团"}, {"id": "B", "name": "乙"}])
>>> _ = g.upsert_nodes("Project", [{"id": "P1", "name": "项目1"}, {"id": "P2", "name": "项目2"}])
>>> _ = g.upsert_edges("PARTICIPATES_IN", [{"from_id": "A", "to_id": "P1"}, {"from_id": "G", "to_id": "P1"},
...                                        {"from_id": "B", "to_id": "P1"}, {"from_id": "A", "to_id": "P2"}])
>>> _ = g.upsert_edges("SUBSIDIARY_OF", [{"from_id": "A", "to_id": "G", "source": "t"}])
>>> p = group_projection(projection(g), g)
>>> p.nodes[["id", "name", "projects", "units"]].values.tolist()
[['B', '乙', 1, 1], ['G', '甲集团', 2, 2]]
>>> p.edges[["source", "target", "weight"]].values.tolist()
[['B', 'G', 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.errors import KGError
from kg.groups import check_rollup, group_of, group_parents
from kg.queries.analytics.projections import (
    PARTICIPATIONS,
    Projection,
    _aggregate,
    _co_members,
    _encode,
    _ids,
    _with_participations,
    projection,
)

#: link kinds rebuilt from the units' shared items (the others are mapped end by end)
ITEM_KINDS = {"projects": "project", "patents": "patent"}


def group_projection(p: Projection, graph) -> Projection:
    """``p`` (an organisation projection built from ``graph``) with every unit replaced by its group."""
    if p.members is None or p.links is None:
        raise KGError(f"projection {p.name!r}: rolling up to groups needs the organisation projection of a store")
    parent, names = group_parents(graph)
    ids = _ids(p.nodes)
    group = pd.Series([group_of(parent, i) for i in ids], index=ids, dtype=object)
    nodes = p.nodes.drop(columns=list(PARTICIPATIONS), errors="ignore").copy()
    nodes["group"] = group.to_numpy()
    units = nodes.groupby("group").size()
    # a group's row is its own node's when the projection has it, else its first unit's renamed
    nodes["own"] = nodes["id"] == nodes["group"]
    nodes = nodes.sort_values("own", ascending=False, kind="stable").drop_duplicates("group")
    renamed = ~nodes["own"]
    nodes.loc[renamed, "name"] = nodes.loc[renamed, "group"].map(names)
    nodes["id"] = nodes.pop("group")
    nodes = nodes.drop(columns=["own"]).sort_values("id", kind="stable", key=lambda c: c.astype(str))
    nodes = nodes.reset_index(drop=True)
    nodes["units"] = nodes["id"].map(units).astype(np.int64)
    members = p.members.copy()
    members["id"] = members["id"].map(group)
    partner = members["kind"] == "cooperations"
    members.loc[partner, "item"] = members.loc[partner, "item"].map(lambda i: group.get(i, i))
    members = members[~(partner & (members["item"] == members["id"]))].reset_index(drop=True)
    until = p.meta.get("until")
    nodes = _with_participations(nodes, members, until)
    links = _group_links(p, group, nodes, members)
    edges, codes = _aggregate(links, _ids(nodes), until)
    meta = {**p.meta, "rollup": "group", "units": len(ids)}
    return Projection(p.name, nodes, edges, meta, links, codes, members)


def _group_links(p: Projection, group: pd.Series, nodes: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Links between groups (node codes of ``nodes``): shared items rebuilt, the others mapped end by end."""
    new_code = pd.Series(np.arange(len(nodes)), index=_ids(nodes))
    old_to_new = new_code.reindex(group.to_numpy()).to_numpy()
    kinds = p.meta.get("kinds", ())
    mapped = p.links[~p.links["kind"].isin(ITEM_KINDS.values())]
    u, v = old_to_new[mapped["u"].to_numpy(np.int64)], old_to_new[mapped["v"].to_numpy(np.int64)]
    parts = [pd.DataFrame({"u": u, "v": v, "kind": mapped["kind"].to_numpy(), "year": mapped["year"].to_numpy()})]
    for member_kind, link_kind in ITEM_KINDS.items():
        if link_kind not in kinds:
            continue
        m = members[members["kind"] == member_kind]
        (code,) = _encode(nodes["id"], m["id"])
        items = pd.factorize(m["item"])[0] if len(m) else np.zeros(0, dtype=np.int64)
        parts.append(_co_members(items, code, m["year"], link_kind))
    links = pd.concat(parts, ignore_index=True)
    return links[links["u"] != links["v"]].reset_index(drop=True)


def rolled(graph, name: str, options: dict, rollup) -> Projection:
    """The projection ``name`` of ``graph``, rolled up to groups when ``rollup="group"``."""
    p = projection(graph, name, **options)
    if check_rollup(rollup):
        if not hasattr(graph, "schema"):
            raise KGError("rollup='group' needs a store (its SUBSIDIARY_OF and BRANCH_OF links)")
        p = group_projection(p, graph)
    return p


__all__ = ["group_projection", "rolled"]
