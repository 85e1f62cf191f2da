"""One suite for every backend: the embedded store always, Neo4j whenever NEO4J_URI is set (`make test-neo4j`).

Without NEO4J_URI the Neo4j cases show as SKIPPED in the summary, with the command that runs them.  With it,
they carry the ``neo4j`` marker: ``make test`` (``-m 'not neo4j'``) never touches a server, ``make test-neo4j``
runs them.  The Neo4j cases EMPTY the database they are given: point NEO4J_URI at a scratch server.

The second half checks what can be checked without a server: URI handling, credential hiding, the connect
error, value conversion to the embedded engine's DataFrames, and every Neo4j-only statement (through Neo4j's
own linter, and on the embedded engine where the text is shared openCypher).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import uuid

import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.backends import SERVER_SCHEMES, open_backend
from kg.backends.neo4j_backend import Neo4jBackend, records_frame, safe_uri, split_uri, to_plain
from kg.copy import copy_graph
from kg.cypher import create_edges, create_nodes, gds_community, is_read_only
from kg.errors import BackendError, KGError
from kg.queries.analytics.gds import GDS_CENTRALITY, GDS_COMMUNITIES, centrality_statement, gds_available
from kg.schema import load_schema
from kg.schema.ddl import neo4j_constraints

NEO4J = os.environ.get("NEO4J_URI")
HOW = (
    "NEO4J_URI not set: run `docker run -p7687:7687 -e NEO4J_AUTH=neo4j/password neo4j:5` then "
    "`NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=password make test-neo4j`"
)
ON_NEO4J = [pytest.mark.neo4j] if NEO4J else [pytest.mark.skipif(True, reason=HOW)]
UNREACHABLE = "bolt://127.0.0.1:1"


@pytest.fixture(params=["ladybug", pytest.param("neo4j", marks=ON_NEO4J)])
def store(request):
    if request.param == "ladybug":
        g = KnowledgeGraph.open(":memory:")
    else:
        g = KnowledgeGraph.open(NEO4J)
        g.query("MATCH (n) DETACH DELETE n")  # the suite needs an empty database: use a scratch server
    yield g
    g.close()


# ------------------------------------------------------------ every backend
def test_round_trip_with_chinese_text_lists_and_dates(store):
    store.upsert_nodes(
        "Enterprise",
        [
            {
                "id": "E1",
                "name": "盘锦（辽河）化工有限公司",
                "aliases": ["辽河化工"],
                "founded": dt.date(2015, 3, 1),
                "employees": 120,
            }
        ],
    )
    store.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
    store.upsert_edges(
        "COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2021, "cooperation_kind": "委托研发"}]
    )
    df = store.query(
        "MATCH (e:Enterprise {id: $id})-[c:COOPERATES_WITH]->(u:University) "
        "RETURN e.name AS name, e.aliases AS aliases, e.founded AS founded, c.since AS since, u.name AS u",
        id="E1",
    )
    row = df.iloc[0]
    assert row["name"] == "盘锦（辽河）化工有限公司" and list(row["aliases"]) == ["辽河化工"]
    assert str(df["founded"].dtype) == "datetime64[us]" and row["founded"] == pd.Timestamp("2015-03-01")
    assert row["since"] == 2021 and row["u"] == "大连理工大学"
    assert store.count("COOPERATES_WITH") == 1


def test_upserts_are_idempotent_and_blank_never_erases(store):
    for _ in range(2):  # the first write goes through the bulk path, the second through MERGE
        store.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}])
    store.upsert_nodes("Region", [{"id": "211100", "name": None, "aliases": ["盘锦"]}])
    df = store.query("MATCH (r:Region) RETURN r.name AS name, r.aliases AS a")
    assert len(df) == 1 and df["name"][0] == "盘锦市" and list(df["a"][0]) == ["盘锦"]


def test_bulk_then_merge_edges_keep_one_edge_per_pair(store):
    store.upsert_nodes("Field", [{"id": f"F{i:02d}", "name": f"领域{i}"} for i in range(5)])
    rows = [{"from_id": f"F{i:02d}", "to_id": "F00"} for i in range(1, 5)]
    assert store.upsert_edges("SUBFIELD_OF", rows) == 4  # empty type: bulk path
    assert store.upsert_edges("SUBFIELD_OF", rows[:2]) == 2  # MERGE path
    assert store.count("SUBFIELD_OF") == 4
    df = store.query("MATCH (a:Field)-[:SUBFIELD_OF]->(b:Field {id: $root}) RETURN a.id AS id ORDER BY id", root="F00")
    assert df["id"].tolist() == ["F01", "F02", "F03", "F04"]


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_nodes("Field", [{"id": "F01", "name": "电子信息"}])
        raise RuntimeError("stop half-way")
    assert store.count("Field") == 0


def test_a_bad_statement_is_a_backend_error_naming_the_query(store):
    with pytest.raises(BackendError) as err:
        store.query("MATCH (n:Enterprise RETURN n")
    assert "MATCH (n:Enterprise RETURN n" in str(err.value)


def test_named_queries_return_the_same_frames(store):
    store.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(3)])
    store.upsert_nodes("University", [{"id": "U1", "name": "大学甲"}, {"id": "U2", "name": "大学乙"}])
    store.upsert_edges(
        "COOPERATES_WITH",
        [{"from_id": "E0", "to_id": "U1"}, {"from_id": "E1", "to_id": "U1"}, {"from_id": "E2", "to_id": "U2"}],
    )
    df = store.run_named("top_cooperating_universities", k=5)
    assert df.values.tolist() == [["U1", "大学甲", 2], ["U2", "大学乙", 1]]


def test_every_named_query_runs(store):
    from test_cypher_files import example_params

    for name in store.queries.names():
        query = store.queries.get(name, store.backend.engine)
        store.run_named(name, **example_params(query.text))


def test_copy_there_and_back(store):
    with KnowledgeGraph.open(":memory:") as a, KnowledgeGraph.open(":memory:") as back:
        a.upsert_nodes(
            "Enterprise",
            [
                {
                    "id": f"E{i}",
                    "name": f"企业{i}",
                    "employees": i * 10 or None,
                    "founded": dt.date(2000 + i, 1, 1),
                    "aliases": [f"别名{i}"],
                }
                for i in range(7)
            ],
        )
        a.upsert_nodes("University", [{"id": "U1", "name": "大学甲"}])
        a.upsert_edges("COOPERATES_WITH", [{"from_id": f"E{i}", "to_id": "U1", "since": 2010 + i} for i in range(7)])
        there = copy_graph(a, store, batch_size=3)
        home = copy_graph(store, back, batch_size=4)
        q = (
            "MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u:University) RETURN e.id AS id, e.employees AS n, "
            "e.founded AS f, e.aliases AS al, c.since AS s ORDER BY id"
        )
        pd.testing.assert_frame_equal(a.query(q), back.query(q))
        pd.testing.assert_frame_equal(a.query(q), store.query(q))
        assert there == home and there["Enterprise"] == 7 and there["COOPERATES_WITH"] == 7


@pytest.mark.parametrize("flavour", [pytest.param("neo4j", marks=ON_NEO4J)])
def test_neo4j_big_loads_commit_checkpoints(flavour):
    with KnowledgeGraph.open(NEO4J, max_tx_rows=4, batch_size=2) as g:
        g.query("MATCH (n) DETACH DELETE n")
        with g.transaction():
            g.upsert_nodes("Field", [{"id": f"F{i:02d}", "name": f"领域{i}"} for i in range(10)])
        assert g.count("Field") == 10 and g.backend.checkpoints >= 2
        assert g.backend.ensure_schema(g.schema) == []  # constraints exist: nothing applied twice
        assert gds_available(g) in (True, False)


# ------------------------------------------------------- offline, no server
def test_every_server_scheme_opens_the_neo4j_backend_with_a_clear_error():
    for scheme in SERVER_SCHEMES:
        with pytest.raises(BackendError, match="cannot connect to Neo4j at"):
            open_backend(UNREACHABLE.replace("bolt://", scheme), connection_timeout=2.0)


def test_neo4j_credentials_never_show_in_errors_repr_or_logs(caplog):
    secret = f"pw-{uuid.uuid4().hex}"
    caplog.set_level(logging.DEBUG)  # the driver's own debug log included
    with pytest.raises(BackendError) as err:
        KnowledgeGraph.open(f"bolt://alice:{secret}@127.0.0.1:1")
    text = str(err.value)
    assert text.startswith("cannot connect to Neo4j at bolt://127.0.0.1:1: ServiceUnavailable")
    assert secret not in text and "alice" not in text and secret not in repr(err.value)
    with pytest.raises(BackendError) as err:
        Neo4jBackend(UNREACHABLE, user="bob", password=secret)
    assert secret not in str(err.value) and secret not in repr(err.value)
    lazy = Neo4jBackend(f"neo4j://bob:{secret}@127.0.0.1:1/innovation", verify=False, max_transaction_retry_time=0.2)
    try:
        with pytest.raises(BackendError) as err:
            lazy.execute("MATCH (n:Field) RETURN n.id AS id")
        shown = " ".join([repr(lazy), lazy.describe(), str(err.value), repr(KnowledgeGraph.__repr__)])
        assert lazy.describe() == "neo4j:neo4j://127.0.0.1:1/innovation" and lazy.database == "innovation"
        assert secret not in shown and "bob" not in shown and "127.0.0.1:1" in str(err.value)
    finally:
        lazy.close()
    assert caplog.records and secret not in caplog.text


def test_password_from_environment_stays_hidden(monkeypatch):
    secret = f"env-{uuid.uuid4().hex}"
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    monkeypatch.setenv("NEO4J_DATABASE", "team")
    b = Neo4jBackend(UNREACHABLE, verify=False)
    try:
        assert b.database == "team" and secret not in repr(b) and secret not in repr(vars(b).get("uri"))
    finally:
        b.close()


def test_read_only_refuses_writes_before_touching_the_network():
    b = Neo4jBackend(UNREACHABLE, verify=False, read_only=True)
    try:
        with pytest.raises(BackendError, match="read-only"):
            b.execute(create_nodes("Field", ["id", "name"]), {"rows": []})
    finally:
        b.close()


def test_uri_helpers_and_read_routing():
    assert safe_uri("neo4j+s://bob:x@db.example.org:7687/x") == "neo4j+s://db.example.org:7687/x"
    assert split_uri("bolt+s://u:p@h:7687/db?x=1") == ("bolt+s://h:7687?x=1", "db")
    assert is_read_only("MATCH (n:Enterprise) WHERE n.name = 'CREATE' RETURN n.id AS id // SET")
    assert not is_read_only("UNWIND $rows AS r MERGE (n:Field {id: r.id})")
    assert not is_read_only("CALL gds.graph.drop($graph, false)")
    assert is_read_only("SHOW CONSTRAINTS YIELD name RETURN name")


def test_driver_values_become_plain_python():
    import neo4j.time
    from neo4j.graph import Graph, Node, Relationship

    assert to_plain({"d": neo4j.time.Date(2024, 5, 6), "xs": [neo4j.time.Date(2020, 1, 1)]}) == {
        "d": dt.date(2024, 5, 6),
        "xs": [dt.date(2020, 1, 1)],
    }
    assert to_plain(neo4j.time.DateTime(2024, 5, 6, 7, 8, 9)) == dt.datetime(2024, 5, 6, 7, 8, 9)
    g = Graph()
    a = Node(g, "4:x:1", 1, ["Enterprise"], {"id": "E1", "name": "甲"})
    b = Node(g, "4:x:2", 2, ["University"], {"id": "U1"})
    r = Relationship(g, "5:x:3", 3, {"since": 2020})
    r._start_node, r._end_node = a, b
    assert to_plain(a) == {"_ID": "4:x:1", "_LABEL": "Enterprise", "id": "E1", "name": "甲"}
    plain = to_plain(r)
    assert plain["_SRC"] == "4:x:1" and plain["_DST"] == "4:x:2" and plain["since"] == 2020


def test_neo4j_rows_make_the_embedded_engines_frame(graph):
    """The same query's rows, as the Neo4j driver hands them over, give the embedded engine's DataFrame."""
    import neo4j.time

    graph.upsert_nodes(
        "Enterprise",
        [
            {
                "id": "E1",
                "name": "甲",
                "founded": dt.date(2015, 3, 1),
                "employees": 3,
                "aliases": ["x"],
                "revenue": 1.5,
            },
            {"id": "E2", "name": "乙"},
        ],
    )
    q = (
        "MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name, e.founded AS f, e.employees AS n, "
        "e.revenue AS r, count(*) AS c ORDER BY id"
    )
    embedded = graph.query(q)
    driver_rows = [["E1", "甲", neo4j.time.Date(2015, 3, 1), 3, 1.5, 1], ["E2", "乙", None, None, None, 1]]
    pd.testing.assert_frame_equal(records_frame(list(embedded.columns), driver_rows), embedded)


def test_bulk_statements_run_on_the_embedded_engine_too(graph):
    """The Neo4j bulk statements are plain openCypher: check their effect on the embedded engine."""
    graph.backend.execute(
        create_nodes("Field", ["id", "name"]),
        {"rows": [{"id": "F1", "name": "新材料"}, {"id": "F2", "name": "高分子"}]},
    )
    graph.backend.execute(
        create_edges("SUBFIELD_OF", "Field", "Field", []), {"rows": [{"from_id": "F2", "to_id": "F1"}]}
    )
    assert graph.query("MATCH (a:Field)-[:SUBFIELD_OF]->(b:Field) RETURN a.name AS a, b.name AS b").values.tolist() == [
        ["高分子", "新材料"]
    ]


def test_constraints_file_matches_the_schema():
    from pathlib import Path

    from kg.schema.ddl import __file__ as ddl_file

    path = Path(ddl_file).parent / "generated" / "neo4j_constraints.cypher"
    lines = [ln.rstrip(";") for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("//")]
    assert lines == neo4j_constraints(load_schema())
    assert all(re.search(r"IF NOT EXISTS", ln) for ln in lines)


def test_neo4j_only_statements_pass_the_neo4j_linter():
    from cypher_lint import lint, linter_missing

    reason = linter_missing()
    if reason:
        pytest.skip(reason)
    s = load_schema()
    texts = [
        create_nodes("Enterprise", ["id", "name", "founded", "aliases"]),
        create_edges("COOPERATES_WITH", "Enterprise", "University", ["since"]),
        *neo4j_constraints(s)[:4],
        *(centrality_statement(m) for m in GDS_CENTRALITY),
        *(gds_community(p, modularity=m) for p in GDS_COMMUNITIES.values() for m in (False, True)),
    ]
    params = {"rows": [], "graph": "g"}
    results = lint([{"name": str(i), "text": t, "parameters": params} for i, t in enumerate(texts)])
    errors = [(texts[int(r["name"])], d) for r in results for d in r["diagnostics"] if d["severity"] == 1]
    assert not errors, errors


# ------------------------------------------------- Graph Data Science engine
def _two_firms_one_university(g):
    g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲"}, {"id": "E2", "name": "乙"}])
    g.upsert_nodes("University", [{"id": "U1", "name": "大学"}])
    g.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1"}, {"from_id": "E2", "to_id": "U1"}])


def test_gds_engine_names_the_measure_it_cannot_compute(graph):
    from kg.queries.analytics import centrality

    _two_firms_one_university(graph)
    with pytest.raises(KGError, match="measure 'kcore' has no Graph Data Science procedure"):
        centrality(graph, "pagerank,kcore", engine="gds")
    with pytest.raises(KGError, match="Graph Data Science is not available on this store"):
        centrality(graph, "pagerank,degree", engine="gds")
    assert not gds_available(graph)


def test_analytics_reach_gds_through_the_engine_registry_not_the_backend():
    import subprocess
    import sys

    code = (
        "import sys, kg.queries.analytics as A; from kg.queries.analytics.engines import GRAPH_ENGINES; "
        "print('kg.backends.neo4j_backend' in sys.modules, sorted(GRAPH_ENGINES))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "['gds']"]


@pytest.mark.parametrize("flavour", [pytest.param("neo4j", marks=ON_NEO4J)])
def test_gds_engine_computes_every_requested_measure(flavour):
    from kg.queries.analytics import centrality

    with KnowledgeGraph.open(NEO4J) as g:
        g.query("MATCH (n) DETACH DELETE n")
        _two_firms_one_university(g)
        if not gds_available(g):
            pytest.skip("the Neo4j server has no Graph Data Science plugin")
        df = centrality(g, "degree,pagerank", engine="gds")
        assert list(df.columns) == ["id", "name", "type", "region", "region_name", "degree", "pagerank"]
        assert df["id"].iloc[0] == "U1" and df["degree"].tolist() == [2.0, 1.0, 1.0]
        assert df["pagerank"].iloc[0] > df["pagerank"].iloc[1] > 0
