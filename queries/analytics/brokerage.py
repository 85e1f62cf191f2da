"""Brokerage between groups in the Gould-Fernandez sense, for undirected collaboration networks.

For every path ``a - b - c`` where ``a`` and ``c`` are not linked, ``b`` brokers
between them; the role depends on the groups (firms vs academia, or counties):

* coordinator: all three in one group;
* consultant (itinerant): ``a`` and ``c`` in one group, ``b`` in another;
* gatekeeper/representative: ``b`` shares its group with exactly one of ``a``, ``c``
  (the two roles differ only by direction, which undirected links do not have);
* liaison: three different groups.

Counted without enumerating the open pairs: per node, the neighbour pairs of
each kind follow from its neighbour counts per group, and the closed pairs
(triangles, listed by igraph) are taken away, so hubs with thousands of
partners cost no more than their triangles.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(3)
>>> nx.set_node_attributes(G, {0: "firm", 1: "academia", 2: "firm"}, "group")
>>> brokerage(G, group="group").set_index("id").loc[1, ["consultant", "total"]].tolist()
[1, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def brokerage(graph, group="group") -> pd.DataFrame:
    """Counts of each brokerage role per node, most brokering first.

    Parameters
    ----------
    graph
        A :class:`Projection` or a networkx graph.
    group
        A node attribute name, a function ``f(node, data) -> group`` (e.g. :func:`sector`, :func:`county`)
        or a sequence of groups in node order.

    Returns
    -------
    DataFrame with ``id``, ``group``, one column per role of :data:`ROLES` and ``total``.
    """
    p, labels = _labels(graph, group)
    n = len(p.nodes)
    g = pd.factorize(pd.Series(labels, dtype=object).fillna("\0none"))[0].astype(np.int64)
    _, src, dst = p.codes()
    keep = src != dst
    pairs = np.unique(np.minimum(src[keep], dst[keep]) * max(n, 1) + np.maximum(src[keep], dst[keep]))
    u, v = pairs // max(n, 1), pairs % max(n, 1)
    b = np.concatenate([u, v])  # each link seen from both ends: broker b, neighbour a
    a = np.concatenate([v, u])
    d = np.bincount(b, minlength=n).astype(np.int64)
    own = np.bincount(b[g[a] == g[b]], minlength=n).astype(np.int64)
    k = int(g.max()) + 1 if n else 1
    per_group = np.unique(b * k + g[a], return_counts=True)
    same = np.bincount(per_group[0] // k, weights=per_group[1] * (per_group[1] - 1) / 2, minlength=n)

    t_all = t_coord = t_same = t_one = np.zeros(n)
    if len(pairs):
        import igraph as ig

        tri = np.asarray(ig.Graph(n=n, edges=np.column_stack([u, v]).tolist()).list_triangles(), dtype=np.int64)
        if len(tri):
            t_all, t_coord, t_same, t_one = (np.zeros(n) for _ in range(4))
            for x, y, z in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):  # broker x, closed pair (y, z)
                gx, gy, gz = g[tri[:, x]], g[tri[:, y]], g[tri[:, z]]
                t_all += np.bincount(tri[:, x], minlength=n)
                t_coord += np.bincount(tri[:, x], weights=(gy == gx) & (gz == gx), minlength=n)
                t_same += np.bincount(tri[:, x], weights=gy == gz, minlength=n)
                t_one += np.bincount(tri[:, x], weights=(gy == gx) != (gz == gx), minlength=n)
    pairs_own = own * (own - 1) / 2
    cross_one = own * (d - own)
    roles = {
        "coordinator": pairs_own - t_coord,
        "consultant": (same - pairs_own) - (t_same - t_coord),
        "gatekeeper_representative": cross_one - t_one,
        "liaison": (d * (d - 1) / 2 - same - cross_one) - (t_all - t_same - t_one),
    }
    df = pd.DataFrame({"id": p.nodes["id"].to_numpy(), "group": labels,
                       **{r: np.rint(roles[r]).astype(np.int64) for r in ROLES}})
    df["total"] = df[list(ROLES)].sum(axis=1)
    return df.sort_values(["total", "id"], ascending=[False, True], kind="stable",
                          key=lambda c: c if c.name != "id" else c.astype(str)).reset_index(drop=True)


def sector(node, data) -> str:
    """Group of an organisation: ``firm`` or ``academia``.

    Examples
    --------
    >>> sector("x", {"type": "University"}), sector("y", {"type": "Enterprise"})
    ('academia', 'firm')
    """
    return "academia" if data.get("type") in ACADEMIA else "firm"


def county(node, data) -> str:
    """Group of an organisation: its county code (6 digits) or ``unknown``.

    Examples
    --------
    >>> county("x", {"region": "211102"}), county("y", {"region": None})
    ('211102', 'unknown')
    """
    r = data.get("region")
    return r if isinstance(r, str) and len(r) == 6 else "unknown"
