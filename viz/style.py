"""Colours, shapes and edge styles per type, derived from the schema (no hand-written type list).

Each node type gets a colour and a shape by its position in the schema; each
edge type a colour, and edge types that are not observed links (recommendations)
are dashed.  The legend shows the Chinese titles.

Examples
--------
>>> s = node_style("University")
>>> s["shape"], s["color"].startswith("#"), s["title"]
('diamond', True, '高校')
>>> edge_style("RECOMMENDED")["dashes"]
True
"""

from __future__ import annotations

from functools import lru_cache

from kg.schema import load_schema

#: 20 distinguishable colours (Tableau 20 order, strong first)
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#1f77b4", "#aec7e8", "#ff7f0e", "#98df8a", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#17becf"]
SHAPES = ["dot", "diamond", "triangle", "square", "star", "hexagon", "triangleDown", "ellipse", "box", "database"]
#: the edge drawn from a firm to a recommended partner (not stored in the graph)
RECOMMENDED = "RECOMMENDED"


@lru_cache(maxsize=None)
def node_style(label: str) -> dict:
    """``{"color", "shape", "title"}`` of a node type."""
    schema = load_schema()
    labels = list(schema.nodes)
    i = labels.index(label) if label in labels else len(labels)
    title = schema.nodes[label].title if label in schema.nodes else label
    return {"color": PALETTE[i % len(PALETTE)], "shape": SHAPES[i % len(SHAPES)], "title": title}


@lru_cache(maxsize=None)
def edge_style(type_: str) -> dict:
    """``{"color", "dashes", "title"}`` of an edge type."""
    schema = load_schema()
    if type_ == RECOMMENDED:
        return {"color": "#d62728", "dashes": True, "title": "推荐合作"}
    types = list(schema.edges)
    i = types.index(type_) if type_ in types else len(types)
    title = schema.edges[type_].title if type_ in schema.edges else type_
    return {"color": PALETTE[(i + 7) % len(PALETTE)], "dashes": False, "title": title}
