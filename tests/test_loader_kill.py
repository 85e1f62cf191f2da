"""A load killed half-way (SIGKILL during the write) leaves the store exactly as before; a re-run loads it all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

from kg import KnowledgeGraph

ROWS = 200_000

WRITER = textwrap.dedent("""
    import sys
    from kg import KnowledgeGraph
    from kg.graph import KnowledgeGraph as K
    from kg.loaders import load_file

    original = K.upsert_nodes
    def announce(self, *args, **kwargs):
        print("WRITING", flush=True)
        return original(self, *args, **kwargs)
    K.upsert_nodes = announce
    with KnowledgeGraph.open(sys.argv[1]) as g:
        report = load_file(g, sys.argv[2], as_type="Enterprise", link_regions=False)
    print("DONE", report.loaded, flush=True)
""")


def enterprise_sheet(path, n: int, start: int = 0):
    ids = [f"E{i:09d}" for i in range(start, start + n)]
    rng = np.random.default_rng(1)
    pd.DataFrame({"企业编号": ids, "企业名称": [f"测试企业{i}有限公司" for i in range(start, start + n)],
                  "职工人数": rng.integers(5, 5000, n), "所在区县": "211102"}).to_csv(path, index=False)
    return path


@pytest.mark.slow
def test_kill_during_a_large_load_then_a_clean_rerun(tmp_path):
    db = tmp_path / "g.kg"
    with KnowledgeGraph.open(db) as g:
        g.upsert_nodes("Enterprise", [{"id": f"PRE{i}", "name": f"已有企业{i}"} for i in range(10)])
    sheet = enterprise_sheet(tmp_path / "big.csv", ROWS)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(sheet)], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "WRITING"
    time.sleep(0.3)  # inside the transaction, the bulk write under way
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with KnowledgeGraph.open(db) as g:
        assert g.count("Enterprise") == 10  # exactly as before the killed load
    done = subprocess.run([sys.executable, str(script), str(db), str(sheet)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"DONE {ROWS}"
    with KnowledgeGraph.open(db) as g:
        assert g.count("Enterprise") == ROWS + 10
        assert g.query("MATCH (e:Enterprise {id: 'E000199999'}) RETURN e.name AS n").iloc[0, 0] == "测试企业199999有限公司"
