"""``kg load`` and ``kg template``: the loaders from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import typer

from kg.cli.app import app, info, open_graph, settings
from kg.cli.output import emit_frame, emit_json


@app.command()
def load(
    files: list[Path] = typer.Argument(None, help="Files or folders (CSV/TSV, Excel, JSON/JSONL, RDF)."),
    as_type: str | None = typer.Option(
        None,
        "--as",
        help="Node label (Enterprise) or edge type (COOPERATES_WITH); "
        "default: from the file name (nodes_Enterprise.csv).",
    ),
    mapping: Path | None = typer.Option(
        None,
        "--mapping",
        "-m",
        help="A mapping file (YAML) for sources that need explicit columns or feed several types.",
    ),
    strict: bool = typer.Option(False, "--strict", help="Load nothing from a file with any bad row."),
    report: Path | None = typer.Option(
        None, "--report", help="Write every rejected row (file, row, column, value, reason) as CSV."
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="Excel sheet name or number (default: the first)."),
    encoding: str | None = typer.Option(None, "--encoding", help="Text encoding (default: detected)."),
    delimiter: str | None = typer.Option(
        None,
        "--delimiter",
        "-d",
        help="CSV delimiter, e.g. ',' ';' '|' or 'tab' (default: the one giving consistent rows).",
    ),
    quote: str | None = typer.Option(None, "--quote", help='CSV quote character (default: ").'),
    header_row: int | None = typer.Option(None, "--header-row", help="Row number of the header (default: found)."),
    null: list[str] | None = typer.Option(
        None,
        "--null",
        help="A cell text read as blank (repeat it; replaces the defaults NA, N/A, NULL, ——, ------, 0000-00-00 ...).",
    ),
    member: str | None = typer.Option(
        None, "--member", help="The file to read inside a .zip (default: its only table)."
    ),
) -> None:
    """Load bureau spreadsheets: Chinese headers map to the schema, bad rows are reported with their cell.

    Exit code 0: everything loaded; 1: some rows were rejected (see the report); 2: an error, nothing loaded from that file.
    A CSV row with a quote never closed or the wrong number of cells refuses the file; with --report such rows
    are left out and listed in the report instead.
    """
    from kg.errors import LoadError
    from kg.loaders import problems_frame, write_report

    if not files and not mapping:
        raise LoadError("give files or folders to load, or --mapping FILE")
    if report is not None and report.is_dir():
        from kg.io import OutputError

        raise OutputError(f"--report {report} is a folder; give a file name, e.g. {report / 'problems.csv'}")
    sheet_arg = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    read = {
        k: v
        for k, v in {
            "delimiter": delimiter,
            "quote": quote,
            "nulls": null or None,
            "member": member,
            "header": header_row,
        }.items()
        if v is not None
    }
    read["bad_rows"] = "reject" if report else "error"
    reports = []
    with open_graph(write=True, create=True) as g:
        try:
            if mapping:
                from kg.loaders.mapping import load_mapping

                sources: list[Path | None] = [*files] if files else [None]
                for source in sources:
                    reports += load_mapping(
                        g, mapping, source=source, strict=strict, quiet=settings.quiet, encoding=encoding, **read
                    )
            else:
                reports = _load_with_progress(
                    g,
                    files,
                    as_type=as_type,
                    strict=strict,
                    sheet=sheet_arg,
                    encoding=encoding,
                    keep_going=_several(files),
                    **read,
                )
        except LoadError as exc:
            partial = getattr(exc, "report", None)
            if partial is not None and report:
                write_report([*reports, partial], report)
                info(f"problems written to {report}")
            if partial is not None and not settings.json:
                _show_problems(problems_frame([partial]))
            raise
    refused = [r for r in reports if r.error]
    summary = pd.DataFrame(
        [
            {
                "file": r.source,
                "type": r.type,
                "status": "refused" if r.error else "committed" if r.committed else "not loaded",
                "rows": r.rows_read,
                "loaded": r.loaded,
                "rejected": r.rejected,
                "seconds": round(r.seconds, 2),
                "rows/s": int(r.rows_per_second),
            }
            for r in reports
        ]
    )
    if not refused and len(summary):
        summary = summary.drop(columns=["status"])
    problems = problems_frame(reports)
    if settings.json:
        emit_json(
            {
                "files": summary.to_dict("records"),
                "problems": problems.to_dict("records"),
                "warnings": [f"{r.source}: {w}" for r in reports for w in r.warnings],
                "refused": {r.source: r.error for r in refused},
            }
        )
    else:
        committed = int((summary["status"] == "committed").sum()) if refused else len(summary)
        emit_frame(summary, f"{committed} files committed, {len(refused)} refused" if refused else "loaded")
        for r in reports:
            for w in r.warnings:
                info(f"[yellow]note[/]: {r.source}: {w}")
        if len(problems):
            _show_problems(problems)
    if report:
        write_report(reports, report)
        info(f"{len(problems)} problems written to {report}")
    if refused:
        first = refused[0]
        raise LoadError(
            f"{len(refused)} of {len(reports)} files refused (the table above lists what was committed); "
            f"first: {first.error}"
        )
    if len(problems):
        raise typer.Exit(1)


def _load_with_progress(g, files, **options) -> list:
    """:func:`kg.loaders.load_files` with one bar by bytes over several files (total, MB/s, time left)."""
    from kg.loaders import expand_sources, load_files
    from kg.progress import file_sizes, progress

    quiet = settings.quiet or settings.json
    sizes = dict(file_sizes(expand_sources(files, g.schema)))
    with progress(
        sum(sizes.values()), f"loading {len(sizes)} file(s)", quiet=quiet or len(sizes) < 2, unit="bytes"
    ) as advance:
        return load_files(
            g,
            files,
            quiet=quiet or len(sizes) > 1,
            on_file=lambda path: advance(sizes.get(path, 0), f"loaded {Path(path).name}"),
            **options,
        )


def _several(files) -> bool:
    """More than one file, or a folder: go on after a refused file and list every file at the end."""
    return len(files or []) > 1 or any(Path(f).is_dir() for f in files or [])


def _show_problems(problems: pd.DataFrame, limit: int = 20) -> None:
    shown = problems.drop(columns=["sheet", "type"]).head(limit)
    emit_frame(
        shown,
        f"rejected rows ({len(problems)} problems; first {len(shown)})"
        if len(problems) > limit
        else f"rejected rows ({len(problems)} problems)",
    )


@app.command()
def template(
    type_name: str = typer.Argument(..., help="Node label or edge type, e.g. Enterprise, COOPERATES_WITH, 企业."),
    describe: bool = typer.Option(False, "--describe", help="Explain each column instead of printing the CSV header."),
) -> None:
    """Print the input template of a type (CSV header with the Chinese column names), e.g. `kg template Enterprise > enterprises.csv`."""
    from kg.loaders import template_csv, template_help
    from kg.loaders.load import _type_name
    from kg.schema import load_schema

    type_ = _type_name(load_schema(), type_name)
    if describe:
        emit_frame(pd.DataFrame(template_help(type_)), f"template {type_}")
        return
    # redirected to a file: start with a BOM so Excel shows the Chinese headers (the loaders accept it)
    bom = "" if sys.stdout.isatty() else "\ufeff"
    sys.stdout.write(bom + template_csv(type_))
