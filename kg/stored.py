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
        batch = graph.backend.batch_size
        parts = [
            graph.backend.execute_arrow(cypher.nodes_by_ids(label, cols), {"ids": wanted[s : s + batch].to_pylist()})
            for s in range(0, len(wanted), batch)
        ]
        table = pa.concat_tables(parts)
    if table.num_rows == 0 or "id" not in table.column_names:
        return pd.DataFrame(columns=cols).set_index("id")
    frame = table.to_pandas()
    frame["id"] = frame["id"].astype(object)
    return frame.drop_duplicates("id").set_index("id")


def stored_keys(graph, label: str, cache: dict | None = None) -> frozenset:
    """Every stored key of ``label`` as a set, read once per ``cache`` (a dict kept by the caller while the
    store does not change, e.g. over the chunks of one file).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}])
    >>> sorted(stored_keys(g, "Field"))
    ['F1']
    """
    if cache is not None and ("keys", label) in cache:
        return cache["keys", label]
    table = graph.backend.execute_arrow(cypher.nodes_with(label, ["id"])) if graph.count(label) else None
    keys = frozenset(table.column("id").to_pylist() if table is not None and table.num_rows else [])
    if cache is not None:
        cache["keys", label] = keys
    return keys


def member(keys, stored: pd.DataFrame) -> np.ndarray:
    """Which ``keys`` are stored (a boolean mask; Arrow's hash lookup)."""
    return positions(keys, stored) >= 0


def positions(keys, stored: pd.DataFrame) -> np.ndarray:
    """Row position in ``stored`` of each key (``-1``: not stored), by one Arrow hash lookup.

    Examples
    --------
    >>> positions(["b", "x", "a"], pd.DataFrame({"name": ["甲", "乙"]}, index=["a", "b"])).tolist()
    [1, -1, 0]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(stored.index) == 0:
        return np.full(len(keys), -1, dtype=np.int64)
    found = pc.index_in(
        pa.array(list(keys), type=pa.string()), value_set=pa.array(stored.index.tolist(), type=pa.string())
    )
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


#: provenance columns: written with a row whose data changed, never a reason to write a row on their own
PROVENANCE = ("source", "source_row")
#: relative engine cost of matching one row by key, of setting one cell (``LOAD FROM ... MATCH ... SET``,
#: measured on the embedded engine: ~2-3 us per row matched, ~3 us per cell set), and of one more statement
MATCH_COST, CELL_COST, STATEMENT_COST = 1.0, 1.2, 2_000.0
#: at most this many separate update statements per load (rarer column sets share one)
MAX_GROUPS = 8


def changed_cells(frame: pd.DataFrame, stored: pd.DataFrame, key: str, props: Mapping):
    """The rows of ``frame`` (all stored) with a cell that changes the store, and the columns that change.

    Returns an Arrow table (``key`` and the changed columns) of the changed rows, where every column holds
    the value the node ends with (the incoming value where given, else the stored one), so it can be
    written as it is; and the list of changed columns.  Provenance (:data:`PROVENANCE`) changes only with
    a row whose data changes.
    """
    import pyarrow as pa

    keys, changes, finals = _diff(frame, stored, key, props)
    rows = _changed_rows(changes, len(frame))
    cols = [p for p in changes if (changes[p] & rows).any()]
    table = pa.table([keys, *(finals[p] for p in cols)], names=[key, *cols])
    return table.filter(pa.array(rows)), cols


def update_groups(frame: pd.DataFrame, stored: pd.DataFrame, key: str, props: Mapping) -> list[tuple]:
    """The changed rows of ``frame`` split by which columns change: ``[(table, columns), ...]``.

    Each table holds ``key`` and its columns (final values, as :func:`changed_cells`); rows sharing a
    set of changed columns are written together and only with those columns.  Rare sets share one
    statement with the union of their columns when that costs the engine less (:data:`MATCH_COST`,
    :data:`CELL_COST`, at most :data:`MAX_GROUPS` statements).

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> props = load_schema().node("Enterprise").properties
    >>> both = {p: props[p] for p in ("employees", "revenue")}
    >>> stored = pd.DataFrame({"id": [f"k{i}" for i in range(3000)], "employees": 1, "revenue": 1.0})
    >>> new = stored.assign(employees=[2] * 2000 + [1] * 1000, revenue=[1.0] * 2000 + [2.0] * 1000)
    >>> [(t.num_rows, c) for t, c in update_groups(new, stored.set_index("id"), "id", both)]
    [(2000, ['employees']), (1000, ['revenue'])]
    >>> [(t.num_rows, c) for t, c in update_groups(new[1990:2010], stored.set_index("id"), "id", both)]
    [(20, ['employees', 'revenue'])]
    """
    import pyarrow as pa

    keys, changes, finals = _diff(frame, stored, key, props)
    rows = _changed_rows(changes, len(frame))
    if not rows.any():
        return []
    data = [p for p in changes if p not in PROVENANCE]
    follow = [p for p in changes if p in PROVENANCE]
    where = np.flatnonzero(rows)
    bits = np.zeros(len(where), dtype=np.int64)
    for i, p in enumerate(data):
        bits |= changes[p][where].astype(np.int64) << i
    masks, inverse, counts = np.unique(bits, return_inverse=True, return_counts=True)
    plan = _plan(masks, counts)
    out = []
    for members in plan:
        pick = where[np.isin(inverse, members)]
        sub = np.zeros(len(rows), dtype=bool)
        sub[pick] = True
        union = int(np.bitwise_or.reduce(masks[members]))
        cols = [p for i, p in enumerate(data) if union >> i & 1]
        cols += [p for p in follow if (changes[p] & sub).any()]
        table = pa.table([keys, *(finals[p] for p in cols)], names=[key, *cols])
        out.append((table.filter(pa.array(sub)), cols))
    return out


def _plan(masks: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
    """Which column sets (positions in ``masks``) share a statement: the cheapest of "the k commonest
    alone, the rest together" for k = 0 .. MAX_GROUPS - 1."""
    order = np.argsort(-counts, kind="stable")
    width = np.array([bin(int(m)).count("1") for m in masks])

    def cost(members) -> float:
        union = int(np.bitwise_or.reduce(masks[members]))
        return float(counts[members].sum()) * (MATCH_COST + CELL_COST * bin(union).count("1"))

    best: tuple[float, list[np.ndarray]] | None = None
    for k in range(min(MAX_GROUPS, len(masks))):
        alone = [order[i : i + 1] for i in range(k)]
        rest = order[k:]
        total = sum(float(counts[g].sum()) * (MATCH_COST + CELL_COST * width[g[0]]) for g in alone)
        groups = alone + ([rest] if len(rest) else [])
        total += (cost(rest) if len(rest) else 0.0) + STATEMENT_COST * len(groups)
        if best is None or total < best[0]:
            best = (total, groups)
    assert best is not None
    return best[1]


def _changed_rows(changes: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Rows with a changed data cell (provenance alone does not count)."""
    data = [m for p, m in changes.items() if p not in PROVENANCE]
    return np.logical_or.reduce(data) if data else np.zeros(n, dtype=bool)


def _diff(frame: pd.DataFrame, stored: pd.DataFrame, key: str, props: Mapping):
    """Keys, per column the rows whose incoming cell changes the store, and per column the final values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = frame[key].to_numpy(dtype=object)
    at = positions(keys, stored)
    before = stored.iloc[at] if (at >= 0).all() else stored.reindex(keys)  # the rows are stored ones as a rule
    given, held = set(frame.columns), set(before.columns)
    changes: dict[str, np.ndarray] = {}
    finals: dict[str, pa.Array] = {}
    for p, prop in props.items():
        if p == key or p not in given:
            continue
        t = _arrow_type(prop)
        new, old = _arrow(frame[p], t), _arrow(before[p], t) if p in held else pa.nulls(len(frame), t)
        if pa.types.is_list(t):
            changed = np.array([n is not None and n != o for n, o in zip(new.to_pylist(), old.to_pylist())], dtype=bool)
        else:
            diff = pc.or_kleene(pc.is_null(old), pc.not_equal(new, old))
            changed = pc.and_kleene(pc.is_valid(new), diff).fill_null(False).to_numpy(zero_copy_only=False)
        if changed.any():
            changes[p] = changed
            finals[p] = pc.if_else(pa.array(changed), new, old)
    return pa.array(keys, type=pa.string()), changes, finals


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


__all__ = ["PROVENANCE", "SCAN_SHARE", "changed_cells", "member", "positions", "stored_nodes", "update_groups"]
