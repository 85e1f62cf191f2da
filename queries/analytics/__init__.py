"""Network analytics from Python: projections, centrality, structural holes, brokerage, communities, indicators.

One module per family (as networkx does): :mod:`.projections` (named views of the graph, read with
Cypher as id pairs and aggregated with numpy), :mod:`.engines` (networkx for small graphs, igraph above
a size threshold, sampled betweenness with its error bound, a registry for more engines),
:mod:`.centrality` (incl. Burt's constraint and effective size), :mod:`.brokerage` (Gould-Fernandez),
:mod:`.participation` (projects, patents, cooperations and the two-mode degree per organisation),
:mod:`.communities` (Leiden / Louvain, described), :mod:`.indicators` (per region, field, year).
Every result is a DataFrame with node id, name, type, region (code and name) and the measures.

Examples
--------
>>> import networkx as nx
>>> centrality(nx.florentine_families_graph(), "betweenness").iloc[0]["id"]
'Medici'
"""

from kg.errors import KGError
from kg.queries.analytics.brokerage import ROLES, brokerage, county, sector
from kg.queries.analytics.brokerage import brokerage as _gould_fernandez  # the name survives submodule rebinding
from kg.queries.analytics.centrality import MEASURES, centrality, top
from kg.queries.analytics.communities import communities, detect
from kg.queries.analytics.engines import ENGINES, betweenness_error_bound, compute, register_engine, values
from kg.queries.analytics.indicators import system_indicators
from kg.queries.analytics.participation import COUNT_MEASURES, participations
from kg.queries.analytics.projections import (
    PROJECTIONS,
    Projection,
    firm_academia,
    id_frame,
    organisation_types,
    organisations,
    persons,
    projection,
)
from kg.queries.analytics.regions import LEVELS, RegionLevels

#: what ``brokers`` can group organisations by
GROUPINGS = ("sector", *LEVELS)
#: the plural each grouping reads as in a title ("brokerage between counties")
GROUP_TITLES = {
    "sector": "sectors",
    "country": "countries",
    "province": "provinces",
    "city": "cities",
    "county": "counties",
}


def brokers(graph, groups: str = "sector", top: int | None = 20, **options):
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
    >>> brokers(G).loc[0, ["id", "consultant"]].tolist()
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
    roles = _gould_fernandez(p, group=labels)
    df = roles[["id"]].merge(id_frame(p, graph), on="id", how="left").join(roles.drop(columns="id"))
    df["group_name"] = df["group"].map(lambda c: levels.name(c) if isinstance(c, str) and groups != "sector" else c)
    df.attrs.update(roles.attrs)
    df.attrs["groups"] = groups
    return df.head(top) if top else df


__all__ = [
    "COUNT_MEASURES",
    "ENGINES",
    "GROUPINGS",
    "GROUP_TITLES",
    "LEVELS",
    "MEASURES",
    "PROJECTIONS",
    "ROLES",
    "Projection",
    "RegionLevels",
    "betweenness_error_bound",
    "brokerage",
    "brokers",
    "centrality",
    "communities",
    "compute",
    "county",
    "detect",
    "firm_academia",
    "organisation_types",
    "organisations",
    "participations",
    "persons",
    "projection",
    "register_engine",
    "sector",
    "system_indicators",
    "top",
    "values",
]
