"""Subgraph views: ego networks, query results, a firm's match, a community, a region.

Each builder returns a :class:`View` that writes a self-contained HTML file
(``.write("x.html")``), shows inline in Jupyter, and exports to GraphML, GEXF
or a static image.  Styles come from the schema (:mod:`kg.viz.style`); node
size follows a measure (``degree``, ``pagerank`` or a numeric property such as
``revenue`` or ``budget``); the view's focus (the ego, the firm) is drawn
larger with a thick border.  Tooltips list a node's key properties and an
edge's properties as plain text.

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "<img src=x onerror=alert(1)>"}])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2021}])
>>> v = ego_view(g, "U1")
>>> page = v.html()
>>> len(v.nodes), len(v.edges), "&lt;img src=x onerror=alert(1)&gt;" in page, "<img" in page
(2, 1, True, False)
>>> v.edges["title"].iloc[0]
'产学研合作 (COOPERATES_WITH)\\nsince: 2021'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kg import cypher, regions
from kg.cypher import first_write_keyword
from kg.deprecation import deprecated
from kg.errors import KGError
from kg.queries.analytics import detect_communities, organisations
from kg.types import Graph
from kg.viz.groups import group_view
from kg.viz.layout import FETCH_LIMIT, MAX_NODES
from kg.viz.style import LINKED, RECOMMENDED, edge_style
from kg.viz.view import DEFAULT_MAX_NODES, EDGE_COLUMNS, View, _missing, _scalar


def _edge_title(type_: str, props: dict) -> str:
    shown = [f"{k}: {_scalar(v)}" for k, v in props.items() if k not in ("source", "source_row") and not _missing(v)]
    return "\n".join([f"{edge_style(type_)['title']} ({type_})", *shown])


# ------------------------------------------------------------------ builders
def _fetch_nodes(graph, keys) -> pd.DataFrame:
    rows = []
    by_label: dict[str, list[str]] = {}
    for label, id_ in keys:
        by_label.setdefault(label, []).append(id_)
    for label, ids in by_label.items():
        props = list(graph.schema.node(label).properties)
        df = graph.query(cypher.nodes_by_ids(label, props), ids=sorted(set(ids)))
        for rec in df.to_dict("records"):
            clean = {k: v for k, v in rec.items() if not _missing(v)}
            rows.append(
                {
                    "key": f"{label}:{rec['id']}",
                    "label": label,
                    "id": rec["id"],
                    "name": clean.get("name"),
                    "props": clean,
                }
            )
    return pd.DataFrame(rows, columns=["key", "label", "id", "name", "props"]).drop_duplicates("key")


def _edges_among(graph, frontier, types=None) -> tuple[pd.DataFrame, set]:
    """Stored edges touching the ``frontier`` keys (optionally only some edge types), and the keys they reach."""
    by_label: dict[str, list[str]] = {}
    for label, id_ in frontier:
        by_label.setdefault(label, []).append(id_)
    rows, reached = [], set()
    for e in graph.schema.edges.values():
        if types and e.type not in types:
            continue
        props = [p for p in e.properties if p not in ("source", "source_row")]
        for a, b in e.pairs:
            for side, label in (("from", a), ("to", b)):
                ids = by_label.get(label)
                if not ids:
                    continue
                df = graph.query(cypher.incident_edges(e.type, a, b, side, props), ids=ids)
                for rec in df.to_dict("records"):
                    s, t = rec.pop("source"), rec.pop("target")
                    rows.append(
                        {"source": f"{a}:{s}", "target": f"{b}:{t}", "type": e.type, "title": _edge_title(e.type, rec)}
                    )
                    reached.update({(a, s), (b, t)})
    edges = pd.DataFrame(rows, columns=EDGE_COLUMNS).drop_duplicates(["source", "target", "type"])
    return edges.reset_index(drop=True), reached


def _name(nodes: pd.DataFrame, key: str) -> str:
    hit = nodes.loc[nodes["key"] == key, "name"]
    return str(hit.iloc[0]) if len(hit) and hit.iloc[0] else key.split(":", 1)[1]


def check_edge_types(graph, edge_types) -> tuple | None:
    """``edge_types`` as schema edge types (Cypher type, class name or Chinese title); an unknown one is a
    :class:`KGError` listing the valid ones."""
    if not edge_types:
        return None
    out = []
    for t in edge_types:
        try:
            out.append(graph.schema.edge(str(t).strip()).type)
        except KGError:
            valid = ", ".join(f"{e.type} ({e.title})" for e in graph.schema.edges.values())
            raise KGError(f"--edge-types {t!r} is not an edge type; use one of: {valid}") from None
    return tuple(out)


def ego_view(
    graph: Graph,
    node: str,
    hops: int = 1,
    *,
    types=None,
    edge_types=None,
    limit: int = FETCH_LIMIT,
    max_nodes: int = DEFAULT_MAX_NODES,
    size_by: str = "degree",
    lang: str = "zh",
) -> View:
    """The neighbourhood of a node up to ``hops`` (1..3) links away, hub-aware.

    ``types`` narrows which node types the name is looked up in; ``edge_types`` which links are followed.
    Above ``max_nodes`` nodes the weaker neighbours fold into aggregate nodes per type and city
    (:func:`kg.viz.groups.group_view`); more than ``limit`` nodes to fetch raise :class:`KGError` with what to do.
    """
    if not 1 <= int(hops) <= 3:
        raise KGError(f"--hops {hops}: use 1, 2 or 3")
    edge_types = check_edge_types(graph, edge_types)
    label, id_ = graph.resolve(node, types)
    keys = {(label, id_)}
    frontier = set(keys)
    parts = []
    for _ in range(int(hops)):
        found, reached = _edges_among(graph, frontier, edge_types)
        parts.append(found)
        frontier = reached - keys
        keys |= reached
        if len(keys) > limit:
            raise KGError(
                f"the {hops}-hop neighbourhood of {node} has more than {limit:,} nodes; use fewer --hops, "
                "follow fewer link types (--edge-types COOPERATES_WITH) or export the graph to Gephi: "
                "kg export gexf"
            )
        if not frontier:
            break
    edges = pd.concat(parts, ignore_index=True).drop_duplicates(["source", "target", "type"]).reset_index(drop=True)
    nodes = _fetch_nodes(graph, sorted(keys))
    center = f"{label}:{id_}"
    view = View(
        f"{_name(nodes, center)}：{hops}度关系网络" if lang == "zh" else f"{_name(nodes, center)}: {hops}-hop network",
        nodes,
        edges,
        f"ego network of {label} {id_}, {hops} hop(s), {len(nodes):,} nodes",
        size_by=size_by,
        focus=(center,),
        meta={"lang": lang},
    )

    return group_view(view, max_nodes, graph, lang)


def subgraph_view(
    graph: Graph, query_or_ids, title: str = "子图 subgraph", *, size_by: str = "degree", **params
) -> View:
    """A view of the nodes a Cypher query returns, or of given ``Label:id`` keys / ``(label, id)`` pairs, with the
    stored links among them.

    The query returns columns ``label`` and ``id`` (one node a row), or ``source_label``, ``source``,
    ``target_label``, ``target`` (one link a row); ``params`` are passed as query parameters.
    """
    if isinstance(query_or_ids, str):
        keyword = first_write_keyword(query_or_ids, calls=False)
        if keyword:
            raise KGError(
                f"a view query may only read, and this one writes ({keyword}); nothing was run. "
                "Give a MATCH ... RETURN label, id query"
            )
        df = graph.query(query_or_ids, **params)
        keys: set[tuple[Any, ...]]
        if {"label", "id"} <= set(df.columns):
            keys = set(zip(df["label"], df["id"]))
        elif {"source_label", "source", "target_label", "target"} <= set(df.columns):
            keys = set(zip(df["source_label"], df["source"])) | set(zip(df["target_label"], df["target"]))
        else:
            raise KGError(
                "a view query must return columns `label` and `id` (e.g. RETURN 'Enterprise' AS label, "
                f"e.id AS id); this one returned {list(df.columns)}"
            )
    else:
        keys = {tuple(k.split(":", 1)) if isinstance(k, str) else tuple(k) for k in query_or_ids}
        if any(len(k) != 2 for k in keys):
            raise KGError("node keys are written Label:id (e.g. Enterprise:E1) or given as (label, id) pairs")
    keys = {(graph.schema.node(lab).label, str(i)) for lab, i in keys}
    if len(keys) > MAX_NODES:
        raise KGError(
            f"the query returned {len(keys):,} nodes, above the cap of {MAX_NODES:,}; add a LIMIT or a "
            "filter, or export to Gephi: kg export gexf"
        )
    edges, _ = _edges_among(graph, keys)
    names = {f"{lab}:{i}" for lab, i in keys}
    edges = edges[edges["source"].isin(names) & edges["target"].isin(names)]
    return View(
        title, _fetch_nodes(graph, sorted(keys)), edges.reset_index(drop=True), f"{len(keys)} nodes", size_by=size_by
    )


def match_view(graph: Graph, enterprise: str, top: int = 10, *, size_by: str = "degree") -> View:
    """A firm, its current partners and its top recommended partners, with the evidence on the dashed edges.

    Recommendations come from :func:`kg.queries.matching.match_partners`; where matching is not available the
    view still shows the firm and its partners and says why in ``meta["warning"]`` and on the page.
    """
    _, firm = graph.resolve(enterprise, ["Enterprise"])
    center = f"Enterprise:{firm}"
    found, reached = _edges_among(graph, {("Enterprise", firm)}, ("COOPERATES_WITH", "CONTRACTED_WITH"))
    partners = found[found["source"] == center]
    keys = {("Enterprise", firm)} | {k for k in reached if f"{k[0]}:{k[1]}" in set(partners["target"])}
    warning = ""
    try:  # the one local import: the page still shows the firm and its partners when matching cannot be imported
        from kg.queries.matching import match_partners
    except ImportError as exc:
        recs = pd.DataFrame(columns=["rank", "id", "kind", "score", "why_zh", "why_en"])
        warning = f"推荐不可用 recommendations unavailable: partner matching (kg.queries.matching) could not be imported ({exc})"
    else:
        recs = match_partners(graph, firm, top=top)
    rows = [
        {
            "source": center,
            "target": f"{r.kind}:{r.id}",
            "type": RECOMMENDED,
            "title": f"推荐 #{r.rank}  得分 score {r.score:.2f}\n{r.why_zh}\n{r.why_en}",
        }
        for r in recs.itertuples(index=False)
    ]
    keys |= set(zip(recs["kind"], recs["id"]))
    edges = pd.concat([partners, pd.DataFrame(rows, columns=EDGE_COLUMNS)], ignore_index=True)
    nodes = _fetch_nodes(graph, sorted(keys))
    sub = (
        f"{len(partners)} current partners (solid), {len(recs)} recommendations (dashed, evidence on hover)"
        if not warning
        else f"{len(partners)} current partners (solid); {warning}"
    )
    return View(
        f"{_name(nodes, center)}：产学研合作与推荐",
        nodes,
        edges,
        sub,
        size_by=size_by,
        focus=(center,),
        meta={"warning": warning} if warning else {},
    )


def _projection_view(graph, p, keep: set, title: str, subtitle: str, size_by: str = "degree") -> View:
    edges = p.edges[p.edges["source"].isin(keep) & p.edges["target"].isin(keep)]
    types = dict(zip(p.nodes["id"], p.nodes["type"]))
    keys = sorted({(types[i], i) for i in keep if i in types})
    kinds = [k for k in ("cooperation", "project", "patent", "academician") if k in edges.columns]
    rows = []
    for e in edges.itertuples(index=False):
        parts = [f"{k}: {getattr(e, k)}" for k in kinds if getattr(e, k, 0)]
        etype = "COOPERATES_WITH" if getattr(e, "cooperation", 0) else LINKED
        rows.append(
            {
                "source": f"{types[e.source]}:{e.source}",
                "target": f"{types[e.target]}:{e.target}",
                "type": etype,
                "title": "\n".join([edge_style(etype)["title"], *parts]),
            }
        )
    return View(title, _fetch_nodes(graph, keys), pd.DataFrame(rows, columns=EDGE_COLUMNS), subtitle, size_by=size_by)


def community_view(
    graph: Graph, community=0, method: str = "leiden", seed: int = 0, *, size_by: str = "degree"
) -> View:
    """One community of the collaboration network and the links among its members.

    ``community`` is a community number (detected with :func:`kg.queries.analytics.communities.detect`, numbered
    by size, 0 = largest), a list of member ids (or ``Label:id`` keys), or a tuple ``(assignment, number)`` with
    an assignment ``{node id: community}`` computed elsewhere.
    """
    if isinstance(community, tuple) and len(community) == 2 and isinstance(community[0], dict):
        assignment, number = community
        members = [n for n, c in assignment.items() if c == number]
        title = f"创新社区 {number}"
    elif isinstance(community, (list, set, frozenset, tuple)):
        members, title = list(community), "创新社区 community"
    else:
        members, title = None, f"创新社区 {community}"
    p = organisations(graph)
    if members is None:
        parts, q = detect_communities(p, method, seed)
        keep = {n for n, c in parts.items() if c == int(community)}
        if not keep:
            raise KGError(f"no community {community}; there are {len(set(parts.values()))} (0 is the largest)")
        return _projection_view(graph, p, keep, title, f"{len(keep)} members, modularity {q:.3f} ({method})", size_by)
    keep = {str(m).split(":", 1)[-1] for m in members}
    unknown = keep - set(p.nodes["id"])
    if unknown:
        raise KGError(
            f"{len(unknown)} member(s) are not organisations of the collaboration network: "
            f"{', '.join(sorted(unknown)[:5])}; pass firm, university or institute ids"
        )
    return _projection_view(graph, p, keep, title, f"{len(keep)} members", size_by)


def region_view(graph: Graph, region: str, *, size_by: str = "degree") -> View:
    """The organisations of a region and their partners elsewhere, with the links among them.

    ``region`` is a 行政区划代码 or a region name (盘锦市, 双台子区).  Organisations without any link are left out.
    """

    found = regions.resolve(region, graph)
    code, name, prefix = found.code, found.name, found.prefix()
    p = organisations(graph, kinds=("cooperation", "academician", "patent"))
    local = set(p.nodes.loc[p.nodes["region"].fillna("").astype(str).str.startswith(prefix), "id"])
    touching = p.edges["source"].isin(local) | p.edges["target"].isin(local)
    keep = set(p.edges.loc[touching, "source"]) | set(p.edges.loc[touching, "target"])
    if len(keep) > MAX_NODES:
        raise KGError(
            f"{name} has {len(keep):,} linked organisations, above the cap of {MAX_NODES:,}; pick a "
            "county instead of a city, or export to Gephi: kg export gexf"
        )
    return _projection_view(
        graph,
        p,
        keep,
        f"{name}产学研网络",
        f"{len(local & keep)} linked organisations in {name} ({code}) and their partners",
        size_by,
    )


# deprecated names (removed in 0.3)
ego = deprecated(ego_view, "kg.viz.ego")
subgraph = deprecated(subgraph_view, "kg.viz.subgraph")
