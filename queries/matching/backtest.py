"""Back-test of partner matching: hide cooperations that start after a year, recommend, and score the ranking.

The matcher sees only what was known by ``until`` (cooperations, projects and
patents are filtered by year in its Cypher), recommends for every firm that
formed a new academic partnership later, and is scored with hit@k (share of
those firms with a new partner among the first k), MRR (mean reciprocal rank
of the first new partner within the first ``max(k)``) and catalogue coverage
(share of all candidates recommended to anyone) next to three baselines on
the same split: random, popularity (most partnered candidates) and field-only
(the field part of the score alone).

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.1)
>>> table = evaluate_matching(g, until=2022, sample=40)
>>> list(table["method"]) == ["matcher", "field-only", "popularity", "random"]
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.errors import KGError
from kg.queries.matching.index import load_weights, matching_index
from kg.queries.matching.partners import firm_evidence, firm_profile, score_candidates


def evaluate_matching(graph, until: int, ks=(5, 10), sample: int | None = None, seed: int = 0,
                      kinds=("University", "ResearchInstitute")) -> pd.DataFrame:
    """Metric table (one row per method) of the back-test at cut-off ``until``."""
    hidden = graph.run_named("eval_hidden_cooperations", until=int(until))
    if hidden.empty:
        raise KGError(f"no cooperation starts after {until}: choose an earlier --until (the graph needs dated cooperations)")
    truth = hidden.groupby("firm")["partner"].apply(set)
    firms = sorted(truth.index)
    rng = np.random.default_rng(seed)
    if sample and len(firms) > sample:
        firms = sorted(rng.choice(firms, size=sample, replace=False).tolist())
    idx = matching_index(graph, until)
    kmax = max(ks)
    weights = load_weights()["weights"]
    field_only = {p: (1.0 if p == "field" else 0.0) for p in weights}
    pool = idx.candidates[idx.candidates["kind"].isin(kinds)]["id"].tolist()
    popular = sorted(pool, key=lambda c: (-idx.popularity.get(c, 0), c))
    ranked = {"matcher": {}, "field-only": {}, "popularity": {}, "random": {}}
    for firm in firms:
        profile = firm_profile(graph, firm)
        evidence = firm_evidence(graph, firm, idx.until)
        known = set(evidence.get("since", {}))
        df = score_candidates(idx, profile, evidence, kinds=kinds, weights=weights)
        df = df[~df["id"].isin(known)]
        ranked["matcher"][firm] = _top(df, "score", kmax)
        df = df.assign(only=sum(field_only[p] * df[p] for p in field_only))
        ranked["field-only"][firm] = _top(df, "only", kmax)
        ranked["popularity"][firm] = [c for c in popular if c not in known][:kmax]
        rest = [c for c in pool if c not in known]
        ranked["random"][firm] = [rest[i] for i in rng.permutation(len(rest))[:kmax]]
    rows = []
    for method, recs in ranked.items():
        row = {"method": method, "firms": len(firms), "until": int(until)}
        for k in ks:
            row[f"hit@{k}"] = round(float(np.mean([bool(set(recs[f][:k]) & truth[f]) for f in firms])), 3)
        rr = []
        for f in firms:
            hit = next((i for i, c in enumerate(recs[f]) if c in truth[f]), None)
            rr.append(0.0 if hit is None else 1.0 / (hit + 1))
        row["MRR"] = round(float(np.mean(rr)), 3)
        row["coverage"] = round(len({c for f in firms for c in recs[f]}) / max(len(pool), 1), 3)
        rows.append(row)
    return pd.DataFrame(rows)


def _top(df: pd.DataFrame, column: str, k: int) -> list[str]:
    df = df[df[column] > 0].sort_values([column, "network", "geography", "id"], ascending=[False, False, False, True])
    return df["id"].head(k).tolist()
