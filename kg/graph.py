"""``KnowledgeGraph``: the one public API over a Cypher store.

Examples
--------
>>> from kg import KnowledgeGraph
>>> with KnowledgeGraph.open(":memory:") as g:
...     _ = g.upsert_nodes("University", [{"id": "4121010140", "name": "辽宁大学"}])
...     _ = g.upsert_nodes("Enterprise", [{"id": "E1", "name": "盘锦某新材料有限公司"}])
...     _ = g.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "4121010140", "since": 2021}])
...     g.query("MATCH (e:Enterprise)-[c:COOPERATES_WITH]->(u) RETURN u.name AS u, c.since AS since").to_dict("records")
[{'u': '辽宁大学', 'since': 2021}]
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kg import cypher, lookup
from kg.backends import Backend, open_backend
from kg.endpoints import resolve_endpoints
from kg.errors import NotFoundError, RowError
from kg.named import QueryLibrary
from kg.networks import graph_to_networkx
from kg.repeats import fold_repeats
from kg.rows import arrow_from_frame, coerce_row, is_unique_frame, object_frame
from kg.schema import EdgeType, NodeType, Schema, load_schema
from kg.stored import member, stored_nodes, update_groups
from kg.types import Rows
from kg.values import is_missing

DEFAULT_DB = "innovation.kg"
_ENDPOINT_KEYS = ("from_id", "to_id", "from_type", "to_type")


def default_db() -> str:
    """The store used when none is named: ``$KG_DB`` or ``./innovation.kg``."""
    return os.environ.get("KG_DB") or DEFAULT_DB


@lru_cache(maxsize=1024)
def _may_write(statement: str) -> bool:
    return not cypher.is_read_only(statement)


def _records(rows: Rows) -> list[dict[str, Any]]:
    if isinstance(rows, pd.DataFrame):
        frame = rows.astype(object)
        return frame.where(frame.notna(), None).to_dict("records")
    return [dict(r) for r in rows]


class KnowledgeGraph:
    """A typed innovation graph in one store.

    Open it with :meth:`open`; use it as a context manager or call
    :meth:`close`.  All writes are validated against the schema, batched and
    idempotent (MERGE on keys); results of queries are DataFrames.
    """

    def __init__(self, backend: Backend, schema: Schema | None = None) -> None:
        self.backend = backend
        self.schema = schema or load_schema()
        self.queries = QueryLibrary()
        self.backend.ensure_schema(self.schema)
        self._writes = 0

    # ------------------------------------------------------------- lifecycle
    @classmethod
    def open(cls, target: str | Path | None = None, **options: Any) -> KnowledgeGraph:
        """Open (and on first use create) a store.

        Parameters
        ----------
        target
            ``":memory:"``, a path to an embedded store file (default
            ``$KG_DB`` or ``./innovation.kg``) or a Neo4j URI.
        **options
            Engine options, e.g. ``read_only=True``.

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> int(g.counts()["count"].sum())
        0
        >>> g.close()
        """
        return cls(open_backend(target or default_db(), **options))

    def close(self) -> None:
        """Close the store; the object is unusable afterwards."""
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.backend.describe()!r})"

    def checkpoint(self) -> None:
        """Fold the engine's write-ahead log into the store file (a no-op inside a transaction or in memory).

        Loads call it after each commit, so a crash can only ever lose the
        transaction in flight (see :mod:`kg.recovery`).

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> g.checkpoint()
        """
        if not getattr(self.backend, "_depth", 0):
            self.backend.checkpoint()

    def transaction(self, *, copy_first: bool = False):
        """Context manager: everything inside commits together or not at all.

        ``copy_first=True`` lets new rows take the engine's bulk copy even into a store that holds data; a
        block that then writes anything else raises :class:`kg.errors.MixedWriteError` (rolled back), and
        is run again without it (:func:`kg.journal.journaled_write` does this for loads).

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> try:
        ...     with g.transaction():
        ...         _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}])
        ...         raise RuntimeError("stop")
        ... except RuntimeError:
        ...     pass
        >>> g.count("Field")
        0
        """
        return self.backend.transaction(copy_first=copy_first)

    @property
    def writes(self) -> int:
        """How many writes went through this object (upserts, and statements that may write): caches key on it.

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> before = g.writes
        >>> _ = g.query("MATCH (f:Field) RETURN count(f) AS n")
        >>> _ = g.query("MERGE (f:Field {id: 'F1'}) SET f.name = '新材料'")
        >>> g.writes - before
        1
        """
        return self._writes

    # --------------------------------------------------------------- reading
    def query(self, cypher_text: str, /, **params: Any) -> pd.DataFrame:
        """Run Cypher with parameters; values always travel as ``$params``.

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> g.query("RETURN $x + 1 AS y", x=41)["y"].tolist()
        [42]
        """
        if _may_write(cypher_text):
            self._writes += 1
        return self.backend.execute(cypher_text, params)

    def run_named(self, name: str, /, **params: Any) -> pd.DataFrame:
        """Run ``queries/cypher/NAME.cypher`` (or its engine variant).

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> list(g.run_named("top_cooperating_universities", k=5).columns)
        ['university_id', 'university', 'partners']
        """
        named = self.queries.get(name, self.backend.engine)
        if _may_write(named.text):
            self._writes += 1
        return self.backend.execute(named.text, self.queries.bind(named, params))

    def count(self, type_: str) -> int:
        """Number of nodes of a label or edges of a type."""
        if self.schema.is_node(type_):
            stmt = cypher.count_nodes(self.schema.node(type_).label)
        else:
            stmt = cypher.count_edges(self.schema.edge(type_).type)
        return int(self.backend.execute(stmt)["n"].iloc[0])

    def counts(self) -> pd.DataFrame:
        """Nodes and edges per type.

        Returns
        -------
        DataFrame with columns ``kind`` (node/edge), ``type``, ``title`` (中文), ``count``.
        """
        rows = [("node", n.label, n.title, self.count(n.label)) for n in self.schema.nodes.values()]
        rows += [("edge", e.type, e.title, self.count(e.type)) for e in self.schema.edges.values()]
        return pd.DataFrame(rows, columns=["kind", "type", "title", "count"])

    def find(self, name_or_id: str, types: Sequence[str] | None = None) -> pd.DataFrame:
        """Nodes whose id, name or an alias equals ``name_or_id``.

        Returns a DataFrame with ``label``, ``id``, ``name``; empty when
        nothing matches (see :meth:`resolve` for the strict version).
        """
        labels = [self.schema.node(t).label for t in (types or self.schema.nodes)]
        frames = []
        for label in labels:
            hit = self.backend.execute(cypher.nodes_by_ids(label, ["id", "name"]), {"ids": [name_or_id]})
            if hit.empty:
                hit = self.backend.execute(cypher.find_by_name(label), {"name": name_or_id})
            if not hit.empty:
                frames.append(hit.assign(label=label)[["label", "id", "name"]])
        if not frames:
            return pd.DataFrame(columns=["label", "id", "name"])
        return pd.concat(frames, ignore_index=True)

    def resolve(self, name_or_id: str, types: Sequence[str] | None = None) -> tuple[str, str]:
        """The ``(label, id)`` of exactly one node, or a :class:`NotFoundError` with close names.

        The id, name or an alias first, then the normalised name (brackets, spaces, case, company form); see
        :mod:`kg.lookup`, the one resolver every command uses.
        """

        hits = self.find(name_or_id, types)
        if hits.empty:
            hits = lookup.normalised(self, name_or_id, types)
        what = "/".join(types) if types else "node"
        if len(hits) == 1:
            return hits["label"].iloc[0], hits["id"].iloc[0]
        if len(hits) > 1:
            options = "; ".join(f"{r.label} {r.id} {r.name}" for r in hits.itertuples())
            raise NotFoundError(f"{name_or_id!r} names {len(hits)} nodes ({options}); give the id instead")
        raise NotFoundError(
            f"no {what} with id, name or alias {name_or_id!r}{lookup.suggestion(self, name_or_id, types)}"
        )

    # --------------------------------------------------------------- writing
    # One write path: rows become a frame with unique keys (validated frames as they are, others coerced
    # row by row), the store is read once for those keys (kg.stored), and one split sends new keys to the
    # engine's bulk create and stored ones, only where a cell changes, to its bulk update.  Engines without
    # a bulk path get the same split through UNWIND statements of ``Backend.batch_size`` rows.
    def upsert_nodes(
        self,
        label: str,
        rows: Rows,
        *,
        batch_size: int | None = None,
        validated: bool = False,
        stored: pd.DataFrame | None = None,
    ) -> int:
        """Insert or update nodes of one type; returns the number of distinct nodes written.

        Rows are dicts (or a DataFrame) keyed by property names; ``id`` is
        required.  Values are coerced to the schema's types; unknown
        properties raise :class:`SchemaError`.  A missing value never erases a
        stored one; a stored node is written only where a cell changes.  New
        nodes go through the engine's bulk path.  ``validated=True`` (used by
        the loaders, which convert whole columns themselves) skips the per-row
        coercion; ``stored`` (from :func:`kg.stored.stored_nodes`) saves reading
        what the store holds for the keys when the caller has read it already.
        ``batch_size``: rows per statement where the engine takes rows in
        batches (default ``backend.batch_size``).

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲", "employees": "120"}])
        1
        >>> g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲", "employees": "120"}])
        1
        >>> g.count("Enterprise")
        1
        """
        self._writes += 1
        node = self.schema.node(label)
        if validated and is_unique_frame(rows, [node.key]):
            frame = rows
        else:
            frame = object_frame(list(self._prepare_nodes(node, _records(rows), validated).values()))
            stored = None
        if frame.empty:
            return 0
        with self.transaction():
            self._write_nodes(node, frame, batch_size or self.backend.batch_size, stored)
        return len(frame)

    def _write_nodes(self, node: NodeType, frame: pd.DataFrame, batch: int, stored: pd.DataFrame | None) -> None:
        """The split: new keys created in bulk, stored ones updated where a cell changes (kg.stored)."""

        keys = frame[node.key].to_numpy(dtype=object).tolist()
        columns = {p: prop for p, prop in node.properties.items() if p in frame and p != node.key}
        if stored is None:
            stored = stored_nodes(self, node.label, keys, list(columns))
        is_stored = member(keys, stored)
        # updates first: a transaction that must log a write then creates its new rows through the log as well
        # (an engine's bulk copy is not logged, and the two must not mix: kg.errors.MixedWriteError)
        if is_stored.any():
            for table, changed in update_groups(frame[is_stored], stored, node.key, columns):
                if self.backend.supports_bulk_update:
                    named = table.rename_columns(["v_" + c for c in table.column_names])
                    self.backend.bulk_update_nodes(node.label, named, changed, keep_stored=False)
                else:
                    self._unwind(node.label, table.to_pylist(), node.properties, batch, cypher.update_nodes)
        fresh = frame[~is_stored]
        if len(fresh):
            names = fresh["name"] if "name" in fresh else pd.Series([None] * len(fresh), index=fresh.index)
            fresh = fresh.assign(name=names.where(names.notna(), fresh[node.key]))
            if self.backend.supports_bulk:
                self.backend.bulk_load_nodes(node.label, arrow_from_frame(fresh, node.properties))
            else:
                self._unwind(node.label, _records(fresh), node.properties, batch, cypher.merge_nodes)

    def _prepare_nodes(self, node: NodeType, records: list[dict], validated: bool = False) -> dict[str, dict]:
        props = node.properties
        clean: dict[str, dict] = {}
        for i, rec in enumerate(records):
            row = rec if validated else coerce_row(rec, props, i, node.label)
            key = row.get(node.key)
            if key is None:
                raise RowError(
                    f"row {i}: {node.label} needs {node.key} ({props[node.key].title})", row=i, column=node.key
                )
            previous = clean.get(key)
            clean[key] = row if previous is None else {**previous, **{k: v for k, v in row.items() if v is not None}}
        return clean

    def upsert_edges(self, type_: str, rows: Rows, *, batch_size: int | None = None, validated: bool = False) -> int:
        """Insert or update edges of one type; returns the number of distinct edges written.

        Each row has ``from_id`` and ``to_id`` (node keys) and optionally
        ``from_type`` / ``to_type`` where the edge allows several endpoint
        types (otherwise they are looked up, :mod:`kg.endpoints`).  Both
        endpoints must exist.  ``validated=True`` (the loaders) skips per-row
        coercion and trusts ``from_type`` / ``to_type`` where every row gives them.

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}, {"id": "F101", "name": "高分子材料"}])
        >>> g.upsert_edges("SUBFIELD_OF", [{"from_id": "F101", "to_id": "F1"}])
        1
        """
        self._writes += 1
        edge = self.schema.edge(type_)
        unique = False  # known unique on (from_id, to_id)
        if (
            isinstance(rows, pd.DataFrame)
            and {"from_id", "to_id"} <= set(rows.columns)
            and (REPEAT_RULED & set(edge.properties))
        ):
            unique = not rows.duplicated(subset=["from_id", "to_id"]).any()
            if not unique:  # earliest since, latest until, a count (kg.repeats)
                rows = fold_repeats(rows, edge.properties, repeated=True)
        if (
            validated
            and (
                (unique and isinstance(rows, pd.DataFrame) and {"from_type", "to_type"} <= set(rows.columns))
                or is_unique_frame(rows, ["from_id", "to_id", "from_type", "to_type"])
            )
            and rows["from_type"].notna().all()
            and rows["to_type"].notna().all()
        ):
            parts = {(a, b): part for (a, b), part in rows.groupby(["from_type", "to_type"], sort=False)}
        else:
            groups = self._prepare_edges(edge, _records(rows), validated)
            parts = {ab: object_frame(list(pairs.values())) for ab, pairs in groups.items()}
        total = sum(len(p) for p in parts.values())
        if not total:
            return 0
        with self.transaction():
            empty = self.count(edge.type) == 0
            for (a, b), part in parts.items():
                self._write_edges(edge, a, b, part, batch_size or self.backend.batch_size, empty)
        return total

    def _write_edges(self, edge: EdgeType, a: str, b: str, part: pd.DataFrame, batch: int, empty: bool) -> None:
        """The split for one endpoint pair: new pairs created in bulk, stored ones updated."""
        cols = {"from_id": None, "to_id": None, **edge.properties}
        if empty:  # nothing stored: no pairs to look up
            is_stored = np.zeros(len(part), dtype=bool)
        else:
            pairs = list(zip(part["from_id"].to_numpy(dtype=object), part["to_id"].to_numpy(dtype=object)))
            existing = self._existing_pairs(edge.type, a, b, pairs, batch)
            is_stored = np.fromiter((p in existing for p in pairs), dtype=bool, count=len(pairs))
        self._update_edges(edge, a, b, part[is_stored], batch)  # first, as for nodes
        fresh = part if empty else part[~is_stored]
        if len(fresh) and self.backend.supports_bulk:
            self.backend.bulk_load_edges(edge.type, a, b, arrow_from_frame(fresh, cols))
        elif len(fresh):
            build = lambda t, p: cypher.merge_edges(t, a, b, p)  # noqa: E731
            self._unwind(edge.type, _records(fresh), edge.properties, batch, build)

    def _update_edges(self, edge: EdgeType, a: str, b: str, stored: pd.DataFrame, batch: int) -> None:
        """Write the properties given for stored pairs (a repeated pair's count is this load's)."""
        if len(stored) and "occurrences" in edge.properties:  # arrived once more (kg.repeats)
            counts = stored["occurrences"] if "occurrences" in stored else pd.Series(1, index=stored.index)
            stored = stored.assign(
                occurrences=pd.Series([int(v) if pd.notna(v) else 1 for v in counts], index=stored.index, dtype=object)
            )
        present = [p for p in edge.properties if p in stored and stored[p].notna().any()]
        if not (len(stored) and present):
            return
        if self.backend.supports_bulk_update:
            table = arrow_from_frame(
                stored, {"from_id": None, "to_id": None, **{p: edge.properties[p] for p in present}}
            )
            named = table.rename_columns(["v_" + c for c in table.column_names])
            self.backend.bulk_update_edges(edge.type, a, b, named, present)
        else:
            build = lambda t, p: cypher.update_edges(t, a, b, p)  # noqa: E731
            self._unwind(edge.type, _records(stored), edge.properties, batch, build)

    def _existing_pairs(self, type_: str, a: str, b: str, pairs, batch: int) -> set:
        starts = sorted({f for f, _ in pairs})
        found: set = set()
        for start in range(0, len(starts), batch):
            hit = self.backend.execute(cypher.edge_targets(type_, a, b), {"ids": starts[start : start + batch]})
            found.update(zip(hit["from_id"].tolist(), hit["to_id"].tolist()))
        return found & set(pairs)

    def _prepare_edges(
        self, edge: EdgeType, records: list[dict], validated: bool = False
    ) -> dict[tuple[str, str], dict]:
        props = edge.properties
        rows = []
        for i, rec in enumerate(records):
            ends: dict[str, Any] = {k: rec.get(k) for k in _ENDPOINT_KEYS}
            for side in ("from_id", "to_id"):
                if is_missing(ends[side]):
                    raise RowError(f"row {i}: {edge.type} needs {side}", row=i, column=side)
                ends[side] = str(ends[side]).strip()
            rest = {k: v for k, v in rec.items() if k not in _ENDPOINT_KEYS}
            rows.append((i, ends, rest if validated else coerce_row(rest, props, i, edge.type)))
        types = {
            side: (
                [ends[f"{side}_type"] for _, ends, _ in rows]
                if validated and all(ends[f"{side}_type"] for _, ends, _ in rows)
                else self._endpoint_types(edge, side, allowed, rows)
            )
            for side, allowed in (("from", edge.from_types), ("to", edge.to_types))
        }
        groups: dict[tuple[str, str], dict] = defaultdict(dict)
        for i, ends, values in rows:
            a, b = types["from"][i], types["to"][i]
            key = (ends["from_id"], ends["to_id"])
            previous = groups[(a, b)].get(key, {})
            merged = {
                **previous,
                "from_id": key[0],
                "to_id": key[1],
                **{k: v for k, v in values.items() if v is not None or k not in previous},
            }
            for prop, pick in (("since", min), ("until", max)):  # never last-row-wins (kg.repeats)
                seen = [x for x in (previous.get(prop), values.get(prop)) if x is not None]
                if seen:
                    merged[prop] = pick(seen)
            if "occurrences" in props and previous:
                merged["occurrences"] = (previous.get("occurrences") or 1) + (values.get("occurrences") or 1)
            groups[(a, b)][key] = merged
        return dict(groups)

    def _endpoint_types(self, edge: EdgeType, side: str, allowed: tuple[str, ...], rows: list) -> list[str]:
        """Label of each row's endpoint: given, or looked up among the allowed labels (:mod:`kg.endpoints`)."""

        given = []
        for i, ends, _ in rows:
            named = ends[f"{side}_type"]
            label = None if is_missing(named) else self.schema.node(str(named)).label
            if label is not None and label not in allowed:
                raise RowError(
                    f"row {i}: {edge.type} cannot start/end at {label}; {side} must be one of {', '.join(allowed)}",
                    row=i,
                    column=f"{side}_type",
                    value=named,
                )
            given.append(label)
        ids = pd.Series([ends[f"{side}_id"] for _, ends, _ in rows], dtype=object)
        found = resolve_endpoints(self, allowed, ids, pd.Series(given, dtype=object))
        for i, (kind, candidates) in sorted(found.problems.items()):
            key = ids.iloc[i]
            if kind == "ambiguous":
                raise RowError(
                    f"row {i}: {key!r} is a {' and a '.join(candidates)}; add {side}_type to say which",
                    row=i,
                    column=f"{side}_type",
                )
            if given[i] is not None:
                raise NotFoundError(f"row {i}: {edge.type} {side} {given[i]} {key!r} does not exist; load it first")
            raise NotFoundError(
                f"row {i}: {edge.type} {side} {key!r} is not a known {' or '.join(allowed)}; load that node first"
            )
        return found.labels

    def _unwind(self, name, rows: list[dict], props, batch_size: int, build) -> None:
        """Write ``rows`` with ``build(name, columns)`` statements of ``batch_size`` rows each (``$rows``)."""
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            present = [p for p in props if any(r.get(p) is not None for r in batch)]
            keys = [
                k for k in ("id", "from_id", "to_id", "name") if k in batch[0] or (k == "name" and "id" in batch[0])
            ]
            keys += [p for p in present if p not in keys]
            uniform = [{k: r.get(k) for k in keys} for r in batch]
            self.backend.execute(build(name, [p for p in present if p != "id"]), {"rows": uniform})

    # ------------------------------------------------------------- analysis
    def to_networkx(
        self,
        node_types: Sequence[str] | None = None,
        edge_types: Sequence[str] | None = None,
        *,
        multigraph: bool = True,
    ):
        """The graph (or a typed part of it) as a networkx graph.

        Nodes are keyed ``"Label:id"`` and carry ``label``, ``id``, ``name``
        and every stored property; edges carry ``type`` and their
        properties.  Edges whose endpoint types are not selected are left out.

        Examples
        --------
        >>> g = KnowledgeGraph.open(":memory:")
        >>> _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}, {"id": "F2", "name": "高分子"}])
        >>> _ = g.upsert_edges("SUBFIELD_OF", [{"from_id": "F2", "to_id": "F1"}])
        >>> G = g.to_networkx()
        >>> G.nodes["Field:F2"]["name"], list(G.edges(keys=True))
        ('高分子', [('Field:F2', 'Field:F1', 'SUBFIELD_OF')])
        """
        return graph_to_networkx(self, node_types, edge_types, multigraph=multigraph)


#: edge properties combined by the repeat rule rather than the last row
REPEAT_RULED = {"since", "until", "occurrences"}
