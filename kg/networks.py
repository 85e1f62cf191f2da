"""A store (or a typed part of it) as a networkx graph: nodes keyed ``Label:id``, edges keyed by type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kg import cypher
from kg.values import is_missing

if TYPE_CHECKING:
    import networkx as nx


def graph_to_networkx(
    graph: Any,
    node_types: Sequence[str] | None = None,
    edge_types: Sequence[str] | None = None,
    *,
    multigraph: bool = True,
) -> nx.MultiDiGraph | nx.DiGraph:
    """What :meth:`kg.KnowledgeGraph.to_networkx` returns (see there).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}])
    >>> graph_to_networkx(g, ["Field"], multigraph=False).nodes["Field:F1"]["name"]
    '新材料'
    """
    import networkx as nx  # imported on first use: `import kg` stays light for the command line

    labels = [graph.schema.node(t).label for t in (node_types or graph.schema.nodes)]
    types = [graph.schema.edge(t).type for t in (edge_types or graph.schema.edges)]
    G = nx.MultiDiGraph() if multigraph else nx.DiGraph()
    for label in labels:
        props = list(graph.schema.nodes[label].properties)
        df = graph.backend.execute(cypher.node_rows(label, props))
        for rec in df.to_dict("records"):
            attrs = {k: v for k, v in rec.items() if not is_missing(v)}
            G.add_node(f"{label}:{rec['id']}", label=label, **attrs)
    chosen = set(labels)
    for t in types:
        edge = graph.schema.edges[t]
        for a, b in edge.pairs:
            if a not in chosen or b not in chosen:
                continue
            df = graph.backend.execute(cypher.edge_rows(t, a, b, list(edge.properties)))
            for rec in df.to_dict("records"):
                attrs = {k: v for k, v in rec.items() if k not in ("from_id", "to_id") and not is_missing(v)}
                u, v = f"{a}:{rec['from_id']}", f"{b}:{rec['to_id']}"
                if multigraph:
                    G.add_edge(u, v, key=t, type=t, **attrs)
                else:
                    G.add_edge(u, v, type=t, **attrs)
    return G


__all__ = ["graph_to_networkx"]
