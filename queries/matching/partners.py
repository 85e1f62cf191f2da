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

import math
from collections import defaultdict

import pandas as pd

from kg.queries.matching.index import MatchingIndex, load_weights, matching_index
from kg.queries.matching.text import tokenize

PARTS = ("field", "text", "network", "track", "geography")
KIND_ZH = {"University": "高校", "ResearchInstitute": "院所"}
COLUMNS = ["rank", "id", "name", "kind", "score", *PARTS, "existing", "since", "shared_fields", "keywords", "peers",
           "projects", "patents", "academicians", "why_zh", "why_en"]


def firm_profile(graph, firm_id: str) -> dict:
    """Fields, parent fields, region and text (products, description, posted demands) of one firm."""
    rows = graph.run_named("match_firm_profile", firm=firm_id)
    demands = graph.run_named("match_firm_demands", firm=firm_id)
    first = rows.iloc[0]
    texts = [first["products"], first["description"]]
    for d in demands.itertuples(index=False):
        texts += [d.name, " ".join(d.keywords) if isinstance(d.keywords, (list, tuple)) else "", d.description]
    return {
        "id": firm_id, "name": first["name"], "region": first["region"] if isinstance(first["region"], str) else None,
        "fields": {f for f in rows["field"] if isinstance(f, str)},
        "text": " ".join(t for t in texts if isinstance(t, str)),
        "demands": len(demands),
    }


def firm_evidence(graph, firm_id: str, until: int) -> dict[str, dict]:
    """``{evidence kind: {candidate id: count}}`` plus ``academician_names`` and ``since``."""
    df = graph.run_named("match_firm_evidence", firm=firm_id, until=until)
    out: dict[str, dict] = defaultdict(dict)
    for cid, kind, n, detail in df.itertuples(index=False):
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


def score_candidates(idx: MatchingIndex, profile: dict, evidence: dict, *, kinds, weights: dict,
                     region_prefix: str | None = None) -> pd.DataFrame:
    """Raw and scaled parts and the total for every candidate of ``kinds`` (one row each)."""
    cfg = load_weights()
    firm_fields = profile["fields"]
    firm_parents = idx.parents(firm_fields)
    query_terms = tokenize(profile["text"])
    text_scores = idx.text.score(query_terms) if query_terms else {}
    geo_levels = cfg["geography_levels"]
    net_parts = cfg["network_parts"]
    rows = []
    cands = idx.candidates
    cands = cands[cands["kind"].isin(kinds)]
    if region_prefix:
        cands = cands[cands["region"].fillna("").str.startswith(region_prefix)]
    for cid, kind, name, region in cands[["id", "kind", "name", "region"]].itertuples(index=False):
        fs = idx.fields.get(cid, set())
        exact = fs & firm_fields
        parents = (idx.parents(fs) & firm_parents) - idx.parents(exact)
        field_raw = sum(idx.field_idf.get(f, 1.0) for f in exact) + cfg["parent_share"] * sum(
            idx.field_idf.get(f, 1.0) for f in parents)
        counts = {k: evidence.get(k, {}).get(cid, 0) for k in ("peers", "projects", "patents", "academicians")}
        network_raw = sum(net_parts[k] * math.log1p(v) for k, v in counts.items())
        shared = firm_fields | firm_parents
        track_n = sum(n for f, n in idx.track.get(cid, {}).items() if f in shared)
        track_raw = math.log1p(track_n) + idx.platforms.get(cid, 0.0)
        level = geography_level(profile["region"], region if isinstance(region, str) else None)
        rows.append({
            "id": cid, "name": name, "kind": kind, "field": field_raw, "text": text_scores.get(cid, 0.0),
            "network": network_raw, "track": track_raw, "geography": geo_levels.get(level, 0.0) if level else 0.0,
            "geo_level": level, "shared_fields": sorted(exact, key=lambda f: -idx.field_idf.get(f, 1.0)),
            "shared_parents": sorted(parents), "track_firms": track_n, **counts,
            "existing": cid in evidence.get("since", {}), "since": evidence.get("since", {}).get(cid),
        })
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    for part in ("field", "text", "network", "track"):
        top = df[part].max()
        df[part] = df[part] / top if top > 0 else 0.0
    df["score"] = sum(weights.get(p, 0.0) * df[p] for p in PARTS)
    return df


def match_partners(graph, enterprise: str, top: int = 10, kinds=("University", "ResearchInstitute"),
                   exclude_existing: bool = True, region: str | None = None, *, until: int | None = None,
                   weights: dict | None = None) -> pd.DataFrame:
    """Rank universities and institutes for a firm, with the parts of the score and a readable ``why``.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    enterprise
        The firm's id (统一社会信用代码) or name / alias; an unknown firm raises
        :class:`kg.errors.NotFoundError` naming close matches.
    top
        Number of candidates returned.
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

    Returns
    -------
    DataFrame with :data:`COLUMNS`, best first.
    """
    _, firm_id = graph.resolve(enterprise, ["Enterprise"])
    idx = matching_index(graph, until)
    profile = firm_profile(graph, firm_id)
    evidence = firm_evidence(graph, firm_id, idx.until)
    prefix = _region_prefix(graph, region)
    df = score_candidates(idx, profile, evidence, kinds=kinds, weights=weights or load_weights()["weights"],
                          region_prefix=prefix)
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    if exclude_existing:
        df = df[~df["existing"]]
    df = df[df["score"] > 0].sort_values(["score", "network", "geography", "id"], ascending=[False, False, False, True])
    df = df.head(top).reset_index(drop=True)
    df["rank"] = range(1, len(df) + 1)
    df["keywords"] = [idx.text.matched_terms(tokenize(profile["text"]), cid) for cid in df["id"]]
    df["academicians"] = [evidence.get("academician_names", {}).get(cid, []) for cid in df["id"]]
    whys = [explain(r, idx, profile) for r in df.to_dict("records")]
    df["why_zh"] = [w[0] for w in whys]
    df["why_en"] = [w[1] for w in whys]
    df["shared_fields"] = [[idx.field_names.get(f, f) for f in fs] for fs in df["shared_fields"]]
    return df[COLUMNS]


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


def _region_prefix(graph, region: str | None) -> str | None:
    if not region:
        return None
    if region.isdigit() and len(region) < 6:
        return region
    from kg.queries.targets import region_prefix, resolve_region

    code, _ = resolve_region(graph, region)
    return region_prefix(code)
