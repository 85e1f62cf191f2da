"""Regenerate the artefacts committed beside the schema (``make schema``).

``schema/generated/`` holds, all derived from ``innovation.yaml``:

- ``innovation.owl.ttl``: the OWL ontology (LinkML ``gen-owl``);
- ``innovation.shacl.ttl``: SHACL shapes (LinkML ``gen-shacl``);
- ``ladybug.ddl``: the embedded engine's ``CREATE ... TABLE`` statements;
- ``neo4j_constraints.cypher``: Neo4j uniqueness constraints and indexes.

The OWL and SHACL generators come from the ``linkml`` package (a dev
dependency); the run-time code needs only ``linkml-runtime``.  A test
regenerates everything in memory and fails when a committed file is stale.

Examples
--------
>>> arts = artefacts(only=("ladybug.ddl",))
>>> arts["ladybug.ddl"].count("CREATE NODE TABLE") >= 19
True
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from kg.schema.ddl import ladybug_ddl, neo4j_constraints, render
from kg.schema.model import _upper_snake, load_schema, schema_path

GENERATED = "generated"
HEADER = "Generated from schema/innovation.yaml by `make schema`; do not edit."


def generated_dir() -> Path:
    return schema_path().parent / GENERATED


def _owl(path: str) -> str:
    from linkml.generators.owlgen import OwlSchemaGenerator

    text = OwlSchemaGenerator(
        path,
        mergeimports=False,
        metaclasses=False,
        type_objects=False,
        skip_vacuous_min_zero_cardinality_axioms=True,
        skip_vacuous_local_range_axioms=True,
        consolidate_cardinality_axioms=True,
    ).serialize()
    return _enrich_owl(text, path)


def _shacl(path: str) -> str:
    from linkml.generators.shaclgen import ShaclGenerator

    return _enrich_shacl(ShaclGenerator(path, mergeimports=True).serialize(), path)


# ------------------------------------------------------------ linked data
# LinkML's generators give classes, slots, enums and shapes; the functions
# below add what the RDF export needs and LinkML does not say: @zh / @en
# labels, the alignments (exact -> skos:exactMatch + rdfs:subClassOf /
# rdfs:subPropertyOf, close -> skos:closeMatch), one shortcut object
# property per edge type (``ikg:cooperatesWith``, the qualified relation
# class ``ikg:CooperatesWith`` being its n-ary form), enum slots as the
# string keys the data carries, PROV-O provenance, and in the shapes the
# shortcut predicates and ``prov:wasDerivedFrom`` (node shapes are closed).


def _lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _words(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z][a-z])", " ", name).lower() if name[:1].isupper() else name


def _canonical(graph, fmt: str = "turtle") -> str:
    from linkml_runtime.utils.rdf_canonicalize import canonicalize_rdf_graph

    return canonicalize_rdf_graph(graph, output_format=fmt)


def _rdf_list(g, items):
    from rdflib import BNode
    from rdflib.collection import Collection

    head = BNode()
    Collection(g, head, list(items))
    return head


def _mapping_terms(sv, element) -> list[tuple[str, Any]]:
    from rdflib import URIRef

    out = []
    for kind in ("exact", "close"):
        for curie in getattr(element, f"{kind}_mappings", None) or ():
            out.append((kind, URIRef(sv.expand_curie(curie))))
    return out


def _enrich_owl(text: str, path: str) -> str:
    import re

    import rdflib
    from linkml_runtime import SchemaView
    from rdflib import OWL, RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef

    g = rdflib.Graph().parse(data=text, format="turtle")
    sv = SchemaView(path)
    schema = load_schema(path)
    ikg = Namespace(sv.schema.default_prefix and sv.expand_curie(sv.schema.default_prefix + ":"))
    prov = Namespace("http://www.w3.org/ns/prov#")
    dcterms = Namespace("http://purl.org/dc/terms/")
    g.bind("prov", prov)
    g.bind("schema", "http://schema.org/")
    g.bind("eurio", "http://data.europa.eu/s66#")

    def labels(subject, zh: str, en: str) -> None:
        g.remove((subject, RDFS.label, None))
        g.add((subject, RDFS.label, Literal(zh, lang="zh")))
        g.add((subject, RDFS.label, Literal(en, lang="en")))

    def definition(subject, text_: str) -> None:
        if text_:
            g.remove((subject, SKOS.definition, None))
            g.add((subject, SKOS.definition, Literal(" ".join(text_.split()), lang="en")))

    # classes: nodes, abstract classes, edges
    for cname in sv.all_classes():
        c = sv.get_class(cname)
        subject = ikg[cname]
        g.remove((subject, SKOS.exactMatch, subject))
        labels(
            subject,
            c.title or cname,
            _words(cname).capitalize() if cname.isupper() else re.sub(r"(?<!^)(?=[A-Z][a-z])", " ", cname),
        )
        definition(subject, c.description or "")
        for ancestor in sv.class_ancestors(cname)[1:]:
            uri = sv.get_class(ancestor).class_uri
            if uri and not uri.startswith(sv.schema.default_prefix + ":"):
                g.add((subject, RDFS.subClassOf, URIRef(sv.expand_curie(uri))))
        if "Edge" in sv.class_ancestors(cname) and not c.abstract:
            continue  # edge mappings are placed with the shortcut property below
        for kind, target in _mapping_terms(sv, c):
            if kind == "exact":
                g.add((subject, RDFS.subClassOf, target))
    for label in ("Node", "Edge"):
        g.add((ikg[label], RDFS.subClassOf, prov.Entity))

    # slots: labels; slot_uri equivalence; enum slots hold string keys
    for name, slot in sv.all_slots().items():
        subject = ikg[name]
        en = (slot.annotations or {}).get("label_en")
        labels(subject, slot.title or name, str(getattr(en, "value", en)) if en else name.replace("_", " "))
        definition(subject, slot.description or "")
        if slot.slot_uri and sv.expand_curie(slot.slot_uri) != str(subject):
            g.add((subject, OWL.equivalentProperty, URIRef(sv.expand_curie(slot.slot_uri))))
        if slot.range in schema.enums:
            g.remove((subject, RDF.type, OWL.ObjectProperty))
            g.remove((subject, RDFS.range, None))
            g.add((subject, RDF.type, OWL.DatatypeProperty))
            g.add((subject, RDFS.range, XSD.string))
            g.add((subject, RDFS.seeAlso, ikg[slot.range]))
        for kind, target in _mapping_terms(sv, slot):
            if kind == "exact":
                g.add((subject, RDFS.subPropertyOf, target))
    g.add((ikg.source, RDFS.seeAlso, prov.wasDerivedFrom))

    # enum values: Chinese title and key
    for ename, enum in schema.enums.items():
        labels(ikg[ename], enum.title, re.sub(r"(?<!^)(?=[A-Z][a-z])", " ", ename))
        for key, title in enum.values.items():
            labels(URIRef(f"{ikg[ename]}#{key}"), title, key.replace("_", " "))

    # one shortcut object property per edge type
    qualifies = ikg.qualifiedForm
    g.add((qualifies, RDF.type, OWL.AnnotationProperty))
    labels(qualifies, "限定关系", "qualified form")
    definition(qualifies, "Links a shortcut property to the class of its qualified (n-ary) relations.")
    for etype, edge in schema.edges.items():
        c = sv.get_class(edge.class_name)
        prop = ikg[_lower_camel(edge.class_name)]
        assert _upper_snake(edge.class_name) == etype
        g.add((prop, RDF.type, OWL.ObjectProperty))
        labels(prop, edge.title, _words(edge.class_name))
        definition(
            prop, edge.description or f"{edge.title}: {', '.join(edge.from_types)} -> {', '.join(edge.to_types)}"
        )
        g.add((prop, qualifies, ikg[edge.class_name]))
        g.add((prop, SKOS.notation, Literal(etype)))
        for side, types in ((RDFS.domain, edge.from_types), (RDFS.range, edge.to_types)):
            if len(types) == 1:
                g.add((prop, side, ikg[types[0]]))
            else:
                union = rdflib.BNode()
                g.add((union, RDF.type, OWL.Class))
                g.add((union, OWL.unionOf, _rdf_list(g, [ikg[t] for t in types])))
                g.add((prop, side, union))
        inverse = rdflib.BNode()
        g.add((inverse, OWL.inverseOf, ikg.from_id))
        g.add((prop, OWL.propertyChainAxiom, _rdf_list(g, [inverse, ikg.to_id])))
        for kind, target in _mapping_terms(sv, c):
            local = str(target).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            on_class = local[:1].isupper()  # a class: maps the qualified relation, else the shortcut
            pred = SKOS.exactMatch if kind == "exact" else SKOS.closeMatch
            g.remove((ikg[edge.class_name], pred, target))
            g.add((ikg[edge.class_name] if on_class else prop, pred, target))
            if kind == "exact" and not on_class:
                g.add((prop, RDFS.subPropertyOf, target))
    g.add((ikg.schema, dcterms.title, Literal("创新主体知识图谱", lang="zh")))
    g.add((ikg.schema, dcterms.title, Literal("Innovation actors knowledge graph", lang="en")))
    return _canonical(g)


def _enrich_shacl(text: str, path: str) -> str:
    import rdflib
    from linkml_runtime import SchemaView
    from rdflib import RDFS, BNode, Literal, Namespace, URIRef

    g = rdflib.Graph().parse(data=text, format="turtle")
    sv = SchemaView(path)
    schema = load_schema(path)
    ikg = Namespace(sv.expand_curie(sv.schema.default_prefix + ":"))
    sh = Namespace("http://www.w3.org/ns/shacl#")
    prov = Namespace("http://www.w3.org/ns/prov#")
    g.bind("prov", prov)

    def add_property(shape, path_, name: str, classes: tuple[str, ...] = ()) -> None:
        ps = BNode()
        g.add((shape, sh.property, ps))
        g.add((ps, sh.path, path_))
        g.add((ps, sh.name, Literal(name)))
        g.add((ps, sh.nodeKind, sh.IRI))
        if len(classes) == 1:
            g.add((ps, sh["class"], ikg[classes[0]]))
        elif classes:
            options = []
            for c in classes:
                option = BNode()
                g.add((option, sh["class"], ikg[c]))
                options.append(option)
            g.add((ps, sh["or"], _rdf_list(g, options)))

    def shape_of(name: str):
        uri = sv.get_class(name).class_uri
        return URIRef(sv.expand_curie(uri)) if uri else ikg[name]

    for label in schema.nodes:
        shape = shape_of(label)
        add_property(shape, prov.wasDerivedFrom, "来源实体")
        for edge in schema.edges.values():
            if label in edge.from_types:
                add_property(shape, ikg[_lower_camel(edge.class_name)], edge.title, edge.to_types)
    for edge in schema.edges.values():
        add_property(ikg[edge.class_name], prov.wasDerivedFrom, "来源实体")
    g.add((ikg.Node, RDFS.comment, Literal("Node shapes are closed: every predicate of the export has a shape.")))
    return _canonical(g)


def artefacts(only: tuple[str, ...] | None = None) -> dict[str, str]:
    """File name -> content of every generated artefact (or only those named)."""
    import logging
    import warnings

    logging.getLogger("linkml").setLevel(logging.ERROR)
    path = str(schema_path())
    schema = load_schema()
    makers = {
        "innovation.owl.ttl": lambda: _owl(path),
        "innovation.shacl.ttl": lambda: _shacl(path),
        "ladybug.ddl": lambda: render(ladybug_ddl(schema), HEADER),
        "neo4j_constraints.cypher": lambda: render(neo4j_constraints(schema), HEADER),
    }
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, make in makers.items():
            if only is None or name in only:
                out[name] = make()
    return out


def main() -> int:
    target = generated_dir()
    target.mkdir(exist_ok=True)
    for name, text in artefacts().items():
        (target / name).write_text(text, encoding="utf-8")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
