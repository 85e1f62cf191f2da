"""The graph as linked data: export, import, SHACL validation (see ``schema/ALIGNMENTS.md``).

Examples
--------
>>> import io
>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph.open(":memory:")
>>> _ = g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}])
>>> buf = io.StringIO()
>>> export_rdf(g, buf, format="turtle").triples
3
"""

from kg.rdf.export import ExportStats, export_rdf
from kg.rdf.importer import load_rdf, read_rows
from kg.rdf.namespaces import IKG, PREFIXES, Vocabulary, vocabulary
from kg.rdf.sparql import run_sparql, sparql_names
from kg.rdf.validate import ValidationResult, validate_file, validate_graph, validate_store

__all__ = [
    "IKG",
    "PREFIXES",
    "ExportStats",
    "ValidationResult",
    "Vocabulary",
    "export_rdf",
    "load_rdf",
    "read_rows",
    "run_sparql",
    "sparql_names",
    "validate_file",
    "validate_graph",
    "validate_store",
    "vocabulary",
]
