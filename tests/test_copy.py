"""`kg copy`: the demo round-trips between two embedded stores through the path the Neo4j copy uses.

``copy_graph`` only uses the public KnowledgeGraph API and the statements both engines share, so this is the
code that publishes to Neo4j; tests/test_backends.py::test_copy_there_and_back runs it against a server.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from kg import KnowledgeGraph, cypher
from kg.copy import as_stored, copy_graph
from kg.errors import BackendError


def _sample(g: KnowledgeGraph, k: int = 15) -> dict[str, pd.DataFrame]:
    """The first ``k`` nodes of every label with every property, and the edges leaving them."""
    out = {}
    for label, node in g.schema.nodes.items():
        out[label] = g.query(cypher.node_page(label, list(node.properties)), after="", k=k)
    for type_, edge in g.schema.edges.items():
        for a, b in edge.pairs:
            ids = out[a]["id"].tolist()
            df = g.query(cypher.edge_page(type_, a, b, list(edge.properties)), ids=ids)
            out[f"{type_}:{a}->{b}"] = df.sort_values(["from_id", "to_id"]).reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from kg.demo import build_demo

    path = tmp_path_factory.mktemp("copy") / "a.kg"
    with KnowledgeGraph.open(path) as a:
        build_demo(a, seed=7, scale=0.05)
    return path


@pytest.mark.slow  # ~10 s; the same paths run on smaller inputs in the default suite
def test_demo_copies_with_identical_counts_and_properties(demo_store, tmp_path):
    with KnowledgeGraph.open(demo_store) as a, KnowledgeGraph.open(tmp_path / "b.kg") as b:
        counts_a = a.counts()
        done = copy_graph(a, b, batch_size=700)  # several pages per big type: keys cut mid-type
        again = copy_graph(a, b, batch_size=5000)  # idempotent: a second run changes nothing
        counts_b = b.counts()
        sample_a, sample_b = _sample(a), _sample(b)
    pd.testing.assert_frame_equal(counts_a, counts_b)
    assert counts_a["count"].sum() > 1000
    assert done == again == dict(zip(counts_a["type"], counts_a["count"]))
    assert sample_a.keys() == sample_b.keys()
    for name in sample_a:
        pd.testing.assert_frame_equal(sample_a[name], sample_b[name], obj=name)
    assert any(len(df) and "founded" in df and df["founded"].notna().any() for df in sample_b.values())


def test_integers_stay_integers_and_dates_stay_dates():
    with KnowledgeGraph.open(":memory:") as a, KnowledgeGraph.open(":memory:") as b:
        a.upsert_nodes("Enterprise", [{"id": "E1", "employees": 120, "founded": "2015-03-01"}, {"id": "E2"}])
        copy_graph(a, b)
        row = b.query("MATCH (e:Enterprise {id: 'E1'}) RETURN e.employees + 1 AS n, e.founded AS f").iloc[0]
    assert row["n"] == 121 and row["f"] == pd.Timestamp("2015-03-01")
    props = a.schema.nodes["Enterprise"].properties
    stored = as_stored(pd.DataFrame({"id": ["E1"], "employees": [3.0], "listed": [True]}), props)
    assert stored.to_dict("records") == [{"id": "E1", "employees": 3, "listed": True}]
    assert type(stored["employees"][0]) is int


def test_bad_batch_size_is_refused():
    with KnowledgeGraph.open(":memory:") as a, pytest.raises(BackendError, match="batch_size"):
        copy_graph(a, a, batch_size=0)


def test_cli_copy(tmp_path):
    with KnowledgeGraph.open(tmp_path / "src.kg") as g:
        g.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}, {"id": "211102", "name": "双台子区"}])
        g.upsert_edges("PART_OF", [{"from_id": "211102", "to_id": "211100"}])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "--json",
            "copy",
            "--from",
            str(tmp_path / "src.kg"),
            "--to",
            str(tmp_path / "dst.kg"),
            "--batch-size",
            "1",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    assert '"in_target"' in done.stdout and "Region" in done.stdout
    with KnowledgeGraph.open(tmp_path / "dst.kg") as g:
        assert g.count("Region") == 2 and g.count("PART_OF") == 1
