"""Colours, shapes and edge styles per type, derived from the schema (no hand-written type list).

A node type's colour and shape come from its position in the schema: the
colours are 20 mutually distinct hues (the Tableau 10 first, then Kelly's
colours of maximum contrast), so the first 20 types never share a colour, and
colour and shape cycle at different lengths, so no two of the schema's types
look alike.  Edge types take the palette in reverse order; types past the 20th,
and links that are not stored in the graph (recommendations), are dashed.  The
legend shows the Chinese titles.

Examples
--------
>>> s = node_style("University")
>>> s["shape"], s["color"], s["title"]
('diamond', '#ff7f0e', '高校')
>>> bool(edge_style(RECOMMENDED)["dashes"]), edge_style("COOPERATES_WITH")["title"]
(True, '产学研合作')
>>> len({(node_style(t)["color"], node_style(t)["shape"]) for t in load_schema().nodes}) == len(load_schema().nodes)
True
"""

from __future__ import annotations

from functools import cache

from kg.schema import load_schema

#: 20 mutually distinct colours: Tableau 10, then Kelly's contrast colours
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#d62728",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#f3c300",
    "#a1caf1",
    "#882d17",
    "#8db600",
    "#604e97",
    "#f99379",
    "#1b9e77",
    "#c2b280",
    "#b3446c",
    "#0067a5",
]
#: vis-network shapes whose label sits below the shape (so Chinese names stay readable)
SHAPES = ["dot", "diamond", "triangle", "square", "star", "hexagon", "triangleDown"]
#: the edge drawn from a firm to a recommended partner (not stored in the graph)
RECOMMENDED = "RECOMMENDED"
#: the edge drawn between members of a projection (shared project, patent or academician; not one stored edge)
LINKED = "LINKED"
#: key prefix of aggregate nodes (neighbours folded into one node) and the link type of the overview
GROUPED = "GROUPED"
#: links without a direction: drawn without arrows
UNDIRECTED = frozenset({"COOPERATES_WITH", "CONTRACTED_WITH", LINKED, GROUPED})


def directed(type_: str) -> bool:
    """Whether links of ``type_`` are drawn with an arrow.

    Examples
    --------
    >>> directed("COOPERATES_WITH"), directed("PARTICIPATES_IN")
    (False, True)
    """
    return type_ not in UNDIRECTED


@cache
def node_style(label: str) -> dict:
    """``{"color", "shape", "title"}`` of a node type (its Chinese title from the schema)."""
    schema = load_schema()
    labels = list(schema.nodes)
    i = labels.index(label) if label in labels else len(labels)
    title = schema.nodes[label].title if label in schema.nodes else label
    return {"color": PALETTE[i % len(PALETTE)], "shape": SHAPES[i % len(SHAPES)], "title": title}


@cache
def edge_style(type_: str) -> dict:
    """``{"color", "dashes", "title"}`` of an edge type (``dashes`` is False or a vis-network dash pattern)."""
    if type_ == RECOMMENDED:
        return {"color": "#d62728", "dashes": [8, 6], "title": "推荐合作"}
    if type_ == LINKED:
        return {"color": "#7f7f7f", "dashes": [2, 4], "title": "共同项目/专利/院士"}
    if type_ == GROUPED:
        return {"color": "#7f7f7f", "dashes": False, "title": "社区间联系"}
    types = list(load_schema().edges)
    i = types.index(type_) if type_ in types else len(types)
    title = load_schema().edges[type_].title if type_ in types else type_
    return {"color": PALETTE[-1 - i % len(PALETTE)], "dashes": [4, 3] if i >= len(PALETTE) else False, "title": title}
