"""Pair features of (firm, candidate) for a batch of firms against every candidate, as dense matrices.

Every feature is a ``(firms in batch) x (candidates)`` float32 matrix computed
with ``scipy.sparse`` products over a :class:`~kg.queries.matching.snapshot.Snapshot`
(so only what was known at its ``until``):

- ``field``: shared sub-fields and parent fields, weighted by how rare each is among candidates;
- ``ipc``: cosine of the IPC-subclass profiles of the two sides' patents;
- ``text``: BM25 of the firm's terms (products, demands, patent titles) in the candidate's text;
- ``cn``, ``aa``, ``ra``: common neighbours, Adamic-Adar and resource allocation over the
  firm-academia graph (firm -> its partners -> their other firms -> the candidate);
- ``items``: projects and patents the two share; ``items_ra``: resource allocation through shared
  projects and patents (firm -> its projects/patents -> the other participants -> theirs -> candidate);
- ``track``: firms of the firm's fields the candidate already works with (log), plus platforms;
- ``geography``: 1 same county, 0.6 same city, 0.3 same province;
- ``pop``, ``recent``, ``age``: the candidate's partners and its links formed in the last two years (log, divided
  by the largest, so snapshots of a growing graph compare),
  years since its latest link (capped at 10);
- ``firm_degree``, ``firm_items``: the firm's own partners and projects/patents (log);
- ``same_area``, ``local_pop``, ``local_share``: for firms whose area is known (province of a Chinese division
  code, else the region as given, e.g. an ISO country code): the candidate is in the firm's area (1), the firms
  of that area the candidate works with (log, divided by the largest log popularity), and their share of its partners.
  These give firms without any earlier partner (cold start) more than global popularity.
- ``area_pair``: the smoothed, area-level version of local popularity, for areas with few firms: the share of
  the cooperations of firms of the firm's area that go to candidates of the candidate's area, times the
  candidate's share of the firm partners of its area's candidates (times the number of candidates, log1p; 0 when
  the firm's area is unknown).

:func:`hand_score` is the hand-weighted score of ``weights.yaml`` over these parts.

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.queries.matching.snapshot import read_history, snapshot
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲"}, {"id": "E2", "name": "乙"}])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "一"}, {"id": "U2", "name": "二"}])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2019},
...     {"from_id": "E2", "to_id": "U1", "since": 2019}, {"from_id": "E2", "to_id": "U2", "since": 2019}])
>>> s = snapshot(read_history(g), 2020)
>>> f = pair_features(s, s.rows(["E1"]))
>>> float(f["cn"][0, s.cand_pos["U2"]]), float(f["ra"][0, s.cand_pos["U2"]])
(1.0, 0.25)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kg.queries.matching.index import load_weights
from kg.queries.matching.snapshot import Snapshot

FEATURES = (
    "field",
    "ipc",
    "text",
    "cn",
    "aa",
    "ra",
    "items",
    "items_ra",
    "track",
    "geography",
    "pop",
    "recent",
    "age",
    "firm_degree",
    "firm_items",
    "same_area",
    "local_pop",
    "area_pair",
)
#: the model may only raise its score with a feature (1), lower it (-1) or either (0): evidence never counts against
MONOTONE = (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0, 0, 1, 1, 1)


def _inv(x: np.ndarray, f=lambda v: v) -> np.ndarray:
    out = np.zeros_like(x, dtype=float)
    ok = x > 0
    out[ok] = 1.0 / f(x[ok])
    return out


def _structure(s: Snapshot) -> dict:
    """Candidate x candidate matrices of the 3-step paths (cached on the snapshot)."""
    if "paths" in s._cache:
        return s._cache["paths"]
    A = s.A.tocsc().astype(np.float32)
    deg_c = s.popularity.astype(float)
    deg_f = s.firm_degree.astype(float)
    At = A.T.tocsr()
    out = {
        "cn": (At @ A).tocsr(),
        "aa": (
            sp.diags(_inv(deg_c, lambda v: np.log(1 + v))) @ At @ sp.diags(_inv(deg_f, lambda v: np.log(1 + v))) @ A
        ).tocsr(),
        "ra": (sp.diags(_inv(deg_c)) @ At @ sp.diags(_inv(deg_f)) @ A).tocsr(),
    }
    B = sp.vstack([s.B_firm, s.B_cand]).tocsr().astype(np.float32)
    deg_i = np.asarray(B.sum(axis=0)).ravel()
    deg_o = np.asarray(B.sum(axis=1)).ravel()
    out["B"] = B
    out["Bt"] = B.T.tocsr()
    out["B_scaled"] = (sp.diags(_inv(deg_o).astype(np.float32)) @ B).tocsr()  # org x item, split by the org's items
    out["item_w"] = sp.diags(_inv(deg_i).astype(np.float32))  # divide by the item's participants
    out["B_cand_t"] = s.B_cand.T.tocsr().astype(np.float32)
    T = (s.F_firm.T @ s.A).tocsr()  # field x candidate: partner firms per field
    out["track"] = T
    out["Fw"] = sp.diags(s.field_weight.astype(np.float32))
    # fields are few: the candidate side dense makes (sparse firms x fields) @ (dense fields x candidates) fast
    out["F_cand_t"] = s.F_cand.T.toarray().astype(np.float32) if s.F_cand.shape[1] <= 4000 else s.F_cand.T.tocsr()
    s._cache["paths"] = out
    return out


def _dense(m) -> np.ndarray:
    return np.asarray(m.toarray() if sp.issparse(m) else m, dtype=np.float32)


def geography(s: Snapshot, rows: np.ndarray) -> np.ndarray:
    """1 same county, 0.6 same city, 0.3 same province, else 0 (``weights.yaml`` geography levels)."""
    lv = load_weights()["geography_levels"]
    fr = s.firm_region[rows]
    out = np.zeros((len(rows), len(s.cand_ids)), dtype=np.float32)
    for n, name, stop in ((2, "province", None), (4, "city", "00"), (6, "county", "00")):
        a = np.array([r[:n] if r and not (stop and r[:n].endswith(stop)) else "#" for r in fr], dtype=object)
        b = np.array([r[:n] if r else "%" for r in s.cand_region], dtype=object)
        codes = {v: i for i, v in enumerate(set(a) | set(b))}
        ai = np.array([codes[v] for v in a])[:, None]
        bi = np.array([codes[v] for v in b])[None, :]
        out = np.where(ai == bi, np.float32(lv[name]), out)
    return out


def _relative(v: np.ndarray) -> np.ndarray:
    """``v`` divided by its maximum: comparable between snapshots of a growing graph."""
    top = v.max() if v.size else 0
    return v / top if top > 0 else v


def pair_features(s: Snapshot, rows: np.ndarray, names=FEATURES) -> dict[str, np.ndarray]:
    """``{feature: (len(rows) x candidates) float32 matrix}`` for the firms at ``rows`` of ``s``."""
    p = _structure(s)
    b, nc = len(rows), len(s.cand_ids)
    Ar = s.A[rows].astype(np.float32)
    out: dict[str, np.ndarray] = {}
    bcast = lambda v: np.broadcast_to(np.asarray(v, dtype=np.float32)[None, :], (b, nc))  # noqa: E731
    per_row = lambda v: np.broadcast_to(np.asarray(v, dtype=np.float32)[:, None], (b, nc))  # noqa: E731
    for name in names:
        if name == "field":
            out[name] = _dense((s.F_firm[rows] @ p["Fw"]).astype(np.float32) @ p["F_cand_t"])
        elif name == "ipc":
            out[name] = _dense(s.I_firm[rows] @ s.I_cand.T)
        elif name == "text":
            out[name] = _dense(s.Q[rows] @ s.W.T)
        elif name in ("cn", "aa", "ra"):
            out[name] = _dense(Ar @ p[name])
        elif name == "items":
            out[name] = _dense(s.B_firm[rows] @ s.B_cand.T)
        elif name == "items_ra":
            x = s.B_firm[rows].astype(np.float32) @ p["item_w"]  # firm -> its items, split by participants
            x = x @ p["Bt"]  # -> every participant (org)
            x = x @ p["B_scaled"]  # -> their items, split by the org's items
            x = x @ p["item_w"]  # -> the items' participants ...
            out[name] = _dense(x @ p["B_cand_t"])  # ... that are candidates
        elif name == "track":
            out[name] = np.log1p(_dense(s.F_firm[rows] @ p["track"])) + bcast(s.platforms)
        elif name == "geography":
            out[name] = geography(s, rows)
        elif name == "pop":
            out[name] = bcast(_relative(np.log1p(s.popularity)))
        elif name == "recent":
            out[name] = bcast(_relative(np.log1p(s.recent)))
        elif name == "age":
            out[name] = bcast(np.where(s.last_year > 0, np.minimum(s.until - s.last_year, 10), 10))
        elif name == "firm_degree":
            out[name] = per_row(np.log1p(s.firm_degree[rows]))
        elif name == "area_pair":
            out[name] = _area_pair(s, rows)
        elif name in ("same_area", "local_pop", "local_share"):
            out[name] = _local(s, rows, name)
        elif name == "firm_items":
            out[name] = per_row(np.log1p(np.asarray(s.B_firm[rows].sum(axis=1)).ravel()))
    return out


def _local(s: Snapshot, rows: np.ndarray, name: str) -> np.ndarray:
    """The area features of the firms at ``rows`` (zero where the firm's area is unknown)."""
    arow, known = s.area_rows(rows)
    if name == "same_area":
        fa = s.firm_area[rows]
        codes = {v: i for i, v in enumerate(set(fa) | set(s.cand_area))}
        a = np.array([codes[v] if v else -1 for v in fa])[:, None]
        b = np.array([codes[v] if v else -2 for v in s.cand_area])[None, :]
        return (a == b).astype(np.float32)
    L = s.local[arow].toarray().astype(np.float32)
    L[~known] = 0
    if name == "local_pop":  # on the scale of ``pop``: divided by the largest log popularity
        top = float(np.log1p(s.popularity.max())) if s.popularity.size else 0.0
        return np.log1p(L) / np.float32(top) if top > 0 else L
    return np.divide(L, s.popularity.astype(np.float32)[None, :], out=np.zeros_like(L), where=s.popularity[None, :] > 0)


def _area_pair(s: Snapshot, rows: np.ndarray) -> np.ndarray:
    """``log1p(candidates x P[firm area, candidate area] x candidate's share of its area)`` (see
    :attr:`Snapshot.area_pair`): 0 where the firm's area is unknown, log 2 for a candidate as likely as average."""
    pos, P, share = s.area_pair
    fa = np.array([pos.get(a, -1) if a else -1 for a in s.firm_area[rows]], dtype=np.int64)
    ca = np.array([pos[a] for a in s.cand_area], dtype=np.int64)
    out = (P[np.maximum(fa, 0)][:, ca] * share[None, :] * len(s.cand_ids)).astype(np.float32)
    out[fa < 0] = 0
    return np.log1p(out)


def _row_scaled(m: np.ndarray) -> np.ndarray:
    top = m.max(axis=1, keepdims=True)
    return np.divide(m, top, out=np.zeros_like(m), where=top > 0)


def hand_score(f: dict[str, np.ndarray], weights: dict | None = None) -> np.ndarray:
    """The hand-weighted score (``weights.yaml``) from :func:`pair_features` parts, each scaled to 0..1 per firm.

    ``network`` = log1p(common neighbours) + ``projects`` weight x log1p(shared projects and patents).
    """
    cfg = load_weights()
    w = weights or cfg["weights"]
    field = f["field"] + f["ipc"]
    network = (
        np.log1p(f["cn"]) * cfg["network_parts"]["peers"] + np.log1p(f["items"]) * cfg["network_parts"]["projects"]
    )
    parts = {"field": field, "text": f["text"], "network": network, "track": f["track"], "geography": f["geography"]}
    total = np.zeros_like(field)
    for name, m in parts.items():
        if w.get(name, 0.0):
            total += np.float32(w[name]) * (_row_scaled(m) if name != "geography" else m)
    return total
