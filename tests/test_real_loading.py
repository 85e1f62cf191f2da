"""The shipped mappings on the real exports: counts per type against figures computed here with pandas.

Fast tests load the whole Horizon 2020 file and slices of the other exports
(kept in their own format: the CSV keeps its trailing commas, the xlsx its
layout, the NSFC file stays zipped); the ``slow`` tests load the whole files.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import realdata as rd
import yaml

from kg import KnowledgeGraph
from kg.errors import LoadError
from kg.loaders.mapping import load_mapping
from kg.loaders.mapping_rows import ORG_ENDINGS
from kg.loaders.sources import read_table

pytestmark = rd.needs_real
MAPPINGS = rd.ROOT / "examples" / "mappings"
H2020_MAP = MAPPINGS / "h2020_participations.yaml"
CNIPA_MAP = MAPPINGS / "cnipa_patents_csv.yaml"
INCOPAT_MAP = MAPPINGS / "incopat_patents_xlsx.yaml"
NSFC_MAP = MAPPINGS / "nsfc_grants.yaml"
ISO = {"EL": "GR", "UK": "GB"}  # the EU's codes for Greece and the United Kingdom


def plain(mapping: Path) -> dict:
    """The shipped mapping without its `parent:` declarations: the counts here are per name as written
    (tests/test_mapping_parents.py checks what the standardised-name column adds)."""
    spec = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    for entry in spec.get("nodes") or []:
        entry.pop("parent", None)
    return spec


def count(g, cypher: str) -> int:
    return int(g.query(cypher).iloc[0, 0])


def loaded(reports) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in reports:
        out[r.type] = out.get(r.type, 0) + r.loaded
    return out


# ------------------------------------------------------------- Horizon 2020
@pytest.fixture(scope="module")
def h2020():
    g = KnowledgeGraph.open(":memory:")
    reports = load_mapping(g, H2020_MAP, source=rd.H2020)
    yield g, reports
    g.close()


def test_h2020_every_organisation_typed_by_its_column_with_its_country(h2020):
    g, reports = h2020
    rows = rd.h2020_rows()
    orgs = rows.drop_duplicates("pic")
    labels = {
        "PRC": "Enterprise",
        "HES": "University",
        "REC": "ResearchInstitute",
        "PUB": "GovernmentAgency",
        "OTH": "ServiceOrg",
    }
    for code, label in labels.items():
        assert g.count(label) == int((orgs["type"] == code).sum()), label
    assert sum(g.count(label) for label in labels.values()) == rows["pic"].nunique()
    assert g.count("Project") == rows["rcn"].nunique()
    assert all(not r.problems for r in reports)  # nothing a person would call valid is rejected
    # countries: one Region per ISO code, each organisation LOCATED_IN its country
    codes = orgs["country"].dropna().map(lambda c: ISO.get(c, c))
    assert count(g, "MATCH (r:Region) WHERE r.region_level = 'country' RETURN count(r)") == codes.nunique()
    assert count(g, "MATCH (o)-[:LOCATED_IN]->(:Region {id: 'DE'}) RETURN count(o)") == int((codes == "DE").sum())
    assert count(g, "MATCH (o)-[:LOCATED_IN]->(:Region {id: 'GR'}) RETURN count(o)") == int(
        (orgs["country"] == "EL").sum()
    )
    assert g.query("MATCH (r:Region {id: 'DE'}) RETURN r.name AS n")["n"].tolist() == ["德国"]
    namibia = int((orgs["country"] == "NA").sum())  # `NA` is a country code in this column, a blank elsewhere
    assert namibia > 0
    assert count(g, "MATCH (o)-[:LOCATED_IN]->(:Region {id: 'NA'}) RETURN count(o)") == namibia


def test_h2020_participations_roles_years_and_public_bodies(h2020):
    g, _ = h2020
    rows = rd.h2020_rows().drop_duplicates(["pic", "rcn"])
    assert g.count("PARTICIPATES_IN") == len(rows)
    leads = count(g, "MATCH ()-[p:PARTICIPATES_IN]->() WHERE p.role = 'lead' RETURN count(p)")
    assert leads == int((rows["role"] == "coordinator").sum())
    pub = count(g, "MATCH (:GovernmentAgency)-[p:PARTICIPATES_IN]->(:Project) RETURN count(p)")
    assert pub == int((rows["type"] == "PUB").sum())
    y2016 = count(g, "MATCH ()-[p:PARTICIPATES_IN]->() WHERE p.year = 2016 RETURN count(p)")
    assert y2016 == int((rows["start_year"] == 2016).sum())


def test_h2020_derived_cooperations_are_dated_by_the_earliest_shared_project(h2020):
    g, reports = h2020
    want = rd.h2020_pairs()
    got = g.query(
        "MATCH (a:Enterprise)-[c:COOPERATES_WITH]->(b) RETURN a.id AS firm, b.id AS partner, "
        "c.since AS since, c.weight AS weight"
    )
    assert len(got) == len(want)
    both = want.merge(got, on=["firm", "partner"], suffixes=("", "_kg"))
    assert len(both) == len(want)
    assert (both["since"] == both["since_kg"]).all() and (both["weight"] == both["weight_kg"]).all()
    repeated = want[want["weight"] > 1]
    assert len(repeated) and (both.loc[both["weight"] > 1, "since_kg"] <= 2017).all()
    summary = next(r for r in reports if r.type == "COOPERATES_WITH")
    assert summary.seconds > 0 and summary.rows_per_second > 0  # the summary shows real timings


def test_h2020_slice_gz_and_region_filter(tmp_path):
    """A slice saved as .csv.gz loads the same way; `--region DE` selects the German organisations."""
    from kg.queries.analytics.centrality import centrality

    rows = rd.h2020_rows()
    part = rows[rows["rcn"].isin(rows["rcn"].drop_duplicates().head(150))]
    path = tmp_path / "slice.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        part.to_csv(handle, index=False, na_rep="NA")
    with KnowledgeGraph.open(":memory:") as g:
        load_mapping(g, H2020_MAP, source=path)
        assert g.count("Project") == 150
        assert g.count("PARTICIPATES_IN") == len(part.drop_duplicates(["pic", "rcn"]))
        top = centrality(g, "degree", region="DE")
        german = set(part.loc[part["country"] == "DE", "pic"])
        assert len(top) and set(top["id"]) <= german


# ----------------------------------------------------------- CNIPA CSV and xlsx
def applicant_types(names: pd.Series, mapping: Path) -> pd.Series:
    """Types by the mapping's endings (after a campus bracket), persons by the 2-4 Han character rule."""
    spec = yaml.safe_load(mapping.read_text(encoding="utf-8"))["definitions"]["applicant"]
    endings = sorted(spec["endings"], key=len, reverse=True)

    def one(name: str) -> str:
        bare = re.sub(r"\s*[（(][^（）()]{1,12}[)）]\s*$", "", name)
        hit = next((e for e in endings if bare.endswith(e)), None)
        if hit:
            return spec["endings"][hit]
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", bare) and not bare.endswith(ORG_ENDINGS):
            return "Person"
        return spec["default"]

    return names.map(one)


def expected_patents(frame: pd.DataFrame, applicants: str, sep: str, mapping: Path, year) -> dict:
    frame = frame.drop_duplicates("申请号")
    names = frame[applicants].str.split(sep).explode().str.strip()
    names = names[names.notna() & (names != "")]
    apps = pd.DataFrame(
        {
            "app": frame.loc[names.index, "申请号"].to_numpy(),
            "name": names.to_numpy(),
            "year": year(frame.loc[names.index]).to_numpy(),
        }
    )
    apps["type"] = applicant_types(apps["name"], mapping)
    apps = apps.drop_duplicates(["app", "name"])
    distinct = apps.drop_duplicates("name")
    firms = apps[apps["type"] == "Enterprise"]
    acad = apps[apps["type"].isin(["University", "ResearchInstitute"])]
    pairs = (
        firms.merge(acad, on="app")
        .groupby(["name_x", "name_y"])
        .agg(since=("year_x", "min"), weight=("app", "nunique"))
    )
    simple = distinct["name"].str.replace("（", "(").str.replace("）", ")").str.replace(" ", "")
    return {
        "Patent": frame["申请号"].nunique(),
        "APPLIED_FOR": len(apps),
        "Person": int((apps["type"] == "Person").sum()),
        "University": int(simple[distinct["type"] == "University"].nunique()),
        "Enterprise": int(simple[distinct["type"] == "Enterprise"].nunique()),
        "COOPERATES_WITH": len(pairs),
        "pairs": pairs.reset_index(),
    }


def check_patents(g, reports, want: dict) -> None:
    got = loaded(reports)
    assert all(not r.problems for r in reports), [r.problems[:2] for r in reports if r.problems]
    for key in ("Patent", "APPLIED_FOR", "Person", "University", "COOPERATES_WITH"):
        assert g.count(key) == want[key], key
    assert want["Enterprise"] - 5 <= g.count("Enterprise") <= want["Enterprise"]  # names folded as spellings
    assert got["APPLIED_FOR"] == want["APPLIED_FOR"]
    stored = g.query(
        "MATCH (a:Enterprise)-[c:COOPERATES_WITH]->(b) RETURN a.name AS f, b.name AS u, "
        "c.since AS since, c.weight AS weight"
    )
    both = want["pairs"].merge(stored, left_on=["name_x", "name_y"], right_on=["f", "u"])
    assert len(both) == len(stored) == want["COOPERATES_WITH"]
    assert (both["since_x"].astype(int) == both["since_y"]).all() and (both["weight_x"] == both["weight_y"]).all()


def cnipa_year(rows: pd.DataFrame) -> pd.Series:
    return rows["申请日"].str[:4].astype(int)


def cnipa_slice(tmp_path: Path, n: int = 700) -> Path:
    """The first ``n`` records of the export, byte for byte (header, quotes, trailing commas)."""
    lines = rd.CNIPA_CSV.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = tmp_path / "cnipa_slice.csv"
    path.write_text("".join(lines[: n + 1]), encoding="utf-8")
    return path


def test_cnipa_csv_delimiter_is_the_comma_not_the_pipe_of_the_applicant_cells():
    table = read_table(rd.CNIPA_CSV)
    assert table.headers == list(rd.cnipa_rows().columns) and len(table.headers) == 24
    assert len(table.frame) == len(rd.cnipa_rows())
    assert any("trailing delimiter" in n for n in table.notes)
    joint = table.frame["申请人"].str.contains(" | ", regex=False)
    assert int(joint.sum()) == 571  # the joint applications SOURCE.md counts


def test_cnipa_csv_mapping_on_a_slice(tmp_path):
    path = cnipa_slice(tmp_path)
    rows = read_slice(path)
    want = expected_patents(rows, "申请人", r"\s*\|\s*", CNIPA_MAP, cnipa_year)
    with KnowledgeGraph.open(":memory:") as g:
        check_patents(g, load_mapping(g, plain(CNIPA_MAP), source=path), want)


def read_slice(path: Path) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():  # the trailing comma is expected: pandas warns about it
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        return pd.read_csv(path, dtype=str, index_col=False, keep_default_na=False)


@pytest.mark.slow
def test_cnipa_csv_mapping_whole_file():
    rows = rd.cnipa_rows()
    want = expected_patents(rows, "申请人", r"\s*\|\s*", CNIPA_MAP, cnipa_year)
    with KnowledgeGraph.open(":memory:") as g:
        check_patents(g, load_mapping(g, plain(CNIPA_MAP), source=rd.CNIPA_CSV), want)


def test_a_and_b_publications_of_one_application_count_once(tmp_path):
    """A grant (B) republishes an application (A): one Patent, its links and pair weights counted once."""
    lines = rd.CNIPA_CSV.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    every = rd.cnipa_rows()
    assert len(lines) == len(every) + 1  # one line per record
    joint = every.index[every["申请人"].str.contains("大学") & every["申请人"].str.contains("公司")]
    assert len(joint) > 40  # university + company co-applications
    lines = [*lines[:200], lines[joint[-1] + 1]]
    path = tmp_path / "ab.csv"
    path.write_text("".join(lines), encoding="utf-8")
    rows = read_slice(path)
    i = len(rows) - 1
    republished = lines[i + 1].replace(rows.loc[i, "公开号"], rows.loc[i, "公开号"][:-1] + "B", 1)
    path.write_text("".join(lines) + republished, encoding="utf-8")
    want = expected_patents(rows, "申请人", r"\s*\|\s*", CNIPA_MAP, cnipa_year)
    with KnowledgeGraph.open(":memory:") as g:
        check_patents(g, load_mapping(g, plain(CNIPA_MAP), source=path), want)
        assert g.count("Patent") == rows["申请号"].nunique() == len(rows)


def incopat_year(rows: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(rows["申请日"]).dt.year


def incopat_rows(n: int | None = None) -> pd.DataFrame:
    frame = pd.read_excel(rd.CNIPA_XLSX, dtype=str)
    return frame.head(n) if n else frame


def test_incopat_xlsx_mapping_on_a_slice(tmp_path):
    rows = incopat_rows(400)
    path = tmp_path / "slice.xlsx"
    rows.to_excel(path, index=False)
    want = expected_patents(rows, "申请人", r"\s*;\s*", INCOPAT_MAP, incopat_year)
    with KnowledgeGraph.open(":memory:") as g:
        check_patents(g, load_mapping(g, INCOPAT_MAP, source=path), want)


@pytest.mark.slow
def test_incopat_xlsx_mapping_whole_file():
    rows = incopat_rows()
    want = expected_patents(rows, "申请人", r"\s*;\s*", INCOPAT_MAP, incopat_year)
    with KnowledgeGraph.open(":memory:") as g:
        check_patents(g, load_mapping(g, INCOPAT_MAP, source=rd.CNIPA_XLSX), want)


def test_campus_brackets_and_individual_applicants(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "申请号,标题,申请日,授权公告日,公开号,国际分类,申请人\n"
        "CN1,甲,20200101,,CN1A,G06F 3/01,中国矿业大学(北京) | 山东大学（威海） | 崔凯 | 甲科技有限公司\n",
        encoding="utf-8",
    )
    with KnowledgeGraph.open(":memory:") as g:
        load_mapping(g, plain(CNIPA_MAP), source=path)
        assert sorted(g.query("MATCH (u:University) RETURN u.name AS n")["n"]) == [
            "中国矿业大学(北京)",
            "山东大学（威海）",
        ]
        assert g.query("MATCH (p:Person)-[:APPLIED_FOR]->(:Patent {id: 'CN1'}) RETURN p.name AS n")["n"].tolist() == [
            "崔凯"
        ]
        assert g.count("APPLIED_FOR") == 4 and g.count("COOPERATES_WITH") == 2


# ------------------------------------------------------------------- NSFC
def nsfc_expected(rows: pd.DataFrame) -> dict:
    hosts = rows["依托单位"].str.replace("（", "(").str.replace("）", ")")
    return {
        "Project": rows["项目批准号"].nunique(),
        "PARTICIPATES_IN": len(rows.drop_duplicates(["项目批准号", "依托单位"])),
        "hosts": hosts.nunique(),
        "raw_hosts": rows["依托单位"].nunique(),
        "start_2017": int((rows["起止年月"].str[:4] == "2017").sum()),
    }


def check_nsfc(g, reports, want: dict) -> None:
    assert all(not r.problems for r in reports)
    assert g.count("Project") == want["Project"]
    assert g.count("PARTICIPATES_IN") == want["PARTICIPATES_IN"]
    hosts = sum(g.count(t) for t in ("University", "ResearchInstitute", "GovernmentAgency", "Enterprise"))
    assert want["hosts"] - 3 <= hosts <= want["raw_hosts"]
    assert count(g, "MATCH (p:Project) WHERE p.start_year = 2017 RETURN count(p)") == want["start_2017"]


def test_nsfc_zipped_csv_mapping_on_a_slice(tmp_path):
    rows = rd.read_zipped_csv(rd.NSFC_NATURAL).head(2000)
    path = tmp_path / "nsfc.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("natural.csv", rows.to_csv(index=False))
    with KnowledgeGraph.open(":memory:") as g:
        check_nsfc(g, load_mapping(g, NSFC_MAP, source=path), nsfc_expected(rows))


@pytest.mark.slow
def test_nsfc_mapping_whole_file():
    rows = rd.read_zipped_csv(rd.NSFC_NATURAL)
    with KnowledgeGraph.open(":memory:") as g:
        check_nsfc(g, load_mapping(g, NSFC_MAP, source=rd.NSFC_NATURAL), nsfc_expected(rows))


NSSF_MAP = MAPPINGS / "nssf_grants.yaml"


def nssf_rows(n: int | None = None) -> pd.DataFrame:
    rows = rd.read_zipped_csv(rd.NSFC_SOCIAL)
    rows = rows[(rows != "").any(axis=1)]  # blank lines are no rows
    return rows.head(n) if n else rows


def check_nssf(g, reports, rows: pd.DataFrame) -> None:
    grants = rows[rows["项目批准号"] != ""]
    # grants without a number are known by their title (one node per title not already numbered)
    named = rows.loc[(rows["项目批准号"] == "") & (rows["项目名称"] != ""), "项目名称"]
    by_title = set(named) - set(grants["项目名称"])
    assert g.count("Project") == grants["项目批准号"].nunique() + len(by_title)
    links = grants[grants["工作单位"] != ""].drop_duplicates(["工作单位", "项目批准号"])
    assert g.count("PARTICIPATES_IN") == len(links)
    edges = next(r for r in reports if r.type == "PARTICIPATES_IN")
    assert not edges.problems  # every host link resolves: edge ends typed like their nodes
    # typed by the 所属系统 column: a unit of the party-school system is a public body
    school = rows.loc[(rows["所属系统"] == "各级党校") & (rows["工作单位"] != ""), "工作单位"].iloc[0]
    assert g.query("MATCH (o:GovernmentAgency) WHERE o.name = $n RETURN count(o) AS k", n=school)["k"][0] == 1
    undated = rows["立项时间"].eq("") | rows["立项时间"].str.startswith("0000")  # 0000-00-00 is a blank
    unknown = int(undated[grants.index].groupby(grants["项目批准号"]).all().sum())
    titled = rows["项目名称"].isin(by_title) & (rows["项目批准号"] == "")
    unknown += int(undated[titled].groupby(rows.loc[titled, "项目名称"]).all().sum())
    assert count(g, "MATCH (p:Project) WHERE p.start_year IS NULL RETURN count(p)") == unknown


def test_nssf_zipped_csv_typed_by_a_column_on_a_slice(tmp_path):
    rows = nssf_rows(3000)
    path = tmp_path / "social.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("social.csv", rows.to_csv(index=False))
    with KnowledgeGraph.open(":memory:") as g:
        check_nssf(g, load_mapping(g, NSSF_MAP, source=path), rows)


@pytest.mark.slow
def test_nssf_mapping_whole_file():
    with KnowledgeGraph.open(":memory:") as g:
        check_nssf(g, load_mapping(g, NSSF_MAP, source=rd.NSFC_SOCIAL), nssf_rows())


# ------------------------------------------------------------ reading rules
def test_zip_with_several_tables_needs_a_member(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "企业名称,所在区县\n甲公司,双台子区\n")
        archive.writestr("b.csv", "x,y\n1,2\n")
    with pytest.raises(LoadError, match=r"holds 2 tables \(a.csv, b.csv\); name one"):
        read_table(path)
    assert read_table(path, member="a.csv").frame.values.tolist() == [["甲公司", "双台子区"]]


def test_null_tokens_are_blanks_by_default(tmp_path):
    path = tmp_path / "nulls.csv"
    path.write_text(
        "项目编号,项目名称,立项年份,结题年份\nP1,甲,NA,——\nP2,乙,2019,0000-00-00\nP3,丙,N/A,------\n", encoding="utf-8"
    )
    from kg.loaders import load_file

    with KnowledgeGraph.open(":memory:") as g:
        report = load_file(g, path, as_type="Project")
        assert report.loaded == 3 and not report.problems
    assert read_table(path, nulls=[]).frame["立项年份"].tolist() == ["NA", "2019", "N/A"]


def test_social_science_file_0000_dates_are_blank():
    table = read_table(rd.NSFC_SOCIAL)
    raw = rd.read_zipped_csv(rd.NSFC_SOCIAL)
    raw = raw[(raw != "").any(axis=1)]  # blank lines are no rows
    assert len(table.frame) == len(raw)
    assert int(table.frame["立项时间"].isna().sum()) == int((raw["立项时间"].isin(["0000-00-00", ""])).sum()) > 3000


# ----------------------------------------------------------------- errors
def run_kg(capsys, *args) -> tuple[int, str]:
    """``kg ARGS`` in this process: exit code and stderr with whitespace folded (a terminal may wrap)."""
    from kg.cli import main

    capsys.readouterr()
    code = main([str(a) for a in args])
    return code, " ".join(capsys.readouterr().err.split())


def bad_mappings(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    spec = yaml.safe_load(H2020_MAP.read_text(encoding="utf-8"))
    out = {}
    for name, change, message in [
        (
            "property",
            lambda s: s["nodes"][0]["columns"].update(nationality="country"),
            r"nodes\[0\].columns: 'nationality' is not a property",
        ),
        ("type", lambda s: s["nodes"][1].update(type="Projekt"), r"nodes\[1\].type: unknown type 'Projekt'"),
        (
            "column",
            lambda s: s["edges"][0]["to"].update(column="project_id"),
            r"edges\[0\].to.column names column 'project_id'",
        ),
        ("key", lambda s: s.update(sheets=0), r"unknown key 'sheets' \(did you mean sheet"),
    ]:
        one = yaml.safe_load(yaml.safe_dump(spec))
        change(one)
        path = tmp_path / f"bad_{name}.yaml"
        path.write_text(yaml.safe_dump(one, allow_unicode=True), encoding="utf-8")
        out[name] = (path, message)
    yaml_path = tmp_path / "bad_yaml.yaml"
    yaml_path.write_text("nodes:\n  - type: Project\n    columns: {id: rcn\n", encoding="utf-8")
    out["yaml"] = (yaml_path, r"bad_yaml.yaml: not valid YAML at line \d+")
    return out


def test_mapping_mistakes_are_one_error_line(tmp_path, capsys):
    small = tmp_path / "h.csv"
    small.write_text(
        "rcn,role,pic,type,country,start_year,end_year\n1,coordinator,9,PRC,DE,2016,2019\n", encoding="utf-8"
    )
    db = tmp_path / "g.kg"
    KnowledgeGraph.open(db).close()  # the store exists: only the error line is printed
    for name, (path, message) in bad_mappings(tmp_path).items():
        code, err = run_kg(capsys, "--db", db, "load", "--mapping", path, small)
        assert code == 2, (name, err)
        assert err.startswith("error:") and err.count("error:") == 1 and "Traceback" not in err, (name, err)
        assert re.search(message, err), (name, err)


def test_unreadable_files_are_one_error_line(tmp_path, capsys):
    corrupt = tmp_path / "broken.xls"
    corrupt.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook" * 10)
    quote = tmp_path / "quote.csv"
    quote.write_text('企业名称,所在区县\n"甲公司,双台子区\n乙公司,兴隆台区\n', encoding="utf-8")
    wide = tmp_path / "wide.csv"
    wide.write_text("企业名称,所在区县\n甲公司,双台子区\n乙公司,兴隆台区,多余\n", encoding="utf-8")
    db = tmp_path / "g.kg"
    KnowledgeGraph.open(db).close()  # the store exists: only the error line is printed
    for path, message in [
        (corrupt, r"broken.xls: not a readable .xls workbook"),
        (quote, r"quote.csv: line 2, column 1: a quote opened here is never closed"),
        (wide, r"wide.csv: line 3: 3 cells where the header has 2"),
        (tmp_path / "x.gz", r"x.gz: no such file"),
    ]:
        code, err = run_kg(capsys, "--db", db, "load", "--as", "Enterprise", path)
        assert code == 2 and err.startswith("error:") and err.count("error:") == 1, err
        assert re.search(message, err), err
    # with --report the bad row is left out and listed; the good one loads (exit 1: some rows rejected)
    report = tmp_path / "problems.csv"
    code, err = run_kg(capsys, "--db", db, "load", "--as", "Enterprise", wide, "--report", report)
    assert code == 1, err
    problems = pd.read_csv(report, dtype=str)
    assert problems["row"].tolist() == ["3"] and "3 cells where the header has 2" in problems["reason"][0]
    with KnowledgeGraph.open(db) as g:
        assert g.query("MATCH (e:Enterprise) RETURN e.name AS n")["n"].tolist() == ["甲公司"]


def test_the_command_line_prints_no_traceback(tmp_path):
    """The installed entry point: a mapping naming an unknown property exits 2 with one error line."""
    path, message = bad_mappings(tmp_path)["property"]
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--db", str(tmp_path / "g.kg"), "load", "--mapping", str(path), str(rd.H2020)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.search(message, " ".join(done.stderr.split()))


def test_lookup_where_and_transform_join_a_second_file(tmp_path):
    """NSFC hosts joined with the university list (a second file): only listed universities, with their type."""
    rows = rd.read_zipped_csv(rd.NSFC_NATURAL).head(1500)
    grants = tmp_path / "grants.csv"
    rows.to_csv(grants, index=False)
    mapping = {
        "lookup": [
            {
                "file": str(rd.UNIVERSITIES),
                "on": "依托单位",
                "key": "name",
                "columns": {"学校层次": "nature", "学校类型": "type"},
            }
        ],
        "transform": {
            "start_year": {"column": "起止年月", "regex": r"^(\d{4})"},
            "disciplines": {"column": "学校类型", "map": {"工科": "理工"}},
        },
        "where": {"学校层次": {"present": True}},
        "nodes": [
            {"type": "University", "columns": {"name": "依托单位", "disciplines": "disciplines"}},
            {"type": "Project", "columns": {"id": "项目批准号", "start_year": "start_year"}},
        ],
    }
    colleges = pd.read_csv(rd.UNIVERSITIES, dtype=str, keep_default_na=False).drop_duplicates("name")
    joined = rows.merge(colleges, left_on="依托单位", right_on="name")
    joined = joined[~joined["nature"].str.fullmatch(r"[-—]*")]  # the list writes —— / ------ for missing
    with KnowledgeGraph.open(":memory:") as g:
        reports = load_mapping(g, mapping, source=grants)
        assert not any(r.problems for r in reports)
        assert g.count("Project") == joined["项目批准号"].nunique() < len(rows)
        assert g.count("University") == joined["依托单位"].nunique()
        first = joined.iloc[0]
        want = "理工" if first["type"] == "工科" else first["type"]
        got = g.query("MATCH (u:University) WHERE u.name = $n RETURN u.disciplines AS d", n=first["依托单位"])["d"][0]
        assert want in list(got)
        years = g.query("MATCH (p:Project) RETURN p.start_year AS y")["y"]
        assert sorted(years.unique()) == sorted(joined["起止年月"].str[:4].astype(int).unique())


def test_two_level_excel_header_with_vertically_merged_upper_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "承担单位", None, "立项年份"])
    ws.append([None, "名称", "地区", None])
    ws.append(["P1", "甲公司", "北京", "2020"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:D2")
    path = tmp_path / "two.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.headers == ["项目编号", "承担单位名称", "承担单位地区", "立项年份"]
    assert table.frame.values.tolist() == [["P1", "甲公司", "北京", "2020"]] and table.rows == [3]


def test_delimiter_quote_and_nulls_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "企业.txt"
    path.write_text("企业名称|所在区县|职工人数\n'甲公司|乙'|双台子区|N.A.\n丙公司|兴隆台区|12\n", encoding="utf-8")
    db = tmp_path / "g.kg"
    code, err = run_kg(
        capsys, "--db", db, "load", "--as", "Enterprise", path, "--delimiter", "|", "--quote", "'", "--null", "N.A."
    )
    assert code == 0, err
    with KnowledgeGraph.open(db) as g:
        got = g.query("MATCH (e:Enterprise) RETURN e.name AS n, e.employees AS k ORDER BY n")
        assert got["n"].tolist() == ["丙公司", "甲公司|乙"] and got["k"].isna().tolist() == [False, True]
