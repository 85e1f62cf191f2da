"""Brokerage in bounded memory: batched triangle counting equals enumeration, groups by any region level."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from kg.queries import analytics as A
from kg.queries.analytics.brokerage import ROLES


def _by_enumeration(G, group):
    """Reference: enumerate every open pair around every node; pairs touching an ungrouped node do not count."""
    roles = {}
    for b in G:
        counts = dict.fromkeys(ROLES, 0)
        nb = sorted(m for m in set(G[b]) - {b} if group[m] is not None)
        for i, a in enumerate(nb if group[b] is not None else []):
            for c in nb[i + 1 :]:
                if G.has_edge(a, c):
                    continue
                ga, gb, gc = group[a], group[b], group[c]
                role = (
                    "coordinator"
                    if ga == gb == gc
                    else "consultant"
                    if ga == gc
                    else "gatekeeper_representative"
                    if gb in (ga, gc)
                    else "liaison"
                )
                counts[role] += 1
        roles[b] = counts
    return roles


@pytest.mark.parametrize("budget", [7, 2_000_000])
def test_batches_and_ungrouped_nodes_equal_enumeration(budget):
    G = nx.powerlaw_cluster_graph(300, 4, 0.6, seed=5)  # hubs and many triangles
    rnd = random.Random(5)
    group = {n: (None if n % 17 == 0 else rnd.choice("abcd")) for n in G}
    got = A.count_brokerage_roles(G, [group[n] for n in G], budget=budget).set_index("id")
    expected = _by_enumeration(G, group)
    for node, counts in expected.items():
        assert {r: int(got.loc[node, r]) for r in ROLES} == counts, node
    assert got.attrs["ungrouped"] == sum(1 for v in group.values() if v is None)
    assert sum(got.loc[n, "total"] for n in G if group[n] is None) == 0


@pytest.fixture
def regional(graph):
    """Two Chinese firms in different counties of one city, a university in another province, a German and a
    French institute; one project links them all but the French institute, which cooperates with the firm F1."""
    g = graph
    g.upsert_nodes(
        "Enterprise",
        [{"id": "F1", "name": "甲公司", "region": "211102"}, {"id": "F2", "name": "乙公司", "region": "211103"}],
    )
    g.upsert_nodes("University", [{"id": "U1", "name": "丙大学", "region": "110108"}])
    g.upsert_nodes(
        "ResearchInstitute",
        [{"id": "R1", "name": "Institut DE", "region": "DE"}, {"id": "R2", "name": "Institut FR", "region": "FR"}],
    )
    g.upsert_nodes("ServiceOrg", [{"id": "S1", "name": "丁服务", "region": "211102"}])
    g.upsert_nodes("Project", [{"id": "P1", "name": "项目"}])
    g.upsert_edges("PARTICIPATES_IN", [{"from_id": x, "to_id": "P1"} for x in ("F2", "U1", "R1")])
    g.upsert_edges("COOPERATES_WITH", [{"from_id": "F1", "to_id": "R2"}, {"from_id": "F1", "to_id": "U1"}])
    return g


def test_brokers_between_any_region_level_with_plural_titles(regional):
    g = regional
    country = A.find_brokers(g, "country", top=None).set_index("id")
    # links: F2-U1, F2-R1, U1-R1 (the project), F1-R2, F1-U1 (cooperations)
    assert country.loc["U1", "group"] == "CN" and country.loc["R1", "group"] == "DE"
    assert country.attrs["ungrouped"] == 0 and country.loc["R2", "group_name"] == "FR"
    assert country.loc["F1", ["gatekeeper_representative", "total"]].tolist() == [1, 1]  # R2 (FR) - U1 (CN)
    assert country.loc["U1", ["coordinator", "gatekeeper_representative", "total"]].tolist() == [1, 1, 2]
    county = A.find_brokers(g, "county", top=None).set_index("id")
    assert county.attrs["ungrouped"] == 2  # the two institutes have a country and no county
    assert county.loc["U1", ["liaison", "total"]].tolist() == [1, 1]  # F1 - F2: three counties; R1 does not count
    assert county.loc["F1", "total"] == 0
    city = A.find_brokers(g, "city", top=None).set_index("id")
    assert city.loc["F1", "group"] == city.loc["F2", "group"] == "211100"
    assert A.GROUP_TITLES == {
        "sector": "sectors",
        "country": "countries",
        "province": "provinces",
        "city": "cities",
        "county": "counties",
    }
    sectors = A.find_brokers(g, "sector", top=None).set_index("id")
    assert sectors.loc["S1", "group"] == "other"
    from kg.errors import KGError

    with pytest.raises(KGError, match="--between 'planet': use sector .* country, province, city, county"):
        A.find_brokers(g, "planet")
