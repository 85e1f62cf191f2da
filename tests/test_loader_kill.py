"""A load killed half-way (SIGKILL) leaves the store exactly as before; a clean re-run loads it all.

A subprocess loads 200k enterprises with their region links (Enterprise, Region, PART_OF and LOCATED_IN
written in one transaction) into an on-disk store that already holds data, and is killed at three moments:
in the middle of the engine's bulk COPY, after every write but before COMMIT, and during COMMIT (while the
engine checkpoints its write-ahead log into the file).  After each kill the store opens and holds exactly
what it held before (or, for a kill during COMMIT, exactly the complete new state: never a part).
What the engine does (ladybug): uncommitted writes live in memory only, so the file is untouched until
COMMIT; during COMMIT it writes the WAL and a shadow file, and on the next open it either replays a complete
commit or discards an incomplete one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.loaders import load_frame

ROWS = 200_000

WRITER = textwrap.dedent("""
    import sys, time
    from kg import KnowledgeGraph
    from kg.backends.ladybug_backend import LadybugBackend as B
    from kg.loaders import load_file

    db, sheet, mode = sys.argv[1:4]
    copy, commit = B.bulk_load_nodes, B._commit

    def announced_copy(self, *args):
        print("COPY", flush=True)
        return copy(self, *args)

    def announced_commit(self):
        print("COMMIT", flush=True)
        if mode == "hold":
            time.sleep(120)  # everything written, nothing committed: the kill lands here
        return commit(self)

    B.bulk_load_nodes, B._commit = announced_copy, announced_commit
    with KnowledgeGraph.open(db) as g:
        report = load_file(g, sheet, as_type="Enterprise")
    print("DONE", report.loaded, flush=True)
""")


def enterprise_sheet(path, n: int):
    rng = np.random.default_rng(1)
    pd.DataFrame(
        {
            "企业编号": [f"E{i:09d}" for i in range(n)],
            "企业名称": [f"测试企业{i}有限公司" for i in range(n)],
            "职工人数": rng.integers(5, 5000, n),
            "所在区县": rng.choice(["211102", "211103", "211104", "211122"], n),
        }
    ).to_csv(path, index=False)
    return path


def state(db) -> dict[str, int]:
    with KnowledgeGraph.open(db) as g:
        counts = g.counts()
        return dict(zip(counts["type"], counts["count"].astype(int)))


def start(script, db, sheet, mode):
    return subprocess.Popen([sys.executable, str(script), str(db), str(sheet), mode], stdout=subprocess.PIPE, text=True)


def kill_at(proc, marker: str, delay: float) -> None:
    for line in proc.stdout:
        if line.strip() == marker:
            time.sleep(delay)
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the writer ended before the kill at {marker}"


@pytest.mark.slow
def test_kill_during_a_large_load_then_a_clean_rerun(tmp_path):
    db = tmp_path / "g.kg"
    with KnowledgeGraph.open(db) as g:
        load_frame(
            g, pd.DataFrame({"企业名称": [f"已有企业{i}" for i in range(10)], "所在区县": "双台子区"}), "Enterprise"
        )
    before = state(db)
    assert before["Enterprise"] == 10 and before["LOCATED_IN"] == 10
    snapshot = tmp_path / "before.kg"
    shutil.copy(db, snapshot)
    sheet = enterprise_sheet(tmp_path / "big.csv", ROWS)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")

    kill_at(start(script, db, sheet, "run"), "COPY", 0.05)  # in the middle of the bulk COPY
    assert state(db) == before
    kill_at(start(script, db, sheet, "hold"), "COMMIT", 0.0)  # all written, not committed
    assert state(db) == before

    done = subprocess.run(
        [sys.executable, str(script), str(db), str(sheet), "run"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == f"DONE {ROWS}"
    after = state(db)
    assert after["Enterprise"] == ROWS + 10 and after["LOCATED_IN"] == ROWS + 10
    assert after["Region"] == 6 and after["PART_OF"] == 5  # 辽宁省, 盘锦市 and four counties
    assert {k: v for k, v in after.items() if k not in ("Enterprise", "LOCATED_IN")} == {
        k: (6 if k == "Region" else 5 if k == "PART_OF" else v)
        for k, v in before.items()
        if k not in ("Enterprise", "LOCATED_IN")
    }
    with KnowledgeGraph.open(db) as g:
        row = g.query(
            "MATCH (e:Enterprise {id: 'E000199999'})-[:LOCATED_IN]->(r:Region) RETURN e.name AS n, e.source_row AS r"
        )
        assert row.values.tolist() == [["测试企业199999有限公司", ROWS + 1]]

    # a kill while COMMIT writes the file (the engine checkpoints its WAL): all or nothing
    kill_at(start(script, snapshot, sheet, "run"), "COMMIT", 0.15)
    assert state(snapshot) in (before, after)
