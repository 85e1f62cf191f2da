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

import codecs
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from kg.errors import LoadError

#: file suffixes each reader takes
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | EXCEL_SUFFIXES | JSON_SUFFIXES
#: rows scanned for the header row
HEADER_SCAN = 15


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

    @property
    def headers(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def read_table(
    source,
    *,
    is_header: Callable[[str], bool] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    header: bool = True,
    columns: Sequence[str] | None = None,
) -> Table:
    """Read a file or DataFrame into a :class:`Table`.

    Parameters
    ----------
    source
        Path of a .csv/.tsv/.txt, .xlsx/.xls, .json/.jsonl file, or a DataFrame.
    is_header
        Tells whether a cell text is a known column name; used to find the
        header row below title rows (the row with most known names wins).
    sheet
        Excel sheet name or index (default: the first).
    encoding
        Force a text encoding (default: detected: BOM, UTF-8, GB18030).
    header
        ``False`` for a source without a header row; then ``columns`` names
        the columns (``列1``, ``列2`` ... when not given).
    """
    if isinstance(source, pd.DataFrame):
        frame = source.astype(object).where(source.notna(), None).reset_index(drop=True)
        frame.columns = [str(c) for c in frame.columns]
        frame = frame.map(_cell).astype(object) if len(frame) else frame
        frame = frame.where(frame.notna(), None)
        keep = frame.notna().any(axis=1).to_numpy() if len(frame.columns) else []
        rows = [i + 2 for i, k in enumerate(keep) if k]
        return _finish(Table("<DataFrame>", frame[keep].reset_index(drop=True) if len(rows) < len(frame) else frame, rows))
    path = Path(source)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.is_dir():
        raise LoadError(f"{path} is a folder; give the files (or use load_folder)")
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return _finish(_read_json(path, encoding))
    if suffix in EXCEL_SUFFIXES:
        grid, sheet_name = _excel_grid(path, sheet)
        enc = None
    elif suffix in TEXT_SUFFIXES or not suffix:
        grid, enc = _text_grid(path, encoding)
        sheet_name = None
    else:
        raise LoadError(f"{path}: unknown file type {suffix!r}; use one of {', '.join(sorted(SUFFIXES))}")
    table = _grid_to_table(str(path), grid, is_header, header, columns)
    table.encoding, table.sheet = enc, sheet_name
    return _finish(table)


# ----------------------------------------------------------------- text files
def detect_encoding(raw: bytes) -> str:
    """Encoding of a text file: from its BOM, else UTF-8 if it decodes, else GB18030.

    Examples
    --------
    >>> detect_encoding("企业".encode("gbk")), detect_encoding("企业".encode("utf-8-sig"))
    ('gb18030', 'utf-8-sig')
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3:  # a multi-byte character cut by the sample's end
            return "utf-8"
    try:
        raw.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise LoadError("cannot tell the text encoding (not UTF-8, UTF-16 or GB18030); save the file as UTF-8") from None


def _text_grid(path: Path, encoding: str | None) -> tuple[list[list] | pd.DataFrame, str]:
    raw = path.read_bytes()
    if not raw.strip():
        return [], encoding or "utf-8"
    try:
        enc = encoding or detect_encoding(raw)
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise LoadError(f"{path}: cannot decode as {encoding or 'UTF-8/GB18030'} ({exc}); pass --encoding") from None
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from None
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(path, text)
    frame = _read_regular(text, delimiter) if _regular(text, delimiter) else None
    if frame is not None:
        return frame, enc
    # ragged rows (title rows have fewer cells): the csv module takes them as they are
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)], enc


def _has_blank_line(text: str) -> bool:
    """True when an empty line sits before the last record (trailing ones do not shift row numbers)."""
    body = text.rstrip("\r\n")
    return body.startswith(("\n", "\r\n")) or "\n\n" in body or "\n\r\n" in body


def _read_regular(text: str, delimiter: str) -> pd.DataFrame:
    """All cells of a regular delimited text as strings (row i of the frame is record i of the text).

    pyarrow's multithreaded reader is about 7x faster than pandas' C parser; it
    drops blank lines, which would shift the row numbers problems point at, so
    a text with empty lines (or one pyarrow refuses: lines of spaces, ragged rows) goes through the C parser.
    """
    if not _has_blank_line(text):
        try:
            return pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=delimiter, header=None, dtype=str,
                               keep_default_na=False, engine="pyarrow")
        except Exception:  # noqa: BLE001 - any refusal falls back to the C parser, which reports properly
            pass
    return pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                       skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL, on_bad_lines="error")


def _delimiter(path: Path, text: str) -> str:
    if path.suffix.lower() in {".tsv", ".tab"}:
        return "\t"
    sample = "\n".join(text.splitlines()[:HEADER_SCAN])
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _regular(text: str, delimiter: str) -> bool:
    """True when the first lines have the same number of cells (pandas' fast path applies)."""
    lines = [line for line in text.splitlines()[:HEADER_SCAN] if line.strip()]
    widths = {len(next(csv.reader([line], delimiter=delimiter))) for line in lines}
    return len(widths) <= 1


# ------------------------------------------------------------------- Excel
def _excel_grid(path: Path, sheet: str | int | None) -> tuple[list[list], str]:
    if path.suffix.lower() == ".xls":
        try:
            import xlrd
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise LoadError(f"{path}: reading .xls needs xlrd ({exc})") from None
        book = xlrd.open_workbook(str(path))
        ws = book.sheet_by_name(sheet) if isinstance(sheet, str) else book.sheet_by_index(sheet or 0)
        grid = []
        for r in range(ws.nrows):
            row = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    row.append(cell.value)
            grid.append(row)
        for r0, r1, c0, c1 in ws.merged_cells:
            _fill_merged(grid, r0, r1, c0, c1, header_only=True)
        return grid, ws.name
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise LoadError(f"{path}: not a readable Excel workbook ({exc})") from None
    try:
        names = book.sheetnames
        if isinstance(sheet, str):
            if sheet not in names:
                raise LoadError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(names)}")
            ws = book[sheet]
        else:
            ws = book[names[sheet or 0]]
        grid = [list(row) for row in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        book.close()
    merged = _merged_ranges(path, title) if len(grid) < 200_000 else []
    for r0, r1, c0, c1 in merged:
        _fill_merged(grid, r0, r1, c0, c1, header_only=True)
    return grid, title


def _merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    """Merged cell ranges near the top of a sheet (0-based, end-exclusive)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=False, data_only=True)
    except Exception:  # pragma: no cover - already opened once
        return []
    ws = book[sheet]
    out = [(m.min_row - 1, m.max_row, m.min_col - 1, m.max_col) for m in ws.merged_cells.ranges if m.min_row <= HEADER_SCAN]
    book.close()
    return out


def _fill_merged(grid: list[list], r0: int, r1: int, c0: int, c1: int, header_only: bool) -> None:
    if header_only and r0 >= HEADER_SCAN:
        return
    if r0 >= len(grid):
        return
    value = grid[r0][c0] if c0 < len(grid[r0]) else None
    for r in range(r0, min(r1, len(grid))):
        row = grid[r]
        row.extend([None] * (c1 - len(row)))
        for c in range(c0, c1):
            if row[c] is None or row[c] == "":
                row[c] = value


# ------------------------------------------------------------------ JSON
def _read_json(path: Path, encoding: str | None) -> Table:
    raw = path.read_bytes()
    text = raw.decode(encoding or detect_encoding(raw)).lstrip("\ufeff")
    records, rows = [], []
    if path.suffix.lower() in {".jsonl", ".ndjson"} or (text.lstrip()[:1] == "{" and "\n{" in text):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise LoadError(f"{path}: line {n} is not JSON ({exc.msg})") from None
                rows.append(n)
    elif text.strip():
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoadError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
        if isinstance(data, dict):  # {"rows": [...]} or {"data": [...]}
            lists = [v for v in data.values() if isinstance(v, list)]
            data = lists[0] if len(lists) == 1 else [data]
        records = list(data)
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
def _grid_to_table(source: str, grid, is_header, header: bool, columns) -> Table:
    if isinstance(grid, pd.DataFrame):
        return _frame_to_table(source, grid, is_header, header, columns)
    grid = [[_cell(v) for v in row] for row in grid]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [None] * (width - len(r)) for r in grid]
    if not header:
        names = list(columns) if columns else [f"列{i + 1}" for i in range(width)]
        if len(names) < width:
            names += [f"列{i + 1}" for i in range(len(names), width)]
        body = [(i + 1, r) for i, r in enumerate(grid)]
        return _table(source, names[:width] if width else names, body, header_row=0)
    h = find_header_row(grid, is_header)
    if h is None:
        return Table(source, pd.DataFrame(), [], header_row=0)
    names, first_data, notes = _header_names(grid, h, is_header)
    body = [(i + 1, grid[i]) for i in range(first_data, len(grid))]
    table = _table(source, names, body, header_row=h + 1)
    table.notes += notes
    return table


def _frame_to_table(source: str, raw: pd.DataFrame, is_header, header: bool, columns) -> Table:
    """Fast path for large regular text files: vectorised trimming, same header logic."""
    head = [[_cell(v) for v in row] for row in raw.head(HEADER_SCAN + 2).to_numpy(dtype=object).tolist()]
    if header:
        h = find_header_row(head, is_header)
        if h is None:
            return Table(source, pd.DataFrame(), [], header_row=0)
        names, first_data, notes = _header_names(head, h, is_header)
    else:
        width = raw.shape[1]
        names = list(columns or [])[:width] + [f"列{i + 1}" for i in range(len(columns or []), width)]
        h, first_data, notes = -1, 0, []
    body = raw.iloc[first_data:]
    body = body.apply(lambda col: col.str.strip()).astype(object)
    body = body.where(body.notna() & (body != ""), None)
    keep = body.notna().any(axis=1).to_numpy()
    body = body[keep]
    rows = (body.index.to_numpy() + 1).tolist()
    body = body.reset_index(drop=True).astype(object)
    body.columns = names
    table = Table(source, body, rows, header_row=h + 1)
    table.notes += notes
    return table


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


def _header_names(grid: list[list], h: int, is_header) -> tuple[list[str], int, list[str]]:
    """Column names from row ``h``, merging a second header row below it when there is one."""
    top = list(grid[h])
    notes = []
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
    return names, first_data, notes


def _table(source: str, names: list[str], body: list[tuple[int, list]], header_row: int) -> Table:
    kept = [(n, r) for n, r in body if any(v is not None for v in r)]
    frame = pd.DataFrame([r for _, r in kept], columns=names, dtype=object) if kept else pd.DataFrame(columns=names)
    return Table(source, frame, [n for n, _ in kept], header_row=header_row)


def _finish(table: Table) -> Table:
    if table.frame.columns.duplicated().any():
        raise LoadError(f"{table.source}: duplicate column names {list(table.frame.columns[table.frame.columns.duplicated()])}")
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
