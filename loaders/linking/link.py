"""Propose joins: which units of the graph (or of a new list) are one organisation, a unit of another, or a member of a group.

:func:`match_names` is the engine, on plain frames: it blocks
(:class:`~kg.loaders.linking.blocking.UnitIndex`), classifies each candidate
pair both ways (:func:`~kg.loaders.linking.rules.classify`) and scores it
(:mod:`~kg.loaders.linking.scoring`).  :func:`propose_links` runs it over the
organisations stored in a graph (``kg link``), :func:`units_of` reads them.

A proposal is one row of the review file: the pair, the kind, the score, the
evidence and a ``decision`` that is ``accept`` when the score reaches the
auto-accept threshold and empty (for a reviewer) between the thresholds.

Examples
--------
>>> units = pd.DataFrame({"uid": ["u1", "u2"], "name": ["哈尔滨工业大学", "中国地质大学(武汉)"]})
>>> names = pd.DataFrame({"uid": ["n1", "n2"], "name": ["哈尔滨工业大学（威海）", "中国地质大学（武汉）"]})
>>> out = match_names(names, units)
>>> out[["from_uid", "kind", "to_uid", "decision"]].values.tolist()
[['n2', 'same', 'u2', 'accept'], ['n1', 'part_of', 'u1', '']]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

from kg import cypher
from kg.loaders.linking.blocking import UnitIndex
from kg.loaders.linking.rules import classify
from kg.loaders.linking.scoring import compare, evidence, total
from kg.values import as_list

#: score (bits) from which a proposal is accepted without review
AUTO_ACCEPT = 12.0
#: score below which a candidate is not proposed at all
REVIEW = 4.0
COLUMNS = [
    "from_label",
    "from_id",
    "from_name",
    "kind",
    "to_label",
    "to_id",
    "to_name",
    "score",
    "decision",
    "evidence",
]
#: the edge each non-merge kind becomes
EDGE_FOR_KIND = {"part_of": "BRANCH_OF", "subsidiary": "SUBSIDIARY_OF"}


def match_names(
    names: pd.DataFrame,
    units: pd.DataFrame,
    *,
    auto_accept: float = AUTO_ACCEPT,
    review: float = REVIEW,
    within: bool = False,
    asserted: bool = False,
    k: int = 5,
) -> pd.DataFrame:
    """Candidate joins of each row of ``names`` to ``units``, scored and classified.

    Parameters
    ----------
    names, units
        Frames with ``uid`` and ``name``; optional ``label``, ``aliases`` (lists),
        ``region``, ``uscc``, ``neighbours`` (sets of neighbour keys).
    within
        ``names`` and ``units`` are the same units: skip self-pairs and keep each pair once.
    asserted
        The pairs come from a source that states parents (see :func:`classify`).

    Returns
    -------
    DataFrame with ``from_uid``, ``to_uid``, ``kind``, ``score``, ``decision``,
    ``evidence`` (best proposal first per ``from_uid``), where ``from`` is the
    unit, member or merged-away side.
    """
    index = UnitIndex(units)
    unit_rows = {r["uid"]: r for r in units.to_dict("records")}
    name_rows = names.to_dict("records")
    out, seen = [], set()
    for row in name_rows:
        for uid in index.candidates(row["name"], k=k):
            if within and (uid == row["uid"] or (uid, row["uid"]) in seen):
                continue
            seen.add((row["uid"], uid))
            other = unit_rows[uid]
            best = _best(row, other, index, asserted)
            if best is None:
                continue
            a, b, verdict, parts = best
            score = total(parts)
            if score < review:
                continue
            auto = score >= auto_accept and verdict.strong
            out.append(
                {
                    "from_uid": a["uid"],
                    "to_uid": b["uid"],
                    "kind": verdict.kind,
                    "score": score,
                    "decision": "accept" if auto else "",
                    "evidence": evidence(parts),
                }
            )
    frame = pd.DataFrame(out, columns=["from_uid", "to_uid", "kind", "score", "decision", "evidence"])
    return frame.sort_values(["score", "from_uid"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _best(row: dict, other: dict, index: UnitIndex, asserted: bool):
    """The direction and verdict of a pair: same either way, else the direction that is a unit / member."""
    names_a = [row["name"], *as_list(row.get("aliases"))]
    names_b = [other["name"], *as_list(other.get("aliases"))]
    best = None
    for x, y, a, b in [(x, y, row, other) for x in names_a for y in names_b] + [
        (y, x, other, row) for x in names_a for y in names_b
    ]:
        if best is not None and best[2].kind == "same" and best[0] is b:
            continue  # same is symmetric: the reverse direction adds nothing
        verdict = classify(x, y, asserted=asserted)
        if verdict.kind == "different":
            continue
        parts = compare({**a, "name": x}, {**b, "name": y}, weight=index.weight, verdict=verdict)
        if best is None or total(parts) > total(best[3]):
            best = (a, b, verdict, parts)
    if best and best[2].kind == "same" and _keep_first(best[0], best[1]):
        a, b, verdict, parts = best
        best = (b, a, verdict, parts)
    return best


def _keep_first(a: dict, b: dict) -> bool:
    """For a merge, keep the unit with a code, then more neighbours, then the reference label order."""
    order = ("University", "ResearchInstitute", "Enterprise", "ServiceOrg")

    def key(u):
        return (
            bool(u.get("uscc")),
            len(u.get("neighbours") or ()),
            -order.index(u["label"]) if u.get("label") in order else -9,
        )

    return key(a) > key(b)


def org_labels(graph) -> tuple[str, ...]:
    """Node labels that identity links join (the endpoints of SUBSIDIARY_OF)."""
    return graph.schema.edge("SUBSIDIARY_OF").from_types


def units_of(graph, labels: Iterable[str] | None = None, *, neighbours: bool = True) -> pd.DataFrame:
    """The organisations stored in ``graph``: ``uid`` (``Label:id``), ``label``, ``id``, ``name``, ``aliases``, ``region``, ``uscc``, ``neighbours``."""
    frames = []
    for label in labels or org_labels(graph):
        props = [p for p in ("id", "name", "aliases", "region", "uscc") if p in graph.schema.node(label).properties]
        df = graph.query(cypher.node_rows(label, props))
        for p in ("region", "uscc", "aliases"):
            if p not in df:
                df[p] = None
        df.insert(0, "label", label)
        frames.append(df)
    units = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["label", "id", "name"])
    units["uid"] = units["label"] + ":" + units["id"].astype(str)
    units["aliases"] = units["aliases"].map(as_list)
    units["neighbours"] = [set() for _ in range(len(units))]
    if neighbours and len(units):
        near = _neighbours(graph, units)
        units["neighbours"] = units["uid"].map(lambda u: near.get(u, set()))
    return units


def _neighbours(graph, units: pd.DataFrame) -> dict[str, set[str]]:
    """``Label:id`` -> keys of its neighbours over every edge type touching organisations."""
    near: dict[str, set[str]] = defaultdict(set)
    labels = set(units["label"])
    for edge in graph.schema.edges.values():
        if edge.type in ("SUBSIDIARY_OF", "BRANCH_OF"):
            continue
        for a, b in edge.pairs:
            if a not in labels and b not in labels:
                continue
            df = graph.query(cypher.edge_rows(edge.type, a, b, []))
            for f, t in zip(df["from_id"], df["to_id"]):
                near[f"{a}:{f}"].add(f"{b}:{t}")
                near[f"{b}:{t}"].add(f"{a}:{f}")
    return near


def propose_links(
    graph,
    names: pd.DataFrame | None = None,
    *,
    labels: Iterable[str] | None = None,
    auto_accept: float = AUTO_ACCEPT,
    review: float = REVIEW,
) -> pd.DataFrame:
    """Proposals of the review file (:data:`COLUMNS`) for the organisations of ``graph``.

    Without ``names``, the stored units are linked with each other; with a
    frame of ``name`` (and optional ``label``, ``region``, ``uscc``), its rows
    are matched against the stored units (``from_id`` is then the row number).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "哈尔滨工业大学"}, {"id": "U2", "name": "哈尔滨工业大学（威海）"}])
    >>> propose_links(g)[["from_id", "kind", "to_id", "decision"]].values.tolist()
    [['U2', 'part_of', 'U1', '']]
    """
    units = units_of(graph, labels)
    if names is None:
        found = match_names(units, units, within=True, auto_accept=auto_accept, review=review)
        rows = units.set_index("uid")
    else:
        names = names.reset_index(drop=True)
        given = pd.DataFrame(
            {
                "uid": "row:" + names.index.astype(str),
                "name": names["name"].astype(str),
                "label": names.get("label", "row"),
                "id": names.index.astype(str),
                "region": names.get("region"),
                "uscc": names.get("uscc"),
            }
        )
        found = match_names(given, units, auto_accept=auto_accept, review=review)
        rows = pd.concat([units.set_index("uid"), given.set_index("uid")])
    out = pd.DataFrame(
        {
            "from_label": found["from_uid"].map(rows["label"]),
            "from_id": found["from_uid"].map(rows["id"]),
            "from_name": found["from_uid"].map(rows["name"]),
            "kind": found["kind"],
            "to_label": found["to_uid"].map(rows["label"]),
            "to_id": found["to_uid"].map(rows["id"]),
            "to_name": found["to_uid"].map(rows["name"]),
            "score": found["score"],
            "decision": found["decision"],
            "evidence": found["evidence"],
        }
    )
    return out[COLUMNS]
