"""How every listing command prints: a table that fits the terminal, CSV for Excel, valid JSON.

A command decorated with :func:`listing` gains ``--top``, ``--csv FILE|-``, ``--json`` and ``--lang``; it hands
its frame to :func:`emit_frame`, which

* on a terminal prints the most useful columns that fit its width (the frame's order is the order of use), says
  which columns and how many rows it left out and how to see them;
* with ``--csv`` writes plain cells (:func:`kg.viz.tables.write_csv`: headers in the chosen language, lists
  joined with ``；``, booleans 是/否, rounded numbers, UTF-8 with BOM); ``-`` writes the CSV to stdout instead;
* with ``--json`` prints records with the stable English keys, ISO dates and ``null`` for missing or non-finite
  numbers (always valid JSON).
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import sys
from dataclasses import dataclass
from typing import Any

import pandas as pd
import typer
from rich.cells import cell_len
from rich.table import Table

from kg.cli.app import console, info, settings

#: rows a terminal table shows when the command was given no --top
TERMINAL_ROWS = 20
#: a column narrower than this (or its header) is not worth showing squeezed
MIN_WIDTH = 10
#: widest a column is budgeted at when choosing columns (longer text wraps)
MAX_WIDTH = 36


@dataclass
class Listing:
    """The output options of the running listing command."""

    top: int | None = None
    csv: str | None = None
    own_top: bool = False  # the command's --top limits what it computes, not what is shown
    active: bool = False  # a listing command is running (other commands show every row)


listing_state = Listing()


def lang() -> str:
    """The language of tables and CSV: ``--lang``, else ``KG_LANG``, else the locale, else ``zh``."""
    from kg.viz.labels import check_lang

    return check_lang(settings.lang)


def _option(name: str, annotation: Any, default: Any, *flags: str, help: str) -> inspect.Parameter:
    """A keyword-only command parameter backed by a Typer option."""
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=typer.Option(default, *flags, help=help)
    )


def listing(func):
    """Give a command ``--csv``, ``--json``, ``--lang`` and (unless it has its own) ``--top``.

    The values land in :data:`listing_state` and :data:`kg.cli.app.settings`, which :func:`emit_frame` reads.
    """
    sig = inspect.signature(func)
    own_top = "top" in sig.parameters
    extra = [
        _option(
            "csv",
            str | None,
            None,
            "--csv",
            help="Write the full table as CSV for Excel (UTF-8 with BOM) to this file ('-': stdout).",
        ),
        _option("json_out", bool, False, "--json", help="Print the rows as JSON (English keys)."),
        _option(
            "lang_opt",
            str | None,
            None,
            "--lang",
            help="zh or en: headers and values of tables and CSV (default: the locale, else zh).",
        ),
    ]
    if not own_top:
        extra.append(
            _option(
                "top_rows",
                int | None,
                None,
                "--top",
                "-k",
                help=f"At most this many rows (default: {TERMINAL_ROWS} in the terminal, all in --csv/--json; 0: all).",
            )
        )
    params = [p for p in sig.parameters.values()] + extra

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        listing_state.csv = kwargs.pop("csv", None)
        listing_state.top = kwargs.pop("top_rows", None)
        listing_state.own_top = own_top
        listing_state.active = True
        if kwargs.pop("json_out", False):
            settings.json = True
        chosen = kwargs.pop("lang_opt", None)
        if chosen:
            settings.lang = chosen
        lang()  # an unknown --lang is an error before any work
        try:
            return func(*args, **kwargs)
        finally:  # the next command run in the same process starts afresh
            listing_state.__init__()

    wrapper.__signature__ = sig.replace(parameters=params)
    return wrapper


# ------------------------------------------------------------------ JSON
def jsonable(value: Any) -> Any:
    """A JSON-safe value: ISO dates, ``None`` for NaN / inf / NaT, plain Python for numpy scalars and arrays.

    Examples
    --------
    >>> import datetime, numpy as np
    >>> jsonable(float("inf")), jsonable(datetime.date(2024, 1, 2)), jsonable(np.int64(3)), jsonable(np.array([1.0]))
    (None, '2024-01-02', 3, [1.0])
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return jsonable(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def emit_json(obj: Any) -> None:
    """Print ``obj`` as JSON (frames as records; always valid: no NaN, no Infinity)."""
    if isinstance(obj, pd.DataFrame):
        obj = obj.to_dict("records")
    sys.stdout.write(json.dumps(jsonable(obj), ensure_ascii=False, indent=1, allow_nan=False) + "\n")


# ------------------------------------------------------------------ tables
def _cell(v: Any, language: str) -> str:
    from kg.viz.tables import plain_value

    v = plain_value(v, language)
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) >= 10_000 else f"{v:.4g}"
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000:
        return f"{v:,}"
    return str(v)


def fit_columns(frame: pd.DataFrame, width: int) -> list[str]:
    """The leading columns of ``frame`` (cells already text) that fit a table ``width`` characters wide.

    Each column is budgeted at its content width, at most :data:`MAX_WIDTH` (longer text wraps) and at least
    its header or :data:`MIN_WIDTH`; the first column is always kept.

    Examples
    --------
    >>> df = pd.DataFrame({c: ["x" * 12] for c in "abcdefghij"})
    >>> fit_columns(df, 80)
    ['a', 'b', 'c', 'd', 'e']
    """
    chosen: list[str] = []
    used = 1
    for col in frame.columns:
        natural = max([cell_len(str(col)), *(cell_len(s) for s in frame[col].astype(str))])
        budget = min(natural, max(MIN_WIDTH, cell_len(str(col)))) if natural > MAX_WIDTH else natural
        if chosen and used + budget + 3 > width:
            continue
        chosen.append(col)
        used += budget + 3
    return chosen


def emit_frame(
    frame: pd.DataFrame,
    title: str | None = None,
    *,
    csv_path: str | None = None,
    rows: int | None = None,
    first=(),
    hide=(),
    raw=(),
    total: int | None = None,
    verbatim: bool = False,
) -> None:
    """Print ``frame`` for the running command (see the module docstring); ``csv_path`` defaults to ``--csv``.

    ``rows`` caps the terminal table (default: ``--top``, else :data:`TERMINAL_ROWS`); the terminal shows the
    columns ``first`` first, then the others but ``hide`` (CSV and JSON keep every column); the values of the
    ``raw`` columns are not translated; ``total`` is the row count before any cut (default: the frame's).
    ``verbatim=True`` keeps every header and value as the frame has them (a user's own query names its
    columns), in the terminal and the CSV; the notes still follow the language.
    """
    from kg.viz.labels import localise
    from kg.viz.tables import write_csv

    language = lang()
    csv_path = csv_path or listing_state.csv
    top = None if listing_state.own_top else listing_state.top
    total = len(frame) if total is None else total
    if top:
        frame = frame.head(top)
    if csv_path:
        write_csv(frame, csv_path, language, verbatim=verbatim)
        if csv_path == "-":
            return
        info(f"wrote {len(frame):,} rows to {csv_path}")
    if settings.json:
        emit_json(frame)
        return
    limit = rows or (len(frame) if top == 0 or not listing_state.active else (top or TERMINAL_ROWS))
    order = [c for c in first if c in frame.columns and c not in hide]
    order += [c for c in frame.columns if c not in order and c not in hide]
    shown = frame[order].head(limit) if verbatim else localise(frame[order].head(limit), language, raw=raw)
    cells = "en" if verbatim else language
    text = pd.DataFrame(
        {c: [_cell(v, cells) for v in shown.iloc[:, i]] for i, c in enumerate(shown.columns)},
        columns=list(shown.columns),
    )
    keep = fit_columns(text, console.width)  # the terminal's, or COLUMNS where set
    table = Table(title=None if settings.quiet else title, show_lines=False)
    for col in keep:
        table.add_column(str(col), overflow="fold")
    for values in text[keep].itertuples(index=False):
        table.add_row(*values)
    console.print(table)
    _notes(total, len(shown), [c for c in shown.columns if c not in keep], csv_path, language)


def _notes(total: int, shown: int, hidden_columns: list[str], csv_path: str | None, language: str) -> None:
    if settings.quiet:
        return
    see = csv_path if csv_path else "--csv FILE 或 --json" if language == "zh" else "--csv FILE or --json"
    if shown < total:
        more = "" if listing_state.own_top else ("--top 0、" if language == "zh" else "--top 0, ")
        info(
            f"显示前 {shown:,} 行，共 {total:,} 行；查看全部：{more}{see}"
            if language == "zh"
            else f"showing {shown:,} of {total:,} rows; all of them: {more}{see}"
        )
    if hidden_columns:
        cols = "、".join(hidden_columns) if language == "zh" else ", ".join(hidden_columns)
        info(
            f"终端宽度不足，未显示的列：{cols}（见 {see}）"
            if language == "zh"
            else f"columns left out to fit the terminal: {cols} (see {see})"
        )


def emit_frames(
    frames: dict[str, pd.DataFrame], titles: dict[str, str], key: str = "section", rows: int | None = None, first=()
) -> None:
    """Several tables of one command: JSON as ``{name: records}``, CSV as one table with a ``key`` column first,
    the terminal as one table each (at most ``rows`` rows, see :func:`emit_frame`)."""
    from kg.viz.tables import write_csv

    top = listing_state.top
    totals = {k: len(v) for k, v in frames.items()}
    frames = {k: (v.head(top) if top else v) for k, v in frames.items()}
    csv_path = listing_state.csv
    if csv_path:
        joined = (
            pd.concat([df.assign(**{key: name})[[key, *df.columns]] for name, df in frames.items()], ignore_index=True)
            if frames
            else pd.DataFrame(columns=[key])
        )
        write_csv(joined, csv_path, lang())
        if csv_path == "-":
            return
        info(f"wrote {len(joined):,} rows to {csv_path}")
    if settings.json:
        emit_json({k: v.to_dict("records") for k, v in frames.items()})
        return
    listing_state.csv = None
    try:
        for name, df in frames.items():
            emit_frame(df, titles.get(name, name), rows=rows, first=first, total=totals[name])
    finally:
        listing_state.csv = csv_path


def emit_full_or_save(frame: pd.DataFrame, title: str | None) -> bool:
    """For commands whose terminal table is a shortened ``frame``: ``--json`` / ``--csv -`` print the full frame
    (returns True: done); ``--csv FILE`` writes it and returns False, so the caller prints its terminal table."""
    from kg.viz.tables import write_csv

    if settings.json or listing_state.csv == "-":
        emit_frame(frame, title)
        return True
    if listing_state.csv:
        write_csv(frame, listing_state.csv, lang())
        info(f"wrote {len(frame):,} rows to {listing_state.csv}")
        listing_state.csv = None
    return False
