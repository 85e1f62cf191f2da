"""Rows of an edge sheet -> validated edge rows whose endpoints exist.

Endpoints may be written as ids (统一社会信用代码, 学校标识码 ...) or as names or
aliases in any spelling :func:`kg.normalise.name_key` folds; a name
that fits several nodes, or none, rejects the row with the reason.
Persons are found by name only when the name is unique.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> from kg.loaders.load import load_frame
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲科技有限公司"}])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
>>> r = load_frame(g, pd.DataFrame({"企业名称": ["甲科技有限责任公司", "乙公司"], "合作单位": ["大连理工大学"] * 2}),
...                "COOPERATES_WITH")
>>> r.loaded, r.problems[0].row, r.problems[0].reason[:20]
(1, 3, "'乙公司' is not a known")
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.endpoints import resolve_endpoints
from kg.errors import KGError, LoadError
from kg.loaders.codes import codes_column
from kg.loaders.columns import convert_column, refuse_bad_text
from kg.loaders.headers import ColumnMap
from kg.loaders.resolve import NameIndex
from kg.loaders.sources import Table
from kg.report import LoadReport


def prepare_edges(
    graph, table: Table, cmap: ColumnMap, report: LoadReport, *, cache: dict | None = None
) -> pd.DataFrame:
    """Convert and validate an edge sheet; endpoints resolved to ``(type, id)``.

    ``cache`` keeps what is read from the store between calls on an unchanged store (the chunks of one
    file): name indexes and stored keys are read once.
    """

    edge = graph.schema.edge(cmap.type)
    frame, rows = table.frame, table.rows
    n = len(frame)
    bad = np.zeros(n, dtype=bool)
    out: dict[str, pd.Series] = {}
    for side, title in (("from_id", edge.from_title), ("to_id", edge.to_title)):
        if cmap.column_of(side) is None:
            raise LoadError(
                f"{report.source}: a {edge.type} sheet needs a {title} column ({side}); "
                f"columns found: {', '.join(table.headers)}"
            )
    for column, key in cmap.keys.items():
        cells = frame[column].reset_index(drop=True)
        if key in ("from_id", "to_id"):
            cells = refuse_bad_text(key, column, cells, report, rows, bad)
            out[key] = codes_column(column, cells, report, rows, bad)
        elif key in ("from_type", "to_type"):
            out[key] = _types(graph, edge, key, column, cells, report, rows, bad)
        else:
            values, errors = convert_column(edge.properties[key], cells)
            for pos, reason in errors.items():
                report.reject(rows[pos], column, cells.iloc[pos], reason)
                bad[pos] = True
            out[key] = values
    for side, allowed in (("from", edge.from_types), ("to", edge.to_types)):
        index = NameIndex(graph, allowed) if cache is None else cache.setdefault(allowed, NameIndex(graph, allowed))
        ids, types = _resolve(graph, edge, side, allowed, out, cmap, report, rows, bad, index, cache)
        out[f"{side}_id"], out[f"{side}_type"] = ids, types
    out["source"] = pd.Series([report.source] * n, dtype=object)
    out["source_row"] = pd.Series(rows, dtype=object)
    return pd.DataFrame(out)[~bad].reset_index(drop=True)


def _types(graph, edge, key, column, cells, report, rows, bad) -> pd.Series:
    allowed = edge.from_types if key == "from_type" else edge.to_types
    out: list[str | None] = []
    cache: dict[str, str | None] = {}
    for pos, v in enumerate(cells.tolist()):
        if v is None:
            out.append(None)
            continue
        if v not in cache:
            try:
                label = graph.schema.node(v).label
                cache[v] = label if label in allowed else None
            except KGError:
                cache[v] = None
        if cache[v] is None:
            report.reject(
                rows[pos], column, v, f"{v!r} is not one of the types {edge.type} allows here: {', '.join(allowed)}"
            )
            bad[pos] = True
        out.append(cache[v])
    return pd.Series(out, dtype=object)


def _resolve(graph, edge, side, allowed, out, cmap, report, rows, bad, index, cache) -> tuple[pd.Series, pd.Series]:
    """Endpoint ids and labels (:func:`kg.endpoints.resolve_endpoints`: by key, else by name or alias;
    ``index`` is built only when a row is not found by key)."""
    values = out[f"{side}_id"]
    column = cmap.column_of(f"{side}_id")
    found = resolve_endpoints(
        graph, allowed, values, out.get(f"{side}_type"), lookup=index.lookup, skip=bad, cache=cache
    )
    for pos, (kind, candidates) in found.problems.items():
        value = values.iloc[pos]
        if kind == "missing":
            reason = f"{edge.type} needs {'a start' if side == 'from' else 'an end'} ({column})"
        elif kind == "ambiguous":
            reason = (
                f"{value!r} is a {' and a '.join(candidates)}; "
                f"add a {'起点类型' if side == 'from' else '终点类型'} column to say which"
            )
        elif kind == "several":
            reason = f"{value!r} names several nodes ({', '.join(candidates)}); use the id"
        else:
            given = out.get(f"{side}_type")
            wanted = given.iloc[pos] if given is not None else None
            what = " or ".join(allowed) if wanted is None else wanted
            reason = f"{value!r} is not a known {what} (no such id, name or alias); load it first or correct the name"
        report.reject(rows[pos], column, value, reason)
        bad[pos] = True
    return pd.Series(found.ids, dtype=object), pd.Series(found.labels, dtype=object)


def compact_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Validated edge rows with Arrow columns instead of Python objects (a fraction of the memory); the
    write path takes them as they are.

    Examples
    --------
    >>> compact_rows(pd.DataFrame({"from_id": ["E1"], "since": [2019]}, dtype=object)).dtypes.astype(str).tolist()
    ['string[pyarrow]', 'int64[pyarrow]']
    """
    import pyarrow as pa

    table = pa.Table.from_pandas(rows, preserve_index=False)
    table = table.cast(
        pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f for f in table.schema])
    )
    return table.to_pandas(types_mapper=pd.ArrowDtype)
