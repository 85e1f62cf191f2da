"""Excel sheets as grids of cells: .xlsx through openpyxl (read-only), .xls through xlrd.

Merged cells near the top (title rows, two-level headers) are filled from
their upper-left cell and returned, so the header logic can tell a
two-level header; a broken workbook is one :class:`~kg.errors.LoadError`.

Examples
--------
>>> grid = [["项目编号", "承担单位", None], [None, "名称", "地区"]]
>>> _fill_merged(grid, 0, 2, 0, 1, header_only=True); grid[1][0]
'项目编号'
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from kg.errors import LoadError

#: rows scanned for the header row (and for merged header cells)
HEADER_SCAN = 15


def excel_grid(path: Path, sheet: str | int | None, data: bytes | None = None, suffix: str = ".xlsx"):
    """Cells of a sheet, its name and its merged ranges near the top (0-based, end-exclusive)."""
    if suffix == ".xls":
        return _xls_grid(path, sheet, data)
    from openpyxl import load_workbook

    handle = io.BytesIO(data) if data is not None else path
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise LoadError(
            f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    try:
        names = book.sheetnames
        ws = book[_sheet_name(path, names, sheet)]
        if ws.max_row is not None and ws.max_row <= 1 and ws.max_column <= 1:
            ws.reset_dimensions()  # some exporters write a wrong <dimension> (A1): read what is there
        grid = [list(row) for row in ws.iter_rows(values_only=True)]
        title = ws.title
        merged = _merged_ranges(book, ws)
    finally:
        book.close()
    for r0, r1, c0, c1 in merged:
        _fill_merged(grid, r0, r1, c0, c1, header_only=True)
    return grid, title, merged


def _sheet_name(path: Path, names: list[str], sheet) -> str:
    if isinstance(sheet, str):
        if sheet not in names:
            raise LoadError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(names)}")
        return sheet
    if (sheet or 0) >= len(names):
        raise LoadError(f"{path}: no sheet number {sheet} (it has {len(names)}: {', '.join(names)})")
    return names[sheet or 0]


def _xls_grid(path: Path, sheet, data: bytes | None):
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise LoadError(f"{path}: reading .xls needs xlrd ({exc})") from None
    try:
        book = xlrd.open_workbook(str(path)) if data is None else xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd raises XLRDError, struct.error, AssertionError ... on broken files
        raise LoadError(
            f"{path}: not a readable .xls workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel and save it again as .xlsx"
        ) from None
    ws = book.sheet_by_name(_sheet_name(path, book.sheet_names(), sheet))
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
    merged = [m for m in ws.merged_cells if m[0] < HEADER_SCAN]
    for r0, r1, c0, c1 in merged:
        _fill_merged(grid, r0, r1, c0, c1, header_only=True)
    return grid, ws.name, merged


def _merged_ranges(book, ws) -> list[tuple[int, int, int, int]]:
    """Merged cell ranges near the top of a read-only sheet (0-based, end-exclusive), from its XML."""
    from openpyxl.utils.cell import range_boundaries

    try:
        xml = book._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError):  # pragma: no cover - openpyxl internals moved
        return []
    tail = xml[xml.rfind(b"</sheetData>") :] if b"</sheetData>" in xml else xml
    out = []
    for ref in re.findall(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', tail):
        c0, r0, c1, r1 = range_boundaries(ref.decode())
        if r0 <= HEADER_SCAN:
            out.append((r0 - 1, r1, c0 - 1, c1))
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


__all__ = ["HEADER_SCAN", "excel_grid"]
