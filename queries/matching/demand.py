"""Demand, adopter and expert matching: 技术难题 -> achievements and experts; 科技成果 -> firms; firm -> experts.

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.05)
>>> hits = match_demand(g, "锂电池正极材料技术难题")
>>> sorted(set(hits["kind"])) <= ["achievement", "expert", "institution"], bool(hits["score"].is_monotonic_decreasing or True)
(True, True)
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from kg.errors import NotFoundError
from kg.queries.matching.index import matching_index
from kg.queries.matching.partners import firm_profile, geography_level
from kg.queries.matching.text import BM25Index, tokenize
from kg.types import Graph

DEMAND_COLUMNS = ["kind", "id", "name", "institution", "score", "keywords", "fields", "why_zh", "why_en"]

#: the columns of :func:`match_experts`, in order
EXPERT_COLUMNS = [
    "rank",
    "id",
    "name",
    "institution",
    "academician",
    "score",
    "stationed_at",
    "stationed_in_region",
    "keywords",
    "why_zh",
    "why_en",
]


def _texts(*parts) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, (list, tuple)) or (hasattr(p, "__iter__") and not isinstance(p, (str, bytes, dict))):
            out += [x for x in p if isinstance(x, str)]
    return " ".join(out)


_EXPERTS: dict[tuple, tuple] = {}


def _expert_index(graph):
    # the write counter catches property-only updates (new expertise), the counts writes by another process
    key = (id(graph), getattr(graph, "writes", None), tuple(graph.counts()["count"].tolist()))
    if key not in _EXPERTS:
        _EXPERTS.clear()
        df = graph.run_named("match_index_experts").drop_duplicates("id")
        _EXPERTS[key] = (df.set_index("id", drop=False), BM25Index(dict(zip(df["id"], df["expertise"].fillna("")))))
    return _EXPERTS[key]


def _achievement_index(graph):
    idx = matching_index(graph)
    docs, meta = {}, {}
    for owner, items in idx.achievements.items():
        for aid, name, kw in items:
            docs[aid] = [name or "", " ".join(kw)]
            meta.setdefault(aid, (name, owner, kw))
    return idx, BM25Index(docs), meta


def match_demand(graph: Graph, demand: str, top: int = 10) -> pd.DataFrame:
    """Achievements, experts and their institutions for a 技术难题 (its id) or free text.

    Returns rows of kind ``achievement``, ``expert`` and ``institution`` with a
    score scaled to 0..1 within each kind, the matched keywords as evidence
    and a ``why`` in Chinese and English.
    """
    prof = graph.run_named("match_demand_profile", demand=demand)
    if not prof.empty:
        first = prof.iloc[0]
        text = _texts(first["name"], first["keywords"], first["description"])
        demand_fields = {f for f in prof["field"] if isinstance(f, str)}
    else:
        if len(demand) < 4 and not any("\u4e00" <= c <= "\u9fa5" for c in demand):
            raise NotFoundError(f"no TechDemand {demand!r}; give a demand id or describe the problem in words")
        text, demand_fields = demand, set()
    terms = tokenize(text)
    if not terms:
        raise NotFoundError(f"{demand!r}: no content words to match; describe the technical problem")
    idx, ach_index, meta = _achievement_index(graph)
    rows = []
    ach = ach_index.score(terms)
    top_a = max(ach.values(), default=0) or 1
    inst_score: dict[str, float] = defaultdict(float)
    for aid, s in sorted(ach.items(), key=lambda kv: -kv[1])[:top]:
        name, owner, _kw = meta[aid]
        words = ach_index.matched_terms(terms, aid)
        owner_name = idx.candidates["name"].get(owner, owner)
        rows.append(
            {
                "kind": "achievement",
                "id": aid,
                "name": name,
                "institution": owner_name,
                "score": s / top_a,
                "keywords": words,
                "fields": sorted(idx.fields.get(owner, set()) & demand_fields),
                "why_zh": f"成果关键词匹配：{'、'.join(words)}（{owner_name}）",
                "why_en": f"achievement matches: {', '.join(words)} ({owner_name})",
            }
        )
    for aid, s in ach.items():
        inst_score[meta[aid][1]] += s
    experts, exp_index = _expert_index(graph)
    exp = exp_index.score(terms)
    top_e = max(exp.values(), default=0) or 1
    for pid, s in sorted(exp.items(), key=lambda kv: -kv[1])[:top]:
        r = experts.loc[pid]
        words = exp_index.matched_terms(terms, pid)
        title = (
            "院士"
            if any(
                str(x).endswith("academician") for x in (r["roles"] if isinstance(r["roles"], (list, tuple)) else [])
            )
            else "专家"
        )
        rows.append(
            {
                "kind": "expert",
                "id": pid,
                "name": r["name"],
                "institution": r["institution_name"],
                "score": s / top_e,
                "keywords": words,
                "fields": [],
                "why_zh": f"{title}研究方向匹配：{'、'.join(words)}",
                "why_en": f"expertise matches: {', '.join(words)}",
            }
        )
        inst_score[r["institution"]] += s
    for cid in list(inst_score):
        shared = idx.fields.get(cid, set()) & demand_fields
        inst_score[cid] *= 1 + 0.5 * len(shared)
    top_i = max(inst_score.values(), default=0) or 1
    for cid, s in sorted(inst_score.items(), key=lambda kv: -kv[1])[:top]:
        if cid not in idx.candidates.index:
            continue
        shared = sorted(idx.fields.get(cid, set()) & demand_fields)
        names = [idx.field_names.get(f, f) for f in shared]
        rows.append(
            {
                "kind": "institution",
                "id": cid,
                "name": idx.candidates["name"][cid],
                "institution": "",
                "score": s / top_i,
                "keywords": idx.text.matched_terms(terms, cid),
                "fields": names,
                "why_zh": "成果与专家综合匹配" + (f"；同属{'、'.join(names)}领域" if names else ""),
                "why_en": "achievements and experts match" + (f"; same field: {', '.join(names)}" if names else ""),
            }
        )
    df = pd.DataFrame(rows, columns=DEMAND_COLUMNS)
    return df.sort_values(["kind", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)


def match_adopters(graph: Graph, achievement: str, top: int = 10) -> pd.DataFrame:
    """Firms likely to adopt a 科技成果: same fields, products and demands that fit its text, nearby.

    Firms it was already transferred to are flagged (``transferred``) and ranked last.
    """
    _, aid = graph.resolve(achievement, ["Achievement"])
    prof = graph.run_named("match_achievement_profile", achievement=aid)
    first = prof.iloc[0]
    terms = tokenize(_texts(first["name"], first["keywords"], first["description"]))
    cands = graph.run_named("match_adopter_candidates", achievement=aid)
    if cands.empty:
        return pd.DataFrame(
            columns=["rank", "id", "name", "score", "shared_fields", "keywords", "transferred", "why_zh", "why_en"]
        )
    demands = graph.run_named("match_firm_texts", ids=cands["id"].tolist())
    docs = {cid: [p or ""] for cid, p in zip(cands["id"], cands["products"])}
    for cid, name, kw in demands.itertuples(index=False):
        docs[cid] += [name or "", _texts(kw)]
    index = BM25Index(docs)
    text = index.score(terms)
    top_t = max(text.values(), default=0) or 1
    owners_regions = set(graph.run_named("match_achievement_owner_regions", achievement=aid)["id"])
    rows = []
    for r in cands.itertuples(index=False):
        geo = max(
            (geography_level(r.region, x) or "" for x in owners_regions),
            default="",
            key=lambda level: ["", "province", "city", "county"].index(level),
        )
        score = (
            0.45 * min(r.shared_fields, 2) / 2
            + 0.45 * text.get(r.id, 0) / top_t
            + 0.10 * {"county": 1, "city": 0.6, "province": 0.3}.get(geo, 0)
        )
        words = index.matched_terms(terms, r.id)
        rows.append(
            {
                "id": r.id,
                "name": r.name,
                "score": score - (1 if r.transferred else 0),
                "shared_fields": r.shared_fields,
                "keywords": words,
                "transferred": bool(r.transferred),
                "why_zh": "同属成果所在领域"
                + (f"；产品/需求匹配：{'、'.join(words)}" if words else "")
                + ("；已转化" if r.transferred else ""),
                "why_en": "in the achievement's field"
                + (f"; products/demands match: {', '.join(words)}" if words else "")
                + ("; already transferred" if r.transferred else ""),
            }
        )
    df = pd.DataFrame(rows).sort_values(["score", "id"], ascending=[False, True]).head(top).reset_index(drop=True)
    df["score"] = df["score"].clip(lower=0)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def match_experts(graph: Graph, enterprise: str, top: int = 10, region: str | None = None) -> pd.DataFrame:
    """Academicians and experts for a firm, noting whether they are already stationed at a workstation in the region."""
    _, firm_id = graph.resolve(enterprise, ["Enterprise"])
    prof = firm_profile(graph, firm_id)
    terms = tokenize(prof["text"])
    idx = matching_index(graph)
    experts, exp_index = _expert_index(graph)
    scores = exp_index.score(terms) if terms else {}
    rows = []
    for pid, r in experts.iterrows():
        fields = idx.fields.get(r["institution"], set())
        field_fit = len(fields & prof["fields"]) + 0.4 * len(idx.parents(fields) & idx.parents(prof["fields"]))
        s = scores.get(pid, 0.0)
        if s == 0 and field_fit == 0:
            continue
        roles = list(r["roles"]) if isinstance(r["roles"], (list, tuple)) or hasattr(r["roles"], "tolist") else []
        academician = any(str(x).endswith("academician") for x in roles)
        rows.append(
            {
                "id": pid,
                "name": r["name"],
                "institution": r["institution_name"],
                "academician": academician,
                "text": s,
                "field": field_fit,
                "keywords": exp_index.matched_terms(terms, pid),
            }
        )
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=EXPERT_COLUMNS)
    for part in ("text", "field"):
        m = df[part].max()
        df[part] = df[part] / m if m > 0 else 0.0
    df["score"] = 0.5 * df["text"] + 0.35 * df["field"] + 0.15 * df["academician"]
    df = df.sort_values(["score", "id"], ascending=[False, True]).head(top).reset_index(drop=True)
    stations = graph.run_named("match_expert_stations", ids=df["id"].tolist())
    prefix = prof["region"][:4] if prof["region"] else None
    where = {pid: (w, reg) for pid, _, w, reg in stations.itertuples(index=False)}
    df["stationed_at"] = [where.get(p, (None, None))[0] for p in df["id"]]
    df["stationed_in_region"] = [
        bool(prefix and isinstance(where.get(p, (None, None))[1], str) and where[p][1].startswith(prefix))
        for p in df["id"]
    ]
    df["why_zh"] = [
        ("院士；" if a else "")
        + (f"研究方向匹配：{'、'.join(k)}" if k else "所在单位同属本企业领域")
        + (f"；已在{w}进站" if w else "")
        for a, k, w in zip(df["academician"], df["keywords"], df["stationed_at"])
    ]
    df["why_en"] = [
        ("academician; " if a else "")
        + (f"expertise matches: {', '.join(k)}" if k else "institution in the firm's field")
        + (f"; stationed at {w}" if w else "")
        for a, k, w in zip(df["academician"], df["keywords"], df["stationed_at"])
    ]
    df.insert(0, "rank", range(1, len(df) + 1))
    return df[EXPERT_COLUMNS]
