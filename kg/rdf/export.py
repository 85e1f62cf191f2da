"""Stream the graph out as RDF: N-Triples, Turtle (streamed) or JSON-LD (buffered).

Mapping (see ``schema/ALIGNMENTS.md``):

- a node becomes ``<ikg:id/Label/key> a ikg:Label`` with one triple per
  property value (``ikg:id`` carries the key; lists give one triple per item;
  enums are their stored keys; dates ``xsd:date``; numbers typed);
- every edge becomes a shortcut triple ``<from> ikg:cooperatesWith <to>``;
- an edge with properties (``since``, ``role``, ``source`` ...) is also a
  *qualified relation*: an n-ary node of the edge's class
  (``ikg:CooperatesWith``) with ``ikg:from_id`` / ``ikg:to_id`` and its
  properties -- the shape LinkML already gives edge classes, so the
  generated SHACL validates it and the import reads it back;
- provenance: ``source`` stays as ``dcterms:source`` (and ``source_row`` as
  ``ikg:source_row``) and adds ``prov:wasDerivedFrom <source entity>``, the
  entity typed ``prov:Entity`` once per distinct source.

The store is read in pages (nodes by key ranges, ``WHERE n.id > $after
ORDER BY n.id LIMIT $k``; edges by ranges of their start node's key), and
triples are written as each page arrives, so memory stays flat whatever the
graph's size.

Examples
--------
>>> import io
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}, {"id": "F101", "name": "高分子"}])
>>> _ = g.upsert_edges("SUBFIELD_OF", [{"from_id": "F101", "to_id": "F1"}])
>>> buf = io.StringIO()
>>> stats = export_rdf(g, buf, format="nt")
>>> stats.triples, stats.nodes, stats.edges
(7, 2, 1)
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg import cypher
from kg.errors import KGError
from kg.extras import require
from kg.io import atomic_output, write_text
from kg.rdf.namespaces import IKG, PREFIXES, PROV_DERIVED, PROV_ENTITY, RDF_TYPE, RDFS, Vocabulary, vocabulary
from kg.rdf.terms import iri, literal, qname, renderer, turtle_term
from kg.values import is_missing

FORMATS = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
}
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}
PAGE = 20_000


@dataclass
class ExportStats:
    """What an export wrote."""

    path: str
    format: str
    triples: int = 0
    nodes: int = 0
    edges: int = 0
    qualified: int = 0
    seconds: float = 0.0

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.triples:,} triples ({self.nodes:,} nodes, {self.edges:,} edges, "
            f"{self.qualified:,} qualified) in {self.seconds:.2f} s, {self.triples_per_second:,.0f} triples/s"
        )


def resolve_format(fmt: str | None, path: str | Path | None = None) -> str:
    """Normalise a format name (``turtle``, ``nt``, ``jsonld``) or guess it from the file suffix.

    Examples
    --------
    >>> resolve_format(None, "graph.nt"), resolve_format("ttl")
    ('nt', 'turtle')
    """
    if fmt:
        try:
            return FORMATS[fmt.lower()]
        except KeyError:
            raise KGError(f"unknown RDF format {fmt!r}; use one of turtle, nt, jsonld") from None
    suffix = Path(str(path or "")).suffix.lower()
    return SUFFIX_FORMATS.get(suffix, "turtle")


class _Writer:
    """Statement sink: N-Triples lines, or Turtle subject blocks."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        self.out = out
        self.turtle = fmt == "turtle"
        self.triples = 0
        self._pred_cache: dict[str, str] = {}
        if self.turtle:
            out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n")

    def pred(self, full: str) -> str:
        cached = self._pred_cache.get(full)
        if cached is None:
            cached = qname(full, PREFIXES) if self.turtle else "<" + full + ">"
            self._pred_cache[full] = cached
        return cached

    def subject(self, subj: str, pairs: list[tuple[str, str]]) -> None:
        """Write ``subj`` (an N-Triples term) with its ``(predicate IRI, object term)`` pairs."""
        if not pairs:
            return
        self.triples += len(pairs)
        if self.turtle:
            body = " ;\n\t".join(self.pred(p) + " " + turtle_term(o, PREFIXES) for p, o in pairs)
            self.out.write(subj + " " + body + " .\n")
        else:
            self.out.write("".join(subj + " " + self.pred(p) + " " + o + " .\n" for p, o in pairs))


class _Exporter:
    def __init__(self, graph, writer: _Writer, vocab: Vocabulary, page_size: int, progress: Callable | None) -> None:
        self.g = graph
        self.w = writer
        self.v = vocab
        self.page = page_size
        self.progress = progress
        self.sources: dict[str, str] = {}
        self.boundaries: dict[str, list[str]] = {}
        self.nodes = self.edges = self.qualified = 0

    # ------------------------------------------------------------ values
    def _prop_pairs(self, props: dict, row: dict, render: dict) -> list[tuple[str, str]]:
        pairs = []
        for name in props:
            value = row.get(name)
            if value is None or (not isinstance(value, (list, tuple)) and is_missing(value)):
                continue
            pred = self.v.slot_iri(name)
            if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
                items = value.tolist() if hasattr(value, "tolist") else value
                pairs += [(pred, render[name](x)) for x in items if not is_missing(x)]
            else:
                pairs.append((pred, render[name](value)))
            if name == "source":
                pairs.append((PROV_DERIVED, self._source(str(value))))
        return pairs

    def _source(self, source: str) -> str:
        term = self.sources.get(source)
        if term is None:
            term = iri(self.v.source_iri(source))
            self.sources[source] = term
            self.w.subject(term, [(RDF_TYPE, "<" + PROV_ENTITY + ">"), (RDFS + "label", literal(source))])
        return term

    # ------------------------------------------------------------- nodes
    def node_pages(self, label: str, props: list[str]) -> Iterator[list[dict]]:
        """Pages of node rows in key order (keyset pagination)."""
        stmt = cypher.node_page(label, props)
        after = ""
        bounds = self.boundaries.setdefault(label, [])
        while True:
            rows = self.g.query(stmt, after=after, k=self.page).to_dict("records")
            if not rows:
                return
            after = rows[-1]["id"]
            bounds.append(after)
            yield rows
            if len(rows) < self.page:
                return

    def export_nodes(self) -> None:
        for label, node in self.v.schema.nodes.items():
            props = node.properties
            render = {n: renderer(p) for n, p in props.items()}
            cls = "<" + self.v.class_iri[label] + ">"
            for rows in self.node_pages(label, list(props)):
                for row in rows:
                    subj = "<" + self.v.node_iri(label, row["id"]) + ">"
                    self.w.subject(subj, [(RDF_TYPE, cls), *self._prop_pairs(props, row, render)])
                self.nodes += len(rows)
                self._tick()

    # ------------------------------------------------------------- edges
    def edge_ranges(self, label: str, stride: int) -> Iterator[tuple[str, str | None]]:
        """``(after, upto)`` key ranges of ``label`` covering every node (``upto`` None = open end)."""
        bounds = self.boundaries.get(label, [])
        lo = ""
        for i in range(stride - 1, len(bounds), stride):
            yield lo, bounds[i]
            lo = bounds[i]
        yield lo, None

    def export_edges(self) -> None:
        for type_, edge in self.v.schema.edges.items():
            props = edge.properties
            render = {n: renderer(p) for n, p in props.items()}
            pred = self.v.edge_predicate[type_]
            cls = "<" + self.v.edge_class[type_] + ">"
            from_pred, to_pred = self.v.slot_iri("from_id"), self.v.slot_iri("to_id")
            for a, b in edge.pairs:
                total = self.g.count(type_) if len(edge.pairs) == 1 else self._pair_count(type_, a, b)
                if not total:
                    continue
                n_from = max(len(self.boundaries.get(a, [])), 1)
                per_node = total / max(n_from * self.page, 1)
                stride = max(1, int(1 / per_node)) if per_node < 1 else 1
                for lo, hi in self.edge_ranges(a, stride):
                    if hi is None:
                        df = self.g.query(cypher.edge_range(type_, a, b, props, bounded=False), lo=lo)
                    else:
                        df = self.g.query(cypher.edge_range(type_, a, b, props), lo=lo, hi=hi)
                    for row in df.to_dict("records"):
                        s = "<" + self.v.node_iri(a, row["from_id"]) + ">"
                        o = "<" + self.v.node_iri(b, row["to_id"]) + ">"
                        self.w.subject(s, [(pred, o)])
                        pairs = self._prop_pairs(props, row, render)
                        if pairs:
                            q = "<" + self.v.edge_iri(type_, a, row["from_id"], b, row["to_id"]) + ">"
                            self.w.subject(q, [(RDF_TYPE, cls), (from_pred, s), (to_pred, o), *pairs])
                            self.qualified += 1
                    self.edges += len(df)
                    self._tick()

    def _pair_count(self, type_: str, a: str, b: str) -> int:
        return int(self.g.query(cypher.count_edges(type_, a, b))["n"].iloc[0])

    def _tick(self) -> None:
        if self.progress:
            self.progress(self.nodes + self.edges, self.w.triples)


def export_rdf(
    graph,
    target: str | Path | IO[str],
    *,
    format: str | None = None,
    base: str = IKG,
    page_size: int = PAGE,
    progress: Callable[[int, int], None] | None = None,
) -> ExportStats:
    """Write the whole graph as RDF.

    Parameters
    ----------
    graph
        An open :class:`kg.KnowledgeGraph`.
    target
        A file path or a text stream.
    format
        ``turtle`` (default, or from the suffix), ``nt`` or ``jsonld``.
        Turtle and N-Triples stream page by page; JSON-LD is built in memory
        (rdflib) and suits small and medium graphs.
    base
        Namespace of the ontology and data IRIs.
    page_size
        Nodes read per query.
    progress
        Called with ``(records written, triples written)`` after each page.

    Returns
    -------
    ExportStats
        Triple, node, edge and qualified-relation counts, seconds, rate.
    """
    fmt = resolve_format(format, None if hasattr(target, "write") else target)
    name = getattr(target, "name", None) or (str(target) if not hasattr(target, "write") else "<stream>")
    stats = ExportStats(path=str(name), format=fmt)
    started = time.perf_counter()
    vocab = vocabulary(base)
    if fmt == "json-ld":
        buf = io.StringIO()
        inner = _Exporter(graph, _Writer(buf, "nt"), vocab, page_size, progress)
        inner.export_nodes()
        inner.export_edges()
        _write_jsonld(buf.getvalue(), target)
        writer, exporter = inner.w, inner
    else:
        with _open_target(target) as out:
            writer = _Writer(out, fmt)
            exporter = _Exporter(graph, writer, vocab, page_size, progress)
            exporter.export_nodes()
            exporter.export_edges()
    stats.triples, stats.nodes, stats.edges = writer.triples, exporter.nodes, exporter.edges
    stats.qualified = exporter.qualified
    stats.seconds = time.perf_counter() - started
    return stats


def _write_jsonld(ntriples: str, target: Any) -> None:
    rdflib = require("rdflib", "JSON-LD export")

    g = rdflib.Graph()
    g.parse(data=ntriples, format="nt")
    context = {p: ns for p, ns in PREFIXES.items()}
    text = g.serialize(format="json-ld", context=context, auto_compact=True)
    if hasattr(target, "write"):
        target.write(text)
    else:
        write_text(target, text)


@contextmanager
def _open_target(target: Any):
    """A stream as it is; a path through a temporary file renamed into place when the export is complete."""
    if hasattr(target, "write"):
        yield target
        return

    with atomic_output(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        yield out
