"""Key and code columns (ids, 统一社会信用代码, region codes, application numbers): Excel damage undone, bad cells reported.

Examples
--------
>>> import numpy as np, pandas as pd
>>> report, bad = LoadReport(source="企业.csv", type="Enterprise"), np.zeros(2, dtype=bool)
>>> codes_column("统一社会信用代码", pd.Series(["911101085514006238", "91X"]), report, [2, 3], bad, uscc=True).tolist()
['911101085514006238', None]
>>> bad.tolist(), report.rejected
([False, True], 1)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.loaders.columns import convert_codes
from kg.loaders.headers import fold_header
from kg.normalise import CodeError, check_uscc, uscc_valid_mask
from kg.report import LoadReport

#: headers that mean a 统一社会信用代码 (validated with its check digit)
USCC_HEADERS = {fold_header(h) for h in ("统一社会信用代码", "信用代码", "社会信用代码", "uscc", "USCC")}
#: properties holding codes (Excel's ``.0`` and scientific notation are undone or refused)
CODE_PROPERTIES = {"id", "uscc", "region", "application_no"}


def codes_column(
    column: str, cells: pd.Series, report: LoadReport, rows, bad: np.ndarray, uscc: bool = False
) -> pd.Series:
    """Key/code cells fixed; bad ones reported and marked in ``bad``.

    With ``uscc=True`` every code must pass the GB 32100 check digit.
    """
    values, errors = convert_codes(cells)
    for pos, reason in errors.items():
        report.reject(rows[pos], column, cells.iloc[pos], reason)
        bad[pos] = True
    if uscc:
        import pyarrow as pa
        import pyarrow.compute as pc

        upper = pc.utf8_upper(pa.array(values.tolist(), type=pa.string()))
        present = upper.is_valid().to_numpy(zero_copy_only=False)
        valid = uscc_valid_mask(upper)
        for pos in np.flatnonzero(present & ~valid):
            try:
                check_uscc(upper[pos].as_py())
                reason = "not a valid 统一社会信用代码"
            except CodeError as exc:
                reason = str(exc)
            report.reject(rows[pos], column, cells.iloc[pos], reason)
            bad[pos] = True
        kept = pc.if_else(pa.array(valid), upper, pa.scalar(None, pa.string()))
        values = pd.Series(kept.to_numpy(zero_copy_only=False), dtype=object)
    return values


__all__ = ["CODE_PROPERTIES", "USCC_HEADERS", "codes_column"]
