"""``kg targets``: a policy document's targets against the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, emit_frame, emit_full_or_save, info, open_graph, settings


@app.command()
def targets(
    document: Path = typer.Argument(..., help="A policy document (.txt in any common encoding, or .docx)."),
    region: str = typer.Option(..., "--region", "-r", help="Region code or name whose actors are counted (e.g. 211100 or 盘锦市)."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Year for targets that state none (default: the document's)."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the report as an HTML page."),
    csv: Optional[str] = typer.Option(None, "--csv", help="Write the report as CSV to this file ('-' for stdout)."),
    store: bool = typer.Option(False, "--store", help="Also load the document and its targets into the graph (PolicyDocument, Target, SETS)."),
) -> None:
    """Extract numeric targets from DOCUMENT and compare them with the graph (target vs actual)."""
    from kg.loaders.policy import read_policy
    from kg.queries.targets import target_report

    extraction = read_policy(document)
    with open_graph(write=store) as g:
        if store:
            from kg.loaders.policy import store_policy

            store_policy(g, extraction)
        report = target_report(g, extraction.to_frame(), region, year or getattr(extraction, "year", None))
    title = f"{getattr(extraction, 'title', document.name)}: targets vs graph ({region})"
    if html:
        from kg.viz.tables import write_table_page

        write_table_page(report, html, title, f"source: {document}")
        info(f"wrote {html}")
    if emit_full_or_save(report, title, csv):
        return
    # a terminal table: the source clause shortened; the full sentence is in --csv / --json / --html
    shown = report.drop(columns=["indicator_key", "comparison", "year"])
    shown = shown.assign(note=[_short(n, 28) if isinstance(n, str) else n for n in shown["note"]])
    quotes = [t.quote for t in extraction.targets] if len(extraction.targets) == len(shown) else shown["sentence"]
    emit_frame(shown.drop(columns=["sentence"]).assign(source=[_short(q) for q in quotes]), title)


def _short(text, width: int = 22) -> str:
    text = str(text or "")
    return text if len(text) <= width else text[:width] + "…"
