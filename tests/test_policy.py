"""Policy target extraction: every pattern on sentences written here, the five seeds against a hand-checked list,
storage in the graph, and the target-vs-actual report on a hand-built graph and on the demo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kg.loaders.policy import extract_targets, read_policy, store_policy
from kg.loaders.policy_text import SimplifiedText, chinese_number, document_title, document_year, period_of
from kg.queries.targets import indicator_table, target_report

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
PLAN = Path(__file__).parents[1] / "kg" / "demo" / "data" / "plan_2025.txt"


def one(text: str):
    targets = extract_targets(text, default_year=2025)
    assert len(targets) == 1, [(t.indicator, t.value) for t in targets]
    return targets[0]


@pytest.mark.parametrize(
    "text, key, value, unit",
    [
        ("全年高新技术企业达到450家。", "high_tech_enterprises", 450, "家"),
        ("培植申报科技创新型企业、高新技术企业15家。", "high_tech_enterprises", 15, "家"),
        ("科技型中小企业总数达到一百二十家。", "tech_sme", 120, "家"),
        ("新增科技型中小企业十五家。", "tech_sme_new", 15, "家"),
        ("院士工作站达到两家。", "academician_workstations", 2, "家"),
        ("省级以上工程技术研究中心达到25家。", "engineering_research_centres_provincial_or_above", 25, "家"),
        ("市级企业工程技术研究中心达到7家。", "engineering_research_centres_municipal", 7, "家"),
        ("孵化载体总面积达到10万平方米以上。", "incubator_area", 100_000, "平方米"),
        ("孵化器总面积达到5000平方米。", "incubator_area", 5000, "平方米"),
        ("引进实施产学研合作项目不少于40项。", "industry_university_projects", 40, "项"),
        ("专精特新“小巨人”企业达到20家。", "little_giant", 20, "家"),
        ("全社会研发经费占地区生产总值比重达到2.5%。", "rd_gdp_ratio", 2.5, "%"),
        ("年内征集技术难题40个。", "tech_demands", 40, "个"),
        ("引进高端人才15人以上。", "talents", 15, "人"),
        ("培养科技特派员30名。", "sci_tech_commissioners", 30, "名"),
        ("全年高新技术产业产值达到480亿元。", "output_value", 480, "亿元"),
        ("争取上级科技拨款不少于1800万元。", "superior_funding", 1800, "万元"),
        ("全年授权专利达到2000件。", "patents_granted", 2000, "件"),
    ],
)
def test_single_targets_value_unit_and_indicator(text, key, value, unit):
    t = one(text)
    kind = "flow" if re.search("新增|引进", text) else "target"  # additions are flows
    assert (t.indicator_key, t.value, t.unit, t.kind, t.comparison) == (key, value, unit, kind, "at_least")
    assert t.sentence == text.rstrip("。")
    assert text[t.start_offset : t.end_offset].endswith(
        f"{unit}" if unit != "平方米" or "万" not in text else "万平方米"
    )
    assert t.year == 2025


def test_sub_targets_point_to_their_parent():
    ts = extract_targets(
        "培植建设市以上研发平台10家，其中省级企业工程技术研究中心2家、省级院士工作站1家、市级企业工程技术研究中心7家。"
    )
    assert [(t.value, t.parent) for t in ts] == [(10, None), (2, 0), (1, 0), (7, 0)]
    assert [t.indicator_key for t in ts] == [
        "rd_platforms_city_level_or_above",
        "provincial_engineering_research_centres",
        "provincial_academician_workstations",
        "engineering_research_centres_municipal",
    ]
    ts = extract_targets("专利申请3500件，授权专利2000件，其中发明专利申请1100件。")
    assert [(t.indicator_key, t.value, t.parent) for t in ts] == [
        ("patent_applications", 3500, None),
        ("patents_granted", 2000, None),
        ("invention_patent_applications", 1100, 0),
    ]


def test_stretch_values_ranges_and_comparisons():
    t = one("全社会研发经费总额(R&D)占地区生产总值的比重确保1.9%，力争达到2.0%以上。")
    assert (t.value, t.stretch_value, t.indicator_key, t.comparison) == (1.9, 2.0, "rd_gdp_ratio", "at_least")
    t = one("全县高新技术产业投资90亿元，力争100亿元。")
    assert (t.value, t.stretch_value, t.unit) == (90, 100, "亿元")
    t = one("年内打造1-2家具有国际竞争力、引领产业发展的创新型领军企业。")
    assert (t.indicator, t.value, t.stretch_value, t.indicator_key) == ("创新型领军企业", 1, 2, "innovative_leader")
    t = one("年内力争有2～4家科技型企业进入上市轨道。")
    assert (t.value, t.stretch_value) == (2, 4)
    ts = extract_targets("年内培育进入高新技术领域企业25家，其中认定确保8家，力争10家。")
    assert [(t.value, t.stretch_value, t.parent) for t in ts] == [(25, None, None), (8, 10, 0)]
    assert one("资产负债率控制在60%以下。").comparison == "at_most"
    assert one("县本级财政支出不低于财政一般预算支出的2%。").comparison == "at_least"
    assert one("年内新增孵化面积5万平方米左右。").comparison == "about"


def test_growth_targets_and_status_counts():
    t = one("全社会高新技术产品增加值增速达25%。")
    assert (t.kind, t.value, t.unit, t.indicator_key) == (
        "growth",
        25,
        "%",
        "value_added",
    )  # a growth names its indicator
    t = one("占全部工业投入比重比上年提高2个百分点。")
    assert (t.kind, t.value, t.unit) == ("growth", 2, "个百分点")
    t = one("高新技术产业产值同比增长15%。")
    assert (t.kind, t.value) == ("growth", 15)
    ts = extract_targets("截至目前，已建成省级工程技术研究中心88家。同时，还建成省级科技企业孵化器4家。")
    assert [(t.kind, t.value, t.indicator_key, t.comparison) for t in ts] == [
        ("status", 88, "provincial_engineering_research_centres", "exactly"),
        ("status", 4, "tech_incubators_provincial", "exactly"),
    ]
    t = one("我市现有院士工作站5家。")
    assert (t.kind, t.indicator_key) == ("status", "academician_workstations")
    t = one("累计建成国家级众创空间3个。")
    assert (t.kind, t.indicator_key, t.unit) == ("status", "maker_spaces_national", "个")


def test_additions_pick_the_flow_indicator():
    ts = extract_targets("新增科技孵化器2家，新增面积10万平方米，新增众创空间3家。")
    assert [(t.indicator_key, t.value, t.new) for t in ts] == [
        ("tech_incubators_new", 2, True),
        ("incubator_area_new", 100_000, True),
        ("maker_spaces_new", 3, True),
    ]
    ts = extract_targets("年内建成1家10万平方米以上的省级孵化器。")
    assert [(t.indicator, t.indicator_key, t.value) for t in ts] == [
        ("省级孵化器", "tech_incubators_provincial", 1),
        ("省级孵化器", "incubator_area", 100_000),
    ]


def test_lists_after_the_number_and_lists_of_ratios():
    ts = extract_targets("年内争取引进1个领军型人才、2个创新型人才和3个创业型人才。")
    assert [(t.indicator, t.value, t.unit) for t in ts] == [
        ("领军型人才", 1, "个"),
        ("创新型人才", 2, "个"),
        ("创业型人才", 3, "个"),
    ]
    ts = extract_targets("企业研发经费的投入，要按照高新技术企业销售收入的5%、定报企业3%、一般企业1%以上的要求提取。")
    assert [(t.value, t.indicator_key) for t in ts] == [
        (5, "rd_sales_ratio"),
        (3, "rd_sales_ratio"),
        (1, "rd_sales_ratio"),
    ]
    t = one("行动目标:科技进步贡献率每年以2的速度递增,到2010年,达到65%以上。")
    assert (t.indicator_key, t.value, t.year) == ("sci_tech_progress_contribution", 65, 2010)


def test_things_that_are_not_numbers():
    assert extract_targets("加强与两院院士的联系，建立一个长效机制。") == []
    assert extract_targets("进一步加强与“两院”院士的对接，组建省级院士工作站。") == []
    assert extract_targets("规划建议把创新放在了新时期12项重点任务的首位。") == []
    assert extract_targets("高新技术企业数量居全省第3位。") == []
    assert extract_targets("开展“百家企业高校行”活动。") == []
    assert extract_targets("截至2019年底，全市有6个县(区)财政收入超过10亿元。") == []
    assert extract_targets("其他县(区)财政收入都有望接近或超过10亿元。") == []
    ts = extract_targets("我市近三年研发投入平均增幅达37.46%，高于全省平均增幅(16.57%)。")
    assert [(t.value, t.kind) for t in ts] == [(37.46, "status")]
    assert chinese_number("两") == 2 and chinese_number("一千零五") == 1005 and chinese_number("十五") == 15
    assert chinese_number("一百二十") == 120 and chinese_number("三万五千") == 35_000
    with pytest.raises(ValueError):
        chinese_number("两院")


def test_traditional_characters_keep_offsets_into_the_original():
    text = "全區(qū)科技型中小企業(yè)總數(shù)達(dá)到50家，高新技術(shù)企業(yè)達(dá)到20家。"
    ts = extract_targets(text)
    assert [(t.indicator_key, t.value) for t in ts] == [("tech_sme", 50), ("high_tech_enterprises", 20)]
    assert text[ts[1].start_offset : ts[1].end_offset] == "高新技術(shù)企業(yè)達(dá)到20家"
    assert ts[1].sentence == text.rstrip("。")
    assert SimplifiedText("雙臺子區").text == "双台子区"
    plain = "全區高新技術企業達到20家。"
    t = one(plain)
    assert (t.indicator_key, plain[t.start_offset : t.end_offset]) == (
        "high_tech_enterprises",
        "全區高新技術企業達到20家",
    )


def test_chunk_breaks_of_web_previews_are_joined_with_offsets_kept():
    text = "另外，截至目前我市已建成省级重点实验室2家、省备案新型研发机构3家、省级工程技术研究中心88家、院\n\n7、士工作站5家。"
    ts = extract_targets(text)
    assert [(t.indicator_key, t.value) for t in ts][-1] == ("academician_workstations", 5)
    assert text[ts[-1].start_offset : ts[-1].end_offset] == "院\n\n7、士工作站5家"


def test_document_title_year_and_period():
    assert (
        document_title("收藏 分享(赏)\n\n2023年积极培育创新载体工作计划.docx\n\n上传人:sc")
        == "2023年积极培育创新载体工作计划"
    )
    assert (
        document_title("《雙臺子區行动计划(2018—2020年)》起草说明\n(区经信局)")
        == "雙臺子區行动计划(2018—2020年)起草说明"
    )
    assert document_year("2021区县科技创新工作推进讲话", "在2019年9月16日考察") == 2021
    assert document_year("某意见", "现就做好2012年科技工作提出如下意见") == 2012
    assert period_of("三年行动计划(2018—2020年)") == "2018-2020" and period_of("“十四五”期间") == "十四五"
    x = read_policy(SEEDS / "003_0b974f7732c5c1a1.txt")
    assert (x.year, x.period) == (2020, "2018-2020") and x.title.startswith("双台子区")
    assert {t.period for t in x.targets} == {"2018-2020"}


def test_document_title_year_and_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某县2024年科技工作要点")
    d.add_paragraph("全年专利申请500件，其中发明专利申请120件。")
    path = tmp_path / "plan.docx"
    d.save(path)
    x = read_policy(path)
    assert (x.title, x.year) == ("某县2024年科技工作要点", 2024)
    frame = x.to_frame()
    assert frame[["indicator_key", "value", "year"]].values.tolist() == [
        ["patent_applications", 500.0, 2024],
        ["invention_patent_applications", 120.0, 2024],
    ]
    assert frame["parent"].isna().tolist() == [True, False] and frame["parent"].iloc[1] == 0


def test_gb18030_text_files_are_read(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("某区2025年科技工作要点\n全年高新技术企业达到30家。\n".encode("gb18030"))
    x = read_policy(path)
    assert (x.title, x.year, [(t.indicator_key, t.value) for t in x.targets]) == (
        "某区2025年科技工作要点",
        2025,
        [("high_tech_enterprises", 30)],
    )


def test_indicator_table_is_consistent():
    """Every `new` variant exists, every measurable entry names a shipped query taking exactly its parameters."""
    from kg.named import QueryLibrary

    table, lib = indicator_table(), QueryLibrary()
    for key, entry in table.items():
        assert entry.get("phrases"), key
        assert entry.get("new") is None or entry["new"] in table, key
        if "not_measurable" in entry:
            continue
        taken = lib.parameters(entry["query"])
        assert taken == set(entry.get("params", {})) | {"prefix", "year"} | ({"from"} & taken), key


# ------------------------------------------------------------------ the seeds against the hand-checked list


def _common(a: str, b: str, n: int = 2) -> bool:
    """Whether two phrases share ``n`` consecutive characters."""
    return any(a[i : i + n] in b for i in range(len(a) - n + 1))


def _matches(found, expected: dict) -> bool:
    if abs(float(expected["value"]) - found.value) > 1e-9 or expected["unit"] != found.unit:
        return False
    if expected.get("key"):
        return found.indicator_key == expected["key"]
    return _common(found.indicator, expected["indicator"])


def _score(found, expected):
    """One-to-one matches (indicator key or phrase, value, unit) of one document."""
    left, pairs = list(expected), []
    for t in found:
        for i, e in enumerate(left):
            if _matches(t, e):
                pairs.append((t, e))
                del left[i]
                break
    return pairs, left


def seed_scores():
    expected = yaml.safe_load((FIXTURES / "policy_expected.yaml").read_text(encoding="utf-8"))
    rows = []
    for name, items in expected.items():
        found = read_policy(SEEDS / name).targets
        pairs, missed = _score(found, items)
        extra = [t for t in found if all(t is not p[0] for p in pairs)]
        rows.append(
            {
                "document": name,
                "expected": len(items),
                "extracted": len(found),
                "correct": len(pairs),
                "kind_ok": sum(t.kind == e["kind"] for t, e in pairs),
                "stretch_ok": sum((t.stretch_value or None) == e.get("stretch") for t, e in pairs),
                "missed": [(e["indicator"], e["value"]) for e in missed],
                "spurious": [(t.indicator, t.value, t.unit) for t in extra],
            }
        )
    return rows


def test_seed_documents_against_the_hand_checked_list(capsys):
    rows = seed_scores()
    correct = sum(r["correct"] for r in rows)
    precision = correct / sum(r["extracted"] for r in rows)
    recall = correct / sum(r["expected"] for r in rows)
    kind_ok = sum(r["kind_ok"] for r in rows) / correct
    stretch_ok = sum(r["stretch_ok"] for r in rows) / correct
    with capsys.disabled():
        print(
            f"\npolicy extraction on the five seeds: {correct} correct of {sum(r['extracted'] for r in rows)} extracted, "
            f"{sum(r['expected'] for r in rows)} expected: precision {precision:.3f}, recall {recall:.3f}; "
            f"of the correct ones, kind right {kind_ok:.3f}, stretch right {stretch_ok:.3f}"
        )
        for r in rows:
            print(
                f"  {r['document']}: expected {r['expected']}, extracted {r['extracted']}, correct {r['correct']}; "
                f"missed {r['missed']}; spurious {r['spurious']}"
            )
    assert precision >= 0.9 and recall >= 0.9
    assert kind_ok >= 0.95 and stretch_ok >= 0.95


def test_traditional_seed_extracts_its_targets():
    x = read_policy(SEEDS / "003_0b974f7732c5c1a1.txt")
    keys = {t.indicator_key: t.value for t in x.targets if t.indicator_key}
    assert keys == {
        "rd_gdp_ratio": 2.5,
        "tech_sme": 50,
        "high_tech_enterprises": 20,
        "industrial_technology_institutes": 5,
        "talents": 15,
        "scaled_tech_enterprises_with_rd_share": 100,
        "tech_contract_turnover": 15,
        "value_added": 25,
    }
    t = next(t for t in x.targets if t.indicator_key == "high_tech_enterprises")
    original = (SEEDS / "003_0b974f7732c5c1a1.txt").read_text(encoding="utf-8")
    assert original[t.start_offset : t.end_offset] == "高新技術(shù)企業(yè)達(dá)到20家"
    assert t.sentence in original


# ------------------------------------------------------------------ storage and the report


def test_store_is_idempotent_with_ids_stable_across_paths(graph, tmp_path):
    copy = tmp_path / "same.txt"
    copy.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    a, b = read_policy(PLAN, region="盘锦市"), read_policy(copy, region="盘锦市")
    assert a.id == b.id
    assert store_policy(graph, a) == store_policy(graph, b) == {"PolicyDocument": 1, "Target": 30, "SETS": 30}
    assert graph.count("PolicyDocument") == 1 and graph.count("Target") == 30 and graph.count("SETS") == 30
    stored = graph.query(
        "MATCH (d:PolicyDocument)-[:SETS]->(t:Target {indicator_key: 'rd_gdp_ratio'}) "
        "RETURN d.name AS doc, d.year AS year, t.value AS value, t.stretch_value AS stretch, "
        "t.comparison AS comparison, t.target_kind AS kind, t.sentence AS sentence, t.start_offset AS s, t.end_offset AS e"
    )
    row = stored.iloc[0]
    assert (row["doc"], row["year"], row["value"], row["stretch"], row["comparison"], row["kind"]) == (
        "盘锦市2025年科技创新工作要点（演示数据）",
        2025,
        2.0,
        2.3,
        "at_least",
        "target",
    )
    text = PLAN.read_text(encoding="utf-8")
    assert row["sentence"] in text and text[row["s"] : row["e"]].endswith("2.0%")
    # a target the document no longer states is removed on the next store
    a.targets = a.targets[:-1]
    assert store_policy(graph, a)["Target"] == 29 and graph.count("Target") == 29


@pytest.fixture
def small_city(graph):
    """盘锦市 with a few actors whose counts are known by construction."""
    g = graph
    g.upsert_nodes(
        "Region",
        [
            {"id": "211100", "name": "盘锦市", "region_level": "city"},
            {"id": "211104", "name": "大洼区", "region_level": "county"},
        ],
    )
    g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}", "region": "211104"} for i in range(4)])
    g.upsert_nodes("Qualification", [{"id": "high_tech_enterprise", "name": "高新技术企业"}])
    g.upsert_edges(
        "CERTIFIED_AS",
        [
            {"from_id": "E0", "to_id": "high_tech_enterprise", "year": 2023},
            {"from_id": "E1", "to_id": "high_tech_enterprise", "year": 2025},
            {"from_id": "E2", "to_id": "high_tech_enterprise", "year": 2025},
        ],
    )
    g.upsert_nodes(
        "Incubator",
        [
            {
                "id": "I1",
                "name": "孵化器",
                "incubator_kind": "incubator",
                "level": "provincial",
                "region": "211104",
                "area_m2": 60000,
                "founded_year": 2018,
            },
            {
                "id": "I2",
                "name": "众创空间A",
                "incubator_kind": "maker_space",
                "level": "municipal",
                "region": "211104",
                "area_m2": 30000,
                "founded_year": 2025,
            },
            {
                "id": "I3",
                "name": "众创空间B",
                "incubator_kind": "maker_space",
                "level": "national",
                "region": "211104",
                "area_m2": 20000,
                "founded_year": 2021,
            },
        ],
    )
    g.upsert_nodes(
        "Park",
        [{"id": "K1", "name": "高新区", "park_kind": "high_tech_zone", "level": "provincial", "region": "211104"}],
    )
    g.upsert_nodes(
        "ResearchInstitute",
        [
            {
                "id": "S1",
                "name": "产业技术研究院",
                "institute_kind": "industrial_technology_institute",
                "region": "211100",
            }
        ],
    )
    g.upsert_nodes(
        "TechDemand", [{"id": f"D{i}", "name": f"难题{i}", "year": 2025 if i < 3 else 2024} for i in range(5)]
    )
    g.upsert_edges("POSTED", [{"from_id": "E0", "to_id": f"D{i}"} for i in range(5)])
    return g


def test_report_on_a_hand_built_graph(small_city):
    text = (
        "2025年工作要点\n全年高新技术企业达到3家，新认定高新技术企业2家。孵化载体总面积达到10万平方米以上，新增众创空间2家。"
        "省级高新区达到1家，产业技术研究院达到2家，年内征集技术难题3个。研发经费占地区生产总值比重达到2.0%。"
    )
    x = read_policy(text)
    report = target_report(small_city, x.to_frame(), "盘锦市", 2025).set_index("indicator_key")
    expected = {  # key: (target, actual, status)
        "high_tech_enterprises": (3, 3, "met"),
        "high_tech_enterprises_new": (2, 2, "met"),
        "incubator_area": (100_000, 110_000, "met"),
        "maker_spaces_new": (2, 1, "not met"),
        "high_tech_zones_provincial": (1, 1, "met"),
        "industrial_technology_institutes": (2, 1, "not met"),
        "tech_demands": (3, 3, "met"),
    }
    for key, (target, actual, status) in expected.items():
        row = report.loc[key]
        assert (row["target"], row["actual"], row["status"]) == (target, actual, status), key
    assert report.loc["maker_spaces_new", "gap"] == 1
    assert report.loc["rd_gdp_ratio", "status"] == "not measurable"


@pytest.fixture(scope="module")
def demo_graph():
    from kg import KnowledgeGraph
    from kg.demo import build_demo

    with KnowledgeGraph.open(":memory:") as g:
        build_demo(g, seed=7, scale=0.1)
        yield g


def test_demo_plan_against_the_demo_graph(demo_graph):
    x = read_policy(PLAN)
    assert (x.year, len(x.targets)) == (2025, 30)
    assert [t.indicator_key for t in x.targets] == [
        "tech_incubators_provincial",
        "maker_spaces",
        "academician_workstations",
        "high_tech_enterprises",
        "tech_sme",
        "little_giant",
        "patent_applications",
        "invention_patent_applications",
        "patents_granted",
        "engineering_research_centres_provincial_or_above",
        "academician_workstations",
        "enterprise_technology_centres_city_level_or_above",
        "industry_university_projects",
        "matchmaking_events",
        "incubator_area",
        "maker_spaces_new",
        "rd_gdp_ratio",
        "engineering_research_centres_provincial_or_above",
        "academician_workstations",
        "key_laboratories_municipal",
        "high_tech_enterprises_new",
        "park_residents",
        "invention_patents_per_10k_people",
        "sci_tech_commissioners",
        "leading_talents",
        "innovative_talents",
        "training_attendance",
        "sci_tech_awards_county",
        "superior_funding",
        "tech_contract_turnover",
    ]
    assert [t.kind for t in x.targets].count("status") == 3 and [t.kind for t in x.targets].count("flow") == 8
    report = target_report(demo_graph, x.to_frame(), "盘锦市", 2025)
    assert set(report["status"]) == {"met", "not met", "not measurable", "baseline"}
    assert (report["status"] == "baseline").sum() == 3 and report.loc[report["kind"] == "status", "gap"].isna().all()
    by_key = report.dropna(subset=["indicator_key"]).drop_duplicates("indicator_key").set_index("indicator_key")
    assert by_key.loc["rd_gdp_ratio", "status"] == "not measurable"
    assert (by_key.loc["rd_gdp_ratio", "target"], by_key.loc["rd_gdp_ratio", "stretch"]) == (2.0, 2.3)
    assert by_key.loc["high_tech_enterprises", "target"] == 200
    actual = demo_graph.query(
        "MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(:Qualification {id: 'high_tech_enterprise'}) "
        "WHERE e.region STARTS WITH '2111' AND c.year <= 2025 AND (c.valid_until IS NULL OR c.valid_until >= 2025) "
        "RETURN count(DISTINCT e) AS n"
    ).iloc[0, 0]
    assert by_key.loc["high_tech_enterprises", "actual"] == actual
    new_spaces = demo_graph.query(
        "MATCH (i:Incubator) WHERE i.region STARTS WITH '2111' AND i.incubator_kind = 'maker_space' "
        "AND i.founded_year = 2025 RETURN count(i) AS n"
    ).iloc[0, 0]
    assert by_key.loc["maker_spaces_new", "actual"] == new_spaces
    # the flow 新建省级以上工程技术研究中心4家 is compared with the centres founded in 2025, the target 25家 with the stock
    centres = demo_graph.query(
        "MATCH (h)-[:HOSTS]->(p:RDPlatform) WHERE h.region STARTS WITH '2111' AND p.platform_kind = 'engineering_research_center' "
        "AND p.level IN ['provincial', 'national'] RETURN p.founded_year AS y"
    )["y"]
    rows = report[report["indicator_key"] == "engineering_research_centres_provincial_or_above"].set_index("kind")
    assert rows.loc["target", "actual"] == (centres <= 2025).sum()
    assert rows.loc["flow", "actual"] == (centres == 2025).sum() < rows.loc["target", "actual"]
    assert rows.loc["flow", "counted"].endswith(f"added 2025 = {(centres == 2025).sum()}")
    statuses = report[report["kind"] == "status"]
    assert list(statuses["target"]) == [3, 5, 5] and "baseline: the document states 3 家" in statuses["note"].iloc[0]
    measured = report[~report["status"].isin(["not measurable", "baseline"])]
    assert len(measured) == 25 and set(measured["status"]) <= {"met", "not met"}
    assert measured["counted"].str.contains(" = ").all()
    plain = measured[measured["kind"] != "growth"]
    assert (plain["gap"] == plain["target"] - plain["actual"]).all()
