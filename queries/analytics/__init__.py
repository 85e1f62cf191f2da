"""Network analytics from Python: projections, centrality, structural holes, brokerage, communities, indicators.

One module per family (as networkx does): :mod:`.projections` (named views of the graph, read with
Cypher as id pairs and aggregated with numpy), :mod:`.engines` (networkx for small graphs, igraph above
a size threshold, sampled betweenness with its error bound, a registry for more engines),
:mod:`.centrality` (incl. Burt's constraint and effective size), :mod:`.brokerage` (Gould-Fernandez),
:mod:`.participation` (projects, patents, cooperations and the two-mode degree per organisation),
:mod:`.communities` (Leiden / Louvain, described), :mod:`.indicators` (per region, field, year).
Every result is a DataFrame with node id, name, type, region (code and name) and the measures.
Functions are verbs (``compute_centrality``, ``find_brokers``, ``describe_communities``); the modules keep
their family names, so ``import kg.queries.analytics.centrality`` is the module (see ``docs/api.md``).

Examples
--------
>>> import networkx as nx
>>> compute_centrality(nx.florentine_families_graph(), ["betweenness"]).iloc[0]["id"]
'Medici'
"""

from kg.deprecation import callable_module, deprecated
from kg.errors import KGError
from kg.queries.analytics.brokerage import ROLES, count_brokerage_roles, county, sector
from kg.queries.analytics.centrality import MEASURES, compute_centrality, measure_list, rank_nodes
from kg.queries.analytics.communities import Partition, describe_communities, detect_communities
from kg.queries.analytics.engines import ENGINES, betweenness_error_bound, compute, register_engine, values
from kg.queries.analytics.indicators import compute_indicators
from kg.queries.analytics.participation import COUNT_MEASURES, count_participations
from kg.queries.analytics.projections import (
    PROJECTIONS,
    Network,
    Projection,
    firm_academia,
    id_frame,
    organisation_types,
    organisations,
    persons,
    projection,
)
from kg.queries.analytics.regions import LEVELS, RegionLevels

#: what ``find_brokers`` can group organisations by
GROUPINGS = ("sector", *LEVELS)
#: the plural each grouping reads as in a title ("brokerage between counties")
GROUP_TITLES = {
    "sector": "sectors",
    "country": "countries",
    "province": "provinces",
    "city": "cities",
    "county": "counties",
}


def find_brokers(graph: Network, groups: str = "sector", top: int | None = 20, **options):
    """Gould-Fernandez brokerage on the organisation network between ``sector`` (firms, academia, other
    organisations) or the regions of one level: ``country``, ``province``, ``city`` or ``county``.

    Returns the brokerage roles with id, name, type and region, most brokering first; ``group`` is the
    sector or region code, ``group_name`` its name.  Organisations without a region at that level broker
    nothing and are not counted as anyone's partners (``df.attrs["ungrouped"]`` says how many);
    ``options`` go to the projection (``types=``, ``until=``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, {0: "Enterprise", 1: "University", 2: "Enterprise"}, "type")
    >>> find_brokers(G).loc[0, ["id", "consultant"]].tolist()
    [1, 1]
    """
    if groups not in GROUPINGS:
        raise KGError(
            f"--between {groups!r}: use sector (firms, academia, other organisations) or a region level: "
            f"{', '.join(LEVELS)}"
        )
    p = projection(graph, "organisations", **options)
    levels = RegionLevels.of(graph)
    if groups == "sector":
        labels = sector
    else:
        labels = levels.map(p.nodes["region"].astype(object), groups).tolist()
    roles = count_brokerage_roles(p, group=labels)
    df = roles[["id"]].merge(id_frame(p, graph), on="id", how="left").join(roles.drop(columns="id"))
    df["group_name"] = df["group"].map(lambda c: levels.name(c) if isinstance(c, str) and groups != "sector" else c)
    df.attrs.update(roles.attrs)
    df.attrs["groups"] = groups
    return df.head(top) if top else df


# deprecated names (removed in 0.3); the three that were named like their modules are the modules again,
# and calling the module still works, with a warning
brokers = deprecated(find_brokers, "kg.queries.analytics.brokers")
top = deprecated(rank_nodes, "kg.queries.analytics.top")
detect = deprecated(detect_communities, "kg.queries.analytics.detect")
participations = deprecated(count_participations, "kg.queries.analytics.participations")
system_indicators = deprecated(compute_indicators, "kg.queries.analytics.system_indicators")
callable_module(
    f"{__name__}.centrality", compute_centrality, "kg.queries.analytics.centrality", {"measure": "measures"}
)
callable_module("kg.queries.analytics.brokerage", count_brokerage_roles, "kg.queries.analytics.brokerage")
callable_module("kg.queries.analytics.communities", describe_communities, "kg.queries.analytics.communities")

__all__ = [
    "COUNT_MEASURES",
    "ENGINES",
    "GROUPINGS",
    "GROUP_TITLES",
    "LEVELS",
    "MEASURES",
    "PROJECTIONS",
    "ROLES",
    "Network",
    "Partition",
    "Projection",
    "RegionLevels",
    "betweenness_error_bound",
    "compute",
    "compute_centrality",
    "compute_indicators",
    "count_brokerage_roles",
    "count_participations",
    "county",
    "describe_communities",
    "detect_communities",
    "find_brokers",
    "firm_academia",
    "measure_list",
    "organisation_types",
    "organisations",
    "persons",
    "projection",
    "rank_nodes",
    "register_engine",
    "sector",
    "values",
]
