"""Map a sheet's column headers onto a type's properties, from the schema alone.

Each property's name, Chinese title, English label and synonyms live in
``schema/innovation.yaml``; headers are compared after folding width,
spaces, brackets, a trailing ``*`` and notes such as ``（必填）``.  The
property's own name, title and English label win over a synonym, and an
earlier property over a later one, so 统一社会信用代码 on an enterprise sheet is
the key.

Examples
--------
>>> from kg.schema import load_schema
>>> m = map_columns(load_schema(), "Enterprise", ["序号", "联系人", "企业名称 *", "统一社会信用代码", "所在区县（必填）"])
>>> m.keys
{'企业名称 *': 'name', '统一社会信用代码': 'id', '所在区县（必填）': 'region'}
>>> m.unknown
['联系人']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.normalise import clean_text
from kg.schema import Schema, load_schema

#: column headers of the endpoint type columns of an edge sheet
FROM_TYPE_HEADERS = ("起点类型", "from_type", "起点标签", "主体类型")
TO_TYPE_HEADERS = ("终点类型", "to_type", "终点标签", "对象类型")
FROM_HEADERS = ("from", "from_id", "起点", "起点编号")
TO_HEADERS = ("to", "to_id", "终点", "终点编号")
#: columns that number rows and carry no data
IGNORED = ("序号", "编号序", "no", "no.", "#", "行号")

_NOTES = re.compile(r"[（(](必填|选填|可选|必选|可空|required|optional)[)）]", re.I)


def fold_header(text: str) -> str:
    """Comparison form of a header.

    Examples
    --------
    >>> fold_header(" 营业收入（万元）* ")
    '营业收入(万元)'
    """
    text = clean_text(_NOTES.sub("", str(text))).lower()
    text = re.sub(r"\s+", "", text).strip("*:：")
    return text


@dataclass
class ColumnMap:
    """Which source column feeds which key (property, ``from_id``, ``to_id`` ...)."""

    type: str
    keys: dict[str, str]
    unknown: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)

    def column_of(self, key: str) -> str | None:
        """The source column mapped to ``key``, if any."""
        for column, k in self.keys.items():
            if k == key:
                return column
        return None


@cache
def vocabulary(type_: str, schema_id: int = 0) -> dict[str, str]:
    """Folded header -> key for one node or edge type (cached)."""
    schema = load_schema()
    return _vocabulary(schema, type_)


def _vocabulary(schema: Schema, type_: str) -> dict[str, str]:
    entries: list[tuple[int, int, str, str]] = []  # (priority, order, folded, key)
    order = 0
    if schema.is_node(type_):
        props = schema.node(type_).properties
    else:
        edge = schema.edge(type_)
        props = edge.properties
        for key, own, synonyms in (
            ("from_id", (edge.from_title,), (*edge.from_aliases, *FROM_HEADERS)),
            ("to_id", (edge.to_title,), (*edge.to_aliases, *TO_HEADERS)),
            ("from_type", FROM_TYPE_HEADERS, ()),
            ("to_type", TO_TYPE_HEADERS, ()),
        ):
            for h in own:
                entries.append((0, order, fold_header(h), key))
            for h in synonyms:
                entries.append((1, order, fold_header(h), key))
            order += 1
    for p in props.values():
        for h in (p.name, p.title, p.label_en):
            entries.append((0, order, fold_header(h), p.name))
        for h in p.aliases:
            entries.append((1, order, fold_header(h), p.name))
        order += 1
    vocab: dict[str, str] = {}
    for _, _, folded, key in sorted(entries, key=lambda e: (e[0], e[1])):
        vocab.setdefault(folded, key)
    return vocab


def is_known_header(type_: str):
    """A predicate telling whether a header names something of ``type_`` (for header-row detection)."""
    vocab = vocabulary(type_)
    return lambda text: fold_header(text) in vocab


def map_columns(schema: Schema, type_: str, headers: list[str]) -> ColumnMap:
    """Map ``headers`` to keys of ``type_``; the first column wins when two name the same key."""
    vocab = _vocabulary(schema, type_) if schema is not load_schema() else vocabulary(type_)
    keys: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: dict[str, str] = {}
    taken: dict[str, str] = {}
    for h in headers:
        folded = fold_header(h)
        key = vocab.get(folded)
        if key is None:
            if folded not in IGNORED and not re.fullmatch(r"列\d+|unnamed:\d+", folded):
                unknown.append(h)
            continue
        if key in taken:
            duplicates[h] = taken[key]
            continue
        taken[key] = h
        keys[h] = key
    return ColumnMap(type_, keys, unknown, duplicates)
