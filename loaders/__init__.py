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

from kg.errors import LoadError
from kg.loaders.load import RDF_SUFFIXES, infer_type, load_file, load_frame, load_table
from kg.loaders.report import LoadReport, problems_frame, write_report
from kg.loaders.sources import SUFFIXES, read_table
from kg.loaders.templates import template_csv, template_header, template_help

__all__ = [
    "load_file", "load_files", "load_frame", "load_table", "infer_type", "expand_sources",
    "LoadReport", "problems_frame", "write_report", "read_table",
    "template_csv", "template_header", "template_help",
]


def expand_sources(paths, schema=None) -> list[Path]:
    """Files of ``paths`` (folders expanded), node files before edge files.

    Examples
    --------
    >>> expand_sources([])
    []
    """
    from kg.schema import load_schema

    schema = schema or load_schema()
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES | RDF_SUFFIXES | {".gz", ".zip"} and not f.name.startswith((".", "~$")))
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


def load_files(graph, paths, *, as_type: str | None = None, strict: bool = False, quiet: bool = True,
               **options) -> list[LoadReport]:
    """Load several files or folders; each file is its own transaction.

    Returns one :class:`LoadReport` per file.  With ``strict=True`` the
    first file with a problem raises and leaves every earlier file loaded.
    """
    return [load_file(graph, f, as_type=as_type, strict=strict, quiet=quiet, **options)
            for f in expand_sources(paths, graph.schema)]
