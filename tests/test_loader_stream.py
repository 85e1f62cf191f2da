"""Big regular text files are read and checked in chunks (kg.loaders.stream): the same graph, rows and problems
as a whole-file read, on generated files and on the real Horizon 2020 participations."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest
from realdata import H2020_TYPES, h2020_rows, needs_real

import kg.loaders.load as load_module
import kg.loaders.stream as stream
from kg import KnowledgeGraph
from kg.loaders import load_file
from kg.loaders.sources import read_table
from kg.loaders.stream import NotStreamable, stream_table


@pytest.fixture
def streamed(monkeypatch):
    """Every file is streamed, in chunks of ``rows`` rows; returns the list of loads that went by chunks."""
    went: list[bool] = []
    load_chunks = load_module.load_chunks

    def spy(*args, **kwargs):
        report = load_chunks(*args, **kwargs)
        went.append(report is not None)
        return report

    def set_rows(rows: int) -> list[bool]:
        monkeypatch.setattr(stream, "STREAM_BYTES", 0)
        monkeypatch.setattr(stream, "CHUNK_ROWS", rows)
        monkeypatch.setattr(load_module, "load_chunks", spy)
        return went

    return set_rows


def _sheet(path, lines: list[str], encoding: str = "utf-8", opener=open):
    with opener(path, "wt", encoding=encoding, newline="") as f:
        f.write("\n".join(lines) + "\n")
    return path


FIRM_LINES = [
    "企业编号,企业名称,职工人数,成立日期",
    *[f"E{i:04d}, 测试{i}科技有限公司 ,{i if i % 7 else 'NULL'},2015-0{1 + i % 9}-01" for i in range(40)],
    '"E0003","测试3科技有限责任公司",99,',  # E0003 again, in a later chunk: one node, the other spelling an alias
    "E0041,,——,",
]


@pytest.mark.parametrize(
    ("suffix", "encoding", "opener"),
    [(".csv", "utf-8", open), (".csv", "utf-8-sig", open), (".csv", "gb18030", open), (".csv.gz", "utf-8", gzip.open)],
)
def test_chunks_hold_the_cells_and_row_numbers_of_a_whole_read(tmp_path, suffix, encoding, opener):
    path = _sheet(tmp_path / f"firms{suffix}", FIRM_LINES, encoding, opener)
    chunks = list(stream_table(path, chunk_rows=9, min_bytes=0))
    whole = read_table(path)
    assert [len(c.frame) for c in chunks] == [8, 9, 9, 9, 7]  # 9 lines a chunk, the header in the first
    assert all(c.headers == ["企业编号", "企业名称", "职工人数", "成立日期"] for c in chunks)
    assert [r for c in chunks for r in c.rows] == whole.rows == list(range(2, 44))
    joined = pd.concat([c.frame for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole.frame)
    assert joined.iloc[0].tolist() == ["E0000", "测试0科技有限公司", None, "2015-01-01"]  # trimmed, NULL blank
    assert joined.iloc[41].tolist() == ["E0041", None, None, None]  # —— is a blank


def test_a_small_or_irregular_file_is_read_whole(tmp_path):
    path = _sheet(tmp_path / "firms.csv", FIRM_LINES)
    assert stream_table(path) is None  # smaller than STREAM_BYTES
    titled = _sheet(tmp_path / "titled.csv", ["2023年度高新技术企业名单", *FIRM_LINES])
    assert stream_table(titled, min_bytes=0) is None  # a title row: the record reader finds the header
    blank = _sheet(tmp_path / "blank.csv", [*FIRM_LINES[:5], "", *FIRM_LINES[5:]])
    assert stream_table(blank, min_bytes=0) is None


def test_a_file_found_ragged_after_its_first_lines_raises_not_streamable(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "SAMPLE_BYTES", 200)  # the ragged line lies beyond the lines looked at first
    path = _sheet(tmp_path / "firms.csv", [*FIRM_LINES[:30], "E9999,多一列公司,3,2019-01-01,多余", *FIRM_LINES[30:]])
    with pytest.raises(NotStreamable, match="Expected 4 columns, got 5"):
        list(stream_table(path, chunk_rows=9, min_bytes=0))


def test_a_ragged_file_is_loaded_as_a_whole_read_loads_it(tmp_path, monkeypatch, streamed):
    went = streamed(9)
    monkeypatch.setattr(stream, "SAMPLE_BYTES", 200)
    path = _sheet(tmp_path / "firms.csv", [*FIRM_LINES[:30], "E9999,多一列公司,3,2019-01-01,多余", *FIRM_LINES[30:]])
    with KnowledgeGraph.open(tmp_path / "g.kg") as g:
        with pytest.raises(Exception, match="line 31") as refused:
            load_file(g, path, as_type="Enterprise")
        assert "5 cells" in str(refused.value) or "cells" in str(refused.value)
        report = load_file(g, path, as_type="Enterprise", bad_rows="reject")
        assert went == [False, False]  # both went back to the whole-file reader
        assert report.loaded == 41 and [p.row for p in report.problems] == [31]


def test_a_node_in_two_chunks_is_one_node_as_in_a_whole_load(tmp_path, streamed):
    path = _sheet(tmp_path / "firms.csv", FIRM_LINES)
    with KnowledgeGraph.open(":memory:") as whole:
        expected = load_file(whole, path, as_type="Enterprise")
        want = _firms(whole)
    went = streamed(9)
    with KnowledgeGraph.open(tmp_path / "g.kg") as g:
        report = load_file(g, path, as_type="Enterprise")
        assert went == [True]
        assert (report.loaded, report.rows_read, report.rejected) == (expected.loaded, 42, 0) == (41, 42, 0)
        got = _firms(g)
    pd.testing.assert_frame_equal(got, want)
    assert got.loc["E0003"].tolist() == ["测试3科技有限公司", ["测试3科技有限责任公司"], 99]
    assert got.loc["E0007", "employees"] is None or pd.isna(got.loc["E0007", "employees"])  # NULL


def test_rows_without_ids_are_matched_by_name_over_the_whole_file(tmp_path, streamed):
    lines = ["企业名称,职工人数", *[f"测试{i}科技有限公司,{i + 1}" for i in range(20)], "测试2科技有限责任公司,77"]
    path = _sheet(tmp_path / "names.csv", lines)
    went = streamed(6)
    with KnowledgeGraph.open(":memory:") as g:
        report = load_file(g, path, as_type="Enterprise")
        assert went == [False]  # names are matched across the file: read whole
        assert report.loaded == 20 and g.count("Enterprise") == 20


def test_problems_name_the_source_rows_of_later_chunks(tmp_path, streamed):
    lines = ["企业编号,企业名称,职工人数", *[f"E{i},公司{i},{'很多' if i in (4, 17) else i}" for i in range(25)]]
    path = _sheet(tmp_path / "firms.csv", lines)
    streamed(5)
    with KnowledgeGraph.open(":memory:") as g:
        report = load_file(g, path, as_type="Enterprise")
        assert [(p.row, p.column, p.value) for p in report.problems] == [
            (6, "职工人数", "很多"),
            (19, "职工人数", "很多"),
        ]
        assert report.loaded == 23
        with pytest.raises(Exception, match="row 6"):
            load_file(g, path, as_type="Enterprise", strict=True)
        assert g.count("Enterprise") == 23


def _firms(g) -> pd.DataFrame:
    return g.query(
        "MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name, e.aliases AS aliases, e.employees AS employees "
        "ORDER BY id"
    ).set_index("id")


@needs_real
def test_real_participations_streamed_fold_repeated_pairs_across_chunks(tmp_path, streamed):
    """One row per shared project between a firm and a university or institute (Horizon 2020): a pair comes
    back in many chunks; streamed, it is one edge with the earliest year and the number of rows, as pandas
    counts them."""
    rows = h2020_rows().dropna(subset=["start_year"])
    typed = rows[rows["type"].isin(H2020_TYPES)]
    firms = typed[typed["type"] == "PRC"][["rcn", "pic", "start_year"]].drop_duplicates(["rcn", "pic"])
    acad = typed[typed["type"].isin(["HES", "REC"])][["rcn", "pic", "type"]].drop_duplicates(["rcn", "pic"])
    sheet = firms.merge(acad, on="rcn", suffixes=("_firm", "_partner"))
    sheet = sheet[sheet["pic_firm"] != sheet["pic_partner"]].sample(frac=1.0, random_state=7)  # pairs scattered
    path = tmp_path / "COOPERATES_WITH.csv"
    pd.DataFrame(
        {
            "from_id": sheet["pic_firm"],
            "to_id": sheet["pic_partner"],
            "to_type": sheet["type"].map(H2020_TYPES),
            "since": sheet["start_year"],
        }
    ).to_csv(path, index=False)
    expected = sheet.groupby(["pic_firm", "pic_partner"]).agg(since=("start_year", "min"), n=("rcn", "size"))
    went = streamed(5_000)
    with KnowledgeGraph.open(tmp_path / "g.kg") as g:
        for code, label in H2020_TYPES.items():
            pics = typed[typed["type"] == code]["pic"].drop_duplicates()
            g.upsert_nodes(label, pd.DataFrame({"id": pics, "name": "PIC " + pics}))
        report = load_file(g, path)
        got = g.query(
            "MATCH (a:Enterprise)-[r:COOPERATES_WITH]->(b) RETURN a.id AS f, b.id AS p, r.since AS since, "
            "r.occurrences AS n"
        )
    assert went == [True] and len(sheet) > 4 * 5_000
    assert (report.rows_read, report.rejected) == (len(sheet), 0)
    assert report.loaded == len(expected) == len(got)
    got = got.set_index(["f", "p"]).sort_index()
    expected.index.names = ["f", "p"]
    assert got["since"].astype(int).tolist() == expected.sort_index()["since"].astype(int).tolist()
    assert got["n"].fillna(1).astype(int).tolist() == expected.sort_index()["n"].tolist()
