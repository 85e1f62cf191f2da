"""``kg targets``: a policy document's targets against the graph."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.app import app, info, open_graph
from kg.cli.output import emit_frame, emit_full_or_save, lang, listing


@app.command()
@listing
def targets(
    document: Path = typer.Argument(..., help="A policy document (.txt in any common encoding, or .docx)."),
    region: str = typer.Option(
        ..., "--region", "-r", help="Region code or name whose actors are counted (e.g. 211100 or 盘锦市)."
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        "-y",
        help="The plan year: targets that state no year of their own are measured in it (default: the document's year).",
    ),
    html: Path | None = typer.Option(None, "--html", help="Also write the report as an HTML page."),
    store: bool = typer.Option(
        False, "--store", help="Also load the document and its targets into the graph (PolicyDocument, Target, SETS)."
    ),
    population: float | None = typer.Option(
        None, "--population", help="The region's population: measures per-capita indicators (每万人 …)."
    ),
) -> None:
    """Extract numeric targets from DOCUMENT and compare them with the graph (target vs actual).

    Targets are compared with the stock in their year, flows (新建, 新增, 新认定, 引进) with the additions of
    the year or period, growth rates with the previous year; status statements (现有, 已建成, 目前) are shown
    as the baseline. The status column is one of: met, not met, not measurable, baseline; `counted` names
    the query and the number counted.
    """
    from kg.loaders.policy import read_policy
    from kg.queries.targets import target_report

    extraction = read_policy(document, year=year)
    with open_graph(write=store) as g:
        if store:
            from kg.loaders.policy import store_policy

            store_policy(g, extraction)
        report = target_report(
            g, extraction.to_frame(), region, year or getattr(extraction, "year", None), population=population
        )
    title = f"{getattr(extraction, 'title', document.name)}: targets vs graph ({region})"
    if html:
        from kg.viz.tables import write_table_page

        years = report["year"].map(lambda y: "" if y is None or y != y else str(int(y)))  # 2025, not 2,025
        write_table_page(report.assign(year=years), html, title, f"source: {document}", lang=lang())
        info(f"wrote {html}")
    if emit_full_or_save(report, title):
        return
    # a terminal table: the source clause shortened; the full sentence is in --csv / --json / --html
    shown = report.drop(columns=["indicator_key", "comparison", "year"])
    shown = shown.assign(
        note=[_short(n, 28) if isinstance(n, str) else n for n in shown["note"]],
        counted=[_middle(c, 64) if isinstance(c, str) else c for c in shown["counted"]],
    )
    quotes = [t.quote for t in extraction.targets] if len(extraction.targets) == len(shown) else shown["sentence"]
    emit_frame(shown.drop(columns=["sentence"]).assign(source=[_short(q) for q in quotes]), title)


def _short(text, width: int = 22) -> str:
    text = str(text or "")
    return text if len(text) <= width else text[:width] + "…"


def _middle(text: str, width: int) -> str:
    """``indicator_platforms[kinds=……] added 2025 = 5``: the query's name and the years and number it counted kept
    (escaped: the brackets are not console markup)."""
    from rich.markup import escape

    return escape(text if len(text) <= width else text[: width - 24] + "…" + text[-23:])
