"""Load one source into the graph: read, map headers, convert, resolve, write in one transaction.

A file is one transaction: an error or a kill half-way leaves the graph as
it was.  Bad rows are reported (file, Excel row, column, value, reason)
and, by default, left out while the good rows load; with ``strict=True``
any problem loads nothing.  Loading the same file twice changes nothing;
every node and edge records its source file and row.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> sheet = pd.DataFrame({"企业名称": ["盘锦（辽河）化工有限责任公司", "盘锦(辽河)化工有限公司"],
...                       "职工人数": ["120", "很多"]})
>>> report = load_frame(g, sheet, "Enterprise")
>>> report.loaded, report.rejected, report.problems[0].row, report.problems[0].column
(1, 1, 3, '职工人数')
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kg.errors import KGError, LoadError
from kg.journal import journaled_write
from kg.loaders.codes import codes_column
from kg.loaders.edges import compact_rows, prepare_edges
from kg.loaders.headers import ColumnMap, is_known_header, map_columns
from kg.loaders.nodes import combine_node_chunks, prepare_nodes
from kg.loaders.regions import link_regions as region_links
from kg.loaders.sources import Table, read_table
from kg.loaders.stream import NotStreamable, stream_table
from kg.progress import progress
from kg.rdf import load_rdf
from kg.report import LoadReport

RDF_SUFFIXES = {".ttl", ".nt", ".jsonld", ".rdf", ".owl", ".n3", ".trig", ".nq"}


def infer_type(schema, path: Path) -> str:
    """The type a file holds, from names like ``nodes_Enterprise.csv``, ``COOPERATES_WITH.xlsx`` or ``高新技术企业.csv``."""
    stem = path.stem if path.suffix.lower() not in {".gz", ".zip", ".bz2", ".xz"} else Path(path.stem).stem
    stem = re.sub(r"^(nodes|edges)_", "", stem)
    for candidate in (stem, stem.upper()):
        try:
            return schema.node(candidate).label if schema.is_node(candidate) else schema.edge(candidate).type
        except KGError:
            continue
    raise LoadError(
        f"{path}: cannot tell which type it holds; say it with --as (e.g. --as Enterprise or --as COOPERATES_WITH)"
    )


def load_file(
    graph,
    source,
    *,
    as_type: str | None = None,
    strict: bool = False,
    quiet: bool = True,
    sheet: str | int | None = None,
    encoding: str | None = None,
    header: bool | int = True,
    columns=None,
    link_regions: bool = True,
    source_name: str | None = None,
    **read_options,
) -> LoadReport:
    """Load one file (CSV/TSV, Excel, JSON/JSONL, RDF) or DataFrame as ``as_type``.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    source
        A path or a DataFrame.
    as_type
        Node label (``Enterprise``) or edge type (``COOPERATES_WITH``), or its
        Chinese title; inferred from the file name when omitted.
    strict
        Load nothing if any row has a problem (raises :class:`LoadError` with the report).
    quiet
        No progress display.
    sheet, encoding, header, columns, read_options
        Passed to :func:`loaders.sources.read_table` (``delimiter``, ``quote``,
        ``nulls``, ``member``, ``bad_rows``).
    source_name
        The provenance (``source``) recorded on every node and edge; default the
        file's name, so the same file reached by another path is the same source
        (:func:`kg.loaders.load_files` gives the path relative to the folder loaded).

    Returns
    -------
    LoadReport
    """
    schema = graph.schema
    if not isinstance(source, pd.DataFrame):
        path = Path(source)
        if path.suffix.lower() in RDF_SUFFIXES:
            return load_rdf(graph, path)
        type_ = _type_name(schema, as_type) if as_type else infer_type(schema, path)
    else:
        if not as_type:
            raise LoadError("a DataFrame needs as_type (a node label or edge type)")
        type_ = _type_name(schema, as_type)
    started = time.perf_counter()
    options = dict(is_header=is_known_header(type_), encoding=encoding, header=header, columns=columns)
    report = None
    name = None if isinstance(source, pd.DataFrame) else source_name or Path(source).name
    if name is not None and sheet is None and not read_options.get("member"):
        known = {k: read_options[k] for k in ("delimiter", "quote", "nulls") if k in read_options}
        chunks = stream_table(source, **options, **known)  # None: not big, or not regular in its first lines
        if chunks is not None:
            report = load_chunks(graph, chunks, type_, name, strict=strict, quiet=quiet, link_regions=link_regions)
    if report is None:
        table = _read(source, sheet=sheet, **options, **read_options)
        if name is not None:
            table.source = name
        report = load_table(graph, table, type_, strict=strict, quiet=quiet, link_regions=link_regions)
    report.seconds = time.perf_counter() - started
    return report


def _read(source, **options) -> Table:
    """:func:`read_table`, with a parser's own failure on a malformed file turned into a :class:`LoadError` naming it."""
    try:
        return read_table(source, **options)
    except KGError:
        raise
    except RecursionError:
        raise LoadError(
            f"{source}: nested too deeply to be read as a table; give a list of records "
            '([{"column": value, ...}, ...])'
        ) from None
    except MemoryError:
        raise LoadError(f"{source}: too large to read in memory; split it into several files") from None
    except Exception as exc:  # a parser (xlrd, openpyxl, json, pyarrow) refusing a malformed file
        if isinstance(source, pd.DataFrame):
            raise
        suffix = Path(source).suffix.lower()
        if suffix == ".json" and isinstance(exc, TypeError):
            raise LoadError(
                f"{source}: holds a single value, not records; give a list of records "
                '([{"column": value, ...}, ...]) or an object holding one such list'
            ) from None
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise LoadError(
            f"{source}: cannot be read as a {suffix.lstrip('.') or 'data'} file ({reason}); "
            "check that the file is what its name says, or save it again"
        ) from None


def load_frame(
    graph, frame: pd.DataFrame, as_type: str, *, strict: bool = False, source: str = "<DataFrame>"
) -> LoadReport:
    """Load a DataFrame whose columns are headers or property names (see :func:`load_file`)."""
    table = read_table(frame)
    table.source = source
    return load_table(graph, table, _type_name(graph.schema, as_type), strict=strict)


def load_table(
    graph,
    table: Table,
    type_: str,
    *,
    strict: bool = False,
    quiet: bool = True,
    column_map: ColumnMap | None = None,
    link_regions: bool = True,
) -> LoadReport:
    """Validate and write a :class:`Table` in one transaction.

    The table is consumed: its cells are released once validated, before the write.
    """
    report, cmap = _open_report(graph, table, type_, column_map)
    if cmap is None:
        return _finish(report, strict)
    if len(table.frame) == 0:
        return _header_only(report)
    rows, stored = _prepare(graph, table, cmap, report)
    table.frame, table.rows = table.frame.iloc[:0], []  # the cells are validated: free them before the write
    return _write(graph, report, rows, stored, strict=strict, quiet=quiet, link_regions=link_regions)


def load_chunks(
    graph,
    chunks: Iterable[Table],
    type_: str,
    source: str,
    *,
    strict: bool = False,
    quiet: bool = True,
    link_regions: bool = True,
) -> LoadReport | None:
    """Validate the chunks of one file (:func:`kg.loaders.stream.stream_table`) one at a time, then write
    them in one transaction, as :func:`load_table` writes a whole file.

    Each chunk's cells are released once checked: what stays is the validated rows (edge rows as Arrow
    columns).  Returns ``None``, having written nothing, when the file turns out not to be streamable (it is
    then read whole).
    """
    report: LoadReport | None = None
    cmap: ColumnMap | None = None
    parts: list[pd.DataFrame] = []
    held: list[pd.DataFrame] = []
    cache: dict = {}  # what is read from the store once for all chunks (name indexes, stored keys)
    try:
        for table in chunks:
            table.source = source
            if report is None:
                report, cmap = _open_report(graph, table, type_, None)
                if cmap is None:
                    return _finish(report, strict)
            else:
                report.rows_read += len(table.frame)
            if len(table.frame):
                assert cmap is not None
                with progress(None, f"checking rows from {table.rows[0]:,}", quiet=quiet):
                    rows, stored = _prepare(graph, table, cmap, report, cache=cache)
                parts.append(rows if stored is not None else compact_rows(rows))
                if stored is not None:
                    held.append(stored)
            table.frame, table.rows = table.frame.iloc[:0], []
    except NotStreamable:
        return None
    if report is None:
        return None
    if not parts:
        return _header_only(report)
    if held:
        rows, stored = combine_node_chunks(graph, type_, parts, held)
    else:
        rows, stored = (parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)), None
    parts.clear()
    return _write(graph, report, rows, stored, strict=strict, quiet=quiet, link_regions=link_regions)


def _header_only(report: LoadReport) -> LoadReport:
    report.warnings.append("header only: no data rows")
    report.committed = True
    return report


def _open_report(graph, table: Table, type_: str, column_map: ColumnMap | None):
    """The report of a load and the column map of its table (``None`` when the file is empty)."""
    schema = graph.schema
    report = LoadReport(source=_name(table.source), type=type_, rows_read=len(table.frame), sheet=table.sheet)
    report.warnings += table.notes
    for row, column, value, reason in table.rejects:
        report.reject(row, column or "", value, reason)
    if table.frame.shape[1] == 0:
        report.reject(0, "", None, "the file is empty (no header row); nothing to load")
        return report, None
    cmap = column_map or map_columns(schema, type_, table.headers)
    for column in cmap.unknown:
        report.warnings.append(
            f"column {column!r} is not a property of {type_}; ignored "
            "(rename it to a schema name, or add the property to the schema)"
        )
    for column, first in cmap.duplicates.items():
        report.warnings.append(f"column {column!r} says the same as {first!r}; the first one is used")
    return report, cmap


def _prepare(graph, table: Table, cmap: ColumnMap, report: LoadReport, cache: dict | None = None):
    """Validated rows of a table, and (node types) what the store holds for their keys."""
    if graph.schema.is_node(report.type):
        return prepare_nodes(graph, table, cmap, report, streaming=cache is not None)
    return prepare_edges(graph, table, cmap, report, cache=cache), None


def _write(graph, report: LoadReport, rows, stored, *, strict: bool, quiet: bool, link_regions: bool) -> LoadReport:
    """Write validated rows in one journaled transaction (nothing when ``strict`` and a row has a problem)."""
    type_, schema = report.type, graph.schema
    if strict and report.problems:
        return _finish(report, strict)

    def write() -> tuple[int, dict[str, int]]:
        if not len(rows):
            return 0, {}
        if not schema.is_node(type_):
            return graph.upsert_edges(type_, rows, validated=True), {}
        loaded = graph.upsert_nodes(type_, rows, validated=True, stored=stored)
        linked = region_links(graph, type_, rows) if link_regions and type_ != "Region" else {}
        return loaded, linked

    # the journal names this load until it is committed and checkpointed (see kg.recovery)
    with progress(None, f"writing {len(rows):,} {type_}", quiet=quiet):
        report.loaded, linked = journaled_write(graph, report.source, type_, len(rows), write)
    report.committed = True
    report.by_type = {type_: report.loaded, **report.by_type, **linked}
    return _finish(report, strict)


def _finish(report: LoadReport, strict: bool) -> LoadReport:
    if strict and report.problems:
        first = report.problems[0]
        where = f"row {first.row}" + (f", column {first.column!r}" if first.column else "")
        err = LoadError(
            f"{report.source}: {report.rejected} rows have problems, nothing loaded (--strict); "
            f"first: {where}: {first.reason}"
        )
        err.report = report
        raise err
    return report


def _type_name(schema, name: str) -> str:
    try:
        return schema.node(name).label if schema.is_node(name) else schema.edge(name).type
    except KGError:
        choices = ", ".join([*schema.nodes, *schema.edges])
        raise LoadError(f"unknown type {name!r} for --as; use one of: {choices}") from None


def _name(source: str) -> str:
    return source if source.startswith("<") else str(source)


__all__ = ["load_file", "load_frame", "load_table", "load_chunks", "infer_type", "codes_column", "RDF_SUFFIXES"]
