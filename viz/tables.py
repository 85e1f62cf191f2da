"""Self-contained HTML pages for result tables (target-vs-actual reports, match lists).

Every value is escaped; the page has no script and fetches nothing; it is
written as UTF-8 explicitly.

Examples
--------
>>> import pandas as pd
>>> page = table_page(pd.DataFrame({"name": ["<b>x</b>"]}), "t")
>>> "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
True
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

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


def table_page(frame: pd.DataFrame, title: str, subtitle: str = "", status_column: str | None = "status") -> str:
    """An HTML page holding ``frame`` as a table (all text escaped)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for rec in frame.to_dict("records"):
        cls = str(rec.get(status_column, "")).replace(" ", "-") if status_column else ""
        cells = []
        for col, value in rec.items():
            text, kind = _cell(value)
            klass = " ".join(k for k in (kind, "status" if col == status_column else "") if k)
            cells.append(f'<td class="{klass}">{text}</td>' if klass else f"<td>{text}</td>")
        body.append(f'<tr class="{html.escape(cls)}">' + "".join(cells) + "</tr>")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>" + (f'<p class="sub">{html.escape(subtitle)}</p>' if subtitle else "")
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n"
    )


def write_table_page(frame: pd.DataFrame, path: str | Path, title: str, subtitle: str = "") -> Path:
    """Write :func:`table_page` to ``path`` as UTF-8 and return the path."""
    from kg.io import write_text

    return write_text(path, table_page(frame, title, subtitle))
