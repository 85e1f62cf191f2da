"""Network analytics: textbook values, engine agreement, projections on a hand-built graph, brokers, demo."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kg import KnowledgeGraph
from kg.queries import analytics as A
from kg.queries.analytics.engines import compute
from kg.queries.analytics.projections import from_networkx

TEXTBOOK = {
    "kite": nx.krackhardt_kite_graph(),
    "florentine": nx.florentine_families_graph(),
    "karate": nx.karate_club_graph(),
}
REFERENCE = {
    "degree": lambda G: dict(G.degree()),
    "weighted_degree": lambda G: dict(G.degree(weight="weight")),
    "betweenness": nx.betweenness_centrality,
    "closeness": nx.closeness_centrality,
    "eigenvector": lambda G: nx.eigenvector_centrality_numpy(G, weight="weight"),
    "pagerank": lambda G: nx.pagerank(G, weight="weight", tol=1e-12, max_iter=1000),
    "kcore": nx.core_number,
    "clustering": nx.clustering,
    "constraint": nx.constraint,
    "effective_size": nx.effective_size,
}


@pytest.mark.parametrize("graph_name", list(TEXTBOOK))
@pytest.mark.parametrize("measure", list(REFERENCE))
def test_both_engines_equal_networkx_on_textbook_graphs(graph_name, measure):
    G = TEXTBOOK[graph_name]
    expected = REFERENCE[measure](G)
    p = from_networkx(G)
    for engine in ("networkx", "igraph"):
        got = compute(p, measure, engine)
        for node, value in expected.items():
            if isinstance(value, float) and math.isnan(value):
                assert math.isnan(got[node]), (engine, node)
            else:
                assert got[node] == pytest.approx(value, abs=1e-6), (engine, measure, node)


def test_textbook_rankings_as_a_dataframe():
    df = A.centrality(nx.krackhardt_kite_graph(), "betweenness,degree")
    assert df["id"].tolist()[:3] == [7, 5, 6]  # Heather brokers; Fernando and Garth next
    assert df.loc[0, "betweenness"] == pytest.approx(0.3889, abs=1e-4)
    assert A.centrality(nx.florentine_families_graph(), "betweenness")["id"].iloc[0] == "Medici"
    assert A.centrality(nx.karate_club_graph(), "constraint")["id"].iloc[0] in (0, 33)  # low constraint first


def test_sampled_betweenness_is_close_and_reports_its_bound():
    G = nx.barabasi_albert_graph(400, 3, seed=1)
    exact = nx.betweenness_centrality(G)
    p = from_networkx(G)
    est = compute(p, "betweenness", "igraph", sample=200, seed=2)
    top = sorted(exact, key=exact.get, reverse=True)[:10]
    assert max(abs(est[n] - exact[n]) for n in G) < A.betweenness_error_bound(400, 200)
    assert len(set(top) & set(sorted(est, key=est.get, reverse=True)[:10])) >= 7
    df = A.centrality(G, "betweenness", sample=100)
    assert df.attrs["sample"] == 100 and df.attrs["error_bound_95"] > 0


@pytest.fixture
def two_clusters(graph):
    """Firms E1-E4 and universities U1-U4 each densely linked inside; the firm E5 alone bridges them."""
    g = graph
    g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}", "region": "211102"} for i in range(1, 6)])
    g.upsert_nodes("University", [{"id": f"U{i}", "name": f"大学{i}", "region": "210000"} for i in range(1, 5)])
    g.upsert_nodes("Project", [{"id": f"PJ{i}", "name": f"项目{i}", "start_year": 2020} for i in range(1, 4)])
    # firms linked to each other by two shared projects; universities by co-patents
    g.upsert_edges("PARTICIPATES_IN", [{"from_id": f"E{i}", "to_id": "PJ1"} for i in range(1, 5)]
                   + [{"from_id": "E1", "to_id": "PJ2"}, {"from_id": "E2", "to_id": "PJ2"}])
    g.upsert_nodes("Patent", [{"id": "PT1", "name": "专利1", "application_year": 2021}])
    g.upsert_edges("APPLIED_FOR", [{"from_id": f"U{i}", "to_id": "PT1"} for i in range(1, 5)])
    g.upsert_edges("COOPERATES_WITH", [{"from_id": "E5", "to_id": "U1", "since": 2022},
                                       {"from_id": "E5", "to_id": "U2", "since": 2023}])
    g.upsert_edges("PARTICIPATES_IN", [{"from_id": x, "to_id": "PJ3"} for x in ("E5", "E1", "E2")])
    return g


def test_projection_counts_links_by_kind(two_clusters):
    p = A.organisations(two_clusters)
    e = p.edges.set_index(["source", "target"])
    assert len(p.edges) == 6 + 6 + 2 + 2  # firm pairs by PJ1, university pairs by PT1, E5's partners, E5 by PJ3
    assert e.loc[("E1", "E2"), "project"] == 3 and e.loc[("E1", "E2"), "weight"] == 3
    assert e.loc[("U1", "U2"), "patent"] == 1
    assert e.loc[("E5", "U1"), "cooperation"] == 1 and e.loc[("E5", "U1"), "year"] == 2022
    early = A.organisations(two_clusters, until=2022)
    assert ("E5", "U2") not in set(zip(early.edges["source"], early.edges["target"]))
    bip = A.firm_academia(two_clusters)
    assert len(bip.edges) == 2 and set(bip.nodes["bipartite"]) == {0, 1}


def test_broker_between_firm_and_university_clusters_ranks_first(two_clusters):
    df = A.centrality(two_clusters, "betweenness")
    assert df["id"].iloc[0] == "E5"
    roles = A.brokers(two_clusters).set_index("id")
    assert roles.index[0] == "E5"
    assert roles.loc["E5", "gatekeeper_representative"] == 4  # E1, E2 (firms) to U1, U2 (academia)
    comm = A.communities(two_clusters, "louvain", min_size=2)
    assert comm["size"].sum() == 9 and comm.attrs["modularity"] > 0.2


def test_demo_brokers_communities_and_indicators():
    from kg.demo import build_demo

    with KnowledgeGraph.open(":memory:") as g:
        build_demo(g, seed=7, scale=0.1)
        df = A.centrality(g, "betweenness", type="Enterprise").head()
        assert len(df) == 5 and df["name"].str.len().min() > 3 and (df["betweenness"] > 0).all()
        comm = A.communities(g)
        assert comm.attrs["modularity"] > 0.3 and comm["size"].iloc[0] >= comm["size"].iloc[-1]
        ind = A.system_indicators(g, by="region").set_index("region")
        assert {"211102", "211103"} <= set(ind.index)
        assert 0 <= ind["hte_partnered"].max() <= 1
        growth = A.system_indicators(g, by="year")
        assert growth["links"].is_monotonic_increasing
