"""KnowledgeGraph on the real embedded engine: upserts, idempotence, bulk vs incremental, errors."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.errors import BackendError, NotFoundError, RowError, SchemaError

FIRMS = [
    {
        "id": "91211100MA0QC1XY2K",
        "name": "盘锦辽河新材料科技有限公司",
        "aliases": ["辽河新材料"],
        "employees": "230",
        "founded": "2015-06-01",
        "scale": "规上",
        "listed": "否",
        "revenue": 12500.5,
    },
    {"id": "91211100MA0QC2AB3L", "name": "大洼区智能装备有限公司", "employees": 45, "founded": 42000},
]
UNIS = [{"id": "4121010140", "name": "辽宁大学", "school_level": "本科"}]


def test_upsert_and_read_back_chinese_text_with_typed_values(graph):
    assert graph.upsert_nodes("Enterprise", FIRMS) == 2
    df = graph.query(
        "MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name, e.employees AS n, e.founded AS f, "
        "e.scale AS scale, e.listed AS listed, e.aliases AS aliases ORDER BY id"
    )
    first = df.iloc[0]
    assert first["name"] == "盘锦辽河新材料科技有限公司"
    assert first["n"] == 230 and first["scale"] == "above_designated_size" and not first["listed"]
    assert pd.Timestamp(first["f"]).date() == dt.date(2015, 6, 1)
    assert list(first["aliases"]) == ["辽河新材料"]
    # Excel serial 42000 is 2014-12-27
    assert pd.Timestamp(df.iloc[1]["f"]).date() == dt.date(2014, 12, 27)


def test_upsert_is_idempotent_and_updates_without_erasing(graph):
    graph.upsert_nodes("Enterprise", FIRMS)
    graph.upsert_nodes("Enterprise", FIRMS)
    assert graph.count("Enterprise") == 2
    graph.upsert_nodes("Enterprise", [{"id": FIRMS[0]["id"], "employees": 260}])
    row = graph.query("MATCH (e:Enterprise {id: $id}) RETURN e.employees AS n, e.name AS name", id=FIRMS[0]["id"])
    assert row["n"][0] == 260 and row["name"][0] == FIRMS[0]["name"]


def test_edges_merge_once_per_pair_and_update_properties(graph):
    graph.upsert_nodes("Enterprise", FIRMS)
    graph.upsert_nodes("University", UNIS)
    rows = [{"from_id": FIRMS[0]["id"], "to_id": "4121010140", "since": "2019", "cooperation_kind": "联合攻关"}]
    assert graph.upsert_edges("COOPERATES_WITH", rows) == 1
    graph.upsert_edges("COOPERATES_WITH", rows)
    graph.upsert_edges("COOPERATES_WITH", [{**rows[0], "since": 2020, "until": 2021}])
    graph.upsert_edges("COOPERATES_WITH", [{**rows[0], "since": 2018, "until": 2020}])
    df = graph.query(
        "MATCH ()-[c:COOPERATES_WITH]->() RETURN c.since AS since, c.until AS until, "
        "c.cooperation_kind AS kind, c.occurrences AS n"
    )
    # the earliest since, the latest until, every arrival counted (kg.repeats), never last-row-wins
    assert df.to_dict("records") == [{"since": 2018, "until": 2021, "kind": "joint_rd", "n": 4}]


def test_edge_endpoint_type_is_resolved_or_ambiguity_reported(graph):
    graph.upsert_nodes("Enterprise", FIRMS)
    graph.upsert_nodes("University", UNIS)
    graph.upsert_nodes("ResearchInstitute", [{"id": "4121010140", "name": "同号研究所"}])
    row = {"from_id": FIRMS[0]["id"], "to_id": "4121010140"}
    with pytest.raises(RowError, match="add to_type"):
        graph.upsert_edges("COOPERATES_WITH", [row])
    assert graph.upsert_edges("COOPERATES_WITH", [{**row, "to_type": "高校"}]) == 1
    assert graph.query("MATCH (:Enterprise)-[:COOPERATES_WITH]->(u:University) RETURN count(*) AS n")["n"][0] == 1


def test_missing_endpoint_is_an_error_and_nothing_is_written(graph):
    graph.upsert_nodes("Enterprise", FIRMS)
    graph.upsert_nodes("University", UNIS)
    rows = [{"from_id": FIRMS[0]["id"], "to_id": "4121010140"}, {"from_id": FIRMS[1]["id"], "to_id": "NOPE"}]
    with pytest.raises(
        NotFoundError, match="row 1: COOPERATES_WITH to 'NOPE' is not a known University or ResearchInstitute"
    ):
        graph.upsert_edges("COOPERATES_WITH", rows)
    assert graph.count("COOPERATES_WITH") == 0


def test_unknown_property_and_bad_value_name_row_and_column(graph):
    with pytest.raises(RowError, match=r"row 0: Enterprise has no property 'employes' \(did you mean employees\?\)"):
        graph.upsert_nodes("Enterprise", [{"id": "x", "name": "甲", "employes": 3}])
    with pytest.raises(RowError, match=r"row 1: employees \(职工人数\): 'many' is not a whole number") as info:
        graph.upsert_nodes("Enterprise", [{"id": "x", "name": "甲"}, {"id": "y", "name": "乙", "employees": "many"}])
    assert info.value.column == "employees" and info.value.row == 1
    with pytest.raises(SchemaError, match="unknown node type 'Firm'"):
        graph.upsert_nodes("Firm", [{"id": "x"}])
    assert graph.count("Enterprise") == 0


def test_cypher_looking_values_are_plain_text(graph):
    evil = "x'}) DETACH DELETE n //"
    graph.upsert_nodes("Enterprise", FIRMS + [{"id": "E-evil", "name": evil}])
    assert graph.query("MATCH (e:Enterprise {id: 'E-evil'}) RETURN e.name AS n")["n"][0] == evil
    assert graph.count("Enterprise") == 3


def test_bulk_and_incremental_paths_give_the_same_graph():
    rows = [
        {
            "id": f"E{i:04d}",
            "name": f"企业{i}",
            "employees": i,
            "aliases": [f"别名{i}"] if i % 2 else None,
            "listed": i % 3 == 0,
            "founded": dt.date(2000 + i % 20, 1, 1),
        }
        for i in range(300)
    ]
    unis = [{"id": f"U{i}", "name": f"大学{i}"} for i in range(10)]
    coop = [{"from_id": f"E{i:04d}", "to_id": f"U{i % 10}", "since": 2000 + i % 23} for i in range(300)]

    def snapshot(g):
        n = g.query(
            "MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name, e.employees AS n, e.aliases AS a, "
            "e.listed AS l, e.founded AS f ORDER BY id"
        )
        e = g.query(
            "MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u:University) RETURN e.id AS a, u.id AS b, "
            "c.since AS s ORDER BY a, b"
        )
        return n.astype(str).values.tolist(), e.values.tolist()

    with KnowledgeGraph.open(":memory:") as bulk, KnowledgeGraph.open(":memory:") as incremental:
        bulk.upsert_nodes("Enterprise", rows)  # empty table: COPY path
        bulk.upsert_nodes("University", unis)
        bulk.upsert_edges("COOPERATES_WITH", coop)
        incremental.upsert_nodes("Enterprise", rows[:1])  # seeds the table, then MERGE path
        incremental.upsert_nodes("Enterprise", rows[1:], batch_size=64)
        incremental.upsert_nodes("University", unis)
        incremental.upsert_edges("COOPERATES_WITH", coop[:1])
        incremental.upsert_edges("COOPERATES_WITH", coop[1:], batch_size=50)
        assert snapshot(bulk) == snapshot(incremental)
        assert bulk.count("COOPERATES_WITH") == 300


def test_transaction_rolls_back_everything(graph):
    with pytest.raises(NotFoundError), graph.transaction():
        graph.upsert_nodes("Enterprise", FIRMS)
        graph.upsert_edges("COOPERATES_WITH", [{"from_id": FIRMS[0]["id"], "to_id": "missing"}])
    assert graph.count("Enterprise") == 0


def test_on_disk_store_persists_and_reopens(db_path):
    with KnowledgeGraph.open(db_path) as g:
        g.upsert_nodes("University", UNIS)
    with KnowledgeGraph.open(db_path) as g:
        assert g.count("University") == 1
        assert g.counts().set_index("type").loc["University", "count"] == 1


def test_bad_cypher_is_a_backend_error_with_the_query(graph):
    with pytest.raises(BackendError, match="in query: MATCH \\(n:Nope\\)"):
        graph.query("MATCH (n:Nope) RETURN n")


def test_run_named_checks_parameters(graph):
    with pytest.raises(SchemaError, match="needs parameter\\(s\\) \\$k"):
        graph.run_named("top_cooperating_universities")
    with pytest.raises(SchemaError, match="has no parameter\\(s\\) \\$kk"):
        graph.run_named("top_cooperating_universities", k=3, kk=1)
    with pytest.raises(Exception, match="did you mean top_cooperating_universities"):
        graph.run_named("top_cooperating_university", k=3)


def test_find_and_resolve_by_id_name_alias(graph):
    graph.upsert_nodes("Enterprise", FIRMS)
    assert graph.resolve("辽河新材料") == ("Enterprise", FIRMS[0]["id"])
    assert graph.resolve(FIRMS[1]["id"], ["Enterprise"]) == ("Enterprise", FIRMS[1]["id"])
    with pytest.raises(NotFoundError, match="close names: 盘锦辽河新材料科技有限公司"):
        graph.resolve("盘锦辽河化工", ["Enterprise"])


def test_to_networkx_typed_attributes(graph):
    graph.upsert_nodes("Enterprise", FIRMS)
    graph.upsert_nodes("University", UNIS)
    graph.upsert_edges("COOPERATES_WITH", [{"from_id": FIRMS[0]["id"], "to_id": "4121010140", "since": 2021}])
    G = graph.to_networkx(node_types=["Enterprise", "University"])
    assert G.number_of_nodes() == 3 and G.number_of_edges() == 1
    u, v, data = next(iter(G.edges(data=True)))
    assert data == {"type": "COOPERATES_WITH", "since": 2021}
    assert G.nodes[u]["label"] == "Enterprise" and G.nodes[v]["name"] == "辽宁大学"
    assert G.nodes[u]["employees"] == 230
