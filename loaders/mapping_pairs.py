"""Derived pairs: dated links between the units that share a project or a patent.

A participation sheet (one row per organisation x project) or a patent export
(several applicants in one cell) says who worked together; a ``pairs:``
entry of a mapping turns it into edges between the units of the same group::

    pairs:
      - type: COOPERATES_WITH
        group: rcn                       # rows with the same value are one project / patent
        unit: {column: pic, type: {column: type, map: {PRC: Enterprise, HES: University, REC: ResearchInstitute}}}
        from: [Enterprise]               # unit types at the start of the edge
        to: [University, ResearchInstitute]
        year: start_year                 # since = the earliest year of a shared group
        # weight: number of distinct shared groups (always written where the edge has `weight`)

``unit`` takes ``split: true`` (several units per cell, the mapping's split
pattern) and the same ``type:`` forms as a node entry.  Groups without a year
are left out (a dated link needs one); a unit paired with itself is skipped.
The edge gets ``since`` (earliest year), ``until`` (latest year) where the
edge has it and ``weight`` (shared groups); counting distinct groups counts
the A and B publications of one application once when ``group`` is the
application number.

Examples
--------
>>> import pandas as pd
>>> from kg.loaders.sources import read_table
>>> t = read_table(pd.DataFrame({"rcn": ["P1", "P1", "P2", "P2"], "pic": ["F", "U", "F", "U"],
...                              "type": ["PRC", "HES", "PRC", "HES"], "start_year": ["2016", "2016", "2019", "2019"]}))
>>> spec = {"group": "rcn", "unit": {"column": "pic", "type": {"column": "type", "map": {"PRC": "Enterprise", "HES": "University"}}},
...         "from": ["Enterprise"], "to": ["University"], "year": "start_year"}
>>> pair_frame(t, spec, None, "pairs[0]")[["from_id", "to_id", "since", "until", "weight"]].values.tolist()
[['F', 'U', 2016, 2019, 2.0]]
"""

from __future__ import annotations

import re

import pandas as pd

from kg.errors import LoadError
from kg.loaders.mapping_rows import column, derive, first_type_per_key, row_types, type_spec
from kg.loaders.sources import Table


def pair_frame(table: Table, spec: dict, splitter, where_: str) -> pd.DataFrame:
    """Columns ``from_id``, ``from_type``, ``to_id``, ``to_type``, ``since``, ``until``, ``weight``, ``row``."""
    for key in ("group", "unit", "from", "to"):
        if key not in spec:
            raise LoadError(f"{where_}: a pairs entry needs `{key}:` (see kg.loaders.mapping_pairs)")
    unit = spec["unit"] if isinstance(spec["unit"], dict) else {"column": spec["unit"]}
    if "column" not in unit:
        raise LoadError(f"{where_}.unit: needs `column:`")
    frame = pd.DataFrame(
        {
            "group": column(table, spec["group"], f"{where_}.group").to_numpy(dtype=object),
            "unit": column(table, unit["column"], f"{where_}.unit").to_numpy(dtype=object),
            "year": (
                derive(table, spec["year"], f"{where_}.year").to_numpy(dtype=object)
                if spec.get("year")
                else [None] * len(table.frame)
            ),
            "row": table.rows,
        }
    )
    typing = type_spec(unit.get("type", spec.get("type_of_unit", "Enterprise")), f"{where_}.unit.type")
    frame["label"] = row_types(table, typing, frame["unit"], f"{where_}.unit.type").to_numpy(dtype=object)
    if unit.get("split"):
        pattern = splitter if unit["split"] is True else re.compile(unit["split"])
        frame["unit"] = frame["unit"].map(
            lambda v: [x.strip() for x in pattern.split(str(v)) if x.strip()] if v is not None else [None]
        )
        frame = frame.explode("unit", ignore_index=True)
        if typing.get("endings") or typing.get("persons"):  # each name of the cell typed by itself
            by_name = {k: v for k, v in typing.items() if k != "column"}
            frame["label"] = (
                row_types(table, by_name, frame["unit"], f"{where_}.unit.type")
                .where(lambda s: s.notna(), frame["label"] if "column" in typing else None)
                .to_numpy(dtype=object)
            )
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    if spec.get("year"):
        frame = frame.dropna(subset=["year"])
    frame = frame.dropna(subset=["group", "unit", "label"])
    frame["label"] = first_type_per_key(frame["unit"], frame["label"]).to_numpy(dtype=object)
    years = frame.groupby("group")["year"].min()
    froms, tos = _labels(spec["from"]), _labels(spec["to"])
    a = frame[frame["label"].isin(froms)][["group", "unit", "label", "row"]].drop_duplicates(["group", "unit"])
    b = frame[frame["label"].isin(tos)][["group", "unit", "label"]].drop_duplicates(["group", "unit"])
    both = a.merge(b, on="group", suffixes=("_a", "_b"))
    both = both[both["unit_a"] != both["unit_b"]]
    both["year"] = both["group"].map(years)
    out = (
        both.groupby(["unit_a", "label_a", "unit_b", "label_b"], sort=False)
        .agg(since=("year", "min"), until=("year", "max"), weight=("group", "nunique"), row=("row", "min"))
        .reset_index()
    )
    out = out.rename(columns={"unit_a": "from_id", "label_a": "from_type", "unit_b": "to_id", "label_b": "to_type"})
    for c in ("since", "until"):
        out[c] = pd.Series([None if pd.isna(v) else int(v) for v in out[c]], index=out.index, dtype=object)
    out["weight"] = out["weight"].astype(float)
    return out.sort_values(["row", "from_id", "to_id"], kind="stable").reset_index(drop=True)


def _labels(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


__all__ = ["pair_frame"]
