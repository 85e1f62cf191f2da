"""Communities of the collaboration network (Leiden or Louvain), each described for an analyst.

Examples
--------
>>> import networkx as nx
>>> from kg.queries.analytics.projections import from_networkx
>>> found = detect_communities(from_networkx(nx.karate_club_graph()), method="louvain", seed=1)
>>> found.count >= 2 and found.modularity > 0.35
True
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kg.deprecation import deprecated
from kg.errors import KGError
from kg.queries.analytics.projections import Network, projection
from kg.queries.analytics.regions import RegionLevels


@dataclass(frozen=True)
class Partition:
    """Communities of a network: ``membership`` maps node id -> community number (0 = largest).

    Unpacks like the pair older releases returned: ``membership, modularity = detect_communities(p)``.
    """

    membership: dict[Hashable, int]
    modularity: float
    method: str = "leiden"

    @property
    def count(self) -> int:
        """Number of communities."""
        return len(set(self.membership.values()))

    def __iter__(self) -> Iterator[Any]:
        return iter((self.membership, self.modularity))


def detect_communities(p, method: str = "leiden", seed: int = 0, resolution: float = 1.0) -> Partition:
    """The :class:`Partition` of projection ``p`` (Leiden or Louvain); communities numbered by size, largest 0."""
    if method == "leiden":
        import leidenalg

        g = p.to_igraph()
        part = leidenalg.find_partition(
            g, leidenalg.RBConfigurationVertexPartition, weights="weight", resolution_parameter=resolution, seed=seed
        )
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
    return Partition({n: i for i, m in enumerate(members) for n in m}, float(q), method)


def describe_communities(
    graph: Network,
    method: str = "leiden",
    *,
    min_size: int = 3,
    seed: int = 0,
    resolution: float = 1.0,
    projection_name: str = "organisations",
    top_members: int = 3,
    region_level: str | None = None,
    types=None,
    until: int | None = None,
) -> pd.DataFrame:
    """One row per community of at least ``min_size`` members, largest first.

    Columns: ``community`` (number, 0 = largest), ``size``, ``types`` (member types with counts),
    ``fields`` (the three top-level fields most members work in, where members carry fields),
    ``regions`` (the three regions most members are in, each member at the deepest level known for it
    -- its county, or its country where there is no county -- or all at ``region_level``: country,
    province, city, county), ``top_members`` (highest degree inside the network).  ``df.attrs`` holds
    ``modularity``, ``method``, ``seed`` and the number of ``communities`` (isolated organisations are left out).

    The same store, method, seed and resolution give the same table (nodes and edges are ordered by id
    before the graph is built), in any process.

    Examples
    --------
    >>> import networkx as nx
    >>> df = describe_communities(nx.karate_club_graph(), "louvain", seed=1)
    >>> int(df["size"].sum()), df.attrs["modularity"] > 0.35
    (34, True)
    """
    options = {k: v for k, v in (("types", types), ("until", until)) if v is not None}
    p = projection(graph, projection_name, **options).linked()
    parts, q = detect_communities(p, method, seed, resolution)
    nodes = p.nodes.copy()
    nodes["community"] = nodes["id"].map(parts)
    _, src, dst = p.codes()
    nodes["degree"] = np.bincount(np.concatenate([src, dst]), minlength=len(nodes))
    levels = RegionLevels.of(graph)
    nodes["place"] = levels.map(nodes["region"], region_level) if "region" in nodes else None
    sizes = nodes["community"].value_counts()
    kept = nodes[nodes["community"].map(sizes) >= min_size]
    fields = pd.DataFrame(columns=["id", "field", "field_name"])
    regions = levels.names
    if hasattr(graph, "run_named"):
        fields = graph.run_named("analytics_node_fields").drop_duplicates(["id", "field_name"])

    def described(counts: pd.Series, limit: int | None = None, with_count: bool = True) -> dict:
        """{community: "key count、key count ..."} from counts indexed by (community, key), most first."""
        if counts.empty:
            return {}
        counts = (
            counts.rename("n").reset_index().sort_values(["community", "n"], ascending=[True, False], kind="stable")
        )
        if limit:
            counts = counts.groupby("community").head(limit)
        key = counts.columns[1]
        text = counts[key].map(lambda k: str(regions.get(k, k))) + (" " + counts["n"].astype(str) if with_count else "")
        return text.groupby(counts["community"]).agg("、".join).to_dict()

    types = described(kept.groupby(["community", "type"]).size())
    fields_of = described(
        kept[["id", "community"]].merge(fields, on="id").groupby(["community", "field_name"]).size(),
        3,
        with_count=False,
    )
    places = described(kept.dropna(subset=["place"]).groupby(["community", "place"]).size(), 3, with_count=False)
    best = (
        kept.sort_values(
            ["community", "degree", "id"],
            ascending=[True, False, True],
            key=lambda c: c if c.name != "id" else c.astype(str),
        )
        .groupby("community")
        .head(top_members)
    )
    tops = best["name"].astype(str).groupby(best["community"]).agg("、".join).to_dict()
    rows = [
        {
            "community": int(c),
            "size": int(size),
            "types": types.get(c, ""),
            "fields": fields_of.get(c, ""),
            "regions": places.get(c, ""),
            "top_members": tops.get(c, ""),
        }
        for c, size in sizes[sizes >= min_size].sort_index().items()
    ]
    df = pd.DataFrame(rows, columns=["community", "size", "types", "fields", "regions", "top_members"])
    df.attrs.update({"modularity": q, "method": method, "seed": seed, "communities": len(sizes)})
    return df


# deprecated names (removed in 0.3)
detect = deprecated(detect_communities, "kg.queries.analytics.detect")
communities = deprecated(describe_communities, "kg.queries.analytics.communities.communities")

__all__ = ["Partition", "describe_communities", "detect_communities"]
