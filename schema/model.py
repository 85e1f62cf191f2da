"""Read the LinkML schema into the node and edge types the code works with.

The LinkML file ``innovation.yaml`` beside this module is the single source of
truth: every node label, edge type, property, Chinese title, header alias and
enum used anywhere in the project is read from it here, at run time, through
``linkml_runtime.SchemaView``.

Examples
--------
>>> from kg.schema import load_schema
>>> s = load_schema()
>>> s.node("Enterprise").title
'企业'
>>> s.edge("COOPERATES_WITH").to_types
('University', 'ResearchInstitute')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

from kg.errors import SchemaError

T = TypeVar("T")

SCHEMA_FILE = "innovation.yaml"

#: LinkML range -> engine column type (both engines understand these names
#: in the embedded DDL; Neo4j is schema-free for properties).
_ENGINE_TYPES = {
    "string": "STRING",
    "uri": "STRING",
    "integer": "INT64",
    "float": "DOUBLE",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def schema_path() -> Path:
    """Path of the LinkML schema file shipped with the package.

    Examples
    --------
    >>> schema_path().name
    'innovation.yaml'
    """
    return Path(str(resources.files("kg.schema").joinpath(SCHEMA_FILE)))


def _upper_snake(class_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).upper()


def _label_en(name: str, annotations: dict) -> str:
    ann = None
    if annotations:
        try:
            ann = annotations["label_en"]
        except (KeyError, TypeError):
            ann = getattr(annotations, "label_en", None)
    if ann is not None:
        return str(getattr(ann, "value", ann))
    return name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class EnumType:
    """A controlled vocabulary: keys stored in the graph, titles shown to users."""

    name: str
    title: str
    values: dict[str, str]  # key -> Chinese title
    synonyms: dict[str, str]  # normalised spelling -> key

    def normalise(self, raw: object) -> str:
        """Map a key, Chinese title or alias onto the stored key.

        Raises :class:`~kg.errors.SchemaError` listing the allowed values.

        Examples
        --------
        >>> load_schema().enums["Level"].normalise("省级")
        'provincial'
        """
        text = str(raw).strip()
        key = self.synonyms.get(_fold(text))
        if key is None:
            allowed = ", ".join(f"{k} ({t})" for k, t in self.values.items())
            raise SchemaError(f"{text!r} is not a valid {self.name} ({self.title}); use one of: {allowed}")
        return key


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower().replace("“", "").replace("”", "").replace('"', "")


@dataclass(frozen=True)
class Property:
    """One property of a node or edge type."""

    name: str
    title: str
    label_en: str
    aliases: tuple[str, ...]
    range: str
    multivalued: bool = False
    required: bool = False
    enum: str | None = None
    pattern: str | None = None
    description: str = ""
    #: smallest and largest value a number may take (LinkML ``minimum_value`` / ``maximum_value``)
    minimum: float | None = None
    maximum: float | None = None

    @property
    def engine_type(self) -> str:
        """Column type in the embedded engine (``STRING``, ``INT64``, ``STRING[]`` ...)."""
        base = "STRING" if self.enum else _ENGINE_TYPES.get(self.range, "STRING")
        return base + "[]" if self.multivalued else base

    @property
    def headers(self) -> tuple[str, ...]:
        """Every spelling a source column may use for this property."""
        return (self.name, self.title, self.label_en, *self.aliases)


@dataclass(frozen=True)
class NodeType:
    """A node label with its properties (``id`` first)."""

    label: str
    title: str
    description: str
    class_uri: str
    properties: dict[str, Property]
    key: str = "id"
    #: abstract and concrete classes it descends from in the schema (``Organization``, ``Node``)
    ancestors: tuple[str, ...] = ()

    @property
    def label_en(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z][a-z])", " ", self.label)

    def property(self, name: str) -> Property:
        """Return a property, or raise a :class:`SchemaError` naming the close matches."""
        try:
            return self.properties[name]
        except KeyError:
            raise SchemaError(_unknown("property", name, f"of {self.label}", self.properties)) from None


@dataclass(frozen=True)
class EdgeType:
    """An edge type: its allowed endpoints and properties.

    ``properties`` excludes the endpoint keys; ``from_title`` / ``to_title``
    are the Chinese column titles of the endpoints.
    """

    type: str
    class_name: str
    title: str
    description: str
    from_types: tuple[str, ...]
    to_types: tuple[str, ...]
    from_title: str
    to_title: str
    from_aliases: tuple[str, ...]
    to_aliases: tuple[str, ...]
    properties: dict[str, Property]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every allowed (from label, to label) pair."""
        return [(a, b) for a in self.from_types for b in self.to_types]

    def property(self, name: str) -> Property:
        try:
            return self.properties[name]
        except KeyError:
            raise SchemaError(_unknown("property", name, f"of {self.type}", self.properties)) from None


def _unknown(kind: str, name: str, where: str, choices) -> str:
    close = difflib.get_close_matches(str(name), list(choices), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(choices)}"
    return f"unknown {kind} {name!r} {where}".replace("  ", " ").strip() + hint


def _look_up(kind: str, key: str, table: dict[str, T], alternative: str | None) -> T:
    """``table[key]``, else ``table[alternative]``, else a :class:`SchemaError` with close names."""
    for k in (key, alternative):
        if k is not None and k in table:
            return table[k]
    raise SchemaError(_unknown(kind, key, "", table))


@dataclass
class Schema:
    """All node types, edge types and enums of the graph."""

    nodes: dict[str, NodeType]
    edges: dict[str, EdgeType]
    enums: dict[str, EnumType]
    name: str = "innovation"
    id: str = ""
    version: str = ""
    _by_title: dict[str, str] = field(default_factory=dict, repr=False)

    def node(self, label: str) -> NodeType:
        """Look a node type up by label (or Chinese title).

        Examples
        --------
        >>> load_schema().node("高校").label
        'University'
        """
        return _look_up("node type", label, self.nodes, self._by_title.get(label))

    def edge(self, type_: str) -> EdgeType:
        """Look an edge type up by Cypher type, class name or Chinese title.

        Examples
        --------
        >>> load_schema().edge("CooperatesWith").type
        'COOPERATES_WITH'
        """
        return _look_up("edge type", type_, self.edges, self._by_title.get(type_) or _upper_snake(type_))

    def subtypes(self, ancestor: str) -> list[str]:
        """Node labels descending from the schema class ``ancestor`` (e.g. every ``Organization``), in schema order.

        Examples
        --------
        >>> {"Enterprise", "University", "ResearchInstitute", "ServiceOrg"} <= set(load_schema().subtypes("Organization"))
        True
        """
        return [label for label, t in self.nodes.items() if ancestor in t.ancestors]

    def is_node(self, name: str) -> bool:
        """True when ``name`` names a node type (label or title)."""
        return name in self.nodes or self._by_title.get(name) in self.nodes

    def iter_types(self) -> Iterator[NodeType | EdgeType]:
        yield from self.nodes.values()
        yield from self.edges.values()


def check_identifier(name: str) -> str:
    """Guard for the only names ever formatted into Cypher: schema labels and properties.

    Examples
    --------
    >>> check_identifier("Enterprise")
    'Enterprise'
    """
    if not _IDENT.match(name):
        raise SchemaError(f"{name!r} is not a valid identifier")
    return name


def _prop(sv, slot_name: str, class_name: str, enums: dict) -> Property:
    s = sv.induced_slot(slot_name, class_name)
    rng = s.range or "string"
    return Property(
        name=slot_name,
        title=s.title or slot_name,
        label_en=_label_en(slot_name, s.annotations),
        aliases=tuple(s.aliases or ()),
        range=rng,
        multivalued=bool(s.multivalued),
        required=bool(s.required or s.identifier),
        enum=rng if rng in enums else None,
        pattern=s.pattern,
        description=(s.description or "").strip(),
        minimum=_number(s.minimum_value),
        maximum=_number(s.maximum_value),
    )


def _number(value) -> float | None:
    return None if value is None else float(value)


def _endpoints(sv, slot) -> tuple[str, ...]:
    if slot.any_of:
        return tuple(a.range for a in slot.any_of)
    return (slot.range,)


@lru_cache(maxsize=4)
def load_schema(path: str | None = None) -> Schema:
    """Read the LinkML schema (cached).

    Parameters
    ----------
    path
        Another LinkML file following the same conventions; default: the one
        shipped in ``kg.schema``.

    Examples
    --------
    >>> s = load_schema()
    >>> len(s.nodes) >= 18 and len(s.edges) >= 21
    True
    """
    from linkml_runtime import SchemaView

    sv = SchemaView(str(path or schema_path()))
    enums: dict[str, EnumType] = {}
    for name, e in sv.all_enums().items():
        values, synonyms = {}, {}
        for key, pv in (e.permissible_values or {}).items():
            values[key] = pv.title or key
            for spelling in (key, pv.title, *(pv.aliases or ())):
                if spelling:
                    synonyms[_fold(spelling)] = key
        enums[name] = EnumType(name, e.title or name, values, synonyms)

    nodes: dict[str, NodeType] = {}
    edges: dict[str, EdgeType] = {}
    by_title: dict[str, str] = {}
    for cname in sv.all_classes():
        c = sv.get_class(cname)
        if c.abstract:
            continue
        ancestors = sv.class_ancestors(cname)
        slots = sv.class_slots(cname)
        if "Node" in ancestors:
            ordered = ["id", "name"] + [s for s in slots if s not in ("id", "name")]
            props = {s: _prop(sv, s, cname, enums) for s in ordered}
            nodes[cname] = NodeType(
                label=check_identifier(cname),
                title=c.title or cname,
                description=(c.description or "").strip(),
                class_uri=c.class_uri or f"ikg:{cname}",
                properties=props,
                ancestors=tuple(a for a in ancestors if a != cname),
            )
            by_title.setdefault(c.title or cname, cname)
        elif "Edge" in ancestors:
            etype = check_identifier(_upper_snake(cname))
            f = sv.induced_slot("from_id", cname)
            t = sv.induced_slot("to_id", cname)
            props = {s: _prop(sv, s, cname, enums) for s in slots if s not in ("from_id", "to_id")}
            edges[etype] = EdgeType(
                type=etype,
                class_name=cname,
                title=c.title or etype,
                description=(c.description or "").strip(),
                from_types=_endpoints(sv, f),
                to_types=_endpoints(sv, t),
                from_title=f.title or "起点",
                to_title=t.title or "终点",
                from_aliases=tuple(f.aliases or ()),
                to_aliases=tuple(t.aliases or ()),
                properties=props,
            )
            by_title.setdefault(c.title or etype, etype)
    for e in edges.values():
        for label in (*e.from_types, *e.to_types):
            if label not in nodes:
                raise SchemaError(f"edge {e.type} names unknown endpoint type {label!r} in {path or schema_path()}")
    schema = sv.schema
    return Schema(nodes, edges, enums, name=schema.name, id=schema.id, version=schema.version or "", _by_title=by_title)
