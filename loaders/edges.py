"""Rows of an edge sheet -> validated edge rows whose endpoints exist.

Endpoints may be written as ids (统一社会信用代码, 学校标识码 ...) or as names or
aliases in any spelling :func:`loaders.normalise.name_key` folds; a name
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

from kg.errors import KGError, LoadError
from kg.loaders.codes import codes_column
from kg.loaders.columns import convert_column, refuse_bad_text
from kg.loaders.headers import ColumnMap
from kg.loaders.resolve import NameIndex
from kg.loaders.sources import Table
from kg.report import LoadReport
from kg.stored import member, stored_nodes


def prepare_edges(graph, table: Table, cmap: ColumnMap, report: LoadReport) -> pd.DataFrame:
    """Convert and validate an edge sheet; endpoints resolved to ``(type, id)``."""

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
        ids, types = _resolve(graph, edge, side, allowed, out, cmap, report, rows, bad)
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


def _resolve(graph, edge, side, allowed, out, cmap, report, rows, bad) -> tuple[pd.Series, pd.Series]:
    """Endpoint ids and labels: by id among the allowed labels, else by name or alias."""
    values = out[f"{side}_id"]
    given = out.get(f"{side}_type", pd.Series([None] * len(values), dtype=object))
    column = cmap.column_of(f"{side}_id")
    # one read of the stored keys per allowed label, joined with the column (Arrow hash lookups)
    present = values.notna().to_numpy()
    untyped = given.isna().to_numpy()
    masks = {}
    for label in allowed:
        mine = present & (untyped | (given == label).to_numpy())
        stored = stored_nodes(graph, label, values[mine].drop_duplicates().tolist(), [])
        masks[label] = member(values.tolist(), stored) & mine
    hits = np.sum(list(masks.values()), axis=0) if masks else np.zeros(len(values), dtype=int)
    ids, types = values.tolist(), given.tolist()
    single = (hits == 1) & ~bad
    if single.any():
        label_of = np.full(len(values), None, dtype=object)
        for label, mask in masks.items():
            label_of[mask & single] = label
        types = np.where(single, label_of, np.array(types, dtype=object)).tolist()
    found = {pos: [label for label, mask in masks.items() if mask[pos]] for pos in np.flatnonzero(~single & ~bad)}
    index: NameIndex | None = None
    for pos, labels in found.items():
        value = ids[pos]
        if value is None:
            report.reject(
                rows[pos], column, None, f"{edge.type} needs {'a start' if side == 'from' else 'an end'} ({column})"
            )
            bad[pos] = True
            continue
        if len(labels) > 1:
            report.reject(
                rows[pos],
                column,
                value,
                f"{value!r} is a {' and a '.join(labels)}; "
                f"add a {'起点类型' if side == 'from' else '终点类型'} column to say which",
            )
            bad[pos] = True
            continue
        if index is None:
            index = NameIndex(graph, allowed)
        hits = {h for h in index.lookup(value) if types[pos] is None or h[0] == types[pos]}
        if len(hits) == 1:
            types[pos], ids[pos] = next(iter(hits))
        elif hits:
            report.reject(
                rows[pos],
                column,
                value,
                f"{value!r} names several nodes ({', '.join(sorted(f'{a}:{b}' for a, b in hits))}); use the id",
            )
            bad[pos] = True
        else:
            what = " or ".join(allowed) if types[pos] is None else types[pos]
            report.reject(
                rows[pos],
                column,
                value,
                f"{value!r} is not a known {what} (no such id, name or alias); load it first or correct the name",
            )
            bad[pos] = True
    return pd.Series(ids, dtype=object), pd.Series(types, dtype=object)
