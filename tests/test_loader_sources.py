"""The fast paths of reading and converting (pyarrow CSV reader, vectorised codes, numbers and names) give the
same cells and the same row numbers as the careful paths."""

from __future__ import annotations

import pandas as pd

from kg.loaders import load_file
from kg.loaders.columns import clean_names, convert_codes, convert_column
from kg.loaders.sources import read_table
from kg.normalise import CodeError, fix_code
from kg.schema import load_schema


def test_row_numbers_survive_blank_lines_quotes_and_encodings(tmp_path, graph):
    plain = tmp_path / "plain.csv"
    plain.write_text('企业名称,职工人数\n甲公司,10\n"乙,公司",20\n丙公司, 30 \n', encoding="utf-8")
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("企业名称,职工人数\n甲公司,10\n\n乙公司,很多\n\n", encoding="gb18030")
    t = read_table(plain)
    assert t.rows == [2, 3, 4] and t.frame.values.tolist() == [["甲公司", "10"], ["乙,公司", "20"], ["丙公司", "30"]]
    t = read_table(gaps)
    assert t.rows == [2, 4] and t.encoding == "gb18030"
    report = load_file(graph, gaps, as_type="Enterprise")
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (4, "职工人数", "很多")
    ]  # the cell as Excel shows it


def test_vectorised_conversions_match_the_per_cell_rules():
    codes = pd.Series(["211102.0", "9.1E+17", None, "９１２１", " 91 21 ", "ABC-1", "CN202410000001.X"], dtype=object)
    values, bad = convert_codes(codes)
    expected = []
    for v in codes:
        try:
            expected.append(fix_code(v) if v is not None else None)
        except CodeError:
            expected.append(None)
    assert values.tolist() == expected and list(bad) == [1]
    props = load_schema().node("Enterprise").properties
    values, bad = convert_column(props["employees"], pd.Series(["12", None, "-3"]))
    assert values.tolist() == [12, None, None] and "below the minimum 0" in bad[2]  # a count is never negative
    assert convert_column(props["employees"], pd.Series(["1,300", "0x10"]))[1] == {
        1: "employees (职工人数): '0x10' is not a whole number"
    }
    assert convert_column(props["revenue"], pd.Series(["1.5", "2", "1e3"]))[0].tolist() == [1.5, 2.0, 1000.0]
    assert clean_names(pd.Series(["甲  乙", "甲\u3000乙", None, "a b"], dtype=object)).tolist() == [
        "甲 乙",
        "甲 乙",
        None,
        "a b",
    ]


def test_the_arrow_fast_path_reads_a_regular_csv_as_the_strict_reader_does(tmp_path):
    """Padded cells, odd spaces, null tokens, dash-only cells, per-column nulls and a row of blanks: the
    regular file (pyarrow's reader and kernels) and the strict record reader give the same cells and rows."""
    text = (
        "企业名称,所在国家,职工人数\n"
        " 甲公司 ,NA,\u3000120\u3000\n"
        "乙公司,DE,——\n"
        "N/A, ,NULL\n"
        "丙公司\u00a0,CN,0000-00-00\n"
    )
    path = tmp_path / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    for nulls in (None, {"所在国家": []}, ["甲公司"], []):
        fast = read_table(path, nulls=nulls)
        strict = read_table(path, nulls=nulls, quote="'")  # another quote character: record by record
        assert fast.frame.to_numpy().tolist() == strict.frame.to_numpy().tolist(), nulls
        assert fast.rows == strict.rows
        assert fast.nulls_applied and not strict.nulls_applied  # the two paths were taken
    default = read_table(path)
    assert default.rows == [2, 3, 5]  # row 4 holds only null tokens and blanks
    assert default.frame.to_numpy().tolist() == [
        ["甲公司", None, "120"],
        ["乙公司", "DE", None],
        ["丙公司", "CN", None],
    ]
    assert read_table(path, nulls={"所在国家": []}).frame["所在国家"].tolist() == ["NA", "DE", "CN"]
