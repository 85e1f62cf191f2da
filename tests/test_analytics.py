"""Network analytics: textbook values, engine agreement, projections on a hand-built graph, brokers, demo."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from test_analytics_brokerage import _by_enumeration  # the reference enumeration, shared

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


def test_engines_agree_on_a_disconnected_weighted_graph():
    """Real projections fall apart in pieces (and isolated firms): every measure is defined and both engines agree."""
    import random

    G = nx.disjoint_union(nx.karate_club_graph(), nx.florentine_families_graph())
    G.add_edge("p1", "p2")
    G.add_node("alone")
    rnd = random.Random(3)
    for u, v in G.edges:
        G[u][v]["weight"] = rnd.randint(1, 4)
    p = from_networkx(G)
    for measure in A.MEASURES:
        a, b = compute(p, measure, "networkx"), compute(p, measure, "igraph")
        for node in G:
            if math.isnan(a[node]):
                assert math.isnan(b[node]), (measure, node)
            else:
                assert b[node] == pytest.approx(a[node], abs=1e-6), (measure, node)
    eig = compute(p, "eigenvector", "igraph")
    n = G.number_of_nodes()
    assert eig["alone"] == 0 and sum(v * v for v in eig.values()) == pytest.approx((n - 1) / n)  # one isolated node


def test_textbook_rankings_as_a_dataframe():
    df = A.compute_centrality(nx.krackhardt_kite_graph(), "betweenness,degree")
    assert df["id"].tolist()[:3] == [7, 5, 6]  # Heather brokers; Fernando and Garth next
    assert df.loc[0, "betweenness"] == pytest.approx(0.3889, abs=1e-4)
    assert A.compute_centrality(nx.florentine_families_graph(), "betweenness")["id"].iloc[0] == "Medici"
    assert A.compute_centrality(nx.karate_club_graph(), "constraint")["id"].iloc[0] in (0, 33)  # low constraint first


def test_sampled_betweenness_is_close_and_reports_its_bound():
    G = nx.barabasi_albert_graph(400, 3, seed=1)
    exact = nx.betweenness_centrality(G)
    p = from_networkx(G)
    est = compute(p, "betweenness", "igraph", sample=200, seed=2)
    top = sorted(exact, key=exact.get, reverse=True)[:10]
    assert max(abs(est[n] - exact[n]) for n in G) < A.betweenness_error_bound(400, 200)
    assert len(set(top) & set(sorted(est, key=est.get, reverse=True)[:10])) >= 7
    df = A.compute_centrality(G, "betweenness", sample=100)
    assert df.attrs["sample"] == 100 and df.attrs["error_bound_95"] > 0


@pytest.fixture
def two_clusters(graph):
    """Firms E1-E4 and universities U1-U4 each densely linked inside; the firm E5 alone bridges them."""
    g = graph
    g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}", "region": "211102"} for i in range(1, 6)])
    g.upsert_nodes("University", [{"id": f"U{i}", "name": f"大学{i}", "region": "210000"} for i in range(1, 5)])
    g.upsert_nodes("Project", [{"id": f"PJ{i}", "name": f"项目{i}", "start_year": 2020} for i in range(1, 4)])
    # firms linked to each other by two shared projects; universities by co-patents
    g.upsert_edges(
        "PARTICIPATES_IN",
        [{"from_id": f"E{i}", "to_id": "PJ1"} for i in range(1, 5)]
        + [{"from_id": "E1", "to_id": "PJ2"}, {"from_id": "E2", "to_id": "PJ2"}],
    )
    g.upsert_nodes("Patent", [{"id": "PT1", "name": "专利1", "application_year": 2021}])
    g.upsert_edges("APPLIED_FOR", [{"from_id": f"U{i}", "to_id": "PT1"} for i in range(1, 5)])
    g.upsert_edges(
        "COOPERATES_WITH",
        [{"from_id": "E5", "to_id": "U1", "since": 2022}, {"from_id": "E5", "to_id": "U2", "since": 2023}],
    )
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
    df = A.compute_centrality(two_clusters, "betweenness")
    assert df["id"].iloc[0] == "E5"
    roles = A.find_brokers(two_clusters).set_index("id")
    assert roles.index[0] == "E5"
    assert roles.loc["E5", "gatekeeper_representative"] == 4  # E1, E2 (firms) to U1, U2 (academia)
    comm = A.describe_communities(two_clusters, "louvain", min_size=2)
    assert comm["size"].sum() == 9 and comm.attrs["modularity"] > 0.2


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from kg.demo import build_demo

    db = tmp_path_factory.mktemp("analytics") / "demo.kg"
    with KnowledgeGraph.open(db) as g:
        build_demo(g, seed=7, scale=0.1)
    return db


def test_demo_brokers_communities_and_indicators(demo_db):
    with KnowledgeGraph.open(demo_db, read_only=True) as g:
        df = A.compute_centrality(g, "betweenness", type="Enterprise").head()
        assert len(df) == 5 and df["name"].str.len().min() > 3 and (df["betweenness"] > 0).all()
        assert (df["type"] == "Enterprise").all() and df["region_name"].notna().all()
        ig = A.compute_centrality(g, "betweenness", type="Enterprise", engine="igraph").head()
        assert ig["id"].tolist() == df["id"].tolist()
        assert ig["betweenness"].to_numpy() == pytest.approx(df["betweenness"].to_numpy(), abs=1e-9)
        brokers = A.find_brokers(g, top=5)
        assert len(brokers) == 5 and brokers["total"].iloc[0] >= brokers["total"].iloc[-1] > 0
        comm = A.describe_communities(g)
        assert comm.attrs["modularity"] > 0.3 and comm["size"].iloc[0] >= comm["size"].iloc[-1]
        assert comm["top_members"].str.len().min() > 0 and comm["fields"].str.len().max() > 0
        ind = A.compute_indicators(g, by="region").set_index("region")
        assert {"211102", "211103"} <= set(ind.index)
        assert 0 <= ind["hte_partnered"].max() <= 1
        assert {"field_assortativity", "type_assortativity"} <= set(ind.columns)
        growth = A.compute_indicators(g, by="year")
        assert growth["links"].is_monotonic_increasing and growth["links"].iloc[-1] > growth["links"].iloc[0]
        fields = A.compute_indicators(g, by="field")
        assert fields["name"].str.len().min() > 0 and (fields["organisations"] > 0).all()
        people = A.compute_centrality(g, "degree", projection_name="persons", top=3)
        assert len(people) == 3 and (people["type"] == "Person").all()


def _kg(db, *args):
    from typer.testing import CliRunner

    from kg.cli import app

    done = CliRunner().invoke(app, ["--db", str(db), *args])
    assert done.exit_code == 0, done.output
    return done.stdout


def test_cli_twins_print_the_same_as_python(demo_db, tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.setenv("KG_LANG", "en")  # English headers and region codes, as the asserts below read them
    import pandas as pd

    rows = json.loads(
        _kg(demo_db, "--json", "centrality", "--measure", "betweenness", "--type", "Enterprise", "--top", "5")
    )
    with KnowledgeGraph.open(demo_db, read_only=True) as g:
        expected = A.compute_centrality(g, "betweenness", type="Enterprise", top=5)
    assert [r["id"] for r in rows] == expected["id"].tolist()
    assert rows[0]["name"] == expected["name"].iloc[0] and rows[0]["betweenness"] > 0
    out = tmp_path / "communities.csv"
    _kg(demo_db, "communities", "--csv", str(out))
    comm = pd.read_csv(out)
    assert {"community", "size", "types", "fields", "regions", "top_members"} <= set(comm.columns) and len(comm) > 1
    table = _kg(demo_db, "indicators", "--by", "region")
    assert "density" in table and "211102" in table
    fields = json.loads(_kg(demo_db, "--json", "indicators", "--by", "field"))
    assert fields and "hte_partnered" in fields[0]
    brokers = json.loads(_kg(demo_db, "--json", "brokers", "--top", "3"))
    assert len(brokers) == 3 and brokers[0]["name"] and brokers[0]["total"] >= brokers[-1]["total"]


@pytest.mark.parametrize("seed", [1, 2])
def test_brokerage_counts_equal_enumeration(seed):
    import random

    G = nx.gnm_random_graph(120, 400, seed=seed)
    rnd = random.Random(seed)
    group = {n: rnd.choice("xyz") for n in G}
    nx.set_node_attributes(G, group, "group")
    got = A.count_brokerage_roles(G, "group").set_index("id")
    for node, counts in _by_enumeration(G, group).items():
        for role, k in counts.items():
            assert got.loc[node, role] == k, (node, role)
        assert got.loc[node, "total"] == sum(counts.values())


def test_errors_name_the_parameter(two_clusters):
    from kg.errors import KGError

    with pytest.raises(KGError, match="measure"):
        A.compute_centrality(two_clusters, "fame")
    with pytest.raises(KGError, match="engine"):
        A.compute_centrality(two_clusters, "degree", engine="spark")
    with pytest.raises(KGError, match="projection"):
        A.compute_centrality(two_clusters, "degree", projection_name="planets")
    with pytest.raises(KGError, match="link kind"):
        A.organisations(two_clusters, kinds=("friendship",))


def test_until_cuts_links_by_year_without_reading_again(two_clusters):
    p = A.organisations(two_clusters)
    assert len(p.until(2022).edges) == len(p.edges) - 1  # E5-U2 began 2023
    assert p.until(2019).edges["project"].sum() == 0 and p.until(2020).edges["project"].sum() > 0
    G = p.to_networkx()
    assert G.number_of_edges() == len(p.edges) and G.nodes["E5"]["type"] == "Enterprise"
