"""Mapping files: one source feeding several node and edge types, or columns that need explicit names.

A mapping is YAML (or a dict)::

    source: 产学研项目.xlsx        # optional; `kg load --mapping m.yaml FILE` gives it instead
    sheet: 0                       # Excel sheet (name or number)
    header: true                   # false for a source without a header row; then name its columns:
    # columns: [项目编号, 项目名称, 承担单位, 合作单位, 技术领域, 立项年份]
    split: "[;；|、]"              # how several values share one cell (default)
    nodes:
      - type: Project
        columns: {id: 项目编号, name: 项目名称, start_year: 立项年份}
        values: {project_kind: 产学研合作}          # constants
      - type: {大学: University, 学院: University, 研究所: ResearchInstitute, 研究院: ResearchInstitute,
               default: Enterprise}              # the type by the end of the name
        columns: {name: 合作单位}
        split: [name]                             # one node per value in the cell
    edges:
      - type: PARTICIPATES_IN
        from: {column: 承担单位, type: Enterprise}
        to: {column: 项目编号}
        values: {role: 牵头}
      - type: PARTICIPATES_IN
        from: {column: 合作单位, split: true}       # several units per cell -> several edges
        to: {column: 项目编号}
        values: {role: 参与}

Parts of an entry:

- ``columns: {property: source column}``; a value may also be
  ``{column: 申请日, as: year}`` to take the year of a date cell (ISO text,
  2024/1/2, 2024年1月2日, 20240102 or an Excel serial day number such as 45292).
- ``values: {property: constant}`` (enum values by key or Chinese title).
- ``split: [property, ...]`` fans a cell holding several values out into one
  row per value with the mapping's ``split`` pattern; ``split: {property:
  "pattern"}`` gives a pattern per column.  In an edge entry,
  ``from: {column: 申请人, split: true}`` (or a pattern) does the same for an end.
- ``type`` is a label, or ``{name ending: label, ..., default: label}``: the
  type by how the name ends (大学 -> University); names matching no ending
  and no ``default`` are left out (and their edges are reported as unknown).
- No ``id`` column: ids are minted from the normalised name (stable, so the
  same unit in another file or under another spelling is the same node).
- Edge ends: ``{column: ..., type: Label}``; the column may hold ids, names
  or aliases (see :mod:`kg.loaders.edges`).

``mapping_example.yaml`` beside this module (installed with the package) is
a complete, commented example for a patent export.

Every target is validated and reported like a plain load (rows numbered as in
the source), and the whole mapping is ONE transaction: with ``strict=True`` a
bad row anywhere loads nothing.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> sheet = pd.DataFrame({"申请号": ["CN1"], "专利名称": ["一种阻燃材料"], "申请人": ["甲公司；乙大学"]})
>>> m = {"nodes": [{"type": "Patent", "columns": {"id": "申请号", "name": "专利名称"}},
...                {"type": {"大学": "University", "default": "Enterprise"}, "columns": {"name": "申请人"}, "split": ["name"]}],
...      "edges": [{"type": "APPLIED_FOR", "from": {"column": "申请人", "split": True}, "to": {"column": "申请号"}}]}
>>> [r.loaded for r in load_mapping(g, m, source=sheet)]
[1, 1, 1, 2]
>>> sorted(g.query("MATCH (o)-[:APPLIED_FOR]->(p:Patent) RETURN o.name AS n")["n"])
['乙大学', '甲公司']
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from kg.errors import LoadError
from kg.loaders.headers import ColumnMap
from kg.loaders.load import _type_name, load_table
from kg.loaders.report import LoadReport
from kg.loaders.sources import Table, read_table

DEFAULT_SPLIT = r"\s*[;；|、]\s*"


def read_mapping(mapping) -> dict:
    """The mapping as a dict (from a YAML file, YAML text or a dict), checked for its required parts."""
    if isinstance(mapping, dict):
        spec, where = mapping, "<mapping>"
    else:
        path = Path(mapping)
        if not path.exists():
            raise LoadError(f"{path}: no such mapping file")
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise LoadError(f"{path}: not valid YAML ({exc})") from None
        where = str(path)
        if isinstance(spec, dict) and spec.get("source") and not Path(spec["source"]).is_absolute():
            spec["source"] = str(path.parent / spec["source"])
    if not isinstance(spec, dict) or not (spec.get("nodes") or spec.get("edges")):
        raise LoadError(f"{where}: a mapping needs `nodes:` and/or `edges:` entries (see kg.loaders.mapping)")
    return spec


def load_mapping(graph, mapping, source=None, *, strict: bool = False, quiet: bool = True) -> list[LoadReport]:
    """Load one source through a mapping; returns one report per node / edge entry."""
    spec = read_mapping(mapping)
    src = source if source is not None else spec.get("source")
    if src is None:
        raise LoadError("the mapping names no `source:` file; give one (kg load --mapping m.yaml FILE)")
    table = read_table(src, sheet=spec.get("sheet"), header=spec.get("header", True), columns=spec.get("columns"))
    splitter = re.compile(spec.get("split", DEFAULT_SPLIT))
    reports: list[LoadReport] = []
    with graph.transaction():
        for i, entry in enumerate(spec.get("nodes") or []):
            for type_, sub in _node_tables(graph, table, entry, splitter, f"nodes[{i}]"):
                reports.append(_load(graph, sub, type_, strict, quiet))
        for i, entry in enumerate(spec.get("edges") or []):
            sub = _edge_table(graph, table, entry, splitter, f"edges[{i}]")
            reports.append(_load(graph, sub, _type_name(graph.schema, entry["type"]), strict, quiet))
        if strict and any(r.problems for r in reports):
            bad = next(r for r in reports if r.problems)
            p = bad.problems[0]
            err = LoadError(f"{bad.source}: {bad.type}: row {p.row}, column {p.column!r}: {p.reason}; "
                            "nothing loaded (--strict)")
            err.report = bad
            raise err
    return reports


def _load(graph, table: Table, type_: str, strict: bool, quiet: bool) -> LoadReport:
    cmap = ColumnMap(type_, {c: c for c in table.frame.columns})
    return load_table(graph, table, type_, strict=False, quiet=quiet, column_map=cmap)


def _spec_column(table: Table, spec, where: str) -> pd.Series:
    """The cells a ``columns:`` value names: a column, or ``{column: ..., as: year}``."""
    if isinstance(spec, dict):
        if "column" not in spec:
            raise LoadError(f"{where}: a column given as a mapping needs `column:` (e.g. {{column: 申请日, as: year}})")
        cells = _column(table, spec["column"], where)
        kind = spec.get("as")
        if kind in (None, "text"):
            return cells
        if kind == "year":
            return cells.map(year_of).astype(object)
        raise LoadError(f"{where}: unknown `as: {kind}` for column {spec['column']!r}; use `as: year`")
    return _column(table, spec, where)


_YEAR = re.compile(r"^(1[89]\d\d|2[01]\d\d)(?:$|[-/.年]|\d{4}$)")


def year_of(cell):
    """The year of a date cell: ISO or Chinese text, ``20240102``, or an Excel serial day number.

    Cells that are no date are returned as they are, so the load reports them
    at their row and column.

    Examples
    --------
    >>> [year_of(v) for v in ["2024-03-05", "2023年7月1日", "20221231", "45292", "2019", None, "不详"]]
    ['2024', '2023', '2022', '2024', '2019', None, '不详']
    """
    if cell is None:
        return None
    text = str(cell).strip()
    m = _YEAR.match(text)
    if m:
        return m.group(1)
    if re.fullmatch(r"\d{1,5}(\.0+)?", text) and 1 <= float(text) < 80_000:  # Excel serial day number
        import datetime as dt

        return str((dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))).year)
    return cell


def _column(table: Table, name: str, where: str) -> pd.Series:
    if name not in table.frame.columns:
        raise LoadError(f"{table.source}: {where} names column {name!r}, which the source does not have; "
                        f"columns: {', '.join(table.headers)}")
    return table.frame[name]


def _splitters(split, splitter, where: str) -> dict:
    """``{column: compiled pattern}`` from ``split: [..]`` (the mapping's pattern) or ``split: {column: pattern}``."""
    if not split:
        return {}
    if isinstance(split, str):
        split = [split]
    if isinstance(split, dict):
        out = {}
        for column, pattern in split.items():
            try:
                out[column] = splitter if pattern in (None, True) else re.compile(pattern)
            except re.error as exc:
                raise LoadError(f"{where}: split pattern {pattern!r} for {column!r} is not a valid regular expression ({exc})") from None
        return out
    return {column: splitter for column in split}


def _explode(frame: pd.DataFrame, rows: list[int], columns, splitter) -> tuple[pd.DataFrame, list[int]]:
    frame = frame.copy()
    frame["__row"] = rows
    patterns = columns if isinstance(columns, dict) else {c: splitter for c in columns}
    for c, pattern in patterns.items():
        frame[c] = frame[c].map(lambda v, p=pattern: [x.strip() for x in p.split(str(v)) if x.strip()] or [None]
                                if v is not None else [None])
        frame = frame.explode(c, ignore_index=True)
    rows = frame.pop("__row").tolist()
    return frame, rows


def _node_tables(graph, table: Table, entry: dict, splitter, where: str):
    cols = entry.get("columns") or {}
    frame = pd.DataFrame({prop: _spec_column(table, col, where).values for prop, col in cols.items()})
    for prop, value in (entry.get("values") or {}).items():
        frame[prop] = value
    split = _splitters(entry.get("split"), splitter, where)
    for prop in split:
        if prop not in frame.columns:
            raise LoadError(f"{where}: split names {prop!r}, which is not one of its columns ({', '.join(frame.columns)})")
    frame, rows = _explode(frame, table.rows, split, splitter)
    keep = frame.notna().any(axis=1).to_numpy()
    frame, rows = frame[keep].reset_index(drop=True), [r for r, k in zip(rows, keep) if k]
    types = entry["type"]
    if isinstance(types, str):
        yield _type_name(graph.schema, types), Table(table.source, frame, rows, table.header_row, sheet=table.sheet)
        return
    default = types.get("default")
    names = frame.get("name", pd.Series([None] * len(frame)))
    endings = sorted((e for e in types if e != "default"), key=len, reverse=True)  # 科学院 before 学院
    chosen = [next((types[e] for e in endings if str(n or "").endswith(e)), default) for n in names]
    for t in dict.fromkeys(x for x in chosen if x):
        mask = [c == t for c in chosen]
        sub = frame[mask].reset_index(drop=True)
        yield _type_name(graph.schema, t), Table(table.source, sub, [r for r, m in zip(rows, mask) if m],
                                                 table.header_row, sheet=table.sheet)


def _edge_table(graph, table: Table, entry: dict, splitter, where: str) -> Table:
    for side in ("from", "to"):
        if not isinstance(entry.get(side), dict) or "column" not in entry[side]:
            raise LoadError(f"{where}: an edge entry needs `{side}: {{column: ...}}`")
    frame = pd.DataFrame({
        "from_id": _column(table, entry["from"]["column"], where).values,
        "to_id": _column(table, entry["to"]["column"], where).values,
    })
    for side in ("from", "to"):
        if entry[side].get("type"):
            frame[f"{side}_type"] = graph.schema.node(entry[side]["type"]).label
    for prop, col in (entry.get("columns") or {}).items():
        frame[prop] = _spec_column(table, col, where).values
    for prop, value in (entry.get("values") or {}).items():
        frame[prop] = value
    split = _splitters({f"{s}_id": entry[s]["split"] for s in ("from", "to") if entry[s].get("split")}, splitter, where)
    frame, rows = _explode(frame, table.rows, split, splitter)
    keep = (frame["from_id"].notna() & frame["to_id"].notna()).to_numpy()
    return Table(table.source, frame[keep].reset_index(drop=True), [r for r, k in zip(rows, keep) if k],
                 table.header_row, sheet=table.sheet)
