"""What matching needs to know about every candidate, read once per graph and cached.

The per-firm work (its fields, partners, projects, patents, workstation) is
a handful of small Cypher queries that start from the firm; what is the
same for every firm (candidates, their fields, text, track record,
platforms) is read here once with the named ``match_index_*`` queries and
kept until the graph changes (its node and edge counts) or ``until`` does.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from kg.queries.matching.text import BM25Index

WEIGHTS_FILE = Path(__file__).with_name("weights.yaml")
#: the year used when no back-test cut-off is asked for (every cooperation counts)
NO_CUTOFF = 9999


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

    def parents(self, fields) -> set:
        """Parent fields of ``fields`` (top-level fields are their own parent)."""
        return {self.field_parent.get(f) or f for f in fields}


_CACHE: dict[tuple, MatchingIndex] = {}


def matching_index(graph, until: int | None = None) -> MatchingIndex:
    """The cached :class:`MatchingIndex` of ``graph`` at cut-off year ``until``."""
    until = NO_CUTOFF if until is None else int(until)
    signature = (id(graph), until, tuple(graph.counts()["count"].tolist()))
    if signature not in _CACHE:
        for key in [k for k in _CACHE if k[0] == id(graph)]:
            if key[2] != signature[2]:
                del _CACHE[key]
        _CACHE[signature] = _build(graph, until)
    return _CACHE[signature]


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
    in_field = Counter(f for fs in fields.values() for f in fs | {field_parent.get(x) for x in fs} - {None})
    idf = {f: math.log((1 + n) / (1 + c)) + 1.0 for f, c in in_field.items()}
    docs: dict[str, list[str]] = defaultdict(list)
    achievements: dict[str, list] = defaultdict(list)
    for cid, aid, name, keywords in graph.run_named("match_index_achievements").itertuples(index=False):
        kw = list(keywords) if isinstance(keywords, (list, tuple)) or hasattr(keywords, "__len__") and not isinstance(keywords, str) else []
        docs[cid] += [name or "", " ".join(kw)]
        achievements[cid].append((aid, name, kw))
    for cid, text, _ in graph.run_named("match_index_texts").itertuples(index=False):
        if isinstance(text, str):
            docs[cid].append(text)
    track: dict[str, Counter] = defaultdict(Counter)
    for cid, fid, firms in graph.run_named("match_index_track", until=until).itertuples(index=False):
        track[cid][fid] += int(firms)
    popularity = {cid: int(n_) for cid, n_ in graph.run_named("match_index_popularity", until=until).itertuples(index=False)}
    levels = load_weights()["platform_levels"]
    platforms: dict[str, float] = defaultdict(float)
    for cid, level in graph.run_named("match_index_platforms").itertuples(index=False):
        platforms[cid] += levels.get(level, 0.1)
    return MatchingIndex(
        candidates=cands, fields=dict(fields), field_names=field_names, field_parent=field_parent, field_idf=idf,
        text=BM25Index({cid: docs.get(cid, []) for cid in cands.index}), achievements=dict(achievements),
        track=dict(track), popularity=popularity, platforms=dict(platforms), until=until,
        kind_of=dict(zip(cands["id"], cands["kind"])),
    )
