"""Loaders on files the tests write the way bureaus produce them (real store, real readers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from kg import KnowledgeGraph
from kg.errors import LoadError
from kg.loaders import load_file, load_files, problems_frame, template_header
from kg.normalise import check_uscc, name_key

# valid codes (GB 32100 check digits), computed with stdnum
USCC_A = "91211102104289785B"
USCC_B = "911101085514006238"
USCC_BAD = "911101085514006239"

HEADER = ["企业名称", "统一社会信用代码", "所在区县", "职工人数", "成立日期", "是否上市"]
ROWS = [
    ["盘锦（辽河）化工有限责任公司", USCC_A, "211102", "120", "2015-03-01", "否"],
    ["兴隆台智能装备有限公司", USCC_B, "211103", "1,300", "44197", "是"],
]


def write_csv(path: Path, rows, encoding="utf-8", sep=","):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def names(g, label="Enterprise"):
    return sorted(g.query(f"MATCH (n:{label}) RETURN n.name AS name")["name"])


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_in_every_common_encoding_loads_with_chinese_headers(graph, tmp_path, encoding):
    sep = "\t" if encoding == "utf-16" else ","
    path = write_csv(tmp_path / f"企业_{encoding}.csv", [HEADER, *ROWS], encoding, sep)
    report = load_file(graph, path, as_type="Enterprise")
    assert (report.loaded, report.rejected) == (2, 0)
    row = graph.query(
        "MATCH (e:Enterprise {id: $id}) RETURN e.name AS name, e.employees AS n, e.founded AS d, "
        "e.listed AS listed, e.uscc AS uscc, e.region AS region",
        id=USCC_B,
    ).iloc[0]
    assert row["name"] == "兴隆台智能装备有限公司"
    assert row["n"] == 1300
    assert pd.Timestamp(row["d"]).date().isoformat() == "2021-01-01"  # Excel serial 44197
    assert bool(row["listed"]) is True
    assert row["uscc"] == USCC_B and row["region"] == "211103"


def test_excel_with_title_row_and_merged_two_level_header(graph, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2023年度高新技术企业名单"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "企业信息", None, "所在区县", "职工人数"])
    ws.merge_cells("B2:C2")
    ws.append([None, "企业名称", "统一社会信用代码", None, None])
    ws.append([1, "盘锦（辽河）化工有限责任公司", USCC_A, 211102, 120])
    ws.append([None, None, None, None, None])  # a blank row
    ws.append([2, "兴隆台智能装备有限公司", USCC_BAD, 211103.0, "很多"])
    ws.append([3, "大洼新材料有限公司", 9.12101e17, 211104, 15])
    path = tmp_path / "高企名单.xlsx"
    wb.save(path)
    report = load_file(graph, path, as_type="Enterprise")
    assert report.loaded == 1
    problems = problems_frame([report])
    # the report points at the exact cells, numbered as Excel shows them
    got = {(r.row, r.column) for r in problems.itertuples()}
    assert got == {(6, "统一社会信用代码"), (6, "职工人数"), (7, "统一社会信用代码")}
    reasons = " ".join(problems["reason"])
    assert "wrong check digit" in reasons and "lost its digits" in reasons and "whole number" in reasons
    assert names(graph) == ["盘锦（辽河）化工有限责任公司"]
    assert any("two header rows" in w for w in report.warnings)


def test_same_company_three_ways_is_one_node_with_every_spelling_kept(graph, tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        [
            ["企业名称", "主营产品"],
            ["盘锦（辽河）化工有限责任公司", "乙烯"],
            ["盘锦(辽河)化工有限公司", None or ""],
            ["盘锦 (辽河) 化工有限公司 ", "丙烯"],
        ],
    )
    report = load_file(graph, path, as_type="Enterprise")
    assert report.loaded == 1
    df = graph.query("MATCH (e:Enterprise) RETURN e.name AS name, e.aliases AS aliases, e.products AS p")
    assert len(df) == 1
    assert df["name"][0] == "盘锦（辽河）化工有限责任公司"  # as first written
    assert sorted(df["aliases"][0]) == ["盘锦 (辽河) 化工有限公司", "盘锦(辽河)化工有限公司"]
    assert df["p"][0] == "丙烯"  # the later non-blank value wins
    # a later sheet with a former name and the code joins the same node
    path2 = write_csv(
        tmp_path / "e2.csv",
        [["企业名称", "统一社会信用代码", "曾用名"], ["盘锦辽河化工有限公司", "", "盘锦(辽河)化工有限公司"]],
    )
    load_file(graph, path2, as_type="Enterprise")
    assert graph.count("Enterprise") == 1  # its former name (曾用名) is a stored spelling
    df = graph.query("MATCH (e:Enterprise) RETURN e.name AS name, e.aliases AS aliases")
    assert "盘锦辽河化工有限公司" in df["aliases"][0]
    assert name_key("盘锦（辽河）化工有限责任公司") == name_key("盘锦(辽河)化工有限公司")


def test_bad_rows_are_reported_and_good_rows_load_strict_loads_nothing(graph, tmp_path):
    path = write_csv(tmp_path / "e.csv", [HEADER, ROWS[0], ["坏企业", USCC_BAD, "211102", "x", "2020-13-45", "也许"]])
    report = load_file(graph, path, as_type="Enterprise")
    assert report.loaded == 1 and report.rejected == 1
    cols = sorted(p.column for p in report.problems)
    assert cols == ["成立日期", "是否上市", "统一社会信用代码", "职工人数"]
    assert {p.row for p in report.problems} == {3}
    with KnowledgeGraph.open(":memory:") as fresh:
        with pytest.raises(LoadError, match=r"1 rows have problems, nothing loaded \(--strict\); first: row 3"):
            load_file(fresh, path, as_type="Enterprise", strict=True)
        assert fresh.count("Enterprise") == 0


def test_missing_required_column_empty_file_and_header_only(graph, tmp_path):
    with pytest.raises(
        LoadError, match="needs a 企业名称 \\(name\\) or 统一社会信用代码 \\(id\\) column; columns found: 职工人数"
    ):
        load_file(graph, write_csv(tmp_path / "a.csv", [["职工人数"], ["5"]]), as_type="Enterprise")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    report = load_file(graph, empty, as_type="Enterprise")
    assert report.loaded == 0 and "empty" in report.problems[0].reason
    header_only = load_file(graph, write_csv(tmp_path / "h.csv", [HEADER]), as_type="Enterprise")
    assert header_only.loaded == 0 and header_only.ok and "header only" in header_only.warnings[0]
    with pytest.raises(LoadError, match="unknown type 'Firm' for --as"):
        load_file(graph, empty, as_type="Firm")


def test_cypher_looking_name_loads_as_plain_text(graph, tmp_path):
    evil = "x'}) DETACH DELETE n //"
    load_file(graph, write_csv(tmp_path / "a.csv", [HEADER, ROWS[0]]), as_type="Enterprise")
    path = tmp_path / "b.csv"
    pd.DataFrame({"企业名称": [evil, 'y"}) MATCH (m) DETACH DELETE m //']}).to_csv(path, index=False)
    report = load_file(graph, path, as_type="Enterprise")
    assert report.loaded == 2
    assert evil in names(graph) and graph.count("Enterprise") == 3


def test_loading_twice_changes_nothing_and_a_newer_version_updates(graph, tmp_path):
    path = write_csv(tmp_path / "e.csv", [HEADER, *ROWS])
    load_file(graph, path, as_type="Enterprise")
    before = graph.query(
        "MATCH (e:Enterprise) RETURN e.id AS id, e.employees AS n, e.source AS s, e.source_row AS r ORDER BY id"
    )
    load_file(graph, path, as_type="Enterprise")
    after = graph.query(
        "MATCH (e:Enterprise) RETURN e.id AS id, e.employees AS n, e.source AS s, e.source_row AS r ORDER BY id"
    )
    pd.testing.assert_frame_equal(before, after)
    assert after["r"].tolist() == [3, 2] and after["s"].str.endswith("e.csv").all()
    newer = write_csv(
        tmp_path / "e2.csv", [HEADER, [*ROWS[0][:3], "150", "", ""], ["大洼新材料有限公司", "", "211104", "9", "", ""]]
    )
    load_file(graph, newer, as_type="Enterprise")
    assert graph.count("Enterprise") == 3
    row = graph.query("MATCH (e:Enterprise {id: $id}) RETURN e.employees AS n, e.founded AS d", id=USCC_A).iloc[0]
    assert (
        row["n"] == 150 and pd.Timestamp(row["d"]).date().isoformat() == "2015-03-01"
    )  # blank cells never erase stored values


def test_edges_name_endpoints_by_id_name_or_alias_and_report_unknown_ones(graph, tmp_path):
    load_file(graph, write_csv(tmp_path / "e.csv", [HEADER, *ROWS]), as_type="Enterprise")
    graph.upsert_nodes("University", [{"id": "4121010141", "name": "大连理工大学", "aliases": ["大工"]}])
    graph.upsert_nodes("ResearchInstitute", [{"id": "RI1", "name": "中国科学院大连化学物理研究所"}])
    path = write_csv(
        tmp_path / "coop.csv",
        [
            ["企业名称", "合作单位", "开始年份"],
            ["盘锦(辽河)化工有限公司", "大工", "2021"],
            [USCC_B, "4121010141", "2022.0"],
            [USCC_B, "中国科学院大连化学物理研究所", "2023"],
            ["不存在公司", "大连理工大学", "2020"],
        ],
    )
    report = load_file(graph, path, as_type="产学研合作")
    assert report.loaded == 3
    assert [(p.row, p.column) for p in report.problems] == [(5, "企业名称")]
    assert "not a known Enterprise" in report.problems[0].reason
    df = graph.query(
        "MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u) RETURN e.id AS e, u.id AS u, c.since AS y ORDER BY y"
    )
    assert df.values.tolist() == [[USCC_A, "4121010141", 2021], [USCC_B, "4121010141", 2022], [USCC_B, "RI1", 2023]]


def test_json_and_jsonl_sources(graph, tmp_path):
    (tmp_path / "r.json").write_text(
        json.dumps({"data": [{"行政区划代码": "211100", "区划名称": "盘锦市"}]}, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "r.jsonl").write_text(
        '{"id": "211102", "name": "双台子区"}\n\n{"id": "211103", "name": "兴隆台区"}\n', encoding="utf-8"
    )
    reports = load_files(graph, [tmp_path / "r.json", tmp_path / "r.jsonl"], as_type="Region")
    assert [r.loaded for r in reports] == [1, 2]
    assert names(graph, "Region") == ["兴隆台区", "双台子区", "盘锦市"]


def test_template_is_what_the_demo_writes(tmp_path):
    from kg.demo.generator import generate

    files = generate(tmp_path, seed=3, scale=0.02)
    for path in files.files:
        type_ = path.stem.split("_", 1)[1]
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == template_header(type_), type_


def test_uscc_validator_agrees_with_stdnum():
    import random

    from stdnum.cn import uscc

    from kg.normalise import uscc_valid_mask

    rnd = random.Random(1)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    codes = []
    for i in range(2000):
        body = "".join(rnd.choice("0123456789") for _ in range(8)) + "".join(rnd.choice(alphabet) for _ in range(9))
        codes.append(body + (uscc.calc_check_digit(body) if i % 2 else rnd.choice(alphabet)))
    codes += ["9121110210428978", "91211102104289785I", "甲" * 18]
    assert uscc_valid_mask(codes).tolist() == [uscc.is_valid(c) for c in codes]
    assert check_uscc(" 9121 1102 1042 8978 5b") == USCC_A


def kg(*args, db):
    return subprocess.run(
        [sys.executable, "-m", "kg", "--db", str(db), *args], capture_output=True, text=True, encoding="utf-8"
    )


@pytest.mark.slow  # ~10 s; the same paths run on smaller inputs in the default suite
def test_cli_load_exit_codes_and_report_file(tmp_path):
    db = tmp_path / "g.kg"
    good = write_csv(tmp_path / "nodes_Enterprise.csv", [HEADER, *ROWS])
    done = kg("load", str(good), db=db)
    assert done.returncode == 0, done.stderr
    assert "Enterprise" in done.stdout
    bad = write_csv(tmp_path / "more.csv", [HEADER, ["坏企业", USCC_BAD, "", "", "", ""]])
    report = tmp_path / "problems.csv"
    done = kg("load", str(bad), "--as", "Enterprise", "--report", str(report), db=db)
    assert done.returncode == 1
    problems = pd.read_csv(report, encoding="utf-8-sig", dtype=str)
    assert problems[["row", "column", "value"]].values.tolist() == [["2", "统一社会信用代码", USCC_BAD]]
    done = kg("load", str(bad), "--as", "Enterprise", "--strict", db=db)
    assert done.returncode == 2 and "nothing loaded (--strict)" in done.stderr and "Traceback" not in done.stderr
    done = kg("template", "Enterprise", db=db)
    assert done.stdout.lstrip("\ufeff").splitlines()[0].split(",") == template_header("Enterprise")
