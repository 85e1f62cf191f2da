"""Files the project writes: all or nothing, and safe to open in a spreadsheet.

:func:`atomic_output` writes to a temporary file in the target's folder and
renames it into place only when the block ends without an error, so a
killed or failed export leaves the previous file intact (never a partial
file at the target name).  :func:`neutralise_cell` defuses spreadsheet
formulas (OWASP "CSV injection"): a text cell beginning with ``=``, ``+``,
``-``, ``@`` (or a tab / carriage return) gets a leading apostrophe.
:func:`write_csv` combines both for DataFrames; every CSV the project
writes goes through it.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_output(folder / "a.txt") as tmp:
...     _ = tmp.write_text("complete", encoding="utf-8")
>>> (folder / "a.txt").read_text(encoding="utf-8")
'complete'
>>> try:
...     with atomic_output(folder / "a.txt") as tmp:
...         _ = tmp.write_text("half", encoding="utf-8")
...         raise RuntimeError("killed")
... except RuntimeError:
...     pass
>>> (folder / "a.txt").read_text(encoding="utf-8"), sorted(p.name for p in folder.iterdir())
('complete', ['a.txt'])
>>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell("-5"), neutralise_cell(-5)
('\\'=HYPERLINK("http://x")', "'-5", -5)
>>> _ = write_csv(pd.DataFrame({"name": ["@SUM(A1)", "甲公司"]}), folder / "t.csv")
>>> (folder / "t.csv").read_text(encoding="utf-8-sig").splitlines()
['name', "'@SUM(A1)", '甲公司']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from kg.errors import KGError

#: first characters a spreadsheet reads as the start of a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class OutputError(KGError):
    """An output file cannot be written where the user asked."""


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the block succeeds.

    The parent folder is created when missing.  On an error (or a kill) the
    temporary file is removed (or left under a ``.~name.tmp`` name, never
    the target's) and an existing file at ``path`` is untouched.

    Parameters
    ----------
    path
        The file to produce.

    Raises
    ------
    OutputError
        ``path`` is a folder, or its folder cannot be created or written.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(
            f"{target} is a folder; give a file name, e.g. {target / ('output' + (target.suffix or '.csv'))}"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".~{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}; choose another path") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        mode = _umask_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8", newline: str | None = None) -> Path:
    """Write ``text`` to ``path`` atomically and return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_text(pathlib.Path(tempfile.mkdtemp()) / "x" / "y.html", "<p>甲</p>")
    >>> p.read_text(encoding="utf-8")
    '<p>甲</p>'
    """
    target = Path(path)
    with atomic_output(target) as tmp, open(tmp, "w", encoding=encoding, newline=newline) as fh:
        fh.write(text)
    return target


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``; anything else unchanged.

    Examples
    --------
    >>> neutralise_cell("+86 427"), neutralise_cell("盘锦"), neutralise_cell(None)
    ("'+86 427", '盘锦', None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) are :func:`neutralise_cell`-ed.

    Examples
    --------
    >>> neutralise_frame(pd.DataFrame({"a": ["=1+1", "x"], "n": [-1, 2]})).values.tolist()
    [["'=1+1", -1], ['x', 2]]
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write ``frame`` as CSV, formulas neutralised, atomically (UTF-8 with BOM so Excel shows Chinese)."""
    target = Path(path)
    with atomic_output(target) as tmp:
        neutralise_frame(frame).to_csv(tmp, index=False, encoding=encoding)
    return target


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text with formulas neutralised (for ``--csv -``).

    Examples
    --------
    >>> csv_text(pd.DataFrame({"a": ["@x"]}))
    "a\\n'@x\\n"
    """
    return neutralise_frame(frame).to_csv(index=False)


__all__ = [
    "atomic_output",
    "write_text",
    "write_csv",
    "csv_text",
    "neutralise_cell",
    "neutralise_frame",
    "OutputError",
    "FORMULA_STARTS",
]
