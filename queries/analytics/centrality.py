"""Centrality and structural-hole measures as DataFrames with id, name, type and region.

Examples
--------
>>> import networkx as nx
>>> df = compute_centrality(nx.krackhardt_kite_graph(), ["betweenness", "degree"])
>>> int(df.iloc[0]["id"]), round(float(df.iloc[0]["betweenness"]), 3)
(7, 0.389)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kg.deprecation import deprecated
from kg.errors import KGError
from kg.queries.analytics.engines import GRAPH_ENGINES, MEASURES, betweenness_error_bound, choose_engine, values
from kg.queries.analytics.groups import rolled
from kg.queries.analytics.projections import Network, id_frame
from kg.regions import prefix_of


def measure_list(measures: str | Sequence[str]) -> list[str]:
    """Measure names from a list or a comma-separated string, in order, without blanks.

    >>> measure_list("betweenness, degree"), measure_list(["pagerank"])
    (['betweenness', 'degree'], ['pagerank'])
    """
    items = measures.split(",") if isinstance(measures, str) else list(measures)
    out = [str(m).strip() for m in items if str(m).strip()]
    if not out:
        raise KGError("measures: name at least one measure (e.g. ['betweenness', 'degree'])")
    return out


def compute_centrality(
    graph: Network,
    measures: str | Sequence[str] = "degree",
    *,
    type: str | None = None,
    region: str | None = None,
    top: int | None = None,
    engine: str = "auto",
    sample: int | None = None,
    seed: int = 0,
    projection_name: str = "organisations",
    until: int | None = None,
    types=None,
    rollup: str | None = None,
) -> pd.DataFrame:
    """One measure or several for every node of a projection, ranked by the first, highest first.

    Parameters
    ----------
    graph
        A :class:`kg.KnowledgeGraph`, a :class:`Projection` or a networkx graph.
    measures
        A list of names of :data:`kg.queries.analytics.engines.MEASURES` or of the participation counts
        (``participations``, ``two_mode_degree``); a comma-separated string works too.
    type, region
        Keep only rows of this type (``Enterprise`` ...) / whose region code starts with this prefix (the
        measures are still computed on the whole projection).
    types
        Organisation types the projection keeps (``types="Enterprise,University"``): the network itself is
        restricted, so the measures change.
    top
        Keep the first ``top`` rows.
    engine
        ``auto`` (networkx for small graphs, igraph above the threshold), ``networkx`` or ``igraph``;
        ``gds`` computes every requested measure inside Neo4j (Graph Data Science, organisation network;
        a measure it has no procedure for raises an error naming it).
    sample
        Betweenness from ``sample`` random pivots (reported in ``df.attrs``, with the error bound).
    rollup
        ``"group"``: measures of the network of groups, each subsidiary or unit of a larger body merged into
        its group (organisation projection; :mod:`kg.queries.analytics.groups`); ``units`` says how many
        units a row stands for.
    """

    measures = measure_list(measures)
    if engine in GRAPH_ENGINES:
        if rollup == "group":
            raise KGError("rollup='group' is computed in Python: use engine auto, networkx or igraph")
        return _on_store(graph, engine, measures, type, region, top)
    options = {k: v for k, v in (("until", until), ("types", types)) if v is not None}
    if rollup == "group" and projection_name != "organisations":
        raise KGError(
            f"rollup='group' rolls up organisations: use the organisations projection, not {projection_name!r}"
        )
    p = rolled(graph, projection_name, options, rollup)
    df = id_frame(p, graph)
    if "units" in p.nodes:
        df["units"] = p.nodes["units"].to_numpy()
    used = choose_engine(p, engine)
    for m in measures:
        df[m] = values(p, m, used, sample=sample, seed=seed)
    df.attrs.update(
        {
            "engine": used,
            "projection": p.name,
            "nodes": len(p.nodes),
            "edges": len(p.edges),
            "rollup": p.meta.get("rollup", "unit"),
        }
    )
    if sample and "betweenness" in measures and sample < len(p.nodes):
        # igraph draws pivots among the linked nodes, networkx among all
        _, src, dst = p.codes()
        pool = (
            len(p.nodes)
            if used != "igraph"
            else int(np.count_nonzero(np.bincount(np.concatenate([src, dst]), minlength=len(p.nodes))))
        )
        k = min(sample, pool)
        df.attrs.update({"sample": k, "error_bound_95": betweenness_error_bound(max(pool, 1), k)})
    keep = np.ones(len(df), dtype=bool)
    if type:
        keep &= (df["type"] == type).to_numpy()
    if region:
        keep &= df["region"].fillna("").astype(str).str.startswith(prefix_of(region, graph)).to_numpy()
    df = df[keep]
    return _ranked(df, measures[0], top)


def _ranked(df: pd.DataFrame, measure: str, top: int | None) -> pd.DataFrame:
    """Highest first (lowest first for constraint: low constraint = many structural holes); ties by id."""
    ascending = measure == "constraint"
    if top and len(df) > 4 * top:  # keep the candidates only, then sort a few rows
        col = df[measure].to_numpy(dtype=float)
        key = np.where(np.isnan(col), -np.inf, -col if ascending else col)
        cut = np.partition(key, len(key) - top)[len(key) - top]
        df = df[key >= cut]
    df = df.sort_values(
        [measure, "id"],
        ascending=[ascending, True],
        na_position="last",
        kind="stable",
        key=lambda c: c if c.name != "id" else c.astype(str),
    )
    df = df.reset_index(drop=True)
    return df.head(top) if top else df


def _on_store(
    graph, engine: str, measures: list[str], type: str | None, region: str | None, top: int | None
) -> pd.DataFrame:
    """The same columns computed by an engine working on the stored graph (``gds``: organisation network)."""
    df = GRAPH_ENGINES[engine](graph, measures)
    if type:
        df = df[df["type"] == type]
    if region:
        df = df[df["region"].fillna("").astype(str).str.startswith(prefix_of(region, graph))]
    df.attrs.update({"engine": engine, "projection": "organisations"})
    return _ranked(df, measures[0], top)


def rank_nodes(
    graph: Network, n: int = 10, by: str = "betweenness", type: str | None = None, region: str | None = None, **options
) -> pd.DataFrame:
    """The ``n`` nodes ranked first by ``by`` (a thin helper over :func:`compute_centrality`).

    Examples
    --------
    >>> import networkx as nx
    >>> rank_nodes(nx.star_graph(3), 1, "degree")["id"].tolist()
    [0]
    """
    return compute_centrality(graph, by, type=type, region=region, top=n, **options)


# deprecated names (removed in 0.3)
centrality = deprecated(compute_centrality, "kg.queries.analytics.centrality.centrality", {"measure": "measures"})
top = deprecated(rank_nodes, "kg.queries.analytics.top")

__all__ = ["MEASURES", "compute_centrality", "measure_list", "rank_nodes"]
