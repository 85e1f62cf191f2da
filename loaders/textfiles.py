"""Delimited text as it comes: the delimiter that gives consistent rows, strict quoting, null tokens.

Three rules keep a CSV from being misread:

- **Delimiter**: among ``, \\t ; |`` the one whose parsed records (quotes
  respected) most often have the same number of fields, and more than one;
  characters are never counted (a CNIPA export with ``A | B | C`` applicant
  cells is comma-separated: ``|`` gives ragged records).
- **Strict records**: a quote that is never closed, or a data row with more or
  fewer cells than the header, is reported with its line (and the column
  where the quote opened) and the file is refused; with ``bad_rows="reject"``
  the row is left out and reported instead.  A record is never merged into
  another.  A trailing delimiter on every data row (one empty cell more than
  the header) is dropped.
- **Nulls**: cells reading ``NA``, ``N/A``, ``NULL``, ``0000-00-00``, only
  dashes (``——``, ``------``) ... are blanks (:data:`DEFAULT_NULLS`);
  ``nulls=[...]`` replaces the list.

Examples
--------
>>> sniff_delimiter('申请号,申请人\\n"CN1","甲公司 | 乙大学 | 丙研究所"\\n"CN2","丁公司"\\n')
','
>>> parse_records('a,b\\n1,2\\n3,"4\\n', ",", '"', "x.csv")
Traceback (most recent call last):
...
kg.errors.LoadError: x.csv: line 3, column 2: a quote opened here is never closed; close it (or pass another --quote), nothing loaded
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from kg.errors import LoadError

#: delimiters tried when none is given
CANDIDATES = (",", "\t", ";", "|")
#: cells read as blanks unless ``nulls`` says otherwise (besides cells made only of dashes)
DEFAULT_NULLS = (
    "NA",
    "N/A",
    "n/a",
    "#N/A",
    "NULL",
    "null",
    "NaN",
    "nan",
    "None",
    "none",
    "nil",
    "0000-00-00",
    "0000-00-00 00:00:00",
    "0000/00/00",
    "00000000",
)
_DASHES = re.compile(r"^[-—–─_－]+$")
#: characters of text sampled for the delimiter
SAMPLE = 256 * 1024


def sniff_delimiter(text: str, quote: str = '"') -> str:
    """The delimiter giving the most consistent field counts over the first records (quotes respected).

    Examples
    --------
    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n4;5;6\\n")
    ';'
    >>> sniff_delimiter("只有一列\\n甲\\n")
    ','
    """
    sample = text[:SAMPLE]
    if len(text) > SAMPLE:  # drop the last, probably cut, line
        sample = sample[: sample.rfind("\n") + 1] or sample
    best, best_key = ",", (0.0, 0)
    for d in CANDIDATES:
        try:
            widths = [
                len(r)
                for r in csv.reader(io.StringIO(sample), delimiter=d, quotechar=quote)
                if any(c.strip() for c in r)
            ]
        except csv.Error:
            continue
        widths = widths[:200]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        # a trailing delimiter makes data rows one wider than the header: both count as consistent
        consistent = sum(1 for w in widths if w in (common, common - 1)) / len(widths)
        key = (round(consistent, 2), common)
        if key > best_key:
            best, best_key = d, key
    return best


def parse_records(
    text: str, delimiter: str, quote: str, source: str, bad_rows: str = "error"
) -> tuple[list[list[str]], list[int], list[tuple[int, str | None, str | None, str]]]:
    """Records of a delimited text with the line each starts on; quoting errors reported by line.

    Returns ``(records, lines, rejects)``; ``rejects`` holds ``(line, column,
    value, reason)`` of records that could not be read (``bad_rows="reject"``).
    """
    records: list[list[str]] = []
    lines: list[int] = []
    rejects: list[tuple[int, str | None, str | None, str]] = []
    offset = 0  # lines of the text before the reader's start
    while True:
        reader = csv.reader(
            io.StringIO(_from_line(text, offset + 1), newline=""), delimiter=delimiter, quotechar=quote, strict=True
        )
        end = offset
        failed = False
        while True:
            start = end + 1
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line_text = _line(text, start)
                col = open_quote_column(line_text, delimiter, quote)
                where = f"line {start}" + (f", column {col}" if col else "")
                reason = (
                    "a quote opened here is never closed"
                    if col or "end of data" in str(exc)
                    else f"bad quoting ({exc})"
                )
                if bad_rows != "reject":
                    raise LoadError(
                        f"{source}: {where}: {reason}; close it (or pass another --quote), nothing loaded"
                    ) from None
                rejects.append((start, f"列{col}" if col else None, line_text[:80], reason))
                offset, failed = start, True  # read again from the next line: no row is swallowed
                break
            end = offset + reader.line_num
            records.append(rec)
            lines.append(start)
        if not failed:
            return records, lines, rejects


def _from_line(text: str, number: int) -> str:
    """``text`` from its line ``number`` (1-based) on."""
    if number <= 1:
        return text
    pos = 0
    for _ in range(number - 1):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return ""
    return text[pos:]


def open_quote_column(line: str, delimiter: str, quote: str) -> int | None:
    """1-based field number where a quote opens and is still open at the end of ``line``.

    Examples
    --------
    >>> open_quote_column('1,"ok",3,"open', ",", '"')
    4
    >>> open_quote_column('1,"ok",3', ",", '"') is None
    True
    """
    inside, field_no, opened = False, 1, None
    for i, ch in enumerate(line):
        if ch == quote:
            if inside and i + 1 < len(line) and line[i + 1] == quote:
                continue
            inside = not inside
            opened = field_no if inside else None
        elif ch == delimiter and not inside:
            field_no += 1
    return opened if inside else None


def _line(text: str, number: int) -> str:
    pos = 0
    for _ in range(number - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return ""
        pos = nxt + 1
    end = text.find("\n", pos)
    return text[pos:] if end < 0 else text[pos:end].rstrip("\r")


def check_widths(
    grid: list[list],
    lines: list[int],
    first_data: int,
    width: int,
    source: str,
    headers: list[str],
    bad_rows: str = "error",
) -> tuple[list[list], list[int], list, bool]:
    """Data rows with exactly ``width`` cells; others refused (or rejected) with their line.

    A trailing delimiter on every data row (one more, empty, cell) is dropped.
    Returns ``(grid, lines, rejects, trailing)`` where ``trailing`` tells a
    trailing delimiter was dropped.
    """
    body = range(first_data, len(grid))
    filled = [i for i in body if any(v not in (None, "") for v in grid[i])]
    trailing = bool(filled) and all(len(grid[i]) == width + 1 and grid[i][-1] in (None, "") for i in filled)
    if trailing:
        for i in filled:
            grid[i] = grid[i][:width]
    rejects, keep = [], [True] * len(grid)
    for i in filled:
        n = len(grid[i])
        if n == width:
            continue
        reason = f"{n} cells where the header has {width}"
        reason += (
            " (a cell holds an unquoted delimiter, or a quote runs into the next line)"
            if n > width
            else " (cells missing, or a line break inside an unquoted cell)"
        )
        if bad_rows != "reject":
            raise LoadError(
                f"{source}: line {lines[i]}: {reason}; fix the row (or load with --report to leave such rows out), "
                "nothing loaded"
            )
        rejects.append((lines[i], None, None, reason))
        keep[i] = False
    if not all(keep):
        grid = [r for r, k in zip(grid, keep) if k]
        lines = [n for n, k in zip(lines, keep) if k]
    return grid, lines, rejects, trailing


def null_mask(frame: pd.DataFrame, nulls=None) -> pd.DataFrame:
    """True where a cell is a null token (:data:`DEFAULT_NULLS` and dash-only cells, or the ``nulls`` given).

    ``nulls`` is a list of tokens for every column, or a mapping ``{column: tokens}`` for named columns
    (``"*"`` for the others; columns not named keep the defaults): ``{"country": []}`` keeps ``NA``
    (Namibia) in a country column while ``NA`` stays a blank everywhere else.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["NA", "——", "0000-00-00", "甲", None]})
    >>> null_mask(f)["a"].tolist()
    [True, True, True, False, False]
    >>> null_mask(f, ["甲"])["a"].tolist()
    [False, False, False, True, False]
    >>> null_mask(pd.DataFrame({"country": ["NA", "DE"], "cost": ["NA", "1"]}), {"country": []}).to_numpy().tolist()
    [[False, True], [False, False]]
    """
    out = {}
    for c in frame.columns:
        tokens, dashes = null_tokens(nulls, c)
        col = frame[c]
        fast = _null_kernel(col, tokens, dashes)
        if fast is not None:
            out[c] = fast
            continue
        mask = col.isin(tokens).to_numpy(dtype=bool).copy()
        if dashes:
            first = col.str[:1]
            maybe = first.isin(list("-—–─_－")).to_numpy(dtype=bool)
            if maybe.any():
                mask[maybe] = col[maybe].str.match(_DASHES).fillna(False).to_numpy(dtype=bool)
        out[c] = mask
    return pd.DataFrame(out, index=frame.index)


def null_tokens(nulls, column: str) -> tuple[list, bool]:
    """The null tokens of ``column`` under ``nulls`` (see :func:`null_mask`), and whether dash-only cells are blanks.

    Examples
    --------
    >>> null_tokens({"country": []}, "country"), null_tokens(None, "cost")[1]
    (([], False), True)
    """
    given = nulls.get(column, nulls.get("*")) if isinstance(nulls, dict) else nulls
    return list(DEFAULT_NULLS if given is None else given), given is None


def null_kernel(arr, tokens: list, dashes: bool):
    """Null-token mask of an Arrow string array (nulls never match); ``None`` when a token is not text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not all(isinstance(t, str) for t in tokens):
        return None
    mask = pc.is_in(arr, value_set=pa.array(tokens, type=pa.string()))
    if dashes:
        mask = pc.or_(mask, pc.match_substring_regex(arr, _DASHES.pattern))
    return mask.fill_null(False)


def _null_kernel(col: pd.Series, tokens: list, dashes: bool):
    """:func:`null_mask` of a column of text cells as Arrow kernels; None when the cells are not all text."""
    import pyarrow as pa

    try:
        arr = pa.array(col.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    mask = null_kernel(arr, tokens, dashes)
    return None if mask is None else mask.to_numpy(zero_copy_only=False).copy()


__all__ = [
    "CANDIDATES",
    "DEFAULT_NULLS",
    "check_widths",
    "null_kernel",
    "null_mask",
    "null_tokens",
    "open_quote_column",
    "parse_records",
    "sniff_delimiter",
]
