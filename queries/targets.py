"""Measure the graph against policy targets (目标 vs 实际).

The declarative table ``queries/indicators.yaml`` maps each normalised
indicator (as :mod:`kg.loaders.policy` extracts it) to a named query and
its fixed parameters; :func:`target_report` runs them for a region and year
and compares each target with what the graph holds.  Indicators the graph
cannot measure (R&D/GDP, output value) are reported as ``not measurable``
with the reason, never guessed.

Examples
--------
>>> region_prefix("211100"), region_prefix("210000"), region_prefix("211104")
('2111', '21', '211104')
>>> "rd_gdp_ratio" in indicator_table()
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from kg.errors import KGError, NotFoundError

#: columns of :func:`target_report`
REPORT_COLUMNS = ["indicator", "indicator_key", "kind", "comparison", "target", "stretch", "unit", "year",
                  "actual", "gap", "status", "note", "sentence"]
COUNT_UNITS = {"家", "个", "件", "项", "所", "座", "名", "人", "场", "次", "项次"}
AREA_FACTORS = {"平方米": 1.0, "㎡": 1.0, "万平方米": 10_000.0, "亩": 666.67, "平方公里": 1_000_000.0}


@lru_cache(maxsize=1)
def indicator_table() -> dict[str, dict]:
    """The indicator -> measure table (``queries/indicators.yaml``)."""
    text = resources.files("kg.queries").joinpath("indicators.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["indicators"]


def region_prefix(code: str) -> str:
    """The prefix shared by every code inside a region (trailing zero pairs dropped)."""
    code = str(code).strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def resolve_region(graph, region: str) -> tuple[str, str]:
    """``(code, name)`` of a Region given its 6-digit code or its name (盘锦市, 盘锦)."""
    text = str(region).strip()
    df = graph.query(
        "MATCH (r:Region) WHERE r.id = $t OR r.name = $t OR r.name STARTS WITH $t "
        "RETURN r.id AS id, r.name AS name ORDER BY size(r.name), id LIMIT 5",
        t=text,
    )
    if df.empty:
        if text.isdigit() and len(text) == 6:
            return text, text
        from kg.lookup import suggest

        close = suggest(graph, text, ["Region"])
        hint = f"close names: {', '.join(close)}" if close else '`kg query "MATCH (r:Region) RETURN r.id, r.name"` lists them'
        raise NotFoundError(f"--region {text!r}: no Region with that code or name; {hint}")
    return str(df["id"].iloc[0]), str(df["name"].iloc[0])


@dataclass
class Measurement:
    """What the graph says about one indicator in one region and year."""

    value: float | None
    unit: str = ""
    kind: str = ""
    note: str = ""


def measure(graph, indicator_key: str, region: str, year: int) -> Measurement:
    """Measure one indicator for a region (code) and year.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> with KnowledgeGraph.open(":memory:") as g:
    ...     measure(g, "academician_workstations", "211100", 2025).value
    0.0
    """
    entry = indicator_table().get(indicator_key or "")
    if entry is None:
        return Measurement(None, note=f"indicator {indicator_key or '(unrecognised)'} has no graph measure in queries/indicators.yaml")
    if "not_measurable" in entry:
        return Measurement(None, note=f"not measurable from the graph: {entry['not_measurable']}")
    params = {**entry.get("params", {}), "prefix": region_prefix(region), "year": int(year)}
    df = graph.run_named(entry["query"], **params)
    raw = df[entry.get("column", "actual")].iloc[0] if not df.empty else 0
    value = 0.0 if raw is None or (isinstance(raw, float) and math.isnan(raw)) else float(raw)
    return Measurement(value, unit=entry.get("unit", ""), kind=entry.get("kind", "stock"))


def _convert(value: float | None, unit: str, measure_unit: str) -> tuple[float | None, str | None]:
    """Target value in the measure's unit, or ``(None, reason)`` when incomparable."""
    if value is None:
        return None, None
    unit = (unit or "").strip()
    if unit == measure_unit or (unit in COUNT_UNITS and measure_unit in COUNT_UNITS) or not unit:
        return value, None
    if unit in AREA_FACTORS and measure_unit in AREA_FACTORS:
        return value * AREA_FACTORS[unit] / AREA_FACTORS[measure_unit], None
    return None, f"the target is in {unit}, the graph measures {measure_unit}"


def _met(actual: float, target: float, comparison: str) -> bool:
    if comparison == "at_most":
        return actual <= target
    if comparison in ("exactly", "about"):
        return abs(actual - target) <= 0.05 * max(abs(target), 1.0)
    return actual >= target


def _get(row: Any, *names: str, default=None):
    for n in names:
        v = row.get(n) if isinstance(row, dict) else getattr(row, n, None)
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            return v
    return default


def target_report(graph, targets, region: str, year: int | None = None) -> pd.DataFrame:
    """Compare extracted targets with the graph for one region and year.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    targets
        A DataFrame (e.g. ``PolicyExtraction.to_frame()``) or a list of
        target objects / dicts with ``indicator``, ``indicator_key``,
        ``value``, ``stretch_value``, ``comparison``, ``unit``, ``kind``,
        ``year``, ``sentence``.
    region
        Region code or name; the report counts actors located inside it.
    year
        Default year for targets that state none.

    Returns
    -------
    DataFrame with :data:`REPORT_COLUMNS`: ``gap`` is target minus actual
    (positive: still to go), ``status`` one of ``met``, ``not met``,
    ``not measurable``, ``status count`` (a value the document reports as
    already achieved, shown next to the graph's figure).
    """
    code, _ = resolve_region(graph, region)
    rows = targets.to_dict("records") if isinstance(targets, pd.DataFrame) else list(targets)
    out = []
    for t in rows:
        key = _get(t, "indicator_key")
        kind = _get(t, "kind", "target_kind", default="target")
        value = _get(t, "value")
        stretch = _get(t, "stretch_value", "stretch")
        unit = _get(t, "unit", default="")
        comparison = _get(t, "comparison", default="at_least")
        when = int(_get(t, "year", default=year) or 0) or year
        if when is None:
            raise KGError("a target states no year: pass --year")
        rec = {"indicator": _get(t, "indicator", "name", default=key), "indicator_key": key, "kind": kind,
               "comparison": comparison, "target": value, "stretch": stretch, "unit": unit, "year": when,
               "actual": None, "gap": None, "status": "not measurable", "note": "", "sentence": _get(t, "sentence", default="")}
        m = measure(graph, key, code, when)
        if m.value is None:
            rec["note"] = m.note
        elif kind == "growth":
            rec.update(_growth(graph, key, code, when, value, unit, comparison, m))
        else:
            target, problem = _convert(value, unit, m.unit)
            rec["actual"] = m.value
            if problem:
                rec["note"] = problem
            elif kind == "status":
                rec["status"] = "status count"
                rec["note"] = f"the document reports {value:g} {unit}; the graph holds {m.value:g}"
                rec["gap"] = target - m.value
            else:
                rec["gap"] = target - m.value
                rec["status"] = "met" if _met(m.value, target, comparison) else "not met"
                if stretch is not None:
                    s, _ = _convert(stretch, unit, m.unit)
                    if s is not None:
                        rec["note"] = f"stretch {stretch:g} {'met' if _met(m.value, s, comparison) else 'not met'}"
        out.append(rec)
    return pd.DataFrame(out, columns=REPORT_COLUMNS)


def _growth(graph, key, code, year, value, unit, comparison, current: Measurement) -> dict:
    if current.kind != "flow" or unit not in ("%", "个百分点"):
        return {"actual": current.value, "note": "growth of a stock or in these units is not measurable from the graph"}
    before = measure(graph, key, code, year - 1).value or 0.0
    if before == 0:
        return {"actual": None, "note": f"no {key} in {year - 1}: growth undefined"}
    growth = (current.value / before - 1.0) * 100.0
    return {"actual": round(growth, 2), "gap": value - growth, "status": "met" if _met(growth, value, comparison) else "not met",
            "note": f"{year - 1}: {before:g} -> {year}: {current.value:g}"}
