"""Same store and seed, same result: communities, sampled betweenness and layouts do not depend on the order the
store returns rows in, nor on the process (hash seed), on either analytics engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.queries import analytics as A

SCRIPT = r"""
import hashlib, json, sys
from kg import KnowledgeGraph
from kg.queries import analytics as A
from kg.viz.layout import positions

out = {}
with KnowledgeGraph.open(sys.argv[1], read_only=True) as g:
    for method in ("leiden", "louvain"):
        out[method] = A.describe_communities(g, method, seed=3).to_dict("records")
    p = A.organisations(g)
    for engine in ("igraph", "networkx"):
        df = A.compute_centrality(p, "betweenness", engine=engine, sample=40, seed=5)
        out["betweenness_" + engine] = [[str(i), round(float(v), 12)] for i, v in df[["id", "betweenness"]].values]
    piece = p.linked()
    pos = positions(piece.nodes["id"].tolist(), piece.edges[["source", "target"]].values.tolist(), seed=7)
    out["layout"] = hashlib.sha256(json.dumps(sorted(pos.items()), ensure_ascii=False).encode()).hexdigest()
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from kg.demo import build_demo

    db = tmp_path_factory.mktemp("determinism") / "demo.kg"
    with KnowledgeGraph.open(db) as g:
        build_demo(g, seed=11, scale=0.05)
    return db


class Shuffled:
    """A store whose every read comes back in another row order (what a store may do between reads)."""

    def __init__(self, graph, seed: int) -> None:
        self.graph, self.seed, self.schema = graph, seed, graph.schema

    def _shuffle(self, df: pd.DataFrame) -> pd.DataFrame:
        self.seed += 1
        return df.sample(frac=1, random_state=self.seed).reset_index(drop=True)

    def query(self, text, /, **params):
        return self._shuffle(self.graph.query(text, **params))

    def run_named(self, name, /, **params):
        return self._shuffle(self.graph.run_named(name, **params))


def test_row_order_of_the_store_changes_nothing(demo_db):
    with KnowledgeGraph.open(demo_db, read_only=True) as g:
        one, two = Shuffled(g, 100), Shuffled(g, 200)
        assert A.organisations(one).nodes.equals(A.organisations(two).nodes)
        assert A.organisations(one).edges.equals(A.organisations(two).edges)
        for method in ("leiden", "louvain"):
            a, b = A.describe_communities(one, method, seed=1), A.describe_communities(two, method, seed=1)
            pd.testing.assert_frame_equal(a, b)
            assert a.attrs["modularity"] == b.attrs["modularity"] and len(a) > 1
            assert a["regions"].str.len().min() > 0 and a["fields"].str.len().max() > 0
        for engine in ("igraph", "networkx"):
            x = A.compute_centrality(one, "betweenness", engine=engine, sample=30, seed=4)
            y = A.compute_centrality(two, "betweenness", engine=engine, sample=30, seed=4)
            pd.testing.assert_frame_equal(x, y)
        other = A.compute_centrality(one, "betweenness", engine="igraph", sample=30, seed=5)
        assert not other["betweenness"].equals(x["betweenness"])  # the seed matters


def test_two_processes_give_identical_partitions_and_values(demo_db):
    runs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(demo_db)], capture_output=True, text=True, env=env, timeout=300
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    first, second = runs
    assert first["leiden"] and first["louvain"] and len(first["betweenness_igraph"]) > 100
    for key in first:
        assert first[key] == second[key], key


@pytest.mark.slow
def test_kg_communities_prints_the_same_table_in_two_runs(demo_db):
    kg = [sys.executable, "-m", "kg", "--db", str(demo_db)]
    outputs = []
    for hash_seed in ("3", "4"):
        done = subprocess.run(
            [*kg, "communities", "--seed", "2", "--csv", "-"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].startswith("community,size,types,fields,regions,top_members")
    assert len(outputs[0].splitlines()) > 2


def test_cli_participations_and_brokers_titles(demo_db, monkeypatch, capsys):
    from typer.testing import CliRunner

    from kg.cli import app

    monkeypatch.setenv("COLUMNS", "250")
    runner = CliRunner()
    done = runner.invoke(app, ["--db", str(demo_db), "--json", "participations", "--top", "5", "--by", "partners"])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    with KnowledgeGraph.open(demo_db, read_only=True) as g:
        expected = A.count_participations(g, by="partners", top=5)
    assert [r["id"] for r in rows] == expected["id"].tolist() and rows[0]["partners"] == int(expected["partners"][0])
    table = runner.invoke(app, ["--db", str(demo_db), "brokers", "--between", "county", "--top", "3"])
    assert table.exit_code == 0, table.output
    assert "brokerage between counties" in table.stdout and "countys" not in table.stdout
    from kg.cli import main

    assert main(["--db", str(demo_db), "brokers", "--between", "planet"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: --between 'planet': use sector (firms, academia, other organisations) or a region level: country, "
        "province, city, county"
    ]
