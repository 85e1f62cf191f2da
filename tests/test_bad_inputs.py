"""The bad-input corpus: every malformed input gets one ``error:`` line, the right exit status and no traceback,
and leaves the store exactly as it was (``kg --json stats`` and a checksum of every stored property).

Cases are generated here (files written into a temporary folder) and run in-process through ``kg.cli.main``
(what the console script runs); a few run as real subprocesses (narrow terminal, damaged store).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from kg import KnowledgeGraph

USCC = "911101085514006238"  # a valid 统一社会信用代码 (GB 32100 check digit)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith(("error:", "internal error:"))]


def run(*args: str, db: Path | str | None = None) -> Result:
    """``kg [--db DB] ARGS`` in-process, as the console script runs it."""
    from kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = [*(["--db", str(db)] if db is not None else []), *map(str, args)]
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return Result(code, out.getvalue(), err.getvalue())


def fingerprint(db: Path) -> tuple[str, str]:
    """``kg --json stats --all`` and a SHA-256 of every stored node and edge with all its properties."""
    stats = run("--json", "stats", "--all", db=db)
    assert stats.code == 0, stats.err
    digest = hashlib.sha256()
    with KnowledgeGraph.open(db, read_only=True) as g:
        nodes = g.query("MATCH (n) RETURN n")["n"].tolist()
        edges = g.query("MATCH (a)-[r]->(b) RETURN a.id AS a, r, b.id AS b").to_dict("records")
    strip = ("_id", "_src", "_dst", "_ID", "_SRC", "_DST")  # engine-internal offsets
    for item in sorted(repr(sorted((k, v) for k, v in n.items() if k not in strip)) for n in nodes):
        digest.update(item.encode())
    for item in sorted(
        repr((e["a"], e["b"], sorted((k, v) for k, v in e["r"].items() if k not in strip))) for e in edges
    ):
        digest.update(item.encode())
    assert len(nodes) > 0 and len(edges) > 0
    return stats.out, digest.hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A small store: a region, two firms, a university, a field and links."""
    db = tmp_path_factory.mktemp("corpus") / "base.kg"
    with KnowledgeGraph.open(db) as g:
        g.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}])
        g.upsert_nodes(
            "Enterprise",
            [
                {"id": USCC, "name": "盘锦甲科技有限公司", "employees": 120, "region": "211100"},
                {"id": "E2", "name": "乙化工有限公司", "employees": 40},
            ],
        )
        g.upsert_nodes("University", [{"id": "4121010140", "name": "辽宁大学"}, {"id": "U2", "name": "辽宁大学"}])
        g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}])
        g.upsert_edges("COOPERATES_WITH", [{"from_id": USCC, "to_id": "4121010140", "since": 2020}])
        g.upsert_edges("LOCATED_IN", [{"from_id": USCC, "to_id": "211100", "from_type": "Enterprise"}])
        g.checkpoint()
    BASELINE[db] = fingerprint(db)
    return db


#: the fingerprint of the corpus store when it was made; every case must leave it so
BASELINE: dict[Path, tuple[str, str]] = {}


def csv_file(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


ENT = "企业名称,统一社会信用代码,职工人数,营业收入\n"


def ent(row: str) -> Callable[[Path], list]:
    """A one-row enterprise sheet loaded with --strict."""
    return lambda tmp: ["load", "--strict", "--as", "Enterprise", csv_file(tmp, "企业.csv", ENT + row + "\n")]


#: (case id, args from the case folder, exit status, words the error line must contain)
CASES: list[tuple[str, Callable[[Path], list], int, tuple[str, ...]]] = [
    # -- values: control characters, line separators, numbers out of range (with --strict: one error line)
    ("nul_in_name", ent("甲\x00公司,,10,1"), 2, ("企业.csv", "row 2", "企业名称", "U+0000")),
    ("c0_in_name", ent("甲\x07公司,,10,1"), 2, ("row 2", "企业名称", "U+0007")),
    ("c1_in_name", ent("甲\x85公司,,10,1"), 2, ("row 2", "企业名称", "U+0085")),
    ("del_in_name", ent("甲\x7f公司,,10,1"), 2, ("row 2", "U+007F")),
    ("escape_in_name", ent("甲\x1b[31m公司,,10,1"), 2, ("row 2", "U+001B")),
    ("nul_in_id", ent("甲公司,91110108551400\x0062,10,1"), 2, ("row 2", "统一社会信用代码", "U+0000")),
    ("line_separator_in_name", ent("甲\u2028公司,,10,1"), 2, ("row 2", "企业名称", "U+2028")),
    ("paragraph_separator_in_name", ent("甲\u2029公司,,10,1"), 2, ("row 2", "U+2029")),
    ("negative_employees", ent("甲公司,,-5,1"), 2, ("row 2", "职工人数", "below the minimum 0")),
    ("negative_revenue", ent("甲公司,,5,-0.5"), 2, ("row 2", "营业收入", "below the minimum 0")),
    ("infinite_revenue", ent("甲公司,,5,1e400"), 2, ("row 2", "营业收入", "not a finite number")),
    ("minus_infinity", ent("甲公司,,5,-inf"), 2, ("row 2", "营业收入")),
    ("integer_beyond_64_bits", ent("甲公司,,99999999999999999999,1"), 2, ("row 2", "职工人数", "64-bit")),
    ("negative_beyond_64_bits", ent("甲公司,,-99999999999999999999,1"), 2, ("row 2", "职工人数")),
    ("fractional_employees", ent("甲公司,,1.5,1"), 2, ("row 2", "职工人数", "whole number")),
    ("words_for_employees", ent("甲公司,,很多,1"), 2, ("row 2", "职工人数", "whole number")),
    ("bad_uscc_check_digit", ent("甲公司,911101085514006239,5,1"), 2, ("row 2", "统一社会信用代码", "check digit")),
    ("uscc_in_scientific_notation", ent("甲公司,9.11101E+17,5,1"), 2, ("row 2", "统一社会信用代码", "Excel")),
    ("row_without_name_or_id", ent(",,5,1"), 2, ("row 2", "needs a name or an id")),
    (
        "control_in_edge_endpoint",
        lambda tmp: [
            "load",
            "--strict",
            "--as",
            "COOPERATES_WITH",
            csv_file(tmp, "合作.csv", "企业名称,合作单位\n盘锦甲科技有限公司,辽宁\x00大学\n"),
        ],
        2,
        ("合作.csv", "row 2", "U+0000"),
    ),
    (
        "negative_contract_amount",
        lambda tmp: [
            "load",
            "--strict",
            "--as",
            "CONTRACTED_WITH",
            csv_file(tmp, "合同.csv", "委托方,受托方,金额(万元)\n盘锦甲科技有限公司,4121010140,-10\n"),
        ],
        2,
        ("合同.csv", "row 2", "minimum 0"),
    ),
    (
        "unknown_edge_endpoint",
        lambda tmp: [
            "load",
            "--strict",
            "--as",
            "COOPERATES_WITH",
            csv_file(tmp, "合作.csv", "企业名称,合作单位\n盘锦甲科技有限公司,不存在大学\n"),
        ],
        2,
        ("row 2", "not a known"),
    ),
    (
        "ambiguous_edge_endpoint",
        lambda tmp: [
            "load",
            "--strict",
            "--as",
            "COOPERATES_WITH",
            csv_file(tmp, "合作.csv", "企业名称,合作单位\n盘锦甲科技有限公司,辽宁大学\n"),
        ],
        2,
        ("row 2", "several"),
    ),
    (
        "bad_year_on_edge",
        lambda tmp: [
            "load",
            "--strict",
            "--as",
            "COOPERATES_WITH",
            csv_file(tmp, "合作.csv", "企业名称,合作单位,开始年份\n盘锦甲科技有限公司,4121010140,去年\n"),
        ],
        2,
        ("row 2",),
    ),
    # -- files and types
    ("missing_file", lambda tmp: ["load", tmp / "nope.csv"], 2, ("nope.csv", "no such file")),
    (
        "unknown_type",
        lambda tmp: ["load", "--as", "Spaceship", csv_file(tmp, "x.csv", ENT)],
        2,
        ("Spaceship", "Enterprise"),
    ),
    (
        "type_not_inferable",
        lambda tmp: ["load", csv_file(tmp, "名单.csv", ENT + "甲公司,,1,1\n")],
        2,
        ("名单.csv", "--as"),
    ),
    (
        "no_name_or_id_column",
        lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.csv", "颜色,尺寸\n红,大\n")],
        2,
        ("x.csv", "name"),
    ),
    (
        "edge_sheet_without_endpoint",
        lambda tmp: ["load", "--as", "COOPERATES_WITH", csv_file(tmp, "e.csv", "企业名称\n甲\n")],
        2,
        ("e.csv", "COOPERATES_WITH"),
    ),
    (
        "garbage_xlsx",
        lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.xlsx", "not a workbook")],
        2,
        ("x.xlsx",),
    ),
    (
        "garbage_xls",
        lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.xls", "not a workbook")],
        2,
        ("x.xls",),
    ),
    ("json_number", lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.json", "42")], 2, ("x.json",)),
    ("json_null", lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.json", "null")], 2, ("x.json",)),
    ("json_string", lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.json", '"甲公司"')], 2, ("x.json",)),
    (
        "json_list_of_numbers",
        lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.json", "[1, 2, 3]")],
        2,
        ("x.json",),
    ),
    (
        "json_deeply_nested",
        lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.json", "[" * 100_000 + "]" * 100_000)],
        2,
        ("x.json",),
    ),
    (
        "json_malformed",
        lambda tmp: ["load", "--as", "Enterprise", csv_file(tmp, "x.json", '[{"企业名称": "甲"')],
        2,
        ("x.json",),
    ),
    (
        "empty_json_file",
        lambda tmp: ["load", "--strict", "--as", "Enterprise", csv_file(tmp, "x.json", "")],
        2,
        ("x.json", "empty"),
    ),
    (
        "rdf_not_parsable",
        lambda tmp: ["load", csv_file(tmp, "x.ttl", "@prefix : <x> . this is not turtle")],
        2,
        ("x.ttl",),
    ),
    (
        "report_is_a_folder",
        lambda tmp: ["load", "--as", "Enterprise", "--report", tmp, csv_file(tmp, "x.csv", ENT + "甲公司,,很多,1\n")],
        2,
        ("is a folder",),
    ),
    (
        "folder_with_only_bad_files",
        lambda tmp: ["load", _folder(tmp, good=False)],
        2,
        ("refused", "nodes_Enterprise.xlsx"),
    ),
    # -- commands that only read, and writes refused before they run
    ("query_that_deletes", lambda tmp: ["query", "MATCH (e:Enterprise) DETACH DELETE e"], 2, ("writes", "--write")),
    ("query_that_sets", lambda tmp: ["query", "MATCH (e:Enterprise) SET e.employees = 0"], 2, ("SET", "--write")),
    ("query_that_creates", lambda tmp: ["query", "CREATE (:Field {id: 'X', name: 'x'})"], 2, ("CREATE", "--write")),
    ("query_that_merges", lambda tmp: ["query", "MERGE (f:Field {id: 'X'})"], 2, ("MERGE",)),
    (
        "view_query_that_deletes",
        lambda tmp: ["view", "query", "MATCH (n:Enterprise) DETACH DELETE n", "-o", tmp / "x.html"],
        2,
        ("may only read", "nothing was run"),
    ),
    (
        "view_query_that_sets",
        lambda tmp: [
            "view",
            "query",
            "MATCH (n:Enterprise) SET n.name = 'x' RETURN 'Enterprise' AS label, n.id AS id",
            "-o",
            tmp / "x.html",
        ],
        2,
        ("may only read",),
    ),
    ("query_bad_cypher", lambda tmp: ["query", "MATCH (n:Nope) RETURN n"], 2, ("Nope",)),
    ("query_param_without_value", lambda tmp: ["query", "RETURN 1", "--param", "novalue"], 2, ("key=value",)),
    ("unknown_named_query", lambda tmp: ["query", "--named", "no_such_query"], 2, ("no_such_query",)),
    ("query_without_statement", lambda tmp: ["query"], 2, ("Cypher",)),
    (
        "csv_output_is_a_folder",
        lambda tmp: ["query", "MATCH (f:Field) RETURN f.id AS id", "--csv", tmp],
        2,
        ("is a folder",),
    ),
    ("export_output_is_a_folder", lambda tmp: ["export", "graphml", "-o", tmp], 2, ("is a folder",)),
    ("rdf_export_output_is_a_folder", lambda tmp: ["export", "rdf", "-o", tmp], 2, ("is a folder",)),
    ("unknown_firm_for_matching", lambda tmp: ["match", "partners", "不存在的公司"], 2, ("不存在的公司",)),
    ("view_of_unknown_node", lambda tmp: ["view", "ego", "不存在的公司", "-o", tmp / "x.html"], 2, ("不存在的公司",)),
    ("targets_missing_document", lambda tmp: ["targets", tmp / "plan.txt", "--region", "盘锦市"], 2, ("plan.txt",)),
    ("demo_over_an_existing_store", lambda tmp: ["demo", "--scale", "0.01"], 2, ("--force",)),
    ("repair_of_a_server", lambda tmp: ["--db", "neo4j://localhost:1", "repair"], 2, ("store file",)),
]


def _folder(tmp: Path, good: bool = True) -> Path:
    folder = tmp / "exports"
    folder.mkdir()
    if good:
        csv_file(folder, "nodes_Field.csv", "id,name\nF9,新能源\n")
    csv_file(folder, "nodes_Enterprise.xlsx", "garbage")
    csv_file(folder, "nodes_University.json", "42")
    return folder


@pytest.mark.parametrize("case, build, status, words", CASES, ids=[c[0] for c in CASES])
def test_bad_input(store, tmp_path, monkeypatch, case, build, status, words):
    monkeypatch.delenv("KG_DB", raising=False)
    args = [str(a) for a in build(tmp_path)]
    if args[0] == "--db":  # the case names its own store
        done = run(*args)
    else:
        done = run(*args, db=store)
    assert done.code == status, (done.out[-2000:], done.err[-2000:])
    assert "Traceback" not in done.err + done.out
    assert len(done.error_lines) == 1, done.err
    line = done.error_lines[0]
    assert line.startswith("error:"), line
    for word in words:
        assert word in line, (word, line)
    assert fingerprint(store) == BASELINE[store], f"{case} changed the store"
    assert not any(p.name.startswith(".~") for p in tmp_path.rglob("*")), "a temporary output file was left behind"
    assert not (tmp_path / "x.html").exists()


def test_a_failed_first_load_leaves_no_store_and_says_none_was_created(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_DB", raising=False)
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("nonsense\n1\n", encoding="utf-8")
    good.write_text("企业名称\n盘锦测试化工有限公司\n", encoding="utf-8")
    db = tmp_path / "stores" / "new.kg"
    db.parent.mkdir()
    done = run("load", bad, "--as", "Enterprise", db=db)
    assert done.code == 2 and len(done.error_lines) == 1 and "bad.csv" in done.error_lines[0]
    assert "created" not in done.err and list(db.parent.iterdir()) == []
    done = run("load", good, "--as", "Enterprise", db=db)
    assert done.code == 0 and f"created a new store at {db}" in done.err
    with KnowledgeGraph.open(db, read_only=True) as g:
        assert g.count("Enterprise") == 1
    again = run("load", bad, "--as", "Enterprise", db=db)  # a failed load into a store that exists keeps it
    assert again.code == 2 and "created" not in again.err and db.exists()


def test_a_folder_load_lists_the_files_committed_and_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_DB", raising=False)
    db = tmp_path / "f.kg"
    done = run("load", _folder(tmp_path), db=db)
    assert done.code == 2 and "created a new store" in done.err
    assert len(done.error_lines) == 1
    assert done.error_lines[0].startswith(
        "error: 2 of 3 files refused (the table above lists what was committed); first: "
    )
    assert "2 files committed, 1 refused" not in done.out and "1 files committed, 2 refused" in done.out
    again = run("--json", "load", tmp_path / "exports", db=db)
    assert again.code == 2 and len(again.error_lines) == 1
    status = {f["file"]: f["status"] for f in json.loads(again.out)["files"]}
    assert status == {
        "nodes_Enterprise.xlsx": "refused",
        "nodes_University.json": "refused",
        "nodes_Field.csv": "committed",
    }
    refused = json.loads(again.out)["refused"]
    assert "holds a single value" in refused["nodes_University.json"] and "nodes_Enterprise.xlsx" in refused
    rows = json.loads(run("--json", "query", "MATCH (f:Field) RETURN f.id AS id, f.source AS s", db=db).out)
    assert rows == [{"id": "F9", "s": "nodes_Field.csv"}]


READ_COMMANDS = [
    ["stats"],
    ["query", "RETURN 1 AS one"],
    ["match", "partners", "甲"],
    ["gaps"],
    ["centrality"],
    ["brokers"],
    ["communities"],
    ["indicators"],
    ["evaluate", "matching", "--until", "2020"],
    ["view", "ego", "甲", "-o", "{tmp}/x.html"],
    ["export", "rdf", "-o", "{tmp}/x.ttl"],
    ["export", "graphml", "-o", "{tmp}/x.graphml"],
    ["validate"],
    ["targets", "{tmp}/plan.txt", "--region", "盘锦市"],
    ["repair"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a[:2]) for a in READ_COMMANDS])
def test_a_missing_store_is_an_error_not_a_new_store(tmp_path, monkeypatch, args):
    monkeypatch.delenv("KG_DB", raising=False)
    (tmp_path / "plan.txt").write_text("到2025年，高新技术企业达到100家。", encoding="utf-8")
    db = tmp_path / "typo" / "tpyo.kg"
    done = run(*[a.format(tmp=tmp_path) for a in args], db=db)
    assert done.code == 2, done.err
    assert done.error_lines == [done.err.strip()] and "no store at" in done.err and str(db) in done.err
    assert not db.exists() and not db.parent.exists(), "a store (or its folder) was created"


@pytest.mark.parametrize(
    "uri",
    [
        "neo4j://neo4j:hunter2secret@127.0.0.1:1/kg",
        "bolt://:hunter2secret@127.0.0.1:1",
        "neo4j://127.0.0.1:1/kg?password=hunter2secret",
        "neo4j://[::1:1/?pwd=hunter2secret",
    ],
)
def test_no_password_in_any_message(monkeypatch, uri):
    monkeypatch.setenv("NEO4J_PASSWORD", "hunter2secret")
    done = run("stats", db=uri)
    assert done.code in (2, 3), done.err
    assert len(done.error_lines) == 1 and "Traceback" not in done.err
    assert "hunter2secret" not in done.err + done.out


def test_an_unexpected_exception_is_one_line_exit_3(monkeypatch):
    import kg.cli.core as core

    def boom(*a, **k):
        raise ZeroDivisionError("division by zero in a place nobody expected")

    monkeypatch.setattr(core, "open_graph", boom)
    done = run("stats", db=":memory:")
    assert done.code == 3
    assert done.err.strip() == (
        "internal error: ZeroDivisionError: division by zero in a place nobody expected; "
        "run with --debug for the traceback"
    )
    debug = run("--debug", "stats", db=":memory:")
    assert debug.code == 3 and "Traceback" in debug.err


def test_reads_work_while_another_process_holds_the_store_read_only(store):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom kg import KnowledgeGraph\n"
            f"g = KnowledgeGraph.open({str(store)!r}, read_only=True)\nprint('held', flush=True)\n"
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        done = run("--json", "query", "MATCH (e:Enterprise) RETURN e.name AS name ORDER BY name", db=store)
        assert done.code == 0, done.err
        assert [r["name"] for r in json.loads(done.out)] == ["乙化工有限公司", "盘锦甲科技有限公司"]
    finally:
        holder.kill()
        holder.wait()


def test_query_write_changes_data_and_is_checkpointed(tmp_path):
    db = tmp_path / "w.kg"
    assert run("init", db=db).code == 0
    done = run("query", "--write", "CREATE (:Field {id: 'F7', name: '新能源'})", db=db)
    assert done.code == 0, done.err
    assert not Path(str(db) + ".wal").exists() or Path(str(db) + ".wal").stat().st_size == 0
    rows = json.loads(run("--json", "query", "MATCH (f:Field) RETURN f.name AS name", db=db).out)
    assert rows == [{"name": "新能源"}]


def test_error_lines_never_wrap_in_a_narrow_terminal(store, tmp_path):
    sheet = csv_file(tmp_path, "企业.csv", ENT + "甲\x00公司,,10,1\n")
    env = {**os.environ, "COLUMNS": "40"}
    env.pop("KG_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--db", str(store), "load", "--strict", "--as", "Enterprise", str(sheet)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: 企业.csv: 1 rows have problems") and "U+0000" in errors[0]
    assert lines[-1] == errors[0]  # the whole message on one line, nothing of it wrapped onto the next


def test_csv_outputs_neutralise_formulas(tmp_path):
    db = tmp_path / "f.kg"
    with KnowledgeGraph.open(db) as g:
        g.upsert_nodes(
            "Field",
            [
                {"id": "F1", "name": '=HYPERLINK("http://x","点我")'},
                {"id": "F2", "name": "@SUM(A1)"},
                {"id": "F3", "name": "+86"},
                {"id": "F4", "name": "-1"},
                {"id": "F5", "name": "普通"},
            ],
        )
    out = tmp_path / "fields.csv"
    done = run("query", "MATCH (f:Field) RETURN f.id AS id, f.name AS name ORDER BY id", "--csv", out, db=db)
    assert done.code == 0, done.err
    names = pd.read_csv(out, encoding="utf-8-sig")["name"].tolist()
    assert names == ['\'=HYPERLINK("http://x","点我")', "'@SUM(A1)", "'+86", "'-1", "普通"]
    rejected = tmp_path / "bad.csv"
    sheet = csv_file(tmp_path, "企业2.csv", ENT + "乙公司,,=1+1,1\n")
    assert run("load", "--as", "Enterprise", "--report", rejected, sheet, db=db).code == 1
    assert pd.read_csv(rejected, encoding="utf-8-sig")["value"].tolist() == ["'=1+1"]


def test_same_file_by_another_path_is_the_same_source(tmp_path, monkeypatch):
    db = tmp_path / "p.kg"
    folder = tmp_path / "data"
    folder.mkdir()
    sheet = csv_file(folder, "nodes_Field.csv", "id,name\nF1,新材料\n")
    assert run("load", folder, db=db).code == 0
    monkeypatch.chdir(folder)
    assert run("load", "nodes_Field.csv", db=db).code == 0
    assert run("load", str(sheet.resolve()), db=db).code == 0
    rows = json.loads(run("--json", "query", "MATCH (f:Field) RETURN f.source AS s, f.source_row AS r", db=db).out)
    assert rows == [{"s": "nodes_Field.csv", "r": 2}]
