"""The organisation projection on the real Horizon 2020 slice: every organisation type, participations and
distinct partners against counts made here with pandas (``tests/realdata.py``), independently of the product."""

from __future__ import annotations

import numpy as np
import pytest
from realdata import h2020_org_store, h2020_org_types, h2020_participation_counts, h2020_rows, needs_real

from kg import KnowledgeGraph
from kg.queries import analytics as A

pytestmark = needs_real


@pytest.fixture(scope="module")
def h2020():
    g = KnowledgeGraph.open(":memory:")
    participating = h2020_org_store(g)
    yield g, participating
    g.close()


@pytest.fixture(scope="module")
def projection(h2020):
    return A.organisations(h2020[0])


def _top10(series):
    """(PIC, value) of the ten highest values, ties by PIC: the same rule as the product's ranking."""
    frame = series.rename("v").reset_index().rename(columns={"index": "pic"})
    frame.columns = ["pic", "v"]
    frame = frame.sort_values(["v", "pic"], ascending=[False, True], kind="stable")
    return [(str(p), int(v)) for p, v in frame.head(10).itertuples(index=False)]


def test_every_organisation_type_is_in_the_projection(h2020, projection):
    g, _ = h2020
    p = projection
    rows = h2020_rows()
    types = h2020_org_types(g.schema)
    expected = rows.drop_duplicates("pic")["type"].map(types).value_counts().to_dict()
    assert p.nodes["type"].value_counts().to_dict() == expected
    assert set(A.organisation_types(g)) >= {"Enterprise", "University", "ResearchInstitute", "ServiceOrg"}
    # every organisation type that hosts or operates platforms and incubators is an organisation type
    hosts = set(g.schema.edge("HOSTS").from_types) | (set(g.schema.edge("OPERATES").from_types) - {"Park"})
    assert hosts <= set(A.organisation_types(g))
    assert p.nodes["id"].tolist() == sorted(p.nodes["id"].tolist())  # ordered by id
    assert p.nodes.set_index("id").loc["999984059", "region"] == "DE"  # Fraunhofer, its country


def test_types_filter_restricts_the_network_not_the_counts(h2020):
    g, participating = h2020
    firms = A.organisations(g, types="Enterprise")
    assert set(firms.nodes["type"]) == {"Enterprise"}
    assert len(firms.nodes) == (h2020_rows().drop_duplicates("pic")["type"] == "PRC").sum()
    both = A.organisations(g, types=["企业", "University"])  # Chinese titles work too
    assert set(both.nodes["type"]) == {"Enterprise", "University"}
    expected = h2020_participation_counts(participating)["projects"]
    got = firms.nodes.set_index("id")["projects"]
    assert (got == expected.reindex(got.index).fillna(0).astype(int)).all()  # projects with any partner count
    from kg.errors import KGError

    with pytest.raises(KGError, match="types='Project' is not an organisation type; choose from Enterprise"):
        A.organisations(g, types="Project")


def test_top10_by_participations_and_by_partners_equal_pandas(h2020, projection):
    g, participating = h2020
    expected = h2020_participation_counts(participating)
    df = A.participations(projection)
    assert _top10(expected["projects"]) == [(i, int(v)) for i, v in df[["id", "participations"]].head(10).values]
    by_partners = A.participations(g, by="partners", top=10)
    assert _top10(expected["partners"]) == [(i, int(v)) for i, v in by_partners[["id", "partners"]].values]
    # every organisation, not only the top ten
    got = df.set_index("id")
    assert (got.loc[expected.index, "projects"] == expected["projects"]).all()
    assert (got.loc[expected.index, "partners"] == expected["partners"]).all()
    assert (got["two_mode_degree"] == got["projects"]).all() and (got["patents"] == 0).all()
    # the same figures through the centrality API (the measures the CLI offers)
    deg = A.centrality(projection, "degree,two_mode_degree", top=10)
    assert _top10(expected["partners"]) == [(i, int(v)) for i, v in deg[["id", "degree"]].values]
    parts = A.centrality(projection, "participations", top=10)
    assert _top10(expected["projects"]) == [(i, int(v)) for i, v in parts[["id", "participations"]].values]


def test_participations_cut_by_year(h2020, projection):
    _g, participating = h2020
    rows = h2020_rows()
    rows = rows[rows["type"].isin(participating) & (rows["start_year"] <= 2015)]
    expected = rows.drop_duplicates(["pic", "rcn"]).groupby("pic")["rcn"].nunique()
    got = A.participations(projection.until(2015)).set_index("id")["projects"]
    assert (got.loc[expected.index] == expected).all() and int(got.sum()) == int(expected.sum())


def test_brokers_between_countries(h2020, projection):
    import networkx as nx
    from test_analytics_brokerage import _by_enumeration

    g, _ = h2020
    df = A.brokers(g, "country", top=None)
    no_country = h2020_rows().drop_duplicates("pic")["country"].isna().sum()
    assert (
        df.attrs["ungrouped"] == no_country
    )  # PICs without a country (none in this file: NA is Namibia) broker nothing
    assert set(df["group"].dropna()) >= {"DE", "FR", "UK", "EL"} and (df["total"] >= 0).all()
    # the counts equal enumeration on a real piece: the 300 organisations nearest a mid-sized hub
    ig = projection.to_igraph()
    start = int(np.argsort(ig.degree())[-200])
    piece = projection.subgraph(projection.nodes["id"].to_numpy()[ig.bfs(start)[0][:300]].tolist())
    G = piece.to_networkx()
    group = dict(zip(piece.nodes["id"], piece.nodes["region"].where(piece.nodes["region"].notna(), None)))
    got = A.brokerage(piece, [group[n] for n in piece.nodes["id"]], budget=1_000).set_index("id")
    expected = _by_enumeration(G, group)
    assert sum(sum(c.values()) for c in expected.values()) > 1_000
    for node, counts in expected.items():
        assert {r: int(got.loc[node, r]) for r in counts} == counts, node
    assert nx.number_of_nodes(G) == 300
