"""The one endpoint resolver: which stored node each edge row's start (or end) means.

One read of the stored keys per allowed label, joined with the whole column (Arrow hash lookups, see
:mod:`kg.stored`); only the rows not found by key go further: to a name lookup when the caller gives one
(the loaders pass :meth:`kg.loaders.resolve.NameIndex.lookup`: names, aliases and 曾用名, normalised), or
straight to the list of problems.  :meth:`kg.KnowledgeGraph.upsert_edges` and the edge loader both resolve
here and only word the problems their own way (an exception, or a rejected row).

Examples
--------
>>> import pandas as pd
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
>>> _ = g.upsert_nodes("ResearchInstitute", [{"id": "U1", "name": "同号所"}, {"id": "R2", "name": "某研究所"}])
>>> found = resolve_endpoints(g, ("University", "ResearchInstitute"), pd.Series(["R2", "U1", "X", None]))
>>> found.labels, found.problems
(['ResearchInstitute', None, None, None], {1: ('ambiguous', ['University', 'ResearchInstitute']), 2: ('unknown', []), 3: ('missing', [])})
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kg.stored import member, stored_keys, stored_nodes

#: a name lookup: text -> every ``(label, id)`` it may mean
Lookup = Callable[[str], set[tuple[str, str]]]


@dataclass
class Endpoints:
    """Resolved endpoints of one side: ``ids`` and ``labels`` per row (``None`` where unresolved) and
    ``problems``: row position -> ``(kind, candidates)``, kind one of ``missing`` (no value), ``ambiguous``
    (the key is stored under several labels: candidates are the labels), ``several`` (the name means several
    nodes: candidates ``label:id``) and ``unknown`` (no such key, name or alias)."""

    ids: list
    labels: list
    problems: dict[int, tuple[str, list[str]]] = field(default_factory=dict)


def resolve_endpoints(
    graph,
    allowed: Sequence[str],
    values: pd.Series,
    given: pd.Series | None = None,
    *,
    lookup: Lookup | None = None,
    skip: np.ndarray | None = None,
    cache: dict | None = None,
) -> Endpoints:
    """Resolve one side of an edge sheet against the store.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    allowed
        The labels this side may have.
    values
        Keys (or, with ``lookup``, names) per row; ``None`` where missing.
    given
        The label each row names (``None`` where not given); a given label restricts the search to it.
    lookup
        Called for rows not found by key; without it those rows are ``unknown``.
    skip
        Rows already refused (left unresolved, no problem recorded).
    cache
        Kept by the caller over several calls on an unchanged store (the chunks of one file): the stored
        keys of each label are read once (:func:`kg.stored.stored_keys`).
    """
    n = len(values)
    values = _objects(values)
    given = pd.Series([None] * n, dtype=object) if given is None else _objects(given)
    skip = np.zeros(n, dtype=bool) if skip is None else skip
    present = values.notna().to_numpy()
    untyped = given.isna().to_numpy()
    keys = values.tolist()
    masks = {}
    for label in allowed:  # one read of the stored keys per label, joined with the column
        mine = present & (untyped | (given == label).to_numpy())
        if cache is not None:  # the keys of every label, read once for all calls
            stored_set = stored_keys(graph, label, cache)
            masks[label] = np.fromiter(map(stored_set.__contains__, keys), dtype=bool, count=n) & mine
        else:
            stored = stored_nodes(graph, label, values[mine].drop_duplicates().tolist(), [])
            masks[label] = member(keys, stored) & mine
    hits = np.sum(list(masks.values()), axis=0) if masks else np.zeros(n, dtype=int)
    single = (hits == 1) & ~skip
    labels = np.array(given.tolist(), dtype=object)
    for label, mask in masks.items():
        labels[mask & single] = label
    labels[~single] = None
    out = Endpoints(ids=list(keys), labels=labels.tolist())
    for pos in np.flatnonzero(~single & ~skip).tolist():
        value = keys[pos]
        if value is None:
            out.problems[pos] = ("missing", [])
            continue
        where = [label for label, mask in masks.items() if mask[pos]]
        if len(where) > 1:
            out.problems[pos] = ("ambiguous", where)
            continue
        wanted = given.iloc[pos]
        found = {h for h in lookup(value) if wanted is None or h[0] == wanted} if lookup else set()
        if len(found) == 1:
            out.labels[pos], out.ids[pos] = next(iter(found))
        elif found:
            out.problems[pos] = ("several", sorted(f"{a}:{b}" for a, b in found))
        else:
            out.problems[pos] = ("unknown", [])
    return out


def _objects(column: pd.Series) -> pd.Series:
    """A column as Python objects, ``None`` where missing, positions as index."""
    column = column.reset_index(drop=True).astype(object)
    return column.where(column.notna(), None)


__all__ = ["Endpoints", "Lookup", "resolve_endpoints"]
