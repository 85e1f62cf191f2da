"""The `kg` console script: exit codes, messages, JSON output (run as a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KG = [sys.executable, "-m", "kg"]


def kg(*args: str, db: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("KG_DB", None)
    cmd = [*KG, *(["--db", str(db)] if db else []), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.kg"
    done = kg("demo", "--scale", "0.1", "--seed", "5", db=db)
    assert done.returncode == 0, done.stderr
    assert "database:" in done.stdout and str(db.resolve()) in done.stdout
    assert "Enterprise" in done.stdout and "COOPERATES_WITH" in done.stdout
    return db


def test_schema_lists_types_with_chinese_names():
    out = kg("schema", check=True).stdout
    assert "Enterprise" in out and "企业" in out and "院士工作站" in out and "COOPERATES_WITH" in out


def test_schema_of_one_type_lists_properties_and_aliases():
    out = kg("schema", "Enterprise", check=True).stdout
    assert "rd_expense" in out and "研发投入" in out and "R&D expense" in out


def test_query_prints_five_universities_and_json_is_parseable(demo_db):
    q = (
        "MATCH (e:Enterprise)-[:COOPERATES_WITH]->(u:University) "
        "RETURN u.name AS university, count(*) AS n ORDER BY n DESC LIMIT 5"
    )
    table = kg("query", q, db=demo_db, check=True).stdout
    assert table.count("大学") + table.count("学院") >= 5
    rows = json.loads(kg("--json", "query", q, db=demo_db, check=True).stdout)
    assert len(rows) == 5 and rows[0]["n"] >= rows[-1]["n"] > 0


def test_query_parameters_travel_as_values(demo_db):
    evil = "x' OR 1=1 //"
    rows = json.loads(
        kg(
            "--json",
            "query",
            "MATCH (e:Enterprise) WHERE e.name = $n RETURN count(*) AS c",
            "--param",
            f"n={evil}",
            db=demo_db,
            check=True,
        ).stdout
    )
    assert rows == [{"c": 0}]


def test_stats_counts_match_the_store(demo_db):
    rows = json.loads(kg("--json", "stats", db=demo_db, check=True).stdout)
    by_type = {r["type"]: r["count"] for r in rows}
    assert by_type["Enterprise"] == 200 and by_type["COOPERATES_WITH"] > 100


def test_named_queries_list_and_run(demo_db):
    assert "top_cooperating_universities" in kg("query", "--list", check=True).stdout
    rows = json.loads(
        kg("--json", "query", "--named", "top_cooperating_universities", "-p", "k=3", db=demo_db, check=True).stdout
    )
    assert len(rows) == 3 and set(rows[0]) == {"university_id", "university", "partners"}


@pytest.mark.parametrize(
    "args, message",
    [
        (("query", "MATCH (n:Nope) RETURN n"), "Table Nope does not exist"),
        (("query", "RETURN 1", "--param", "novalue"), "write it as key=value"),
        (("schema", "Enterprize"), "did you mean Enterprise"),
        (("query", "--named", "no_such_query"), "no named query 'no_such_query'"),
    ],
)
def test_user_errors_print_one_line_and_exit_non_zero(tmp_path, args, message):
    kg("init", db=tmp_path / "x.kg", check=True)
    done = kg(*args, db=tmp_path / "x.kg")
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_demo_refuses_to_overwrite_without_force(demo_db):
    done = kg("demo", "--scale", "0.02", db=demo_db)
    assert done.returncode == 2 and "add --force" in done.stderr


def test_init_force_removes_the_store_and_what_was_derived_from_it(tmp_path):
    db = tmp_path / "old.kg"
    kg("init", db=db, check=True)
    model = tmp_path / "old.kg.matching-model.pkl"  # a model fitted on the old store would no longer match it
    model.write_bytes(b"stale")
    kg("init", "--force", db=db, check=True)
    assert db.exists() and not model.exists()


def test_init_creates_an_empty_store(tmp_path):
    db = tmp_path / "new.kg"
    kg("init", db=db, check=True)
    assert db.exists()
    rows = json.loads(kg("--json", "stats", "--all", db=db, check=True).stdout)
    from kg.schema import load_schema

    schema = load_schema()
    assert len(rows) == len(schema.nodes) + len(schema.edges) >= 40 and all(r["count"] == 0 for r in rows)
