"""Rows given to the write path, checked and turned into frames and Arrow tables.

Examples
--------
>>> from kg.schema import load_schema
>>> props = load_schema().nodes["Enterprise"].properties
>>> coerce_row({"id": "E1", "employees": "1,200"}, props, 1, "Enterprise")
{'id': 'E1', 'employees': 1200}
>>> is_unique_frame(pd.DataFrame({"id": ["E1", "E1"]}), ["id"])
False
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, TypeGuard

import pandas as pd

from kg.errors import RowError, SchemaError
from kg.stored import _arrow_type
from kg.values import coerce


def coerce_row(rec: Mapping[str, Any], props: Mapping, i: int, where: str) -> dict[str, Any]:
    out = {}
    for k, v in rec.items():
        if k not in props:
            close = difflib.get_close_matches(str(k), list(props), n=2)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise RowError(f"row {i}: {where} has no property {k!r}{hint}", row=i, column=str(k), value=v)
        try:
            out[k] = coerce(props[k], v)
        except SchemaError as exc:
            raise RowError(f"row {i}: {exc}", row=i, column=str(k), value=v) from None
    return out


def is_unique_frame(rows: object, keys: list[str]) -> TypeGuard[pd.DataFrame]:
    """A DataFrame whose key columns are present and (together) unique."""
    if not isinstance(rows, pd.DataFrame) or any(k not in rows for k in keys):
        return False
    unique_on = [k for k in keys if not k.endswith("_type")] or keys
    return not rows.duplicated(subset=unique_on).any()


def object_frame(records: list[dict]) -> pd.DataFrame:
    """Coerced rows as a frame of Python objects (``None`` where a row has no value)."""
    names = list(dict.fromkeys(k for r in records for k in r))
    return pd.DataFrame({k: pd.Series([r.get(k) for r in records], dtype=object) for k in names})


def arrow_from_frame(frame: pd.DataFrame, props: Mapping):
    """The table's columns (in order, typed for COPY) straight from a DataFrame's columns."""
    import pyarrow as pa

    arrays, names = [], []
    n = len(frame)
    for name, prop in props.items():
        t = _arrow_type(prop)
        if name in frame:
            try:
                arrays.append(pa.Array.from_pandas(frame[name], type=t))
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed objects: convert value by value
                values = frame[name].astype(object).where(frame[name].notna(), None).tolist()
                arrays.append(pa.array(values, type=t))
        else:
            arrays.append(pa.nulls(n, type=t))
        names.append(name)
    return pa.table(arrays, names=names)


__all__ = ["arrow_from_frame", "coerce_row", "is_unique_frame", "object_frame"]
