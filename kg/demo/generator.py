"""The demo ecosystem: a deterministic, realistic city (or region, or country) of innovation actors.

:func:`generate` writes CSV files in the documented input format (the
templates of ``kg template``); :func:`build_demo` generates them and loads
them through :func:`kg.loaders.load_file`, the path a user's files take.

``scale`` 1.0 is a city like the seeds' (盘锦市, four counties, ~2,000
enterprises); 0.05 makes a few hundred nodes for tests; above 5 the demo
spreads over the province, above 50 over the country (``scale`` 500 gives
1M enterprises).  Generation is block-wise, so memory stays bounded.

Examples
--------
>>> from kg import KnowledgeGraph
>>> with KnowledgeGraph.open(":memory:") as g:
...     summary = build_demo(g, seed=1, scale=0.02)
...     g.count("Enterprise") == summary.rows["Enterprise"]
True
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kg.demo.firms import write_firms
from kg.demo.programmes import Programmes
from kg.demo.sink import CsvSink
from kg.demo.world import build_world
from kg.errors import KGError
from kg.loaders import load_file
from kg.progress import file_sizes
from kg.progress import progress as bar
from kg.schema import load_schema

FIRMS_PER_SCALE = 2_000


@dataclass
class DemoFiles:
    """What :func:`generate` wrote: files in load order (nodes first) and rows per type."""

    folder: Path
    files: list[Path]
    rows: dict[str, int]
    seed: int
    scale: float
    seconds: float = 0.0
    load_seconds: float = 0.0
    loaded: dict[str, int] = field(default_factory=dict)


def generate(out_dir: str | Path, *, seed: int = 7, scale: float = 1.0, block: int = 50_000) -> DemoFiles:
    """Write the demo ecosystem as template CSV files into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder for the files (created).
    seed
        Random seed; the same seed and scale give byte-identical files.
    scale
        Size: ``FIRMS_PER_SCALE * scale`` enterprises and proportionate numbers of
        everything else.
    block
        Enterprises generated per block (bounds memory).
    """
    if scale <= 0:
        raise KGError(f"--scale must be positive, got {scale}")
    start = time.perf_counter()
    schema = load_schema()
    sink = CsvSink(Path(out_dir), schema)
    rng = np.random.default_rng(seed)
    try:
        world = build_world(sink, rng, scale)
        programmes = Programmes(sink, world, np.random.default_rng([seed, 20]))  # its own stream: other rows unchanged
        write_firms(sink, world, max(10, round(FIRMS_PER_SCALE * scale)), block=block, programmes=programmes)
    finally:
        written = sink.close()
    order = {t: i for i, t in enumerate([*schema.nodes, *schema.edges])}
    files = sorted(written, key=lambda p: order[p.stem.split("_", 1)[1]])
    return DemoFiles(Path(out_dir), files, dict(sink.rows), seed, scale, seconds=time.perf_counter() - start)


def build_demo(
    graph, *, seed: int = 7, scale: float = 1.0, out_dir: str | Path | None = None, progress: bool = False
) -> DemoFiles:
    """Generate the demo and load it into ``graph`` through the loaders.

    Returns the :class:`DemoFiles` summary (files, rows per type, timings).
    With ``out_dir=None`` the CSV files go to a temporary folder that is
    removed afterwards.
    """

    tmp = None
    if out_dir is None:
        tmp = tempfile.mkdtemp(prefix="kg-demo-")
        out_dir = tmp
    try:
        files = generate(out_dir, seed=seed, scale=scale)
        start = time.perf_counter()
        schema = graph.schema
        sizes = file_sizes(files.files)
        with bar(sum(s for _, s in sizes), f"loading {len(sizes)} files", quiet=not progress, unit="bytes") as advance:
            for path, size in sizes:
                type_ = path.stem.split("_", 1)[1]
                report = load_file(graph, path, as_type=type_, strict=True, quiet=True)
                files.loaded[type_] = files.loaded.get(type_, 0) + _loaded(report)
                assert schema.is_node(type_) or type_ in schema.edges
                advance(size, f"loading {type_}")
        files.load_seconds = time.perf_counter() - start
        return files
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _loaded(report) -> int:
    for attr in ("loaded", "rows_loaded", "written"):
        value = getattr(report, attr, None)
        if isinstance(value, int):
            return value
    return 0
