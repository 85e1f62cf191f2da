"""One suite for every backend: the embedded store always, Neo4j whenever NEO4J_URI is set (`make test-neo4j`).

Without NEO4J_URI the Neo4j cases show as SKIPPED in the summary with the command that runs them.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

from kg import KnowledgeGraph
from kg.backends.neo4j_backend import Neo4jBackend, safe_uri, to_plain
from kg.errors import BackendError

NEO4J = os.environ.get("NEO4J_URI")
HOW = ("NEO4J_URI not set: start a server (`docker run -p7687:7687 -e NEO4J_AUTH=neo4j/password neo4j:5`), then "
       "`NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=password make test-neo4j`")


@pytest.fixture(params=["ladybug", pytest.param("neo4j", marks=pytest.mark.skipif(not NEO4J, reason=HOW))])
def store(request):
    if request.param == "ladybug":
        g = KnowledgeGraph.open(":memory:")
    else:
        g = KnowledgeGraph.open(NEO4J)
        g.query("MATCH (n) DETACH DELETE n")  # the suite needs an empty database; use a scratch one
    yield g
    g.close()


def test_round_trip_with_chinese_text_lists_and_dates(store):
    store.upsert_nodes("Enterprise", [{"id": "E1", "name": "盘锦（辽河）化工有限公司", "aliases": ["辽河化工"],
                                       "founded": dt.date(2015, 3, 1), "employees": 120}])
    store.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
    store.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2021, "cooperation_kind": "委托研发"}])
    row = store.query("MATCH (e:Enterprise {id: $id})-[c:COOPERATES_WITH]->(u:University) "
                      "RETURN e.name AS name, e.aliases AS aliases, e.founded AS founded, c.since AS since, u.name AS u",
                      id="E1").iloc[0]
    assert row["name"] == "盘锦（辽河）化工有限公司" and list(row["aliases"]) == ["辽河化工"]
    assert str(row["founded"])[:10] == "2015-03-01" and row["since"] == 2021 and row["u"] == "大连理工大学"
    assert store.count("COOPERATES_WITH") == 1


def test_upserts_are_idempotent_and_blank_never_erases(store):
    for _ in range(2):
        store.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}])
    store.upsert_nodes("Region", [{"id": "211100", "name": None, "aliases": ["盘锦"]}])
    df = store.query("MATCH (r:Region) RETURN r.name AS name, r.aliases AS a")
    assert len(df) == 1 and df["name"][0] == "盘锦市" and list(df["a"][0]) == ["盘锦"]


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.upsert_nodes("Field", [{"id": "F01", "name": "电子信息"}])
            raise RuntimeError("stop half-way")
    assert store.count("Field") == 0


def test_named_queries_return_the_same_frames(store):
    store.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(3)])
    store.upsert_nodes("University", [{"id": "U1", "name": "大学甲"}, {"id": "U2", "name": "大学乙"}])
    store.upsert_edges("COOPERATES_WITH", [{"from_id": "E0", "to_id": "U1"}, {"from_id": "E1", "to_id": "U1"},
                                           {"from_id": "E2", "to_id": "U2"}])
    df = store.run_named("top_cooperating_universities", k=5)
    assert df.values.tolist() == [["U1", "大学甲", 2], ["U2", "大学乙", 1]]


def test_neo4j_credentials_never_show_and_connect_errors_are_clear():
    secret = f"pw-{uuid.uuid4().hex}"
    with pytest.raises(BackendError) as err:
        KnowledgeGraph.open(f"bolt://alice:{secret}@127.0.0.1:1")
    text = str(err.value)
    assert "cannot connect to Neo4j at bolt://127.0.0.1:1" in text and secret not in text and "alice" not in text
    with pytest.raises(BackendError) as err:
        Neo4jBackend("neo4j://127.0.0.1:1", user="bob", password=secret)
    assert secret not in str(err.value) and secret not in repr(err.value)
    assert safe_uri(f"neo4j+s://bob:{secret}@db.example.org:7687/x") == "neo4j+s://db.example.org:7687/x"


def test_driver_values_become_plain_python():
    import neo4j.time

    assert to_plain({"d": neo4j.time.Date(2024, 5, 6), "xs": [neo4j.time.Date(2020, 1, 1)]}) == {
        "d": dt.date(2024, 5, 6), "xs": [dt.date(2020, 1, 1)]}
