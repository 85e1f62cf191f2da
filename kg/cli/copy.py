"""``kg copy``: publish a local graph to Neo4j, or bring a server's graph home."""

from __future__ import annotations

import time

import pandas as pd
import typer

from kg.cli.app import app, emit_frame, info, settings


@app.command("copy")
def copy(
    source: str = typer.Option(..., "--from", help="Source store: a path or a neo4j:// URI."),
    target: str = typer.Option(..., "--to", help="Target store: a path or a neo4j:// URI (credentials from NEO4J_USER / NEO4J_PASSWORD)."),
    page: int = typer.Option(50_000, "--page", help="Keys read per page."),
) -> None:
    """Copy every node and edge from one store to another (idempotent: run it again to resume)."""
    from kg import KnowledgeGraph
    from kg.copy import copy_graph

    start = time.perf_counter()
    with KnowledgeGraph.open(source) as src, KnowledgeGraph.open(target) as dst:
        info(f"copying {src.backend.describe()} -> {dst.backend.describe()} ...")
        done = copy_graph(src, dst, page=page)
        counts = dst.counts()
    rows = pd.DataFrame([{"type": t, "copied": n} for t, n in done.items() if n])
    emit_frame(rows.merge(counts.rename(columns={"count": "in_target"})[["type", "in_target"]], on="type"), "copied")
    info(f"done in {time.perf_counter() - start:.1f} s")
