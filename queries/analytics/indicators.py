"""System indicators of the innovation network per region, per field and per year.

For each group of organisations (a county, a city, a field) on the
organisation collaboration network:

* ``organisations``, ``firms``, ``academia``, ``links`` (pairs inside the group), ``external_links``
  (pairs with one end outside) and ``local_share`` (links / (links + external_links));
* ``density`` of the group's subgraph;
* ``hte_partnered``: share of the group's high-tech enterprises with at least one academic partner (anywhere);
* ``partners_per_firm``: mean number of academic partners of the group's firms;
* ``components`` and ``largest_component``: connected pieces of the group's subgraph (share of its
  linked organisations in the largest);
* ``type_assortativity``: whether links join like types (firm-firm) rather than firms and academia
  (negative: links cross the sectors, which is what 产学研 wants);
* ``field_assortativity``: whether links stay inside one top-level field (each node's main field).

``by="year"`` gives network growth: the same figures for the whole network using the links known by each year
(and the high-tech certificates held by then); links without a year count in every year.

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.05)
>>> df = compute_indicators(g, by="region")
>>> {"density", "hte_partnered", "type_assortativity"} <= set(df.columns)
True
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from kg.deprecation import deprecated
from kg.errors import KGError
from kg.queries.analytics.projections import ACADEMIA, organisations
from kg.types import Graph

COLUMNS = [
    "organisations",
    "firms",
    "academia",
    "links",
    "external_links",
    "local_share",
    "density",
    "hte_partnered",
    "partners_per_firm",
    "components",
    "largest_component",
    "type_assortativity",
    "field_assortativity",
]


def _figures(G: nx.Graph, members: set, hte: set, academic_partners: dict) -> dict:
    sub = G.subgraph(members)
    firms = [n for n in members if G.nodes[n].get("type") == "Enterprise"]
    linked = [c for c in nx.connected_components(sub) if len(c) > 1]
    hte_here = [f for f in firms if f in hte]
    assort = _assortativity(sub, "type")
    field_assort = _assortativity(sub, "field")
    links = sub.number_of_edges()
    external = sum(G.degree(n) for n in members) - 2 * links
    return {
        "organisations": len(members),
        "firms": len(firms),
        "academia": sum(1 for n in members if G.nodes[n].get("type") in ACADEMIA),
        "links": links,
        "external_links": external,
        "local_share": round(links / (links + external), 3) if links + external else float("nan"),
        "density": round(nx.density(sub), 5) if len(members) > 1 else 0.0,
        "hte_partnered": round(sum(1 for f in hte_here if academic_partners.get(f, 0) > 0) / len(hte_here), 3)
        if hte_here
        else float("nan"),
        "partners_per_firm": round(sum(academic_partners.get(f, 0) for f in firms) / len(firms), 3)
        if firms
        else float("nan"),
        "components": len(linked),
        "largest_component": round(max((len(c) for c in linked), default=0) / max(sum(len(c) for c in linked), 1), 3),
        "type_assortativity": assort,
        "field_assortativity": field_assort,
    }


def _assortativity(sub: nx.Graph, attribute: str) -> float:
    """Newman's attribute assortativity over the nodes that carry ``attribute`` (NaN where undefined)."""
    nodes = [n for n, v in sub.nodes(data=attribute) if v is not None]
    part = sub.subgraph(nodes)
    if part.number_of_edges() == 0:
        return float("nan")
    try:
        with np.errstate(all="ignore"):
            r = nx.attribute_assortativity_coefficient(part, attribute)
    except (ZeroDivisionError, ValueError):
        return float("nan")
    return round(float(r), 3) if not math.isnan(r) else float("nan")


def _academic_partners(G: nx.Graph) -> dict:
    out = {}
    for n, d in G.nodes(data=True):
        if d.get("type") == "Enterprise":
            out[n] = sum(1 for m in G[n] if G.nodes[m].get("type") in ACADEMIA and G[n][m].get("cooperation", 0) > 0)
    return out


def compute_indicators(
    graph: Graph, by: str = "region", *, level: str = "county", year: int | None = None, years=None
) -> pd.DataFrame:
    """Indicators per ``region`` (``level`` county or city), per ``field`` (top-level fields) or per ``year``."""
    if by not in ("region", "field", "year"):
        raise KGError(f"--by {by!r}: use region, field or year")
    certified = graph.run_named("analytics_certified", qualification="high_tech_enterprise")
    if by == "year":
        return _growth(graph, certified, years)
    hte = _held_by(certified, year)
    p = organisations(graph, until=year)
    fields = _fields(graph)
    G = _with_fields(p.to_networkx(), fields)
    partners = _academic_partners(G)
    groups: dict[str, set] = {}
    labels: dict[str, str] = {}
    if by == "region":
        names = dict(graph.run_named("analytics_region_names").itertuples(index=False))
        width = 6 if level == "county" else 4
        for n, d in G.nodes(data=True):
            r = d.get("region")
            if isinstance(r, str) and len(r) == 6 and (level != "county" or not r.endswith("00")):
                key = r[:width].ljust(6, "0")
                groups.setdefault(key, set()).add(n)
        labels = {k: names.get(k, k) for k in groups}
    else:
        for nid, fid, fname in fields.itertuples(index=False):
            if nid in G:
                groups.setdefault(fid, set()).add(nid)
                labels[fid] = fname
    rows = [
        {by: k, "name": labels.get(k, k), **_figures(G, members, hte, partners)}
        for k, members in sorted(groups.items())
    ]
    df = pd.DataFrame(rows, columns=[by, "name", *COLUMNS])
    return df.sort_values("organisations", ascending=False, kind="stable").reset_index(drop=True)


def _held_by(certified: pd.DataFrame, year: int | None) -> set:
    """Ids certified by ``year`` (all when ``year`` is None; certificates without a year always count)."""
    if year is None:
        return set(certified["id"])
    y = pd.to_numeric(certified["year"], errors="coerce")
    return set(certified.loc[y.isna() | (y <= year), "id"])


def _growth(graph, certified: pd.DataFrame, years=None) -> pd.DataFrame:
    full = organisations(graph)
    known = sorted({int(y) for y in full.links["year"].dropna().tolist()})
    years = list(years) if years else known[-8:]
    fields = _fields(graph)
    rows = []
    for y in years:
        G = _with_fields(full.until(y).to_networkx(), fields)
        rows.append({"year": y, "name": str(y), **_figures(G, set(G), _held_by(certified, y), _academic_partners(G))})
    whole = [c for c in COLUMNS if c not in ("external_links", "local_share")]  # no outside for the whole network
    return pd.DataFrame(rows, columns=["year", "name", *whole])


def _fields(graph) -> pd.DataFrame:
    return graph.run_named("analytics_node_fields")


def _with_fields(G: nx.Graph, fields: pd.DataFrame) -> nx.Graph:
    """Each node's main top-level field (the one it has most sub-fields in) as node attribute ``field``."""
    if len(fields):
        main = (
            fields.groupby(["id", "field"])
            .size()
            .reset_index(name="k")
            .sort_values(["id", "k", "field"], ascending=[True, False, True])
            .drop_duplicates("id")
        )
        nx.set_node_attributes(G, {n: f for n, f in zip(main["id"], main["field"]) if n in G}, "field")
    return G


# deprecated name (removed in 0.3)
system_indicators = deprecated(compute_indicators, "kg.queries.analytics.system_indicators")
