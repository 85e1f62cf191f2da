"""Read RDF written by :mod:`kg.rdf.export` (or shaped like it) back into the store.

Resources typed with a node class (``ikg:Enterprise`` ...) become nodes: the
key is ``ikg:id`` (else the last segment of the IRI), properties come from
their predicates, list items are sorted (RDF has no order for repeated
values).  Edges come from the shortcut triples (``ikg:cooperatesWith``) and
from qualified relations (``a ikg:CooperatesWith; ikg:from_id; ikg:to_id``)
whose properties they carry; both are merged per (type, from, to).
Everything is written in one transaction: a bad file loads nothing.

Examples
--------
>>> import io
>>> from kg import KnowledgeGraph
>>> from kg.rdf.export import export_rdf
>>> a = KnowledgeGraph.open(":memory:")
>>> _ = a.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}, {"id": "F101", "name": "高分子"}])
>>> _ = a.upsert_edges("SUBFIELD_OF", [{"from_id": "F101", "to_id": "F1"}])
>>> buf = io.StringIO(); _ = export_rdf(a, buf, format="nt")
>>> b = KnowledgeGraph.open(":memory:")
>>> report = load_rdf(b, io.StringIO(buf.getvalue()), format="nt")
>>> report.by_type
{'Field': 2, 'SUBFIELD_OF': 1}
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from kg.errors import LoadError
from kg.extras import require
from kg.journal import journaled_load
from kg.rdf.export import FORMATS
from kg.rdf.namespaces import IKG, RDF_TYPE, Vocabulary, vocabulary
from kg.report import LoadReport

PARSE_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
    ".xml": "xml",
}


def _parse(source: str | Path | IO[str], format: str | None):
    rdflib = require("rdflib", "reading RDF")

    fmt = FORMATS.get((format or "").lower(), format)
    g = rdflib.Graph()
    try:
        if hasattr(source, "read"):
            g.parse(data=source.read(), format=fmt or "turtle")
        else:
            path = Path(source)
            if not path.exists():
                raise LoadError(f"{path}: no such file")
            g.parse(str(path), format=fmt or PARSE_FORMATS.get(path.suffix.lower(), "turtle"))
    except LoadError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific types
        raise LoadError(
            f"{getattr(source, 'name', source)}: not readable as RDF ({type(exc).__name__}: {exc}); "
            "check the format (--format turtle|nt|jsonld) and the syntax near the position given"
        ) from exc
    return g


def _value(term) -> Any:
    from rdflib import Literal

    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def read_rows(g, vocab: Vocabulary) -> tuple[dict[str, list[dict]], dict[str, list[dict]], dict]:
    """Node rows per label and edge rows per type from an rdflib graph.

    Returns ``(nodes, edges, index)``; ``index`` maps node IRIs to ``(label, key)``.
    """
    from rdflib import URIRef

    schema = vocab.schema
    rdf_type = URIRef(RDF_TYPE)
    index: dict[URIRef, tuple[str, str]] = {}
    nodes: dict[str, list[dict]] = {}
    id_pred = URIRef(vocab.slot_iri("id"))
    for label, node in schema.nodes.items():
        rows = []
        preds = {name: URIRef(vocab.slot_iri(name)) for name in node.properties}
        for s in g.subjects(rdf_type, URIRef(vocab.class_iri[label])):
            key = g.value(s, id_pred)
            if key is None:
                split = vocab.split_node_iri(str(s))
                key = split[1] if split else str(s).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            row: dict[str, Any] = {"id": str(key)}
            for name, prop in node.properties.items():
                if name == "id":
                    continue
                values = [_value(o) for o in g.objects(s, preds[name])]
                if not values:
                    continue
                if prop.multivalued:
                    row[name] = sorted(values, key=str)
                else:
                    if len(values) > 1:
                        raise LoadError(
                            f"{label} {key}: {name} ({prop.title}) has {len(values)} values "
                            f"({', '.join(map(str, values[:3]))}); it takes one"
                        )
                    row[name] = values[0]
            index[s] = (label, str(key))
            rows.append(row)
        if rows:
            nodes[label] = rows

    edges: dict[str, list[dict]] = {}
    from_pred, to_pred = URIRef(vocab.slot_iri("from_id")), URIRef(vocab.slot_iri("to_id"))
    for type_, edge in schema.edges.items():
        merged: dict[tuple, dict] = {}

        def endpoint(term, side: str, where: str, type_: str = type_) -> tuple[str, str]:
            if term is None or term not in index:
                raise LoadError(
                    f"{type_} {where}: {side} {term} is not a node typed in this file; "
                    "add the node (with its rdf:type) or drop the edge"
                )
            return index[term]

        for s, o in g.subject_objects(URIRef(vocab.edge_predicate[type_])):
            a, b = endpoint(s, "from", f"{s} -> {o}"), endpoint(o, "to", f"{s} -> {o}")
            merged.setdefault((a, b), {})
        preds = {name: URIRef(vocab.slot_iri(name)) for name in edge.properties}
        for q in g.subjects(rdf_type, URIRef(vocab.edge_class[type_])):
            a = endpoint(g.value(q, from_pred), "from", str(q))
            b = endpoint(g.value(q, to_pred), "to", str(q))
            props = merged.setdefault((a, b), {})
            for name, prop in edge.properties.items():
                values = [_value(o) for o in g.objects(q, preds[name])]
                if values:
                    props[name] = sorted(values, key=str) if prop.multivalued else values[0]
        if merged:
            edges[type_] = [
                {"from_id": a[1], "to_id": b[1], "from_type": a[0], "to_type": b[0], **props}
                for (a, b), props in merged.items()
            ]
    return nodes, edges, index


def load_rdf(graph, source: str | Path | IO[str], *, format: str | None = None, base: str = IKG):
    """Load an RDF file into the store in one transaction.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    source
        A path (format from the suffix: .ttl, .nt, .jsonld, .rdf ...) or a text stream.
    format
        Override the format (``turtle``, ``nt``, ``jsonld``, ``xml``).
    base
        Namespace the file's classes and predicates use.

    Returns
    -------
    kg.loaders.report.LoadReport
        ``by_type`` holds the nodes per label and edges per type written;
        ``rows_read`` the number of triples parsed.
    """

    started = time.perf_counter()
    name = str(getattr(source, "name", None) or (source if not hasattr(source, "read") else "<stream>"))
    g = _parse(source, format)
    vocab = vocabulary(base)
    nodes, edges, _ = read_rows(g, vocab)
    if not nodes and len(g):
        raise LoadError(
            f"{name}: {len(g):,} triples but no resource typed with an {base} class; "
            f"is it an innovation-kg export (namespace {base})?"
        )
    report = LoadReport(source=name, type="RDF", rows_read=len(g))
    by_type: dict[str, int] = defaultdict(int)

    with journaled_load(graph, name, "RDF", len(g)), graph.transaction():
        for label, rows in nodes.items():
            by_type[label] += graph.upsert_nodes(label, rows)
        for type_, rows in edges.items():
            by_type[type_] += graph.upsert_edges(type_, rows)
    report.by_type = dict(by_type)
    report.loaded = sum(by_type.values())
    report.committed = True
    report.seconds = time.perf_counter() - started
    return report
