"""Partners for one firm ranked by a stored :class:`~kg.queries.matching.model.LearnedRanker`, with the evidence.

Used by :func:`kg.queries.matching.match_partners` when a model is given or
stored beside the store (``kg train matching``); the hand-weighted score
stays the fallback.  The ``why`` text names the strongest evidence first:
shared projects and patents, firms that share partners with this firm and
work with the candidate, shared fields and IPC classes, geography, track
record.

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.queries.matching.model import train_ranker
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(1, 4)])
>>> _ = g.upsert_nodes("University", [{"id": f"U{i}", "name": f"大学{i}"} for i in range(1, 4)])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": f, "to_id": u, "since": y} for f, u, y in
...     [("E1", "U1", 2019), ("E2", "U1", 2019), ("E2", "U2", 2020), ("E1", "U2", 2022), ("E3", "U1", 2023)]])
>>> table = rank_with_model(g, "E3", train_ranker(g, until=2023), top=2)
>>> table["id"].tolist(), table["why_en"].iloc[0]
(['U2', 'U3'], '2 path(s) through shared partners (firms sharing a partner with this firm work with it); works with 2 firm(s)')
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from kg.queries.matching.features import pair_features
from kg.queries.matching.index import KIND_ZH, NO_CUTOFF, RANKED, signature
from kg.queries.matching.model import LearnedRanker
from kg.queries.matching.snapshot import read_history, snapshot

COLUMNS = [
    *RANKED,
    "existing",
    "shared_partners",
    "shared_items",
    "shared_fields",
    "geography",
    "popularity",
    "why_zh",
    "why_en",
]
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def current_snapshot(graph):
    """The snapshot of everything ``graph`` holds now, dated at its latest year (cached until its counts change).

    Dated at the latest cooperation or project/patent year (not "no cut-off"), so that recency features
    mean what they meant when the model was fitted.
    """
    sig = (
        signature(graph),
        tuple(graph.count(t) for t in ("Enterprise", "COOPERATES_WITH", "PARTICIPATES_IN", "APPLIED_FOR")),
    )
    hit = _CACHE.get(graph)
    if hit is None or hit[0] != sig:
        h = read_history(graph)
        years = [int(d["year"].max()) for d in (h.cooperations, h.items) if len(d)]
        hit = (sig, snapshot(h, max(years) if years and max(years) > 0 else NO_CUTOFF))
        _CACHE[graph] = hit
    return hit[1]


def rank_with_model(
    graph,
    firm_id: str,
    ranker: LearnedRanker,
    top: int | None = 10,
    kinds=("University", "ResearchInstitute"),
    exclude_existing: bool = True,
) -> pd.DataFrame:
    """The ``top`` candidates for ``firm_id`` by the model's score (``table.attrs["model"]`` names the model)."""
    s = current_snapshot(graph)
    rows = s.rows([firm_id])
    known = s.A[rows].toarray() > 0
    exclude = (known if exclude_existing else np.zeros_like(known)) | ~np.isin(s.cand_kind, list(kinds))[None, :]
    score = ranker.scores(s, rows, exclude)[0]
    score[exclude[0]] = -np.inf
    order = np.lexsort((-s.popularity, -score))
    ranked = [i for i in order if np.isfinite(score[i])][:top]
    f = pair_features(s, rows, ("cn", "items", "field", "geography"))
    names = _field_names(graph)
    out = []
    for rank, c in enumerate(ranked, 1):
        shared = sorted(
            {s.field_ids[j] for j in (s.F_firm[rows[0]].multiply(s.F_cand[c])).indices if len(s.field_ids[j]) > 3}
        )
        row = {
            "rank": rank,
            "id": s.cand_ids[c],
            "name": s.cand_name[c],
            "kind": s.cand_kind[c],
            "score": round(float(score[c]) - 1.0 if score[c] >= 1 else float(score[c]), 4),
            "existing": bool(known[0, c]),
            "shared_partners": int(f["cn"][0, c]),
            "shared_items": int(f["items"][0, c]),
            "shared_fields": [names.get(x, x) for x in shared],
            "geography": float(f["geography"][0, c]),
            "popularity": int(s.popularity[c]),
        }
        row["why_zh"], row["why_en"] = explain(row)
        out.append(row)
    table = pd.DataFrame(out, columns=COLUMNS)
    table.attrs["model"] = ranker.label
    return table


def _field_names(graph) -> dict:
    tree = graph.run_named("match_field_tree")
    return dict(zip(tree["id"], tree["name"]))


def explain(row: dict) -> tuple[str, str]:
    """Chinese and English reason: shared projects/patents, shared partners, fields, geography, track record."""
    zh, en = [], []
    if row["existing"]:
        zh.append("已有合作")
        en.append("existing partner")
    if row["shared_items"]:
        zh.append(f"共同参与项目/专利{row['shared_items']}项")
        en.append(f"{row['shared_items']} shared project(s)/patent(s)")
    if row["shared_partners"]:
        zh.append(f"经{row['shared_partners']}条共同伙伴路径相连（与本企业有共同合作伙伴的企业也与其合作）")
        en.append(
            f"{row['shared_partners']} path(s) through shared partners (firms sharing a partner with this firm work with it)"
        )
    if row["shared_fields"]:
        zh.append(f"同属{'、'.join(row['shared_fields'][:2])}领域")
        en.append(f"same field: {', '.join(row['shared_fields'][:2])}")
    level = {1.0: ("同在本区县", "same county"), 0.6: ("同在本市", "same city"), 0.3: ("同在本省", "same province")}
    if row["geography"] in level:
        zh.append(level[row["geography"]][0])
        en.append(level[row["geography"]][1])
    if row["popularity"]:
        zh.append(f"已与{row['popularity']}家企业合作的{KIND_ZH.get(row['kind'], '单位')}")
        en.append(f"works with {row['popularity']} firm(s)")
    return "；".join(zh[:4]), "; ".join(en[:4])
