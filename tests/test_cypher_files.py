"""Every .cypher file parses with Neo4j's own linter and every named query runs on the embedded engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cypher_lint import ROOT, lint, linter_missing

from kg.named import QueryLibrary

CYPHER_FILES = sorted(
    p for folder in ("queries", "schema", "loaders", "viz", "kg") for p in (ROOT / folder).rglob("*.cypher")
)
_PARAMS_LINE = re.compile(r"^//\s*params:\s*(\{.*\})\s*$", re.MULTILINE)


def example_params(text: str) -> dict:
    """The ``// params: {...}`` header line of a named query (its example parameters)."""
    m = _PARAMS_LINE.search(text)
    return json.loads(m.group(1)) if m else {}


def _statements(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "generated":  # one statement per line
        body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
        return [s.strip() for s in body.split(";") if s.strip()]
    return [text]


def test_there_are_cypher_files_to_check():
    assert len(CYPHER_FILES) >= 3, CYPHER_FILES


def test_every_cypher_file_passes_the_neo4j_linter():
    reason = linter_missing()
    assert reason is None, reason
    queries = []
    for path in CYPHER_FILES:
        for i, stmt in enumerate(_statements(path)):
            params = {k: v for k, v in example_params(stmt).items()}
            for name in re.findall(r"\$([A-Za-z_]\w*)", stmt):
                params.setdefault(name, None)
            queries.append({"name": f"{path.relative_to(ROOT)}#{i}", "text": stmt, "parameters": params})
    results = lint(queries)
    errors = [
        f"{r['name']}:{d['line']}:{d['character']}: {d['message']}"
        for r in results
        for d in r["diagnostics"]
        if d["severity"] == 1
    ]
    assert not errors, "\n".join(errors)


def test_the_linter_catches_a_syntax_error():
    reason = linter_missing()
    assert reason is None, reason
    [result] = lint([{"name": "bad", "text": "MATCH (n:Enterprise RETURN n", "parameters": {}}])
    assert any(d["severity"] == 1 for d in result["diagnostics"])


@pytest.mark.parametrize("name", QueryLibrary().names())
def test_named_query_runs_on_the_embedded_engine(graph, name):
    query = graph.queries.get(name, graph.backend.engine)
    params = example_params(query.text)
    missing = query.parameters - params.keys()
    assert not missing, f"{query.path.name}: add a `// params: {{...}}` header line with {sorted(missing)}"
    frame = graph.run_named(name, **params)
    assert list(frame.columns), name
