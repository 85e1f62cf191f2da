"""Read a source as it is: CSV/TSV in any common encoding, Excel, JSON, DataFrames.

Every reader returns a :class:`Table`: the cells as text (``None`` for a
blank), the header the user wrote, and for each data row the row number
the user sees in Excel or a text editor, so problems can point at the
exact cell.  Title rows above the header (「2023年度高新技术企业名单」), merged
header cells, two-level headers and blank rows are handled here.

Examples
--------
>>> import pandas as pd
>>> t = read_table(pd.DataFrame({"企业名称": ["甲公司", None]}))
>>> t.headers, t.rows, t.frame.iloc[0, 0]
(['企业名称'], [2], '甲公司')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kg.errors import LoadError
from kg.loaders.columns import python_objects
from kg.loaders.containers import (
    EXCEL_SUFFIXES,
    JSON_SUFFIXES,
    SUFFIXES,
    TEXT_SUFFIXES,
    detect_encoding,
    open_source,
)
from kg.loaders.excel import HEADER_SCAN, excel_grid
from kg.loaders.textfiles import check_widths, null_kernel, null_mask, null_tokens, parse_records, sniff_delimiter

#: the characters ``str.strip()`` removes (Unicode White_Space), for Arrow's trim
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@dataclass
class Table:
    """Cells of one source as text, with the user's row numbers.

    ``frame`` has one column per header (as written), object dtype, blanks as
    ``None``; ``rows[i]`` is the 1-based row number of ``frame.iloc[i]`` in the
    source; ``header_row`` is the row number of the header (0: none).
    """

    source: str
    frame: pd.DataFrame
    rows: list[int]
    header_row: int = 1
    encoding: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    #: rows that could not be read: ``(row, column, value, reason)``
    rejects: list = field(default_factory=list)
    #: null tokens already blanked (the Arrow fast path)
    nulls_applied: bool = False

    @property
    def headers(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def read_table(
    source,
    *,
    is_header: Callable[[str], bool] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    header: bool | int = True,
    columns: Sequence[str] | None = None,
    delimiter: str | None = None,
    quote: str | None = None,
    nulls: Sequence[str] | None = None,
    member: str | None = None,
    bad_rows: str = "error",
) -> Table:
    """Read a file or DataFrame into a :class:`Table`.

    Parameters
    ----------
    source
        Path of a .csv/.tsv/.txt, .xlsx/.xls, .json/.jsonl file, or a DataFrame;
        any of them may be compressed (``.csv.gz``) or inside a ``.zip``.
    is_header
        Tells whether a cell text is a known column name; used to find the
        header row below title rows (the row with most known names wins).
    sheet
        Excel sheet name or index (default: the first).
    encoding
        Force a text encoding (default: detected: BOM, UTF-8, GB18030).
    header
        ``False`` for a source without a header row; then ``columns`` names
        the columns (``列1``, ``列2`` ... when not given).  A number is the
        1-based row of the header (rows above it are skipped).
    delimiter, quote
        Of a delimited text (default: the delimiter giving consistent rows, ``"``).
    nulls
        Cell texts read as blanks (default: :data:`loaders.textfiles.DEFAULT_NULLS`
        and cells made only of dashes); ``[]`` keeps every text.
    member
        The file to read inside a ``.zip`` (default: its only table).
    bad_rows
        ``"error"``: a text row with a quote never closed or the wrong number of
        cells refuses the file; ``"reject"``: such rows are left out and listed
        in ``Table.rejects``.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.astype(object).where(source.notna(), None).reset_index(drop=True)
        frame.columns = [str(c) for c in frame.columns]
        frame = frame.map(_cell).astype(object) if len(frame) else frame
        frame = frame.where(frame.notna(), None)
        keep = frame.notna().any(axis=1).to_numpy() if len(frame.columns) else []
        rows = [i + 2 for i, k in enumerate(keep) if k]
        return _finish(
            Table("<DataFrame>", frame[keep].reset_index(drop=True) if len(rows) < len(frame) else frame, rows)
        )
    path = Path(source)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.is_dir():
        raise LoadError(f"{path} is a folder; give the files (or use load_folder)")
    data, suffix = open_source(path, member)
    if suffix in JSON_SUFFIXES:
        return _finish(_read_json(path, encoding, data, suffix), nulls)
    rejects: list = []
    lines = None
    if suffix in EXCEL_SUFFIXES:
        grid, sheet_name, merged = excel_grid(path, sheet, data, suffix)
        enc = None
    elif suffix in TEXT_SUFFIXES or not suffix:
        grid, enc, lines, rejects = _text_grid(path, encoding, data, suffix, delimiter, quote or '"', bad_rows)
        sheet_name, merged = None, []
    else:
        raise LoadError(
            f"{path}: unknown file type {suffix!r}; use one of {', '.join(sorted(SUFFIXES))} "
            "(also compressed as .gz or inside a .zip)"
        )
    table = _grid_to_table(
        str(path), grid, is_header, header, columns, lines=lines, merged=merged, bad_rows=bad_rows, nulls=nulls
    )
    table.encoding, table.sheet = enc, sheet_name
    table.rejects = rejects + table.rejects
    return _finish(table, [] if table.nulls_applied else nulls)


def _text_grid(
    path: Path, encoding: str | None, data: bytes | None, suffix: str, delimiter: str | None, quote: str, bad_rows: str
):
    """Cells of a delimited text: a DataFrame (regular rows, fast path) or a grid with the line of each record."""
    raw = path.read_bytes() if data is None else data
    if not raw.strip():
        return [], encoding or "utf-8", None, []
    try:
        enc = encoding or detect_encoding(raw)
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise LoadError(f"{path}: cannot decode as {encoding or 'UTF-8/GB18030'} ({exc}); pass --encoding") from None
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from None
    text = text.lstrip("\ufeff")
    delimiter = choose_delimiter(text, suffix, delimiter, quote)
    if len(delimiter) != 1 or len(quote) != 1:
        raise LoadError(f"{path}: delimiter {delimiter!r} and quote {quote!r} must be one character each")
    if quote == '"' and _regular(text, delimiter):
        frame = _read_fast(text, delimiter)
        if frame is not None:
            return frame, enc, None, []
    # title rows, ragged or multi-line records: read record by record, strictly
    records, lines, rejects = parse_records(text, delimiter, quote, str(path), bad_rows)
    return records, enc, lines, rejects


def choose_delimiter(text: str, suffix: str, delimiter: str | None, quote: str) -> str:
    """The delimiter of a text: the one given (``\\t`` and ``tab`` spelled out), a tab for ``.tsv``/``.tab``,
    else the one giving consistent field counts (:func:`~kg.loaders.textfiles.sniff_delimiter`).

    Examples
    --------
    >>> choose_delimiter("a;b\\n1;2\\n", ".csv", None, '"'), choose_delimiter("", ".csv", "tab", '"')
    (';', '\\t')
    """
    if delimiter is None:
        return "\t" if suffix in {".tsv", ".tab"} else sniff_delimiter(text, quote)
    return "\t" if delimiter in ("\\t", "tab", "TAB") else delimiter


def _read_fast(text: str, delimiter: str):
    """All cells of a regular delimited text, trimmed, blanks null: an Arrow table (pyarrow's reader and kernels).

    pyarrow drops blank lines, which would shift the row numbers problems point
    at, and refuses ragged rows, quotes left open and line breaks inside cells:
    all of those go record by record instead (``None``).

    Examples
    --------
    >>> _read_fast('名称,规模\\n" 甲公司 ",\\n乙,小型\\n', ",").to_pylist()[1]
    {'c0': '甲公司', 'c1': None}
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if _has_blank_line(text):
        return None
    first = text[: text.find("\n")] if "\n" in text else text
    names = [f"c{i}" for i in range(len(next(csv.reader([first], delimiter=delimiter), [])))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, null_values=[]
            ),
        )
    except Exception:  # any refusal goes through the strict reader, which reports properly
        return None
    return trim_cells(table)


def trim_cells(table):
    """Every cell of an Arrow table of text trimmed as ``str.strip()`` trims, empty cells null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    blank = pa.scalar(None, pa.string())
    trimmed = [pc.utf8_trim(c, characters=SPACES) for c in table.columns]
    return pa.table([pc.if_else(pc.equal(c, ""), blank, c) for c in trimmed], names=table.column_names)


def _has_blank_line(text: str) -> bool:
    """True when an empty line sits before the last record (trailing ones do not shift row numbers)."""
    body = text.rstrip("\r\n")
    return body.startswith(("\n", "\r\n")) or "\n\n" in body or "\n\r\n" in body


def _regular(text: str, delimiter: str) -> bool:
    """True when the first lines have the same number of cells (pandas' fast path applies)."""
    lines = [line for line in text.splitlines()[:HEADER_SCAN] if line.strip()]
    widths = {len(next(csv.reader([line], delimiter=delimiter))) for line in lines}
    return len(widths) <= 1


# ------------------------------------------------------------------ JSON
def _read_json(path: Path, encoding: str | None, data: bytes | None = None, suffix: str = ".json") -> Table:
    raw = path.read_bytes() if data is None else data
    text = raw.decode(encoding or detect_encoding(raw)).lstrip("\ufeff")
    records: list[Any] = []
    rows: list[int] = []
    if suffix in {".jsonl", ".ndjson"} or (text.lstrip()[:1] == "{" and "\n{" in text):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise LoadError(f"{path}: line {n} is not JSON ({exc.msg})") from None
                rows.append(n)
    elif text.strip():
        try:
            parsed: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoadError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
        if isinstance(parsed, dict):  # {"rows": [...]} or {"data": [...]}
            lists = [v for v in parsed.values() if isinstance(v, list)]
            parsed = lists[0] if len(lists) == 1 else [parsed]
        records = list(parsed)
        rows = list(range(1, len(records) + 1))
    bad = [i for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise LoadError(f"{path}: record {rows[bad[0]]} is not an object with named fields")
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    if len(frame):
        frame = frame.astype(object).where(frame.notna(), None).map(_cell).astype(object)
        frame = frame.where(frame.notna(), None)
    return Table(str(path), frame, rows, header_row=0)


# ----------------------------------------------------------- grid -> table
def _grid_to_table(
    source: str, grid, is_header, header, columns, *, lines=None, merged=(), bad_rows="error", nulls=None
) -> Table:
    if not isinstance(grid, list):  # an Arrow table (_read_fast)
        return _arrow_to_table(source, grid, is_header, header, columns, nulls)
    grid = [[_cell(v) for v in row] for row in grid]
    is_text = lines is not None
    lines = lines or list(range(1, len(grid) + 1))
    if not header:
        width = max((len(r) for r in grid), default=0)
        names = list(columns) if columns else [f"列{i + 1}" for i in range(width)]
        if len(names) < width:
            names += [f"列{i + 1}" for i in range(len(names), width)]
        grid = [r + [None] * (width - len(r)) for r in grid]
        body = list(zip(lines, grid))
        return _table(source, names[:width] if width else names, body, header_row=0)
    if header is not True:  # the header's row number
        h = next((i for i, n in enumerate(lines) if n >= int(header)), None)
    else:
        h = find_header_row(grid, is_header)
    if h is None:
        return Table(source, pd.DataFrame(), [], header_row=0)
    width = len(grid[h])
    while is_text and width > 1 and grid[h][width - 1] is None:  # a trailing delimiter on the header too
        if any(len(r) >= width and r[width - 1] is not None for r in grid[h + 1 : h + 50]):
            break
        width -= 1
    grid[h] = grid[h][:width]
    rejects: list = []
    trailing = False
    if is_text:  # every data row must have the header's cells
        grid, lines, rejects, trailing = check_widths(
            grid, lines, h + 1, width, source, [str(v) for v in grid[h]], bad_rows
        )
    grid = [r[:width] + [None] * (width - len(r)) for r in grid]
    names, first_data, notes = _header_names(grid, h, is_header, merged)
    body = list(zip(lines[first_data:], grid[first_data:]))
    table = _table(source, names, body, header_row=lines[h])
    table.notes += notes
    if trailing:
        table.notes.append("a trailing delimiter on every row was dropped")
    table.rejects = rejects
    return table


def _arrow_to_table(source: str, raw, is_header, header: bool, columns, nulls) -> Table:
    """Fast path for large regular text files (cells trimmed by :func:`_read_fast`): same header logic,
    null tokens blanked and blank rows dropped as Arrow kernels, then one object column per sheet column."""
    found = arrow_header(raw, is_header, header, columns)
    if found is None:
        return Table(source, pd.DataFrame(), [], header_row=0)
    names, h, first_data, notes = found
    table = arrow_body(source, raw.slice(first_data), names, nulls, first_row=first_data + 1)
    table.header_row = h + 1
    table.notes += notes
    return table


def arrow_header(raw, is_header, header: bool | int, columns) -> tuple[list[str], int, int, list[str]] | None:
    """The column names of trimmed text cells (an Arrow table), the header's index, the first data row's
    index and notes; ``None`` when no header row is found."""
    head = [[_cell(v) for v in row.values()] for row in raw.slice(0, HEADER_SCAN + 2).to_pylist()]
    if header is not True and header:
        h = int(header) - 1
        names, first_data, notes = _header_names(head, h, is_header)
    elif header:
        found = find_header_row(head, is_header)
        if found is None:
            return None
        h = found
        names, first_data, notes = _header_names(head, h, is_header)
    else:
        width = raw.num_columns
        names = list(columns or [])[:width] + [f"列{i + 1}" for i in range(len(columns or []), width)]
        h, first_data, notes = -1, 0, []
    return names, h, first_data, notes


def arrow_body(source: str, body, names: list[str], nulls, first_row: int) -> Table:
    """A :class:`Table` of trimmed data cells (an Arrow table, one column per name) whose first row is the
    source's row ``first_row``: null tokens blanked and blank rows dropped as Arrow kernels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    applied = nulls is None or len(nulls) == 0 or isinstance(nulls, dict) or all(isinstance(t, str) for t in nulls)
    cells = []
    for name, col in zip(names, body.columns):
        tokens, dashes = null_tokens(nulls, name)
        mask = null_kernel(col, tokens, dashes) if applied and (tokens or dashes) else None
        if mask is None and tokens and applied:  # a token that is not text: null_mask on the frame instead
            applied = False
        cells.append(col if mask is None else pc.if_else(mask, pa.scalar(None, pa.string()), col))
    keep = np.zeros(body.num_rows, dtype=bool)
    for col in cells:
        keep |= col.is_valid().to_numpy(zero_copy_only=False)
    rows = (np.flatnonzero(keep) + first_row).tolist()
    where = pa.array(keep)
    frame = pd.DataFrame({i: python_objects(pc.filter(col, where)) for i, col in enumerate(cells)}, dtype=object)
    frame.columns = names
    return Table(source, frame, rows, nulls_applied=applied)


def find_header_row(grid: list[list], is_header=None) -> int | None:
    """Index of the header row: the row among the first few with most known column names.

    Without ``is_header`` (or when no row has a known name), the first row
    with at least two filled cells and no more blanks than filled cells.

    Examples
    --------
    >>> grid = [["2023年度高新技术企业名单", None, None], ["序号", "企业名称", "所在区县"], ["1", "甲", "乙"]]
    >>> find_header_row(grid, lambda h: h in {"企业名称", "所在区县"})
    1
    """
    scan = grid[:HEADER_SCAN]
    if is_header is not None:
        scores = [sum(1 for v in row if v is not None and is_header(str(v))) for row in scan]
        if scores and max(scores) > 0:
            return scores.index(max(scores))
    for i, row in enumerate(scan):
        filled = sum(1 for v in row if v is not None)
        if filled >= 2 and filled >= len(row) - filled:
            return i
    for i, row in enumerate(scan):
        if any(v is not None for v in row):
            return i
    return None


def _header_names(grid: list[list], h: int, is_header, merged=()) -> tuple[list[str], int, list[str]]:
    """Column names from row ``h``, merging a second header row below it when there is one.

    A second header row is told by known names below unknown ones, or (Excel)
    by merged cells: an upper cell merged down over both rows, or across
    several columns above the sub-headers.
    """
    top = list(grid[h])
    notes = []
    two_level = h + 1 < len(grid) and any(
        r0 == h and ((r1 - r0 >= 2) or (r1 - r0 == 1 and c1 - c0 >= 2)) for r0, r1, c0, c1 in merged
    )
    if two_level:
        below = grid[h + 1]
        names = []
        for c, v in enumerate(top):
            sub = below[c] if c < len(below) else None
            known = is_header is not None and is_header(str(sub))
            names.append(str(v) if sub in (None, v) else (str(sub) if v is None or known else f"{v}{sub}"))
        notes.append(f"two header rows ({h + 1} and {h + 2}) combined")
        return _unique_names(names), h + 2, notes
    for c in range(1, len(top)):  # horizontally merged cells leave blanks right of the text
        if top[c] is None and h + 1 < len(grid) and grid[h + 1][c] is not None and top[c - 1] is not None:
            top[c] = top[c - 1]
    names = [str(v) if v is not None else "" for v in top]
    first_data = h + 1
    if is_header is not None and h + 1 < len(grid):
        below = grid[h + 1]
        known_below = [c for c, v in enumerate(below) if v is not None and is_header(str(v))]
        if known_below and any(not is_header(names[c]) for c in known_below):
            for c, v in enumerate(below):
                if v is not None and (is_header(str(v)) or not is_header(names[c])):
                    names[c] = str(v) if is_header(str(v)) or not names[c] else f"{names[c]}{v}"
            first_data = h + 2
            notes.append(f"two header rows ({h + 1} and {h + 2}) combined")
    return _unique_names(names), first_data, notes


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for c, n in enumerate(names):
        if not n:
            n = f"列{c + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        else:
            seen[n] = 0
        names[c] = n
    return names


def _table(source: str, names: list[str], body: list[tuple[int, list]], header_row: int) -> Table:
    kept = [(n, r) for n, r in body if any(v is not None for v in r)]
    frame = pd.DataFrame([r for _, r in kept], columns=names, dtype=object) if kept else pd.DataFrame(columns=names)
    return Table(source, frame, [n for n, _ in kept], header_row=header_row)


def _finish(table: Table, nulls=None) -> Table:
    if len(table.frame) and len(table.frame.columns) and (nulls is None or len(nulls)):
        mask = null_mask(table.frame, nulls)
        if mask.to_numpy().any():
            frame = table.frame.mask(mask, None).astype(object)
            frame = frame.where(frame.notna(), None)
            keep = frame.notna().any(axis=1).to_numpy()
            if not keep.all():
                frame = frame[keep].reset_index(drop=True)
                table.rows = [r for r, k in zip(table.rows, keep) if k]
            table.frame = frame
    if table.frame.columns.duplicated().any():
        raise LoadError(
            f"{table.source}: duplicate column names {list(table.frame.columns[table.frame.columns.duplicated()])}"
        )
    return table


def _cell(v):
    """One cell as text: numbers without Excel's ``.0``, dates as ISO, blanks as None."""
    if v is None:
        return None
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v != v:
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "；".join(str(x) for x in v if x is not None) or None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)
