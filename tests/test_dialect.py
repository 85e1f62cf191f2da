"""The dialect guard: every embedded claim of the table measured on ladybug, detection, the shipped queries."""

from __future__ import annotations

import pytest

from kg.dialect import BY_NAME, DIFFERENCES, ERROR, check, warning
from kg.named import queries_dir


@pytest.fixture(scope="module")
def embedded():
    import ladybug

    db = ladybug.Database(":memory:")
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE T(id STRING, name STRING, PRIMARY KEY(id))")
    conn.execute("CREATE NODE TABLE U(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM T TO U)")
    yield conn


@pytest.mark.parametrize("difference", DIFFERENCES, ids=lambda d: d.name)
def test_each_embedded_claim_holds_on_ladybug(embedded, difference):
    if difference.embedded_value == ERROR:
        with pytest.raises(RuntimeError):
            embedded.execute(difference.example)
        return
    rows = embedded.execute(difference.example).get_all()
    assert rows[0][0] == difference.embedded_value


def test_more_embedded_facts_the_table_states(embedded):
    one = lambda q: embedded.execute(q).get_all()[0][0]  # noqa: E731
    assert one("RETURN substring('abcdef', 1, 2) AS v") == "ab"  # 1-based
    assert one("RETURN ['a', 'b', 'c'][1..2] AS v") == ["a", "b"]  # inclusive slices
    assert one("RETURN 'abc'[1] AS v") == "a"  # strings are indexable
    with pytest.raises(RuntimeError, match="1-based"):
        embedded.execute("RETURN ['a', 'b'][0] AS v")
    assert one("RETURN ln(100) AS v") == pytest.approx(4.60517, abs=1e-5)
    assert one("UNWIND [] AS x RETURN coalesce(sum(x), 0) AS v") == 0
    assert one("RETURN left('abcdef', 2) AS v") == "ab" and one("RETURN right('abcdef', 2) AS v") == "ef"
    assert one("RETURN '01' = 1 AS v") is True  # the implicit cast the docstring mentions (not detected)


@pytest.mark.parametrize(
    "statement, names",
    [
        ("MATCH (n:Enterprise) RETURN substring(n.name, 0, 2) AS s", ["substring"]),
        ("MATCH (n) RETURN labels(n)[0] AS l", ["labels", "subscript"]),
        ("MATCH ()-[r]->() RETURN type(r) AS t", ["type"]),
        ("MATCH (n:Enterprise) RETURN n.aliases[1] AS a", ["subscript"]),
        ("MATCH (n:Enterprise) RETURN n.aliases[0..2] AS a", ["subscript"]),
        ("RETURN LOG(10) AS l, reverse([1, 2]) AS r", ["log", "reverse"]),
        ("MATCH (n:Incubator) RETURN sum(n.area_m2) AS a", ["sum"]),
        ("MATCH (n:Enterprise) RETURN keys(n), properties(n), id(n), timestamp() AS t", ["keys", "id", "timestamp"]),
        # clean: list literals, relationship patterns, strings, comments, properties named like functions, log10
        ("MATCH (a:Enterprise)-[c:COOPERATES_WITH]->(b) WHERE a.id IN ['x', 'y'] RETURN a.type, c.since", []),
        ("UNWIND [1, 2] AS x WITH x WHERE x IN [1] RETURN [x] AS l, log10(x) AS y, coalesce(sum(x), 0) AS s", []),
        ("RETURN 'substring(x, 0, 1)' AS s // labels(n)[0]\n", []),
        ("MATCH (n:Enterprise) RETURN n.name ORDER BY n.name SKIP $s LIMIT $k", []),
    ],
)
def test_check_finds_what_differs_and_nothing_else(statement, names):
    assert [d.name for d in check(statement)] == names


def test_the_shipped_named_queries_avoid_every_difference():
    files = sorted(queries_dir().glob("*.cypher"))
    assert len(files) > 40
    offending = {f.name: [d.name for d in check(f.read_text(encoding="utf-8"))] for f in files}
    assert {k: v for k, v in offending.items() if v} == {}


def test_warning_is_one_line_naming_the_function_and_the_advice():
    line = warning("MATCH (n) RETURN substring(n.name, 0, 2), labels(n)")
    assert "\n" not in line and line.startswith("warning: substring(): 1-based")
    assert "labels(): one STRING" in line and "match typed patterns" in line
    assert BY_NAME["sum"].line() == (
        "sum(): null over no rows or only nulls on the embedded engine, 0 in Neo4j (write coalesce(sum(x), 0))"
    )


def test_kg_query_warns_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from kg import KnowledgeGraph
    from kg.cli import app

    KnowledgeGraph.open(tmp_path / "g.kg").close()
    runner = CliRunner()
    done = runner.invoke(app, ["--db", str(tmp_path / "g.kg"), "query", "RETURN substring('abcdef', 0, 2) AS s"])
    assert done.exit_code == 0, done.output
    warned = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1 and "substring(): 1-based" in warned[0] and "0-based in Neo4j" in warned[0]
    clean = runner.invoke(app, ["--db", str(tmp_path / "g.kg"), "query", "RETURN left('abcdef', 2) AS s"])
    assert clean.exit_code == 0 and "warning" not in clean.stderr and "ab" in clean.stdout
