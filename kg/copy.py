"""Copy a graph between stores (embedded -> Neo4j, Neo4j -> embedded, embedded -> embedded).

Nodes are read type by type in pages of keys and written with the target's
batched upserts; edges follow, per type and endpoint pair, page by page of
start nodes.  Everything goes through the public :class:`kg.KnowledgeGraph`
API, so the path that publishes a local graph to the team's Neo4j is the one
the embedded-to-embedded tests exercise.  Each page is one transaction on the
target: a copy interrupted half-way can simply be run again (upserts are
idempotent).

Examples
--------
>>> from kg import KnowledgeGraph
>>> a, b = KnowledgeGraph.open(":memory:"), KnowledgeGraph.open(":memory:")
>>> _ = a.upsert_nodes("Field", [{"id": "F01", "name": "电子信息"}, {"id": "F0101", "name": "软件"}])
>>> _ = a.upsert_edges("SUBFIELD_OF", [{"from_id": "F0101", "to_id": "F01"}])
>>> copy_graph(a, b)["SUBFIELD_OF"], b.count("Field")
(1, 2)
"""

from __future__ import annotations

from kg import cypher

#: keys read per page
PAGE = 50_000


def copy_graph(source, target, *, page: int = PAGE, progress=None) -> dict[str, int]:
    """Copy every node and edge of ``source`` into ``target``; returns rows copied per type."""
    schema = source.schema
    done: dict[str, int] = {}
    for label, node in schema.nodes.items():
        props = list(node.properties)
        after, n = "", 0
        while True:
            df = source.query(cypher.node_page(label, props), after=after, k=page)
            if df.empty:
                break
            target.upsert_nodes(label, _as_stored(df, node.properties), validated=True)
            n += len(df)
            after = str(df["id"].iloc[-1])
            if progress:
                progress(label, n)
            if len(df) < page:
                break
        done[label] = n
    for type_, edge in schema.edges.items():
        props = list(edge.properties)
        total = 0
        for a, b in edge.pairs:
            after = ""
            while True:
                keys = source.query(cypher.node_page(a, ["id"]), after=after, k=page)
                if keys.empty:
                    break
                ids = keys["id"].tolist()
                df = source.query(cypher.edge_page(type_, a, b, props), ids=ids)
                if len(df):
                    target.upsert_edges(type_, _as_stored(df, edge.properties).assign(from_type=a, to_type=b), validated=True)
                    total += len(df)
                after = str(ids[-1])
                if len(keys) < page:
                    break
        done[type_] = total
        if progress and total:
            progress(type_, total)
    return done


def _as_stored(df, props):
    """Query results back to the stored Python types (engines return dates as timestamps)."""
    import pandas as pd

    df = df.astype(object).where(df.notna(), None) if len(df) else df
    for name, prop in props.items():
        if prop.range == "date" and name in df.columns:
            df[name] = [None if v is None else (v.date() if hasattr(v, "date") else v) for v in df[name]]
    return df
