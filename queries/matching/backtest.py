"""Back-test of partner matching: hide what happened after a year, recommend, and score the rankings.

The graph's history is cut at ``until`` (:mod:`kg.queries.matching.snapshot`:
cooperations, projects, patents, demands, achievements and platforms dated
after it are dropped); every firm that forms a new academic partnership in
``(until, to]`` is a test firm, including firms with no earlier evidence
(cold start: they are ranked by field, text, geography, popularity and popularity in their own area).  All
methods rank every candidate on the same split, in vectorised batches:

- ``learned``: the gradient-boosted ranker fitted on the graph's own past
  (features at ``until - 2``, links of the two years up to ``until``; when the history two years back
  is thin, the year ``until`` itself with 30% of its firms' links left out to learn; :mod:`.model`);
- ``hand weights``: the hand-weighted score of ``weights.yaml``;
- the baselines of :mod:`.baselines` (random, popularity, field-only, common
  neighbours, Adamic-Adar, resource allocation, resource allocation through
  projects and patents, personalised PageRank).

Metrics per method: hit@k (share of firms with a new partner among the first
k), MRR (reciprocal rank of the first new partner within the first
``max(k)``), catalogue coverage, each with a bootstrap 95% interval over
firms.  Rows are reported for all test firms, firms with earlier partners
and cold-start firms, in two views: ``all`` partners and the long ``tail``
(test partners outside the ``tail`` most popular candidates at ``until``,
every method's list excluding those).

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.1)
>>> table = evaluate_matching(g, until=2022, methods=("popularity", "random"), tail=20, boot=50)
>>> sorted(set(table["view"])), sorted(set(table["group"]))
(['all', 'tail'], ['all firms', 'cold start', 'with partners'])
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from kg.errors import KGError
from kg.queries.matching.baselines import BASELINES, baseline_scores, top_k
from kg.queries.matching.features import hand_score, pair_features
from kg.queries.matching.model import BATCH, LearnedRanker, fit_ranker
from kg.queries.matching.snapshot import History, new_links, read_history, snapshot

METHODS = ("learned", "hand weights", *BASELINES)
GROUPS = ("all firms", "with partners", "cold start")


def test_split(history: History, s, to: int | None) -> dict[int, set]:
    """``{firm row: {candidate positions}}`` of cooperations formed in ``(s.until, to]`` and not known at ``s.until``."""
    coop = history.cooperations
    new = coop[(coop["year"] > s.until) & ((coop["year"] <= to) if to is not None else True)]
    fr, cc = new_links(s, new)
    truth: dict[int, set] = {}
    for f, c in zip(fr.tolist(), cc.tolist()):
        truth.setdefault(f, set()).add(c)
    return truth


def _metrics(lists: np.ndarray, truth: list[set], ks) -> dict[str, np.ndarray]:
    kmax = lists.shape[1]
    hit_pos = np.full(len(truth), kmax, dtype=int)
    for i, (row, t) in enumerate(zip(lists, truth)):
        for j, c in enumerate(row):
            if c in t:
                hit_pos[i] = j
                break
    out = {f"hit@{k}": (hit_pos < k).astype(float) for k in ks}
    out["MRR"] = np.where(hit_pos < kmax, 1.0 / (hit_pos + 1), 0.0)
    return out


def _bootstrap(values: np.ndarray, idx: np.ndarray) -> tuple[float, float]:
    if len(values) == 0:
        return (np.nan, np.nan)
    means = values[idx].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def evaluate_matching(
    graph,
    until: int,
    to: int | None = None,
    ks=(5, 10),
    sample: int | None = None,
    seed: int = 0,
    tail: int = 200,
    methods=METHODS,
    boot: int = 1000,
    history: History | None = None,
    ranker: LearnedRanker | None = None,
) -> pd.DataFrame:
    """Metric table of the back-test at cut-off ``until``, test window ``(until, to]`` (see the module doc).

    One row per (view, group, method) with ``firms``, ``hit@k``, ``MRR``, ``coverage`` and
    ``<metric>_lo`` / ``<metric>_hi`` (bootstrap 95% interval over firms, ``boot`` resamples).
    ``table.attrs`` holds ``seconds``, ``candidates``, ``tail`` and the learned model's ``model``.
    """
    started = time.perf_counter()
    until = int(until)
    if to is not None and int(to) <= until:
        raise KGError(f"--to {to} must be after --until {until}")
    history = history or read_history(graph)
    s = snapshot(history, until)
    truth = test_split(history, s, to)
    if not truth:
        window = f"in {until + 1}-{to}" if to else f"after {until}"
        raise KGError(
            f"no new cooperation of a firm with a university or institute {window}: "
            f"choose an earlier --until (the graph needs dated cooperations)"
        )
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise KGError(f"unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}")
    rng = np.random.default_rng(seed)
    firms = np.array(sorted(truth), dtype=np.int64)
    if sample and len(firms) > sample:
        firms = np.sort(rng.choice(firms, size=sample, replace=False))
    note = None
    if "learned" in methods and ranker is None:
        try:
            ranker = fit_ranker(history, until, seed=seed)
        except KGError as exc:  # too little history to learn from: report the other methods and say why
            methods, note = tuple(m for m in methods if m != "learned"), f"learned model not fitted: {exc}"
    kmax = max(ks)
    pop = s.popularity
    n_tail = min(int(tail), len(s.cand_ids))
    head = np.zeros(len(s.cand_ids), dtype=bool)
    head[np.argsort(-pop, kind="stable")[:n_tail]] = True
    lists: dict[tuple[str, str], list[np.ndarray]] = {(v, m): [] for v in ("all", "tail") for m in methods}
    for lo in range(0, len(firms), BATCH):
        rows = firms[lo : lo + BATCH]
        known = s.A[rows].toarray() > 0
        views = {"all": known, "tail": known | head[None, :]}
        base = {}
        for m in methods:
            if m == "hand weights":
                base[m] = hand_score(pair_features(s, rows))
            elif m != "learned":
                base[m] = baseline_scores(s, rows, m, rng)
        for v, exclude in views.items():
            for m in methods:
                if m == "learned" and ranker is not None:
                    sc = ranker.scores(s, rows, exclude, tail=n_tail if v == "tail" else 0)
                else:
                    sc = base[m]
                lists[(v, m)].append(top_k(sc, exclude, kmax, pop if m != "random" else np.zeros_like(pop)))
    warm = s.firm_degree[firms] > 0
    rows_out = []
    head_set = set(np.flatnonzero(head).tolist())
    for v in ("all", "tail"):
        t = [truth[f] - head_set if v == "tail" else truth[f] for f in firms]
        has = np.array([bool(x) for x in t])
        for m in methods:
            L = np.concatenate(lists[(v, m)])
            met = _metrics(L, t, ks)
            for g, sel in zip(GROUPS, (has, has & warm, has & ~warm)):
                n = int(sel.sum())
                idx = rng.integers(0, n, size=(boot, n)) if n else None
                row = {"view": v, "group": g, "method": m, "firms": n}
                for name, vals in met.items():
                    x = vals[sel]
                    row[name] = round(float(x.mean()), 3) if n else np.nan
                    lo_, hi_ = _bootstrap(x, idx) if idx is not None else (np.nan, np.nan)
                    row[f"{name}_lo"], row[f"{name}_hi"] = round(lo_, 3), round(hi_, 3)
                recs = L[sel][L[sel] >= 0]
                row["coverage"] = round(
                    len(np.unique(recs)) / max(len(s.cand_ids) - (n_tail if v == "tail" else 0), 1), 3
                )
                rows_out.append(row)
    out = pd.DataFrame(rows_out)
    out.attrs.update(
        seconds=round(time.perf_counter() - started, 1),
        candidates=len(s.cand_ids),
        tail=n_tail,
        until=until,
        to=to,
        model=ranker.label if ranker is not None else note,
    )
    return out


def summary(table: pd.DataFrame, ks=(5, 10)) -> pd.DataFrame:
    """The table with each metric as ``value [lo, hi]`` text (for the terminal)."""
    out = table[["view", "group", "method", "firms"]].copy()
    for name in [f"hit@{k}" for k in ks] + ["MRR"]:
        out[name] = [
            f"{v:.3f} [{lo:.3f}, {hi:.3f}]" if v == v else "-"
            for v, lo, hi in zip(table[name], table[f"{name}_lo"], table[f"{name}_hi"])
        ]
    out["coverage"] = table["coverage"]
    return out
