"""Apply reviewed proposals in one transaction, and undo them.

A review file is the CSV :func:`write_review` writes (the columns of
:data:`~kg.loaders.linking.link.COLUMNS`); a reviewer sets ``decision`` to
``accept`` (or ``yes`` / ``y`` / ``1`` / ``是``) on the rows to apply and
leaves or clears it on the others.  :func:`apply_review` then, inside one
transaction:

- ``same``: merges ``from`` into ``to``: ``from``'s edges move to ``to``
  (those ``to`` already has are kept as they are), ``from``'s name and
  aliases become aliases of ``to``, and ``from`` is deleted;
- ``part_of``: adds a BRANCH_OF edge, ``subsidiary``: a SUBSIDIARY_OF edge,
  both with ``source`` naming the review file.

Every change is written to a journal (JSON lines) with what it needs to be
undone exactly: the merged node with every property and edge, the aliases
``to`` had before, the edges created.  :func:`unmerge` replays it backwards.

Examples
--------
>>> from kg import KnowledgeGraph
>>> import tempfile, pathlib
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("University", [{"id": "U1", "name": "中国地质大学(武汉)"}, {"id": "N1", "name": "中国地质大学（武汉）"}])
>>> review = pd.DataFrame([{"from_label": "University", "from_id": "N1", "kind": "same", "to_label": "University",
...                         "to_id": "U1", "decision": "accept"}])
>>> journal = pathlib.Path(tempfile.mkdtemp()) / "links.jsonl"
>>> apply_review(g, review, journal=journal)
{'same': 1, 'part_of': 0, 'subsidiary': 0}
>>> g.count("University"), g.find("中国地质大学（武汉）")["id"].tolist()
(1, ['U1'])
>>> unmerge(g, journal=journal)
1
>>> g.count("University")
2
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from kg import cypher
from kg.errors import LoadError
from kg.loaders.linking.link import COLUMNS, EDGE_FOR_KIND
from kg.values import as_list, is_missing

ACCEPT = {"accept", "accepted", "yes", "y", "1", "true", "是", "✓", "x"}
REQUIRED = ("from_label", "from_id", "kind", "to_label", "to_id", "decision")


def write_review(proposals: pd.DataFrame, path: str | Path) -> Path:
    """Write proposals as a review CSV (UTF-8 with BOM, so Excel shows the Chinese)."""
    path = Path(path)
    proposals.reindex(columns=COLUMNS).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def read_review(path: str | Path) -> pd.DataFrame:
    """Read a review CSV and check its columns and values; errors name the file, row and column."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: review file not found; write one with `kg link --out {path.name}`")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in REQUIRED if c not in frame]
    if missing:
        raise LoadError(f"{path}: missing column(s) {', '.join(missing)}; keep the columns `kg link --out` writes")
    _check(frame, str(path))
    return frame


def _check(frame: pd.DataFrame, where: str) -> None:
    for i, kind in enumerate(frame["kind"]):
        if kind not in ("same", "part_of", "subsidiary", "different"):
            raise LoadError(
                f"{where}: row {i + 2}, column kind: {kind!r} is not same, part_of, subsidiary or different"
            )


def accepted(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose ``decision`` accepts them."""
    decision = frame["decision"].fillna("").astype(str).str.strip().str.lower()
    return frame[decision.isin(ACCEPT) & (frame["kind"] != "different")]


def default_journal(graph) -> Path:
    """The journal beside an on-disk store (``<store>.links.jsonl``); other stores must be given one."""
    where = getattr(graph.backend, "path", None)
    if where is None or str(where) == ":memory:" or not Path(where).parent.is_dir():
        raise LoadError(
            f"store {graph.backend.describe()} has no folder for the merge journal; pass journal=PATH (--journal PATH)"
        )
    path = Path(where)
    return path.with_name(path.name + ".links.jsonl")


def apply_review(
    graph, review: pd.DataFrame | str | Path, *, journal: str | Path | None = None, source: str | None = None
) -> dict[str, int]:
    """Apply the accepted rows of a review in one transaction; returns how many of each kind were applied."""
    if not isinstance(review, pd.DataFrame):
        source = source or Path(review).name
        review = read_review(review)
    else:
        _check(review, "review")
    journal = Path(journal) if journal else default_journal(graph)
    source = source or "kg link"
    batch = uuid.uuid4().hex[:12]
    records: list[dict] = []
    done = {"same": 0, "part_of": 0, "subsidiary": 0}
    rows = accepted(review)
    with graph.transaction():
        stored = _stored_pairs(graph) if len(rows) else set()
        moved: dict[tuple[str, str], tuple[str, str]] = {}  # merged-away unit -> the unit it became
        for i, row in rows.iterrows():
            a, b = (row["from_label"], str(row["from_id"])), (row["to_label"], str(row["to_id"]))
            if a == b:
                raise LoadError(f"review row {i + 2}: a unit cannot be joined to itself ({a[0]} {a[1]})")
            while a in moved:
                a = moved[a]
            while b in moved:
                b = moved[b]
            if a == b:
                continue  # joined already through an earlier row
            if row["kind"] == "same":
                moved[a] = b
            if row["kind"] == "same":
                records.append(_merge(graph, a, b, batch, row_number=i + 2, stored=stored))
            else:
                records.append(_link(graph, EDGE_FOR_KIND[row["kind"]], a, b, source, batch))
                stored.add((EDGE_FOR_KIND[row["kind"]], a[0], b[0]))
            done[row["kind"]] += 1
    with journal.open("a", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False, default=_json) + "\n")
    return done


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _node(graph, label: str, id_: str, row_number: int | None = None) -> dict:
    props = list(graph.schema.node(label).properties)
    df = graph.query(cypher.nodes_by_ids(label, props), ids=[id_])
    if df.empty:
        where = f"review row {row_number}: " if row_number else ""
        raise LoadError(f"{where}{label} {id_!r} is not in the store (merged already, or a different store?)")
    rec = df.iloc[0].to_dict()
    out = {k: v for k, v in rec.items() if k != "aliases" and not is_missing(v)}
    raw = rec.get("aliases")
    if raw is not None and not isinstance(raw, float):
        out["aliases"] = as_list(raw)
    return out


def _stored_pairs(graph) -> set[tuple[str, str, str]]:
    """``(type, from label, to label)`` of every edge table part that holds edges (merges read only these)."""
    out = set()
    for edge in graph.schema.edges.values():
        for a, b in edge.pairs:
            if int(graph.query(cypher.count_edges(edge.type, a, b))["n"].iloc[0]):
                out.add((edge.type, a, b))
    return out


def _edges_of(graph, label: str, id_: str, stored: set[tuple[str, str, str]]) -> list[dict]:
    """Every edge touching one node, with its type, endpoint labels and properties."""
    out = []
    for edge in graph.schema.edges.values():
        props = list(edge.properties)
        for a, b in edge.pairs:
            if (edge.type, a, b) not in stored:
                continue
            for side, build in (("from", cypher.edge_page), ("to", cypher.edges_into)):
                if (a if side == "from" else b) != label:
                    continue
                df = graph.query(build(edge.type, a, b, props), ids=[id_])
                for rec in df.to_dict("records"):
                    rec = {k: v for k, v in rec.items() if not is_missing(v)}
                    out.append({"type": edge.type, "from_type": a, "to_type": b, **rec})
    return [dict(t) for t in {tuple(sorted(e.items(), key=lambda kv: kv[0])) for e in out}]


def _exists(graph, type_: str, a: str, b: str, from_id: str, to_id: str) -> bool:
    hit = graph.query(cypher.edge_targets(type_, a, b), ids=[from_id])
    return to_id in set(hit["to_id"])


def _merge(
    graph, a: tuple[str, str], b: tuple[str, str], batch: str, row_number: int, stored: set[tuple[str, str, str]]
) -> dict:
    (la, ia), (lb, ib) = a, b
    merged = _node(graph, la, ia, row_number)
    kept = _node(graph, lb, ib, row_number)
    edges = _edges_of(graph, la, ia, stored)
    created = []
    for e in edges:
        moved = dict(e)
        if e["from_type"] == la and e["from_id"] == ia:
            moved.update(from_type=lb, from_id=ib)
        if e["to_type"] == la and e["to_id"] == ia:
            moved.update(to_type=lb, to_id=ib)
        if (moved["from_type"], moved["from_id"]) == (moved["to_type"], moved["to_id"]):
            continue  # an edge between the two becomes a loop: dropped (restored by unmerge)
        edge = graph.schema.edge(moved["type"])
        if moved["from_type"] not in edge.from_types or moved["to_type"] not in edge.to_types:
            raise LoadError(
                f"review row {row_number}: {la} {ia} has a {moved['type']} edge that a {lb} cannot have; "
                f"merge into a node of the same type or decline the row"
            )
        if not _exists(graph, moved["type"], moved["from_type"], moved["to_type"], moved["from_id"], moved["to_id"]):
            graph.upsert_edges(moved["type"], [{k: v for k, v in moved.items() if k != "type"}])
            created.append(moved)
            stored.add((moved["type"], moved["from_type"], moved["to_type"]))
    before = kept.get("aliases") or []
    names = [merged.get("name"), *merged.get("aliases", [])]
    aliases = list(dict.fromkeys([*before, *(n for n in names if n and n != kept.get("name") and n not in before)]))
    graph.query(cypher.set_aliases(lb), id=ib, aliases=aliases)
    graph.query(cypher.delete_nodes(la), ids=[ia])
    return {
        "op": "merge",
        "batch": batch,
        "merged": {"label": la, "props": merged},
        "kept": [lb, ib],
        "edges": edges,
        "created": created,
        "aliases_before": kept.get("aliases") if "aliases" in kept else None,
    }


def _link(graph, type_: str, a: tuple[str, str], b: tuple[str, str], source: str, batch: str) -> dict:
    (la, ia), (lb, ib) = a, b
    created = not _exists(graph, type_, la, lb, ia, ib)
    if created:
        graph.upsert_edges(type_, [{"from_id": ia, "to_id": ib, "from_type": la, "to_type": lb, "source": source}])
    return {"op": "link", "batch": batch, "type": type_, "from": [la, ia], "to": [lb, ib], "created": created}


def read_journal(path: str | Path) -> list[dict]:
    """The records of a journal, oldest first."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: no merge journal here; give the one `kg link --apply` wrote (--journal)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def unmerge(graph, ids: list[str] | None = None, *, journal: str | Path | None = None, batch: str | None = None) -> int:
    """Undo merges and links from the journal, newest first; returns how many records were undone.

    ``ids`` picks merges by the merged-away node's id (or links by their
    ``from`` id); ``batch`` picks one ``apply_review`` run; neither: the last run.
    Undone records leave the journal.
    """
    path = Path(journal) if journal else default_journal(graph)
    records = read_journal(path)
    if ids:
        chosen = [r for r in records if _subject(r) in set(ids)]
        unknown = set(ids) - {_subject(r) for r in chosen}
        if unknown:
            raise LoadError(f"{path}: no merge or link of {', '.join(sorted(unknown))} in the journal")
    else:
        batch = batch or (records[-1]["batch"] if records else None)
        chosen = [r for r in records if r["batch"] == batch]
        if batch and not chosen:
            raise LoadError(f"{path}: no batch {batch!r} in the journal")
    with graph.transaction():
        for rec in reversed(chosen):
            _undo(graph, rec)
    keep = [r for r in records if r not in chosen]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
    return len(chosen)


def _subject(rec: dict) -> str:
    return rec["merged"]["props"]["id"] if rec["op"] == "merge" else rec["from"][1]


def _undo(graph, rec: dict) -> None:
    if rec["op"] == "link":
        if rec["created"]:
            (la, ia), (lb, ib) = rec["from"], rec["to"]
            graph.query(cypher.delete_edges(rec["type"], la, lb), rows=[{"from_id": ia, "to_id": ib}])
        return
    for e in rec["created"]:
        graph.query(
            cypher.delete_edges(e["type"], e["from_type"], e["to_type"]),
            rows=[{"from_id": e["from_id"], "to_id": e["to_id"]}],
        )
    lb, ib = rec["kept"]
    graph.query(cypher.set_aliases(lb), id=ib, aliases=rec["aliases_before"])
    label = rec["merged"]["label"]
    props = dict(rec["merged"]["props"])
    graph.upsert_nodes(label, [props])
    by_type: dict[str, list[dict]] = {}
    for e in rec["edges"]:
        by_type.setdefault(e["type"], []).append({k: v for k, v in e.items() if k != "type"})
    for type_, rows in by_type.items():
        graph.upsert_edges(type_, rows)
