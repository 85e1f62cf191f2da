"""Run Neo4j's own Cypher linter (npm @neo4j-cypher/language-support) from Python."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from kg.schema import load_schema

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "tools" / "lint_cypher.mjs"
PACKAGE = ROOT / "node_modules" / "@neo4j-cypher" / "language-support"


def linter_missing() -> str | None:
    """Why the linter cannot run, or None."""
    if shutil.which("node") is None:
        return "node is not on PATH (install Node.js)"
    if not PACKAGE.exists():
        return "node_modules/@neo4j-cypher/language-support is missing: run `make node` (or `make test`)"
    return None


def db_schema() -> dict:
    s = load_schema()
    props = sorted({p for t in s.iter_types() for p in t.properties})
    return {
        "labels": sorted(s.nodes),
        "relationshipTypes": sorted(s.edges),
        "propertyKeys": props,
    }


def lint(queries: list[dict]) -> list[dict]:
    """Lint ``[{"name", "text", "parameters"}]``; returns ``[{"name", "diagnostics"}]``."""
    payload = json.dumps({"schema": db_schema(), "queries": queries}, ensure_ascii=False)
    done = subprocess.run(
        ["node", str(SCRIPT)], input=payload.encode("utf-8"), capture_output=True, cwd=ROOT, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"linter failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return json.loads(done.stdout)
