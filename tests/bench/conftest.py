"""Shared fixtures of the benchmarks (``make bench``).

``national_db`` builds the national-scale demo once (``KG_BENCH_SCALE``,
default 500 = 1M enterprises) into ``test-output/bench/`` and reuses it
while seed and scale are unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from benchlog import BENCH_DIR

SEED = 7


def bench_scale(default: float = 500.0) -> float:
    """Scale of the national benchmark graph (env ``KG_BENCH_SCALE``)."""
    return float(os.environ.get("KG_BENCH_SCALE", default))


@pytest.fixture(scope="session")
def national_db() -> Path:
    """Path of a store holding the demo at benchmark scale (built once, then reused)."""
    from kg import KnowledgeGraph
    from kg.demo import build_demo

    scale = bench_scale()
    folder = BENCH_DIR / f"national-s{SEED}-x{scale:g}"
    db = folder / "graph.kg"
    done = folder / "DONE"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with KnowledgeGraph.open(db) as g:
            build_demo(g, seed=SEED, scale=scale, out_dir=folder / "csv", progress=True)
        done.write_text("ok")
    return db
