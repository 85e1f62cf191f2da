"""Measure the graph against policy targets (目标 vs 实际).

The declarative table ``queries/indicators.yaml`` maps each normalised
indicator (as :mod:`kg.loaders.policy` extracts it) to a named query and
its fixed parameters; :func:`target_report` runs them for a region and year
and compares each target with what the graph holds.  Indicators the graph
cannot measure (R&D/GDP, output value) are reported as ``not measurable``
with the reason, never guessed.

Examples
--------
>>> "rd_gdp_ratio" in indicator_table()
True
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kg import regions
from kg.errors import KGError
from kg.loaders.indicators import indicator_table

#: columns of :func:`target_report`
REPORT_COLUMNS = [
    "indicator",
    "indicator_key",
    "kind",
    "comparison",
    "target",
    "stretch",
    "unit",
    "year",
    "actual",
    "gap",
    "status",
    "counted",
    "note",
    "sentence",
]
#: the values of the ``status`` column
STATUSES = ("met", "not met", "not measurable", "baseline")
COUNT_UNITS = {"家", "个", "件", "项", "所", "座", "名", "人", "场", "次", "项次"}
AREA_FACTORS = {"平方米": 1.0, "㎡": 1.0, "万平方米": 10_000.0, "亩": 666.67, "平方公里": 1_000_000.0}
MONEY_FACTORS = {"万元": 1.0, "亿元": 10_000.0, "亿": 10_000.0, "元": 0.0001}
FIVE_YEAR_PLANS = {
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
}
_PERIOD_WORDS = re.compile(r"期间|累计|到\d{4}年|至\d{4}年|\d{4}\s*[-—–~～至到]\s*\d{4}")


def region_prefix(code: str) -> str:
    """Deprecated: use :func:`kg.regions.code_prefix` (removed in the next release)."""
    warnings.warn(
        "kg.queries.targets.region_prefix is deprecated; use kg.regions.code_prefix", DeprecationWarning, stacklevel=2
    )
    return regions.code_prefix(code)


def resolve_region(graph, region: str) -> tuple[str, str]:
    """Deprecated: use :func:`kg.regions.resolve` (removed in the next release)."""
    warnings.warn(
        "kg.queries.targets.resolve_region is deprecated; use kg.regions.resolve", DeprecationWarning, stacklevel=2
    )
    found = regions.resolve(region, graph)
    return found.code, found.name


def period_years(period: str | None) -> tuple[int, int] | None:
    """First and last year of a planning period (``'2018-2020'``, ``'十四五'``), or ``None``.

    Examples
    --------
    >>> period_years("2018-2020"), period_years("十四五"), period_years(None)
    ((2018, 2020), (2021, 2025), None)
    """
    if not period or (isinstance(period, float) and math.isnan(period)):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{4})", str(period))
    return (int(m.group(1)), int(m.group(2))) if m else FIVE_YEAR_PLANS.get(str(period))


@dataclass
class Measurement:
    """What the graph says about one indicator in one region and year.

    ``counted`` says what was counted: the named query, its fixed parameters, the years and the value.
    """

    value: float | None
    unit: str = ""
    kind: str = ""
    note: str = ""
    counted: str = ""


def measure(
    graph, indicator_key: str, region: str, year: int, *, since: int | None = None, population: float | None = None
) -> Measurement:
    """Measure one indicator for a region (code) and year.

    Parameters
    ----------
    since
        Count the additions from this year to ``year`` (a flow target: 新建, 新增, 新认定) instead of the
        stock in ``year``; ``None``: the stock for a stock indicator, the year's flow for a flow indicator.
    population
        The region's population, for per-capita indicators (每万人 …); without it they are not measurable.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> with KnowledgeGraph.open(":memory:") as g:
    ...     m = measure(g, "academician_workstations", "211100", 2025)
    >>> m.value, m.counted
    (0.0, 'indicator_workstations[levels=national,provincial,municipal,county] in 2025 = 0')
    """
    entry = indicator_table().get(indicator_key or "")
    if entry is None:
        return Measurement(
            None, note=f"indicator {indicator_key or '(unrecognised)'} has no graph measure in queries/indicators.yaml"
        )
    if "not_measurable" in entry:
        return Measurement(None, note=f"not measurable from the graph: {entry['not_measurable']}")
    kind = entry.get("kind", "stock")
    takes_from = "from" in graph.queries.get(entry["query"], graph.backend.engine).parameters
    if since is not None and not takes_from:
        return Measurement(
            None,
            unit=entry.get("unit", ""),
            kind=kind,
            note=f"additions are not measurable: the graph holds no founding years for {entry.get('title', indicator_key)}",
        )
    first = since if since is not None else (int(year) if kind == "flow" else 0)
    params = {**entry.get("params", {}), "prefix": regions.code_prefix(region), "year": int(year)}
    if takes_from:
        params["from"] = int(first)
    column = entry.get("column", "actual")
    df = graph.run_named(entry["query"], **params)
    raw = df[column].iloc[0] if not df.empty else 0
    value = 0.0 if raw is None or (isinstance(raw, float) and math.isnan(raw)) else round(float(raw), 2)
    counted = _counted(entry, column, int(year), first if takes_from else 0, value)
    per = entry.get("per_people")
    if per:
        if not population:
            return Measurement(
                None,
                unit=entry.get("unit", ""),
                kind=kind,
                counted=counted,
                note=f"a per-capita indicator: pass --population (the region's population) to measure it; the graph counts {value:g}",
            )
        counted += f"; per {per:,} of {population:,.0f} people"
        value = round(value / float(population) * per, 2)
    return Measurement(value, unit=entry.get("unit", ""), kind=kind, counted=counted)


def indicator_coverage(targets) -> dict[str, int]:
    """How many of a document's extracted targets the graph measures, and why the others are not.

    ``measured``: the indicator has a graph measure; ``per_capita``: it has one but needs the population;
    ``not_measurable``: the table says why (economic, fiscal, product statistics ...); ``unrecognised``: the
    phrase names no indicator of the table.

    Examples
    --------
    >>> indicator_coverage([{"indicator_key": "high_tech_enterprises"}, {"indicator_key": "rd_gdp_ratio"}, {"indicator_key": None}])
    {'extracted': 3, 'measured': 1, 'per_capita': 0, 'not_measurable': 1, 'unrecognised': 1}
    """
    rows = targets.to_dict("records") if isinstance(targets, pd.DataFrame) else list(targets)
    out = dict.fromkeys(["extracted", "measured", "per_capita", "not_measurable", "unrecognised"], 0)
    table = indicator_table()
    for t in rows:
        entry = table.get(_get(t, "indicator_key") or "")
        group = (
            "unrecognised"
            if entry is None
            else "not_measurable"
            if "not_measurable" in entry
            else "per_capita"
            if entry.get("per_people")
            else "measured"
        )
        out[group] += 1
        out["extracted"] += 1
    return out


def _counted(entry: dict, column: str, year: int, first: int, value: float) -> str:
    """``indicator_platforms[kinds=…; levels=…] added 2025 = 3``: the query, its parameters, the years, the value."""

    def show(v):
        return ",".join(map(str, v)) if isinstance(v, list) else str(v)

    params = "; ".join(f"{k}={show(v)}" for k, v in entry.get("params", {}).items() if v not in ([], None))
    name = entry["query"] + (f"[{params}]" if params else "") + (f".{column}" if column != "actual" else "")
    if first and first < year:
        when = f"{first}-{year}"
    else:
        when = f"in {year}"
    scope = f"added {when.replace('in ', '')}" if first and entry.get("kind", "stock") == "stock" else when
    return f"{name} {scope} = {value:g}"


def _convert(value: float | None, unit: str, measure_unit: str) -> tuple[float | None, str | None]:
    """Target value in the measure's unit, or ``(None, reason)`` when incomparable."""
    if value is None:
        return None, None
    unit = (unit or "").strip()
    if unit == measure_unit or (unit in COUNT_UNITS and measure_unit in COUNT_UNITS) or not unit:
        return value, None
    for factors in (AREA_FACTORS, MONEY_FACTORS):
        if unit in factors and measure_unit in factors:
            return value * factors[unit] / factors[measure_unit], None
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


def target_report(
    graph, targets, region: str, year: int | None = None, *, population: float | None = None
) -> pd.DataFrame:
    """Compare extracted targets with the graph for one region and year.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    targets
        A DataFrame (e.g. ``PolicyExtraction.to_frame()``) or a list of
        target objects / dicts with ``indicator``, ``indicator_key``,
        ``value``, ``stretch_value``, ``comparison``, ``unit``, ``kind``,
        ``year``, ``period``, ``applied``, ``sentence``.
    region
        Region code or name; the report counts actors located inside it.
    year
        Default year for targets that state none.
    population
        The region's population: makes per-capita indicators (每万人 …) measurable.

    Returns
    -------
    DataFrame with :data:`REPORT_COLUMNS`. ``status`` is one of :data:`STATUSES`: a ``target`` is compared
    with the stock in its year, a ``flow`` (新建, 新增, 新认定, 引进) with the additions of its year (or of
    its period where the sentence names one), a ``growth`` with the change of a flow over the previous year;
    a ``status`` statement (现有, 已建成, 目前) is the ``baseline``, shown next to the graph's figure and never
    scored. ``counted`` names the query, its parameters, the years and the number counted; ``gap`` is target
    minus actual (positive: still to go).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> with KnowledgeGraph.open(":memory:") as g:
    ...     _ = g.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}])
    ...     r = target_report(g, [{"indicator": "院士工作站", "indicator_key": "academician_workstations",
    ...                           "value": 2, "unit": "家", "kind": "flow", "year": 2025}], "盘锦市")
    >>> float(r.loc[0, "actual"]), r.loc[0, "status"], r.loc[0, "counted"]
    (0.0, 'not met', 'indicator_workstations[levels=national,provincial,municipal,county] added 2025 = 0')
    """
    if population is not None and not population > 0:
        raise KGError(f"--population {population:g}: give the region's population as a positive number of people")
    code = regions.resolve(region, graph).code
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
        sentence = _get(t, "sentence", default="")
        rec = {
            "indicator": _get(t, "indicator", "name", default=key),
            "indicator_key": key,
            "kind": kind,
            "comparison": comparison,
            "target": value,
            "stretch": stretch,
            "unit": unit,
            "year": int(when),
            "actual": None,
            "gap": None,
            "status": "not measurable",
            "counted": "",
            "note": "",
            "sentence": sentence,
        }
        since = _flow_start(t, when, sentence) if kind == "flow" else None
        m = measure(graph, key, code, when, since=since, population=population)
        rec["counted"] = m.counted
        if m.value is None:
            rec["note"] = m.note
        elif kind == "growth":
            rec.update(_growth(graph, key, code, when, value, unit, comparison, m))
        else:
            rec.update(
                _compare(m, value, stretch, unit, comparison, kind, bool(_get(t, "applied", default=False)), key)
            )
        out.append(rec)
    return pd.DataFrame(out, columns=REPORT_COLUMNS)


def _flow_start(t: Any, year: int, sentence: str) -> int:
    """First year of the additions a flow target counts: its period where the sentence names one, else its year."""
    span = period_years(_get(t, "period"))
    if span and span[0] <= year <= span[1] and _PERIOD_WORDS.search(sentence or ""):
        return span[0]
    return int(year)


def _compare(m: Measurement, value, stretch, unit: str, comparison: str, kind: str, applied: bool, key: str) -> dict:
    target, problem = _convert(value, unit, m.unit)
    rec: dict = {"actual": m.value}
    if problem:
        rec["note"] = problem
        return rec
    if kind == "status":
        return {
            **rec,
            "status": "baseline",
            "note": f"baseline: the document states {value:g} {unit}; the graph holds {m.value:g}",
        }
    assert m.value is not None and target is not None  # measured by the caller; converted without problem
    rec["gap"] = target - m.value
    met = _met(m.value, target, comparison)
    if applied and indicator_table()[key].get("applications") == "lower_bound" and not met:
        return {
            **rec,
            "gap": None,
            "note": f"the target counts applications (申报); the graph holds the {m.value:g} approved or won, "
            "fewer than the target, which says nothing about the applications",
        }
    rec["status"] = "met" if met else "not met"
    if applied and met:
        rec["note"] = "the target counts applications (申报): the approved or won alone reach it"
    if stretch is not None:
        s, _ = _convert(stretch, unit, m.unit)
        if s is not None:
            rec["note"] = "; ".join(
                filter(
                    None,
                    [rec.get("note"), f"stretch {stretch:g} {'met' if _met(m.value, s, comparison) else 'not met'}"],
                )
            )
    return rec


def _growth(graph, key, code, year, value, unit, comparison, current: Measurement) -> dict:
    if current.kind != "flow" or unit not in ("%", "个百分点"):
        return {"actual": None, "note": "growth of a stock or in these units is not measurable from the graph"}
    before = measure(graph, key, code, year - 1)
    if not before.value:
        return {
            "actual": None,
            "note": f"no {key} in {year - 1}: growth undefined",
            "counted": f"{current.counted}; {before.counted}",
        }
    assert current.value is not None  # measured by the caller
    growth = (current.value / before.value - 1.0) * 100.0
    return {
        "actual": round(growth, 2),
        "gap": value - growth,
        "status": "met" if _met(growth, value, comparison) else "not met",
        "counted": f"{current.counted}; {before.counted}",
        "note": f"{year - 1}: {before.value:g} -> {year}: {current.value:g}",
    }
