"""Write demo rows as CSV files in the documented input format (the templates).

Node files have one column per property, headed by its Chinese title (a
title shared by two properties appears once, for the first); edge files
have the endpoint columns (``from_title``, ``to_title``, plus 起点类型 /
终点类型 where several endpoint types are allowed) and then the properties.
Enum values are written as their Chinese titles, lists joined with ``；``,
booleans as 是/否 — as a bureau's sheet would have them.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from kg.io import neutralise_cell
from kg.loaders.templates import template_columns
from kg.schema import Schema, load_schema


class CsvSink:
    """One CSV file per type under ``folder``, appended to chunk by chunk."""

    def __init__(self, folder: Path, schema: Schema | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.schema = schema or load_schema()
        self._files: dict[str, tuple] = {}
        self.rows: dict[str, int] = {}

    def path(self, type_: str) -> Path:
        kind = "nodes" if self.schema.is_node(type_) else "edges"
        return self.folder / f"{kind}_{type_}.csv"

    def _writer(self, type_: str):
        if type_ not in self._files:
            cols = template_columns(type_, self.schema)
            if self.schema.is_node(type_):
                props = self.schema.node(type_).properties
            else:
                props = self.schema.edge(type_).properties
            fh = open(_partial(self.path(type_)), "w", encoding="utf-8", newline="")  # noqa: SIM115 - kept open across writes, closed by close()
            w = csv.writer(fh)
            w.writerow([h for _, h in cols])
            self._files[type_] = (fh, w, cols, props)
            self.rows[type_] = 0
        return self._files[type_]

    def write(self, type_: str, rows: Iterable[dict]) -> None:
        _fh, w, cols, props = self._writer(type_)
        enums = self.schema.enums
        n = 0
        for r in rows:
            out = []
            for key, _ in cols:
                v = r.get(key)
                p = props.get(key)
                out.append(_cell(v, enums[p.enum].values if p is not None and p.enum else None))
            w.writerow(out)
            n += 1
        self.rows[type_] += n

    def close(self) -> list[Path]:
        """Close every file and rename it into place (a generator stopped half-way leaves only ``.partial`` files)."""
        for type_, (fh, *_) in self._files.items():
            fh.close()
            os.replace(_partial(self.path(type_)), self.path(type_))
        return [self.path(t) for t in self._files]


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _cell(v, enum_titles: dict | None) -> str:
    if isinstance(v, str):
        v = neutralise_cell(v)
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "；".join(_cell(x, enum_titles) for x in v)
    if enum_titles is not None:
        return enum_titles.get(v, v)
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)
