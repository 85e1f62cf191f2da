"""Target-vs-actual: the indicator table measured on a hand-built graph with known answers."""

from __future__ import annotations

import pandas as pd
import pytest

from kg.errors import NotFoundError
from kg.queries.targets import REPORT_COLUMNS, indicator_table, measure, target_report


@pytest.fixture
def region_graph(graph):
    g = graph
    g.upsert_nodes(
        "Region",
        [
            {"id": "210000", "name": "辽宁省", "region_level": "province"},
            {"id": "211100", "name": "盘锦市", "region_level": "city"},
            {"id": "211104", "name": "大洼区", "region_level": "county"},
            {"id": "210200", "name": "大连市", "region_level": "city"},
        ],
    )
    firms = [{"id": f"E{i}", "name": f"企业{i}", "region": "211104" if i < 4 else "210211"} for i in range(6)]
    g.upsert_nodes("Enterprise", firms)
    g.upsert_nodes(
        "Qualification",
        [{"id": "high_tech_enterprise", "name": "高新技术企业"}, {"id": "tech_sme", "name": "科技型中小企业"}],
    )
    g.upsert_edges(
        "CERTIFIED_AS",
        [
            {"from_id": "E0", "to_id": "high_tech_enterprise", "year": 2023, "valid_until": 2026},
            {"from_id": "E1", "to_id": "high_tech_enterprise", "year": 2019, "valid_until": 2022},  # expired
            {"from_id": "E2", "to_id": "high_tech_enterprise", "year": 2025, "valid_until": 2028},
            {"from_id": "E4", "to_id": "high_tech_enterprise", "year": 2024, "valid_until": 2027},  # Dalian
            {"from_id": "E3", "to_id": "tech_sme", "year": 2025},
        ],
    )
    g.upsert_nodes(
        "Patent",
        [
            {"id": "P1", "name": "一种方法", "patent_kind": "invention", "application_year": 2025, "grant_year": 2025},
            {"id": "P2", "name": "一种装置", "patent_kind": "utility_model", "application_year": 2025},
            {"id": "P3", "name": "另一种装置", "patent_kind": "utility_model", "application_year": 2024},
            {"id": "P4", "name": "大连专利", "patent_kind": "invention", "application_year": 2025},
        ],
    )
    g.upsert_edges(
        "APPLIED_FOR",
        [
            {"from_id": "E0", "to_id": "P1"},
            {"from_id": "E1", "to_id": "P2"},
            {"from_id": "E2", "to_id": "P2"},
            {"from_id": "E0", "to_id": "P3"},
            {"from_id": "E4", "to_id": "P4"},
        ],
    )
    g.upsert_nodes(
        "RDPlatform",
        [
            {
                "id": "R1",
                "name": "省工程中心",
                "platform_kind": "工程技术研究中心",
                "level": "省级",
                "founded_year": 2020,
            },
            {"id": "R2", "name": "市工程中心", "platform_kind": "工程技术研究中心", "level": "市级"},
            {
                "id": "R3",
                "name": "未来中心",
                "platform_kind": "工程技术研究中心",
                "level": "省级",
                "founded_year": 2030,
            },
        ],
    )
    g.upsert_edges(
        "HOSTS", [{"from_id": "E0", "to_id": "R1"}, {"from_id": "E1", "to_id": "R2"}, {"from_id": "E2", "to_id": "R3"}]
    )
    g.upsert_nodes(
        "AcademicianWorkstation",
        [
            {"id": "W1", "name": "站1", "region": "211104", "level": "provincial"},
            {"id": "W2", "name": "站2", "region": "211104", "level": "municipal"},
        ],
    )
    g.upsert_nodes(
        "Incubator",
        [
            {"id": "I1", "name": "孵化器", "incubator_kind": "孵化器", "region": "211104", "area_m2": 30000},
            {"id": "I2", "name": "众创空间", "incubator_kind": "众创空间", "region": "211104", "area_m2": 5000},
        ],
    )
    g.upsert_nodes(
        "Project",
        [
            {"id": f"J{i}", "name": f"项目{i}", "project_kind": "产学研合作", "start_year": 2024 + (i % 2)}
            for i in range(5)
        ],
    )
    g.upsert_edges("PARTICIPATES_IN", [{"from_id": "E0", "to_id": f"J{i}", "role": "lead"} for i in range(5)])
    return g


@pytest.mark.parametrize(
    "key, expected",
    [
        ("high_tech_enterprises", 2),  # E0 and E2 in 盘锦 valid in 2025; E1 expired, E4 in 大连
        ("tech_sme", 1),
        ("patent_applications", 2),  # P1, P2 (P2 counted once although co-applied)
        ("invention_patent_applications", 1),
        ("patents_granted", 1),
        ("provincial_engineering_research_centres", 1),  # R3 is founded after 2025
        ("engineering_research_centres", 2),
        ("academician_workstations", 2),
        ("provincial_academician_workstations", 1),
        ("incubators", 2),
        ("maker_spaces", 1),
        ("incubator_area", 35000),
        ("industry_university_projects", 2),  # J1, J3 start in 2025
    ],
)
def test_measures_count_what_the_indicator_means(region_graph, key, expected):
    assert measure(region_graph, key, "211100", 2025).value == expected


def test_region_scope_is_a_code_prefix(region_graph):
    assert measure(region_graph, "high_tech_enterprises", "210000", 2025).value == 3  # the whole province
    assert measure(region_graph, "high_tech_enterprises", "211104", 2025).value == 2


def test_report_statuses_gaps_units_and_reasons(region_graph):
    targets = pd.DataFrame(
        [
            {
                "indicator": "高新技术企业",
                "indicator_key": "high_tech_enterprises",
                "value": 3,
                "unit": "家",
                "kind": "target",
                "comparison": "at_least",
                "year": 2025,
                "sentence": "高新技术企业达到3家",
            },
            {
                "indicator": "专利申请",
                "indicator_key": "patent_applications",
                "value": 2,
                "stretch_value": 3,
                "unit": "件",
                "kind": "target",
                "comparison": "at_least",
                "year": 2025,
                "sentence": "专利申请2件，力争3件",
            },
            {
                "indicator": "孵化面积",
                "indicator_key": "incubator_area",
                "value": 3,
                "unit": "万平方米",
                "kind": "target",
                "comparison": "at_least",
                "year": 2025,
                "sentence": "孵化面积3万平方米",
            },
            {
                "indicator": "研发经费占GDP比重",
                "indicator_key": "rd_gdp_ratio",
                "value": 2.0,
                "unit": "%",
                "kind": "target",
                "comparison": "at_least",
                "year": 2025,
                "sentence": "研发经费占GDP比重达到2.0%",
            },
            {
                "indicator": "院士工作站",
                "indicator_key": "academician_workstations",
                "value": 5,
                "unit": "家",
                "kind": "status",
                "comparison": "exactly",
                "year": 2025,
                "sentence": "已建成院士工作站5家",
            },
            {
                "indicator": "产学研合作项目",
                "indicator_key": "industry_university_projects",
                "value": 10,
                "unit": "%",
                "kind": "growth",
                "comparison": "at_least",
                "year": 2025,
                "sentence": "产学研合作项目增长10%",
            },
            {
                "indicator": "某指标",
                "indicator_key": None,
                "value": 1,
                "unit": "个",
                "kind": "target",
                "year": 2025,
                "sentence": "x",
            },
        ]
    )
    report = target_report(region_graph, targets, "盘锦市").set_index("indicator")
    assert list(report.reset_index().columns) == REPORT_COLUMNS
    ht = report.loc["高新技术企业"]
    assert (ht["actual"], ht["gap"], ht["status"]) == (2, 1, "not met")
    pa = report.loc["专利申请"]
    assert pa["status"] == "met" and pa["note"] == "stretch 3 not met"
    assert report.loc["孵化面积", "status"] == "met" and report.loc["孵化面积", "gap"] == -5000
    assert report.loc["研发经费占GDP比重", "status"] == "not measurable"
    assert "regional economic statistics" in report.loc["研发经费占GDP比重", "note"]
    assert report.loc["院士工作站", "status"] == "baseline" and "graph holds 2" in report.loc["院士工作站", "note"]
    assert pd.isna(report.loc["院士工作站", "gap"])
    assert set(report["status"]) <= {"met", "not met", "not measurable", "baseline"}
    growth = report.loc["产学研合作项目"]  # 3 projects in 2024 -> 2 in 2025: -33.33 %
    assert growth["actual"] == pytest.approx(-33.33) and growth["status"] == "not met"
    assert report.loc["某指标", "status"] == "not measurable"


def test_unknown_region_is_a_clear_error(region_graph):
    with pytest.raises(NotFoundError, match="--region '火星市'"):
        target_report(region_graph, [], "火星市")


def test_every_measurable_indicator_names_an_existing_query(graph):
    names = set(graph.queries.names())
    for key, entry in indicator_table().items():
        assert ("query" in entry) != ("not_measurable" in entry), key
        if "query" in entry:
            assert entry["query"] in names, key
