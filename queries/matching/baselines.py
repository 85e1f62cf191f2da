"""Baselines of partner matching on a snapshot, and the shared top-k ranking over dense score matrices.

Every method maps a batch of firms (rows of a
:class:`~kg.queries.matching.snapshot.Snapshot`) to a ``(firms x candidates)``
score matrix; :func:`top_k` turns it into lists, leaving out the firm's
known partners (and, in the long-tail view, the most popular candidates).
Ties are broken by popularity (then by position), so a structural score
that is zero for a firm with no partners falls back to popularity.

- ``random``; ``popularity`` (firms partnered by ``until``); ``field-only`` (shared fields and IPC classes);
- ``common-neighbours``, ``adamic-adar``, ``resource-allocation``: 3-step paths over the firm-academia graph;
- ``RA-projects-patents``: resource allocation through shared projects and patents;
- ``personalised-pagerank``: random walk with restart at the firm (restart 0.15, 20 steps) over
  firms, candidates, projects and patents.

Examples
--------
>>> import numpy as np
>>> scores = np.array([[0.0, 3.0, 1.0, 2.0]], dtype=np.float32)
>>> top_k(scores, np.array([[False, True, False, False]]), 2, tiebreak=np.zeros(4)).tolist()
[[3, 2]]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kg.queries.matching.features import pair_features
from kg.queries.matching.snapshot import Snapshot

BASELINES = (
    "random",
    "popularity",
    "field-only",
    "common-neighbours",
    "adamic-adar",
    "resource-allocation",
    "RA-projects-patents",
    "personalised-pagerank",
)
_FEATURE_OF = {
    "field-only": None,
    "common-neighbours": "cn",
    "adamic-adar": "aa",
    "resource-allocation": "ra",
    "RA-projects-patents": "items_ra",
}


def baseline_scores(s: Snapshot, rows: np.ndarray, method: str, rng: np.random.Generator | None = None) -> np.ndarray:
    """The ``(len(rows) x candidates)`` score matrix of one baseline ``method``."""
    b, nc = len(rows), len(s.cand_ids)
    if method == "random":
        return (rng or np.random.default_rng(0)).random((b, nc), dtype=np.float32)
    if method == "popularity":
        return np.broadcast_to(s.popularity.astype(np.float32)[None, :], (b, nc)).copy()
    if method == "field-only":
        f = pair_features(s, rows, ("field", "ipc"))
        return f["field"] + f["ipc"]
    if method == "personalised-pagerank":
        return personalised_pagerank(s, rows)
    if method in _FEATURE_OF:
        return pair_features(s, rows, (_FEATURE_OF[method],))[_FEATURE_OF[method]]
    raise ValueError(f"unknown baseline {method!r}; choose one of {', '.join(BASELINES)}")


def _walk_matrix(s: Snapshot) -> sp.csr_matrix:
    if "walk" not in s._cache:
        nf, nc, ni = len(s.firm_ids), len(s.cand_ids), s.B_firm.shape[1]
        z = lambda a, b: sp.csr_matrix((a, b), dtype=np.float32)  # noqa: E731
        adj = sp.bmat(
            [[z(nf, nf), s.A, s.B_firm], [s.A.T, z(nc, nc), s.B_cand], [s.B_firm.T, s.B_cand.T, z(ni, ni)]],
            format="csr",
        ).astype(np.float32)
        out = np.asarray(adj.sum(axis=1)).ravel()
        out[out == 0] = 1.0
        s._cache["walk"] = (sp.diags((1.0 / out).astype(np.float32)) @ adj).T.tocsr()  # column-stochastic
    return s._cache["walk"]


def personalised_pagerank(s: Snapshot, rows: np.ndarray, restart: float = 0.15, steps: int = 20) -> np.ndarray:
    """Visit probability of each candidate for a walk restarting at each firm of ``rows`` (batch power iteration)."""
    P = _walk_matrix(s)
    n, nf, nc = P.shape[0], len(s.firm_ids), len(s.cand_ids)
    e = np.zeros((n, len(rows)), dtype=np.float32)
    e[rows, np.arange(len(rows))] = 1.0
    x = e.copy()
    for _ in range(steps):
        x = (1 - restart) * (P @ x) + restart * e
    return np.ascontiguousarray(x[nf : nf + nc].T)


def top_k(scores: np.ndarray, exclude: np.ndarray, k: int, tiebreak: np.ndarray) -> np.ndarray:
    """Column positions of the ``k`` best candidates per row (excluded ones never), best first.

    Ties are broken by ``tiebreak`` (larger first), e.g. popularity. Rows with fewer than ``k``
    allowed candidates are padded with ``-1``.
    """
    _b, nc = scores.shape
    k = min(k, nc)
    top = scores.max(axis=1, keepdims=True)
    scaled = np.divide(scores, top, out=np.zeros_like(scores, dtype=np.float64), where=top > 0)
    tb = np.asarray(tiebreak, dtype=np.float64)
    tb = tb / (tb.max() + 1.0) if tb.size and tb.max() > 0 else np.zeros(nc)
    key = scaled + 1e-6 * tb[None, :]
    key[exclude] = -np.inf
    part = np.argpartition(-key, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(key, part, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    out = np.take_along_axis(part, order, axis=1)
    out[np.take_along_axis(vals, order, axis=1) == -np.inf] = -1
    return out
