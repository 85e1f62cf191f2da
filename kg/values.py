"""Coerce raw cell values onto schema property types.

Spreadsheets deliver years as ``2020.0``, booleans as 是/否, dates as Excel
serial numbers, lists as ``a；b、c`` and enums in Chinese.  :func:`coerce`
turns one raw value into what the store keeps, or raises a
:class:`~kg.errors.SchemaError` saying what was expected.

Examples
--------
>>> from kg.schema import load_schema
>>> p = load_schema().node("Enterprise").properties
>>> coerce(p["employees"], "1,200")
1200
>>> coerce(p["scale"], "规上")
'above_designated_size'
>>> coerce(p["aliases"], "甲公司；甲有限公司")
['甲公司', '甲有限公司']
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from kg.errors import SchemaError
from kg.schema import Property, load_schema

#: separators accepted inside one cell of a multivalued column
LIST_SEPARATORS = re.compile(r"\s*[;；|、,，]\s*")
_TRUE = {"true", "yes", "y", "1", "是", "有", "已上市", "√", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "未上市", "×", "f"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def is_missing(value: Any) -> bool:
    """True for ``None``, NaN, NaT and blank strings.

    Examples
    --------
    >>> is_missing(" "), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, set, dict)) else False
    except (TypeError, ValueError):
        return False


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError
        return int(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    text = re.sub(r"(年|人|家|个|件)$", "", text)
    number = float(text)
    if number != int(number):
        raise ValueError
    return int(number)


def _to_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    text = re.sub(r"(万元|元|平方米|㎡|%)$", "", text)
    return float(text)


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1800 <= value <= 2200 and float(value).is_integer():
            return dt.date(int(value), 1, 1)
        if 1 <= value < 80000:  # Excel serial day number
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError
    text = str(value).strip()
    text = text.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-").rstrip("-")
    parts = [p for p in text.split("-") if p]
    if len(parts) == 1 and parts[0].isdigit():
        p = parts[0]
        if len(p) == 8:  # 20240102
            return dt.date(int(p[:4]), int(p[4:6]), int(p[6:]))
        if len(p) <= 5:
            return _to_date(int(p))
        raise ValueError
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2][:2]))


def _to_str(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # codes that a spreadsheet turned into numbers
    return str(value).strip()


_CONVERTERS = {
    "integer": _to_int,
    "float": _to_float,
    "double": _to_float,
    "boolean": _to_bool,
    "date": _to_date,
}
_EXPECTED = {
    "integer": "a whole number",
    "float": "a number",
    "double": "a number",
    "boolean": "是/否 or true/false",
    "date": "a date such as 2021-03-15",
}


#: C0 and C1 control characters except tab, line feed and carriage return
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: line and paragraph separators: a lookup by the name as written would not find a name that holds one
LINE_SEPARATORS = re.compile("[\u2028\u2029]")
#: properties that identify or name a node: control characters and line separators are refused there
NAMING_PROPERTIES = frozenset({"id", "name", "aliases", "from_id", "to_id", "uscc"})
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def text_problem(prop_name: str, value: Any) -> str | None:
    r"""Why a text value cannot be stored for ``prop_name``, or ``None``.

    Control characters (NUL, C0/C1 except tab and newline) are refused in
    every text; U+2028/U+2029 in identifiers and names, which must be found
    again exactly as written.

    Examples
    --------
    >>> text_problem("name", "甲\x00公司")
    'holds the control character U+0000 at position 2; remove it'
    >>> text_problem("name", "甲\u2028公司")
    'holds a line separator (U+2028) at position 2; a name must be one line'
    >>> text_problem("description", "第一行\n第二行") is None
    True
    """
    if not isinstance(value, str):
        return None
    m = CONTROL_CHARACTERS.search(value)
    if m:
        return f"holds the control character U+{ord(m.group()):04X} at position {m.start() + 1}; remove it"
    if prop_name in NAMING_PROPERTIES:
        m = LINE_SEPARATORS.search(value) or re.search("[\n\t\r]", value)
        if m:
            kind = {"\u2028": "a line separator (U+2028)", "\u2029": "a paragraph separator (U+2029)"}.get(
                m.group(), f"a line break or tab (U+{ord(m.group()):04X})"
            )
            return f"holds {kind} at position {m.start() + 1}; a {'name' if prop_name in ('name', 'aliases') else 'key'} must be one line"
    return None


def number_problem(prop: Property, value: Any) -> str | None:
    """Why a converted number is outside what ``prop`` allows (non-finite, beyond 64 bits, below its minimum), or ``None``.

    Examples
    --------
    >>> p = load_schema().node("Enterprise").properties
    >>> number_problem(p["employees"], -5)
    'is below the minimum 0'
    >>> number_problem(p["revenue"], float("inf"))
    'is not a finite number'
    >>> number_problem(p["employees"], 10 ** 20)
    'does not fit in a 64-bit integer'
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        return "does not fit in a 64-bit integer"
    if prop.minimum is not None and value < prop.minimum:
        return f"is below the minimum {prop.minimum:g}"
    if prop.maximum is not None and value > prop.maximum:
        return f"is above the maximum {prop.maximum:g}"
    return None


def _scalar(prop: Property, value: Any) -> Any:
    problem = text_problem(prop.name, value)
    if problem:
        raise SchemaError(f"{prop.name} ({prop.title}): {_show(value)} {problem}")
    if prop.enum:
        return load_schema().enums[prop.enum].normalise(value)
    convert = _CONVERTERS.get(prop.range, _to_str)
    try:
        out = convert(value)
    except (ValueError, TypeError, OverflowError):
        raise SchemaError(
            f"{prop.name} ({prop.title}): {_show(value)} is not {_EXPECTED.get(prop.range, 'valid')}"
        ) from None
    problem = number_problem(prop, out)
    if problem:
        raise SchemaError(f"{prop.name} ({prop.title}): {_show(value)} {problem}")
    if prop.pattern and isinstance(out, str) and not re.match(prop.pattern, out):
        raise SchemaError(f"{prop.name} ({prop.title}): {out!r} does not match the expected form {prop.pattern}")
    return out


def _show(value: Any, limit: int = 60) -> str:
    """A value for a message: repr, shortened (a cell can hold 100,000 characters)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def coerce(prop: Property, value: Any) -> Any:
    """Convert one raw value for ``prop``; ``None`` for a missing value.

    Multivalued properties accept lists or one string with separators
    (``; ； | 、 , ，``) and drop blanks and duplicates, keeping order.
    """
    if prop.multivalued:
        if isinstance(value, (list, tuple, set)) or (hasattr(value, "__array__") and not isinstance(value, str)):
            items = list(value)
        elif is_missing(value):
            return None
        else:
            items = LIST_SEPARATORS.split(str(value))
        out: list = []
        for item in items:
            if not is_missing(item):
                v = _scalar(prop, item)
                if v not in out:
                    out.append(v)
        return out
    if is_missing(value):
        return None
    return _scalar(prop, value)


def as_list(value) -> list:
    """A stored list property as a list (``[]`` for null / NaN).

    Examples
    --------
    >>> as_list(None), as_list(["甲", None, "乙"])
    ([], ['甲', '乙'])
    """
    if value is None or isinstance(value, float):
        return []
    return [v for v in value if v is not None]
