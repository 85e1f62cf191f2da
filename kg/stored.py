"""What the store holds for incoming keys, read once, and which incoming cells change it.

An upsert reads the stored nodes of the incoming keys in one go (a keyed
read, or one scan of the table when the keys are a large share of it), and
compares column by column: only rows with a changed cell are written, and
only the columns where some row changed.  A missing incoming value never
erases a stored one.

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲", "employees": 5}, {"id": "E2", "name": "乙"}])
>>> props = g.schema.node("Enterprise").properties
>>> stored = stored_nodes(g, "Enterprise", ["E1", "E2", "E3"], ["name", "employees"])
>>> sorted(stored.index)
['E1', 'E2']
>>> incoming = pd.DataFrame({"id": ["E1", "E2"], "name": ["甲", "乙"], "employees": [5, 7]})
>>> rows, columns = changed_cells(incoming, stored, "id", {p: props[p] for p in ["name", "employees"]})
>>> rows.column("id").to_pylist(), columns
(['E2'], ['employees'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kg import cypher

#: a keyed read below this share of the table's rows; a scan of the table above it
SCAN_SHARE = 0.2
_BATCH = 50_000


def stored_nodes(graph, label: str, ids: Sequence, props: Sequence[str]) -> pd.DataFrame:
    """The stored nodes of ``label`` among ``ids``: one row per node, indexed by id, ``props`` as columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    props = [p for p in dict.fromkeys(props) if p != "id"]
    cols = ["id", *props]
    total = graph.count(label)
    if total == 0 or len(ids) == 0:
        return pd.DataFrame(columns=cols).set_index("id")
    wanted = pa.array(list(ids), type=pa.string())
    if len(ids) >= SCAN_SHARE * total:
        table = graph.backend.execute_arrow(cypher.nodes_with(label, cols))
        if "id" in table.column_names:
            table = table.filter(pc.is_in(table.column("id"), value_set=wanted))
    else:
        parts = [
            graph.backend.execute_arrow(cypher.nodes_by_ids(label, cols), {"ids": wanted[s : s + _BATCH].to_pylist()})
            for s in range(0, len(wanted), _BATCH)
        ]
        table = pa.concat_tables(parts)
    if table.num_rows == 0 or "id" not in table.column_names:
        return pd.DataFrame(columns=cols).set_index("id")
    frame = table.to_pandas()
    frame["id"] = frame["id"].astype(object)
    return frame.drop_duplicates("id").set_index("id")


def member(keys, stored: pd.DataFrame) -> np.ndarray:
    """Which ``keys`` are stored (a boolean mask; Arrow's hash lookup)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(stored.index) == 0:
        return np.zeros(len(keys), dtype=bool)
    found = pc.is_in(
        pa.array(list(keys), type=pa.string()), value_set=pa.array(stored.index.tolist(), type=pa.string())
    )
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def changed_cells(frame: pd.DataFrame, stored: pd.DataFrame, key: str, props: Mapping):
    """The rows of ``frame`` (all stored) with a cell that changes the store, and the columns that change.

    Returns an Arrow table (``key`` and the changed columns) of the changed rows, where every column holds
    the value the node ends with (the incoming value where given, else the stored one), so it can be
    written as it is; and the list of changed columns.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = frame[key].to_numpy(dtype=object)
    before = stored.reindex(keys)
    changed_any = np.zeros(len(frame), dtype=bool)
    finals: dict[str, pa.Array] = {}
    for p, prop in props.items():
        if p == key or p not in frame:
            continue
        t = _arrow_type(prop)
        new, old = _arrow(frame[p], t), _arrow(before[p], t) if p in before else pa.nulls(len(frame), t)
        if pa.types.is_list(t):
            changed = np.array([n is not None and n != o for n, o in zip(new.to_pylist(), old.to_pylist())], dtype=bool)
        else:
            diff = pc.or_kleene(pc.is_null(old), pc.not_equal(new, old))
            changed = pc.and_kleene(pc.is_valid(new), diff).fill_null(False).to_numpy(zero_copy_only=False)
        if changed.any():
            changed_any |= changed
            finals[p] = pc.if_else(pa.array(changed), new, old)
    table = pa.table([pa.array(keys, type=pa.string()), *finals.values()], names=[key, *finals])
    return table.filter(pa.array(changed_any)), list(finals)


def _arrow(series: pd.Series, t):
    """A pandas column as an Arrow array of type ``t`` (values the engine returned or the loaders converted)."""
    import pyarrow as pa

    try:
        return pa.Array.from_pandas(series, type=t)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    try:
        return pa.Array.from_pandas(series).cast(t, safe=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = series.astype(object).where(series.notna(), None).tolist()
        return pa.array(values, type=t)


def _arrow_type(prop):
    import pyarrow as pa

    base = {"INT64": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "DATE": pa.date32()}
    t = prop.engine_type if prop is not None else "STRING"
    if t.endswith("[]"):
        return pa.list_(base.get(t[:-2], pa.string()))
    return base.get(t, pa.string())


__all__ = ["SCAN_SHARE", "changed_cells", "member", "stored_nodes"]
