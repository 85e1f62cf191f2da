"""Named projections of the graph for network analysis, defined once and reused by every measure.

A :class:`Projection` is a node table (``id``, ``name``, ``type``, ``region``)
and an undirected weighted edge table (``source``, ``target``, ``weight``, one
count column per link kind and ``year``, the first year the pair was linked).
It is read from the store with a few named Cypher queries returning id pairs
or memberships (``queries/cypher/analytics_*.cypher``), aggregated with
numpy/pandas on integer codes (no networkx on the way), and turns into an
igraph graph straight from the edge arrays, or into a networkx graph on demand.

* ``organisations``: every organisation type the schema declares (every subclass of ``Organization``:
  firms, universities, institutes, service organisations, public bodies ...; ``types=`` keeps some)
  linked by cooperation (产学研合作), shared projects, co-patents and academician ties; ``weight`` = how
  many links of any kind.  Each node also carries its participations: ``projects``, ``patents`` and
  ``cooperations`` (distinct items it takes part in, whoever the partners are).
* ``firm_academia``: the bipartite cooperation network (firms ``bipartite=0``, academia ``1``).
* ``persons``: persons linked as co-inventors or project co-participants.

Every projection is deterministic: nodes are ordered by id (then type) whatever order the store returns
them in, and edges by their end nodes' positions, so igraph / networkx graphs built from it, and every
seeded algorithm run on them, give the same result for the same store.

Examples
--------
>>> import pandas as pd
>>> p = Projection("toy", pd.DataFrame({"id": ["a", "b", "c"], "name": ["甲", "乙", "丙"],
...                 "type": ["Enterprise", "University", "Enterprise"], "region": [None] * 3}),
...                 pd.DataFrame({"source": ["a", "c"], "target": ["b", "b"], "weight": [2, 1]}))
>>> G = p.to_networkx()
>>> G.number_of_nodes(), G.number_of_edges(), G["a"]["b"]["weight"]
(3, 2, 2)
>>> p.to_igraph().strength(weights="weight")
[2.0, 3.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd

from kg import cypher
from kg.errors import KGError
from kg.types import Graph

if TYPE_CHECKING:
    import networkx as nx
from kg.schema import load_schema

ACADEMIA = ("University", "ResearchInstitute")
LINK_KINDS = ("cooperation", "project", "patent", "academician")
EDGE_COLUMNS = ["source", "target", "weight", *LINK_KINDS, "year"]
#: participation counts carried by the nodes of the organisation projection
PARTICIPATIONS = ("projects", "patents", "cooperations")


@dataclass
class Projection:
    """Nodes and undirected weighted edges of one view of the graph.

    ``links`` (optional) keeps the raw links (node codes ``u``, ``v``, ``kind``, ``year``) so that
    :meth:`until` can cut the network at a year without reading the store again.
    """

    name: str
    nodes: pd.DataFrame
    edges: pd.DataFrame
    meta: dict = field(default_factory=dict)
    links: pd.DataFrame | None = field(default=None, repr=False)
    #: node codes of the edge endpoints when already known (``(source codes, target codes)``)
    edge_codes: tuple | None = field(default=None, repr=False)
    #: what each node takes part in (``id``, ``kind``, ``item``, ``year``), for the participation counts
    members: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._cache: dict = {}
        if self.edge_codes is not None and len(self.edge_codes[0]) == len(self.edges):
            self._cache = {"codes_key": self._key(), "codes": (pd.Index(_ids(self.nodes)), *self.edge_codes)}
        self.edge_codes = None

    def _key(self) -> tuple:
        return (id(self.nodes), id(self.edges), len(self.nodes), len(self.edges))

    def __repr__(self) -> str:
        return f"Projection({self.name!r}, {len(self.nodes):,} nodes, {len(self.edges):,} edges)"

    # ------------------------------------------------------------ codes
    def codes(self) -> tuple[pd.Index, np.ndarray, np.ndarray]:
        """``(node index, source codes, target codes)``: edge endpoints as positions in :attr:`nodes`."""
        key = self._key()
        if self._cache.get("codes_key") != key:
            index = pd.Index(_ids(self.nodes))
            src, dst = _encode(self.nodes["id"], self.edges["source"], self.edges["target"])
            if (src < 0).any() or (dst < 0).any():
                raise KGError(
                    f"projection {self.name!r}: some edges name nodes missing from its node table; "
                    "keep only edges whose source and target are in `nodes`"
                )
            self._cache = {"codes_key": key, "codes": (index, src, dst)}
        return self._cache["codes"]

    def weights(self) -> np.ndarray:
        """Edge weights as floats (1 where the edge table has no ``weight``)."""
        if "weight" in self.edges:
            return self.edges["weight"].to_numpy(dtype=float)
        return np.ones(len(self.edges))

    # ------------------------------------------------------------ graphs
    def to_igraph(self):
        """An undirected ``igraph.Graph`` built from the edge arrays (vertex ``name`` = node id, edge ``weight``).

        Vertex ``i`` is row ``i`` of :attr:`nodes`; the graph is cached until nodes or edges change.
        """
        import igraph as ig

        index, src, dst = self.codes()
        if self._cache.get("igraph") is None:
            g = ig.Graph(n=len(index), edges=np.column_stack([src, dst]).astype(np.int64).tolist(), directed=False)
            g.vs["name"] = index.tolist()
            g.es["weight"] = self.weights().tolist()
            self._cache["igraph"] = g
        return self._cache["igraph"]

    def to_networkx(self):
        """An undirected ``networkx.Graph`` with node attributes name/type/region and the edge columns."""
        import networkx as nx

        G = nx.Graph(name=self.name)
        cols = [c for c in ("name", "type", "region") if c in self.nodes]
        G.add_nodes_from(zip(self.nodes["id"], self.nodes[cols].to_dict("records")))
        extra = [c for c in self.edges.columns if c not in ("source", "target")]
        attrs = self.edges[extra].to_dict("records") if extra else [{}] * len(self.edges)
        G.add_edges_from(zip(self.edges["source"], self.edges["target"], attrs))
        return G

    # ------------------------------------------------------------ views
    def until(self, year: int | None) -> Projection:
        """The same projection with only the links known by ``year`` (links without a year are kept)."""
        if self.links is None:
            raise KGError(f"projection {self.name!r} keeps no dated links; build it from a graph to cut it by year")
        nodes = self.nodes
        if self.members is not None:
            nodes = _with_participations(nodes.drop(columns=list(PARTICIPATIONS), errors="ignore"), self.members, year)
        edges, codes = _aggregate(self.links, _ids(nodes), year)
        return Projection(self.name, nodes, edges, {**self.meta, "until": year}, self.links, codes, self.members)

    def subgraph(self, ids) -> Projection:
        """The projection induced by the node ids ``ids`` (edges with both ends inside)."""
        keep = set(ids)
        nodes = self.nodes[self.nodes["id"].isin(keep)].reset_index(drop=True)
        edges = self.edges[self.edges["source"].isin(keep) & self.edges["target"].isin(keep)].reset_index(drop=True)
        return Projection(self.name, nodes, edges, dict(self.meta), members=self.members)

    def linked(self) -> Projection:
        """The projection without isolated nodes."""
        return self.subgraph(set(self.edges["source"]) | set(self.edges["target"]))


# ---------------------------------------------------------------- aggregation
def _encode(ids: pd.Series, *columns) -> list[np.ndarray]:
    """Positions of the values of each column in ``ids`` (-1 where absent), by one factorisation of everything.

    Node ids are unique and come first, so node ``i`` gets code ``i``; any other value gets a code >= ``len(ids)``.
    """
    parts = [pd.Series(ids).reset_index(drop=True)] + [pd.Series(c).reset_index(drop=True) for c in columns]
    try:
        codes, _ = pd.factorize(pd.concat(parts, ignore_index=True))
    except TypeError:  # mixed id types
        codes, _ = pd.factorize(pd.concat([p.astype(object) for p in parts], ignore_index=True))
    codes = codes.astype(np.int64)
    codes[codes >= len(ids)] = -1
    out, start = [], len(ids)
    for c in columns:
        out.append(codes[start : start + len(c)])
        start += len(c)
    return out


def _years(year) -> np.ndarray:
    return pd.to_numeric(pd.Series(year), errors="coerce").to_numpy(dtype=float)


def _coded(u: np.ndarray, v: np.ndarray, kind: str, year) -> pd.DataFrame:
    """Links as node codes, kept only where both ends are nodes and differ."""
    ok = (u >= 0) & (v >= 0) & (u != v)
    return pd.DataFrame({"u": u[ok], "v": v[ok], "kind": kind, "year": _years(year)[ok]})


def _co_members(item: np.ndarray, member: np.ndarray, year, kind: str) -> pd.DataFrame:
    """Pairs of members of one item (a project, a patent): one link per pair and item."""
    ok = member >= 0
    m = pd.DataFrame({"item": item[ok], "code": member[ok], "year": _years(year)[ok]})
    m = m.drop_duplicates(["item", "code"])
    m = m[m["item"].map(m["item"].value_counts()) > 1]
    pairs = m.merge(m[["item", "code"]], on="item", suffixes=("_a", "_b"))
    pairs = pairs[pairs["code_a"] < pairs["code_b"]]
    return pd.DataFrame(
        {
            "u": pairs["code_a"].to_numpy(),
            "v": pairs["code_b"].to_numpy(),
            "kind": kind,
            "year": pairs["year"].to_numpy(),
        }
    )


def _items(frame: pd.DataFrame) -> np.ndarray:
    return pd.factorize(frame["item"])[0] if len(frame) else np.zeros(0, dtype=np.int64)


def _aggregate(links: pd.DataFrame, ids: np.ndarray, until: int | None = None) -> pd.DataFrame:
    """``(edges, (source codes, target codes))``: undirected pairs (``source`` before ``target`` in node order)
    with counts per kind, ``weight`` and the first ``year``."""
    if until is not None and len(links):
        links = links[links["year"].isna() | (links["year"] <= until)]
    if links.empty:
        edges = pd.DataFrame(
            {
                c: pd.Series(dtype=object if c in ("source", "target") else float if c == "year" else int)
                for c in EDGE_COLUMNS
            }
        )
        return edges, (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    u, v = links["u"].to_numpy(np.int64), links["v"].to_numpy(np.int64)
    n = np.int64(len(ids))
    uniq, inv = np.unique(np.minimum(u, v) * n + np.maximum(u, v), return_inverse=True)
    lo, hi = uniq // n, uniq % n
    out = {"source": ids[lo], "target": ids[hi]}
    kinds = links["kind"].to_numpy()
    counts = {k: np.bincount(inv[kinds == k], minlength=len(uniq)) for k in LINK_KINDS}
    out["weight"] = np.sum(list(counts.values()), axis=0)
    out.update(counts)
    out["year"] = pd.Series(links["year"].to_numpy()).groupby(inv).min().reindex(range(len(uniq))).to_numpy()
    return pd.DataFrame(out, columns=EDGE_COLUMNS), (lo, hi)


# ---------------------------------------------------------------- named projections
def organisation_types(graph=None) -> list[str]:
    """Every organisation node type of the schema (the subclasses of ``Organization``), in schema order.

    A type added to the schema under ``Organization`` joins the organisation projection by itself.

    Examples
    --------
    >>> {"Enterprise", "University", "ResearchInstitute", "ServiceOrg"} <= set(organisation_types())
    True
    """
    schema = getattr(graph, "schema", None)
    if schema is None:
        schema = load_schema()
    return schema.subtypes("Organization")


def _resolve_types(graph, types) -> tuple[str, ...]:
    """The organisation labels asked for (labels or Chinese titles; all when ``types`` is None)."""
    known = organisation_types(graph)
    if types is None:
        return tuple(known)
    if isinstance(types, str):
        types = [t for t in types.replace("，", ",").split(",") if t.strip()]

    schema = getattr(graph, "schema", None) or load_schema()
    out = []
    for t in types:
        label = schema.node(t.strip()).label if schema.is_node(t.strip()) else t.strip()
        if label not in known:
            raise KGError(f"types={t!r} is not an organisation type; choose from {', '.join(known)}")
        out.append(label)
    return tuple(dict.fromkeys(out))


def _by_id(frame: pd.DataFrame, *then: str) -> pd.DataFrame:
    """Rows ordered by ``id`` (as text, so mixed ids sort too) and then by ``then``: one order whatever the store."""
    keys = ["id", *then]
    return frame.sort_values(
        keys, kind="stable", key=lambda c: c.astype(str) if c.name == "id" else c.fillna("").astype(str)
    ).reset_index(drop=True)


def _organisation_nodes(graph, types: tuple[str, ...]) -> pd.DataFrame:
    """``id``, ``name``, ``type``, ``region`` of every organisation of ``types``, ordered by id.

    ``region`` is the node's own region code, or else the region it is ``LOCATED_IN`` (the smallest code when
    several); an id stored under two types keeps the first type in schema order.
    """

    located = graph.schema.edge("LOCATED_IN").pairs
    frames = []
    for rank, label in enumerate(types):
        n = graph.query(cypher.node_rows(label, ["id", "name", "region"]))
        if n.empty:
            continue
        n = n.assign(type=label, rank=rank)
        if n["region"].isna().any() and (label, "Region") in located:
            loc = graph.query(cypher.edge_rows("LOCATED_IN", label, "Region", []))
            first = loc.sort_values(["from_id", "to_id"]).drop_duplicates("from_id").set_index("from_id")["to_id"]
            n["region"] = n["region"].where(n["region"].notna(), n["id"].map(first))
        frames.append(n)
    if not frames:
        return pd.DataFrame(columns=["id", "name", "type", "region"])
    nodes = _by_id(pd.concat(frames, ignore_index=True), "rank").drop_duplicates("id")
    return nodes[["id", "name", "type", "region"]].reset_index(drop=True)


def _org_links(graph, ids: pd.Series, kinds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(links, members)``: the links between organisations (node codes) and what each organisation takes
    part in (``id``, ``kind``, ``item``, ``year``: projects, patents and cooperation partners)."""
    c = graph.run_named("analytics_org_cooperations")
    pj = graph.run_named("analytics_project_members")
    pt = graph.run_named("analytics_patent_applicants")
    ac = (
        graph.run_named("analytics_org_academicians")
        if "academician" in kinds
        else pd.DataFrame(columns=["source", "target", "person", "year"])
    )
    cu, cv, pjm, ptm, au, av = _encode(
        ids, c["source"], c["target"], pj["member"], pt["member"], ac["source"], ac["target"]
    )

    def taking_part(who, kind, what, year, ok) -> pd.DataFrame:
        return pd.DataFrame({"id": who, "kind": kind, "item": what, "year": _years(year)})[ok]

    members = pd.concat(
        [
            taking_part(pj["member"], "projects", pj["item"], pj["year"], pjm >= 0),
            taking_part(pt["member"], "patents", pt["item"], pt["year"], ptm >= 0),
            taking_part(c["source"], "cooperations", c["target"], c["year"], cu >= 0),
            taking_part(c["target"], "cooperations", c["source"], c["year"], cv >= 0),
        ],
        ignore_index=True,
    )
    academicians = _coded(au, av, "academician", ac["year"])
    if len(academicians):  # one tie per firm, organisation and academician
        person = pd.factorize(ac["person"])[0][(au >= 0) & (av >= 0) & (au != av)]
        academicians = academicians[
            ~pd.DataFrame({"u": academicians["u"], "v": academicians["v"], "p": person}).duplicated().to_numpy()
        ]
    parts = {
        "cooperation": lambda: _coded(cu, cv, "cooperation", c["year"]),
        "project": lambda: _co_members(_items(pj), pjm, pj["year"], "project"),
        "patent": lambda: _co_members(_items(pt), ptm, pt["year"], "patent"),
        "academician": lambda: academicians,
    }
    links = pd.concat(
        [parts[k]() for k in LINK_KINDS if k in kinds] or [_coded(cu[:0], cv[:0], "cooperation", [])], ignore_index=True
    )
    return links, members


def _with_participations(nodes: pd.DataFrame, members: pd.DataFrame, until: int | None = None) -> pd.DataFrame:
    """``nodes`` with the distinct projects, patents and cooperation partners of each (known by ``until``)."""
    if until is not None and len(members):
        members = members[members["year"].isna() | (members["year"] <= until)]
    counts = (
        members.drop_duplicates(["id", "kind", "item"])
        .groupby(["id", "kind"])
        .size()
        .unstack("kind")
        .reindex(columns=list(PARTICIPATIONS))
    )
    out = nodes.copy()
    for k in PARTICIPATIONS:
        out[k] = out["id"].map(counts[k]).fillna(0).astype(np.int64)
    return out


def organisations(graph: Graph, until: int | None = None, kinds=LINK_KINDS, types=None) -> Projection:
    """Organisations of every type the schema declares, linked by cooperation, shared projects, co-patents and
    academician ties.

    Parameters
    ----------
    graph
        A :class:`kg.KnowledgeGraph`.
    until
        Keep the links (and participations) known by that year.
    kinds
        A subset of :data:`LINK_KINDS`.
    types
        Organisation types to keep (labels or Chinese titles, a list or a comma-separated string; default: all
        of :func:`organisation_types`); links with other types drop out, participation counts do not.
    """
    unknown = set(kinds) - set(LINK_KINDS)
    if unknown:
        raise KGError(f"unknown link kind(s) {sorted(unknown)}; choose from {', '.join(LINK_KINDS)}")
    labels = _resolve_types(graph, types)
    nodes = _organisation_nodes(graph, labels)
    links, members = _org_links(graph, nodes["id"], tuple(kinds))
    nodes = _with_participations(nodes, members, until)
    edges, codes = _aggregate(links, _ids(nodes), until)
    return Projection(
        "organisations", nodes, edges, {"until": until, "kinds": tuple(kinds), "types": labels}, links, codes, members
    )


def _ids(nodes: pd.DataFrame) -> np.ndarray:
    return nodes["id"].to_numpy(dtype=object)


def firm_academia(graph: Graph, until: int | None = None) -> Projection:
    """The bipartite firm-academia cooperation network (node attribute ``bipartite``: 0 firms, 1 academia)."""
    p = organisations(graph, until, kinds=("cooperation",))
    used = set(p.edges["source"]) | set(p.edges["target"])
    nodes = p.nodes[p.nodes["id"].isin(used)].copy()
    nodes["bipartite"] = nodes["type"].isin(ACADEMIA).astype(int)
    return Projection("firm_academia", nodes.reset_index(drop=True), p.edges, p.meta)


def persons(graph: Graph, until: int | None = None) -> Projection:
    """Persons linked as co-inventors (``patent``) or project co-participants (``project``)."""
    nodes = _by_id(graph.run_named("analytics_person_nodes"), "affiliation").drop_duplicates("id")
    nodes = nodes.reset_index(drop=True)
    nodes["region"] = None
    inv, pj = graph.run_named("analytics_patent_inventors"), graph.run_named("analytics_project_members")
    im, pm = _encode(nodes["id"], inv["member"], pj["member"])
    links = pd.concat(
        [_co_members(_items(inv), im, inv["year"], "patent"), _co_members(_items(pj), pm, pj["year"], "project")],
        ignore_index=True,
    )
    edges, codes = _aggregate(links, _ids(nodes), until)
    return Projection("persons", nodes, edges, {"until": until}, links, codes)


#: what the analytics take: a graph, one of its projections, or any networkx graph
Network: TypeAlias = "Graph | Projection | nx.Graph"

PROJECTIONS = {"organisations": organisations, "firm_academia": firm_academia, "persons": persons}


def projection(graph: Network, name: str = "organisations", **options) -> Projection:
    """A named projection (see :data:`PROJECTIONS`); a Projection or networkx graph passes through.

    Examples
    --------
    >>> import networkx as nx
    >>> projection(nx.path_graph(3))
    Projection('networkx', 3 nodes, 2 edges)
    """
    if isinstance(graph, Projection):
        return graph
    if hasattr(graph, "adj") and hasattr(graph, "nodes"):  # a networkx graph
        return from_networkx(graph)
    if name not in PROJECTIONS:
        raise KGError(f"unknown projection {name!r}; choose from {', '.join(PROJECTIONS)}")
    return PROJECTIONS[name](graph, **options)


def from_networkx(G, name: str = "networkx") -> Projection:
    """Wrap a networkx graph (node ids as they are; ``weight`` defaults to 1; directions are dropped).

    Examples
    --------
    >>> import networkx as nx
    >>> int(from_networkx(nx.krackhardt_kite_graph()).edges["weight"].sum())
    18
    """
    nodes = pd.DataFrame(
        {
            "id": list(G.nodes),
            "name": [G.nodes[n].get("name", str(n)) for n in G.nodes],
            "type": [G.nodes[n].get("type") for n in G.nodes],
            "region": [G.nodes[n].get("region") for n in G.nodes],
        }
    )
    H = G.to_undirected() if G.is_directed() else G
    edges = pd.DataFrame(
        [(u, v, d.get("weight", 1)) for u, v, d in H.edges(data=True) if u != v], columns=["source", "target", "weight"]
    )
    return Projection(name, nodes, edges)


#: the columns that say which node a row of a measure is about
ID_COLUMNS = ["id", "name", "type", "region", "region_name"]


def id_frame(p: Projection, graph=None) -> pd.DataFrame:
    """The nodes of a projection as ``id``, ``name``, ``type``, ``region`` and ``region_name`` (names from ``graph``)."""
    nodes = p.nodes.copy()
    for c in ("name", "type", "region"):
        if c not in nodes:
            nodes[c] = None
    names = {}
    if graph is not None and hasattr(graph, "run_named"):
        names = dict(graph.run_named("analytics_region_names").itertuples(index=False))
    nodes["region_name"] = nodes["region"].map(names) if names else None
    return nodes[ID_COLUMNS].reset_index(drop=True)
