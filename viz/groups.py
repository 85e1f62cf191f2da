"""Hub-aware views: above a node cap, the weaker neighbours fold into aggregate nodes ("其余 3,100 家企业").

A hub such as a national research centre has thousands of neighbours; drawn one by one they make an unreadable
star.  :func:`group_view` keeps the focus and the strongest neighbours (most links in the view, then most links in
the whole graph) and folds every other node into one aggregate node per type and city (or per type when cities
are unknown or too many), labelled with its count.  Links to folded nodes are redrawn to their aggregate, counted.

Examples
--------
>>> import pandas as pd
>>> from kg.viz.view import View
>>> nodes = pd.DataFrame({"key": ["University:U"] + [f"Enterprise:E{i}" for i in range(9)], "label": ["University"]
...                       + ["Enterprise"] * 9, "id": ["U"] + [f"E{i}" for i in range(9)], "name": None, "props": None})
>>> edges = pd.DataFrame({"source": [f"Enterprise:E{i}" for i in range(9)], "target": "University:U",
...                       "type": "COOPERATES_WITH", "title": ""})
>>> v = group_view(View("t", nodes, edges, focus=("University:U",)), max_nodes=5)
>>> len(v.nodes), v.nodes["name"].iloc[-1], len(v.edges)
(5, '其余 6 家企业', 4)
"""

from __future__ import annotations

import pandas as pd

from kg import cypher
from kg.viz.labels import region_name
from kg.viz.style import GROUPED, edge_style, node_style
from kg.viz.view import View

#: measure words for counting nodes of a type in Chinese (default 个)
MEASURE = {
    "Enterprise": "家",
    "University": "所",
    "ResearchInstitute": "家",
    "ServiceOrg": "家",
    "Incubator": "家",
    "Person": "位",
    "Patent": "件",
    "Project": "个",
    "Achievement": "项",
    "TechDemand": "项",
    "Award": "项",
}


def group_label(label: str, count: int, place: str = "", lang: str = "zh") -> str:
    """The label of an aggregate node.

    Examples
    --------
    >>> group_label("Enterprise", 3100), group_label("Enterprise", 3100, "盘锦市"), group_label("Project", 2, lang="en")
    ('其余 3,100 家企业', '盘锦市 其余 3,100 家企业', '2 other Project nodes')
    """
    if lang == "en":
        return f"{count:,} other {label} nodes" + (f" in {place}" if place else "")
    text = f"其余 {count:,} {MEASURE.get(label, '个')}{node_style(label)['title']}"
    return f"{place} {text}" if place else text


def _city(props) -> str:
    region = (props or {}).get("region")
    if isinstance(region, str) and len(region) == 6 and region.isdigit():
        return region_name(region[:4] + "00")
    return ""


def strengths(view, graph=None) -> pd.Series:
    """Per node key: links in the view, with the node's links in the whole ``graph`` as a fraction for ties."""
    degree = pd.concat([view.edges["source"], view.edges["target"]]).value_counts()
    strength = view.nodes["key"].map(degree).fillna(0).astype(float)
    if graph is not None:
        whole = {}
        for label, ids in view.nodes.groupby("label")["id"]:
            if label in graph.schema.nodes:
                df = graph.query(cypher.degrees(label), ids=ids.tolist())
                whole.update({f"{label}:{i}": d for i, d in zip(df["id"], df["degree"])})
        glob = view.nodes["key"].map(whole).fillna(0).astype(float)
        strength = strength + glob / (glob.max() + 1.0)
    return pd.Series(strength.values, index=view.nodes["key"].values)


def group_view(view, max_nodes: int = 150, graph=None, lang: str = "zh", max_links: int = 600):
    """``view`` with at most ``max_nodes`` nodes: the focus, the strongest others, and aggregate nodes.

    Returns the view unchanged when it is small enough.  ``graph`` (optional) breaks ties by whole-graph degree.
    Of the links among the kept nodes at most ``max_links`` are drawn: those of the focus and the aggregates,
    then the most repeated, then those of the strongest nodes (a dense community would otherwise be a hairball
    the browser cannot lay out).  ``view.meta["groups"]`` lists the aggregate keys with their counts.
    """

    if len(view.nodes) <= max_nodes:
        return view
    focus = set(view.focus)
    strength = strengths(view, graph)
    rest = view.nodes[~view.nodes["key"].isin(focus)].copy()
    rest["strength"] = rest["key"].map(strength)
    rest["city"] = rest["props"].map(_city)
    n_types = rest["label"].nunique()
    by_city = rest["city"].ne("").any() and rest.groupby(["label", "city"]).ngroups <= max(n_types, max_nodes // 5)
    budget = max(1, max_nodes - len(focus) - (rest.groupby(["label", "city"]).ngroups if by_city else n_types))
    rest = rest.sort_values(["strength", "key"], ascending=[False, True], kind="stable")
    kept, folded = rest.iloc[:budget], rest.iloc[budget:]
    group_of = {}
    rows = []
    for (label, city), members in folded.groupby(["label", "city" if by_city else "label"], sort=True):
        place = city if by_city else ""
        key = f"{GROUPED}:{label}:{place}"
        group_of.update(dict.fromkeys(members["key"], key))
        tip = "\n".join(
            [
                group_label(label, len(members), place, lang),
                ("最强的几个" if lang == "zh" else "strongest")
                + ": "
                + "、".join(str(n or i) for n, i in zip(members["name"].head(5), members["id"].head(5))),
            ]
        )
        rows.append(
            {
                "key": key,
                "label": label,
                "id": key,
                "name": group_label(label, len(members), place, lang),
                "props": {"members": len(members), "_tip": tip, "_group": True},
            }
        )
    nodes = pd.concat(
        [view.nodes[view.nodes["key"].isin(focus | set(kept["key"]))], pd.DataFrame(rows, columns=view.nodes.columns)],
        ignore_index=True,
    )
    edges = view.edges.copy()
    edges["source"] = edges["source"].map(lambda k: group_of.get(k, k))
    edges["target"] = edges["target"].map(lambda k: group_of.get(k, k))
    edges = edges[edges["source"] != edges["target"]]
    counted = edges.groupby(["source", "target", "type"], sort=False).agg(title=("title", "first"), n=("title", "size"))
    counted = counted.reset_index()
    many = counted["n"] > 1
    counted.loc[many, "title"] = [
        f"{edge_style(t)['title']} × {n:,}" for t, n in zip(counted.loc[many, "type"], counted.loc[many, "n"])
    ]
    special = counted["source"].isin(focus | set(group_of.values())) | counted["target"].isin(
        focus | set(group_of.values())
    )
    counted["rank"] = counted["source"].map(strength).fillna(0) + counted["target"].map(strength).fillna(0)
    counted = pd.concat(
        [counted[special], counted[~special].sort_values(["n", "rank"], ascending=False, kind="stable")]
    )
    dropped = max(0, len(counted) - max(max_links, int(special.sum())))
    counted = counted.head(len(counted) - dropped)
    meta = {**view.meta, "groups": {r["key"]: r["props"]["members"] for r in rows}}
    sub = view.subtitle + (
        f"; {len(folded):,} 个节点归入 {len(rows)} 个汇总节点"
        if lang == "zh"
        else f"; {len(folded):,} nodes folded into {len(rows)} aggregate nodes"
    )
    if dropped:
        sub += (
            f"；只画最强的 {len(counted):,} 条联系" if lang == "zh" else f"; the {len(counted):,} strongest links drawn"
        )
    return View(view.title, nodes, counted[["source", "target", "type", "title"]], sub, view.size_by, view.focus, meta)
