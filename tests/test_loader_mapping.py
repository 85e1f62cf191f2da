"""Mapping files: a patent export with several applicants per cell (and the shipped example mapping on an
export with Excel serial dates), a 产学研 project sheet feeding three types, a source without a header row,
per-column split patterns, and all-or-nothing strict loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

import kg.loaders as kg_loaders
from kg import KnowledgeGraph
from kg.errors import LoadError
from kg.loaders.mapping import load_mapping

PATENTS = {
    "header": True,
    "nodes": [
        {"type": "Patent", "columns": {"id": "申请号", "name": "专利名称", "application_year": "申请年份"}},
        {
            "type": {
                "大学": "University",
                "学院": "University",
                "研究所": "ResearchInstitute",
                "default": "Enterprise",
            },
            "columns": {"name": "申请人"},
            "split": ["name"],
        },
    ],
    "edges": [{"type": "APPLIED_FOR", "from": {"column": "申请人", "split": True}, "to": {"column": "申请号"}}],
}


def patent_sheet(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年专利申请导出"])
    ws.append(["申请号", "专利名称", "申请人", "申请年份"])
    ws.append(["CN202410000001.X", "一种阻燃高分子材料", "甲新材料有限公司；乙大学|丙研究所、丁科技有限公司", 2024])
    ws.append(["CN202410000002.5", "一种换热器", "甲新材料有限责任公司", 2024])
    wb.save(path)
    return path


def test_patent_export_with_several_applicants_per_cell(graph, tmp_path):
    reports = load_mapping(graph, PATENTS, source=patent_sheet(tmp_path / "专利.xlsx"))
    assert {r.type: r.loaded for r in reports} == {
        "Patent": 2,
        "University": 1,
        "ResearchInstitute": 1,
        "Enterprise": 2,
        "APPLIED_FOR": 5,
    }
    df = graph.query("MATCH (o)-[:APPLIED_FOR]->(p:Patent {id: 'CN202410000001.X'}) RETURN o.name AS n ORDER BY n")
    assert df["n"].tolist() == ["丁科技有限公司", "丙研究所", "乙大学", "甲新材料有限公司"]
    # 甲新材料有限责任公司 on row 4 is the same firm as 甲新材料有限公司 on row 3
    assert graph.count("Enterprise") == 2
    assert all(not r.problems for r in reports)


def test_project_sheet_feeds_projects_participations_and_fields(graph, tmp_path):
    graph.upsert_nodes("Field", [{"id": "F0403", "name": "高分子材料"}])
    graph.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲新材料有限公司"}])
    graph.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}, {"id": "U2", "name": "辽宁石油化工大学"}])
    sheet = tmp_path / "产学研项目.csv"
    sheet.write_text(
        "项目编号,项目名称,承担单位,合作单位,技术领域,立项年份\n"
        "PJ1,阻燃材料产学研合作,甲新材料有限公司,大连理工大学；辽宁石油化工大学,F0403,2023\n"
        "PJ2,未知合作,甲新材料有限公司,不存在大学,F0403,2024\n",
        encoding="gbk",
    )
    mapping = tmp_path / "项目.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "source": sheet.name,
                "nodes": [
                    {
                        "type": "Project",
                        "columns": {"id": "项目编号", "name": "项目名称", "start_year": "立项年份"},
                        "values": {"project_kind": "产学研合作"},
                    }
                ],
                "edges": [
                    {
                        "type": "PARTICIPATES_IN",
                        "from": {"column": "承担单位"},
                        "to": {"column": "项目编号"},
                        "values": {"role": "牵头"},
                    },
                    {
                        "type": "PARTICIPATES_IN",
                        "from": {"column": "合作单位", "split": True},
                        "to": {"column": "项目编号"},
                        "values": {"role": "参与"},
                    },
                    {
                        "type": "IN_FIELD",
                        "from": {"column": "项目编号", "type": "Project"},
                        "to": {"column": "技术领域"},
                    },
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    reports = load_mapping(graph, mapping)
    assert [r.loaded for r in reports] == [2, 2, 2, 2]
    bad = reports[2].problems
    assert [(p.row, p.column, p.value) for p in bad] == [(3, "from_id", "不存在大学")]
    roles = graph.query(
        "MATCH (o)-[r:PARTICIPATES_IN]->(:Project {id: 'PJ1'}) RETURN o.id AS oid, r.role AS role ORDER BY oid"
    )
    assert roles.values.tolist() == [["E1", "lead"], ["U1", "partner"], ["U2", "partner"]] or roles.values.tolist() == [
        ["E1", "牵头"],
        ["U1", "参与"],
        ["U2", "参与"],
    ]
    with KnowledgeGraph.open(":memory:") as fresh:
        fresh.upsert_nodes("Field", [{"id": "F0403", "name": "高分子材料"}])
        fresh.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲新材料有限公司"}])
        with pytest.raises(LoadError, match="nothing loaded"):
            load_mapping(fresh, mapping, strict=True)
        assert fresh.count("Project") == 0 and fresh.count("PARTICIPATES_IN") == 0  # one transaction for all


def test_source_without_header_row_and_cli(tmp_path):
    data = tmp_path / "regions.tsv"
    data.write_text("211100\t盘锦市\n211102\t双台子区\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "header": False,
                "columns": ["代码", "名称"],
                "nodes": [{"type": "Region", "columns": {"id": "代码", "name": "名称"}}],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    db = tmp_path / "g.kg"
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--db", str(db), "load", "--mapping", str(mapping), str(data)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    with KnowledgeGraph.open(db) as g:
        assert sorted(g.query("MATCH (r:Region) RETURN r.name AS n")["n"]) == ["双台子区", "盘锦市"]
    with pytest.raises(LoadError, match="needs `nodes:` and/or `edges:`"):
        load_mapping(KnowledgeGraph.open(":memory:"), {"source": str(data)})


EXAMPLE = Path(kg_loaders.__file__).parent / "mapping_example.yaml"


def patent_export(path):
    """A patent export as a search platform writes it: title row, serial-number dates, several applicants per cell."""
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(["专利检索结果（导出于2024-05-01）"])
    ws.append(["申请号", "专利名称", "专利类型", "申请人", "申请日", "IPC分类号"])
    ws.append(
        [
            "CN202410000001.X",
            "一种阻燃高分子材料",
            "发明",
            "甲新材料有限公司；乙大学|中国科学院大连化学物理研究所、丁科技有限公司",
            45292,
            "C08K 5/00",
        ]
    )  # Excel serial of 2024-01-01
    ws.append(
        [
            "CN202310000002.5",
            "一种换热器",
            "实用新型",
            "甲新材料有限责任公司 | 戊学院",
            dt.datetime(2023, 6, 30),
            "F28D",
        ]
    )
    ws.append(["CN202210000003.1", "一种稻蟹共生装置", "发明", "乙大学", "不详", "A01K"])
    wb.save(path)
    return path


def test_shipped_example_mapping_loads_a_patent_export(graph, tmp_path):
    source = patent_export(tmp_path / "专利导出.xlsx")
    reports = load_mapping(graph, EXAMPLE, source=source)
    by_type = {r.type: r for r in reports}
    assert {t: r.loaded for t, r in by_type.items()} == {
        "Patent": 2,
        "University": 2,
        "ResearchInstitute": 1,
        "Enterprise": 2,
        "APPLIED_FOR": 6,
    }
    # the bad date points at its cell; the patent row is left out, so its edge is reported too
    bad = by_type["Patent"].problems
    assert [(p.row, p.column, p.value) for p in bad] == [(5, "application_year", "不详")]
    years = graph.query("MATCH (p:Patent) RETURN p.id AS id, p.application_year AS y, p.patent_kind AS k ORDER BY id")
    assert years.values.tolist() == [
        ["CN202310000002.5", 2023, "utility_model"],
        ["CN202410000001.X", 2024, "invention"],
    ]
    kinds = graph.query("MATCH (o:ResearchInstitute)-[:APPLIED_FOR]->(p:Patent) RETURN o.name AS n")
    assert kinds["n"].tolist() == ["中国科学院大连化学物理研究所"]  # 科学院 wins over 学院
    assert graph.count("Enterprise") == 2  # 甲新材料有限责任公司 is 甲新材料有限公司
    before = graph.counts()
    load_mapping(graph, EXAMPLE, source=source)  # loading the same export again changes nothing
    assert graph.counts().equals(before)


def test_split_pattern_per_column_and_unknown_units_reported(graph, tmp_path):
    sheet = tmp_path / "p.csv"
    sheet.write_text(
        "申请号,专利名称,申请人,申请日\nCN1,甲,甲公司/乙大学,2024-03-01\nCN2,乙,某某课题组,20230102\n", encoding="utf-8"
    )
    mapping = {
        "nodes": [
            {
                "type": "Patent",
                "columns": {"id": "申请号", "name": "专利名称", "application_year": {"column": "申请日", "as": "year"}},
            },
            {
                "type": {"大学": "University", "公司": "Enterprise"},
                "columns": {"name": "申请人"},
                "split": {"name": "/"},
            },
        ],
        "edges": [{"type": "APPLIED_FOR", "from": {"column": "申请人", "split": "/"}, "to": {"column": "申请号"}}],
    }
    reports = load_mapping(graph, mapping, source=sheet)
    assert [r.loaded for r in reports] == [2, 1, 1, 2]
    assert graph.query("MATCH (p:Patent {id: 'CN2'}) RETURN p.application_year AS y").iloc[0, 0] == 2023
    # 某某课题组 fits no name ending, is no person and there is no default type: not created, its edge reported
    assert [(p.row, p.value) for p in reports[-1].problems] == [(3, "某某课题组")]
    with pytest.raises(LoadError, match="split names 'title'"):
        load_mapping(
            graph,
            {**mapping, "nodes": [{"type": "Patent", "columns": {"id": "申请号"}, "split": ["title"]}]},
            source=sheet,
        )
