"""Centrality and structural-hole measures as DataFrames with id, name, type and region.

Examples
--------
>>> import networkx as nx
>>> df = centrality(nx.krackhardt_kite_graph(), "betweenness")
>>> int(df.iloc[0]["id"]), round(float(df.iloc[0]["betweenness"]), 3)
(7, 0.389)
"""

from __future__ import annotations

import pandas as pd

from kg.queries.analytics.engines import MEASURES, betweenness_error_bound, choose_engine, compute
from kg.queries.analytics.projections import Projection, projection

ID_COLUMNS = ["id", "name", "type", "region", "region_name"]


def _frame(p: Projection, graph=None) -> pd.DataFrame:
    nodes = p.nodes.copy()
    for c in ("name", "type", "region"):
        if c not in nodes:
            nodes[c] = None
    names = {}
    if graph is not None and hasattr(graph, "run_named"):
        names = dict(graph.run_named("analytics_region_names").itertuples(index=False))
    nodes["region_name"] = nodes["region"].map(lambda r: names.get(r) if isinstance(r, str) else None)
    return nodes[ID_COLUMNS]


def centrality(graph, measure: str = "degree", *, type: str | None = None, region: str | None = None,
               top: int | None = None, engine: str = "auto", sample: int | None = None, seed: int = 0,
               projection_name: str = "organisations", until: int | None = None) -> pd.DataFrame:
    """One measure (or several, comma-separated) for every node of a projection, highest first.

    Parameters
    ----------
    graph
        A :class:`kg.KnowledgeGraph`, a :class:`Projection` or a networkx graph.
    measure
        One of :data:`kg.queries.analytics.engines.MEASURES`, or several joined by commas.
    type, region
        Keep only nodes of this type (``Enterprise`` ...) / whose region code starts with this prefix.
    top
        Keep the first ``top`` rows.
    engine
        ``auto`` (networkx for small graphs, igraph above the threshold), ``networkx`` or ``igraph``.
    sample
        Betweenness from ``sample`` random pivots (reported in ``df.attrs``, with the error bound).
    """
    p = projection(graph, projection_name, **({"until": until} if until is not None and projection_name != "persons" else {}))
    df = _frame(p, graph)
    measures = [m.strip() for m in measure.split(",") if m.strip()]
    used = choose_engine(p, engine)
    for m in measures:
        values = compute(p, m, used, sample=sample, seed=seed)
        df[m] = df["id"].map(values)
    df.attrs.update({"engine": used, "projection": p.name, "nodes": len(p.nodes), "edges": len(p.edges)})
    if sample and "betweenness" in measures and sample < len(p.nodes):
        df.attrs.update({"sample": sample, "error_bound_95": betweenness_error_bound(len(p.nodes), sample)})
    if type:
        df = df[df["type"] == type]
    if region:
        df = df[df["region"].fillna("").astype(str).str.startswith(_prefix(graph, region))]
    ascending = measures[0] == "constraint"  # low constraint = many structural holes
    df = df.sort_values([measures[0], "id"], ascending=[ascending, True], na_position="last", kind="stable")
    df = df.reset_index(drop=True)
    return df.head(top) if top else df


def top(graph, n: int = 10, by: str = "betweenness", type: str | None = None, region: str | None = None,
        **options) -> pd.DataFrame:
    """The ``n`` nodes ranked first by ``by`` (a thin helper over :func:`centrality`)."""
    return centrality(graph, by, type=type, region=region, top=n, **options)


def _prefix(graph, region: str) -> str:
    region = str(region)
    if region.isdigit():
        from kg.queries.targets import region_prefix

        return region_prefix(region) if len(region) == 6 else region
    from kg.queries.targets import region_prefix, resolve_region

    return region_prefix(resolve_region(graph, region)[0])


__all__ = ["centrality", "top", "MEASURES"]
