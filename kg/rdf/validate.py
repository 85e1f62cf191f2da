"""SHACL validation of an export with the shapes generated from the schema (pyshacl).

The shapes are ``schema/generated/innovation.shacl.ttl``: LinkML's shapes
(datatypes, enum values, patterns, cardinalities, closed node shapes)
extended by ``schema/generate.py`` with the edge shortcut predicates (the
classes allowed at the far end) and ``prov:wasDerivedFrom``.  Violations
come back as a DataFrame naming the node (type and key) and the property.

Examples
--------
>>> import rdflib
>>> data = rdflib.Graph().parse(data='''
... @prefix ikg: <https://w3id.org/innovation-kg/> .
... <https://w3id.org/innovation-kg/id/Region/21> a ikg:Region ;
...     <http://www.w3.org/2000/01/rdf-schema#label> "盘锦市" ; ikg:id "21" ; ikg:region_level "town" .
... ''', format="turtle")
>>> r = validate_graph(data)
>>> r.conforms
False
>>> sorted(r.violations["property"])
['id', 'region_level']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kg.extras import require
from kg.rdf.export import export_rdf
from kg.rdf.importer import _parse
from kg.rdf.namespaces import IKG, SH, decode_key, vocabulary
from kg.schema.generate import generated_dir

COLUMNS = ["type", "id", "property", "constraint", "value", "message", "severity", "focus_node"]


@dataclass
class ValidationResult:
    """Outcome of a SHACL run: ``conforms`` and one row per violation (:data:`COLUMNS`)."""

    conforms: bool
    violations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    triples: int = 0
    seconds: float = 0.0

    def summary(self) -> pd.DataFrame:
        """Violations counted by node type, property and constraint."""
        if self.violations.empty:
            return pd.DataFrame(columns=["type", "property", "constraint", "count"])
        return (
            self.violations.groupby(["type", "property", "constraint"])
            .size()
            .reset_index(name="count")
            .sort_values("count", ascending=False, ignore_index=True)
        )


@lru_cache(maxsize=2)
def shapes_graph(path: str | None = None):
    """The generated SHACL shapes as an rdflib graph (cached)."""
    rdflib = require("rdflib", "SHACL validation")

    return rdflib.Graph().parse(path or str(generated_dir() / "innovation.shacl.ttl"), format="turtle")


def _names(base: str) -> dict[str, str]:
    v = vocabulary(base)
    names = {v.slot_iri(name): name for node in v.schema.nodes.values() for name in node.properties}
    names.update({v.slot_iri(name): name for e in v.schema.edges.values() for name in e.properties})
    names.update({v.slot_iri("from_id"): "from_id", v.slot_iri("to_id"): "to_id"})
    names.update({iri: t for t, iri in v.edge_predicate.items()})
    return names


def _describe(focus: str, base: str) -> tuple[str, str]:
    v = vocabulary(base)
    split = v.split_node_iri(focus)
    if split:
        return split
    if focus.startswith(v.data):
        head, _, rest = focus[len(v.data) :].partition("/")
        parts = rest.split("/")
        if len(parts) == 4:
            return head, f"{parts[0]}:{decode_key(parts[1])} -> {parts[2]}:{decode_key(parts[3])}"
        if head in {e.class_name for e in v.schema.edges.values()}:
            return head, decode_key(rest)
    return "", focus


def validate_graph(data, *, shapes=None, base: str = IKG) -> ValidationResult:
    """Validate an rdflib graph against the generated shapes.

    Parameters
    ----------
    data
        The data graph (an export).
    shapes
        Another shapes graph (default: the generated one).
    base
        Namespace of the data, to name nodes and properties in the report.
    """
    import time

    rdflib = require("rdflib", "SHACL validation")
    validate = require("pyshacl", "SHACL validation").validate

    started = time.perf_counter()
    conforms, results, _ = validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
    )
    sh = rdflib.Namespace(SH)
    names = _names(base)
    rows = []
    for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = str(results.value(r, sh.focusNode))
        path = results.value(r, sh.resultPath)
        value = results.value(r, sh.value)
        component = str(results.value(r, sh.sourceConstraintComponent) or "")
        type_, key = _describe(focus, base)
        rows.append(
            {
                "type": type_,
                "id": key,
                "property": names.get(str(path), str(path) if path is not None else ""),
                "constraint": component.rsplit("#", 1)[-1].replace("ConstraintComponent", ""),
                "value": None if value is None else str(value),
                "message": str(results.value(r, sh.resultMessage) or ""),
                "severity": str(results.value(r, sh.resultSeverity) or "").rsplit("#", 1)[-1],
                "focus_node": focus,
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS).sort_values(["type", "id", "property"], ignore_index=True)
    return ValidationResult(bool(conforms), frame, len(data), time.perf_counter() - started)


def validate_file(path: str | Path, *, format: str | None = None, base: str = IKG) -> ValidationResult:
    """Parse an RDF file and validate it (see :func:`validate_graph`)."""

    return validate_graph(_parse(path, format), base=base)


def validate_store(graph, *, base: str = IKG) -> ValidationResult:
    """Export the store to memory and validate it (small and medium graphs)."""
    import io

    rdflib = require("rdflib", "SHACL validation")

    buf = io.StringIO()
    export_rdf(graph, buf, format="nt", base=base)
    return validate_graph(rdflib.Graph().parse(data=buf.getvalue(), format="nt"), base=base)
