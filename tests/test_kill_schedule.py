"""Kill a load at scheduled points (SIGKILL) and check the promise of a database: after every kill the store opens
(directly, or after ``kg repair``), holds exactly the state before the load or exactly the state after it, and a
re-run of the load gives exact counts.

Two loads run in a subprocess (1,000 firms by default, 10,000 in the long schedule): a *fresh* load (new firms, with their region links, into a store holding data) and
an *update* load (the same firms with changed employees and moved regions).  Kill points: named moments (the
engine's COMMIT, just after COMMIT starts writing its log, the checkpoint after it) and moments spread over the
whole run (fractions of a clean run's duration).  The short schedule runs by default; the long one is ``slow``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.loaders import load_file
from kg.recovery import StoreDamagedError, repair_store

WRITER = textwrap.dedent("""
    import sys, time
    from kg import KnowledgeGraph
    from kg.backends.ladybug_backend import LadybugBackend as B
    from kg.loaders import load_file

    db, sheet = sys.argv[1:3]
    commit, checkpoint = B._commit, B.checkpoint

    def announced_commit(self):
        print("COMMIT", flush=True)
        return commit(self)

    def announced_checkpoint(self):
        print("CHECKPOINT", flush=True)
        return checkpoint(self)

    B._commit, B.checkpoint = announced_commit, announced_checkpoint
    print("START", flush=True)
    with KnowledgeGraph.open(db) as g:
        report = load_file(g, sheet, as_type="Enterprise")
    print("DONE", report.loaded, flush=True)
""")

COUNTIES = ["211102", "211103", "211104", "211122"]


def sheet(path: Path, first: int, n: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    pd.DataFrame(
        {
            "企业编号": [f"E{i:08d}" for i in range(first, first + n)],
            "企业名称": [f"测试企业{i}有限公司" for i in range(first, first + n)],
            "职工人数": rng.integers(5, 5000, n),
            "所在区县": rng.choice(COUNTIES, n),
        }
    ).to_csv(path, index=False)
    return path


def state(db: Path) -> dict:
    """Counts per type, the sum of employees and the LOCATED_IN links per county: what a torn load would change."""
    with KnowledgeGraph.open(db, read_only=True) as g:
        counts = g.counts()
        out = {t: int(n) for t, n in zip(counts["type"], counts["count"]) if n}
        out["employees"] = int(g.query("MATCH (e:Enterprise) RETURN sum(e.employees) AS s")["s"].iloc[0] or 0)
        links = g.query("MATCH (e:Enterprise)-[:LOCATED_IN]->(r:Region) RETURN r.id AS r, count(*) AS n")
        out["links"] = dict(zip(links["r"], links["n"].astype(int)))
    return out


def open_or_repair(db: Path) -> str:
    """Open the store as a reader would; repair it when the engine refuses.  Returns what repair printed (or '')."""
    try:
        state(db)
        return ""
    except StoreDamagedError:
        report = repair_store(db)
        return "\n".join(report.lines())


def kill_at(script: Path, db: Path, csv: Path, marker: str, delay: float) -> bool:
    """Run the writer and SIGKILL it ``delay`` seconds after it prints ``marker``; False when it finished first."""
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(csv)], stdout=subprocess.PIPE, text=True)
    killed = False
    for line in proc.stdout:
        if line.strip() == marker:
            time.sleep(delay)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
            break
    proc.wait(timeout=300)
    return killed and proc.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A base store (firms 0..n-1 loaded), a fresh sheet (firms n..2n-1) and an update sheet (firms 0..n-1 changed)."""

    def make(n: int):
        folder = tmp_path_factory.mktemp(f"kill{n}")
        base = folder / "base.kg"
        first = sheet(folder / "first.csv", 0, n, 1)
        with KnowledgeGraph.open(base) as g:
            load_file(g, first, as_type="Enterprise")
        script = folder / "writer.py"
        script.write_text(WRITER, encoding="utf-8")
        loads = {"fresh": sheet(folder / "fresh.csv", n, n, 2), "update": sheet(folder / "update.csv", 0, n, 3)}
        before = state(base)
        after = {}
        for name, csv in loads.items():
            done = folder / f"done_{name}.kg"
            shutil.copy(base, done)
            started = time.perf_counter()
            with KnowledgeGraph.open(done) as g:
                load_file(g, csv, as_type="Enterprise")
            after[name] = (state(done), time.perf_counter() - started)
        return folder, base, script, loads, before, after

    return make


def run_schedule(scenario, n: int, points: list[tuple[str, str, float]]) -> list[str]:
    folder, base, script, loads, before, after = scenario(n)
    # independent expectations: pandas counts of the sheets
    fresh_ids = set(pd.read_csv(loads["fresh"])["企业编号"])
    assert after["fresh"][0]["Enterprise"] == before["Enterprise"] + len(fresh_ids)
    assert after["update"][0]["Enterprise"] == before["Enterprise"]
    assert after["update"][0]["employees"] == int(pd.read_csv(loads["update"])["职工人数"].sum())
    assert after["update"][0]["links"] == pd.read_csv(loads["update"], dtype=str)["所在区县"].value_counts().to_dict()
    printed = []
    for load, marker, delay in points:
        db = folder / "victim.kg"
        for p in folder.glob("victim.kg*"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        shutil.copy(base, db)
        if marker == "START":  # a moment spread over the whole run: a fraction of a clean run's duration
            delay = delay * (after[load][1] + 2.0)
        kill_at(script, db, loads[load], marker, delay)
        repaired = open_or_repair(db)
        if repaired:
            printed.append(f"{load} {marker}+{delay:.2f}s:\n{repaired}")
        got = state(db)
        assert got in (before, after[load][0]), (
            f"{load} killed at {marker}+{delay:.2f}s left a state neither before nor after"
        )
        with KnowledgeGraph.open(db) as g:  # a re-run gives exact counts
            load_file(g, loads[load], as_type="Enterprise")
        assert state(db) == after[load][0], f"re-run after a kill at {load} {marker}+{delay:.2f}s"
    return printed


SHORT = [("fresh", "COMMIT", 0.0), ("update", "COMMIT", 0.0), ("update", "CHECKPOINT", 0.0), ("update", "START", 0.6)]


def test_short_kill_schedule(scenario):
    run_schedule(scenario, 1000, SHORT)


LONG = [
    (load, marker, delay)
    for load in ("fresh", "update")
    for marker, delay in [
        ("COMMIT", 0.0),
        ("COMMIT", 0.01),
        ("COMMIT", 0.05),
        ("COMMIT", 0.15),
        ("COMMIT", 0.4),
        ("CHECKPOINT", 0.0),
        ("CHECKPOINT", 0.02),
        ("START", 0.3),
        ("START", 0.5),
        ("START", 0.7),
        ("START", 0.85),
        ("START", 0.95),
    ]
]


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_long_kill_schedule(scenario, capsys):
    printed = run_schedule(scenario, 10_000, LONG)
    with capsys.disabled():
        print(f"\n{len(LONG)} kill points; repairs:\n" + "\n".join(printed))
