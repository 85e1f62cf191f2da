"""Brokerage between groups in the Gould-Fernandez sense, for undirected collaboration networks.

For every path ``a - b - c`` where ``a`` and ``c`` are not linked, ``b`` brokers
between them; the role depends on the groups (sectors, or the regions of one level):

* coordinator: all three in one group;
* consultant (itinerant): ``a`` and ``c`` in one group, ``b`` in another;
* gatekeeper/representative: ``b`` shares its group with exactly one of ``a``, ``c``
  (the two roles differ only by direction, which undirected links do not have);
* liaison: three different groups.

Counted without enumerating the open pairs: per node, the neighbour pairs of
each kind follow from its neighbour counts per group, and the closed pairs
(triangles) are taken away.  Triangles are never listed whole: they are found
batch by batch of edges (sparse row intersections on edges oriented by degree)
and counted into per-node arrays, so memory stays bounded (a 30k-organisation,
250k-link network fits in a few hundred MB) and hubs with thousands of partners
cost no more than their triangles.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(3)
>>> nx.set_node_attributes(G, {0: "firm", 1: "academia", 2: "firm"}, "group")
>>> count_brokerage_roles(G, group="group").set_index("id").loc[1, ["consultant", "total"]].tolist()
[1, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.deprecation import deprecated
from kg.queries.analytics.projections import ACADEMIA, Projection, from_networkx

ROLES = ("coordinator", "consultant", "gatekeeper_representative", "liaison")


def _labels(graph, group) -> tuple[Projection, list]:
    """The projection and each node's group (``group``: attribute name, ``f(node, data)`` or a sequence)."""
    if isinstance(graph, Projection):
        p = graph
        records = p.nodes.to_dict("records")
        if callable(group):
            return p, [group(r["id"], r) for r in records]
        if isinstance(group, str):
            return p, [r.get(group) for r in records]
        return p, list(group)
    p = from_networkx(graph)
    if callable(group):
        return p, [group(n, d) for n, d in graph.nodes(data=True)]
    if isinstance(group, str):
        return p, [d.get(group) for _, d in graph.nodes(data=True)]
    return p, list(group)


def count_brokerage_roles(graph, group="group", *, budget: int = 2_000_000) -> pd.DataFrame:
    """Counts of each brokerage role per node, most brokering first.

    Parameters
    ----------
    graph
        A :class:`Projection` or a networkx graph.
    group
        A node attribute name, a function ``f(node, data) -> group`` (e.g. :func:`sector`, :func:`county`)
        or a sequence of groups in node order.  A node whose group is missing (``None``) takes part in no
        brokerage: paths through it, or ending at it, are not counted (its roles are 0).
    budget
        Bound on the work arrays of one batch of edges (entries): memory stays bounded whatever the graph.

    Returns
    -------
    DataFrame with ``id``, ``group``, one column per role of :data:`ROLES` and ``total``.
    """
    p, labels = _labels(graph, group)
    n = len(p.nodes)
    known = pd.Series(labels, dtype=object).notna().to_numpy()
    g = pd.factorize(pd.Series(labels, dtype=object))[0].astype(np.int64)  # missing -> -1
    _, src, dst = p.codes()
    keep = (src != dst) & known[src] & known[dst]
    width = np.int64(max(n, 1))
    pairs = np.unique(np.minimum(src[keep], dst[keep]) * width + np.maximum(src[keep], dst[keep]))
    u, v = pairs // width, pairs % width
    del pairs
    b = np.concatenate([u, v])  # each link seen from both ends: broker b, neighbour a
    a = np.concatenate([v, u])
    d = np.bincount(b, minlength=n).astype(np.int64)
    own = np.bincount(b[g[a] == g[b]], minlength=n).astype(np.int64)
    k = np.int64(int(g.max()) + 1 if n else 1)
    cell, count = np.unique(b * k + g[a], return_counts=True)
    same = np.bincount(cell // k, weights=count * (count - 1) / 2, minlength=n)
    del a, b, cell, count
    t_all, t_coord, t_same, t_one = _closed_pairs(n, u, v, g, d, budget)
    pairs_own = own * (own - 1) / 2
    cross_one = own * (d - own)
    roles = {
        "coordinator": pairs_own - t_coord,
        "consultant": (same - pairs_own) - (t_same - t_coord),
        "gatekeeper_representative": cross_one - t_one,
        "liaison": (d * (d - 1) / 2 - same - cross_one) - (t_all - t_same - t_one),
    }
    df = pd.DataFrame(
        {"id": p.nodes["id"].to_numpy(), "group": labels, **{r: np.rint(roles[r]).astype(np.int64) for r in ROLES}}
    )
    df["total"] = df[list(ROLES)].sum(axis=1)
    df.attrs["ungrouped"] = int((~known).sum())
    return df.sort_values(
        ["total", "id"], ascending=[False, True], kind="stable", key=lambda c: c if c.name != "id" else c.astype(str)
    ).reset_index(drop=True)


def _closed_pairs(n: int, u: np.ndarray, v: np.ndarray, g: np.ndarray, degree: np.ndarray, budget: int):
    """Per broker x, its linked neighbour pairs (triangles at x): all, both in x's group, in one group
    together, exactly one in x's group.

    Every triangle is found once, from its edge between the two lowest-ranked corners (rank = degree, then
    index): the third corner is a common higher-ranked neighbour, found by intersecting sparse rows of the
    edges oriented upwards (each row holds at most ~sqrt(2 x edges) entries).  Edges are taken in batches
    whose row entries stay within ``budget``, so memory is bounded by the batch, not by the triangle count.
    """
    from scipy.sparse import csr_matrix

    out = [np.zeros(n) for _ in range(4)]
    if len(u) == 0:
        return out
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    low = np.where(rank[u] < rank[v], u, v)
    high = np.where(rank[u] < rank[v], v, u)
    up = csr_matrix((np.ones(len(low), dtype=np.int8), (low, high)), shape=(n, n))
    up.sort_indices()
    out_degree = np.diff(up.indptr)
    cost = np.cumsum(out_degree[low] + out_degree[high])
    start = 0
    while start < len(low):
        stop = max(int(np.searchsorted(cost, (cost[start - 1] if start else 0) + budget, side="right")), start + 1)
        x, y = low[start:stop], high[start:stop]
        common = up[x].multiply(up[y]).tocoo()
        corners = (x[common.row], y[common.row], common.col.astype(np.int64))
        for i, j, h in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):  # broker i, closed pair (j, h)
            broker = corners[i]
            gx, gy, gz = g[broker], g[corners[j]], g[corners[h]]
            out[0] += np.bincount(broker, minlength=n)
            out[1] += np.bincount(broker, weights=(gy == gx) & (gz == gx), minlength=n)
            out[2] += np.bincount(broker, weights=gy == gz, minlength=n)
            out[3] += np.bincount(broker, weights=(gy == gx) != (gz == gx), minlength=n)
        start = stop
    return out


def sector(node, data) -> str:
    """Group of an organisation: ``academia`` (universities, institutes), ``firm`` or ``other`` (public bodies,
    service organisations and any other organisation type).

    Examples
    --------
    >>> sector("x", {"type": "University"}), sector("y", {"type": "Enterprise"}), sector("z", {"type": "ServiceOrg"})
    ('academia', 'firm', 'other')
    """
    kind = data.get("type")
    return "academia" if kind in ACADEMIA else "firm" if kind == "Enterprise" else "other"


def county(node, data) -> str:
    """Group of an organisation: its county code (6 digits) or ``unknown``.

    Examples
    --------
    >>> county("x", {"region": "211102"}), county("y", {"region": None})
    ('211102', 'unknown')
    """
    r = data.get("region")
    return r if isinstance(r, str) and len(r) == 6 else "unknown"


# deprecated name (removed in 0.3)
brokerage = deprecated(count_brokerage_roles, "kg.queries.analytics.brokerage.brokerage")
