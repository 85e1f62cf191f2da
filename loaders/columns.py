"""Convert whole columns of text cells onto schema types, collecting bad cells.

Conversion runs once per distinct value (a column of a million rows holds
far fewer distinct years, sizes or enum titles), numbers go through pandas'
vectorised parser first, and every cell that cannot be converted becomes a
:class:`CellProblem` instead of stopping the load.

Examples
--------
>>> import pandas as pd
>>> from kg.schema import load_schema
>>> prop = load_schema().node("Enterprise").properties["employees"]
>>> values, bad = convert_column(prop, pd.Series(["120", "1,300", "很多", None]))
>>> values.tolist(), bad
([120, 1300, None, None], {2: "employees (职工人数): '很多' is not a whole number"})
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kg.errors import KGError
from kg.normalise import _SCI, CodeError, fix_code
from kg.schema import Property
from kg.values import CONTROL_CHARACTERS, NAMING_PROPERTIES, _show, coerce, number_problem, text_problem

#: ranges pandas can parse vectorised
_NUMERIC = {"integer", "float", "double", "decimal"}


def convert_column(prop: Property, cells: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    """Typed values of one column (object Series, ``None`` for blanks) and ``{position: reason}`` of bad cells.

    Besides type errors, text holding control characters and numbers outside
    the schema's range (negative counts, non-finite, beyond 64 bits) are bad cells.
    """
    cells = cells.reset_index(drop=True)
    bad_text = text_problems(prop.name, cells)
    if bad_text:
        cells = cells.copy()
        cells.iloc[list(bad_text)] = None
    if prop.range in _NUMERIC and not prop.multivalued and not prop.enum:
        fast = _numeric(prop, cells)
        if fast is not None:
            values, errors = fast
            return values, {**errors, **_out_of_range(prop, cells, values), **bad_text}
    if prop.range == "string" and not prop.enum and not prop.multivalued and not prop.pattern:
        return cells.where(cells.notna(), None).astype(object), bad_text
    if prop.range == "date" and not prop.enum and not prop.multivalued:
        iso = _iso_dates(cells)
        if iso is not None:
            return iso, bad_text
    values, errors = _by_distinct_value(prop, cells)
    return values, {**errors, **bad_text}


def text_problems(prop_name: str, cells: pd.Series) -> dict[int, str]:
    """``{position: reason}`` of cells holding control characters (or, in ids and names, line separators).

    Examples
    --------
    >>> list(text_problems("name", pd.Series(["甲公司", "乙" + chr(0) + "公司", None, "丙" + chr(0x2028)])))
    [1, 3]
    """
    pattern = CONTROL_CHARACTERS.pattern  # escapes both Python's re and Arrow's RE2 read
    if prop_name in NAMING_PROPERTIES:
        pattern = pattern[:-1] + "\\t\\n\\r\\x{2028}\\x{2029}]"
    hits = regex_mask(cells, pattern)
    if hits is None:  # cells that are not all text (a DataFrame's numbers): pandas' string methods
        pattern = pattern.replace("\\x{2028}\\x{2029}", "\u2028\u2029")
        hits = cells.astype("string").str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
    out = {}
    for pos in np.flatnonzero(hits):
        value = cells.iloc[pos]
        out[int(pos)] = f"{prop_name}: {_show(value)} {text_problem(prop_name, value)}"
    return out


def python_objects(arr) -> np.ndarray:
    """An Arrow array as a NumPy object array (``None`` for nulls); a column of few distinct values (sizes,
    industries, dates) shares one Python object per value instead of making one per cell.

    Examples
    --------
    >>> import pyarrow as pa
    >>> python_objects(pa.array(["小型", None, "小型"] * 400)).tolist()[:3]
    ['小型', None, '小型']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    text = pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)
    if text and (n < 1_000 or len(pc.unique(arr.slice(0, 1_000))) > 100):  # mostly distinct: one per cell
        return arr.to_numpy(zero_copy_only=False)
    encoded = pc.dictionary_encode(arr)
    values = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
    return values[encoded.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)]


def arrow_text(cells: pd.Series):
    """A column of text cells (``None`` for blanks) as an Arrow string array; ``None`` when some cell is not text.

    Examples
    --------
    >>> arrow_text(pd.Series(["甲", None])).to_pylist(), arrow_text(pd.Series([1, 2]))
    (['甲', None], None)
    """
    import pyarrow as pa

    try:
        return pa.array(cells.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def regex_mask(cells: pd.Series, pattern: str) -> np.ndarray | None:
    """Cells matching the RE2 ``pattern`` somewhere (blanks never), as Arrow kernels; ``None`` when not all text.

    Examples
    --------
    >>> regex_mask(pd.Series(["a1", "b", None]), "[0-9]").tolist()
    [True, False, False]
    """
    import pyarrow.compute as pc

    arr = arrow_text(cells)
    if arr is None:
        return None
    return pc.match_substring_regex(arr, pattern).fill_null(False).to_numpy(zero_copy_only=False).copy()


def refuse_bad_text(key: str, column: str, cells: pd.Series, report, rows, bad: np.ndarray) -> pd.Series:
    """Reject (in ``report`` and ``bad``) the rows whose cell holds control characters; those cells become blank."""
    problems = text_problems(key, cells)
    if not problems:
        return cells
    cells = cells.copy()
    for pos, reason in problems.items():
        report.reject(rows[pos], column, cells.iloc[pos], reason)
        bad[pos] = True
        cells.iloc[pos] = None
    return cells


def _out_of_range(prop: Property, cells: pd.Series, values: pd.Series) -> dict[int, str]:
    numbers = pd.to_numeric(values, errors="coerce")
    suspect = numbers.notna() & ~np.isfinite(numbers.astype(float))
    if prop.minimum is not None:
        suspect |= numbers < prop.minimum
    if prop.maximum is not None:
        suspect |= numbers > prop.maximum
    out = {}
    for pos in np.flatnonzero(suspect.to_numpy(dtype=bool)):
        problem = number_problem(prop, values.iloc[pos])
        if problem:
            out[int(pos)] = f"{prop.name} ({prop.title}): {_show(cells.iloc[pos])} {problem}"
    if out:
        values.iloc[list(out)] = None
    return out


_PLAIN_INT = r"^[+-]?[0-9]+$"
_PLAIN_FLOAT = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _plain_numbers(prop: Property, cells: pd.Series):
    """Arrow's cast when every cell is a plain number (the common case: ~20x faster than to_numeric)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_text(cells)
    if arr is None:
        return None
    integer = prop.range == "integer"
    plain = pc.match_substring_regex(arr, _PLAIN_INT if integer else _PLAIN_FLOAT)
    if pc.any(pc.invert(plain)).as_py():  # some cell needs cleaning or explaining
        return None
    try:
        values = pc.cast(arr, pa.int64() if integer else pa.float64())
    except (pa.ArrowInvalid, OverflowError):  # beyond 64 bits: the per-value path says which cell
        return None
    return pd.Series(values.to_pylist(), dtype=object), {}


def _numeric(prop: Property, cells: pd.Series):
    try:
        return _numeric_column(prop, cells)
    except (OverflowError, ValueError, TypeError):  # e.g. integers beyond 64 bits: explained cell by cell
        return None


def _numeric_column(prop: Property, cells: pd.Series):
    fast = _plain_numbers(prop, cells)
    if fast is not None:
        return fast
    text = cells.astype("string").str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    failed = numbers.isna() & cells.notna()
    if prop.range == "integer":
        if (numbers.abs() >= 2**63).any():
            return None  # beyond 64 bits: explained cell by cell
        fractional = numbers.notna() & (numbers % 1 != 0)
        if fractional.any() or failed.any():
            return None  # let the per-value path explain each bad cell
        out = pd.Series(numbers.astype("Int64").astype(object), dtype=object)
    else:
        if failed.any():
            return None
        out = pd.Series(numbers.astype(float).astype(object), dtype=object)
    return out.where(numbers.notna(), None), {}


def _iso_dates(cells: pd.Series) -> pd.Series | None:
    """Arrow's date parser when every cell is an ISO date (``2021-03-15``); ``None`` when some cell is not.

    Examples
    --------
    >>> _iso_dates(pd.Series(["2021-03-15", None])).tolist()
    [datetime.date(2021, 3, 15), None]
    >>> _iso_dates(pd.Series(["2021年3月"])) is None
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = arrow_text(cells)
    if arr is None:
        return None
    try:
        if not pc.all(pc.match_substring_regex(arr, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).as_py():
            return None
        return pd.Series(python_objects(pc.cast(arr, pa.date32())), dtype=object)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a day that does not exist: the per-value path explains it
        return None


def _by_distinct_value(prop: Property, cells: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    mapping: dict[Any, Any] = {}
    errors: dict[Any, str] = {}
    for value in pd.unique(cells.dropna()):
        try:
            mapping[value] = coerce(prop, value)
        except KGError as exc:
            errors[value] = str(exc)
    out = pd.Series([mapping.get(v) if v is not None else None for v in cells.tolist()], dtype=object)
    bad = {}
    if errors:
        for pos, v in enumerate(cells.tolist()):
            if v in errors:
                bad[pos] = errors[v]
    return out, bad


def convert_codes(cells: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    """Key columns: width-folded, ``.0`` dropped, scientific notation refused.

    Examples
    --------
    >>> convert_codes(pd.Series(["211102.0", "9.1E+17", None]))[1]
    {1: "'9.1E+17' was turned into a number by Excel and lost its digits; format the column as text and export again"}
    """
    cells = cells.reset_index(drop=True)
    # plain ASCII codes without spaces or dots are already what fix_code returns, unless they look like 9E17
    plain = _plain_codes(cells)
    out = cells.astype(object).where(plain, None)
    bad = {}
    for pos in np.flatnonzero((cells.notna() & ~plain).to_numpy()):
        v = cells.iloc[pos]
        if isinstance(v, float) and v != v:
            continue
        try:
            out.iloc[pos] = fix_code(v)
        except CodeError as exc:
            bad[int(pos)] = str(exc)
    return out.astype(object), bad


def _plain_codes(cells: pd.Series) -> np.ndarray:
    """Cells that are plain ASCII codes (letters, digits, ``_-/``) and not Excel's scientific notation."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(cells.astype(object).where(cells.notna(), None).tolist(), type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the cells: pandas' string methods
        as_text = cells.astype("string")
        plain = as_text.str.fullmatch(r"[0-9A-Za-z_\-/]+").fillna(False) & ~as_text.str.fullmatch(_SCI.pattern).fillna(
            False
        )
        return plain.to_numpy(dtype=bool)
    plain = pc.and_(
        pc.match_substring_regex(text, r"^[0-9A-Za-z_\-/]+$"), pc.invert(pc.match_substring_regex(text, _SCI.pattern))
    )
    return plain.fill_null(False).to_numpy(zero_copy_only=False)


#: whitespace other than single inner spaces (what ``str.split`` folds)
_ODD_SPACE = "[\t\n\r\f\v\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|  "


def clean_names(cells: pd.Series) -> pd.Series:
    """Display names as written, with outer spaces trimmed and inner runs of spaces collapsed.

    Width and bracket variants are kept as written (they become aliases of one
    node); identity comes from :func:`kg.normalise.name_key`.
    """
    cells = cells.astype(object).where(cells.notna(), None)
    odd = regex_mask(cells, f"{_ODD_SPACE}|^ | $")
    if odd is None:
        text = cells.astype("string")
        odd = text.str.contains(_ODD_SPACE, regex=True).fillna(False).to_numpy(dtype=bool)
        odd |= (text.str.startswith(" ") | text.str.endswith(" ")).fillna(False).to_numpy(dtype=bool)
    if odd.any():
        cells = cells.copy()
        cells[odd] = [" ".join(str(v).split()) for v in cells[odd]]
    return cells


def as_none(values: pd.Series) -> np.ndarray:
    """Object array with ``None`` for missing values (what the writers expect)."""
    arr = values.to_numpy(dtype=object)
    mask = pd.isna(values).to_numpy()
    arr[mask] = None
    return arr
