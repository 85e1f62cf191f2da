"""Network analytics from Python: projections, centrality, structural holes, brokerage, communities, indicators.

One module per family (as networkx does): :mod:`.projections` (named views of the graph),
:mod:`.engines` (networkx / igraph), :mod:`.centrality`, :mod:`.brokerage`, :mod:`.communities`,
:mod:`.indicators`.  Every result is a DataFrame with node id, name, type and region.

Examples
--------
>>> import networkx as nx
>>> centrality(nx.florentine_families_graph(), "betweenness").iloc[0]["id"]
'Medici'
"""

from kg.queries.analytics.brokerage import brokerage, county, sector
from kg.queries.analytics.centrality import MEASURES, centrality, top
from kg.queries.analytics.communities import communities, detect
from kg.queries.analytics.engines import betweenness_error_bound, compute
from kg.queries.analytics.indicators import system_indicators
from kg.queries.analytics.projections import PROJECTIONS, Projection, firm_academia, organisations, persons, projection


def brokers(graph, groups: str = "sector", top: int | None = 20, **options):
    """Gould-Fernandez brokerage on the organisation network between ``sector`` (firms vs academia) or ``county``.

    Returns the brokerage roles with id, name, type and region, most brokering first.
    """
    p = projection(graph, "organisations", **options)
    G = p.to_networkx()
    df = brokerage(G, group=sector if groups == "sector" else county)
    info = p.nodes.set_index("id")
    df.insert(1, "name", df["id"].map(info["name"]))
    df.insert(2, "type", df["id"].map(info["type"]))
    df.insert(3, "region", df["id"].map(info["region"]))
    return df.head(top) if top else df


__all__ = ["centrality", "top", "MEASURES", "brokerage", "brokers", "communities", "detect", "system_indicators",
           "projection", "organisations", "firm_academia", "persons", "Projection", "PROJECTIONS", "compute",
           "betweenness_error_bound", "sector", "county"]
