"""The whole organisation network at a glance: one node per community, links weighted by the ties between them.

Firms, universities and institutes are linked by cooperation and shared projects
(:func:`kg.queries.analytics.organisations`); communities are found with igraph's
Leiden (modularity, two iterations: well under a second on the 16k organisations
and 314k links of the Horizon 2020 slice) or, with ``method="leiden"`` /
``"louvain"``, with :func:`kg.queries.analytics.detect`.  Each community is drawn
as one node sized by its members, coloured by its dominant type and labelled by
its largest members (highest weighted degree) and, where known, its dominant field and city.  The
smallest communities fold into one aggregate node; only the strongest links
between communities are drawn.  :func:`write_overview` also writes one page per
large community, opened by clicking its node.

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(6)])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "甲大学"}, {"id": "U2", "name": "乙大学"}])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": f"E{i}", "to_id": "U1" if i < 3 else "U2"} for i in range(6)]
...                    + [{"from_id": "E0", "to_id": "U2"}])
>>> v = overview_view(g, min_size=2)
>>> len(v.nodes), sorted(v.nodes["props"].map(lambda p: p["members"]))
(2, [4, 4])
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd

from kg.deprecation import deprecated
from kg.errors import KGError
from kg.queries.analytics import detect_communities, organisations
from kg.types import Graph
from kg.viz.export import write_view
from kg.viz.groups import MEASURE, group_view
from kg.viz.labels import region_name
from kg.viz.style import GROUPED, node_style
from kg.viz.view import EDGE_COLUMNS, View
from kg.viz.views import _projection_view

#: link kinds that make two organisations neighbours in the overview
KINDS = ("cooperation", "project")


def assign(p, method: str = "fast", seed: int = 0) -> dict:
    """``{organisation id: community}``, communities numbered by size (0 = largest)."""
    if method != "fast":
        return detect_communities(p, method, seed).membership
    import igraph as ig

    index, src, dst = p.codes()
    order = np.argsort(index.to_numpy(dtype=str), kind="stable")  # vertices in id order: the same run, same answer
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    g = ig.Graph(n=len(index), edges=np.column_stack([rank[src], rank[dst]]), directed=False)
    random.seed(seed)  # igraph draws from Python's random generator
    found = g.community_leiden(objective_function="modularity", weights=p.weights(), n_iterations=2).membership
    membership = np.asarray(found)[rank] if len(found) else np.array([], dtype=int)
    sizes = np.bincount(membership) if len(membership) else np.array([], dtype=int)
    renumber = np.empty(len(sizes), dtype=int)
    renumber[sorted(range(len(sizes)), key=lambda c: (-sizes[c], c))] = np.arange(len(sizes))
    return dict(zip(index, renumber[membership].tolist()))


def overview_view(
    graph: Graph,
    *,
    method: str = "fast",
    kinds=KINDS,
    min_size: int = 10,
    max_nodes: int = 120,
    max_links: int = 300,
    seed: int = 0,
    lang: str = "zh",
) -> View:
    """The community-level view of the organisation network (see the module docstring).

    ``meta["members"]`` maps each community number to its member ids, ``meta["projection"]`` holds the network
    (for :func:`write_overview`'s community pages).
    """

    p = organisations(graph, kinds=tuple(kinds))
    _, src, dst = p.codes()
    weights = p.weights()
    degree = np.bincount(np.concatenate([src, dst]), weights=np.concatenate([weights, weights]), minlength=len(p.nodes))
    if not (degree > 0).any():
        raise KGError("the store has no linked organisations (firms, universities, institutes) to draw an overview of")
    parts = assign(p, method, seed)
    nodes = p.nodes.assign(community=p.nodes["id"].map(parts).to_numpy(), degree=degree)
    nodes = nodes[nodes["degree"] > 0]  # organisations without any link belong to no community
    sizes = nodes["community"].value_counts()
    shown = [int(c) for c in sizes.index if sizes[c] >= min_size][: max(1, max_nodes - 1)]
    small = nodes[~nodes["community"].isin(shown)]
    by_community = _community_rows(nodes[nodes["community"].isin(shown)], _fields(graph, nodes), lang)
    rows = [by_community[c] for c in shown]
    if len(small):
        n = small["community"].nunique()
        name = (
            f"其余 {n:,} 个小社区（{len(small):,} 家机构）"
            if lang == "zh"
            else f"{n:,} small communities ({len(small):,} organisations)"
        )
        rows.append(
            {
                "key": f"{GROUPED}:small",
                "label": small["type"].mode().iloc[0],
                "id": "small",
                "name": name,
                "props": {"members": len(small), "_tip": name},
            }
        )
    view_nodes = pd.DataFrame(rows, columns=["key", "label", "id", "name", "props"])
    community = p.nodes["id"].map(parts).to_numpy()
    a, b = community[src], community[dst]
    keep = a != b
    pairs = pd.DataFrame({"a": np.minimum(a, b)[keep], "b": np.maximum(a, b)[keep], "w": weights[keep]})
    key_of = {c: f"community:{c}" for c in shown}
    pairs["a"] = pairs["a"].map(lambda c: key_of.get(c, f"{GROUPED}:small"))
    pairs["b"] = pairs["b"].map(lambda c: key_of.get(c, f"{GROUPED}:small"))
    pairs = pairs[pairs["a"] != pairs["b"]]
    links = pairs.groupby(["a", "b"], as_index=False)["w"].sum().sort_values("w", ascending=False).head(max_links)
    top = float(links["w"].max()) if len(links) else 1.0
    what = "联系强度" if lang == "zh" else "ties"
    edges = pd.DataFrame(
        {
            "source": links["a"],
            "target": links["b"],
            "type": GROUPED,
            "title": [f"{what}: {w:,.0f}" for w in links["w"]],
            "width": 1 + 7 * np.sqrt(links["w"] / top),
        },
        columns=[*EDGE_COLUMNS, "width"],
    )
    title = "机构合作网络总览（社区）" if lang == "zh" else "Organisation network overview (communities)"
    sub = (
        f"{len(nodes):,} 家机构、{len(p.edges):,} 条联系、{sizes.size:,} 个社区；显示 {len(shown):,} 个社区"
        f"（≥{min_size} 家）和最强的 {len(links):,} 条社区间联系"
        if lang == "zh"
        else f"{len(nodes):,} organisations, {len(p.edges):,} links, {sizes.size:,} communities; {len(shown):,} "
        f"communities of {min_size}+ shown with the {len(links):,} strongest links between them"
    )
    grouped = nodes[nodes["community"].isin(shown)].groupby("community")["id"]
    members = {c: grouped.get_group(c).tolist() for c in shown}
    return View(
        title,
        view_nodes,
        edges.reset_index(drop=True),
        sub,
        size_by="members",
        meta={"lang": lang, "members": members, "projection": p, "groups": {}},
    )


def _fields(graph, nodes: pd.DataFrame) -> pd.DataFrame:
    if not hasattr(graph, "run_named"):
        return pd.DataFrame(columns=["id", "field_name"])
    df = graph.run_named("analytics_node_fields")
    return df[df["id"].isin(set(nodes["id"]))][["id", "field_name"]].drop_duplicates()


def _most_common(frame: pd.DataFrame, column: str) -> dict:
    """``{community: the most frequent value of column among its rows}`` (ties: the first in row order)."""
    return (
        frame.groupby(["community", column])
        .size()
        .sort_values(ascending=False, kind="stable")
        .reset_index()
        .drop_duplicates("community")
        .set_index("community")[column]
        .to_dict()
    )


def _community_rows(nodes: pd.DataFrame, fields: pd.DataFrame, lang: str) -> dict:
    """``{community: view node row}``: labelled by size, largest members, dominant type, field and city."""

    ranked = nodes.sort_values(["community", "degree", "id"], ascending=[True, False, True], kind="stable")
    best = ranked.groupby("community").head(3)
    names = (best["name"].fillna(best["id"]).astype(str)).groupby(best["community"]).agg(list).to_dict()
    types = nodes.groupby(["community", "type"]).size().sort_values(ascending=False, kind="stable")
    with_field = nodes[["id", "community"]].merge(fields, on="id")
    top_field = _most_common(with_field, "field_name")
    top_city = {}
    if "region" in nodes:
        cities = nodes.dropna(subset=["region"]).assign(city=lambda d: d["region"].astype(str).str[:4] + "00")
        top_city = _most_common(cities, "city")
    sizes = nodes["community"].value_counts()
    out = {}
    for c, size in sizes.items():
        kinds = types.loc[c]
        dominant = kinds.index[0]
        field, city = top_field.get(c, ""), region_name(top_city[c]) if c in top_city else ""
        listed = "、".join(f"{node_style(t)['title'] if lang == 'zh' else t} {n:,}" for t, n in kinds.items())
        head = f"社区 {c} · {size:,} {MEASURE.get(dominant, '家')}" if lang == "zh" else f"community {c} · {size:,}"
        tip = [
            head,
            ("成员" if lang == "zh" else "members") + f": {listed}",
            ("主要成员" if lang == "zh" else "top members") + ": " + "、".join(names[c]),
        ]
        if field:
            tip.append(("主要领域" if lang == "zh" else "main field") + f": {field}")
        if city:
            tip.append(("主要城市" if lang == "zh" else "main city") + f": {city}")
        label = "\n".join([head, names[c][0], *([field] if field else []), *([city] if city else [])])
        out[int(c)] = {
            "key": f"community:{c}",
            "label": dominant,
            "id": str(c),
            "name": label,
            "props": {"members": int(size), "_tip": "\n".join(tip)},
        }
    return out


def write_overview(graph: Graph, view: View, path, pages: int = 10, max_nodes: int = 150) -> list[Path]:
    """Write the overview to ``path`` and, for HTML, one page per community for the ``pages`` largest
    (``<name>_communities/community-N.html``, opened by clicking the community); returns the files written."""

    path = Path(path)
    written = []
    if path.suffix.lower() in (".html", ".htm") and pages > 0:
        folder = path.parent / f"{path.stem}_communities"
        p, lang = view.meta["projection"], view.meta.get("lang", "zh")
        links = {}
        for c, ids in list(view.meta["members"].items())[:pages]:
            page = folder / f"community-{c}.html"
            sub = _projection_view(
                graph, p, set(ids), f"社区 {c}" if lang == "zh" else f"community {c}", f"{len(ids):,} members"
            )
            write_view(group_view(sub, max_nodes, graph, lang), page)
            links[f"community:{c}"] = f"{folder.name}/{page.name}"
            written.append(page)
        view.nodes["props"] = [
            {**(pr or {}), "_url": links[k]} if k in links else pr
            for k, pr in zip(view.nodes["key"], view.nodes["props"])
        ]
    return [write_view(view, path), *written]


# deprecated name (removed in 0.3)
overview = deprecated(overview_view, "kg.viz.overview")
