"""Participations: what each organisation takes part in, counted in the two-mode organisation-item network.

* ``projects``, ``patents``: distinct projects / patents the organisation takes part in (its degree in the
  organisation-project and organisation-patent graphs);
* ``cooperations``: distinct cooperation partners (产学研合作 links, either direction);
* ``two_mode_degree`` = projects + patents: its degree in the two-mode organisation-item network;
* ``participations`` = projects + patents + cooperations;
* ``partners``: distinct partners of any kind (its degree in the one-mode organisation projection).

The counts do not depend on which organisations a projection keeps (``types=``): a firm's projects are its
projects whoever its partners are; ``partners`` does.

Examples
--------
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲"}, {"id": "E2", "name": "乙"}])
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "丙大学"}])
>>> _ = g.upsert_nodes("Project", [{"id": "P1", "name": "项目1"}, {"id": "P2", "name": "项目2"}])
>>> _ = g.upsert_edges("PARTICIPATES_IN", [{"from_id": "E1", "to_id": "P1"}, {"from_id": "U1", "to_id": "P1"},
...                                        {"from_id": "E1", "to_id": "P2"}, {"from_id": "E2", "to_id": "P2"}])
>>> count_participations(g)[["id", "projects", "two_mode_degree", "partners"]].values.tolist()
[['E1', 2, 2, 2], ['E2', 1, 1, 1], ['U1', 1, 1, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kg.deprecation import deprecated
from kg.errors import KGError
from kg.queries.analytics.groups import rolled
from kg.queries.analytics.projections import PARTICIPATIONS, Network, Projection, id_frame

#: measures computed from the participation counts of the nodes (the same on every engine)
COUNT_MEASURES = ("participations", "two_mode_degree")
COLUMNS = [*PARTICIPATIONS, "two_mode_degree", "participations", "partners"]


def count_values(p: Projection, measure: str) -> np.ndarray:
    """``participations`` or ``two_mode_degree`` of every node of ``p`` (aligned with ``p.nodes``).

    Examples
    --------
    >>> p = Projection("toy", pd.DataFrame({"id": ["a"], "projects": [2], "patents": [1], "cooperations": [3]}),
    ...                pd.DataFrame(columns=["source", "target", "weight"]))
    >>> count_values(p, "participations").tolist(), count_values(p, "two_mode_degree").tolist()
    ([6.0], [3.0])
    """
    missing = [c for c in PARTICIPATIONS if c not in p.nodes]
    if missing:
        raise KGError(
            f"{measure} counts what organisations take part in: use the organisations projection of a "
            f"store (this graph has no {', '.join(missing)} per node)"
        )
    used = PARTICIPATIONS if measure == "participations" else ("projects", "patents")
    return p.nodes[list(used)].to_numpy(dtype=float).sum(axis=1)


def count_participations(
    graph: Network,
    *,
    types=None,
    until: int | None = None,
    by: str = "participations",
    top: int | None = None,
    rollup: str | None = None,
) -> pd.DataFrame:
    """Projects, patents, cooperations, the two-mode degree and distinct partners of every organisation.

    Parameters
    ----------
    graph
        A :class:`kg.KnowledgeGraph` (or an organisation :class:`Projection`).
    types
        Organisation types to keep (see :func:`kg.queries.analytics.projections.organisations`).
    until
        Count only what is known by this year.
    by
        The column to rank by (highest first, ties by id): one of :data:`COLUMNS`.
    top
        Keep the first ``top`` rows.
    rollup
        ``"group"``: one row per group, a subsidiary or a unit of a larger body counted with its group
        (distinct projects, patents and partners of all its units; :mod:`kg.queries.analytics.groups`).

    Returns
    -------
    DataFrame with ``id``, ``name``, ``type``, ``region``, ``region_name`` and :data:`COLUMNS` (and ``units``,
    how many units a group row stands for, with ``rollup="group"``).
    """

    if by not in COLUMNS:
        raise KGError(f"by={by!r}: rank by one of {', '.join(COLUMNS)}")
    options = {k: v for k, v in (("types", types), ("until", until)) if v is not None}
    p = rolled(graph, "organisations", options, rollup)
    df = id_frame(p, graph)
    if "units" in p.nodes:
        df["units"] = p.nodes["units"].to_numpy()
    for c in PARTICIPATIONS:
        df[c] = p.nodes[c].to_numpy() if c in p.nodes else 0
    df["two_mode_degree"] = df["projects"] + df["patents"]
    df["participations"] = df["two_mode_degree"] + df["cooperations"]
    _, src, dst = p.codes()
    df["partners"] = np.bincount(np.concatenate([src, dst]), minlength=len(df)).astype(np.int64)
    df = df.sort_values(
        [by, "id"], ascending=[False, True], kind="stable", key=lambda c: c.astype(str) if c.name == "id" else c
    ).reset_index(drop=True)
    df.attrs.update(
        {
            "projection": p.name,
            "types": list(p.meta.get("types", ())),
            "until": until,
            "rollup": p.meta.get("rollup", "unit"),
        }
    )
    return df.head(top) if top else df


# deprecated name (removed in 0.3)
participations = deprecated(count_participations, "kg.queries.analytics.participations")
