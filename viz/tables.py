"""Self-contained HTML pages for result tables (target-vs-actual reports, match lists).

Every value is escaped; the page has no script and fetches nothing; it is
written as UTF-8 explicitly.  :func:`plain_frame` and :func:`write_csv` give the
same tables as CSV that opens right in Excel: headers in the chosen language,
lists joined with ``；``, booleans as 是/否 (``zh``) or true/false (``en``),
numbers rounded to a sensible precision, dates as ISO, UTF-8 with a BOM.

Examples
--------
>>> import pandas as pd
>>> page = table_page(pd.DataFrame({"name": ["<b>x</b>"]}), "t")
>>> "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
True
>>> out = plain_frame(pd.DataFrame({"fields": [["储能技术", "新材料"]], "existing": [False], "score": [0.873412345]}))
>>> list(out.columns), out.iloc[0].tolist()
(['技术领域', '已有合作', '得分'], ['储能技术；新材料', '否', 0.8734])
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from kg.io import csv_text, write_text
from kg.io import write_csv as write_atomic
from kg.viz.labels import column_title, localise

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222}
h1{font-size:20px}p.sub{color:#555}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3;text-align:left}tr.met td.status{color:#1a7f37;font-weight:bold}
tr.not-met td.status{color:#c62828;font-weight:bold}tr.not-measurable td.status{color:#777}
td.num{text-align:right;white-space:nowrap}
"""


def _cell(value) -> tuple[str, str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", ""
    if isinstance(value, float):
        return html.escape(f"{value:,.2f}".rstrip("0").rstrip(".")), "num"
    if isinstance(value, int):
        return html.escape(f"{value:,}"), "num"
    return html.escape(str(value)), ""


def plain_value(value, lang: str = "zh"):
    """One cell as a plain value: lists joined with ``；``, booleans 是/否 or true/false, floats rounded
    (4 significant digits below 1, 2 decimals above; whole numbers as integers), dates ISO, missing as ``None``.

    Examples
    --------
    >>> plain_value([1, 2]), plain_value(True), plain_value(True, "en"), plain_value(12345.6789), plain_value(0.000123456)
    ('1；2', '是', 'true', 12345.68, 0.0001235)
    """
    if isinstance(value, (list, tuple)) or (
        hasattr(value, "tolist") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 0) > 0
    ):
        items = value.tolist() if hasattr(value, "tolist") else value
        return "；".join(str(plain_value(v, lang)) for v in items if not _blank(v))
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("true" if value else "false")
    if _blank(value):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        if abs(value) >= 1:
            return round(value, 2)
        return float(f"{value:.4g}")
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return value


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain_frame(frame: pd.DataFrame, lang: str = "zh", *, verbatim: bool = False) -> pd.DataFrame:
    """``frame`` with plain cells (:func:`plain_value`) and headers / values in ``lang`` (:mod:`kg.viz.labels`).

    ``verbatim=True`` keeps the headers and values as the frame has them (a user's own query names its
    columns): only the cells are made plain, as written (``true``/``false``).

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["甲"], "existing": [True]})
    >>> list(plain_frame(frame).columns), list(plain_frame(frame, verbatim=True).iloc[0])
    (['名称', '已有合作'], ['甲', 'true'])
    """

    cells = "en" if verbatim else lang
    out = frame.copy() if verbatim else localise(frame, lang)
    for col in out.columns:
        out[col] = out[col].map(lambda v: plain_value(v, cells)).astype(object)
    return out


def write_csv(frame: pd.DataFrame, path, lang: str = "zh", *, bom: bool = True, verbatim: bool = False) -> Path | None:
    """Write ``frame`` as CSV for Excel (plain cells, headers in ``lang``, UTF-8 with BOM, formula cells neutralised,
    written atomically); ``path`` ``-``: stdout.  ``verbatim``: headers and values as the frame has them.

    Returns the path written (``None`` for stdout).
    """
    import sys

    out = plain_frame(frame, lang, verbatim=verbatim)
    if str(path) == "-":
        sys.stdout.write(csv_text(out))
        return None
    return write_atomic(out, path, encoding="utf-8-sig" if bom else "utf-8")


def table_page(
    frame: pd.DataFrame, title: str, subtitle: str = "", status_column: str | None = "status", lang: str = "en"
) -> str:
    """An HTML page holding ``frame`` as a table (all text escaped), headers and statuses in ``lang``.

    Rows are classed by the English status (``met``, ``not-met``) whatever the language shown.
    """

    classes = [str(v).replace(" ", "-") for v in frame[status_column]] if status_column in frame.columns else None
    status_column = column_title(status_column, lang) if status_column else None
    frame = localise(frame, lang)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for i, rec in enumerate(frame.to_dict("records")):
        cls = classes[i] if classes else ""
        cells = []
        for col, value in rec.items():
            text, kind = _cell(value)
            klass = " ".join(k for k in (kind, "status" if col == status_column else "") if k)
            cells.append(f'<td class="{klass}">{text}</td>' if klass else f"<td>{text}</td>")
        body.append(f'<tr class="{html.escape(cls)}">' + "".join(cells) + "</tr>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + (f'<p class="sub">{html.escape(subtitle)}</p>' if subtitle else "")
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n"
    )


def write_table_page(frame: pd.DataFrame, path: str | Path, title: str, subtitle: str = "", lang: str = "en") -> Path:
    """Write :func:`table_page` to ``path`` as UTF-8 and return the path."""

    return write_text(path, table_page(frame, title, subtitle, lang=lang))
