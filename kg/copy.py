"""Copy a graph between stores (embedded -> Neo4j, Neo4j -> embedded, embedded -> embedded).

Nodes are read type by type in pages of ``batch_size`` keys (in key order,
``WHERE n.id > $after ... LIMIT $k``, served by the key index on both
engines) and written with the target's upserts; edges follow, per type and
endpoint pair, page by page of start nodes.  Everything goes through the
public :class:`kg.KnowledgeGraph` API and the shared statements of
:mod:`kg.cypher`, so the path that publishes a local graph to the team's
Neo4j is the one the embedded-to-embedded tests exercise.

Each page is one transaction on the target and every write is an idempotent
upsert: a copy interrupted half-way is resumed by running it again.  Values
are restored to the schema's types before writing (an engine returns an
integer column with gaps as floats, dates as timestamps), so an INT64 stays
an integer on the other side.

Examples
--------
>>> from kg import KnowledgeGraph
>>> a, b = KnowledgeGraph.open(":memory:"), KnowledgeGraph.open(":memory:")
>>> _ = a.upsert_nodes("Field", [{"id": "F01", "name": "电子信息"}, {"id": "F0101", "name": "软件"}])
>>> _ = a.upsert_edges("SUBFIELD_OF", [{"from_id": "F0101", "to_id": "F01"}])
>>> counts = copy_graph(a, b, batch_size=1)
>>> counts["Field"], counts["SUBFIELD_OF"], b.count("Field"), b.count("SUBFIELD_OF")
(2, 1, 2, 1)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from kg import cypher
from kg.backends.base import BATCH_SIZE
from kg.errors import BackendError

#: keys read (and rows written) per page
DEFAULT_BATCH = BATCH_SIZE


def copy_graph(
    source, target, *, batch_size: int = DEFAULT_BATCH, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every node and edge of ``source`` into ``target``.

    Parameters
    ----------
    source, target
        Open :class:`kg.KnowledgeGraph` objects on any engines (they may be the same engine).
    batch_size
        Keys per page read from ``source``; each page is one transaction on ``target``.
    progress
        Called as ``progress(type, rows copied so far)`` after every page.

    Returns
    -------
    dict
        Rows copied per node label and edge type (every type of the schema, 0 when empty).
    """
    if batch_size < 1:
        raise BackendError(f"batch_size must be at least 1, not {batch_size}")
    schema = source.schema
    done: dict[str, int] = {}
    for label, node in schema.nodes.items():
        props = list(node.properties)
        n = 0
        for df in _node_pages(source, label, props, batch_size):
            target.upsert_nodes(label, as_stored(df, node.properties), validated=True)
            n += len(df)
            if progress:
                progress(label, n)
        done[label] = n
    for type_, edge in schema.edges.items():
        props = list(edge.properties)
        total = 0
        for a, b in edge.pairs:
            for keys in _node_pages(source, a, ["id"], batch_size):
                df = source.query(cypher.edge_page(type_, a, b, props), ids=keys["id"].tolist())
                if len(df):
                    rows = as_stored(df, edge.properties).assign(from_type=a, to_type=b)
                    target.upsert_edges(type_, rows, validated=True)
                    total += len(df)
                    if progress:
                        progress(type_, total)
        done[type_] = total
    return done


def _node_pages(graph, label: str, props: list[str], size: int):
    after = ""
    while True:
        df = graph.query(cypher.node_page(label, props), after=after, k=size)
        if df.empty:
            return
        yield df
        if len(df) < size:
            return
        after = str(df["id"].iloc[-1])


def as_stored(df: pd.DataFrame, props: Mapping[str, Any]) -> pd.DataFrame:
    """Query results back to the Python types the schema stores (missing -> ``None``).

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> props = load_schema().nodes["Enterprise"].properties
    >>> df = pd.DataFrame({"id": ["E1", "E2"], "employees": [120.0, float("nan")],
    ...                    "founded": pd.to_datetime(["2015-03-01", None])})
    >>> as_stored(df, props).to_dict("records")
    [{'id': 'E1', 'employees': 120, 'founded': datetime.date(2015, 3, 1)}, {'id': 'E2', 'employees': None, 'founded': None}]
    """
    out = df.astype(object).where(df.notna(), None) if len(df) else df.copy()
    for name in out.columns:
        prop = props.get(name)
        if prop is None:
            continue
        convert = _CONVERT.get(prop.engine_type)
        if convert is not None:
            out[name] = pd.Series([None if v is None else convert(v) for v in out[name]], index=out.index, dtype=object)
    return out


def _date(v: Any) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


_CONVERT: dict[str, Callable[[Any], Any]] = {"INT64": int, "DOUBLE": float, "BOOLEAN": bool, "DATE": _date}
