"""Centrality and communities computed inside Neo4j by the Graph Data Science plugin.

The engine behind ``centrality(graph, measures, engine="gds")`` (registered in
:data:`kg.queries.analytics.engines.GRAPH_ENGINES`): the organisations and
their collaboration links are projected into an in-memory GDS graph
(unweighted, undirected), every requested measure is streamed back with the
columns the Python engines return, and the projection is dropped.  The
procedures run through Cypher (named queries ``gds_*.neo4j.cypher`` and the
:func:`kg.cypher.gds_scores` builders), so only the server plugin is needed,
not the ``graphdatascience`` client.

Examples
--------
>>> from kg import KnowledgeGraph
>>> with KnowledgeGraph.open(":memory:") as g:
...     gds_available(g)
False
>>> check_measures(["pagerank", "kcore"])
Traceback (most recent call last):
...
kg.errors.KGError: measure 'kcore' has no Graph Data Science procedure here; use pagerank, betweenness, degree, eigenvector, closeness, or engine auto, networkx or igraph
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pandas as pd

from kg import cypher
from kg.errors import BackendError, KGError
from kg.schema import check_identifier

#: our measure names -> GDS procedures (stream mode; each yields nodeId, score)
GDS_CENTRALITY = {
    "pagerank": "gds.pageRank.stream",
    "betweenness": "gds.betweenness.stream",
    "degree": "gds.degree.stream",
    "eigenvector": "gds.eigenvector.stream",
    "closeness": "gds.closeness.stream",
}
#: our community methods -> GDS procedures (stream yields nodeId, communityId; stats yields modularity)
GDS_COMMUNITIES = {"louvain": "gds.louvain", "leiden": "gds.leiden"}
#: the default projection: the organisations and their collaboration links, undirected
ORG_LABELS = ("Enterprise", "University", "ResearchInstitute")
ORG_TYPES = ("COOPERATES_WITH", "CONTRACTED_WITH")
ID_COLUMNS = ["id", "name", "type", "region", "region_name"]


def gds_available(graph) -> bool:
    """True when ``graph`` lives in Neo4j and the Graph Data Science plugin answers."""
    if getattr(graph.backend, "engine", "") != "neo4j":
        return False
    try:
        graph.run_named("gds_version")
        return True
    except BackendError:
        return False


def check_measures(measures: Sequence[str]) -> list[str]:
    """The measures as a list, or a :class:`~kg.errors.KGError` naming the first one GDS cannot compute."""
    for m in measures:
        if m not in GDS_CENTRALITY:
            raise KGError(
                f"measure {m!r} has no Graph Data Science procedure here; use {', '.join(GDS_CENTRALITY)}, "
                "or engine auto, networkx or igraph"
            )
    return list(measures)


def centrality_statement(measure: str) -> str:
    """The Cypher streaming ``measure`` of the projected graph ``$graph``.

    Examples
    --------
    >>> centrality_statement("pagerank").split(" YIELD")[0]
    'CALL gds.pageRank.stream($graph)'
    """
    return cypher.gds_scores(GDS_CENTRALITY[check_measures([measure])[0]], measure)


def _project(graph, node_labels: Sequence[str], relationship_types: Sequence[str]) -> str:
    """Project a named in-memory GDS graph; returns its name (drop it with ``gds_drop``)."""
    if not gds_available(graph):
        raise BackendError(
            "Graph Data Science is not available on this store; use the Python engines "
            "(engine auto, networkx or igraph), which stream the graph out of Neo4j"
        )
    name = f"kg_{uuid.uuid4().hex[:12]}"
    labels = [check_identifier(graph.schema.node(t).label) for t in node_labels]
    rels = {check_identifier(graph.schema.edge(t).type): {"orientation": "UNDIRECTED"} for t in relationship_types}
    graph.run_named("gds_project", graph=name, labels=labels, rels=rels)
    return name


def gds_centrality(
    graph,
    measures: str | Sequence[str],
    node_labels: Sequence[str] = ORG_LABELS,
    relationship_types: Sequence[str] = ORG_TYPES,
) -> pd.DataFrame:
    """Every measure in ``measures`` computed inside Neo4j, highest first by the first one.

    Returns the columns of :func:`kg.queries.analytics.centrality.centrality`:
    ``id``, ``name``, ``type``, ``region``, ``region_name`` and one column per
    measure.  A measure GDS cannot compute raises a :class:`~kg.errors.KGError`
    naming it before anything runs.
    """
    measures = check_measures([measures] if isinstance(measures, str) else measures)
    name = _project(graph, node_labels, relationship_types)
    try:
        frames = [graph.query(centrality_statement(m), graph=name) for m in measures]
    finally:
        graph.run_named("gds_drop", graph=name)
    df = frames[0]
    for m, more in zip(measures[1:], frames[1:]):
        df = df.merge(more[["id", m]], on="id", how="outer")
    df["region_name"] = df["region"].map(_region_names(graph))
    df = df[ID_COLUMNS + measures]
    return df.sort_values([measures[0], "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def gds_communities(
    graph,
    method: str = "leiden",
    node_labels: Sequence[str] = ORG_LABELS,
    relationship_types: Sequence[str] = ORG_TYPES,
) -> tuple[dict[str, int], float]:
    """Communities computed inside Neo4j: ``({node id: community number}, modularity)``.

    The same shape as :func:`kg.queries.analytics.communities.detect`:
    communities are numbered by size, the largest 0.
    """
    if method not in GDS_COMMUNITIES:
        raise KGError(f"{method!r} has no Graph Data Science procedure here; use {', '.join(GDS_COMMUNITIES)}")
    proc = GDS_COMMUNITIES[method]
    name = _project(graph, node_labels, relationship_types)
    try:
        df = graph.query(cypher.gds_community(proc), graph=name)
        q = graph.query(cypher.gds_community(proc, modularity=True), graph=name)
    finally:
        graph.run_named("gds_drop", graph=name)
    return renumber(dict(zip(df["id"], df["community"]))), float(q["modularity"].iloc[0]) if len(q) else 0.0


def renumber(parts: dict[str, int]) -> dict[str, int]:
    """Community numbers by size (largest 0; ties by smallest member id).

    Examples
    --------
    >>> renumber({"a": 7, "b": 3, "c": 3})
    {'b': 0, 'c': 0, 'a': 1}
    """
    members: dict[int, list[str]] = {}
    for node, c in parts.items():
        members.setdefault(c, []).append(str(node))
    order = sorted(members.values(), key=lambda m: (-len(m), min(m)))
    return {n: i for i, m in enumerate(order) for n in sorted(m)}


def _region_names(graph) -> dict:
    return dict(graph.run_named("analytics_region_names").itertuples(index=False))


__all__ = ["GDS_CENTRALITY", "GDS_COMMUNITIES", "gds_available", "gds_centrality", "gds_communities"]
