"""Big regular text files read in bounded chunks: the cells of one chunk at a time, never the whole file.

A delimited text file of at least :data:`STREAM_BYTES` (plain or ``.gz``/``.bz2``/``.xz``) whose first
lines are regular (the same number of cells on every line, no blank line) is read by pyarrow's streaming
CSV reader, :data:`CHUNK_ROWS` rows at a time.  Each chunk becomes a :class:`~kg.loaders.sources.Table`
with the same headers and the source's own row numbers, trimmed and blanked exactly as a whole-file read
would.  A file that turns out irregular further down (a ragged row, a blank line, bytes that are not in its
encoding) raises :class:`NotStreamable` when its chunk is reached: the caller then reads it whole, record
by record where needed, which names the line (nothing is written before every chunk is read).

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "firms.csv"
>>> _ = path.write_text("企业名称,职工人数\\n甲公司, 12\\n乙公司,\\n丙公司,7\\n", encoding="utf-8")
>>> chunks = stream_table(path, chunk_rows=2, min_bytes=0)
>>> [(t.headers, t.rows, t.frame.values.tolist()) for t in chunks]
[(['企业名称', '职工人数'], [2], [['甲公司', '12']]), (['企业名称', '职工人数'], [3, 4], [['乙公司', None], ['丙公司', '7']])]
"""

from __future__ import annotations

import csv
import lzma
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from kg.loaders.containers import TEXT_SUFFIXES, compressed_opener, detect_encoding
from kg.loaders.sources import (
    Table,
    _finish,
    _has_blank_line,
    _regular,
    arrow_body,
    arrow_header,
    choose_delimiter,
    trim_cells,
)

#: files at least this large (bytes on disk) are read in chunks
STREAM_BYTES = 32 << 20
#: data rows per chunk (about 100-300 MB of cells as Python text while a chunk is checked)
CHUNK_ROWS = 500_000
#: bytes read first to tell the encoding, the delimiter and whether the lines are regular
SAMPLE_BYTES = 1 << 20


class NotStreamable(Exception):
    """The file cannot be read in chunks (found irregular after its first lines): read it whole."""


def stream_table(
    path,
    *,
    is_header: Callable[[str], bool] | None = None,
    encoding: str | None = None,
    header: bool | int = True,
    columns=None,
    delimiter: str | None = None,
    quote: str | None = None,
    nulls=None,
    chunk_rows: int | None = None,
    min_bytes: int | None = None,
) -> Iterator[Table] | None:
    """The chunks of a big regular text file as :class:`Table` objects, or ``None`` when it is read whole.

    Parameters are those of :func:`kg.loaders.sources.read_table`; ``chunk_rows`` sets the rows per chunk and
    ``min_bytes`` the smallest file streamed (default :data:`CHUNK_ROWS`, :data:`STREAM_BYTES`).  Iterating
    may raise :class:`NotStreamable`.
    """
    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    min_bytes = STREAM_BYTES if min_bytes is None else min_bytes
    path = Path(path)
    if quote not in (None, '"') or not path.is_file() or path.stat().st_size < min_bytes:
        return None
    suffix = path.suffix.lower()
    compressed = compressed_opener(suffix)
    opener = compressed or open
    inner = Path(path.stem).suffix.lower() if compressed else suffix
    if inner not in TEXT_SUFFIXES:
        return None
    try:
        with opener(path, "rb") as handle:
            sample = handle.read(SAMPLE_BYTES + 1)
    except (OSError, EOFError, lzma.LZMAError):
        return None  # the whole-file reader says what is wrong with it
    if len(sample) > SAMPLE_BYTES:  # whole lines only, so a character is never cut in two
        sample = sample[: sample.rfind(b"\n") + 1]
    try:
        enc = encoding or detect_encoding(sample)
        text = sample.decode(enc).lstrip("\ufeff")
    except Exception:  # an unknown or wrong encoding: the whole-file reader words the error
        return None
    delimiter = choose_delimiter(text, inner, delimiter, '"')
    if len(delimiter) != 1 or not text.strip() or not _regular(text, delimiter) or _has_blank_line(text):
        return None
    width = len(next(csv.reader([text.splitlines()[0]], delimiter=delimiter)))
    options = dict(is_header=is_header, header=header, columns=columns, nulls=nulls, chunk_rows=chunk_rows)
    return _chunks(path, lambda: opener(path, "rb"), enc, delimiter, width, options)


def _chunks(path: Path, open_: Callable[[], IO[bytes]], enc: str, delimiter: str, width: int, options: dict):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    arrow_enc = "utf8" if enc.replace("-", "").lower() in ("utf8", "utf8sig") else enc
    with open_() as handle:
        if arrow_enc == "utf8" and handle.read(3) != b"\xef\xbb\xbf":  # a byte-order mark is skipped
            handle.seek(0)
        try:
            reader = pacsv.open_csv(
                handle,
                read_options=pacsv.ReadOptions(column_names=names, block_size=8 << 20, encoding=arrow_enc),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, null_values=[]
                ),
            )
        except Exception as exc:
            raise NotStreamable(f"{path}: {exc}") from None
        consumed, head = 0, None
        size = options["chunk_rows"]
        pending = pa.Table.from_batches([], schema=reader.schema)
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except Exception as exc:  # ragged, a blank line, a broken character
                raise NotStreamable(f"{path}: {str(exc)[:200]}") from None
            pending = pa.concat_tables([pending, pa.Table.from_batches([batch])])
            while pending.num_rows >= size:
                raw, pending = trim_cells(pending.slice(0, size)), pending.slice(size)
                table, head = _table(path, raw, consumed, head, enc, options)
                consumed += raw.num_rows
                yield table
        if pending.num_rows or head is None:
            yield _table(path, trim_cells(pending), consumed, head, enc, options)[0]


def _table(path: Path, raw, consumed: int, head, enc: str, options: dict) -> tuple[Table, Any]:
    """One chunk as a :class:`Table`; ``head`` (names, header index) comes from the first chunk."""
    first = head is None
    if first:
        found = arrow_header(raw, options["is_header"], options["header"], options["columns"])
        if found is None:
            raise NotStreamable(f"{path}: no header row found in the first lines")
        names, h, first_data, notes = found
        head = (names, h)
    else:
        (names, h), first_data, notes = head, 0, []
    table = arrow_body(str(path), raw.slice(first_data), names, options["nulls"], first_row=consumed + first_data + 1)
    table.header_row, table.encoding = h + 1, enc
    table.notes += notes if first else []
    return _finish(table, [] if table.nulls_applied else options["nulls"]), head


__all__ = ["CHUNK_ROWS", "STREAM_BYTES", "NotStreamable", "stream_table"]
