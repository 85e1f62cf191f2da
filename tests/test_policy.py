"""Policy target extraction: every pattern on sentences written here, and the five seeds against a hand-checked list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.loaders.policy import extract_targets, read_policy, store_policy
from kg.loaders.policy_text import SimplifiedText, chinese_number
from kg.queries.targets import target_report

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"


def one(text: str):
    targets = extract_targets(text, default_year=2025)
    assert len(targets) == 1, [(t.indicator, t.value) for t in targets]
    return targets[0]


@pytest.mark.parametrize("text, key, value, unit", [
    ("全年高新技术企业达到450家。", "high_tech_enterprises", 450, "家"),
    ("培植申报科技创新型企业、高新技术企业15家。", "high_tech_enterprises", 15, "家"),
    ("新增科技型中小企业一百二十家。", "tech_sme", 120, "家"),
    ("省级以上工程技术研究中心达到25家。", "engineering_research_centres_provincial_or_above", 25, "家"),
    ("孵化载体总面积达到10万平方米以上。", "incubator_area", 100_000, "平方米"),
    ("引进实施产学研合作项目不少于40项。", "industry_university_projects", 40, "项"),
    ("专精特新“小巨人”企业达到20家。", "little_giant", 20, "家"),
    ("全社会研发经费占地区生产总值比重达到2.5%。", "rd_gdp_ratio", 2.5, "%"),
])
def test_single_targets_value_unit_and_indicator(text, key, value, unit):
    t = one(text)
    assert (t.indicator_key, t.value, t.unit, t.kind, t.comparison) == (key, value, unit, "target", "at_least")
    assert t.sentence == text.rstrip("。")
    assert text[t.start_offset:t.end_offset].endswith(f"{unit}" if unit != "平方米" else "万平方米")


def test_sub_targets_point_to_their_parent():
    ts = extract_targets("培植建设市以上研发平台10家，其中省级企业工程技术研究中心2家、省级院士工作站1家、市级企业工程技术研究中心7家。")
    assert [(t.value, t.parent) for t in ts] == [(10, None), (2, 0), (1, 0), (7, 0)]
    assert [t.indicator_key for t in ts] == ["rd_platforms_city_level_or_above", "provincial_engineering_research_centres",
                                             "provincial_academician_workstations", "engineering_research_centres"]


def test_stretch_values_ranges_and_comparisons():
    t = one("全社会研发经费总额(R&D)占地区生产总值的比重确保1.9%，力争达到2.0%以上。")
    assert (t.value, t.stretch_value, t.indicator_key) == (1.9, 2.0, "rd_gdp_ratio")
    t = one("年内打造1-2家具有国际竞争力、引领产业发展的创新型领军企业。")
    assert (t.value, t.stretch_value, t.indicator_key) == (1, 2, "innovative_leader")
    assert one("资产负债率控制在60%以下。").comparison == "at_most"
    assert one("县本级财政支出不低于财政一般预算支出的2%。").comparison == "at_least"


def test_growth_targets_and_status_counts():
    t = one("全社会高新技术产品增加值增速达25%。")
    assert (t.kind, t.value, t.unit, t.indicator_key) == ("growth", 25, "%", None)
    t = one("占全部工业投入比重比上年提高2个百分点。")
    assert (t.kind, t.value, t.unit) == ("growth", 2, "个百分点")
    ts = extract_targets("截至目前，已建成省级工程技术研究中心88家。同时，还建成省级科技企业孵化器4家。")
    assert [(t.kind, t.value, t.indicator_key) for t in ts] == [
        ("status", 88, "provincial_engineering_research_centres"), ("status", 4, "tech_incubators")]


def test_things_that_are_not_numbers():
    assert extract_targets("加强与两院院士的联系，建立一个长效机制。") == []
    assert extract_targets("规划建议把创新放在了新时期12项重点任务的首位。") == []
    assert extract_targets("高新技术企业数量居全省第3位。") == []
    assert extract_targets("开展“百家企业高校行”活动。") == []
    assert chinese_number("两") == 2 and chinese_number("一千零五") == 1005
    with pytest.raises(ValueError):
        chinese_number("两院")


def test_traditional_characters_keep_offsets_into_the_original():
    text = "全區(qū)科技型中小企業(yè)總數(shù)達(dá)到50家，高新技術(shù)企業(yè)達(dá)到20家。"
    ts = extract_targets(text)
    assert [(t.indicator_key, t.value) for t in ts] == [("tech_sme", 50), ("high_tech_enterprises", 20)]
    assert text[ts[1].start_offset:ts[1].end_offset] == "高新技術(shù)企業(yè)達(dá)到20家"
    assert ts[1].sentence == text.rstrip("。")
    assert SimplifiedText("雙臺子區").text == "双台子区"


def test_document_title_year_and_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("某县2024年科技工作要点")
    d.add_paragraph("全年专利申请500件，其中发明专利申请120件。")
    path = tmp_path / "plan.docx"
    d.save(path)
    x = read_policy(path)
    assert (x.title, x.year) == ("某县2024年科技工作要点", 2024)
    assert x.to_frame()[["indicator_key", "value", "year"]].values.tolist() == [
        ["patent_applications", 500.0, 2024], ["invention_patent_applications", 120.0, 2024]]


def _match(found, expected):
    """One-to-one matches of (value, unit) within a document."""
    left = list(expected)
    hits = 0
    for t in found:
        unit = t.unit
        for i, e in enumerate(left):
            if abs(float(e["value"]) - t.value) < 1e-9 and e["unit"] == unit:
                hits += 1
                del left[i]
                break
    return hits, left


def test_seed_documents_against_the_hand_checked_list(capsys):
    expected = yaml.safe_load((FIXTURES / "policy_expected.yaml").read_text(encoding="utf-8"))
    total_found = total_expected = total_hits = 0
    per_doc = []
    for name, items in expected.items():
        found = read_policy(SEEDS / name).targets
        hits, missed = _match(found, items)
        total_found += len(found)
        total_expected += len(items)
        total_hits += hits
        per_doc.append((name, len(items), len(found), hits))
    precision = total_hits / total_found
    recall = total_hits / total_expected
    with capsys.disabled():
        print(f"\npolicy extraction on the seeds: {total_hits} correct of {total_found} extracted, "
              f"{total_expected} expected: precision {precision:.2f}, recall {recall:.2f}; per document {per_doc}")
    assert precision >= 0.85 and recall >= 0.85


def test_traditional_seed_extracts_its_targets():
    x = read_policy(SEEDS / "003_0b974f7732c5c1a1.txt")
    keys = {t.indicator_key: t.value for t in x.targets if t.indicator_key}
    assert keys == {"rd_gdp_ratio": 2.5, "tech_sme": 50, "high_tech_enterprises": 20}
    t = next(t for t in x.targets if t.indicator_key == "high_tech_enterprises")
    original = (SEEDS / "003_0b974f7732c5c1a1.txt").read_text(encoding="utf-8")
    assert original[t.start_offset:t.end_offset].endswith("20家") and "高新技術" in original[t.start_offset:t.end_offset]


def test_demo_plan_against_a_graph_and_stored_idempotently(graph):
    from kg.demo import build_demo

    build_demo(graph, seed=7, scale=0.1)
    plan = Path(__file__).parents[1] / "kg" / "demo" / "data" / "plan_2025.txt"
    x = read_policy(plan)
    assert x.year == 2025 and len(x.targets) == 14
    report = target_report(graph, x.to_frame(), "盘锦市", 2025)
    by_key = report.set_index("indicator_key")
    assert by_key.loc["rd_gdp_ratio", "status"] == "not measurable"
    assert by_key.loc["high_tech_enterprises", "target"] == 200
    actual = graph.query(
        "MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(:Qualification {id: 'high_tech_enterprise'}) "
        "WHERE e.region STARTS WITH '2111' AND c.year <= 2025 AND (c.valid_until IS NULL OR c.valid_until >= 2025) "
        "RETURN count(DISTINCT e) AS n").iloc[0, 0]
    assert by_key.loc["high_tech_enterprises", "actual"] == actual
    assert set(report["status"]) <= {"met", "not met", "not measurable", "status count"}
    first = store_policy(graph, x)
    second = store_policy(graph, x)
    assert first == second == {"PolicyDocument": 1, "Target": 14, "SETS": 14}
    assert graph.count("Target") == 14 and graph.count("SETS") == 14
