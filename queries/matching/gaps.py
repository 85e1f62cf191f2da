"""Gap queries: where the regional innovation system is missing links (``kg gaps``).

Each gap is read by a named ``gap_*`` query over the region's actors; :func:`find_gaps` returns them as one
DataFrame with a ``kind`` column (:func:`split_gaps` gives one frame per kind with its own columns).

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.05)
>>> gaps = find_gaps(g, "盘锦市")
>>> sorted(GAPS) == sorted(gaps.attrs["kinds"]), set(gaps["kind"]) <= set(GAPS)
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kg.errors import KGError
from kg.queries.matching.demand import _achievement_index, _expert_index, _texts
from kg.queries.matching.text import tokenize
from kg.regions import prefix_of
from kg.types import Graph

#: gap name -> (description, function)
GAPS = {
    "no_academic_partner": "high-tech enterprises and tech SMEs with no university or institute partner",
    "no_platform": "enterprises above designated size (规上) without any R&D platform",
    "empty_workstations": "academician workstations with no academician stationed",
    "field_shortfall": "fields where local demands outnumber local supply (achievements, experts, institutions)",
    "unanswered_demands": "technology demands with no achievement or expert above the threshold",
}


def field_shortfall(graph: Graph, region: str | None = None, supply_region: str | None = None) -> pd.DataFrame:
    """Per field: local demands against local supply (achievements, experts, institutions located in
    ``supply_region``, by default the same region as the demands)."""
    prefix = prefix_of(region, graph)
    supply_prefix = prefix_of(supply_region, graph) if supply_region else prefix
    demand = graph.run_named("gap_field_demand", prefix=prefix)
    supply = graph.run_named("gap_field_supply", prefix=supply_prefix).groupby("field", as_index=False).sum()
    df = demand.merge(supply, on="field", how="left").fillna({"institutions": 0, "achievements": 0, "experts": 0})
    for c in ("institutions", "achievements", "experts"):
        df[c] = df[c].astype(int)
    df["supply"] = df["achievements"] + df["experts"] + df["institutions"]
    df["ratio"] = (df["demands"] / df["supply"].where(df["supply"] > 0)).round(2)
    df = df[df["demands"] > df["supply"]].sort_values(["demands", "supply"], ascending=[False, True])
    return df.reset_index(drop=True)


def unanswered_demands(graph: Graph, region: str | None = None, threshold: float = 0.3) -> pd.DataFrame:
    """Demands whose best achievement or expert matches fewer than ``threshold`` of the demand's content words."""

    prefix = prefix_of(region, graph)
    demands = graph.run_named("gap_region_demands", prefix=prefix)
    _, ach_index, _ = _achievement_index(graph)
    _, exp_index = _expert_index(graph)
    rows = []
    for d in demands.itertuples(index=False):
        prof = graph.run_named("match_demand_profile", demand=d.id).iloc[0]
        terms = sorted(set(tokenize(_texts(prof["name"], prof["keywords"], prof["description"]))))
        best, best_id = 0.0, None
        for index in (ach_index, exp_index):
            for key, _ in sorted(index.score(terms).items(), key=lambda kv: -kv[1])[:3]:
                share = len(index.matched_terms(terms, key, top=100)) / max(len(terms), 1)
                if share > best:
                    best, best_id = share, key
        if best < threshold:
            rows.append({"id": d.id, "name": d.name, "firm": d.firm, "best_match": best_id, "coverage": round(best, 2)})
    return pd.DataFrame(rows, columns=["id", "name", "firm", "best_match", "coverage"])


def find_gaps(graph: Graph, region: str | None = None, which: Sequence[str] | None = None) -> pd.DataFrame:
    """Every gap (or those named in ``which``) for ``region``: one row per finding, ``kind`` first.

    The other columns are those of each kind (empty where a kind has no such column); ``df.attrs["kinds"]``
    lists the kinds asked for (a kind without findings has no rows) and ``df.attrs["columns"]`` the columns of
    each, which :func:`split_gaps` uses to give back one frame per kind.
    """
    prefix = prefix_of(region, graph)
    runners = {
        "no_academic_partner": lambda: graph.run_named("gap_firms_without_academic_partner", prefix=prefix),
        "no_platform": lambda: graph.run_named("gap_large_firms_without_platform", prefix=prefix),
        "empty_workstations": lambda: graph.run_named("gap_empty_workstations", prefix=prefix),
        "field_shortfall": lambda: field_shortfall(graph, region),
        "unanswered_demands": lambda: unanswered_demands(graph, region),
    }
    names = list(which) if which else list(runners)
    unknown = [n for n in names if n not in runners]
    if unknown:
        raise KGError(f"unknown gap {unknown[0]!r}; choose from {', '.join(runners)}")
    frames = {n: runners[n]() for n in names}
    parts = [df.assign(kind=n)[["kind", *df.columns]] for n, df in frames.items() if len(df)]
    columns = ["kind", *dict.fromkeys(c for df in frames.values() for c in df.columns)]
    out = pd.concat(parts, ignore_index=True).reindex(columns=columns) if parts else pd.DataFrame(columns=columns)
    out.attrs.update({"kinds": names, "columns": {n: df.dtypes.astype(str).to_dict() for n, df in frames.items()}})
    return out


def split_gaps(gaps: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``{kind: DataFrame}`` from :func:`find_gaps`, each frame with its kind's own columns (in the order asked).

    Examples
    --------
    >>> df = pd.DataFrame({"kind": ["no_platform"], "id": ["E1"], "coverage": [None]})
    >>> df.attrs.update({"kinds": ["no_platform", "empty_workstations"],
    ...                  "columns": {"no_platform": {"id": "object"}, "empty_workstations": {"id": "object", "coverage": "float64"}}})
    >>> {k: v.shape for k, v in split_gaps(df).items()}
    {'no_platform': (1, 1), 'empty_workstations': (0, 2)}
    """
    kinds = gaps.attrs.get("kinds") or list(dict.fromkeys(gaps["kind"]))
    columns = gaps.attrs.get("columns") or {}
    out = {}
    for kind in kinds:
        dtypes = columns.get(kind) or {c: None for c in gaps.columns if c != "kind"}
        frame = gaps.loc[gaps["kind"] == kind, list(dtypes)].reset_index(drop=True)
        out[kind] = frame.astype({c: t for c, t in dtypes.items() if t is not None})
    return out
