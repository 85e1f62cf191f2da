"""IRIs of the innovation graph as linked data, all derived from the schema.

One namespace, ``https://w3id.org/innovation-kg/`` (prefix ``ikg:``), holds
the ontology (classes ``ikg:Enterprise``, datatype properties ``ikg:since``,
the qualified-relation classes ``ikg:CooperatesWith``) and, under ``id/``,
the resources of the data:

- node ``<ikg:id/Enterprise/91211122108754138N>`` (the key percent-encoded);
- edge shortcut predicate ``ikg:cooperatesWith`` (class name, lower camel);
- qualified relation ``<ikg:id/CooperatesWith/Enterprise/E1/University/U1>``;
- provenance source ``<ikg:source/nodes_Enterprise.csv>`` (a ``prov:Entity``).

Property predicates come from each slot's ``slot_uri`` in the LinkML schema
(``name`` -> ``rdfs:label``, ``aliases`` -> ``skos:altLabel`` ...), the
rest are ``ikg:<slot>``.

Examples
--------
>>> v = vocabulary()
>>> v.node_iri("Enterprise", "E 1")
'https://w3id.org/innovation-kg/id/Enterprise/E%201'
>>> v.edge_predicate["COOPERATES_WITH"]
'https://w3id.org/innovation-kg/cooperatesWith'
>>> v.slot_iri("name")
'http://www.w3.org/2000/01/rdf-schema#label'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, unquote

from kg.schema import Schema, load_schema, schema_path

IKG = "https://w3id.org/innovation-kg/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "http://schema.org/"
EURIO = "http://data.europa.eu/s66#"

#: prefixes written at the top of Turtle / into the JSON-LD context
PREFIXES = {
    "ikg": IKG,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "schema": SCHEMA,
    "eurio": EURIO,
}
RDF_TYPE = RDF + "type"
PROV_DERIVED = PROV + "wasDerivedFrom"
PROV_ENTITY = PROV + "Entity"

#: LinkML range -> XSD datatype of the literal
XSD_TYPES = {
    "integer": XSD + "integer",
    "float": XSD + "float",
    "double": XSD + "double",
    "boolean": XSD + "boolean",
    "date": XSD + "date",
    "string": XSD + "string",
}

_SAFE = "-._~!$&'()*+,;=:@"  # RFC 3987 path characters kept as they are


def lower_camel(class_name: str) -> str:
    """``CooperatesWith`` -> ``cooperatesWith``.

    Examples
    --------
    >>> lower_camel("InField")
    'inField'
    """
    return class_name[:1].lower() + class_name[1:]


def encode_key(key: str) -> str:
    """Percent-encode a node key for an IRI path segment (Chinese kept readable as UTF-8 %-escapes).

    Examples
    --------
    >>> encode_key("91211122108754138N"), encode_key("a/b c")
    ('91211122108754138N', 'a%2Fb%20c')
    """
    return quote(str(key), safe=_SAFE)


def decode_key(segment: str) -> str:
    """Inverse of :func:`encode_key`.

    Examples
    --------
    >>> decode_key("a%2Fb%20c")
    'a/b c'
    """
    return unquote(segment)


@dataclass(frozen=True)
class Vocabulary:
    """Every IRI the export writes, computed once from the schema."""

    schema: Schema
    base: str = IKG
    class_iri: dict[str, str] = field(default_factory=dict)  # node label -> class IRI
    edge_class: dict[str, str] = field(default_factory=dict)  # edge type -> qualified relation class IRI
    edge_predicate: dict[str, str] = field(default_factory=dict)  # edge type -> shortcut predicate IRI
    slots: dict[str, str] = field(default_factory=dict)  # slot name -> predicate IRI

    @property
    def data(self) -> str:
        """Namespace of the data resources (``<base>id/``)."""
        return self.base + "id/"

    def node_iri(self, label: str, key: str) -> str:
        return self.data + label + "/" + encode_key(key)

    def edge_iri(self, type_: str, from_label: str, from_id: str, to_label: str, to_id: str) -> str:
        name = self.schema.edges[type_].class_name
        return (
            self.data + name + "/" + from_label + "/" + encode_key(from_id) + "/" + to_label + "/" + encode_key(to_id)
        )

    def source_iri(self, source: str) -> str:
        """A provenance entity for a ``source`` value: itself when it is a URL, else ``<base>source/...``."""
        text = str(source)
        if "://" in text and " " not in text:
            return text
        return self.base + "source/" + encode_key(text)

    def slot_iri(self, slot: str) -> str:
        return self.slots.get(slot) or self.base + slot

    def split_node_iri(self, iri: str) -> tuple[str, str] | None:
        """``(label, key)`` of a node IRI minted by :meth:`node_iri`, else ``None``."""
        if not iri.startswith(self.data):
            return None
        label, _, rest = iri[len(self.data) :].partition("/")
        if label not in self.schema.nodes or not rest or "/" in rest:
            return None
        return label, decode_key(rest)


def _slot_uris(schema_file: str | None) -> dict[str, str]:
    from linkml_runtime import SchemaView

    sv = SchemaView(schema_file or str(schema_path()))
    out = {}
    for name, slot in sv.all_slots().items():
        if slot.slot_uri:
            out[name] = sv.expand_curie(slot.slot_uri)
    return out


@lru_cache(maxsize=8)
def vocabulary(base: str = IKG, schema_file: str | None = None) -> Vocabulary:
    """The :class:`Vocabulary` of the schema (cached).

    Parameters
    ----------
    base
        Namespace of the ontology and the data; the default is the published
        ``https://w3id.org/innovation-kg/``.
    schema_file
        Another LinkML file (default: the packaged schema).

    Examples
    --------
    >>> vocabulary().class_iri["University"]
    'https://w3id.org/innovation-kg/University'
    """
    schema = load_schema(schema_file)
    slots = {k: v.replace(IKG, base, 1) if v.startswith(IKG) else v for k, v in _slot_uris(schema_file).items()}
    classes = {}
    for label, node in schema.nodes.items():
        uri = node.class_uri
        classes[label] = base + uri.split(":", 1)[1] if uri.startswith("ikg:") else base + label
    return Vocabulary(
        schema=schema,
        base=base,
        class_iri=classes,
        edge_class={t: base + e.class_name for t, e in schema.edges.items()},
        edge_predicate={t: base + lower_camel(e.class_name) for t, e in schema.edges.items()},
        slots=slots,
    )
