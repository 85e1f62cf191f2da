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

from kg.schema.ddl import ladybug_ddl, neo4j_constraints, render
from kg.schema.model import load_schema, schema_path

GENERATED = "generated"
HEADER = "Generated from schema/innovation.yaml by `make schema`; do not edit."


def generated_dir() -> Path:
    return schema_path().parent / GENERATED


def _owl(path: str) -> str:
    from linkml.generators.owlgen import OwlSchemaGenerator

    return OwlSchemaGenerator(
        path,
        mergeimports=False,
        metaclasses=False,
        type_objects=False,
        skip_vacuous_min_zero_cardinality_axioms=True,
        skip_vacuous_local_range_axioms=True,
        consolidate_cardinality_axioms=True,
    ).serialize()


def _shacl(path: str) -> str:
    from linkml.generators.shaclgen import ShaclGenerator

    return ShaclGenerator(path, mergeimports=True).serialize()


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
