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

Mapping v2 (v1 files load as before) adds:

- reading: ``csv: {delimiter: "|", quote: '"', encoding: gb18030}``,
  ``nulls: [NA, ——]`` (cells read as blanks; default: NA, N/A, NULL, dashes,
  0000-00-00 ...), or per column ``nulls: {country: []}`` (``NA`` is Namibia
  there, a blank elsewhere), ``member:`` (the table inside a .zip), ``header: 3`` (the
  header's row number);
- ``where: {column: value | [values] | {not: ..} | {regex: ..} | {present: true}}``
  at the top (every entry) or in an entry: only those rows;
- ``lookup: [{file: names.csv, on: pic, key: id, columns: [name]}]``: columns
  of a second file joined on a key;
- ``transform: {new column: {column: .., regex: "..", as: year|month|day|date,
  map: {..}, default: ..}}``: derived columns any entry can name; the same
  forms work inside ``columns:``;
- ``unique: [column, ...]`` (top or entry): one row per value (e.g. the A and B
  publications of one application counted once);
- ``type: {column: type, map: {PRC: Enterprise, HES: University}, default: ..}``:
  the type by a column; by name ending, the ending is checked on the name
  without a trailing campus bracket (中国矿业大学(北京) is a University) and a
  name of 2-4 Han characters with no organisation ending is a Person
  (``persons: false`` turns that off); a unit typed differently further down
  keeps its first type;
- ``pairs:``: dated links between the units of the same project or patent
  (:mod:`kg.loaders.mapping_pairs`);
- ``parent: {column: 标准化申请人}`` on a node entry: a column of normalised or
  parent names beside the names; each pair becomes one unit with an alias,
  a SUBSIDIARY_OF or a BRANCH_OF link (:mod:`kg.loaders.mapping_parents`).

Mistakes in a mapping (bad YAML, an unknown key, type, property or column)
stop the load before anything is written with one error naming the file,
the entry and the key.

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
import time
from pathlib import Path

import pandas as pd

from kg.errors import LoadError
from kg.journal import journaled_write
from kg.loaders.headers import ColumnMap
from kg.loaders.load import _type_name, load_table
from kg.loaders.mapping_check import READ_KEYS, check_mapping, read_mapping
from kg.loaders.mapping_pairs import pair_frame
from kg.loaders.mapping_parents import plan_parents, rewrite_same, write_parents
from kg.loaders.mapping_rows import (
    column_typing,
    date_part,
    derive,
    first_type_per_key,
    lookup,
    row_types,
    subset,
    transform,
    type_spec,
    where,
)
from kg.loaders.resolve import mint_id
from kg.loaders.sources import Table, read_table
from kg.normalise import name_key
from kg.report import LoadReport

DEFAULT_SPLIT = r"\s*[;；|、]\s*"


def load_mapping(
    graph, mapping, source=None, *, strict: bool = False, quiet: bool = True, **read_options
) -> list[LoadReport]:
    """Load one source through a mapping; returns one report per node / edge / pair entry.

    ``read_options`` (``delimiter``, ``quote``, ``encoding``, ``nulls``,
    ``member``, ``header``, ``bad_rows``) override the mapping's own.
    """
    started = time.perf_counter()
    spec = read_mapping(mapping)
    check_mapping(graph.schema, spec)
    src = source if source is not None else spec.get("source")
    if src is None:
        raise LoadError("the mapping names no `source:` file; give one (kg load --mapping m.yaml FILE)")
    table = _read(src, spec, read_options)
    base = Path(spec["_base"]) if spec.get("_base") else None
    table = lookup(table, spec.get("lookup"), base, lambda path, one: _read(path, one, {}), "lookup")
    table = transform(table, spec.get("transform"))
    table = where(table, spec.get("where"), "where")
    table = _unique(table, spec.get("unique"), "unique")
    splitter = re.compile(spec.get("split", DEFAULT_SPLIT))
    parents = plan_parents(spec, table, splitter)
    table = rewrite_same(table, parents)
    read_seconds = time.perf_counter() - started

    def write() -> list[LoadReport]:
        reports: list[LoadReport] = []
        for part, build in (("nodes", _node_tables), ("edges", _edge_tables), ("pairs", _pair_tables)):
            for i, entry in enumerate(spec.get(part) or []):
                at = f"{part}[{i}]"
                sub = _unique(where(table, entry.get("where"), f"{at}.where"), entry.get("unique"), f"{at}.unique")
                tick = time.perf_counter()
                for type_, piece in build(graph, sub, entry, splitter, at):
                    report = _load(graph, piece, type_, quiet)
                    report.seconds = time.perf_counter() - tick
                    tick = time.perf_counter()
                    reports.append(report)
        reports += write_parents(graph, parents, table.source)
        if reports:
            reports[0].seconds += read_seconds
            for row, col, value, reason in table.rejects:
                reports[0].reject(row, col or "", value, reason, type_="(reading)")
        if strict and any(r.problems for r in reports):
            bad = next(r for r in reports if r.problems)
            p = bad.problems[0]
            err = LoadError(
                f"{bad.source}: {bad.type}: row {p.row}, column {p.column!r}: {p.reason}; nothing loaded (--strict)"
            )
            err.report = bad
            raise err
        return reports

    return journaled_write(graph, table.source, "mapping", len(table.frame), write)


def _read(src, spec: dict, overrides: dict) -> Table:
    csv_opts = spec.get("csv") or {}
    if not isinstance(csv_opts, dict) or set(csv_opts) - READ_KEYS:
        raise LoadError(f'`csv:` takes {", ".join(sorted(READ_KEYS))} (e.g. csv: {{delimiter: "|"}})')
    options = {
        "sheet": spec.get("sheet"),
        "header": spec.get("header", True),
        "columns": spec.get("columns"),
        "delimiter": csv_opts.get("delimiter"),
        "quote": csv_opts.get("quote"),
        "encoding": spec.get("encoding") or csv_opts.get("encoding"),
        "nulls": spec.get("nulls"),
        "member": spec.get("member"),
    }
    options.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(options["columns"], dict):  # an entry's columns, not the source's column names
        options["columns"] = None
    return read_table(src, **options)


def _unique(table: Table, columns, where_: str) -> Table:
    if not columns:
        return table
    columns = [columns] if isinstance(columns, str) else list(columns)
    for c in columns:
        if c not in table.frame.columns:
            raise LoadError(
                f"{table.source}: {where_} names column {c!r}, which the source does not have; "
                f"columns: {', '.join(table.headers)}"
            )
    return subset(table, ~table.frame.duplicated(subset=columns).to_numpy())


def _load(graph, table: Table, type_: str, quiet: bool) -> LoadReport:
    cmap = ColumnMap(type_, {c: c for c in table.frame.columns})
    read = [int(n.split("=")[1]) for n in table.notes if n.startswith("__rows_read=")]
    table.notes = [n for n in table.notes if not n.startswith("__rows_read=")]
    report = load_table(graph, table, type_, strict=False, quiet=quiet, column_map=cmap)
    if read:  # rows of the source, not the distinct ones written
        report.rows_read = read[0]
    return report


def year_of(cell):
    """The year of a date cell (see :func:`kg.loaders.mapping_rows.date_part`).

    Examples
    --------
    >>> [year_of(v) for v in ["2024-03-05", "20221231", "45292", None, "不详"]]
    ['2024', '2022', '2024', None, '不详']
    """
    return date_part(cell, "year")


def _splitters(split, splitter, where_: str) -> dict:
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
                raise LoadError(
                    f"{where_}: split pattern {pattern!r} for {column!r} is not a valid regular expression ({exc})"
                ) from None
        return out
    return {column: splitter for column in split}


def _explode(frame: pd.DataFrame, rows: list[int], columns, splitter) -> tuple[pd.DataFrame, list[int]]:
    frame = frame.copy()
    frame["__row"] = rows
    patterns = columns if isinstance(columns, dict) else {c: splitter for c in columns}
    for c, pattern in patterns.items():
        frame[c] = frame[c].map(
            lambda v, p=pattern: (
                [x.strip() for x in p.split(str(v)) if x.strip()] or [None] if v is not None else [None]
            )
        )
        frame = frame.explode(c, ignore_index=True)
    rows = frame.pop("__row").tolist()
    return frame, rows


def _node_tables(graph, table: Table, entry: dict, splitter, where_: str):
    cols = entry.get("columns") or {}
    frame = pd.DataFrame(
        {prop: derive(table, col, f"{where_}.columns.{prop}").to_numpy(dtype=object) for prop, col in cols.items()},
        index=range(len(table.frame)),
    )
    for prop, value in (entry.get("values") or {}).items():
        frame[prop] = value
    typing = type_spec(entry["type"], f"{where_}.type")
    by_name = typing.get("endings") or typing.get("persons")
    if "column" in typing:  # the type comes from a source column: carry it through the split
        frame["__type"] = row_types(
            table, column_typing(typing), pd.Series([None] * len(frame), dtype=object), f"{where_}.type"
        ).to_numpy()
    split = _splitters(entry.get("split"), splitter, where_)
    for prop in split:
        if prop not in frame.columns:
            raise LoadError(
                f"{where_}: split names {prop!r}, which is not one of its columns ({', '.join(frame.columns)})"
            )
    frame, rows = _explode(frame, table.rows, split, splitter)
    keep = frame.drop(columns=["__type"], errors="ignore").notna().any(axis=1).to_numpy()
    frame, rows = frame[keep].reset_index(drop=True), [r for r, k in zip(rows, keep) if k]
    names = frame["name"] if "name" in frame else pd.Series([None] * len(frame), dtype=object)
    if "label" in typing:
        chosen = pd.Series([typing["label"]] * len(frame), dtype=object)
    else:
        chosen = (
            frame.pop("__type").reset_index(drop=True)
            if "column" in typing
            else pd.Series([None] * len(frame), dtype=object)
        )
        if by_name or "column" not in typing:
            named = row_types(
                Table(table.source, frame, rows),
                {k: v for k, v in typing.items() if k != "column"},
                names.reset_index(drop=True),
                f"{where_}.type",
            )
            chosen = chosen.where(chosen.notna(), named)
        key = frame.get("id", names)
        chosen = first_type_per_key(key.reset_index(drop=True), chosen)
    for t in dict.fromkeys(x for x in chosen if isinstance(x, str)):
        mask = (chosen == t).to_numpy()
        label = _type_name(graph.schema, t)
        props = graph.schema.node(label).properties
        sub = frame[mask][[c for c in frame.columns if c in props]].reset_index(drop=True)
        sub_rows = [r for r, m in zip(rows, mask) if m]
        if label == "Person" and "id" not in sub and "name" in sub:  # the same id as its edges get
            sub.insert(0, "id", person_ids(table.source, sub["name"], sub_rows))
        piece = Table(table.source, sub, sub_rows, table.header_row, sheet=table.sheet)
        repeated = _repeated(sub)  # a unit on every row of its participations: once is enough
        if repeated.any():
            piece = subset(piece, ~repeated)
            piece.notes = [f"__rows_read={len(sub)}"]
        yield label, piece


def _repeated(frame: pd.DataFrame):
    """Rows identical to an earlier one (lists compared as text)."""
    if frame.empty:
        return frame.index.to_numpy() < 0
    keyed = frame.map(lambda v: "\x1f".join(map(str, v)) if isinstance(v, list) else v)
    return keyed.duplicated().to_numpy()


def person_ids(source: str, names: pd.Series, rows: list[int]) -> list:
    """Ids of persons known by name only: one per name and source row (persons are never merged by name)."""
    return [
        None if n is None else mint_id("Person", f"{name_key(n)}|{source}|{r}") for n, r in zip(names.tolist(), rows)
    ]


def _edge_tables(graph, table: Table, entry: dict, splitter, where_: str):
    for side in ("from", "to"):
        if not isinstance(entry.get(side), dict) or "column" not in entry[side]:
            raise LoadError(f"{where_}: an edge entry needs `{side}: {{column: ...}}`")
    frame = pd.DataFrame(
        {
            "from_id": derive(table, entry["from"]["column"], f"{where_}.from.column").to_numpy(dtype=object),
            "to_id": derive(table, entry["to"]["column"], f"{where_}.to.column").to_numpy(dtype=object),
        }
    )
    typings = {
        side: type_spec(entry[side]["type"], f"{where_}.{side}.type")
        for side in ("from", "to")
        if isinstance(entry[side].get("type"), dict)
    }
    for side in ("from", "to"):
        if isinstance(entry[side].get("type"), str):
            frame[f"{side}_type"] = graph.schema.node(entry[side]["type"]).label
        elif side in typings and "column" in typings[side]:  # by a source column, before any split
            by_column = column_typing(typings[side])
            frame[f"{side}_type"] = row_types(
                table, by_column, pd.Series([None] * len(frame), dtype=object), f"{where_}.{side}.type"
            ).to_numpy(dtype=object)
    for prop, col in (entry.get("columns") or {}).items():
        frame[prop] = derive(table, col, f"{where_}.columns.{prop}").to_numpy(dtype=object)
    for prop, value in (entry.get("values") or {}).items():
        frame[prop] = value
    split = _splitters(
        {f"{s}_id": entry[s]["split"] for s in ("from", "to") if entry[s].get("split")}, splitter, where_
    )
    frame, rows = _explode(frame, table.rows, split, splitter)
    for side, spec in typings.items():  # an end typed by its name: endings, campus brackets, persons
        if spec.get("endings") or spec.get("persons") or "column" not in spec:
            by_name = {k: v for k, v in spec.items() if k != "column"}
            named = row_types(Table(table.source, frame, rows), by_name, frame[f"{side}_id"], f"{where_}.{side}.type")
            given = frame[f"{side}_type"].reset_index(drop=True) if f"{side}_type" in frame else named
            frame[f"{side}_type"] = given.where(given.notna(), named).to_numpy(dtype=object)
    for side in typings:  # a unit keeps its first type, as its node did
        frame[f"{side}_type"] = first_type_per_key(
            frame[f"{side}_id"].reset_index(drop=True), frame[f"{side}_type"].reset_index(drop=True)
        ).to_numpy(dtype=object)
    for side in typings:  # individuals: the id their node got (one per name and row)
        people = (frame[f"{side}_type"] == "Person").to_numpy()
        if people.any():
            ids = frame[f"{side}_id"].copy()
            ids[people] = person_ids(table.source, ids[people], [r for r, p in zip(rows, people) if p])
            frame[f"{side}_id"] = ids
    keep = (frame["from_id"].notna() & frame["to_id"].notna()).to_numpy().copy()
    for side in ("from", "to"):
        if f"{side}_type" in frame and isinstance(entry[side].get("type"), dict):
            keep &= frame[f"{side}_type"].notna().to_numpy()
    yield (
        _type_name(graph.schema, entry["type"]),
        Table(
            table.source,
            frame[keep].reset_index(drop=True),
            [r for r, k in zip(rows, keep) if k],
            table.header_row,
            sheet=table.sheet,
        ),
    )


def _pair_tables(graph, table: Table, entry: dict, splitter, where_: str):
    edge = graph.schema.edge(entry["type"])
    pairs = pair_frame(table, entry, splitter, where_)
    rows = pairs.pop("row").tolist()
    pairs = pairs[
        [c for c in pairs.columns if c in ("from_id", "to_id", "from_type", "to_type") or c in edge.properties]
    ]
    for prop, value in (entry.get("values") or {}).items():
        pairs[prop] = value
    yield (
        edge.type,
        Table(table.source, pairs.astype(object).where(pairs.notna(), None), rows, table.header_row, sheet=table.sheet),
    )
