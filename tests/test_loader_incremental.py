"""Incremental reloads: one read of what is stored, a column-wise diff, only changed rows and columns written."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.loaders import load_file
from kg.stored import changed_cells, stored_nodes, update_groups

USCC_A = "91211102104289785B"
USCC_B = "911101085514006238"
HEADER = ["统一社会信用代码", "企业名称", "职工人数", "成立日期", "营业收入(万元)"]


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


@pytest.fixture()
def graph():
    g = KnowledgeGraph.open(":memory:")
    yield g
    g.close()


def _stored(graph):
    df = graph.query(
        "MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name, e.employees AS employees, "
        "e.founded AS founded, e.revenue AS revenue, e.aliases AS aliases ORDER BY id"
    )
    return df.set_index("id")


def test_reloading_the_same_file_changes_no_row(graph, tmp_path):
    path = write(
        tmp_path / "firms.csv",
        [[USCC_A, "甲化工有限公司", "120", "2015-03-01", "88.5"], [USCC_B, "乙装备有限公司", "30", "2019-07-02", ""]],
    )
    load_file(graph, path, as_type="Enterprise")
    before = _stored(graph)
    frame = pd.DataFrame(
        {
            "id": [USCC_A, USCC_B],
            "name": ["甲化工有限公司", "乙装备有限公司"],
            "employees": [120, 30],
            "founded": [dt.date(2015, 3, 1), dt.date(2019, 7, 2)],
            "revenue": [88.5, None],
        }
    )
    props = graph.schema.node("Enterprise").properties
    cols = {p: props[p] for p in ["name", "employees", "founded", "revenue"]}
    rows, columns = changed_cells(
        frame, stored_nodes(graph, "Enterprise", frame["id"].tolist(), list(cols)), "id", cols
    )
    assert rows.num_rows == 0 and columns == []
    report = load_file(graph, path, as_type="Enterprise")
    assert (report.loaded, report.rejected) == (2, 0)
    pd.testing.assert_frame_equal(_stored(graph), before)


def test_a_changed_cell_is_written_and_a_blank_keeps_the_stored_value(graph, tmp_path):
    path = tmp_path / "firms.csv"
    load_file(
        graph,
        write(
            path,
            [
                [USCC_A, "甲化工有限公司", "120", "2015-03-01", "88.5"],
                [USCC_B, "乙装备有限公司", "30", "2019-07-02", "12"],
            ],
        ),
        as_type="Enterprise",
    )
    frame = pd.DataFrame({"id": [USCC_A, USCC_B], "employees": [121, None], "revenue": [88.5, None]})
    props = graph.schema.node("Enterprise").properties
    cols = {p: props[p] for p in ["employees", "revenue"]}
    rows, columns = changed_cells(frame, stored_nodes(graph, "Enterprise", [USCC_A, USCC_B], list(cols)), "id", cols)
    assert rows.column("id").to_pylist() == [USCC_A] and columns == ["employees"]
    assert rows.column("employees").to_pylist() == [121]
    load_file(
        graph,
        write(
            path,
            [[USCC_A, "甲化工有限公司", "121", "2015-03-01", "88.5"], [USCC_B, "乙装备有限公司", "", "2019-07-02", ""]],
        ),
        as_type="Enterprise",
    )
    after = _stored(graph)
    assert after.loc[USCC_A, "employees"] == 121 and after.loc[USCC_A, "revenue"] == 88.5
    assert after.loc[USCC_B, "employees"] == 30 and after.loc[USCC_B, "revenue"] == 12.0  # blanks keep what is stored


def test_a_new_spelling_of_a_stored_name_becomes_an_alias_and_new_keys_are_added(graph, tmp_path):
    load_file(
        graph,
        write(tmp_path / "a.csv", [[USCC_A, "盘锦（辽河）化工有限责任公司", "120", "", ""]]),
        as_type="Enterprise",
    )
    report = load_file(
        graph,
        write(
            tmp_path / "b.csv",
            [[USCC_A, "盘锦(辽河)化工有限公司", "", "", ""], [USCC_B, "乙装备有限公司", "30", "", ""]],
        ),
        as_type="Enterprise",
    )
    assert (report.loaded, report.rejected) == (2, 0)
    after = _stored(graph)
    assert after.loc[USCC_A, "name"] == "盘锦（辽河）化工有限责任公司"
    assert list(after.loc[USCC_A, "aliases"]) == ["盘锦(辽河)化工有限公司"]
    assert after.loc[USCC_A, "employees"] == 120 and after.loc[USCC_B, "employees"] == 30


def test_changed_rows_are_grouped_by_the_columns_that_change(graph, monkeypatch):
    monkeypatch.setattr("kg.stored.STATEMENT_COST", 0.0)  # a few rows: group as a large load would
    props = graph.schema.node("Enterprise").properties
    cols = {p: props[p] for p in ("employees", "revenue", "source", "source_row")}
    stored = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "employees": [1, 2, 3, 4],
            "revenue": [1.0, 1.0, 1.0, None],
            "source": ["old.csv"] * 4,
            "source_row": [2, 3, 4, 5],
        }
    ).set_index("id")
    incoming = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "employees": [1, 20, 30, 4],  # b and c: staff only
            "revenue": [5.0, 1.0, 1.0, None],  # a: revenue only; d: nothing (a blank keeps the stored value)
            "source": ["new.csv"] * 4,
            "source_row": [2, 3, 4, 5],
        }
    )
    groups = {tuple(t.column("id").to_pylist()): (cols_, t) for t, cols_ in update_groups(incoming, stored, "id", cols)}
    assert set(groups) == {("b", "c"), ("a",)}
    assert groups[("b", "c")][0] == ["employees", "source"] and groups[("a",)][0] == ["revenue", "source"]
    assert groups[("b", "c")][1].column("employees").to_pylist() == [20, 30]
    # provenance alone is no change: d is not written though its source differs
    rows, columns = changed_cells(incoming, stored, "id", cols)
    assert sorted(rows.column("id").to_pylist()) == ["a", "b", "c"] and set(columns) == {
        "employees",
        "revenue",
        "source",
    }


def test_a_reload_under_another_name_keeps_the_provenance_of_unchanged_rows(graph, tmp_path):
    rows = [
        [USCC_A, "甲化工有限公司", "120", "2015-03-01", "88.5"],
        [USCC_B, "乙装备有限公司", "30", "2019-07-02", "12"],
    ]
    load_file(graph, write(tmp_path / "2023.csv", rows), as_type="Enterprise")
    rows[1][2] = "31"
    report = load_file(graph, write(tmp_path / "2024.csv", rows), as_type="Enterprise")
    assert (report.loaded, report.rejected) == (2, 0)
    got = graph.query("MATCH (e:Enterprise) RETURN e.id AS id, e.source AS s, e.employees AS n ORDER BY id")
    want = pd.DataFrame({"id": [USCC_B, USCC_A], "s": ["2024.csv", "2023.csv"], "n": [31, 120]}).sort_values("id")
    assert got.values.tolist() == want.values.tolist()
