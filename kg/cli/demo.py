"""``kg demo``: generate the demo ecosystem and load it into the store."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.app import app, info, open_graph, settings
from kg.cli.output import emit_frame, emit_json


@app.command()
def demo(
    seed: int = typer.Option(7, "--seed", help="Random seed (same seed and scale, same graph)."),
    scale: float = typer.Option(1.0, "--scale", help="1.0 = a city of ~2,000 firms; 0.05 for tests; 500 = 1M firms."),
    out: Path | None = typer.Option(None, "--out", help="Also keep the generated CSV files in this folder."),
    force: bool = typer.Option(False, "--force", help="Replace an existing store at --db."),
) -> None:
    """Build the demo ecosystem (a city of innovation actors) through the normal loaders."""
    from kg.backends import is_server_uri
    from kg.demo import build_demo
    from kg.errors import KGError
    from kg.graph import default_db

    target = settings.db or default_db()
    local = not is_server_uri(target) and target != ":memory:"
    if local and Path(target).exists():
        if not force:
            raise KGError(f"{target} exists; add --force to replace it or choose another --db")
        from kg.journal import remove_store

        remove_store(target)
    csv_dir = out / "csv" if out else None
    info(f"generating the demo ecosystem (seed {seed}, scale {scale}) ...")
    with open_graph(write=True, create=True) as g:
        files = build_demo(
            g, seed=seed, scale=scale, out_dir=csv_dir, progress=not settings.quiet and not settings.json
        )
        counts = g.counts()
        counts = counts[counts["count"] > 0].reset_index(drop=True)
        example = g.run_named("demo_example_firm")
        where = g.backend.describe()
    nodes = int(counts.loc[counts["kind"] == "node", "count"].sum())
    edges = int(counts.loc[counts["kind"] == "edge", "count"].sum())
    if settings.json:
        emit_json(
            {
                "db": where,
                "seed": seed,
                "scale": scale,
                "nodes": nodes,
                "edges": edges,
                "generate_seconds": round(files.seconds, 2),
                "load_seconds": round(files.load_seconds, 2),
                "counts": counts.to_dict("records"),
            }
        )
        return
    emit_frame(counts, f"demo ecosystem: {nodes:,} nodes, {edges:,} edges", raw=("type",))
    info(f"generated in {files.seconds:.1f} s, loaded in {files.load_seconds:.1f} s")
    if csv_dir:
        info(f"input files (template format): {csv_dir}")
    if not example.empty:
        info(f"example firm: {example['name'].iloc[0]} ({example['id'].iloc[0]})")
        if out:
            from kg.io import write_text

            write_text(out / "example_firm.txt", str(example["name"].iloc[0]))
    typer.echo(f"database: {Path(target).resolve() if local else where}")
