r"""Render schema values as N-Triples / Turtle terms, fast and without rdflib objects.

The export writes millions of triples; building an rdflib term per value
costs more than the whole write, so terms are rendered straight to text
here following the N-Triples 1.1 grammar (which Turtle accepts too).

Examples
--------
>>> print(literal('甲"乙'))
"甲\"乙"
>>> typed("2019", "http://www.w3.org/2001/XMLSchema#integer")
'"2019"^^<http://www.w3.org/2001/XMLSchema#integer>'
>>> iri("http://x.org/a b")
'<http://x.org/a%20b>'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from kg.rdf.namespaces import XSD, XSD_TYPES
from kg.schema import Property

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_char(m: re.Match) -> str:
    c = m.group(0)
    return _ESCAPES.get(c) or f"\\u{ord(c):04X}"


def escape(text: str) -> str:
    """Escape a string for the inside of an N-Triples / Turtle ``"..."`` literal."""
    return _NEEDS_ESCAPE.sub(_escape_char, text) if _NEEDS_ESCAPE.search(text) else text


def iri(value: str) -> str:
    """``<value>`` with characters not allowed in an IRI percent-encoded."""
    text = str(value)
    if _IRI_BAD.search(text):
        text = _IRI_BAD.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), text)
    return "<" + text + ">"


def literal(text: str) -> str:
    """A plain (``xsd:string``) literal."""
    return '"' + escape(str(text)) + '"'


def typed(lexical: str, datatype: str) -> str:
    """A literal with a datatype IRI."""
    return '"' + escape(lexical) + '"^^<' + datatype + ">"


def _float(v: Any) -> str:
    f = float(v)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "INF" if f > 0 else "-INF"
    return repr(f)


def _date(v: Any) -> str:
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        v = v.date()
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _bool(v: Any) -> str:
    return "true" if bool(v) else "false"


def renderer(prop: Property) -> Callable[[Any], str]:
    """A function turning one (scalar) value of ``prop`` into its N-Triples term.

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> p = load_schema().node("Enterprise").properties
    >>> renderer(p["founded"])(dt.date(2016, 8, 22))
    '"2016-08-22"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> renderer(p["listed"])(False)
    '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    """
    if prop.enum or prop.range not in XSD_TYPES or prop.range == "string":
        if prop.range == "uri":
            return iri
        return literal
    dtype = XSD_TYPES[prop.range]
    if prop.range == "integer":
        return lambda v: '"' + str(int(v)) + '"^^<' + dtype + ">"
    if prop.range in ("float", "double"):
        return lambda v: '"' + _float(v) + '"^^<' + dtype + ">"
    if prop.range == "boolean":
        return lambda v: '"' + _bool(v) + '"^^<' + dtype + ">"
    if prop.range == "date":
        return lambda v: '"' + _date(v) + '"^^<' + dtype + ">"
    return literal  # pragma: no cover - every range is handled above


#: Turtle abbreviations of typed literals (``"5"^^xsd:integer`` -> ``5``)
_TTL_INT = re.compile(r'^"(-?[0-9]+)"\^\^<' + re.escape(XSD) + r"integer>$")
_TTL_BOOL = re.compile(r'^"(true|false)"\^\^<' + re.escape(XSD) + r"boolean>$")


def turtle_term(term: str, prefixes: dict[str, str]) -> str:
    """Shorten an N-Triples term for Turtle: bare integers/booleans, ``prefix:local`` datatypes.

    Examples
    --------
    >>> turtle_term('"5"^^<http://www.w3.org/2001/XMLSchema#integer>', {"xsd": XSD})
    '5'
    >>> turtle_term('"1.5"^^<http://www.w3.org/2001/XMLSchema#float>', {"xsd": XSD})
    '"1.5"^^xsd:float'
    """
    if term.endswith(">") and '"^^<' in term:
        m = _TTL_INT.match(term) or _TTL_BOOL.match(term)
        if m:
            return m.group(1)
        head, _, dtype = term.rpartition("^^<")
        return head + "^^" + qname(dtype[:-1], prefixes)
    return term


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def qname(full: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for an IRI in one of ``prefixes`` (simple local names only), else ``<iri>``.

    Examples
    --------
    >>> qname("http://www.w3.org/2001/XMLSchema#date", {"xsd": XSD})
    'xsd:date'
    >>> qname("http://other.org/x", {"xsd": XSD})
    '<http://other.org/x>'
    """
    for prefix, ns in prefixes.items():
        if full.startswith(ns) and _LOCAL.match(full[len(ns) :]):
            return prefix + ":" + full[len(ns) :]
    return "<" + full + ">"
