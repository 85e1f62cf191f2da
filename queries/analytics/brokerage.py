"""Brokerage between groups in the Gould-Fernandez sense, for undirected collaboration networks.

For every path ``a - b - c`` where ``a`` and ``c`` are not linked, ``b`` brokers
between them; the role depends on the groups (firms vs academia, or counties):

* coordinator: all three in one group;
* consultant (itinerant): ``a`` and ``c`` in one group, ``b`` in another;
* gatekeeper/representative: ``b`` shares its group with exactly one of ``a``, ``c``
  (the two roles differ only by direction, which undirected links do not have);
* liaison: three different groups.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(3)
>>> nx.set_node_attributes(G, {0: "firm", 1: "academia", 2: "firm"}, "group")
>>> brokerage(G, group="group").set_index("id").loc[1, ["consultant", "total"]].tolist()
[1, 1]
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

ROLES = ("coordinator", "consultant", "gatekeeper_representative", "liaison")


def _group_of(G, group):
    if callable(group):
        return {n: group(n, d) for n, d in G.nodes(data=True)}
    return {n: d.get(group) for n, d in G.nodes(data=True)}


def brokerage(G, group="group") -> pd.DataFrame:
    """Counts of each brokerage role per node (``group``: node attribute name or ``f(node, data)``)."""
    groups = _group_of(G, group)
    adj = {n: set(G[n]) - {n} for n in G}
    rows = []
    for b, nbrs in adj.items():
        counts = Counter()
        nb = sorted(nbrs, key=str)
        gb = groups[b]
        for i, a in enumerate(nb):
            for c in nb[i + 1:]:
                if c in adj[a]:
                    continue
                ga, gc = groups[a], groups[c]
                if ga == gb == gc:
                    counts["coordinator"] += 1
                elif ga == gc:
                    counts["consultant"] += 1
                elif ga == gb or gc == gb:
                    counts["gatekeeper_representative"] += 1
                else:
                    counts["liaison"] += 1
        rows.append({"id": b, "group": gb, **{r: counts.get(r, 0) for r in ROLES}, "total": sum(counts.values())})
    df = pd.DataFrame(rows, columns=["id", "group", *ROLES, "total"])
    return df.sort_values(["total", "id"], ascending=[False, True], key=None, kind="stable").reset_index(drop=True)


def sector(node, data) -> str:
    """Group of an organisation: ``firm`` or ``academia``."""
    return "academia" if data.get("type") in ("University", "ResearchInstitute") else "firm"


def county(node, data) -> str:
    """Group of an organisation: its county code (6 digits) or ``unknown``."""
    r = data.get("region")
    return r if isinstance(r, str) and len(r) == 6 else "unknown"
