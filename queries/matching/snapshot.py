"""The firm-academia graph as sparse matrices, as it was known at a cut-off year.

:func:`read_history` reads everything partner matching uses, once, with its
year (cooperations, project participations, patent applications with IPC
classes and titles, demands, achievements, platforms, fields, regions);
:func:`snapshot` keeps what was known by ``until`` and turns it into
``scipy.sparse`` matrices over firms x candidates (universities and
institutes), firms x items (projects, patents) and organisations x fields.
The back-test, the baselines and the learned ranker read only snapshots, so
no score can see a cooperation, project, patent, achievement, demand or
platform dated after ``until`` (undated rows count as always known).

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲公司"}])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "甲大学"}, {"id": "U2", "name": "乙大学"}])
>>> _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2019},
...                                        {"from_id": "E1", "to_id": "U2", "since": 2022}])
>>> h = read_history(g)
>>> int(snapshot(h, 2020).A.sum()), int(snapshot(h, 2022).A.sum())
(1, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from kg.queries.matching.index import load_weights
from kg.queries.matching.ipc import ipc_fields, ipc_subclasses
from kg.queries.matching.text import tokenize
from kg.types import Graph

CANDIDATE_KINDS = ("University", "ResearchInstitute")


@dataclass
class History:
    """Everything matching reads from a graph, each row with its year (0 = undated)."""

    firms: pd.DataFrame  # id, region, text
    candidates: pd.DataFrame  # id, name, kind, region
    cooperations: pd.DataFrame  # firm, partner, year
    items: pd.DataFrame  # kind, id, item, year (projects and patents; item ids prefixed P:/T:)
    patents: pd.DataFrame  # kind, id, item, year, ipc, text
    firm_fields: pd.DataFrame  # id, field
    cand_fields: pd.DataFrame  # id, field (declared: IN_FIELD)
    texts: pd.DataFrame  # id, year, text (demands of firms, achievements of candidates)
    static_texts: pd.DataFrame  # id, text (undated: experts' expertise)
    platforms: pd.DataFrame  # id, level, year
    field_parent: dict


def _frame(graph, name: str, columns: list[str]) -> pd.DataFrame:
    df = graph.run_named(name)
    return df if not df.empty else pd.DataFrame(columns=columns)


def _join_keywords(v) -> str:
    if v is None or isinstance(v, float):
        return ""
    if isinstance(v, str):
        return v
    return " ".join(x for x in v if isinstance(x, str))


def read_history(graph: Graph) -> History:
    """Read the dated firm-academia history of ``graph`` (a dozen named queries, once)."""
    firms = _frame(graph, "match_snap_firms", ["id", "region", "products", "description"]).drop_duplicates("id")
    firms = pd.DataFrame(
        {
            "id": firms["id"].astype(str),
            "region": firms["region"],
            "text": [
                " ".join(t for t in (p, d) if isinstance(t, str))
                for p, d in zip(firms["products"], firms["description"])
            ],
        }
    )
    cands = (
        _frame(graph, "match_index_candidates", ["kind", "id", "name", "region"])
        .drop_duplicates("id")
        .sort_values("id", kind="stable")
    )
    coop = _frame(graph, "match_snap_cooperations", ["firm", "partner", "year"])
    projects = _frame(graph, "match_snap_projects", ["kind", "id", "item", "year"])
    patents = _frame(graph, "match_snap_patents", ["kind", "id", "item", "year", "ipc", "text"])
    items = pd.concat(
        [
            projects.assign(item="P:" + projects["item"].astype(str)),
            patents[["kind", "id", "item", "year"]].assign(item="T:" + patents["item"].astype(str)),
        ],
        ignore_index=True,
    )
    tree = _frame(graph, "match_field_tree", ["id", "name", "parent"])
    texts = _frame(graph, "match_snap_texts", ["id", "year", "name", "keywords", "text"])
    texts = pd.DataFrame(
        {
            "id": texts["id"],
            "year": texts["year"],
            "text": [
                " ".join(x for x in (n, _join_keywords(k), t) if isinstance(x, str))
                for n, k, t in zip(texts["name"], texts["keywords"], texts["text"])
            ],
        }
    )
    experts = _frame(
        graph, "match_index_experts", ["id", "name", "expertise", "roles", "institution", "institution_name"]
    )
    static = pd.DataFrame({"id": experts["institution"], "text": experts["expertise"]}).dropna()
    for df in (coop, items, patents, texts):
        df["year"] = pd.to_numeric(df["year"], errors="coerce").fillna(0).astype(int)
    platforms = _frame(graph, "match_snap_platforms", ["id", "level", "year"])
    platforms["year"] = pd.to_numeric(platforms["year"], errors="coerce").fillna(0).astype(int)
    return History(
        firms=firms,
        candidates=cands.reset_index(drop=True),
        cooperations=coop,
        items=items,
        patents=patents,
        firm_fields=_frame(graph, "match_snap_firm_fields", ["id", "field"]),
        cand_fields=_frame(graph, "match_index_fields", ["id", "field"]),
        texts=texts,
        static_texts=static,
        platforms=platforms,
        field_parent={f: (p if isinstance(p, str) else None) for f, p in zip(tree["id"], tree["parent"])},
    )


@dataclass
class Snapshot:
    """Sparse matrices of the graph known at ``until`` (rows: firms; columns: candidates unless named)."""

    until: int
    firm_ids: np.ndarray
    cand_ids: np.ndarray
    cand_kind: np.ndarray
    cand_name: np.ndarray
    A: sp.csr_matrix  # firm x candidate: cooperation known by until (1)
    A_year: sp.csr_matrix  # firm x candidate: first year of the cooperation (0 when undated)
    B_firm: sp.csr_matrix  # firm x item (projects, patents) known by until
    B_cand: sp.csr_matrix  # candidate x item
    F_firm: sp.csr_matrix  # firm x field (sub-fields and their parents)
    F_cand: sp.csr_matrix  # candidate x field
    field_ids: list
    field_weight: np.ndarray  # idf of a field among candidates (parents scaled by parent_share)
    I_firm: sp.csr_matrix  # firm x IPC subclass (patents known by until), rows L2-normalised
    I_cand: sp.csr_matrix
    Q: sp.csr_matrix  # firm x term: the firm's text terms (binary)
    W: sp.csr_matrix  # candidate x term: BM25 weight of the term in the candidate's text
    firm_region: np.ndarray
    cand_region: np.ndarray
    platforms: np.ndarray  # per candidate: platform levels summed
    last_year: np.ndarray  # per candidate: year of its latest cooperation (0 = none)
    recent: np.ndarray  # per candidate: cooperations formed in the two years up to until
    firm_area: np.ndarray  # per firm: province (first 2 digits of a 6-digit code) or country code ("" unknown)
    cand_area: np.ndarray
    firm_pos: dict = field(default_factory=dict)
    cand_pos: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    @property
    def popularity(self) -> np.ndarray:
        """Firms each candidate cooperates with by ``until``."""
        if "pop" not in self._cache:
            self._cache["pop"] = np.asarray(self.A.sum(axis=0)).ravel()
        return self._cache["pop"]

    @property
    def firm_degree(self) -> np.ndarray:
        """Academic partners of each firm by ``until``."""
        if "fdeg" not in self._cache:
            self._cache["fdeg"] = np.asarray(self.A.sum(axis=1)).ravel()
        return self._cache["fdeg"]

    @property
    def local(self) -> sp.csr_matrix:
        """Area x candidate: firms of each area (province or country) each candidate works with by ``until``."""
        if "local" not in self._cache:
            areas = sorted({a for a in self.firm_area if a})
            self._cache["area_pos"] = {a: i for i, a in enumerate(areas)}
            pos = self._cache["area_pos"]
            has = np.array([bool(a) for a in self.firm_area])
            rows = np.array([pos.get(a, 0) for a in self.firm_area], dtype=np.int64)
            M = _matrix(rows[has], np.flatnonzero(has), (max(len(areas), 1), len(self.firm_ids)))
            self._cache["local"] = (M @ self.A).tocsr()
        return self._cache["local"]

    @property
    def area_pair(self) -> tuple[dict, np.ndarray, np.ndarray]:
        """Country-pair model of who works with whom, from the cooperations known by ``until``.

        Returns ``(area position, P, share)``: ``P[a, b]`` is the share of the cooperations of firms of area
        ``a`` that go to candidates of area ``b`` (with 0.1 added to every pair, so unseen pairs are
        possible), ``share[c]`` the candidate's share of the firm partners of candidates of its own area.
        ``P[firm area, candidate area] x share[candidate]`` estimates how likely a firm of an area is to
        work with the candidate knowing only its area (the smoothed, area-level version of local popularity).
        """
        if "area_pair" not in self._cache:
            areas = sorted({a for a in self.firm_area if a} | {a for a in self.cand_area if a} | {""})
            pos = {a: i for i, a in enumerate(areas)}
            fa = np.array([pos[a] for a in self.firm_area], dtype=np.int64)
            ca = np.array([pos[a] for a in self.cand_area], dtype=np.int64)
            A = self.A.tocoo()
            counts = np.zeros((len(areas), len(areas)))
            np.add.at(counts, (fa[A.row], ca[A.col]), 1.0)
            counts += 0.1
            P = counts / counts.sum(axis=1, keepdims=True)
            pop = self.popularity.astype(float)
            total = np.bincount(ca, weights=pop, minlength=len(areas))
            share = np.divide(pop, total[ca], out=np.zeros_like(pop), where=total[ca] > 0)
            self._cache["area_pair"] = (pos, P, share)
        return self._cache["area_pair"]

    def area_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row of :attr:`local` for each firm at ``rows``, and whether the firm's area is known."""
        _ = self.local  # builds the area cache read below
        pos = self._cache["area_pos"]
        areas = self.firm_area[rows]
        return (
            np.array([pos.get(a, 0) for a in areas], dtype=np.int64),
            np.array([a in pos for a in areas], dtype=bool),
        )

    def rows(self, firms) -> np.ndarray:
        """Row positions of firm ids (all must be known firms)."""
        return np.array([self.firm_pos[f] for f in firms], dtype=np.int64)


def _indexer(ids) -> dict:
    return {k: i for i, k in enumerate(ids)}


def _matrix(rows, cols, shape, data=None) -> sp.csr_matrix:
    rows = np.asarray(rows, dtype=np.int64)
    data = np.ones(len(rows)) if data is None else np.asarray(data, dtype=float)
    m = sp.coo_matrix((data, (rows, np.asarray(cols, dtype=np.int64))), shape=shape).tocsr()
    m.sum_duplicates()
    return m


def snapshot(history: History, until: int) -> Snapshot:
    """The :class:`Snapshot` of ``history`` at cut-off year ``until`` (rows dated after it are dropped)."""
    cfg = load_weights()
    until = int(until)
    cands = history.candidates
    firm_ids = np.array(sorted(set(history.firms["id"]) | set(history.cooperations["firm"].astype(str))), dtype=object)
    cand_ids = cands["id"].to_numpy(dtype=object)
    fpos, cpos = _indexer(firm_ids), _indexer(cand_ids)
    nf, nc = len(firm_ids), len(cand_ids)
    coop = history.cooperations[(history.cooperations["year"] <= until)]
    coop = coop[coop["partner"].isin(cpos) & coop["firm"].isin(fpos)]
    first = coop.groupby(["firm", "partner"], as_index=False)["year"].min()
    fr = first["firm"].map(fpos).to_numpy()
    cc = first["partner"].map(cpos).to_numpy()
    A = _matrix(fr, cc, (nf, nc))
    A.data[:] = 1.0
    A_year = _matrix(fr, cc, (nf, nc), first["year"].to_numpy())
    last = np.zeros(nc)
    np.maximum.at(last, cc, first["year"].to_numpy()) if len(cc) else None
    recent = (
        np.bincount(cc[first["year"].to_numpy() > until - 2], minlength=nc).astype(float) if len(cc) else np.zeros(nc)
    )

    items = history.items[history.items["year"] <= until]
    item_ids = _indexer(sorted(set(items["item"])))
    fi = items[items["kind"] == "Enterprise"]
    fi = fi[fi["id"].isin(fpos)]
    ci = items[items["kind"].isin(CANDIDATE_KINDS) & items["id"].isin(cpos)]
    B_firm = _matrix(fi["id"].map(fpos), fi["item"].map(item_ids), (nf, len(item_ids)))
    B_cand = _matrix(ci["id"].map(cpos), ci["item"].map(item_ids), (nc, len(item_ids)))
    B_firm.data[:] = 1.0
    B_cand.data[:] = 1.0

    patents = history.patents[history.patents["year"] <= until]
    F_firm, F_cand, field_ids, field_weight = _fields(history, patents, fpos, cpos, cfg["parent_share"])
    I_firm, I_cand = _ipc(patents, fpos, cpos)
    Q, W = _text(history, patents, until, fpos, cpos)

    plat = history.platforms[history.platforms["year"] <= until]
    levels = cfg["platform_levels"]
    platforms = np.zeros(nc)
    for cid, level in zip(plat["id"], plat["level"]):
        if cid in cpos:
            platforms[cpos[cid]] += levels.get(level, 0.1)
    fregion = dict(zip(history.firms["id"], history.firms["region"]))
    norm = lambda r: r if isinstance(r, str) and len(r) >= 6 else ""  # noqa: E731
    return Snapshot(
        until=until,
        firm_ids=firm_ids,
        cand_ids=cand_ids,
        cand_kind=cands["kind"].to_numpy(dtype=object),
        cand_name=cands["name"].to_numpy(dtype=object),
        A=A,
        A_year=A_year,
        B_firm=B_firm,
        B_cand=B_cand,
        F_firm=F_firm,
        F_cand=F_cand,
        field_ids=field_ids,
        field_weight=field_weight,
        I_firm=I_firm,
        I_cand=I_cand,
        Q=Q,
        W=W,
        firm_region=np.array([norm(fregion.get(f)) for f in firm_ids], dtype=object),
        cand_region=np.array([norm(r) for r in cands["region"]], dtype=object),
        platforms=platforms,
        last_year=last,
        recent=recent,
        firm_pos=fpos,
        cand_pos=cpos,
        firm_area=np.array([area(fregion.get(f)) for f in firm_ids], dtype=object),
        cand_area=np.array([area(r) for r in cands["region"]], dtype=object),
    )


def new_links(s: Snapshot, links: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Firm rows and candidate columns of the cooperations ``links`` (firm, partner) between firms and candidates
    of ``s`` that ``s`` does not know yet."""
    links = links[links["firm"].isin(s.firm_pos) & links["partner"].isin(s.cand_pos)]
    fr = links["firm"].map(s.firm_pos).to_numpy()
    cc = links["partner"].map(s.cand_pos).to_numpy()
    if len(fr):
        known = np.asarray(s.A[fr, cc]).ravel() > 0
        fr, cc = fr[~known], cc[~known]
    return fr, cc


def area(region) -> str:
    """The area local popularity counts in: the province of a 6-digit Chinese division code (its first two
    digits), else the region as given, upper-cased (e.g. an ISO country code); ``""`` when unknown.

    >>> area("440305"), area("de"), area(None)
    ('44', 'DE', '')
    """
    if not isinstance(region, str) or not region.strip():
        return ""
    r = region.strip()
    return r[:2] if len(r) >= 6 and r[:6].isdigit() else r.upper()


def _fields(history: History, patents: pd.DataFrame, fpos: dict, cpos: dict, parent_share: float):
    """Field memberships (declared, plus IPC classes of patents known by until), parents added."""
    parent = history.field_parent
    pairs_f = set(zip(history.firm_fields["id"], history.firm_fields["field"]))
    pairs_c = set(zip(history.cand_fields["id"], history.cand_fields["field"]))
    for kind, oid, ipc in zip(patents["kind"], patents["id"], patents["ipc"]):
        target = pairs_f if kind == "Enterprise" else pairs_c
        for f in ipc_fields(ipc):
            target.add((oid, f))
    subs = sorted({f for _, f in pairs_f | pairs_c} | set(parent))
    parents = sorted({parent.get(f) or f for f in subs})
    cols = [("s", f) for f in subs] + [("p", p) for p in parents]
    col = _indexer(cols)

    def build(pairs, pos):
        r, c = [], []
        for oid, f in pairs:
            if oid in pos and (("s", f) in col):
                r += [pos[oid], pos[oid]]
                c += [col[("s", f)], col[("p", parent.get(f) or f)]]
        m = _matrix(r, c, (len(pos), len(cols)))
        m.data[:] = 1.0
        return m

    F_firm, F_cand = build(pairs_f, fpos), build(pairs_c, cpos)
    n = max(len(cpos), 1)
    counts = np.asarray(F_cand.sum(axis=0)).ravel()
    idf = np.log((1 + n) / (1 + counts)) + 1.0
    share = np.array([1.0 if kind == "s" else parent_share for kind, _ in cols])
    return F_firm, F_cand, [f for _, f in cols], idf * share


def _ipc(patents: pd.DataFrame, fpos: dict, cpos: dict):
    rows = [(k, o, s) for k, o, ipc in zip(patents["kind"], patents["id"], patents["ipc"]) for s in ipc_subclasses(ipc)]
    subs = _indexer(sorted({s for _, _, s in rows}))

    def build(pos, enterprise: bool):
        sel = [(pos[o], subs[s]) for k, o, s in rows if (k == "Enterprise") == enterprise and o in pos]
        m = _matrix([a for a, _ in sel], [b for _, b in sel], (len(pos), len(subs)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms) @ m

    return build(fpos, True).tocsr(), build(cpos, False).tocsr()


def _text(history: History, patents: pd.DataFrame, until: int, fpos: dict, cpos: dict, k1=1.5, b=0.75):
    """Binary firm x term matrix and BM25-weighted candidate x term matrix from texts known by until."""
    texts = history.texts[history.texts["year"] <= until]
    firm_docs: dict = {}
    cand_docs: dict = {}
    for oid, t in zip(history.firms["id"], history.firms["text"]):
        if t:
            firm_docs.setdefault(oid, []).append(t)
    for oid, t in zip(texts["id"], texts["text"]):
        (firm_docs if oid in fpos else cand_docs).setdefault(oid, []).append(t)
    for kind, oid, t in zip(patents["kind"], patents["id"], patents["text"]):
        if isinstance(t, str):
            (firm_docs if kind == "Enterprise" else cand_docs).setdefault(oid, []).append(t)
    for oid, t in zip(history.static_texts["id"], history.static_texts["text"]):
        cand_docs.setdefault(oid, []).append(t)
    vocab: dict = {}
    cr, cc, cv = [], [], []
    lengths = np.zeros(len(cpos))
    for oid, docs in cand_docs.items():
        if oid not in cpos:
            continue
        counts: dict = {}
        for d in docs:
            for t in tokenize(d):
                counts[t] = counts.get(t, 0) + 1
        lengths[cpos[oid]] = sum(counts.values())
        for t, n in counts.items():
            cr.append(cpos[oid])
            cc.append(vocab.setdefault(t, len(vocab)))
            cv.append(n)
    fr, fc = [], []
    for oid, docs in firm_docs.items():
        if oid not in fpos:
            continue
        for t in {t for d in docs for t in tokenize(d)}:
            if t in vocab:
                fr.append(fpos[oid])
                fc.append(vocab[t])
    nv = max(len(vocab), 1)
    tf = _matrix(cr, cc, (len(cpos), nv), cv)
    Q = _matrix(fr, fc, (len(fpos), nv))
    Q.data[:] = 1.0
    if tf.nnz == 0:
        return Q, tf
    n = len(cpos)
    df = np.bincount(tf.indices, minlength=nv)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    avg = lengths[lengths > 0].mean() if (lengths > 0).any() else 1.0
    tf = tf.tocoo()
    denom = tf.data + k1 * (1 - b + b * lengths[tf.row] / avg)
    w = idf[tf.col] * tf.data * (k1 + 1) / denom
    return Q, sp.csr_matrix((w, (tf.row, tf.col)), shape=(n, nv))
