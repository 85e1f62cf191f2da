"""``kg export rdf`` and ``kg validate``: the graph as linked data (see :mod:`kg.rdf`).

``kg load graph.ttl`` reads an export back (the loaders call :func:`kg.rdf.load_rdf`).
"""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.app import app, export_app, info, open_graph, settings
from kg.cli.output import emit_frame, emit_json


def _open_for_reading():
    return open_graph()


@export_app.command("rdf")
def export_rdf_command(
    output: Path = typer.Option(..., "-o", "--output", help="File to write (graph.ttl, graph.nt, graph.jsonld)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="turtle | nt | jsonld (default: from the suffix)."),
    base: str | None = typer.Option(
        None, "--base", help="Namespace of the IRIs (default https://w3id.org/innovation-kg/)."
    ),
) -> None:
    """Export the whole graph as RDF (Turtle / N-Triples stream; JSON-LD in memory)."""
    from kg.rdf import IKG, export_rdf

    with _open_for_reading() as g:
        from kg.progress import progress

        info(f"exporting {g.backend.describe()} to {output} ...")
        total = int(g.counts()["count"].sum())
        with progress(total, "exporting RDF", quiet=settings.quiet or settings.json, unit="records") as advance:
            done = [0]

            def step(records: int, triples: int) -> None:
                advance(records - done[0])
                done[0] = records

            stats = export_rdf(g, output, format=fmt, base=base or IKG, progress=step)
    if settings.json:
        emit_json(
            {
                "path": str(output),
                "format": stats.format,
                "triples": stats.triples,
                "nodes": stats.nodes,
                "edges": stats.edges,
                "qualified": stats.qualified,
                "seconds": round(stats.seconds, 3),
                "triples_per_second": round(stats.triples_per_second),
            }
        )
        return
    typer.echo(str(stats))


@app.command("validate")
def validate_command(
    file: Path | None = typer.Argument(None, help="RDF file to check (default: export the store and check it)."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="Format of FILE (default: from the suffix)."),
    limit: int = typer.Option(50, "--limit", help="Violations listed (all are counted)."),
    csv: str | None = typer.Option(None, "--csv", help="Write every violation to this CSV file."),
) -> None:
    """Validate an RDF export (or the store) with the generated SHACL shapes; exit 1 on violations."""
    from kg.rdf.validate import validate_file, validate_store

    if file is not None:
        info(f"validating {file} with the SHACL shapes ...")
        result = validate_file(file, format=fmt)
    else:
        with _open_for_reading() as g:
            info(f"validating {g.backend.describe()} with the SHACL shapes ...")
            result = validate_store(g)
    n = len(result.violations)
    if settings.json:
        emit_json(
            {
                "conforms": result.conforms,
                "violations": n,
                "triples": result.triples,
                "seconds": round(result.seconds, 2),
                "by_property": result.summary().to_dict("records"),
                "details": result.violations.head(limit).to_dict("records"),
            }
        )
    else:
        if result.conforms:
            typer.echo(f"conforms: {result.triples:,} triples, no violations ({result.seconds:.1f} s)")
        else:
            emit_frame(result.summary(), f"{n:,} violations by type and property")
            cols = ["type", "id", "property", "constraint", "value", "message"]
            emit_frame(result.violations[cols].head(limit), f"violations (first {min(limit, n)} of {n:,})")
    if csv:
        from kg.io import write_csv

        write_csv(result.violations, csv)
        info(f"wrote {n:,} violations to {csv}")
    if not result.conforms:
        raise typer.Exit(1)
