"""The rule for an edge that arrives more than once: earliest ``since``, latest ``until``, and a count.

One edge is stored per type and ordered pair of nodes.  When the same pair
arrives again, in the same file or in a later load, nothing is decided by
which row came last:

- ``since`` keeps the **earliest** year given, ``until`` the **latest**;
- ``occurrences`` (where the type has it, e.g. COOPERATES_WITH) counts the
  rows that carried the pair (blank: once); a later load adds its count, except a reload of
  the file that last wrote the edge (same ``source``), which leaves the count
  as it is, so loading a file twice changes nothing;
- any other property keeps the last value given (a blank never erases one).

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"from_id": ["E1", "E1", "E2"], "to_id": ["U1", "U1", "U1"],
...                      "since": [2019, 2016, None], "until": [2020, 2022, None]})
>>> fold_repeats(rows, {"since": None, "until": None, "occurrences": None}).values.tolist()
[['E1', 'U1', 2016, 2022, 2], ['E2', 'U1', None, None, 1]]
"""

from __future__ import annotations

import pandas as pd

#: property -> how repeated values combine
EARLIEST, LATEST, COUNT = "since", "until", "occurrences"
_KEYS = ["from_id", "to_id"]


def fold_repeats(frame: pd.DataFrame, props, *, repeated: bool = False) -> pd.DataFrame:
    """One row per ``(from_id, to_id)`` (and endpoint types, when given) by the rule above.

    ``repeated=True``: the caller knows some pair repeats (the check is not made again)."""
    keys = _KEYS + [k for k in ("from_type", "to_type") if k in frame]
    if not repeated and not frame.duplicated(subset=_KEYS).any():
        return frame
    frame = frame.copy()
    if COUNT in props:
        frame[COUNT] = pd.to_numeric(frame[COUNT], errors="coerce").fillna(1) if COUNT in frame else 1
    grouped = frame.groupby(keys, sort=False, dropna=False)
    out = grouped.last()  # last non-null value of every other column
    for column, how in ((EARLIEST, "min"), (LATEST, "max"), (COUNT, "sum")):
        if column in frame:
            out[column] = grouped[column].agg(how)
    out = out.reset_index()
    return _objects(out[[c for c in frame.columns]])


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    for column in (EARLIEST, LATEST, COUNT):
        if column in frame:
            values = pd.to_numeric(frame[column], errors="coerce")
            frame[column] = pd.Series([None if pd.isna(v) else int(v) for v in values], index=frame.index, dtype=object)
    return frame


def merge_set(prop: str, row: str, stored: str = "e.", has_source: bool = True) -> str:
    """The Cypher SET expression of ``prop`` for a stored edge (``row``: ``r.`` or ``v_``).

    Examples
    --------
    >>> merge_set("occurrences", "r.", has_source=False)
    'coalesce(e.occurrences, 1) + coalesce(r.occurrences, 1)'
    >>> merge_set("weight", "r.")
    'coalesce(r.weight, e.weight)'
    """
    new, old = row + prop, stored + prop
    if prop == EARLIEST:
        return f"CASE WHEN {old} IS NULL OR {new} < {old} THEN coalesce({new}, {old}) ELSE {old} END"
    if prop == LATEST:
        return f"CASE WHEN {old} IS NULL OR {new} > {old} THEN coalesce({new}, {old}) ELSE {old} END"
    if prop == COUNT:  # of a stored edge (a blank count is once)
        added = f"coalesce({old}, 1) + coalesce({new}, 1)"
        return f"CASE WHEN {row}source = {stored}source THEN {old} ELSE {added} END" if has_source else added
    return f"coalesce({new}, {old})"


def set_order(props) -> list[str]:
    """Properties in SET order: the count first (it compares the stored ``source`` before it is replaced)."""
    props = list(props)
    return ([COUNT] if COUNT in props else []) + [p for p in props if p != COUNT]


__all__ = ["fold_repeats", "merge_set", "set_order"]
