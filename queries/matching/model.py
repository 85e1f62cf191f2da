"""Learned ranking of partners: a gradient-boosted model fitted on the graph's own past.

Training mirrors the back-test one step earlier: features are computed on the
snapshot at ``until - horizon`` and the labels are the cooperations formed in
``(until - horizon, until]``.  Each firm's candidates are first narrowed to a
pool (the best :data:`POOL` by resource allocation, by resource allocation
through projects and patents, by the hand-weighted score, by popularity and by
popularity among firms of the firm's own area and by the area-pair estimate),
and the model (scikit-learn ``HistGradientBoostingClassifier``) re-ranks the
pool; the same pool is used when ranking, so the model is never asked about
pairs unlike those it was fitted on.

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(1, 4)])
>>> _ = g.upsert_nodes("University", [{"id": f"U{i}", "name": f"大学{i}"} for i in range(1, 4)])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": f, "to_id": u, "since": y} for f, u, y in
...     [("E1", "U1", 2019), ("E2", "U1", 2019), ("E2", "U2", 2020), ("E1", "U2", 2022), ("E3", "U1", 2023)]])
>>> ranker = train_ranker(g, until=2023)
>>> ranker.info["train_until"], ranker.info["label_years"], ranker.info["positives"]
(2021, [2022, 2023], 2)
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from kg.errors import KGError
from kg.journal import DERIVED_SUFFIXES
from kg.queries.matching.features import FEATURES, MONOTONE, hand_score, pair_features
from kg.queries.matching.snapshot import History, Snapshot, new_links, read_history, snapshot
from kg.types import Graph

#: features of the separate model for cold-start firms (no partners, projects or patents of their own)
COLD_FEATURES = ("pop", "recent", "same_area", "local_pop", "area_pair", "field", "text", "geography")
#: candidates per generator in the pool the model re-ranks
POOL = 60
#: firms per batch when scoring (bounds memory: batch x candidates float32 per feature)
BATCH = 512
MODEL_SUFFIX = DERIVED_SUFFIXES[0]  # removed with the store (kg.journal.remove_store)
#: share of the firms of the last year whose links of that year are left out to learn from (``horizon`` 0)
LEAVE_OUT = 0.3
#: the long tail the ranker also learns: candidates outside the ``TAIL`` most popular (its own models)
TAIL = 200
#: fit a separate model for cold-start firms
COLD_SPLIT = True


def _best(m: np.ndarray, exclude: np.ndarray, k: int) -> np.ndarray:
    """Up to ``k`` columns with the largest positive score per row (unordered; -1 = none)."""
    key = np.where(exclude, np.float32(0), m)
    k = min(k, key.shape[1])
    part = np.argpartition(-key, k - 1, axis=1)[:, :k]
    part[np.take_along_axis(key, part, axis=1) <= 0] = -1
    return part


def _most_popular(pop: np.ndarray, exclude: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` most popular allowed columns per row (-1 = none), from one global order."""
    extra = int(exclude.sum(axis=1).max()) if exclude.size else 0
    order = np.argsort(-pop, kind="stable")[: k + extra]
    allowed = ~exclude[:, order]
    take = allowed & (np.cumsum(allowed, axis=1) <= k)
    out = np.where(take, order[None, :], -1)
    return out


def pool_and_features(s: Snapshot, rows: np.ndarray, exclude: np.ndarray, pool: int = POOL):
    """The candidate pool of each firm and the features of every pool pair.

    Returns ``(row index, candidate column, feature matrix X, hand score matrix)``: one row of ``X``
    per (firm, pooled candidate), columns :data:`FEATURES` then the hand score.
    """
    f = pair_features(s, rows)
    hand = hand_score(f)
    lists = [_best(m, exclude, pool) for m in (f["ra"], f["items_ra"], hand)]
    lists.append(_most_popular(s.popularity, exclude, pool))
    lists.append(_best(f["local_pop"], exclude, pool))
    lists.append(_best(f["area_pair"], exclude, pool))
    cand = np.concatenate(lists, axis=1)
    cand.sort(axis=1)
    dup = np.zeros_like(cand, dtype=bool)
    dup[:, 1:] = cand[:, 1:] == cand[:, :-1]
    cand[dup] = -1
    r, c = np.nonzero(cand >= 0)
    cols = cand[r, c]
    X = np.column_stack([f[name][r, cols] for name in FEATURES] + [hand[r, cols]]).astype(np.float32)
    return r, cols, X, hand


class Classifier(Protocol):
    """A fitted binary classifier (the scikit-learn estimators the ranker trains)."""

    def predict_proba(self, X: Any) -> np.ndarray: ...


@dataclass
class LearnedRanker:
    """A fitted model with what it was fitted on (``info``: split, sizes, in-sample metrics)."""

    model: Classifier
    info: dict = field(default_factory=dict)
    cold_model: Classifier | None = None
    tails: dict = field(default_factory=dict)  # {N: (model, cold model)} fitted outside the N most popular

    @property
    def label(self) -> str:
        """One line naming the model and its split, for the CLI and reports."""
        i = self.info
        if i.get("left_out"):
            split = (
                f"features up to {i['train_until']} less the {i['until']} links of {i['left_out']:.0%} of that "
                f"year's firms, which are learned"
            )
        else:
            split = f"features up to {i['train_until']}, links of {i['label_years'][0]}-{i['label_years'][-1]}"
        return f"learned ({i['estimator']}, {split}, {i['positives']} positives)"

    def scores(self, s: Snapshot, rows: np.ndarray, exclude: np.ndarray, tail: int = 0) -> np.ndarray:
        """``(len(rows) x candidates)`` scores: model probability in the pool, a tiny hand-score rest outside.

        ``tail`` N: the candidates are those outside the N most popular (``exclude`` leaves those out); the
        models fitted on that tail rank them when there are any.
        """
        model, cold_model = self.tails.get(tail, (self.model, self.cold_model))
        r, cols, X, hand = pool_and_features(s, rows, exclude)
        out = (hand * 1e-3).astype(np.float32)
        if len(r):
            with _one_thread():
                p = model.predict_proba(X)[:, 1]
            if cold_model is not None:
                cold = _is_cold(X)
                if cold.any():
                    p[cold] = cold_model.predict_proba(_cold_X(X[cold]))[:, 1]
            out[r, cols] = 1.0 + p.astype(np.float32)
        return out

    def save(self, path: str | Path) -> Path:
        """Write the model and its info (pickle) to ``path``."""
        path = Path(path)
        path.write_bytes(
            pickle.dumps(
                {
                    "model": self.model,
                    "cold_model": self.cold_model,
                    "tails": self.tails,
                    "info": self.info,
                    "features": FEATURES,
                }
            )
        )
        return path

    @classmethod
    def load(cls, path: str | Path) -> LearnedRanker:
        """Read a model written by :meth:`save` (the features must match this version's)."""
        data = pickle.loads(Path(path).read_bytes())
        if tuple(data.get("features", ())) != FEATURES:
            raise KGError(f"{path}: the matching model was fitted with other features; refit with `kg train matching`")
        return cls(
            model=data["model"], info=data["info"], cold_model=data.get("cold_model"), tails=data.get("tails", {})
        )


def _is_cold(X: np.ndarray) -> np.ndarray:
    """Rows of pool features whose firm has no partner, project or patent of its own."""
    return (X[:, FEATURES.index("firm_degree")] == 0) & (X[:, FEATURES.index("firm_items")] == 0)


def _cold_X(X: np.ndarray) -> np.ndarray:
    return X[:, [FEATURES.index(n) for n in COLD_FEATURES]]


def _fit_cold(X: np.ndarray, y: np.ndarray, seed: int):
    """Logistic regression over :data:`COLD_FEATURES` for cold-start firms (``None`` when too few of them)."""
    from sklearn.linear_model import LogisticRegression

    cold = _is_cold(X)
    if y[cold].sum() < 20 or y[cold].all():
        return None
    return LogisticRegression(C=1.0, max_iter=500, random_state=seed).fit(_cold_X(X[cold]), y[cold])


def _one_thread():
    """Run scikit-learn's OpenMP loops on one thread: on a small, shared machine more threads only spin-wait."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


def model_path(db: str | Path) -> Path:
    """Where the model of the store ``db`` is kept: beside it, ``<store>.matching-model.pkl``."""
    return Path(str(db) + MODEL_SUFFIX)


def training_pairs(
    history: History,
    until: int,
    horizon: int = 2,
    max_firms: int = 4000,
    negatives: int = 60,
    seed: int = 0,
    tail: int = 0,
):
    """Features at ``until - horizon`` and labels (cooperations formed in the next ``horizon`` years).

    ``horizon`` 0: features at ``until`` without the links of year ``until`` of a random :data:`LEAVE_OUT` share
    of the firms that formed links that year, labels = those links (:func:`_leave_firms_out`).
    """
    if horizon == 0:
        s, new = _leave_firms_out(history, until, LEAVE_OUT, seed)
    else:
        s = snapshot(history, until - horizon)
        coop = history.cooperations
        new = coop[(coop["year"] > until - horizon) & (coop["year"] <= until)]
    fr, cc = new_links(s, new)
    firms = np.unique(fr)
    rng = np.random.default_rng(seed)
    if len(firms) > max_firms:
        firms = np.sort(rng.choice(firms, max_firms, replace=False))
    truth = set(zip(fr.tolist(), cc.tolist()))
    head = np.zeros(len(s.cand_ids), dtype=bool)
    if tail:
        head[np.argsort(-s.popularity, kind="stable")[:tail]] = True
    Xs, ys, groups = [], [], []
    for lo in range(0, len(firms), BATCH):
        rows = firms[lo : lo + BATCH]
        exclude = (s.A[rows].toarray() > 0) | head[None, :]
        r, cols, X, _ = pool_and_features(s, rows, exclude)
        y = np.array([(int(rows[i]), int(c)) in truth for i, c in zip(r, cols)], dtype=bool)
        keep = y | (rng.random(len(y)) < negatives / (POOL * 2))
        Xs.append(X[keep])
        ys.append(y[keep])
        groups.append(rows[r[keep]])
    if not Xs or not np.concatenate(ys).any():
        raise KGError(
            f"no cooperation formed in {until - horizon + 1}-{until} among the pooled candidates: "
            f"nothing to fit on; choose another --until (the graph needs dated cooperations)"
        )
    return s, np.concatenate(Xs), np.concatenate(ys), np.concatenate(groups), len(firms)


def _leave_firms_out(history: History, until: int, share: float, seed: int):
    """The snapshot at ``until`` without the links of year ``until`` of a random ``share`` of the firms that
    formed links that year (their cooperations, projects and patents of that year), and those cooperations."""
    from dataclasses import replace

    coop = history.cooperations
    last = coop[coop["year"] == until]
    firms = np.array(sorted(set(last["firm"].astype(str))), dtype=object)
    rng = np.random.default_rng(seed)
    left = set(rng.choice(firms, size=max(int(len(firms) * share), 1), replace=False).tolist()) if len(firms) else set()
    out_c = coop["firm"].astype(str).isin(left) & (coop["year"] == until)
    items, patents = history.items, history.patents
    out_i = (items["kind"] == "Enterprise") & items["id"].astype(str).isin(left) & (items["year"] == until)
    out_p = (patents["kind"] == "Enterprise") & patents["id"].astype(str).isin(left) & (patents["year"] == until)
    reduced = replace(history, cooperations=coop[~out_c], items=items[~out_i], patents=patents[~out_p])
    return snapshot(reduced, until), coop[out_c]


def default_horizon(history: History, until: int) -> int:
    """2 years, or 0 when the history known 2 years before ``until`` is thin: fewer dated cooperations by
    ``until - 2`` than half of those by ``until - 1`` (a history that starts late, e.g. Horizon 2020 from 2014).
    A model fitted on a nearly empty year learns little about firms with partners; with ``horizon`` 0 it learns
    from the year ``until`` itself, leaving out some firms' links of that year (see :func:`training_pairs`).

    >>> import pandas as pd
    >>> h = History(*[pd.DataFrame()] * 2, pd.DataFrame({"year": [2014, 2015, 2015, 2015, 2016]}), *[None] * 8)
    >>> default_horizon(h, 2016), default_horizon(h, 2017)
    (0, 2)
    """
    years = history.cooperations["year"]
    dated = years > 0
    return 2 if (dated & (years <= until - 2)).sum() * 2 >= max((dated & (years <= until - 1)).sum(), 1) else 0


def fit_ranker(history: History, until: int, horizon: int | None = None, seed: int = 0, **kw) -> LearnedRanker:
    """Fit a :class:`LearnedRanker` on links formed in ``(until - horizon, until]`` (features at ``until - horizon``).

    ``horizon`` defaults to :func:`default_horizon`.
    """
    horizon = default_horizon(history, until) if horizon is None else int(horizon)
    if horizon < 0:
        raise KGError(f"--horizon {horizon}: give 0 (the last year, some firms left out), 1, 2 or more years")

    _, X, y, _, firms = training_pairs(history, until, horizon, seed=seed, **kw)
    model, cold_model = _fit(X, y, seed)
    tails = {}
    if cold_model is not None:  # the cold-start model again, on links outside the TAIL most popular candidates
        try:
            _, Xt, yt, _, _ = training_pairs(history, until, horizon, seed=seed, tail=TAIL, **kw)
            tail_cold = _fit_cold(Xt, yt, seed)
            if tail_cold is not None:
                tails[TAIL] = (model, tail_cold)
        except KGError:  # no link outside the most popular: the tail is ranked by the models above
            pass
    from sklearn.metrics import roc_auc_score

    auc = float(roc_auc_score(y, model.predict_proba(X)[:, 1])) if 0 < y.sum() < len(y) else float("nan")
    info = {
        "estimator": "HistGradientBoostingClassifier"
        + (" + cold-start logistic" if cold_model else "")
        + (f" (+ one for the tail beyond {TAIL})" if tails else ""),
        "until": int(until),
        "train_until": int(until - horizon),
        "label_years": list(range(until - horizon + 1, until + 1)) if horizon else [int(until)],
        "left_out": LEAVE_OUT if horizon == 0 else 0.0,
        "firms": int(firms),
        "pairs": len(y),
        "positives": int(y.sum()),
        "in_sample_auc": round(auc, 3),
        "features": list(FEATURES) + ["hand"],
    }
    return LearnedRanker(model=model, info=info, cold_model=cold_model, tails=tails)


def _fit(X: np.ndarray, y: np.ndarray, seed: int):
    """The boosted model and the cold-start model fitted on training pairs."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=31,
        min_samples_leaf=40,
        l2_regularization=1.0,
        random_state=seed,
        monotonic_cst=list(MONOTONE) + [1],
    )
    with _one_thread():
        model.fit(X, y)
    return model, (_fit_cold(X, y, seed) if COLD_SPLIT else None)


def train_ranker(graph: Graph, until: int, horizon: int | None = None, seed: int = 0) -> LearnedRanker:
    """Read ``graph``'s history and fit a :class:`LearnedRanker` at cut-off ``until`` (see :func:`fit_ranker`)."""
    return fit_ranker(read_history(graph), int(until), horizon, seed)


def describe(ranker: LearnedRanker) -> pd.DataFrame:
    """The model's split and fit figures as a two-column table."""
    return pd.DataFrame({"key": list(ranker.info), "value": [str(v) for v in ranker.info.values()]})
