"""Subgraph views: ego networks, query results, a firm's match, a community, a region.

Each builder returns a :class:`View` that writes a self-contained HTML file
(``.write("x.html")``), shows inline in Jupyter, and exports to GraphML, GEXF
or a static image.  Styles come from the schema (:mod:`kg.viz.style`); node
size follows a measure (degree by default).

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "<img src=x onerror=alert(1)>"}])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2021}])
>>> v = ego(g, "U1")
>>> page = v.html()
>>> len(v.nodes), len(v.edges), "&lt;img src=x onerror=alert(1)&gt;" in page, "<img" in page
(2, 1, True, False)
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg import cypher
from kg.errors import KGError
from kg.viz.html import render_html, write_html
from kg.viz.layout import MAX_NODES, PHYSICS_LIMIT, positions
from kg.viz.style import RECOMMENDED, edge_style, node_style

#: properties shown in tooltips first (when a type has them)
TOOLTIP_FIRST = ("name", "id", "region", "scale", "level", "platform_kind", "qualification_kind", "year", "since",
                 "expertise", "roles", "products", "keywords")


@dataclass
class View:
    """Nodes (``key`` = ``Label:id``, ``label``, ``id``, ``name``, ``props``) and edges (``source``, ``target``, ``type``, ``title``)."""

    title: str
    nodes: pd.DataFrame
    edges: pd.DataFrame
    subtitle: str = ""
    size_by: str = "degree"
    meta: dict = field(default_factory=dict)

    def to_networkx(self):
        """A networkx MultiDiGraph with typed, scalar attributes (lists joined with ；)."""
        import networkx as nx

        G = nx.MultiDiGraph(name=self.title)
        for n in self.nodes.itertuples(index=False):
            attrs = {k: _scalar(v) for k, v in (n.props or {}).items() if v is not None}
            attrs.update({"type": n.label, "name": n.name or n.id, "node_id": n.id})
            G.add_node(n.key, **attrs)
        for e in self.edges.itertuples(index=False):
            G.add_edge(e.source, e.target, type=e.type, title=e.title or "")
        return G

    def vis_data(self) -> tuple[dict, dict]:
        """Nodes and edges in vis-network form (assembled with pyvis) and the options."""
        from pyvis.network import Network

        n = len(self.nodes)
        if n > MAX_NODES:
            raise KGError(f"the view has {n:,} nodes, above the cap of {MAX_NODES:,} for an interactive page; "
                          "filter it (fewer hops, one region or type) or export it to Gephi: kg export gexf")
        degree = pd.concat([self.edges["source"], self.edges["target"]]).value_counts() if len(self.edges) else pd.Series(dtype=int)
        sizes = self.nodes["key"].map(degree).fillna(0)
        if self.size_by != "degree" and self.size_by in self.nodes.columns:
            sizes = self.nodes[self.size_by].fillna(0).astype(float)
        top = float(sizes.max()) or 1.0
        physics = n <= PHYSICS_LIMIT
        pos = {} if physics else positions(self.nodes["key"].tolist(), self.edges[["source", "target"]].values.tolist())
        net = Network(directed=True, cdn_resources="local")
        for row, size in zip(self.nodes.itertuples(index=False), sizes):
            st = node_style(row.label)
            extra = {"x": pos[row.key][0], "y": pos[row.key][1], "physics": False} if pos else {}
            net.add_node(row.key, label=str(row.name or row.id), title=tooltip(row), color=st["color"],
                         shape=st["shape"], size=10 + 25 * (float(size) / top) ** 0.5, **extra)
        for e in self.edges.itertuples(index=False):
            st = edge_style(e.type)
            net.add_edge(e.source, e.target, title=e.title or st["title"], color=st["color"], dashes=st["dashes"],
                         arrows="to", width=2 if e.type == RECOMMENDED else 1)
        options = {
            "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
            "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                        "stabilization": {"enabled": True, "iterations": 400}},
            "edges": {"smooth": physics},
            "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}},
        }
        return {"nodes": net.nodes, "edges": net.edges}, options

    def html(self) -> str:
        """The page as a string."""
        data, options = self.vis_data()
        legend = sorted({(node_style(l)["title"], node_style(l)["color"]) for l in self.nodes["label"]})
        edges = {edge_style(t)["title"]: (edge_style(t)["color"], edge_style(t)["dashes"]) for t in sorted(set(self.edges["type"]))}
        names = [str(n or i) for n, i in zip(self.nodes["name"], self.nodes["id"])]
        return render_html(data, self.title, legend, edges, options, self.subtitle, names)

    def write(self, path) -> Path:
        """Write the self-contained HTML page (UTF-8) and return its path."""
        return write_html(self.html(), path)

    def _repr_html_(self) -> str:  # pragma: no cover - Jupyter only
        return ('<iframe style="width:100%;height:620px;border:0" sandbox="allow-scripts" srcdoc="'
                + _html.escape(self.html(), quote=True) + '"></iframe>')


def tooltip(row) -> str:
    """Plain-text tooltip: type and the node's key properties, one per line."""
    props = row.props or {}
    lines = [f"{node_style(row.label)['title']} ({row.label})"]
    for k in (*TOOLTIP_FIRST, *sorted(props)):
        v = props.get(k)
        if v is None or k in ("source_row", "description") or f"{k}:" in "".join(lines):
            continue
        lines.append(f"{k}: {_scalar(v)}"[:160])
        if len(lines) > 9:
            break
    return "\n".join(lines)


def _scalar(v):
    if isinstance(v, (list, tuple)):
        return "；".join(map(str, v))
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
        return "；".join(map(str, v)) if isinstance(v, list) else v
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return v


# ------------------------------------------------------------------ builders
def _fetch_nodes(graph, keys: list[tuple[str, str]]) -> pd.DataFrame:
    rows = []
    by_label: dict[str, list[str]] = {}
    for label, id_ in keys:
        by_label.setdefault(label, []).append(id_)
    for label, ids in by_label.items():
        props = list(graph.schema.node(label).properties)
        df = graph.query(cypher.nodes_by_ids(label, props), ids=sorted(set(ids)))
        for rec in df.to_dict("records"):
            clean = {k: v for k, v in rec.items() if not _missing(v)}
            rows.append({"key": f"{label}:{rec['id']}", "label": label, "id": rec["id"], "name": clean.get("name"),
                         "props": clean})
    return pd.DataFrame(rows, columns=["key", "label", "id", "name", "props"]).drop_duplicates("key")


def _missing(v) -> bool:
    try:
        return v is None or (not isinstance(v, (list, tuple)) and not hasattr(v, "__len__") and pd.isna(v))
    except (TypeError, ValueError):
        return False


def _edges_among(graph, keys: set[tuple[str, str]], frontier: set[tuple[str, str]] | None = None) -> tuple[pd.DataFrame, set]:
    """Edges touching ``frontier`` (default: ``keys``); returns edges and the keys they reach."""
    frontier = frontier if frontier is not None else keys
    by_label: dict[str, list[str]] = {}
    for label, id_ in frontier:
        by_label.setdefault(label, []).append(id_)
    rows, reached = [], set()
    for e in graph.schema.edges.values():
        for a, b in e.pairs:
            for side, label in (("from", a), ("to", b)):
                ids = by_label.get(label)
                if not ids:
                    continue
                df = graph.query(cypher.incident_edges(e.type, a, b, side), ids=ids)
                for s, t in df.itertuples(index=False):
                    rows.append({"source": f"{a}:{s}", "target": f"{b}:{t}", "type": e.type, "title": e.title})
                    reached.update({(a, s), (b, t)})
    edges = pd.DataFrame(rows, columns=["source", "target", "type", "title"]).drop_duplicates(["source", "target", "type"])
    return edges, reached


def ego(graph, node: str, hops: int = 1, *, types=None, limit: int = MAX_NODES) -> View:
    """The neighbourhood of a node up to ``hops`` (1..3) links away."""
    if not 1 <= int(hops) <= 3:
        raise KGError(f"--hops {hops}: use 1, 2 or 3")
    label, id_ = graph.resolve(node, types)
    keys = {(label, id_)}
    frontier = set(keys)
    edges = pd.DataFrame(columns=["source", "target", "type", "title"])
    for _ in range(int(hops)):
        found, reached = _edges_among(graph, keys, frontier)
        edges = pd.concat([edges, found], ignore_index=True).drop_duplicates(["source", "target", "type"])
        frontier = reached - keys
        keys |= reached
        if len(keys) > limit:
            raise KGError(f"the {hops}-hop neighbourhood of {node} has more than {limit:,} nodes; use fewer hops "
                          "or export the graph to Gephi: kg export gexf")
    nodes = _fetch_nodes(graph, sorted(keys))
    name = nodes.set_index("key").loc[f"{label}:{id_}", "name"]
    return View(f"{name}：{hops}度关系网络", nodes, edges.reset_index(drop=True), f"ego network of {label} {id_}, {hops} hop(s)")


def subgraph(graph, query_or_ids, title: str = "子图 subgraph", **params) -> View:
    """A view of the nodes a Cypher query returns (columns ``label`` and ``id``, or ``source``/``target`` pairs with
    ``source_label``/``target_label``), or of ``Label:id`` keys, with the links among them."""
    if isinstance(query_or_ids, str):
        df = graph.query(query_or_ids, **params)
        if {"label", "id"} <= set(df.columns):
            keys = set(zip(df["label"], df["id"]))
        elif {"source_label", "source", "target_label", "target"} <= set(df.columns):
            keys = set(zip(df["source_label"], df["source"])) | set(zip(df["target_label"], df["target"]))
        else:
            raise KGError("a view query must return columns `label` and `id` (e.g. RETURN 'Enterprise' AS label, e.id AS id)")
    else:
        keys = {tuple(k.split(":", 1)) if isinstance(k, str) else tuple(k) for k in query_or_ids}
    keys = {(graph.schema.node(l).label, str(i)) for l, i in keys}
    edges, _ = _edges_among(graph, keys)
    names = {f"{l}:{i}" for l, i in keys}
    edges = edges[edges["source"].isin(names) & edges["target"].isin(names)]
    return View(title, _fetch_nodes(graph, sorted(keys)), edges.reset_index(drop=True), f"{len(keys)} nodes")


def match_view(graph, enterprise: str, top: int = 10) -> View:
    """A firm, its current partners and its top recommended partners, with the evidence on the dashed edges."""
    from kg.queries.matching import match_partners

    _, firm = graph.resolve(enterprise, ["Enterprise"])
    partners = graph.query(
        cypher.incident_edges("COOPERATES_WITH", "Enterprise", "University", "from"), ids=[firm])
    partners_ri = graph.query(
        cypher.incident_edges("COOPERATES_WITH", "Enterprise", "ResearchInstitute", "from"), ids=[firm])
    recs = match_partners(graph, firm, top=top)
    keys = {("Enterprise", firm)} | {("University", t) for t in partners["target"]} | {
        ("ResearchInstitute", t) for t in partners_ri["target"]} | set(zip(recs["kind"], recs["id"]))
    rows = [{"source": f"Enterprise:{firm}", "target": f"University:{t}", "type": "COOPERATES_WITH", "title": "产学研合作（现有）"}
            for t in partners["target"]]
    rows += [{"source": f"Enterprise:{firm}", "target": f"ResearchInstitute:{t}", "type": "COOPERATES_WITH",
              "title": "产学研合作（现有）"} for t in partners_ri["target"]]
    rows += [{"source": f"Enterprise:{firm}", "target": f"{r.kind}:{r.id}", "type": RECOMMENDED,
              "title": f"推荐 #{r.rank}  得分 {r.score:.2f}\n{r.why_zh}\n{r.why_en}"} for r in recs.itertuples(index=False)]
    nodes = _fetch_nodes(graph, sorted(keys))
    name = nodes.set_index("key").loc[f"Enterprise:{firm}", "name"]
    return View(f"{name}：产学研合作与推荐", nodes, pd.DataFrame(rows, columns=["source", "target", "type", "title"]),
                f"{len(partners) + len(partners_ri)} current partners (solid), {len(recs)} recommendations (dashed, evidence on hover)")


def _projection_view(graph, p, keep: set, title: str, subtitle: str) -> View:
    edges = p.edges[p.edges["source"].isin(keep) & p.edges["target"].isin(keep)]
    types = dict(zip(p.nodes["id"], p.nodes["type"]))
    keys = sorted({(types[i], i) for i in keep if i in types})
    kinds = ["cooperation", "project", "patent", "academician"]
    rows = []
    for e in edges.itertuples(index=False):
        parts = [f"{k} {getattr(e, k)}" for k in kinds if getattr(e, k, 0)]
        etype = "COOPERATES_WITH" if getattr(e, "cooperation", 0) else "PARTICIPATES_IN"
        rows.append({"source": f"{types[e.source]}:{e.source}", "target": f"{types[e.target]}:{e.target}",
                     "type": etype, "title": "；".join(parts)})
    return View(title, _fetch_nodes(graph, keys), pd.DataFrame(rows, columns=["source", "target", "type", "title"]), subtitle)


def community_view(graph, community: int = 0, method: str = "leiden", seed: int = 0) -> View:
    """The members of one community (numbered by size, 0 = largest) and the links among them."""
    from kg.queries.analytics import detect, organisations

    p = organisations(graph)
    parts, q = detect(p, method, seed)
    keep = {n for n, c in parts.items() if c == int(community)}
    if not keep:
        raise KGError(f"no community {community}; there are {len(set(parts.values()))} (0 is the largest)")
    return _projection_view(graph, p, keep, f"创新社区 {community}", f"{len(keep)} members, modularity {q:.3f} ({method})")


def region_view(graph, region: str) -> View:
    """The organisations of a region and their academic partners, with the links among them."""
    from kg.queries.analytics import organisations
    from kg.queries.targets import region_prefix, resolve_region

    code, name = resolve_region(graph, region)
    prefix = region_prefix(code)
    p = organisations(graph, kinds=("cooperation", "academician", "patent"))
    local = set(p.nodes.loc[p.nodes["region"].fillna("").astype(str).str.startswith(prefix), "id"])
    partners = set(p.edges.loc[p.edges["source"].isin(local), "target"]) | set(p.edges.loc[p.edges["target"].isin(local), "source"])
    keep = {i for i in local | partners if i in local or i in partners}
    linked = set(p.edges["source"]) | set(p.edges["target"])
    keep = {i for i in keep if i in linked}
    return _projection_view(graph, p, keep, f"{name}产学研网络", f"organisations in {name} ({code}) and their partners")
