"""The measures of talents, commissioners, events, awards, projects, residents, listing and qualifications on a
hand-built graph whose answers are known by construction; flows, baselines, per-capita and application targets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from kg import KnowledgeGraph
from kg.errors import KGError
from kg.loaders.policy import extract_targets
from kg.queries.targets import STATUSES, measure, target_report

REGION = "211100"  # 盘锦市; 大连 (2102xx) is outside


@pytest.fixture(scope="module")
def city():
    """Built once for the module; the tests only read it."""
    with KnowledgeGraph.open(":memory:") as g:
        _build(g)
        yield g


def _build(g) -> None:
    g.upsert_nodes(
        "Region",
        [
            {"id": "211100", "name": "盘锦市", "region_level": "city"},
            {"id": "211104", "name": "大洼区", "region_level": "county"},
            {"id": "210211", "name": "甘井子区", "region_level": "county"},
        ],
    )
    g.upsert_nodes(
        "Enterprise",
        [
            {
                "id": "E0",
                "name": "甲",
                "region": "211104",
                "scale": "above_designated_size",
                "listing_status": "reserve",
                "listing_year": 2025,
            },
            {
                "id": "E1",
                "name": "乙",
                "region": "211104",
                "scale": "above_designated_size",
                "listing_status": "listed",
                "listing_year": 2020,
            },
            {
                "id": "E2",
                "name": "丙",
                "region": "211104",
                "scale": "small",
                "listing_status": "tutoring",
                "listing_year": 2025,
            },  # not a tech firm
            {"id": "E3", "name": "丁", "region": "211104", "scale": "above_designated_size"},
            {
                "id": "E9",
                "name": "大连企业",
                "region": "210211",
                "scale": "above_designated_size",
                "listing_status": "filing",
                "listing_year": 2025,
            },
        ],
    )
    g.upsert_nodes("University", [{"id": "U1", "name": "某大学", "region": "211104"}])
    g.upsert_nodes(
        "Qualification",
        [
            {
                "id": "high_tech_enterprise",
                "name": "高新技术企业",
                "qualification_kind": "high_tech_enterprise",
                "level": "national",
            },
            {
                "id": "agri_municipal",
                "name": "市级农业科技型企业",
                "qualification_kind": "agri_tech_enterprise",
                "level": "municipal",
            },
            {
                "id": "agri_county",
                "name": "县级农业科技型企业",
                "qualification_kind": "agri_tech_enterprise",
                "level": "county",
            },
            {
                "id": "coop",
                "name": "市级专业合作社",
                "qualification_kind": "sci_tech_cooperative",
                "level": "municipal",
            },
            {
                "id": "energy",
                "name": "省级节能减排科技创新示范企业",
                "qualification_kind": "energy_saving_demo_enterprise",
                "level": "provincial",
            },
        ],
    )
    g.upsert_edges(
        "CERTIFIED_AS",
        [
            {"from_id": "E0", "to_id": "high_tech_enterprise", "year": 2024, "valid_until": 2027},
            {"from_id": "E1", "to_id": "high_tech_enterprise", "year": 2023, "valid_until": 2026},
            {"from_id": "E9", "to_id": "high_tech_enterprise", "year": 2023, "valid_until": 2026},
            {"from_id": "E0", "to_id": "agri_municipal", "year": 2025},
            {"from_id": "E2", "to_id": "agri_county", "year": 2025},  # county level: not 市以上
            {"from_id": "E3", "to_id": "coop", "year": 2022},
            {"from_id": "E1", "to_id": "energy", "year": 2021},
        ],
    )
    g.upsert_nodes(
        "RDPlatform",
        [
            {
                "id": "R1",
                "name": "中心",
                "platform_kind": "engineering_research_center",
                "level": "provincial",
                "founded_year": 2025,
            },
            {
                "id": "R2",
                "name": "老中心",
                "platform_kind": "engineering_research_center",
                "level": "national",
                "founded_year": 2019,
            },
        ],
    )
    g.upsert_edges("HOSTS", [{"from_id": "E0", "to_id": "R1"}, {"from_id": "E0", "to_id": "R2"}])
    g.upsert_nodes(
        "Person",
        [
            {"id": "T1", "name": "领军甲", "roles": ["leading_talent"], "talent_year": 2025},
            {"id": "T2", "name": "创新乙", "roles": ["innovative_talent", "expert"], "talent_year": 2023},
            {"id": "T3", "name": "创业丙", "roles": ["entrepreneurial_talent"], "talent_year": 2025},
            {"id": "T9", "name": "大连人才", "roles": ["leading_talent"], "talent_year": 2025},
            {"id": "C1", "name": "特派员一", "roles": ["sci_tech_commissioner"]},
            {"id": "C2", "name": "特派员二", "roles": ["sci_tech_commissioner", "expert"]},
            {"id": "C3", "name": "特派员三", "roles": ["sci_tech_commissioner"]},
            {"id": "X1", "name": "非特派员", "roles": ["expert"]},
        ],
    )
    g.upsert_edges(
        "AFFILIATED_WITH",
        [
            {"from_id": "T1", "to_id": "E0", "to_type": "Enterprise"},
            {"from_id": "T2", "to_id": "U1", "to_type": "University"},
            {"from_id": "T3", "to_id": "E2", "to_type": "Enterprise"},
            {"from_id": "T9", "to_id": "E9", "to_type": "Enterprise"},
        ],
    )
    g.upsert_edges(
        "SERVES",
        [
            {"from_id": "C1", "to_id": "E0", "to_type": "Enterprise", "since": 2024, "until": 2026},
            {"from_id": "C1", "to_id": "211104", "to_type": "Region", "since": 2025},  # the same commissioner twice
            {"from_id": "C2", "to_id": "211104", "to_type": "Region", "since": 2025},  # a village of 大洼区
            {"from_id": "C3", "to_id": "E1", "to_type": "Enterprise", "since": 2020, "until": 2022},  # ended
            {"from_id": "X1", "to_id": "E3", "to_type": "Enterprise", "since": 2025},
        ],
    )  # not a commissioner
    g.upsert_nodes(
        "Event",
        [
            {
                "id": "V1",
                "name": "校企对接会",
                "event_kind": "matchmaking",
                "year": 2025,
                "event_date": "2025-05-01",
                "region": "211104",
            },
            {"id": "V2", "name": "产学研对接会", "event_kind": "matchmaking", "year": 2025, "region": "211104"},
            {
                "id": "V3",
                "name": "专利培训",
                "event_kind": "training",
                "year": 2025,
                "region": "211104",
                "attendance": 120,
            },
            {
                "id": "V4",
                "name": "专利培训二",
                "event_kind": "training",
                "year": 2025,
                "region": "211104",
            },  # attendance from ATTENDS
            {"id": "V5", "name": "专家教授行", "event_kind": "expert_visit", "year": 2024, "region": "211104"},
            {"id": "V9", "name": "大连对接会", "event_kind": "matchmaking", "year": 2025, "region": "210211"},
        ],
    )
    g.upsert_edges("ORGANISES", [{"from_id": "U1", "to_id": "V1", "from_type": "University"}])
    g.upsert_edges(
        "ATTENDS",
        [
            {"from_id": "E0", "to_id": "V4", "from_type": "Enterprise"},
            {"from_id": "T1", "to_id": "V4", "from_type": "Person"},
            {"from_id": "E1", "to_id": "V4", "from_type": "Enterprise"},
        ],
    )
    g.upsert_nodes(
        "Award",
        [
            {"id": "A1", "name": "省科技进步奖", "level": "provincial", "year": 2025},
            {"id": "A2", "name": "县科技进步奖", "level": "county", "year": 2025},
            {"id": "A3", "name": "县科技进步奖2024", "level": "county", "year": 2024},
        ],
    )
    g.upsert_edges(
        "WON",
        [
            {"from_id": "E0", "to_id": "A1", "from_type": "Enterprise", "year": 2025},
            {"from_id": "E1", "to_id": "A2", "from_type": "Enterprise", "year": 2025},
            {"from_id": "E3", "to_id": "A2", "from_type": "Enterprise", "year": 2025},
            {"from_id": "E0", "to_id": "A3", "from_type": "Enterprise", "year": 2024},
            {"from_id": "E9", "to_id": "A1", "from_type": "Enterprise", "year": 2025},
        ],
    )
    g.upsert_nodes(
        "Project",
        [
            {"id": "J1", "name": "国家项目", "level": "national", "start_year": 2025, "funding": 500.0},
            {"id": "J2", "name": "省项目", "level": "provincial", "start_year": 2025, "funding": 120.5},
            {"id": "J3", "name": "县项目", "level": "county", "start_year": 2025, "funding": 10.0},
            {"id": "J4", "name": "旧项目", "level": "municipal", "start_year": 2024, "funding": 50.0},
        ],
    )
    g.upsert_edges(
        "PARTICIPATES_IN",
        [
            {"from_id": "E0", "to_id": "J1", "role": "lead"},
            {"from_id": "E1", "to_id": "J1", "role": "partner"},
            {"from_id": "E1", "to_id": "J2", "role": "lead"},
            {"from_id": "E0", "to_id": "J3", "role": "lead"},
            {"from_id": "E0", "to_id": "J4", "role": "lead"},
        ],
    )
    g.upsert_nodes(
        "Park",
        [{"id": "K1", "name": "高新区", "park_kind": "high_tech_zone", "level": "provincial", "region": "211104"}],
    )
    g.upsert_nodes(
        "Incubator",
        [{"id": "I1", "name": "孵化器", "incubator_kind": "incubator", "region": "211104", "founded_year": 2018}],
    )
    g.upsert_edges(
        "LOCATED_IN",
        [
            {"from_id": "E0", "to_id": "K1", "to_type": "Park", "since": 2025},
            {"from_id": "E1", "to_id": "K1", "to_type": "Park", "since": 2019},
            {"from_id": "E3", "to_id": "K1", "to_type": "Park"},  # no year: stock only
            {"from_id": "E0", "to_id": "211104", "to_type": "Region"},
        ],
    )  # a region is no park
    g.upsert_edges(
        "INCUBATED_BY",
        [{"from_id": "E2", "to_id": "I1", "since": 2025}, {"from_id": "E0", "to_id": "I1", "since": 2025}],
    )  # E0 counted once
    g.upsert_edges(
        "CONTRACTED_WITH",
        [
            {"from_id": "E0", "to_id": "U1", "to_type": "University", "year": 2025, "amount": 300.0},
            {"from_id": "E9", "to_id": "U1", "to_type": "University", "year": 2025, "amount": 100.0},
            {"from_id": "E1", "to_id": "U1", "to_type": "University", "year": 2024, "amount": 320.0},
            {"from_id": "E9", "to_id": "E3", "to_type": "Enterprise", "year": 2024, "amount": 9.0},
        ],
    )
    g.upsert_nodes(
        "Patent",
        [
            {
                "id": f"P{i}",
                "name": f"专利{i}",
                "patent_kind": "invention",
                "application_year": 2020,
                "grant_year": 2022 + i,
            }
            for i in range(5)
        ],
    )
    g.upsert_edges("APPLIED_FOR", [{"from_id": "E0", "to_id": f"P{i}"} for i in range(5)])


@pytest.mark.parametrize(
    "key, expected",
    [
        ("talents", 3),  # T1, T2, T3; T9 works in 大连
        ("leading_talents", 1),
        ("innovative_talents", 1),
        ("sci_tech_commissioners", 2),  # C1 (twice), C2; C3's service ended, X1 is no commissioner
        ("matchmaking_events", 2),  # V9 is in 大连
        ("trainings", 2),
        ("training_attendance", 123),  # 120 stated + the 3 participants linked to V4
        ("expert_visits", 0),  # V5 was in 2024
        ("industry_university_events", 2),
        ("sci_tech_awards", 3),  # E0-A1, E1-A2, E3-A2 (A3 is 2024, E9 outside)
        ("sci_tech_awards_provincial_municipal", 1),
        ("sci_tech_awards_county", 2),
        ("sci_tech_projects_approved", 2),  # J1, J2 led here in 2025 (J3 county, J4 2024)
        ("superior_funding", 620.5),
        ("sci_tech_projects", 3),  # all levels
        ("park_residents", 4),  # E0, E1, E3 in K1, E2 in I1
        ("listing_track_enterprises", 2),  # E0, E1 (E2 is no tech firm, E9 in 大连)
        ("agri_tech_enterprises_and_cooperatives", 2),  # E0 municipal agri, E3 coop (E2 is county level)
        ("energy_saving_demo_enterprises", 1),
        ("scaled_tech_enterprises", 2),  # E0, E1: above size and high-tech
        ("scaled_tech_enterprises_with_rd_share", 50.0),  # E0 hosts platforms, E1 does not
        ("tech_contract_turnover", 400.0),  # 300 + 100 (a party in 盘锦)
        ("invention_patents_held", 4),  # P0..P3 granted by 2025
    ],
)
def test_each_new_measure_counts_what_it_says(city, key, expected):
    assert measure(city, key, REGION, 2025).value == expected


@pytest.mark.parametrize(
    "key, expected",
    [
        ("talents", 2),
        ("leading_talents", 1),
        ("sci_tech_commissioners", 2),
        ("park_residents", 2),
        ("listing_track_enterprises", 1),
        ("agri_tech_enterprises_and_cooperatives", 1),
        ("engineering_research_centres_provincial_or_above", 1),
    ],
)
def test_additions_in_the_year(city, key, expected):
    """since=2025: only what was added in 2025 (新增 / 引进 / 新建)."""
    assert measure(city, key, REGION, 2025, since=2025).value == expected


def test_additions_over_a_period_and_the_stock(city):
    assert measure(city, "engineering_research_centres_provincial_or_above", REGION, 2025).value == 2
    assert measure(city, "engineering_research_centres_provincial_or_above", REGION, 2025, since=2019).value == 2
    assert measure(city, "engineering_research_centres_provincial_or_above", REGION, 2024, since=2020).value == 0
    m = measure(city, "high_tech_zones", REGION, 2025, since=2025)  # parks carry no founding year
    assert m.value is None and "no founding years" in m.note


def test_per_capita_needs_the_population(city):
    m = measure(city, "invention_patents_per_10k_people", REGION, 2025)
    assert m.value is None and "--population" in m.note and "counts 4" in m.note
    m = measure(city, "invention_patents_per_10k_people", REGION, 2025, population=20_000)
    assert m.value == 2.0 and "per 10,000 of 20,000 people" in m.counted


def report_of(graph, text: str, **kw) -> pd.DataFrame:
    return target_report(
        graph, pd.DataFrame([vars(t) for t in extract_targets(text, default_year=2025)]), "盘锦市", 2025, **kw
    )


def test_flows_against_additions_statuses_as_baselines(city):
    report = report_of(
        city,
        "目前，全市现有省级以上工程技术研究中心2家。全年新建省级以上工程技术研究中心1家，"
        "省级以上工程技术研究中心达到3家。年内引进领军型人才1名。",
    )
    assert list(report["kind"]) == ["status", "flow", "target", "flow"]
    assert list(report["status"]) == ["baseline", "met", "not met", "met"]
    assert list(report["actual"]) == [2, 1, 2, 1]  # the flow is compared with the 1 added in 2025, not the stock of 2
    assert report.loc[0, "note"] == "baseline: the document states 2 家; the graph holds 2" and pd.isna(
        report.loc[0, "gap"]
    )
    assert report.loc[1, "counted"] == (
        "indicator_platforms[kinds=engineering_research_center; levels=provincial,national] added 2025 = 1"
    )
    assert report.loc[2, "counted"].endswith("in 2025 = 2")
    assert set(report["status"]) <= set(STATUSES)


def test_period_flows_count_the_whole_period(city):
    t = {
        "indicator": "省级以上工程技术研究中心",
        "indicator_key": "engineering_research_centres_provincial_or_above",
        "value": 2,
        "unit": "家",
        "kind": "flow",
        "year": 2025,
        "period": "十四五",
        "sentence": "“十四五”期间新建省级以上工程技术研究中心2家",
    }
    row = target_report(city, [t], "盘锦市").iloc[0]
    assert (row["actual"], row["status"]) == (1, "not met")  # R2 was founded in 2019, before 2021
    row = target_report(city, [{**t, "period": "2018-2025", "sentence": "2018—2025年新建…2家"}], "盘锦市").iloc[0]
    assert (row["actual"], row["status"], row["counted"][-16:]) == (2, "met", "added 2018-2025 = 2"[-16:])


def test_applications_money_and_per_capita_in_the_report(city):
    report = report_of(
        city,
        "申报国家、省、市级科技计划项目不少于180项，获准立项不少于2项，争取上级科技拨款不少于0.05亿元。"
        "申报省、市级科技进步奖1项。每万人发明专利拥有量达到12件。",
    )
    by = report.set_index("indicator_key")
    applied = report.iloc[0]
    assert (applied["actual"], applied["status"]) == (2, "not measurable") and "申报" in applied["note"]
    assert by.loc["sci_tech_awards_provincial_municipal", "status"] == "met"  # 1 won reaches 1 applied for
    assert by.loc["superior_funding", "status"] == "met" and by.loc["superior_funding", "gap"] == pytest.approx(
        500 - 620.5
    )
    assert by.loc["invention_patents_per_10k_people", "status"] == "not measurable"
    with_population = report_of(city, "每万人发明专利拥有量达到12件。", population=5_000).iloc[0]
    assert (with_population["actual"], with_population["status"]) == (8.0, "not met")
    with pytest.raises(KGError, match="--population"):
        report_of(city, "每万人发明专利拥有量达到12件。", population=0)


def test_growth_of_contract_turnover(city):
    row = report_of(city, "技术合同成交额增速达到15%。").iloc[0]
    assert row["indicator_key"] == "tech_contract_turnover"
    assert row["actual"] == pytest.approx((400 / 329 - 1) * 100, abs=0.01) and row["status"] == "met"
    assert "indicator_contracts.amount in 2024 = 329" in row["counted"]


# ---------------------------------------------------------------- the extractor cases of the same fix


def test_per_capita_indicator_is_found_and_no_count_of_people_is_invented():
    ts = extract_targets("到2025年，每万人发明专利拥有量达到12件，发明专利拥有量达到300件。")
    assert [(t.indicator_key, t.value, t.unit) for t in ts] == [
        ("invention_patents_per_10k_people", 12, "件"),
        ("invention_patents_held", 300, "件"),
    ]
    assert not any(t.unit == "人" or t.value == 0 for t in ts)


def test_status_clauses_and_flow_clauses_in_one_sentence():
    ts = extract_targets("现有省级孵化器3家、众创空间5个，力争新增众创空间2家，新建市级重点实验室6家。")
    assert [(t.kind, t.indicator_key, t.value) for t in ts] == [
        ("status", "tech_incubators_provincial", 3),
        ("status", "maker_spaces", 5),
        ("flow", "maker_spaces_new", 2),
        ("flow", "key_laboratories_municipal", 6),
    ]


def test_a_phrase_in_another_unit_is_not_emitted():
    assert extract_targets("高新技术企业达到300人。") == []  # 高新技术企业 are counted in 家
    assert [t.value for t in extract_targets("培养科技特派员30名。")] == [30]


# ---------------------------------------------------------------- held-out check of the extractor

HELDOUT = Path(__file__).parent / "fixtures" / "policy_heldout.yaml"


def _same(found, expected: dict) -> bool:
    if abs(float(expected["value"]) - found.value) > 1e-9 or expected["unit"] != found.unit:
        return False
    if expected.get("key"):
        return found.indicator_key == expected["key"]
    return any(expected["indicator"][i : i + 2] in found.indicator for i in range(len(expected["indicator"]) - 1))


def heldout_scores(part: str = "paragraphs") -> dict:
    """Precision and recall of the extractor on a held-out paragraph set (one-to-one matches), kinds right among the correct."""
    paragraphs = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))[part]
    extracted = expected = correct = kinds = 0
    misses, spurious = [], []
    for p in paragraphs:
        found = extract_targets(p["text"], default_year=2025)
        left = list(p["expected"])
        extracted += len(found)
        expected += len(left)
        for t in found:
            hit = next((e for e in left if _same(t, e)), None)
            if hit is None:
                spurious.append((t.indicator, t.value, t.unit, t.indicator_key))
                continue
            left.remove(hit)
            correct += 1
            kinds += t.kind == hit["kind"]
        misses += [(e["indicator"], e["value"]) for e in left]
    return {
        "extracted": extracted,
        "expected": expected,
        "correct": correct,
        "precision": correct / extracted,
        "recall": correct / expected,
        "kind_right": kinds / correct,
        "missed": misses,
        "spurious": spurious,
    }


def _show(capsys, name: str, s: dict) -> None:
    with capsys.disabled():
        print(
            f"\n{name}: {s['correct']} correct of {s['extracted']} extracted, {s['expected']} expected: "
            f"precision {s['precision']:.3f}, recall {s['recall']:.3f}, kind right {s['kind_right']:.3f}; "
            f"missed {s['missed']}; spurious {s['spurious']}"
        )


def test_heldout_paragraphs_precision_and_recall(capsys):
    s = heldout_scores()
    _show(capsys, "plan paragraphs (held out at first, in-sample since its misses were fixed)", s)
    assert s["expected"] == 32
    assert s["precision"] >= 0.85 and s["recall"] >= 0.8 and s["kind_right"] >= 0.85


def test_second_heldout_set_written_after_the_fixes(capsys):
    s = heldout_scores("second")
    _show(capsys, "second held-out plan paragraphs", s)
    assert s["expected"] == 18
    assert s["precision"] >= 0.7 and s["recall"] >= 0.7


# ---------------------------------------------------------------- coverage of the five seeds

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
#: indicators the graph cannot hold (economic, fiscal, product and staffing statistics), each with its reason in the table
ECONOMIC = {
    "sci_tech_progress_contribution",
    "output_value",
    "products_and_brands",
    "energy_intensity",
    "output_share",
    "rd_sales_ratio",
    "firm_finances",
    "staff_shares",
    "investment",
    "rd_gdp_ratio",
    "cultivation_pool",
    "fiscal_spending",
    "value_added",
    "rd_spending",
}


def test_coverage_of_the_five_seeds():
    from kg.loaders.policy import read_policy
    from kg.queries.targets import indicator_coverage, indicator_table

    coverage = {p.name[:3]: indicator_coverage(read_policy(p).to_frame()) for p in sorted(SEEDS.glob("00*.txt"))}
    measured = {
        name: (c["extracted"], c["measured"], c["not_measurable"], c["unrecognised"]) for name, c in coverage.items()
    }
    assert measured == {
        "000": (0, 0, 0, 0),
        "001": (19, 4, 14, 1),
        "002": (50, 36, 14, 0),
        "003": (8, 6, 2, 0),
        "004": (20, 18, 2, 0),
    }
    unmeasured = {
        t.indicator_key
        for p in SEEDS.glob("00*.txt")
        for t in read_policy(p).targets
        if t.indicator_key is None or "not_measurable" in indicator_table()[t.indicator_key]
    }
    assert unmeasured == ECONOMIC | {None}  # None: 「每年滚动扶持2023家」, a year garbled into a count
    assert all(indicator_table()[k]["not_measurable"] for k in ECONOMIC)
    # the indicators of the issue naming actors, linkages and events, all measured on seed 002
    keys = {t.indicator_key for t in read_policy(SEEDS / "002_05ff4c19b33d6730.txt").targets}
    assert {
        "sci_tech_projects_approved",
        "superior_funding",
        "sci_tech_awards_provincial_municipal",
        "sci_tech_awards_county",
        "park_residents",
        "agri_tech_enterprises_and_cooperatives",
        "private_tech_enterprises",
        "listing_track_enterprises",
        "leading_talents",
        "innovative_talents",
        "entrepreneurial_talents",
        "industry_university_events",
        "expert_visits",
        "training_attendance",
    } <= keys
