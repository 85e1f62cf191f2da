"""Entity resolution: which stored node a row means.

Organisations: a valid 统一社会信用代码 is the key where present; otherwise the
normalised name (:func:`kg.normalise.name_key`) decides, matched
against the names *and aliases* already in the store and earlier rows of
the same file, so 「盘锦（辽河）化工有限责任公司」 and 「盘锦(辽河)化工有限公司」 are one
node and every spelling is kept in ``aliases``.  Persons are matched
conservatively: by id, or by name together with their affiliation, never
by name alone.

Examples
--------
>>> mint_id("Enterprise", "甲科技有限公司") == mint_id("Enterprise", "甲科技有限公司")
True
>>> mint_id("Enterprise", "甲科技有限公司")[:4]
'ENT-'
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from kg import cypher
from kg.normalise import name_key
from kg.values import as_list

#: prefixes of minted ids, per label (falls back to the label's first three letters)
_PREFIX = {
    "Enterprise": "ENT",
    "University": "UNI",
    "ResearchInstitute": "INS",
    "Person": "PER",
    "Project": "PRJ",
    "Patent": "PAT",
    "Achievement": "ACH",
    "TechDemand": "DEM",
}


def mint_id(label: str, key: str) -> str:
    """A stable id for a node known only by its (normalised) name."""
    digest = hashlib.sha1(f"{label}\x1f{key}".encode()).hexdigest()[:12].upper()
    return f"{_PREFIX.get(label, label[:3].upper())}-{digest}"


class NameIndex:
    """Normalised name -> ``(label, id)`` of stored nodes of some labels, plus what a load adds.

    Built lazily from the store the first time a name must be looked up.
    """

    def __init__(self, graph, labels) -> None:
        self.graph = graph
        self.labels = tuple(labels)
        self._index: dict[str, set[tuple[str, str]]] | None = None

    def _build(self) -> dict[str, set[tuple[str, str]]]:
        index: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for label in self.labels:
            df = self.graph.query(cypher.names_of(label))
            for id_, name, aliases in df.itertuples(index=False, name=None):
                for text in [name, *as_list(aliases)]:
                    if text:
                        index[name_key(text)].add((label, id_))
        return index

    @property
    def index(self) -> dict[str, set[tuple[str, str]]]:
        if self._index is None:
            self._index = self._build()
        return self._index

    def lookup(self, text: str) -> set[tuple[str, str]]:
        """Every ``(label, id)`` whose name or alias normalises like ``text``."""
        return self.index.get(name_key(text), set())

    def add(self, label: str, id_: str, *texts: str) -> None:
        """Record names a load gives a node, so later rows find it."""
        for text in texts:
            if text:
                self.index[name_key(text)].add((label, id_))


def stored_aliases(graph, label: str, ids: list[str]) -> dict[str, tuple[str | None, list]]:
    """``id -> (name, aliases)`` of the stored nodes among ``ids`` (for merging name variants)."""
    out: dict[str, tuple[str | None, list]] = {}
    batch = graph.backend.batch_size
    for start in range(0, len(ids), batch):
        df = graph.query(cypher.names_of(label, by_ids=True), ids=ids[start : start + batch])
        for id_, name, aliases in df.itertuples(index=False, name=None):
            out[id_] = (name, as_list(aliases))
    return out
