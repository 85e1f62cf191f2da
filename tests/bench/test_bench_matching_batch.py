"""Benchmark: vectorised batch scoring (10,000 firms x 10,000 candidates) next to the per-firm path.

Part 1 builds a synthetic history (10,000 firms, 10,000 universities and institutes, fields,
regions, 30,000 cooperations, 20,000 projects) straight into the matrices of
:mod:`kg.queries.matching.snapshot` and times, for every firm, the features, the
hand-weighted score and the learned ranker's top 10 (model fitted beforehand, timed apart).
Part 2 times the per-firm path (a Cypher round trip per firm, then scoring: what the
back-test did before) against the batch path on the same demo store: the ratio is per-firm
time / batch time per firm.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from benchlog import record

N_FIRMS = 10_000
N_CANDS = 10_000


def synthetic_history(seed: int = 0):
    from kg.queries.matching.snapshot import History

    rng = np.random.default_rng(seed)
    firms = [f"E{i:05d}" for i in range(N_FIRMS)]
    cands = [f"U{i:05d}" for i in range(N_CANDS)]
    subs = [f"F0{a}0{b}" for a in range(1, 9) for b in range(1, 5)]
    provinces = ["21", "11", "31", "44", "32", "33"]
    region = lambda: f"{rng.choice(provinces)}{rng.integers(1, 10):02d}{rng.integers(1, 10):02d}"  # noqa: E731
    pop = rng.pareto(1.2, N_CANDS) + 1
    pop /= pop.sum()
    coop = pd.DataFrame(
        {
            "firm": rng.choice(firms, 30_000),
            "partner": rng.choice(cands, 30_000, p=pop),
            "year": rng.integers(2010, 2025, 30_000),
        }
    )
    n_proj = 20_000
    proj = np.array([f"P:{p}" for p in range(n_proj)], dtype=object)
    year = rng.integers(2010, 2025, n_proj)
    items = pd.concat(
        [
            pd.DataFrame(
                {
                    "kind": "Enterprise",
                    "id": rng.choice(firms, 2 * n_proj),
                    "item": np.tile(proj, 2),
                    "year": np.tile(year, 2),
                }
            ),
            pd.DataFrame({"kind": "University", "id": rng.choice(cands, n_proj, p=pop), "item": proj, "year": year}),
        ],
        ignore_index=True,
    )
    return History(
        firms=pd.DataFrame({"id": firms, "region": [region() for _ in firms], "text": ""}),
        candidates=pd.DataFrame(
            {"id": cands, "name": cands, "kind": "University", "region": [region() for _ in cands]}
        ),
        cooperations=coop,
        items=items,
        patents=pd.DataFrame(columns=["kind", "id", "item", "year", "ipc", "text"]),
        firm_fields=pd.DataFrame({"id": firms, "field": rng.choice(subs, N_FIRMS)}),
        cand_fields=pd.DataFrame({"id": cands * 2, "field": rng.choice(subs, 2 * N_CANDS)}),
        texts=pd.DataFrame(columns=["id", "year", "text"]),
        static_texts=pd.DataFrame(columns=["id", "text"]),
        platforms=pd.DataFrame(columns=["id", "level", "year"]),
        field_parent={s: s[:3] for s in subs} | {s[:3]: None for s in subs},
    )


@pytest.mark.bench
def test_bench_batch_scoring_10k_by_10k():
    from kg.queries.matching.baselines import top_k
    from kg.queries.matching.features import hand_score, pair_features
    from kg.queries.matching.model import BATCH, fit_ranker
    from kg.queries.matching.snapshot import snapshot

    h = synthetic_history()
    t = time.perf_counter()
    s = snapshot(h, 2024)
    snap_s = time.perf_counter() - t
    t = time.perf_counter()
    ranker = fit_ranker(h, 2024)
    fit_s = time.perf_counter() - t
    rows_all = np.arange(len(s.firm_ids))
    timings = {}
    for name in ("hand weights", "learned"):
        t = time.perf_counter()
        for lo in range(0, len(rows_all), BATCH):
            rows = rows_all[lo : lo + BATCH]
            exclude = s.A[rows].toarray() > 0
            sc = hand_score(pair_features(s, rows)) if name == "hand weights" else ranker.scores(s, rows, exclude)
            top = top_k(sc, exclude, 10, s.popularity)
        timings[name] = time.perf_counter() - t
    rows = [
        {
            "case": f"{name}: {len(rows_all)} firms x {len(s.cand_ids)} candidates, top 10",
            "seconds": round(sec, 1),
            "firms/s": round(len(rows_all) / sec),
        }
        for name, sec in timings.items()
    ]
    rows += [
        {"case": "snapshot (sparse matrices) build", "seconds": round(snap_s, 1)},
        {
            "case": "learned ranker fit (features at 2022, links of 2023-2024)",
            "seconds": round(fit_s, 1),
            "pairs": ranker.info["pairs"],
        },
    ]
    record(
        "Matching: batch scoring 10k x 10k",
        rows,
        goal="10,000 firms x 10,000 candidates in < 60 s (2 cores)",
        note="vectorised: scipy.sparse products per batch of 512 firms; learned = pool of <= 400 per firm re-ranked",
    )
    assert top.shape[1] == 10 and (top >= 0).all()
    assert timings["learned"] < 60 and timings["hand weights"] < 60


@pytest.mark.bench
def test_bench_batch_against_per_firm_path():
    from kg import KnowledgeGraph
    from kg.demo import build_demo
    from kg.queries.matching.baselines import top_k
    from kg.queries.matching.features import hand_score, pair_features
    from kg.queries.matching.index import load_weights, matching_index
    from kg.queries.matching.partners import firm_evidence, firm_profile, score_candidates
    from kg.queries.matching.snapshot import read_history, snapshot

    g = KnowledgeGraph.open(":memory:")
    build_demo(g, seed=7, scale=0.5)
    firms = g.query("MATCH (e:Enterprise) RETURN e.id AS id ORDER BY id")["id"].tolist()
    sample = firms[:: max(1, len(firms) // 60)][:60]
    idx = matching_index(g, 2022)
    weights = load_weights()["weights"]
    t = time.perf_counter()
    for f in sample:  # the per-firm path: Cypher round trips per firm, then scoring
        score_candidates(
            idx,
            firm_profile(g, f),
            firm_evidence(g, f, 2022),
            kinds=("University", "ResearchInstitute"),
            weights=weights,
        )
    per_firm = (time.perf_counter() - t) / len(sample)
    t = time.perf_counter()
    s = snapshot(read_history(g), 2022)
    rows = np.arange(len(s.firm_ids))
    for lo in range(0, len(rows), 512):
        r = rows[lo : lo + 512]
        top_k(hand_score(pair_features(s, r)), s.A[r].toarray() > 0, 10, s.popularity)
    batch = (time.perf_counter() - t) / len(rows)
    g.close()
    out = [
        {
            "case": "per-firm path (Cypher per firm + scoring)",
            "firms": len(sample),
            "ms/firm": round(1000 * per_firm, 2),
        },
        {
            "case": "batch path (read once, sparse matrices, all firms)",
            "firms": len(rows),
            "ms/firm": round(1000 * batch, 3),
            "ratio": round(per_firm / batch, 1),
        },
    ]
    record(
        "Matching: batch vs per-firm path",
        out,
        goal="batch scoring at least 10x faster per firm",
        note="demo seed 7 scale 0.5, cut-off 2022; batch time includes reading the history and building the snapshot",
    )
    assert per_firm / batch > 1
