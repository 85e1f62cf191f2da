"""产学研 matching on hand-built graphs whose right answer is known, and the back-test on the demo."""

from __future__ import annotations

import pytest

from kg import KnowledgeGraph
from kg.errors import NotFoundError
from kg.queries.matching import (
    evaluate_matching,
    find_gaps,
    match_adopters,
    match_demand,
    match_experts,
    match_partners,
    split_gaps,
)


@pytest.fixture
def small(graph):
    g = graph
    g.upsert_nodes(
        "Region",
        [
            {"id": "210000", "name": "辽宁省"},
            {"id": "211100", "name": "盘锦市"},
            {"id": "211102", "name": "双台子区"},
            {"id": "210200", "name": "大连市"},
            {"id": "110000", "name": "北京市"},
        ],
    )
    g.upsert_nodes(
        "Field",
        [
            {"id": "F01", "name": "新能源与节能", "field_level": 1},
            {"id": "F0101", "name": "储能技术", "field_level": 2},
            {"id": "F0102", "name": "太阳能", "field_level": 2},
            {"id": "F02", "name": "新材料", "field_level": 1},
            {"id": "F0201", "name": "高分子材料", "field_level": 2},
        ],
    )
    g.upsert_edges(
        "SUBFIELD_OF",
        [
            {"from_id": "F0101", "to_id": "F01"},
            {"from_id": "F0102", "to_id": "F01"},
            {"from_id": "F0201", "to_id": "F02"},
        ],
    )
    g.upsert_nodes(
        "Enterprise",
        [
            {"id": "A", "name": "甲储能科技有限公司", "region": "211102", "products": "储能电池"},
            {"id": "B", "name": "乙能源有限公司", "region": "211102"},
            {"id": "C", "name": "丙材料有限公司", "region": "211102"},
        ],
    )
    g.upsert_nodes(
        "University",
        [
            {"id": "U_FIELD", "name": "储能大学", "region": "110000"},
            {"id": "U_NONE", "name": "音乐学院", "region": "110000"},
            {"id": "U_PEER", "name": "同伴大学", "region": "110000"},
            {"id": "U_LONE", "name": "孤立大学", "region": "110000"},
            {"id": "U_NEAR", "name": "盘锦职业技术学院", "region": "211100"},
            {"id": "U_FAR", "name": "远方大学", "region": "110000"},
            {"id": "U_OLD", "name": "老朋友大学", "region": "110000"},
            {"id": "U_TEXT", "name": "材料大学", "region": "110000"},
        ],
    )
    g.upsert_edges(
        "IN_FIELD",
        [{"from_id": x, "to_id": "F0101"} for x in ("A", "U_FIELD", "U_PEER", "U_LONE", "U_OLD")]
        + [
            {"from_id": "U_NEAR", "to_id": "F0102"},
            {"from_id": "U_FAR", "to_id": "F0102"},
            {"from_id": "U_TEXT", "to_id": "F0201"},
            {"from_id": "C", "to_id": "F0201"},
        ],
    )
    g.upsert_edges(
        "COOPERATES_WITH",
        [
            {"from_id": "A", "to_id": "U_OLD", "since": 2019},
            {"from_id": "B", "to_id": "U_OLD", "since": 2020},
            {"from_id": "B", "to_id": "U_PEER", "since": 2021},
        ],
    )
    return g


def ranked(df):
    return df["id"].tolist()


def test_field_overlap_beats_nothing_and_unrelated_candidates_are_left_out(small):
    df = match_partners(small, "A", kinds=("University",))
    assert "U_NONE" not in ranked(df)
    assert ranked(df).index("U_FIELD") < ranked(df).index("U_NEAR")  # exact sub-field beats the parent field
    row = df.set_index("id").loc["U_FIELD"]
    assert row["field"] > 0 and row["shared_fields"] == ["储能技术"]
    assert "同属储能技术领域" in row["why_zh"] and "same field: 储能技术" in row["why_en"]


def test_shared_partners_lift_a_candidate(small):
    df = match_partners(small, "A")
    order = ranked(df)
    assert order.index("U_PEER") < order.index("U_LONE")  # same field; a peer firm (B) also works with U_PEER
    assert df.set_index("id").loc["U_PEER", "peers"] == 1
    assert "1家同伴企业与其合作" in df.set_index("id").loc["U_PEER", "why_zh"]


def test_existing_partner_is_excluded_or_flagged(small):
    assert "U_OLD" not in ranked(match_partners(small, "A"))
    flagged = match_partners(small, "A", exclude_existing=False).set_index("id")
    assert bool(flagged.loc["U_OLD", "existing"]) and flagged.loc["U_OLD", "since"] == 2019
    assert flagged.loc["U_OLD", "why_zh"].startswith("已有合作（2019年起）")


def test_geography_breaks_ties(small):
    df = match_partners(small, "A").set_index("id")
    assert df.loc["U_NEAR", "geography"] == 0.6 and df.loc["U_FAR", "geography"] == 0
    assert df.loc["U_NEAR", "score"] > df.loc["U_FAR", "score"]
    assert "同在本市" in df.loc["U_NEAR", "why_zh"]


def test_chinese_text_and_academician_evidence(small):
    g = small
    g.upsert_nodes("TechDemand", [{"id": "D1", "name": "高分子阻燃材料技术难题", "keywords": ["阻燃", "高分子"]}])
    g.upsert_edges("POSTED", [{"from_id": "C", "to_id": "D1"}])
    g.upsert_nodes("Achievement", [{"id": "ACH1", "name": "无卤阻燃高分子材料制备", "keywords": ["阻燃", "高分子"]}])
    g.upsert_edges("OWNS", [{"from_id": "U_TEXT", "to_id": "ACH1"}])
    g.upsert_nodes("AcademicianWorkstation", [{"id": "W1", "name": "丙材料院士工作站", "region": "211102"}])
    g.upsert_edges("HOSTS", [{"from_id": "C", "to_id": "W1"}])
    g.upsert_nodes("Person", [{"id": "P1", "name": "张院士", "roles": ["cae_academician"], "expertise": "阻燃材料"}])
    g.upsert_edges("AFFILIATED_WITH", [{"from_id": "P1", "to_id": "U_FAR"}])
    g.upsert_edges("STATIONED_AT", [{"from_id": "P1", "to_id": "W1"}])
    df = match_partners(g, "丙材料有限公司").set_index("id")
    assert "阻燃" in df.loc["U_TEXT", "keywords"] and "成果/专长匹配：" in df.loc["U_TEXT", "why_zh"]
    assert df.loc["U_FAR", "academicians"] == ["张院士"]
    assert "院士张院士在该高校任职" in df.loc["U_FAR", "why_zh"]
    answers = match_demand(g, "D1")
    assert answers[answers["kind"] == "achievement"]["id"].tolist()[0] == "ACH1"
    experts = match_experts(g, "C")
    assert experts["id"].tolist()[0] == "P1" and bool(experts["academician"][0])
    assert experts["stationed_at"][0] == "丙材料院士工作站" and bool(experts["stationed_in_region"][0])
    gaps = find_gaps(g, "盘锦市", ["empty_workstations"])
    assert gaps.empty and gaps.attrs["kinds"] == ["empty_workstations"]  # W1 has its academician
    assert split_gaps(gaps)["empty_workstations"].empty


def test_unknown_firm_gives_a_clear_error_with_close_names(small):
    with pytest.raises(
        NotFoundError, match="no Enterprise with id, name or alias '甲储能科技公司'; close names: 甲储能科技有限公司"
    ):
        match_partners(small, "甲储能科技公司")


@pytest.fixture(scope="module")
def demo():
    from kg.demo import build_demo

    g = KnowledgeGraph.open(":memory:")
    build_demo(g, seed=7, scale=0.25)
    yield g
    g.close()


def test_backtest_beats_random_and_field_only_on_the_demo(demo):
    table = evaluate_matching(
        demo, until=2022, methods=("learned", "hand weights", "field-only", "random"), tail=50, boot=200
    )
    table = table[(table["view"] == "all") & (table["group"] == "all firms")].set_index("method")
    assert table.loc["learned", "firms"] == table.loc["random", "firms"] > 150
    for m in ("learned", "hand weights"):
        assert table.loc[m, "hit@10"] > 2 * table.loc["random", "hit@10"]
        assert table.loc[m, "hit@10"] > table.loc["field-only", "hit@10"]
        assert table.loc[m, "hit@5_lo"] > table.loc["random", "hit@5_hi"]


def test_demo_firm_match_demand_adopters_and_gaps(demo):
    firm = demo.query("MATCH (e:Enterprise)-[:POSTED]->(:TechDemand) RETURN e.id AS id ORDER BY id LIMIT 1").iloc[0, 0]
    df = match_partners(demo, firm, top=10)
    assert len(df) == 10 and df["why_zh"].str.len().min() > 4 and (df["score"] <= 1.0 + 1e-9).all()
    demand = demo.query("MATCH (d:TechDemand) RETURN d.id AS id ORDER BY id LIMIT 1").iloc[0, 0]
    answers = match_demand(demo, demand)
    assert {"achievement", "expert", "institution"} <= set(answers["kind"])
    free = match_demand(demo, "石油化工装备换热器腐蚀问题")
    assert free["keywords"].map(len).max() > 0
    ach = demo.query("MATCH (a:Achievement)-[:IN_FIELD]->() RETURN a.id AS id ORDER BY id LIMIT 1").iloc[0, 0]
    assert len(match_adopters(demo, ach, top=5)) == 5
    found = find_gaps(demo, "盘锦市")
    assert list(found.columns[:1]) == ["kind"] and set(found["kind"]) <= set(found.attrs["kinds"])
    gaps = split_gaps(found)
    assert sum(map(len, gaps.values())) == len(found)
    short = gaps["field_shortfall"]
    assert short["demands"].dtype.kind == "i" and list(short.columns) == list(found.attrs["columns"]["field_shortfall"])
    assert len(short) > 0 and (short["demands"] > short["supply"]).all()
    assert len(gaps["no_academic_partner"]) > 0
    lonely = gaps["no_academic_partner"]["id"].iloc[0]
    assert (
        demo.query("MATCH (e:Enterprise {id: $id})-[:COOPERATES_WITH]->() RETURN count(*) AS n", id=lonely).iloc[0, 0]
        == 0
    )


def test_cli_match_gaps_and_evaluate(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli import app
    from kg.demo import build_demo

    db = tmp_path / "demo.kg"
    with KnowledgeGraph.open(db) as g:
        build_demo(g, seed=7, scale=0.1)
        firm = g.query("MATCH (e:Enterprise)-[:COOPERATES_WITH]->() RETURN e.name AS n ORDER BY e.id LIMIT 1").iloc[
            0, 0
        ]
    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.setenv("KG_LANG", "zh")  # Chinese headers (推荐理由 = why_zh, 网络关系 = network)
    run = CliRunner().invoke
    out = run(app, ["--db", str(db), "match", "partners", firm, "--top", "3"])
    assert out.exit_code == 0, out.output
    assert "ranked by hand weights (weights.yaml)" in out.output
    assert "同属" in out.output and "推荐理由" in out.output and "网络关系" in out.output
    js = run(app, ["--db", str(db), "--json", "match", "partners", firm, "--top", "3", "--include-existing"])
    import json

    rows = json.loads(js.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3] and all(r["why_en"] for r in rows)
    bad = run(app, ["--db", str(db), "match", "partners", firm[:-2] + "XX"])
    assert bad.exit_code != 0 and isinstance(bad.exception, NotFoundError) and "close names" in str(bad.exception)
    table = run(
        app,
        [
            "--db",
            str(db),
            "--json",
            "evaluate",
            "matching",
            "--until",
            "2022",
            "--to",
            "2024",
            "--sample",
            "30",
            "--tail",
            "20",
        ],
    )
    assert table.exit_code == 0, table.output
    rows = json.loads(table.stdout)
    from kg.queries.matching.backtest import METHODS

    assert {r["method"] for r in rows} == set(METHODS)
    assert all(r["firms"] == 30 for r in rows if r["view"] == "all" and r["group"] == "all firms")
    assert all(r["hit@10_lo"] <= r["hit@10"] <= r["hit@10_hi"] for r in rows if r["firms"])
    trained = run(app, ["--db", str(db), "train", "matching", "--until", "2023"])
    assert trained.exit_code == 0, trained.output
    assert (tmp_path / "demo.kg.matching-model.pkl").is_file() and "features up to 2021" in trained.output
    learned = run(app, ["--db", str(db), "match", "partners", firm, "--top", "3"])
    assert learned.exit_code == 0 and "ranked by learned (HistGradientBoostingClassifier" in learned.output
    hand = run(app, ["--db", str(db), "match", "partners", firm, "--top", "3", "--hand-weights"])
    assert "ranked by hand weights" in hand.output
    gaps = run(app, ["--db", str(db), "--json", "gaps", "no_academic_partner", "empty_workstations"])
    assert set(json.loads(gaps.stdout)) == {"no_academic_partner", "empty_workstations"}
    county = run(app, ["--db", str(db), "--json", "match", "region", "双台子区", "--top", "2"])
    assert county.exit_code == 0 and len(json.loads(county.stdout)) > 0


def test_demo_arts_schools_have_no_technology_field_and_are_not_recommended_to_battery_firms(demo):
    from kg.demo.universities import TYPE_FIELDS, university_types

    arts = [n for n, t in university_types().items() if t in TYPE_FIELDS and not TYPE_FIELDS[t]]
    found = demo.query(
        "MATCH (u:University) WHERE u.name IN $names OPTIONAL MATCH (u)-[:IN_FIELD]->(f:Field) "
        "RETURN u.name AS name, count(f) AS fields",
        names=arts,
    )
    assert {"中央音乐学院", "中央美术学院"} <= set(found["name"]) and (found["fields"] == 0).all()
    firms = demo.query(
        "MATCH (e:Enterprise)-[:IN_FIELD]->(:Field {id: 'F0603'}) RETURN e.id AS id ORDER BY id LIMIT 15"
    )
    assert len(firms) >= 3
    for firm in firms["id"]:
        top = match_partners(demo, firm, top=10)
        assert not set(top["name"]) & set(arts), firm
