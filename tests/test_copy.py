"""`kg copy`: the demo round-trips between two embedded stores through the path the Neo4j copy uses."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from kg import KnowledgeGraph
from kg.copy import copy_graph


def test_demo_copies_with_identical_counts_and_properties(tmp_path):
    from kg.demo import build_demo

    with KnowledgeGraph.open(tmp_path / "a.kg") as a:
        build_demo(a, seed=7, scale=0.05)
        counts_a = a.counts()
        sample_a = a.query("MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u) RETURN e.id AS eid, e.name AS n, e.founded AS f, "
                           "e.aliases AS al, u.id AS uid, c.since AS s ORDER BY eid, uid")
    with KnowledgeGraph.open(tmp_path / "a.kg") as a, KnowledgeGraph.open(tmp_path / "b.kg") as b:
        done = copy_graph(a, b, page=97)  # small pages: many transactions, keys cut mid-type
        again = copy_graph(a, b, page=500)  # idempotent: a second run changes nothing
        counts_b = b.counts()
        sample_b = b.query("MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u) RETURN e.id AS eid, e.name AS n, e.founded AS f, "
                           "e.aliases AS al, u.id AS uid, c.since AS s ORDER BY eid, uid")
    pd.testing.assert_frame_equal(counts_a, counts_b)
    assert done == again and done["Enterprise"] == counts_a.set_index("type").loc["Enterprise", "count"]
    pd.testing.assert_frame_equal(sample_a, sample_b)


def test_cli_copy(tmp_path):
    with KnowledgeGraph.open(tmp_path / "src.kg") as g:
        g.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}, {"id": "211102", "name": "双台子区"}])
        g.upsert_edges("PART_OF", [{"from_id": "211102", "to_id": "211100"}])
    done = subprocess.run([sys.executable, "-m", "kg", "copy", "--from", str(tmp_path / "src.kg"), "--to",
                           str(tmp_path / "dst.kg")], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    with KnowledgeGraph.open(tmp_path / "dst.kg") as g:
        assert g.count("Region") == 2 and g.count("PART_OF") == 1
