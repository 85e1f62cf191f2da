"""Run the worked SPARQL examples (``queries/sparql/NAME.rq``) over an export with rdflib.

Examples
--------
>>> sorted(sparql_names())[:2]
['academicians_workstations', 'firms_academic_partners_by_field']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from kg.errors import QueryNotFoundError
from kg.extras import require
from kg.rdf.importer import _parse


def _folder() -> Path:
    return Path(str(resources.files("kg.queries").joinpath("sparql")))


def sparql_names() -> list[str]:
    """Names of the packaged ``.rq`` queries."""
    return sorted(p.stem for p in _folder().glob("*.rq"))


def sparql_text(name: str) -> str:
    """The text of a packaged query, or :class:`QueryNotFoundError` listing the known ones."""
    path = _folder() / f"{name}.rq"
    if not path.exists():
        raise QueryNotFoundError(f"no SPARQL query {name!r}; known: {', '.join(sparql_names())}")
    return path.read_text(encoding="utf-8")


def run_sparql(data, query: str) -> pd.DataFrame:
    """Run a packaged query (by name) or SPARQL text over an rdflib graph or an RDF file.

    Returns a DataFrame with one column per projected variable; literals become
    Python values, IRIs strings.
    """
    rdflib = require("rdflib", "SPARQL")

    if not isinstance(data, rdflib.Graph):
        data = _parse(data, None)
    text = query if ("SELECT" in query.upper() or "ASK" in query.upper()) and "\n" in query else sparql_text(query)
    result = data.query(text)
    cols = [str(v) for v in result.vars]
    rows = [
        [None if v is None else (v.toPython() if isinstance(v, rdflib.Literal) else str(v)) for v in row]
        for row in result
    ]
    frame = pd.DataFrame(rows, columns=cols, dtype=object)
    return frame.where(frame.notna(), None)
