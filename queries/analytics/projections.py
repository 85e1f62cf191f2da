"""Named projections of the graph for network analysis, defined once and reused by every measure.

A :class:`Projection` is a node table (``id``, ``name``, ``type``, ``region``)
and an undirected weighted edge table (``source``, ``target``, ``weight`` and
one count column per link kind), read with named Cypher queries.  It turns
into a networkx or igraph graph on demand.

* ``organisations``: firms, universities and institutes linked by cooperation, shared projects,
  co-patents and academician ties; weight = how many links of any kind.
* ``firm_academia``: the bipartite cooperation network (firms on one side, academia on the other).
* ``persons``: co-inventors and project co-participants.

Examples
--------
>>> import pandas as pd
>>> p = Projection("toy", pd.DataFrame({"id": ["a", "b", "c"], "name": ["甲", "乙", "丙"],
...                 "type": ["Enterprise", "University", "Enterprise"], "region": [None] * 3}),
...                 pd.DataFrame({"source": ["a", "c"], "target": ["b", "b"], "weight": [2, 1]}))
>>> G = p.to_networkx()
>>> G.number_of_nodes(), G.number_of_edges(), G["a"]["b"]["weight"]
(3, 2, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ACADEMIA = ("University", "ResearchInstitute")
LINK_KINDS = ("cooperation", "project", "patent", "academician")


@dataclass
class Projection:
    """Nodes and undirected weighted edges of one view of the graph."""

    name: str
    nodes: pd.DataFrame
    edges: pd.DataFrame
    meta: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Projection({self.name!r}, {len(self.nodes):,} nodes, {len(self.edges):,} edges)"

    def to_networkx(self):
        """An undirected ``networkx.Graph`` with node attributes name/type/region and edge weights."""
        import networkx as nx

        G = nx.Graph(name=self.name)
        attrs = self.nodes.set_index("id")[[c for c in ("name", "type", "region") if c in self.nodes]].to_dict("index")
        G.add_nodes_from(attrs.items())
        extra = [c for c in self.edges.columns if c not in ("source", "target")]
        for row in self.edges.itertuples(index=False):
            G.add_edge(row[0], row[1], **{c: getattr(row, c) for c in extra})
        return G

    def to_igraph(self):
        """An undirected ``igraph.Graph`` (vertex attribute ``name`` holds the node id; ``weight`` on edges)."""
        import igraph as ig

        ids = self.nodes["id"].tolist()
        pos = {k: i for i, k in enumerate(ids)}
        src = self.edges["source"].map(pos).to_numpy()
        dst = self.edges["target"].map(pos).to_numpy()
        g = ig.Graph(n=len(ids), edges=list(zip(src.tolist(), dst.tolist())), directed=False)
        g.vs["name"] = ids
        g.es["weight"] = self.edges["weight"].astype(float).tolist() if len(self.edges) else []
        return g


def _pairs(links: pd.DataFrame, keep: set) -> pd.DataFrame:
    """Undirected pairs with one count column per kind and the total ``weight``."""
    if links.empty:
        return pd.DataFrame(columns=["source", "target", "weight", *LINK_KINDS, "year"])
    links = links[links["source"].isin(keep) & links["target"].isin(keep) & (links["source"] != links["target"])].copy()
    a, b = links["source"].astype(str), links["target"].astype(str)
    links["source"], links["target"] = a.where(a < b, b), b.where(a < b, a)
    wide = links.pivot_table(index=["source", "target"], columns="kind", values="n", aggfunc="sum", fill_value=0)
    for k in LINK_KINDS:
        if k not in wide.columns:
            wide[k] = 0
    wide = wide[list(LINK_KINDS)].astype(int)
    wide["weight"] = wide.sum(axis=1)
    years = links.groupby(["source", "target"])["year"].min()
    wide["year"] = years.reindex(wide.index)
    return wide.reset_index()[["source", "target", "weight", *LINK_KINDS, "year"]]


def organisations(graph, until: int | None = None, kinds=LINK_KINDS) -> Projection:
    """Firms, universities and institutes linked by cooperation, projects, co-patents and academician ties."""
    nodes = graph.run_named("analytics_org_nodes").drop_duplicates("id").reset_index(drop=True)
    links = graph.run_named("analytics_org_links", until=9999 if until is None else int(until))
    links = links[links["kind"].isin(kinds)]
    edges = _pairs(links, set(nodes["id"]))
    return Projection("organisations", nodes, edges, {"until": until, "kinds": tuple(kinds)})


def firm_academia(graph, until: int | None = None) -> Projection:
    """The bipartite firm-academia cooperation network (node attribute ``bipartite``: 0 firms, 1 academia)."""
    p = organisations(graph, until, kinds=("cooperation",))
    used = set(p.edges["source"]) | set(p.edges["target"])
    nodes = p.nodes[p.nodes["id"].isin(used)].copy()
    nodes["bipartite"] = nodes["type"].isin(ACADEMIA).astype(int)
    return Projection("firm_academia", nodes.reset_index(drop=True), p.edges, p.meta)


def persons(graph) -> Projection:
    """Persons linked as co-inventors or project co-participants."""
    nodes = graph.run_named("analytics_person_nodes").drop_duplicates("id").reset_index(drop=True)
    links = graph.run_named("analytics_person_links").assign(year=None)
    edges = _pairs(links, set(nodes["id"]))
    nodes = nodes.rename(columns={"affiliation": "region"})
    return Projection("persons", nodes, edges)


PROJECTIONS = {"organisations": organisations, "firm_academia": firm_academia, "persons": persons}


def projection(graph, name: str = "organisations", **options) -> Projection:
    """A named projection (see :data:`PROJECTIONS`); a Projection or networkx graph passes through."""
    if isinstance(graph, Projection):
        return graph
    if hasattr(graph, "adj") and hasattr(graph, "nodes"):  # a networkx graph
        return from_networkx(graph)
    if name not in PROJECTIONS:
        from kg.errors import KGError

        raise KGError(f"unknown projection {name!r}; choose from {', '.join(PROJECTIONS)}")
    return PROJECTIONS[name](graph, **options)


def from_networkx(G, name: str = "networkx") -> Projection:
    """Wrap a networkx graph (node ids as they are; ``weight`` defaults to 1)."""
    nodes = pd.DataFrame({"id": list(G.nodes),
                          "name": [G.nodes[n].get("name", str(n)) for n in G.nodes],
                          "type": [G.nodes[n].get("type") for n in G.nodes],
                          "region": [G.nodes[n].get("region") for n in G.nodes]})
    edges = pd.DataFrame([(u, v, d.get("weight", 1)) for u, v, d in G.edges(data=True)],
                         columns=["source", "target", "weight"])
    return Projection(name, nodes, edges)
