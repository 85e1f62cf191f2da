"""Engines computing node measures on a :class:`Projection`: networkx (reference) and igraph (compiled).

An engine is a function ``(projection, measure, sample, seed) -> numpy array`` of
one value per row of ``projection.nodes``; :data:`ENGINES` maps names to them and
:func:`register_engine` adds one.  An engine working on the stored graph itself
(no projection streamed out) is ``(graph, measures) -> DataFrame`` with the
columns of :func:`kg.queries.analytics.centrality.centrality`;
:data:`GRAPH_ENGINES` holds those: ``gds`` (Neo4j Graph Data Science,
:func:`kg.queries.analytics.gds.gds_centrality`).

``auto`` picks networkx up to :data:`IGRAPH_THRESHOLD` edges and igraph above;
igraph is built straight from the projection's edge arrays (no networkx graph
on the way).  Both agree to 1e-6 on every measure (tested on the Krackhardt
kite, the Florentine families and the karate club).

Betweenness on very large graphs can be sampled (Brandes & Pich 2007): shortest
paths from ``k`` pivots drawn uniformly from the non-isolated nodes, scaled by
``n'/k`` (``n'`` non-isolated nodes; isolated sources add nothing, so the
estimate stays unbiased).  :func:`betweenness_error_bound` gives the Hoeffding
bound on the absolute error of every node's normalised estimate; the sample
size and the bound travel with the result (``df.attrs``).

Examples
--------
>>> import networkx as nx
>>> from kg.queries.analytics.projections import from_networkx
>>> p = from_networkx(nx.krackhardt_kite_graph())
>>> a, b = compute(p, "betweenness", "networkx"), compute(p, "betweenness", "igraph")
>>> max(abs(a[n] - b[n]) for n in a) < 1e-9
True
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from kg.errors import KGError
from kg.queries.analytics import gds
from kg.queries.analytics.participation import COUNT_MEASURES, count_values

#: above this many edges ``auto`` uses igraph
IGRAPH_THRESHOLD = 2_000
MEASURES = (
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "kcore",
    "clustering",
    "constraint",
    "effective_size",
)
#: measures whose cost grows like nodes x edges: refused above this many nodes unless sampled (betweenness)
QUADRATIC = ("betweenness", "closeness")
QUADRATIC_LIMIT = 200_000

Engine = Callable[..., np.ndarray]
ENGINES: dict[str, Engine] = {}
GraphEngine = Callable[..., pd.DataFrame]
#: engines computing on the stored graph: ``(graph, measures) -> DataFrame``
GRAPH_ENGINES: dict[str, GraphEngine] = {}


def register_engine(name: str, function: Engine) -> None:
    """Make ``function(projection, measure, sample, seed) -> array`` (one value per node row) an engine.

    Examples
    --------
    >>> register_engine("degree_only", lambda p, m, sample, seed: np.asarray(p.to_igraph().degree(), float))
    >>> "degree_only" in ENGINES
    True
    >>> _ = ENGINES.pop("degree_only")
    """
    ENGINES[name] = function


def register_graph_engine(name: str, function: GraphEngine) -> None:
    """Make ``function(graph, measures) -> DataFrame`` an engine computing on the stored graph.

    Examples
    --------
    >>> sorted(GRAPH_ENGINES)
    ['gds']
    """
    GRAPH_ENGINES[name] = function


def choose_engine(projection, engine: str = "auto") -> str:
    """``networkx`` or ``igraph`` (or a registered engine) for this projection.

    Examples
    --------
    >>> import networkx as nx
    >>> from kg.queries.analytics.projections import from_networkx
    >>> choose_engine(from_networkx(nx.karate_club_graph()))
    'networkx'
    """
    if engine != "auto" and engine not in ENGINES:
        raise KGError(f"unknown engine {engine!r}; use auto, {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    return "igraph" if len(projection.edges) > IGRAPH_THRESHOLD else "networkx"


def values(projection, measure: str, engine: str = "auto", *, sample: int | None = None, seed: int = 0) -> np.ndarray:
    """One measure as an array aligned with ``projection.nodes`` (the fast path used by the DataFrame API).

    Betweenness and closeness are normalised as networkx does by default
    (closeness with the Wasserman-Faust scaling on disconnected graphs);
    PageRank and eigenvector use the edge weights, ``weighted_degree`` sums
    them, the other measures use the plain topology.  Eigenvector centrality
    is computed per connected component (a single leading eigenvector is
    ambiguous on a disconnected graph): unit norm inside each component times
    ``sqrt(size / n)``, so a connected graph gets exactly networkx's values.
    """

    if measure in COUNT_MEASURES:
        return count_values(projection, measure)
    if measure not in MEASURES:
        raise KGError(f"unknown measure {measure!r}; choose from {', '.join(MEASURES + COUNT_MEASURES)}")
    n = len(projection.nodes)
    if measure in QUADRATIC and n > QUADRATIC_LIMIT and not (measure == "betweenness" and sample):
        raise KGError(
            f"{measure} on {n:,} nodes costs nodes x edges; pass sample=K (e.g. 1000 pivots) for "
            f"betweenness, or restrict the projection (type/region/subgraph)"
        )
    return np.asarray(ENGINES[choose_engine(projection, engine)](projection, measure, sample, seed), dtype=float)


def compute(projection, measure: str, engine: str = "auto", *, sample: int | None = None, seed: int = 0) -> dict:
    """``{node id: value}`` of one measure (see :func:`values`).

    Examples
    --------
    >>> import networkx as nx
    >>> from kg.queries.analytics.projections import from_networkx
    >>> compute(from_networkx(nx.path_graph(3)), "degree", "igraph")
    {0: 1.0, 1: 2.0, 2: 1.0}
    """
    return dict(zip(projection.nodes["id"], values(projection, measure, engine, sample=sample, seed=seed).tolist()))


# ---------------------------------------------------------------- networkx
def _networkx(p, measure: str, sample, seed) -> np.ndarray:
    import networkx as nx

    G = p.to_networkx()
    if measure == "degree":
        out = dict(G.degree())
    elif measure == "weighted_degree":
        out = dict(G.degree(weight="weight"))
    elif measure == "betweenness":
        k = sample if sample and sample < G.number_of_nodes() else None
        out = nx.betweenness_centrality(G, k=k, seed=seed if k else None)
    elif measure == "closeness":
        out = nx.closeness_centrality(G)
    elif measure == "eigenvector":
        out = {}
        for members in nx.connected_components(G):
            if len(members) > 2:
                part = nx.eigenvector_centrality_numpy(G.subgraph(members), weight="weight")
            else:
                part = {m: (len(members) - 1) / math.sqrt(2) for m in members}  # a pair: both 1/sqrt(2)
            scale = math.sqrt(len(members) / G.number_of_nodes())
            out.update({m: v * scale for m, v in part.items()})
    elif measure == "pagerank":
        out = nx.pagerank(G, weight="weight", tol=1e-10, max_iter=1000)
    elif measure == "kcore":
        G.remove_edges_from(list(nx.selfloop_edges(G)))
        out = nx.core_number(G)
    elif measure == "clustering":
        out = nx.clustering(G)
    elif measure == "constraint":
        out = nx.constraint(G)
    else:  # effective_size
        out = nx.effective_size(G)
    return np.array([out.get(n, 0.0) for n in p.nodes["id"]], dtype=float)


# ---------------------------------------------------------------- igraph
def _igraph(p, measure: str, sample, seed) -> np.ndarray:
    g = p.to_igraph()
    n = g.vcount()
    if measure == "degree":
        return np.asarray(g.degree(), dtype=float)
    if measure == "weighted_degree":
        return np.asarray(g.strength(weights="weight"), dtype=float)
    if measure == "betweenness":
        if sample and sample < n:
            return _sampled_betweenness(g, sample, seed)
        raw = np.asarray(g.betweenness(directed=False), dtype=float)
        return raw * (2.0 / ((n - 1) * (n - 2))) if n > 2 else raw * 0
    if measure == "closeness":
        return _closeness_like_networkx(g)
    if measure == "eigenvector":
        return _eigenvector_per_component(g)
    if measure == "pagerank":
        return np.asarray(g.pagerank(weights="weight", damping=0.85), dtype=float)
    if measure == "kcore":
        return np.asarray(g.simplify(combine_edges="first").coreness(), dtype=float)
    if measure == "clustering":
        return np.nan_to_num(np.asarray(g.transitivity_local_undirected(mode="zero"), dtype=float))
    if measure == "constraint":
        return np.asarray(g.constraint(weights=None), dtype=float)
    # effective_size (Borgatti's simplification for undirected, unweighted graphs, as networkx computes it)
    deg = np.asarray(g.degree(), dtype=float)
    c = np.nan_to_num(np.asarray(g.transitivity_local_undirected(mode="zero"), dtype=float))
    return np.where(deg > 0, deg - c * (deg - 1), np.nan)


def _eigenvector_per_component(g) -> np.ndarray:
    """Weighted eigenvector centrality of each connected component (unit norm inside it, times sqrt(size / n);
    isolated nodes get 0).

    A connected graph gets exactly networkx's values; on a disconnected one, where a single leading eigenvector
    is ambiguous, every component gets its own and the whole vector keeps unit norm.
    """
    n = g.vcount()
    out = np.zeros(n)
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership, minlength=1)
    out[sizes[membership] == 2] = 1 / math.sqrt(2)  # a lone pair: both 1/sqrt(2)
    order = np.argsort(membership, kind="stable")  # members of each component, grouped once
    bounds = np.searchsorted(membership[order], np.arange(len(sizes) + 1))
    for c in np.flatnonzero(sizes > 2):
        members = order[bounds[c] : bounds[c + 1]]
        sub = g.induced_subgraph(members.tolist())
        raw = np.abs(np.asarray(sub.eigenvector_centrality(weights="weight", scale=False), dtype=float))
        out[members] = raw / np.linalg.norm(raw)
    return out * np.sqrt(sizes[membership] / max(n, 1))


def _closeness_like_networkx(g) -> np.ndarray:
    """networkx's closeness (Wasserman-Faust: scaled by the reachable share on disconnected graphs)."""
    n = g.vcount()
    size = np.zeros(n)
    for members in g.connected_components():
        size[members] = len(members)
    raw = np.asarray(g.closeness(normalized=True), dtype=float)  # (reachable - 1) / sum of distances
    reach = size - 1
    out = np.where(reach > 0, np.nan_to_num(raw) * reach / max(n - 1, 1), 0.0)
    return out


def _sampled_betweenness(g, k: int, seed: int) -> np.ndarray:
    """Brandes-Pich pivot sampling over the non-isolated nodes, scaled to networkx's normalisation."""
    n = g.vcount()
    active = np.flatnonzero(np.asarray(g.degree()) > 0)
    k = min(k, len(active))
    if k == 0 or n <= 2:
        return np.zeros(n)
    pivots = np.random.default_rng(seed).choice(active, size=k, replace=False)
    raw = np.asarray(g.betweenness(directed=False, sources=sorted(pivots.tolist())), dtype=float)
    # with every node as a source igraph's value is the exact betweenness, so k pivots estimate it times k/n'
    return raw * (len(active) / k) * (2.0 / ((n - 1) * (n - 2)))


def betweenness_error_bound(n: int, k: int, confidence: float = 0.95) -> float:
    """Hoeffding bound on the absolute error of sampled normalised betweenness with ``k`` pivots.

    Each pivot's contribution to a node's normalised betweenness lies in
    [0, 1]; with probability ``confidence`` every one of the ``n`` nodes'
    estimates is within this of the exact value (a union bound over the nodes;
    Brandes & Pich 2007).  Conservative: actual errors are usually far smaller.

    Examples
    --------
    >>> round(betweenness_error_bound(100_000, 5_000), 4)
    0.039
    """
    if k <= 0:
        return float("inf")
    return math.sqrt(math.log(2 * n / (1 - confidence)) / (2 * k))


register_engine("networkx", _networkx)
register_engine("igraph", _igraph)
register_graph_engine("gds", gds.gds_centrality)
