"""The row operations of a mapping file: filters, value maps, transforms, joins and typing.

Each works on a :class:`~kg.loaders.sources.Table` or on its columns and
raises :class:`~kg.errors.LoadError` naming the mapping key and the column
when the mapping asks for something the source does not have.

Examples
--------
>>> import pandas as pd
>>> from kg.loaders.sources import read_table
>>> t = read_table(pd.DataFrame({"type": ["PRC", "HES", "PUB"], "role": ["coordinator", "participant", "partner"]}))
>>> where(t, {"type": ["PRC", "HES"]}, "where").frame["type"].tolist()
['PRC', 'HES']
>>> map_values(t.frame["role"], {"coordinator": "lead", "default": "partner"}, "x").tolist()
['lead', 'partner', 'partner']
>>> derive(t, {"column": "role", "regex": "^(.)"}, "transform.first").tolist()
['c', 'p', 'p']
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from kg.errors import LoadError
from kg.loaders.sources import Table

#: endings that make a name an organisation (a 2-4 character Han name without one is a person)
ORG_ENDINGS = (
    "公司",
    "集团",
    "大学",
    "学院",
    "学校",
    "研究所",
    "研究院",
    "科学院",
    "研究中心",
    "中心",
    "医院",
    "厂",
    "局",
    "部",
    "委员会",
    "协会",
    "学会",
    "基金会",
    "所",
    "院",
    "社",
    "站",
    "馆",
    "室",
    "行",
    "会",
    "处",
    "队",
    "场",
    "团",
    "校",
    "银行",
    "店",
    "合作社",
    "联社",
    "实验室",
    "基地",
    "园",
    "办",
    "台",
    "司",
    "组",
)
#: a trailing campus or branch bracket: 中国矿业大学(北京), 山东大学（威海）
CAMPUS = re.compile(r"\s*[（(][^（）()]{1,12}[)）]\s*$")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def column(table: Table, name: str, where_: str) -> pd.Series:
    """The cells of a source column, or one error naming the mapping key and the columns there are."""
    if not isinstance(name, str) or name not in table.frame.columns:
        raise LoadError(
            f"{table.source}: {where_} names column {name!r}, which the source does not have; "
            f"columns: {', '.join(table.headers)}"
        )
    return table.frame[name]


def subset(table: Table, mask) -> Table:
    """The rows of ``table`` where ``mask`` is true (row numbers kept)."""
    mask = pd.Series(mask, dtype=bool).to_numpy()
    if mask.all():
        return table
    return Table(
        table.source,
        table.frame[mask].reset_index(drop=True),
        [r for r, k in zip(table.rows, mask) if k],
        table.header_row,
        table.encoding,
        table.sheet,
        table.notes,
    )


def where(table: Table, spec, where_: str) -> Table:
    """Rows whose cells pass every condition of ``spec``.

    ``{column: value}`` or ``{column: [values]}`` keeps rows holding one of the
    values; ``{column: {not: [values]}}`` the others; ``{column: {regex: ...}}``
    rows matching; ``{column: {present: true}}`` rows with a value (false: blank).
    """
    if not spec:
        return table
    if not isinstance(spec, dict):
        raise LoadError(
            f"{where_}: `where:` takes {{column: value or [values] or {{not: ..}} / {{regex: ..}} / "
            f"{{present: true}}}}, not {spec!r}"
        )
    mask = pd.Series(True, index=table.frame.index)
    for name, cond in spec.items():
        cells = column(table, name, f"{where_}.{name}")
        text = cells.astype(object).where(cells.notna(), None).map(lambda v: None if v is None else str(v))
        if isinstance(cond, dict):
            unknown = set(cond) - {"not", "regex", "present"}
            if unknown:
                raise LoadError(f"{where_}.{name}: unknown condition {sorted(unknown)[0]!r}; use not, regex or present")
            if "not" in cond:
                mask &= ~text.isin(_texts(cond["not"]))
            if "regex" in cond:
                pattern = _regex(cond["regex"], f"{where_}.{name}.regex")
                mask &= text.map(lambda v, pattern=pattern: v is not None and bool(pattern.search(v)))
            if "present" in cond:
                mask &= text.notna() if cond["present"] else text.isna()
        else:
            mask &= text.isin(_texts(cond))
    return subset(table, mask.to_numpy())


def _texts(value) -> list[str]:
    values = value if isinstance(value, (list, tuple, set)) else [value]
    return [str(v) for v in values]


def _regex(pattern, where_: str) -> re.Pattern:
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise LoadError(f"{where_}: {pattern!r} is not a valid regular expression ({exc})") from None


def map_values(cells: pd.Series, table: dict, where_: str) -> pd.Series:
    """Cells translated by ``table`` (``default:`` for the others; without it, others stay as they are)."""
    if not isinstance(table, dict):
        raise LoadError(f"{where_}: `map:` takes {{value: new value, ..., default: value}}, not {table!r}")
    lookup = {str(k): v for k, v in table.items() if k != "default"}
    has_default = "default" in table

    def one(v):
        if v is None:
            return None
        key = str(v)
        if key in lookup:
            return lookup[key]
        return table["default"] if has_default else v

    return cells.map(one).astype(object)


#: date parts ``as:`` takes
DATE_PARTS = ("year", "month", "day", "date", "text")
_DATE = re.compile(r"^(1[89]\d\d|2[01]\d\d)(?:[-/.年]?(\d{1,2})(?:[-/.月]?(\d{1,2}))?)?")


def date_part(cell, part: str):
    """A part of a date cell: ISO or Chinese text, ``20240102``, ``2018.01``, or an Excel serial day number.

    Cells that are no date are returned as they are, so the load reports them
    at their row and column.

    Examples
    --------
    >>> [date_part(v, "year") for v in ["2024-03-05", "2023年7月1日", "20221231", "45292", "2019", None, "不详"]]
    ['2024', '2023', '2022', '2024', '2019', None, '不详']
    >>> date_part("2018.01-2020.12", "month"), date_part("20240102", "date")
    ('1', '2024-01-02')
    """
    if cell is None or part == "text":
        return cell
    text = str(cell).strip()
    if re.match(r"^0000\D?", text):  # 0000-00-00, 0000-01-01: an unknown date
        return None
    m = _DATE.match(text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif re.fullmatch(r"\d{1,5}(\.0+)?", text) and 1 <= float(text) < 80_000:  # Excel serial day number
        d = dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
        year, month, day = str(d.year), str(d.month), str(d.day)
    else:
        return cell
    if part == "year":
        return year
    if part == "month":
        return str(int(month)) if month else None
    if part == "day":
        return str(int(day)) if day else None
    if month and day:
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            return cell
    return cell


def derive(table: Table, spec, where_: str) -> pd.Series:
    """The cells a ``columns:`` / ``transform:`` value describes.

    A plain string is a source column; a mapping takes ``column:`` and, applied
    in this order, ``regex:`` (the first group, or the match; no match: blank),
    ``as:`` (a date part: year, month, day, date), ``map:`` (a value table) and
    ``default:`` (for blanks).  ``value:`` alone is a constant.
    """
    if not isinstance(spec, dict):
        return column(table, spec, where_)
    unknown = set(spec) - {"column", "regex", "as", "map", "default", "value"}
    if unknown:
        raise LoadError(f"{where_}: unknown key {sorted(unknown)[0]!r}; a column takes column, regex, as, map, default")
    if "value" in spec and "column" not in spec:
        return pd.Series([spec["value"]] * len(table.frame), dtype=object)
    if "column" not in spec:
        raise LoadError(f"{where_}: a column given as a mapping needs `column:` (e.g. {{column: 申请日, as: year}})")
    cells = column(table, spec["column"], where_).astype(object)
    if "regex" in spec:
        pattern = _regex(spec["regex"], f"{where_}.regex")

        def extract(v):
            if v is None:
                return None
            m = pattern.search(str(v))
            return None if m is None else (m.group(1) if m.groups() else m.group(0))

        cells = cells.map(extract).astype(object)
    kind = spec.get("as")
    if kind is not None:
        if kind not in DATE_PARTS:
            raise LoadError(
                f"{where_}: unknown `as: {kind}` for column {spec['column']!r}; use one of {', '.join(DATE_PARTS)}"
            )
        cells = cells.map(lambda v: date_part(v, kind)).astype(object)
    if "map" in spec:
        cells = map_values(cells, spec["map"], f"{where_}.map")
    if "default" in spec:
        cells = cells.where(cells.notna(), spec["default"]).astype(object)
    return cells.where(cells.notna(), None)


def transform(table: Table, spec, where_: str = "transform") -> Table:
    """``table`` with the new columns ``transform:`` defines (``{new column: column spec}``)."""
    if not spec:
        return table
    if not isinstance(spec, dict):
        raise LoadError(f"{where_}: `transform:` takes {{new column: {{column: .., regex: .., as: .., map: ..}}}}")
    frame = table.frame.copy()
    for name, one in spec.items():
        frame[str(name)] = derive(Table(table.source, frame, table.rows), one, f"{where_}.{name}").to_numpy()
    return Table(table.source, frame, table.rows, table.header_row, table.encoding, table.sheet, table.notes)


def lookup(table: Table, specs, base: Path | None, read, where_: str = "lookup") -> Table:
    """``table`` joined with second files on a key: ``[{file:, on:, key:, columns:}, ...]``.

    ``on`` is the key column of the source, ``key`` that of the second file
    (default: the same name); ``columns`` the columns brought in (a list, or
    ``{new name: column of the file}``).  Keys missing from the second file
    leave the new columns blank; a key listed twice there takes its first row.
    """
    if not specs:
        return table
    specs = specs if isinstance(specs, list) else [specs]
    frame = table.frame
    for i, spec in enumerate(specs):
        at = f"{where_}[{i}]"
        if not isinstance(spec, dict) or "file" not in spec or "on" not in spec:
            raise LoadError(
                f"{at}: a lookup needs `file:` and `on:` (and `columns:`), e.g. "
                "{file: organisations.csv, on: pic, columns: [name]}"
            )
        path = Path(spec["file"])
        if base is not None and not path.is_absolute():
            path = base / path
        other = read(path, spec)
        key = spec["key"] if "key" in spec else spec["on"]
        on = column(table, spec["on"], f"{at}.on")
        theirs = column(other, key, f"{at}.key")
        wanted = spec.get("columns") or [c for c in other.headers if c != key]
        pairs = wanted.items() if isinstance(wanted, dict) else [(c, c) for c in wanted]
        first = other.frame.assign(__key=theirs.astype(object)).dropna(subset=["__key"]).drop_duplicates("__key")
        first = first.set_index("__key")
        frame = frame.copy()
        for new, theirs_col in pairs:
            column(other, theirs_col, f"{at}.columns")
            frame[str(new)] = on.map(first[theirs_col]).astype(object).where(on.notna(), None).to_numpy()
            frame[str(new)] = frame[str(new)].where(frame[str(new)].notna(), None)
    return Table(table.source, frame, table.rows, table.header_row, table.encoding, table.sheet, table.notes)


# ------------------------------------------------------------------ typing
def strip_campus(name: str) -> str:
    """A name without a trailing campus bracket.

    Examples
    --------
    >>> strip_campus("中国矿业大学(北京)"), strip_campus("山东大学（威海）"), strip_campus("甲公司")
    ('中国矿业大学', '山东大学', '甲公司')
    """
    return CAMPUS.sub("", name)


def is_person_name(name) -> bool:
    """A name of 2-4 Han characters without an organisation ending: an individual (崔凯).

    Examples
    --------
    >>> [is_person_name(n) for n in ["崔凯", "欧阳明月", "华为公司", "中国科学院大学", "北京大学"]]
    [True, True, False, False, False]
    """
    return isinstance(name, str) and bool(_PERSON.match(name)) and not name.endswith(ORG_ENDINGS)


def type_spec(spec, where_: str) -> dict:
    """A type given in a mapping, normalised to ``{"label"|"column"|"endings": ..., "default", "persons", "map"}``."""
    if isinstance(spec, str):
        return {"label": spec}
    if not isinstance(spec, dict) or not spec:
        raise LoadError(
            f"{where_}: `type:` is a label, {{column: .., map: {{..}}}} or {{name ending: label, default: ..}}"
        )
    if "column" in spec:
        unknown = set(spec) - {"column", "map", "default", "endings", "persons"}
        if unknown:
            raise LoadError(
                f"{where_}: unknown key {sorted(unknown)[0]!r} in a type by column; use column, map, default"
            )
        return {
            "column": spec["column"],
            "map": spec.get("map") or {},
            "default": spec.get("default"),
            "endings": spec.get("endings") or {},
            "persons": spec.get("persons", False),
        }
    if "endings" in spec:
        return {"endings": spec["endings"] or {}, "default": spec.get("default"), "persons": spec.get("persons", True)}
    endings = {k: v for k, v in spec.items() if k not in ("default", "persons")}
    return {"endings": endings, "default": spec.get("default"), "persons": spec.get("persons", True)}


def column_typing(spec: dict) -> dict:
    """The by-column part of a type spec; its ``default`` waits for the name endings when there are some."""
    by_name = spec.get("endings") or spec.get("persons")
    return {k: v for k, v in spec.items() if k not in ("endings", "persons") and not (k == "default" and by_name)}


def labels_of(spec: dict) -> list[str]:
    """Every label a type spec can give (to check them against the schema)."""
    out = [
        spec.get("label"),
        spec.get("default"),
        *(spec.get("map") or {}).values(),
        *(spec.get("endings") or {}).values(),
    ]
    if spec.get("persons"):
        out.append("Person")
    return [x for x in dict.fromkeys(out) if x]


def row_types(table: Table, spec: dict, names: pd.Series, where_: str) -> pd.Series:
    """The label of each row: fixed, by a column's value (``map``), or by how the name ends.

    Endings are checked on the name without a trailing campus bracket; with
    ``persons`` a 2-4 Han character name with no organisation ending is a Person.
    """
    n = len(names)
    if "label" in spec:
        return pd.Series([spec["label"]] * n, dtype=object)
    chosen = pd.Series([None] * n, dtype=object)
    if "column" in spec:
        cells = column(table, spec["column"], f"{where_}.column").reset_index(drop=True)
        table_map = {str(k): v for k, v in spec["map"].items() if k != "default"}
        chosen = cells.map(lambda v: None if v is None else table_map.get(str(v))).astype(object)
    endings = sorted((str(e) for e in spec.get("endings") or {}), key=len, reverse=True)  # 科学院 before 学院
    if endings or spec.get("persons"):
        by_name = {}
        for name in pd.unique(names.dropna()):
            bare = strip_campus(str(name))
            label = next((spec["endings"][e] for e in endings if bare.endswith(e)), None)
            if label is None and spec.get("persons") and is_person_name(bare):
                label = "Person"
            by_name[name] = label
        by = names.map(by_name).astype(object)
        chosen = chosen.where(chosen.notna(), by)
    default = spec.get("default") or (spec.get("map") or {}).get("default")
    if default:
        chosen = chosen.where(chosen.notna(), default)
    chosen = chosen.reset_index(drop=True).astype(object)
    return chosen.where(chosen.notna(), None)


def first_type_per_key(keys: pd.Series, types: pd.Series) -> pd.Series:
    """One label per key: the first row's (a unit typed differently further down keeps its first type)."""
    frame = pd.DataFrame({"k": keys.to_numpy(dtype=object), "t": types.to_numpy(dtype=object)})
    first = frame.dropna().drop_duplicates("k").set_index("k")["t"]
    out = frame["k"].map(first).astype(object)
    out = out.where(frame["k"].notna(), frame["t"]).astype(object)
    return out.where(out.notna(), None)


__all__ = [
    "where",
    "map_values",
    "derive",
    "transform",
    "lookup",
    "date_part",
    "type_spec",
    "row_types",
    "labels_of",
    "strip_campus",
    "is_person_name",
    "first_type_per_key",
    "column",
    "subset",
    "ORG_ENDINGS",
    "column_typing",
]
