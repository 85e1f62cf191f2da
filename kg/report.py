"""The validation report of a load: every rejected row, pointing at the exact cell.

Every writer of rows reports here (the loaders, the RDF importer), so it sits in the core; it is
importable as ``kg.loaders.report`` as well.

Examples
--------
>>> r = LoadReport(source="企业.csv", type="Enterprise", rows_read=3, loaded=2)
>>> r.reject(4, "统一社会信用代码", "91X", "must have 18 characters")
>>> r.ok, r.rejected
(False, 1)
>>> r.frame()[["file", "row", "column", "value"]].values.tolist()
[['企业.csv', 4, '统一社会信用代码', '91X']]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kg.io import write_csv

#: columns of :meth:`LoadReport.frame`
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "reason", "type"]


@dataclass
class Problem:
    """One rejected cell or row: ``row`` is the row number the user sees in Excel (0: the whole file)."""

    file: str
    row: int
    column: str
    value: object
    reason: str
    type: str = ""
    sheet: str | None = None


@dataclass
class LoadReport:
    """What one load read, wrote and rejected."""

    source: str
    type: str
    rows_read: int = 0
    loaded: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sheet: str | None = None
    committed: bool = False
    by_type: dict[str, int] = field(default_factory=dict)
    #: why the whole file was refused (set by :func:`kg.loaders.load_files` with ``keep_going``)
    error: str | None = None

    def reject(self, row: int, column: str, value: object, reason: str, type_: str | None = None) -> None:
        """Record a rejected row (one entry per bad cell)."""
        self.problems.append(Problem(self.source, row, column, value, reason, type_ or self.type, self.sheet))

    @property
    def rejected(self) -> int:
        """Number of distinct rejected rows."""
        return len({(p.type, p.row) for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def frame(self) -> pd.DataFrame:
        """The problems as a DataFrame with :data:`PROBLEM_COLUMNS`."""
        return problems_frame([self])

    def __str__(self) -> str:
        state = "loaded" if self.committed else "not loaded"
        text = f"{self.source}: {self.type} {self.loaded:,} {state} from {self.rows_read:,} rows"
        if self.problems:
            text += f", {self.rejected:,} rows rejected"
        return text


def problems_frame(reports) -> pd.DataFrame:
    """All problems of several reports in one DataFrame (sorted by file and row)."""
    rows = [vars(p) for r in reports for p in r.problems]
    df = pd.DataFrame(rows, columns=PROBLEM_COLUMNS) if rows else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return df.sort_values(["file", "row"], kind="stable").reset_index(drop=True)


def write_report(reports, path: str | Path) -> Path:
    """Write the problems of ``reports`` as CSV (UTF-8 with BOM, so Excel shows the Chinese)."""
    return write_csv(problems_frame(reports), path)
