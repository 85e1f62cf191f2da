"""Partner matching for every firm of a region in one call (``kg match partners --region-firms``).

Three Cypher passes over the region's firms (profiles, demands, evidence:
``match_region_*``) replace one round of queries per firm; the scoring is
the same as :func:`kg.queries.matching.match_partners`.

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.05)
>>> table = match_region_firms(g, "211102", top=3)
>>> list(table.columns[:4]), bool((table.groupby("firm_id")["rank"].max() <= 3).all())
(['firm_id', 'firm_name', 'rank', 'id'], True)
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import pandas as pd

from kg.errors import KGError
from kg.queries.matching.index import matching_index
from kg.queries.matching.partners import COLUMNS, make_evidence, make_profile, rank_partners
from kg.regions import prefix_of
from kg.types import Graph

#: firms per evidence query: bounds the engine's memory for the 3-hop peer expansion
CHUNK = 500


def match_region_firms(
    graph: Graph,
    region: str,
    top: int = 5,
    kinds=("University", "ResearchInstitute"),
    exclude_existing: bool = True,
    until: int | None = None,
) -> pd.DataFrame:
    """Top partners for every enterprise in ``region`` (a region code prefix, code or name).

    Returns one row per (firm, candidate): ``firm_id``, ``firm_name`` and the columns of
    :func:`kg.queries.matching.match_partners`.
    """
    prefix = prefix_of(region, graph)
    idx = matching_index(graph, until)
    profiles = graph.run_named("match_region_profiles", prefix=prefix)
    if profiles.empty:
        raise KGError(f"no enterprise in region {region!r} (code prefix {prefix}); check the region code or name")
    demands = graph.run_named("match_region_demands", prefix=prefix)
    ids = sorted(set(profiles["id"].tolist()))
    bounds = ids[::CHUNK] + [ids[-1] + "\uffff"]
    evidence_rows = pd.concat(
        [
            graph.run_named("match_region_evidence", prefix=prefix, lo=lo, hi=hi, until=idx.until)
            for lo, hi in itertools.pairwise(bounds)
        ],
        ignore_index=True,
    )
    by_firm_demands = {f: d.drop(columns="firm") for f, d in demands.groupby("firm")}
    empty_demands = demands.drop(columns="firm").iloc[0:0]
    by_firm_evidence: dict[str, list] = defaultdict(list)
    cols = [evidence_rows[c].tolist() for c in ("firm", "id", "evidence", "n", "detail")]
    for firm, cid, kind, n, detail in zip(*cols):
        by_firm_evidence[firm].append((cid, kind, n, detail))
    frames = []
    for firm, rows in profiles.groupby("id", sort=True):
        profile = make_profile(firm, rows, by_firm_demands.get(firm, empty_demands))
        df = rank_partners(
            idx,
            profile,
            make_evidence(by_firm_evidence.get(firm, [])),
            top=top,
            kinds=kinds,
            exclude_existing=exclude_existing,
        )
        if not df.empty:
            frames.append(df.assign(firm_id=firm, firm_name=profile["name"]))
    if not frames:
        return pd.DataFrame(columns=["firm_id", "firm_name", *COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    return out[["firm_id", "firm_name", *COLUMNS]]
