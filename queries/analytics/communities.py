"""Communities of the collaboration network (Leiden or Louvain), each described for an analyst.

Examples
--------
>>> import networkx as nx
>>> from kg.queries.analytics.projections import from_networkx
>>> parts, q = detect(from_networkx(nx.karate_club_graph()), method="louvain", seed=1)
>>> len(set(parts.values())) >= 2 and q > 0.35
True
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from kg.errors import KGError
from kg.queries.analytics.projections import projection


def detect(p, method: str = "leiden", seed: int = 0, resolution: float = 1.0) -> tuple[dict, float]:
    """``({node id: community number}, modularity)``; communities numbered by size, largest 0."""
    if method == "leiden":
        import leidenalg

        g = p.to_igraph()
        part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                        resolution_parameter=resolution, seed=seed)
        members = [[g.vs[i]["name"] for i in c] for c in part]
        q = g.modularity(part.membership, weights="weight") if g.ecount() else 0.0
    elif method == "louvain":
        import networkx as nx

        G = p.to_networkx()
        comms = nx.community.louvain_communities(G, weight="weight", seed=seed, resolution=resolution)
        members = [list(c) for c in comms]
        q = nx.community.modularity(G, comms, weight="weight") if G.number_of_edges() else 0.0
    else:
        raise KGError(f"unknown method {method!r}; use leiden or louvain")
    members.sort(key=lambda m: (-len(m), str(sorted(map(str, m))[0]) if m else ""))
    return {n: i for i, m in enumerate(members) for n in m}, float(q)


def communities(graph, method: str = "leiden", *, min_size: int = 3, seed: int = 0, resolution: float = 1.0,
                projection_name: str = "organisations", top_members: int = 3) -> pd.DataFrame:
    """One row per community of at least ``min_size`` members: size, member types, dominant fields, regions,
    top members (by degree inside the network); ``df.attrs['modularity']`` holds the partition's modularity."""
    p = projection(graph, projection_name)
    active = set(p.edges["source"]) | set(p.edges["target"])
    p.nodes = p.nodes[p.nodes["id"].isin(active)].reset_index(drop=True)
    parts, q = detect(p, method, seed, resolution)
    degree = Counter(p.edges["source"].tolist() + p.edges["target"].tolist())
    info = p.nodes.set_index("id")
    fields: dict[str, list] = {}
    regions: dict[str, str] = {}
    if hasattr(graph, "run_named"):
        for nid, _, fname in graph.run_named("analytics_node_fields").itertuples(index=False):
            fields.setdefault(nid, []).append(fname)
        regions = dict(graph.run_named("analytics_region_names").itertuples(index=False))
    rows = []
    by_comm: dict[int, list] = {}
    for n, c in parts.items():
        by_comm.setdefault(c, []).append(n)
    for c, members in sorted(by_comm.items()):
        if len(members) < min_size:
            continue
        types = Counter(info.loc[m, "type"] for m in members)
        flds = Counter(f for m in members for f in set(fields.get(m, [])))
        regs = Counter(_city(info.loc[m, "region"]) for m in members)
        regs.pop(None, None)
        best = sorted(members, key=lambda m: (-degree[m], str(m)))[:top_members]
        rows.append({
            "community": c, "size": len(members),
            "types": "、".join(f"{t} {k}" for t, k in types.most_common()),
            "fields": "、".join(f for f, _ in flds.most_common(3)),
            "regions": "、".join(regions.get(r, r) for r, _ in regs.most_common(3)),
            "top_members": "、".join(str(info.loc[m, "name"]) for m in best),
        })
    df = pd.DataFrame(rows, columns=["community", "size", "types", "fields", "regions", "top_members"])
    df.attrs.update({"modularity": q, "method": method, "communities": len(by_comm)})
    return df


def _city(region) -> str | None:
    if not isinstance(region, str) or len(region) != 6:
        return None
    return region[:4] + "00"
