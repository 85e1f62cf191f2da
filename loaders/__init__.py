"""Loaders: bureau spreadsheets as they are -> validated rows -> graph.

``load_file`` reads one CSV/TSV (any common encoding), Excel, JSON/JSONL or
RDF file or a DataFrame as one node or edge type; ``load_files`` takes
several files or folders (node files first); ``load_mapping`` feeds
several types from one source through a mapping file; ``template_csv``
gives the documented input format of a type.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> report = load_frame(g, pd.DataFrame({"区划名称": ["盘锦市"], "行政区划代码": ["211100.0"]}), "Region")
>>> report.loaded, g.query("MATCH (r:Region) RETURN r.id AS id").iloc[0, 0]
(1, '211100')
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KGError, LoadError, one_line
from kg.loaders.containers import SUFFIXES
from kg.loaders.load import RDF_SUFFIXES, infer_type, load_file, load_frame, load_table
from kg.loaders.sources import read_table
from kg.loaders.templates import template_csv, template_header, template_help
from kg.report import LoadReport, problems_frame, write_report
from kg.schema import load_schema

__all__ = [
    "load_file",
    "load_files",
    "source_names",
    "load_frame",
    "load_table",
    "infer_type",
    "expand_sources",
    "LoadReport",
    "problems_frame",
    "write_report",
    "read_table",
    "template_csv",
    "template_header",
    "template_help",
]


def expand_sources(paths, schema=None) -> list[Path]:
    """Files of ``paths`` (folders expanded), node files before edge files.

    Examples
    --------
    >>> expand_sources([])
    []
    """

    schema = schema or load_schema()
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(
                f
                for f in p.iterdir()
                if f.suffix.lower() in SUFFIXES | RDF_SUFFIXES | {".gz", ".zip"} and not f.name.startswith((".", "~$"))
            )
        elif not p.exists():
            raise LoadError(f"{p}: no such file or folder")
        else:
            files.append(p)
    order = {t: i for i, t in enumerate([*schema.nodes, *schema.edges])}

    def rank(f: Path) -> tuple:
        try:
            return (0, order[infer_type(schema, f)], f.name)
        except LoadError:
            return (1, 0, f.name)

    return sorted(dict.fromkeys(files), key=rank)


def source_names(paths) -> dict[Path, str]:
    """The provenance name of every file of ``paths``: the path relative to the folder given, or the file's name.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "nodes_Field.csv").write_text("id,name\\nF1,新材料\\n", encoding="utf-8")
    >>> list(source_names([folder]).values()), list(source_names([folder / "nodes_Field.csv"]).values())
    (['nodes_Field.csv'], ['nodes_Field.csv'])
    """
    names: dict[Path, str] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in p.iterdir():
                names.setdefault(f, f.relative_to(p).as_posix())
        else:
            names.setdefault(p, p.name)
    return names


def load_files(
    graph,
    paths,
    *,
    as_type: str | None = None,
    strict: bool = False,
    quiet: bool = True,
    keep_going: bool = False,
    on_file=None,
    **options,
) -> list[LoadReport]:
    """Load several files or folders; each file is its own transaction.

    Returns one :class:`LoadReport` per file.  A file that cannot be loaded
    raises (earlier files stay loaded); with ``keep_going=True`` it is
    reported instead (``committed`` False, ``error`` says why) and the next
    files are loaded, unless ``strict``.  ``on_file(path)`` is called after each
    file (a progress bar's hook).
    """
    names = source_names(paths)
    reports = []
    for f in expand_sources(paths, graph.schema):
        try:
            reports.append(
                load_file(graph, f, as_type=as_type, strict=strict, quiet=quiet, source_name=names.get(f), **options)
            )
        except KGError as exc:
            if not keep_going:
                raise
            failed = getattr(exc, "report", None) or LoadReport(source=names.get(f, f.name), type=as_type or "")
            failed.error = one_line(str(exc))
            reports.append(failed)
            if strict:
                break
        finally:
            if on_file is not None:
                on_file(f)
    return reports
