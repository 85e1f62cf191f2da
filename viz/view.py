"""One picture of the graph: :class:`View`, its nodes and edges, sizes, tooltips, legend and HTML page.

The builders in :mod:`kg.viz.views` (ego networks, query results, matches, communities, regions) and
:mod:`kg.viz.groups` (aggregate nodes) return a View.

Examples
--------
>>> import pandas as pd
>>> nodes = pd.DataFrame({"key": ["Enterprise:E1"], "label": ["Enterprise"], "id": ["E1"], "name": ["甲公司"],
...                       "props": [{"region": "211100"}]})
>>> v = View("一张图", nodes, pd.DataFrame(columns=EDGE_COLUMNS))
>>> v, v.sizes().tolist()
(View('一张图', 1 nodes, 0 links), [0.0])
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg.errors import KGError
from kg.viz.html import render_html, write_html
from kg.viz.layout import MAX_NODES, PHYSICS_LIMIT, positions
from kg.viz.style import RECOMMENDED, directed, edge_style, node_style

#: properties shown in tooltips first (when a type has them)
TOOLTIP_FIRST = (
    "name",
    "id",
    "region",
    "scale",
    "level",
    "platform_kind",
    "qualification_kind",
    "year",
    "since",
    "expertise",
    "roles",
    "products",
    "keywords",
)
#: node size measures besides any numeric property
MEASURES = ("degree", "pagerank")
EDGE_COLUMNS = ["source", "target", "type", "title"]
#: interactive pages fold neighbours into aggregate nodes above this many nodes
DEFAULT_MAX_NODES = 150


@dataclass
class View:
    """Nodes (``key`` = ``Label:id``, ``label``, ``id``, ``name``, ``props``) and edges (``source``, ``target``,
    ``type``, ``title``) of one picture, with its title, the measure that sizes nodes and the focus keys."""

    title: str
    nodes: pd.DataFrame
    edges: pd.DataFrame
    subtitle: str = ""
    size_by: str = "degree"
    focus: tuple = ()
    meta: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"View({self.title!r}, {len(self.nodes):,} nodes, {len(self.edges):,} links)"

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

    def sizes(self) -> pd.Series:
        """The measure that sizes each node (aligned with ``nodes``): degree, PageRank or a numeric property."""
        if self.size_by == "degree":
            degree = pd.concat([self.edges["source"], self.edges["target"]]).value_counts()
            return self.nodes["key"].map(degree).fillna(0).astype(float)
        if self.size_by == "pagerank":
            import networkx as nx

            G = nx.Graph()
            G.add_nodes_from(self.nodes["key"])
            G.add_edges_from(self.edges[["source", "target"]].itertuples(index=False, name=None))
            return self.nodes["key"].map(nx.pagerank(G) if len(G) else {}).fillna(0).astype(float)
        values = pd.to_numeric(self.nodes["props"].map(lambda p: (p or {}).get(self.size_by)), errors="coerce")
        if values.notna().sum() == 0:
            raise KGError(
                f"size_by={self.size_by!r}: no node in this view has a numeric {self.size_by!r}; use "
                f"{', '.join(MEASURES)} or a numeric property such as revenue, budget or rd_expense"
            )
        return values.fillna(0).clip(lower=0).astype(float)

    def vis_data(self) -> tuple[dict, dict]:
        """Nodes and edges in vis-network form (pyvis' Node and Edge records) and the options."""
        from pyvis.edge import Edge
        from pyvis.node import Node

        n = len(self.nodes)
        if n > MAX_NODES:
            raise KGError(
                f"the view has {n:,} nodes, above the cap of {MAX_NODES:,} for an interactive page; "
                "filter it (fewer hops, one region or type) or export it to Gephi: kg export gexf"
            )
        sizes = self.sizes()
        groups = self.meta.get("groups") or {}
        if groups:  # aggregate nodes: as large as the largest node, scaled by how many they hold
            most = max(groups.values())
            sizes = sizes.where(
                ~self.nodes["key"].isin(groups),
                (0.4 + 0.6 * self.nodes["key"].map(groups).fillna(0).astype(float) / most)
                * max(float(sizes.max()), 1.0),
            )
        top = float(sizes.max()) if n and float(sizes.max()) > 0 else 1.0
        physics = n <= PHYSICS_LIMIT
        pos = {} if physics else positions(self.nodes["key"].tolist(), self.edges[["source", "target"]].values.tolist())
        focus = set(self.focus)
        nodes, edges, known = [], [], set(self.nodes["key"])
        for row, size in zip(self.nodes.itertuples(index=False), sizes):
            st = node_style(row.label)
            extra = {"x": pos[row.key][0], "y": pos[row.key][1], "physics": False} if pos else {}
            if row.key in focus:
                solid = {"background": st["color"], "border": "#222222"}
                extra.update(
                    borderWidth=4, font={"size": 18, "bold": True}, color={**solid, "highlight": solid, "hover": solid}
                )
            elif row.key in groups:
                extra.update(
                    borderWidth=2,
                    shapeProperties={"borderDashes": [4, 3]},
                    font={"size": 15, "bold": True},
                    color={"background": "#ffffff", "border": st["color"]},
                )
            link = (row.props or {}).get("_url")
            if link:
                extra["url"] = link
            nodes.append(
                Node(
                    row.key,
                    st["shape"],
                    str(row.name or row.id),
                    title=tooltip(row),
                    size=(
                        34 if row.key in focus else (18 if row.key in groups else 10) + 22 * (float(size) / top) ** 0.5
                    ),
                    **({"color": st["color"]} | extra),
                ).options
            )
        for e in self.edges.itertuples(index=False):
            if e.source in known and e.target in known:
                st = edge_style(e.type)
                width = getattr(e, "width", None)
                edges.append(
                    Edge(
                        e.source,
                        e.target,
                        directed=directed(e.type),
                        title=e.title or st["title"],
                        color=st["color"],
                        dashes=st["dashes"],
                        width=(2 if e.type == RECOMMENDED else 1) if width is None or width != width else float(width),
                    ).options
                )
        options = {
            "interaction": {
                "hover": True,
                "tooltipDelay": 120,
                "navigationButtons": False,
                "hideEdgesOnDrag": not physics,
            },
            "physics": {
                "enabled": physics,
                "solver": "forceAtlas2Based",
                "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50},
            },
            "edges": {"smooth": physics},
            "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"}},
        }
        if not physics:  # a large picture: faint links, names appear when zoomed in
            options["edges"]["color"] = {"opacity": 0.35}
            options["nodes"]["scaling"] = {"label": {"drawThreshold": 11}}
        return {"nodes": nodes, "edges": edges}, options

    def legend(self) -> tuple[list, dict]:
        """``[(title, colour, shape)]`` of the node types and ``{title: (colour, dashes)}`` of the edge types (Chinese
        titles from the schema; the type names with ``meta["lang"] == "en"``)."""
        en = self.meta.get("lang") == "en"
        nodes = sorted(
            {
                (x if en else node_style(x)["title"], node_style(x)["color"], node_style(x)["shape"])
                for x in self.nodes["label"]
            }
        )
        edges = {
            (t if en else edge_style(t)["title"]): (edge_style(t)["color"], bool(edge_style(t)["dashes"]))
            for t in sorted(set(self.edges["type"]))
        }
        return nodes, edges

    def html(self) -> str:
        """The page as a string."""
        data, options = self.vis_data()
        nodes, edges = self.legend()
        names = [str(n or i) for n, i in zip(self.nodes["name"], self.nodes["id"])]
        return render_html(data, self.title, nodes, edges, options, self.subtitle, names, self.meta.get("warning", ""))

    def write(self, path) -> Path:
        """Write the self-contained HTML page (UTF-8) and return its path."""
        return write_html(self.html(), path)

    def _repr_html_(self) -> str:
        return (
            '<iframe style="width:100%;height:620px;border:0" sandbox="allow-scripts" srcdoc="'
            + _html.escape(self.html(), quote=True)
            + '"></iframe>'
        )


def tooltip(row) -> str:
    """Plain-text tooltip: type and the node's key properties, one per line (escaped by the page, never HTML)."""
    props = row.props or {}
    if props.get("_tip"):
        return str(props["_tip"])
    lines = [f"{node_style(row.label)['title']} ({row.label})"]
    seen = set()
    for k in (*TOOLTIP_FIRST, *sorted(props)):
        v = props.get(k)
        if v is None or k in seen or k in ("source", "source_row", "description") or k.startswith("_") or _missing(v):
            continue
        seen.add(k)
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


def _missing(v) -> bool:
    try:
        return v is None or (not isinstance(v, (list, tuple)) and not hasattr(v, "__len__") and pd.isna(v))
    except (TypeError, ValueError):
        return False


__all__ = ["DEFAULT_MAX_NODES", "EDGE_COLUMNS", "MEASURES", "TOOLTIP_FIRST", "View", "tooltip"]
