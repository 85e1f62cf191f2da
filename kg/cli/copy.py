"""``kg copy``: publish a local graph to Neo4j, or bring a server's graph home."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import typer

from kg.cli.app import app, info
from kg.cli.output import emit_frame


@app.command("copy")
def copy(
    source: str = typer.Option(..., "--from", help="Source store: a path or a neo4j:// / bolt:// URI."),
    target: str = typer.Option(
        ...,
        "--to",
        help="Target store: a path or a neo4j:// URI "
        "(credentials from NEO4J_USER / NEO4J_PASSWORD, never in the URI on a shared machine).",
    ),
    batch_size: int | None = typer.Option(
        None,
        "--batch-size",
        min=1,
        help="Keys read per page; one target transaction per page (default: the store's batch size, 50,000).",
    ),
) -> None:
    """Copy every node and edge from one store to another (idempotent: run it again to resume).

    Python twin: ``kg.copy.copy_graph(source_graph, target_graph, batch_size=...)``.
    """
    from kg import KnowledgeGraph
    from kg.cli.app import is_local_file, open_graph
    from kg.copy import DEFAULT_BATCH, copy_graph
    from kg.errors import KGError

    if is_local_file(source) and not Path(source).exists():
        raise KGError(f"--from {source}: no store there; check the path")
    start = time.perf_counter()
    with (
        KnowledgeGraph.open(source, **({"read_only": True} if is_local_file(source) else {})) as src,
        open_graph(write=True, create=True, target=target) as dst,
    ):
        info(f"copying {src.backend.describe()} -> {dst.backend.describe()} ...")
        done = copy_graph(src, dst, batch_size=batch_size or DEFAULT_BATCH)
        counts = dst.counts()
    rows = pd.DataFrame([{"type": t, "copied": n} for t, n in done.items()])
    table = rows.merge(counts.rename(columns={"count": "in_target"})[["type", "title", "in_target"]], on="type")
    emit_frame(
        table[(table["copied"] > 0) | (table["in_target"] > 0)][["type", "title", "copied", "in_target"]],
        "copied",
        raw=("type",),
    )
    info(f"done in {time.perf_counter() - start:.1f} s")
