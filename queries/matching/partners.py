"""产学研 partner matching: which universities and institutes should this firm work with, and why.

The score of a candidate is the weighted sum of five parts, each scaled to
0..1 over the candidates of the query (weights and their meaning in
``weights.yaml``): field overlap through the Field taxonomy, text fit
(jieba + BM25), network proximity (partners of peers, shared projects,
co-patents, academician ties), track record in the shared fields and
geography.  Graph evidence comes from named Cypher queries that start at
the firm; only the text scoring and the weighting happen here.

Examples
--------
>>> from kg import KnowledgeGraph
>>> from kg.demo import build_demo
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = build_demo(g, seed=7, scale=0.05)
>>> firm = g.query("MATCH (e:Enterprise)-[:COOPERATES_WITH]->() RETURN e.id AS id LIMIT 1").iloc[0, 0]
>>> table = match_partners(g, firm, top=5)
>>> list(table.columns[:5]), len(table) == 5, bool((table["score"].diff().dropna() <= 1e-12).all())
(['rank', 'id', 'name', 'kind', 'score'], True, True)
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from kg.groups import check_rollup
from kg.queries.matching.groups import rollup_candidates
from kg.queries.matching.index import KIND_ZH, RANKED, MatchingIndex, load_weights, matching_index
from kg.queries.matching.learned import rank_with_model
from kg.queries.matching.text import tokenize
from kg.regions import prefix_of
from kg.types import Graph

PARTS = ("field", "text", "network", "track", "geography")
COLUMNS = [
    *RANKED,
    *PARTS,
    "existing",
    "since",
    "shared_fields",
    "keywords",
    "peers",
    "projects",
    "patents",
    "academicians",
    "why_zh",
    "why_en",
]


def firm_profile(graph: Graph, firm_id: str) -> dict:
    """Fields, parent fields, region and text (products, description, posted demands) of one firm."""
    rows = graph.run_named("match_firm_profile", firm=firm_id)
    demands = graph.run_named("match_firm_demands", firm=firm_id)
    return make_profile(firm_id, rows, demands)


def make_profile(firm_id: str, rows: pd.DataFrame, demands: pd.DataFrame) -> dict:
    """A firm's profile from its ``match_firm_profile`` rows and ``match_firm_demands`` rows."""
    first = rows.iloc[0]
    texts = [first["products"], first["description"]]
    for d in demands.itertuples(index=False):
        kw = d.keywords
        kw = (
            " ".join(x for x in kw if isinstance(x, str)) if kw is not None and not isinstance(kw, (str, float)) else ""
        )
        texts += [d.name, kw, d.description]
    return {
        "id": firm_id,
        "name": first["name"],
        "region": first["region"] if isinstance(first["region"], str) else None,
        "fields": {f for f in rows["field"] if isinstance(f, str)},
        "text": " ".join(t for t in texts if isinstance(t, str)),
        "demands": len(demands),
    }


def firm_evidence(graph: Graph, firm_id: str, until: int) -> dict[str, dict]:
    """``{evidence kind: {candidate id: count}}`` plus ``academician_names`` and ``since``."""
    return make_evidence(graph.run_named("match_firm_evidence", firm=firm_id, until=until).itertuples(index=False))


def make_evidence(rows) -> dict[str, dict]:
    """Evidence dict from ``(candidate, kind, n, detail)`` tuples (see ``match_firm_evidence.cypher``)."""
    out: dict[str, dict] = defaultdict(dict)
    for cid, kind, n, detail in rows:
        if kind == "partner":
            out["since"][cid] = int(n) or None
        elif kind == "academician":
            out["academicians"][cid] = out["academicians"].get(cid, 0) + 1
            out["academician_names"].setdefault(cid, []).append(detail)
        else:
            out[kind][cid] = int(n)
    return out


def geography_level(a: str | None, b: str | None) -> str | None:
    """``county``, ``city``, ``province`` or ``None`` for two 6-digit region codes.

    Examples
    --------
    >>> geography_level("211102", "211103"), geography_level("211102", "211102"), geography_level("211100", "210000")
    ('city', 'county', 'province')
    """
    if not a or not b or len(a) < 6 or len(b) < 6:
        return None
    if a == b and not a.endswith("00"):
        return "county"
    if a[:4] == b[:4] and not a[:4].endswith("00"):
        return "city"
    if a[:2] == b[:2]:
        return "province"
    return None


def score_candidates(
    idx: MatchingIndex, profile: dict, evidence: dict, *, kinds, weights: dict, region_prefix: str | None = None
) -> pd.DataFrame:
    """Raw and scaled parts and the total for every candidate of ``kinds`` with some evidence (one row each)."""
    return pd.DataFrame(score_arrays(idx, profile, evidence, kinds=kinds, weights=weights, region_prefix=region_prefix))


def score_arrays(
    idx: MatchingIndex, profile: dict, evidence: dict, *, kinds, weights: dict, region_prefix: str | None = None
) -> dict[str, np.ndarray]:
    """The columns of :func:`score_candidates` as numpy arrays (empty dict when no candidate qualifies).

    A candidate needs field overlap, text fit, a network link or a track record in the firm's fields
    (or be an existing partner) to be scored; geography and platforms alone do not make a candidate.
    Vectorised over the candidates of the cached index.
    """
    cfg = load_weights()
    n = len(idx.candidates)
    if n == 0:
        return {}
    firm_fields = profile["fields"]
    firm_parents = idx.parents(firm_fields)
    field_raw = np.zeros(n)
    covered: dict[str, np.ndarray] = {}
    for f in firm_fields:
        m = idx.members.get(f)
        if m is not None:
            field_raw += idx.field_idf.get(f, 1.0) * m
            p = idx.field_parent.get(f) or f
            covered[p] = covered[p] | m if p in covered else m
    for p in firm_parents:
        m = idx.under.get(p)
        if m is not None:
            if p in covered:
                m = m & ~covered[p]
            field_raw += cfg["parent_share"] * idx.field_idf.get(p, 1.0) * m
    text = np.zeros(n)
    query_terms = tokenize(profile["text"])
    for cid, s in (idx.text.score(query_terms) if query_terms else {}).items():
        text[idx.pos[cid]] = s
    counts = {}
    network_raw = np.zeros(n)
    for k in ("peers", "projects", "patents", "academicians"):
        v = np.zeros(n)
        for cid, c in evidence.get(k, {}).items():
            i = idx.pos.get(cid)
            if i is not None:
                v[i] = c
        counts[k] = v
        network_raw += cfg["network_parts"][k] * np.log1p(v)
    track_n = np.zeros(n)
    for f in firm_fields | firm_parents:
        v = idx.track_vec.get(f)
        if v is not None:
            track_n += v
    existing = np.zeros(n, dtype=bool)
    since = np.full(n, np.nan)
    for cid, y in evidence.get("since", {}).items():
        i = idx.pos.get(cid)
        if i is not None:
            existing[i] = True
            since[i] = y if y else np.nan
    keep = (field_raw > 0) | (text > 0) | (network_raw > 0) | (track_n > 0) | existing
    keep &= np.isin(idx.kind_arr, list(kinds))
    if region_prefix:
        keep &= np.array([r.startswith(region_prefix) for r in idx.region])
    rows = np.flatnonzero(keep)
    if rows.size == 0:
        return {}
    geo = np.zeros(rows.size)
    level = np.full(rows.size, None, dtype=object)
    r = profile["region"] or ""
    if len(r) >= 6:
        lv = cfg["geography_levels"]
        for name, hit in (
            ("province", idx.region2[rows] == r[:2]),
            ("city", (idx.region4[rows] == r[:4]) & (not r[:4].endswith("00"))),
            ("county", (idx.region[rows] == r) & (not r.endswith("00"))),
        ):
            geo = np.where(hit, lv[name], geo)
            level = np.where(hit, name, level)
    df = {
        "id": idx.id_arr[rows],
        "name": idx.name_arr[rows],
        "kind": idx.kind_arr[rows],
        "field": field_raw[rows],
        "text": text[rows],
        "network": network_raw[rows],
        "track": np.log1p(track_n[rows]) + idx.platform_vec[rows],
        "geography": geo,
        "geo_level": level,
        "track_firms": track_n[rows].astype(int),
        **{k: v[rows].astype(int) for k, v in counts.items()},
        "existing": existing[rows],
        "since": since[rows],
    }
    for part in ("field", "text", "network", "track"):
        top = df[part].max()
        df[part] = df[part] / top if top > 0 else np.zeros(rows.size)
    df["score"] = sum(weights.get(p, 0.0) * df[p] for p in PARTS)
    return df


def shared_fields(idx: MatchingIndex, cid: str, firm_fields: set) -> tuple[list, list]:
    """The candidate's fields shared with the firm (most specific first) and shared parent fields otherwise."""
    fs = idx.fields.get(cid, set())
    exact = fs & firm_fields
    parents = (idx.parents(fs) & idx.parents(firm_fields)) - idx.parents(exact)
    return sorted(exact, key=lambda f: (-idx.field_idf.get(f, 1.0), f)), sorted(parents)


def match_partners(
    graph: Graph,
    enterprise: str,
    top: int | None = 10,
    kinds=("University", "ResearchInstitute"),
    exclude_existing: bool = True,
    region: str | None = None,
    *,
    until: int | None = None,
    weights: dict | None = None,
    model=None,
    rollup: str | None = None,
) -> pd.DataFrame:
    """Rank universities and institutes for a firm, with the parts of the score and a readable ``why``.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    enterprise
        The firm's id (统一社会信用代码) or name / alias; an unknown firm raises
        :class:`kg.errors.NotFoundError` naming close matches.
    top
        Number of candidates returned (``None``: all of them).
    kinds
        Candidate types: ``University``, ``ResearchInstitute``.
    exclude_existing
        Leave out the firm's current partners; with ``False`` they are ranked and flagged (``existing``).
    region
        Only candidates in this region (code or name, e.g. 辽宁省 or 21).
    until
        Use only cooperations, projects and patents known by this year (the back-test's cut-off).
    weights
        Override the weights of ``weights.yaml`` (keys ``field``, ``text``, ``network``, ``track``, ``geography``).
    model
        A :class:`kg.queries.matching.model.LearnedRanker` (``kg train matching``): rank with it instead of the
        hand weights (columns of :data:`kg.queries.matching.learned.COLUMNS`; ``attrs["model"]`` names it).
        Not combined with ``region`` or ``until``.
    rollup
        ``"group"``: candidates at group level, a campus, an institute of an academy or a subsidiary counted
        for its group (best unit's score, evidence of all units, ``units``; see
        :func:`kg.queries.matching.groups.rollup_candidates`).

    Returns
    -------
    DataFrame with :data:`COLUMNS`, best first; ``attrs["model"]`` says which model ranked.
    """

    if check_rollup(rollup):
        every = match_partners(
            graph, enterprise, None, kinds, exclude_existing, region, until=until, weights=weights, model=model
        )
        return rollup_candidates(graph, every, top)
    _, firm_id = graph.resolve(enterprise, ["Enterprise"])
    if model is not None and region is None and until is None:
        return rank_with_model(graph, firm_id, model, top=top, kinds=kinds, exclude_existing=exclude_existing)
    idx = matching_index(graph, until)
    profile = firm_profile(graph, firm_id)
    evidence = firm_evidence(graph, firm_id, idx.until)
    table = rank_partners(
        idx,
        profile,
        evidence,
        top=top,
        kinds=kinds,
        exclude_existing=exclude_existing,
        region_prefix=prefix_of(region, graph) or None,
        weights=weights,
    )
    table.attrs["model"] = "hand weights (weights.yaml)"
    return table


def rank_partners(
    idx: MatchingIndex,
    profile: dict,
    evidence: dict,
    *,
    top: int | None = 10,
    kinds=("University", "ResearchInstitute"),
    exclude_existing: bool = True,
    region_prefix: str | None = None,
    weights: dict | None = None,
) -> pd.DataFrame:
    """Score, rank and explain the candidates for one firm's profile and evidence (see :func:`match_partners`)."""
    arr = score_arrays(
        idx, profile, evidence, kinds=kinds, weights=weights or load_weights()["weights"], region_prefix=region_prefix
    )
    if not arr:
        return pd.DataFrame(columns=COLUMNS)
    ok = arr["score"] > 0
    if exclude_existing:
        ok &= ~arr["existing"]
    sel = np.flatnonzero(ok)
    # best first: score, then network evidence, then geography, then id (stable, deterministic)
    order = np.lexsort((arr["id"][sel].astype(str), -arr["geography"][sel], -arr["network"][sel], -arr["score"][sel]))
    sel = sel[order[:top]]
    rows = [{k: v[i] for k, v in arr.items()} for i in sel]
    terms = tokenize(profile["text"])
    names = evidence.get("academician_names", {})
    for rank, row in enumerate(rows, 1):
        cid = row["id"]
        row["rank"] = rank
        row["shared_fields"], row["shared_parents"] = shared_fields(idx, cid, profile["fields"])
        row["since"] = int(row["since"]) if row["since"] == row["since"] else None
        row["existing"] = bool(row["existing"])
        row["keywords"] = idx.text.matched_terms(terms, cid)
        row["academicians"] = names.get(cid, [])
        row["why_zh"], row["why_en"] = explain(row, idx, profile)
        row["shared_fields"] = [idx.field_names.get(f, f) for f in row["shared_fields"]]
    return pd.DataFrame(rows, columns=COLUMNS)


def explain(row: dict, idx: MatchingIndex, profile: dict) -> tuple[str, str]:
    """A short Chinese and English reason listing the strongest evidence first."""
    zh, en = [], []
    names = [idx.field_names.get(f, f) for f in row["shared_fields"][:2]]
    if names:
        zh.append(f"同属{'、'.join(names)}领域")
        en.append(f"same field: {', '.join(names)}")
    elif row["shared_parents"]:
        parent = idx.field_names.get(row["shared_parents"][0], row["shared_parents"][0])
        zh.append(f"同属{parent}大类")
        en.append(f"same broad field: {parent}")
    if row.get("academicians"):
        who = "、".join(row["academicians"][:2])
        zh.append(f"院士{who}在该{KIND_ZH.get(row['kind'], '单位')}任职并在本企业工作站进站")
        en.append(f"academician {who} is affiliated there and stationed at the firm's workstation")
    if row["projects"]:
        zh.append(f"共同参与项目{row['projects']}项")
        en.append(f"{row['projects']} joint project(s)")
    if row["patents"]:
        zh.append(f"共同申请专利{row['patents']}件")
        en.append(f"{row['patents']} co-patent(s)")
    if row["peers"]:
        zh.append(f"{row['peers']}家同伴企业与其合作")
        en.append(f"{row['peers']} peer firm(s) work with it")
    if row.get("keywords"):
        zh.append(f"成果/专长匹配：{'、'.join(row['keywords'][:3])}")
        en.append(f"text match: {', '.join(row['keywords'][:3])}")
    if row["track_firms"]:
        zh.append(f"相关领域已与{row['track_firms']}家企业合作")
        en.append(f"works with {row['track_firms']} firm(s) in these fields")
    level = row.get("geo_level")
    if isinstance(level, str):
        zh.append({"county": "同在本区县", "city": "同在本市", "province": "同在本省"}[level])
        en.append({"county": "same county", "city": "same city", "province": "same province"}[level])
    if row.get("existing"):
        since = row.get("since")
        since = int(since) if isinstance(since, (int, float)) and since == since else None
        zh.insert(0, f"已有合作{'（' + str(since) + '年起）' if since else ''}")
        en.insert(0, f"existing partner{' since ' + str(since) if since else ''}")
    return "；".join(zh[:5]), "; ".join(en[:5])
