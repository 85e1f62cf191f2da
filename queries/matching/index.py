"""What matching needs to know about every candidate, read once per graph and cached.

The per-firm work (its fields, partners, projects, patents, workstation) is
a handful of small Cypher queries that start from the firm; what is the
same for every firm (candidates, their fields, text, track record,
platforms) is read here once with the named ``match_index_*`` queries and
kept until the graph is written to (:attr:`kg.KnowledgeGraph.writes`, or the candidate-side counts when
another process writes the store) or ``until`` changes.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from kg.queries.matching.text import BM25Index
from kg.types import Graph

WEIGHTS_FILE = Path(__file__).with_name("weights.yaml")
#: the year used when no back-test cut-off is asked for (every cooperation counts)
NO_CUTOFF = 9999
#: Chinese words for the kinds of candidate partners
KIND_ZH = {"University": "高校", "ResearchInstitute": "院所"}
#: the leading columns of every ranked candidate table
RANKED = ("rank", "id", "name", "kind", "score")


@lru_cache(maxsize=4)
def load_weights(path: str | None = None) -> dict:
    """The scoring configuration (``weights.yaml`` beside this module, or ``path``)."""
    return yaml.safe_load(Path(path or WEIGHTS_FILE).read_text(encoding="utf-8"))


@dataclass
class MatchingIndex:
    """Candidates (universities, institutes) with fields, text, track record and platforms."""

    candidates: pd.DataFrame
    fields: dict[str, set]
    field_names: dict[str, str]
    field_parent: dict[str, str | None]
    field_idf: dict[str, float]
    text: BM25Index
    achievements: dict[str, list[tuple[str, str, list]]]
    track: dict[str, Counter]
    popularity: dict[str, int]
    platforms: dict[str, float]
    until: int = NO_CUTOFF
    kind_of: dict[str, str] = field(default_factory=dict)
    #: vectors over ``candidates`` (same order), filled by :meth:`vectorise`
    pos: dict[str, int] = field(default_factory=dict)
    members: dict[str, np.ndarray] = field(default_factory=dict)
    under: dict[str, np.ndarray] = field(default_factory=dict)
    track_vec: dict[str, np.ndarray] = field(default_factory=dict)
    platform_vec: np.ndarray | None = None
    region: np.ndarray | None = None
    region4: np.ndarray | None = None
    region2: np.ndarray | None = None
    kind_arr: np.ndarray | None = None
    id_arr: np.ndarray | None = None
    name_arr: np.ndarray | None = None

    def parents(self, fields) -> set:
        """Parent fields of ``fields`` (top-level fields are their own parent)."""
        return {self.field_parent.get(f) or f for f in fields}

    def vectorise(self) -> MatchingIndex:
        """Per-field membership and track-record vectors over the candidates, for fast scoring."""
        ids = self.candidates["id"].tolist()
        self.pos = {c: i for i, c in enumerate(ids)}
        n = len(ids)
        members: dict[str, np.ndarray] = {}
        under: dict[str, np.ndarray] = {}
        for cid, fs in self.fields.items():
            i = self.pos.get(cid)
            if i is None:
                continue
            for f in fs:
                members.setdefault(f, np.zeros(n, dtype=bool))[i] = True
            for f in self.parents(fs):
                under.setdefault(f, np.zeros(n, dtype=bool))[i] = True
        self.members, self.under = members, under
        track: dict[str, np.ndarray] = {}
        for cid, per_field in self.track.items():
            i = self.pos.get(cid)
            if i is None:
                continue
            for f, k in per_field.items():
                track.setdefault(f, np.zeros(n))[i] = k
        self.track_vec = track
        self.platform_vec = np.array([self.platforms.get(c, 0.0) for c in ids], dtype=float)
        regions = [r if isinstance(r, str) and len(r) >= 6 else "" for r in self.candidates["region"]]
        self.region = np.array(regions, dtype=object)
        self.region4 = np.array([r[:4] for r in regions], dtype=object)
        self.region2 = np.array([r[:2] for r in regions], dtype=object)
        self.kind_arr = self.candidates["kind"].to_numpy(dtype=object)
        self.id_arr = np.array(ids, dtype=object)
        self.name_arr = self.candidates["name"].to_numpy(dtype=object)
        return self


# graph -> {until: (signature, index)}; weak keys so a closed, dropped graph frees its index
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def signature(graph: Graph) -> tuple:
    """What the index depends on: the graph's write counter and the candidate-side counts (one query).

    Any write through the same :class:`kg.KnowledgeGraph` (new nodes or edges, changed properties) rebuilds
    the index; the counts catch new universities, institutes, achievements, experts or fields written by
    another process.  ``refresh=True`` in :func:`matching_index` rebuilds it in any case.
    """
    # one row per non-empty type: the embedded engine returns no row for count() over an empty label
    counts = tuple((t, int(n)) for t, n in graph.run_named("match_index_signature").itertuples(index=False))
    return (getattr(graph, "writes", None), counts)


def matching_index(graph: Graph, until: int | None = None, refresh: bool = False) -> MatchingIndex:
    """The cached :class:`MatchingIndex` of ``graph`` at cut-off year ``until``.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "甲大学"}])
    >>> matching_index(g).candidates["id"].tolist(), matching_index(g) is matching_index(g)
    (['U1'], True)
    """
    until = NO_CUTOFF if until is None else int(until)
    sig = signature(graph)
    per_graph = _CACHE.setdefault(graph, {})
    hit = per_graph.get(until)
    if refresh or hit is None or hit[0] != sig:
        if hit is not None and hit[0] != sig:
            per_graph.clear()
        per_graph[until] = (sig, _build(graph, until).vectorise())
    return per_graph[until][1]


def _build(graph, until: int) -> MatchingIndex:
    cands = graph.run_named("match_index_candidates").drop_duplicates("id").set_index("id", drop=False)
    tree = graph.run_named("match_field_tree")
    field_names = dict(zip(tree["id"], tree["name"]))
    field_parent = {f: (p if isinstance(p, str) else None) for f, p in zip(tree["id"], tree["parent"])}
    fields: dict[str, set] = defaultdict(set)
    for cid, fid in graph.run_named("match_index_fields").itertuples(index=False):
        fields[cid].add(fid)
    n = max(len(cands), 1)
    # a candidate in a sub-field is in its parent field too: a parent is never rarer than its sub-fields
    in_field = Counter(
        f for fs in fields.values() for f in fs | {p for p in map(field_parent.get, fs) if p is not None}
    )
    idf = {f: math.log((1 + n) / (1 + c)) + 1.0 for f, c in in_field.items()}
    docs: dict[str, list[str]] = defaultdict(list)
    achievements: dict[str, list] = defaultdict(list)
    for cid, aid, name, keywords in graph.run_named("match_index_achievements").itertuples(index=False):
        kw = (
            list(keywords)
            if isinstance(keywords, (list, tuple)) or (hasattr(keywords, "__len__") and not isinstance(keywords, str))
            else []
        )
        docs[cid] += [name or "", " ".join(kw)]
        achievements[cid].append((aid, name, kw))
    for cid, text, _ in graph.run_named("match_index_texts").itertuples(index=False):
        if isinstance(text, str):
            docs[cid].append(text)
    track: dict[str, Counter] = defaultdict(Counter)
    for cid, fid, firms in graph.run_named("match_index_track", until=until).itertuples(index=False):
        track[cid][fid] += int(firms)
    popularity = {
        cid: int(n_) for cid, n_ in graph.run_named("match_index_popularity", until=until).itertuples(index=False)
    }
    levels = load_weights()["platform_levels"]
    platforms: dict[str, float] = defaultdict(float)
    for cid, level in graph.run_named("match_index_platforms").itertuples(index=False):
        platforms[cid] += levels.get(level, 0.1)
    return MatchingIndex(
        candidates=cands,
        fields=dict(fields),
        field_names=field_names,
        field_parent=field_parent,
        field_idf=idf,
        text=BM25Index({cid: docs.get(cid, []) for cid in cands.index}),
        achievements=dict(achievements),
        track=dict(track),
        popularity=popularity,
        platforms=dict(platforms),
        until=until,
        kind_of=dict(zip(cands["id"], cands["kind"])),
    )
