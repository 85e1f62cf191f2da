"""Shared fixtures: real embedded stores, the demo graph, output folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# pytest-xdist workers start with COLUMNS=80; a rich console created at import would keep that width for
# good, so tests that set COLUMNS themselves (tables at 80, 160 or 220 columns) would read 80.
os.environ.pop("COLUMNS", None)

from kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output"


@pytest.fixture
def graph():
    """An empty in-memory store with the schema."""
    with KnowledgeGraph.open(":memory:") as g:
        yield g


@pytest.fixture
def db_path(tmp_path) -> Path:
    """A path for an on-disk store."""
    return tmp_path / "innovation.kg"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests leave artefacts a person may want to look at (screenshots, HTML)."""
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


def pytest_report_header(config):
    return f"innovation-kg tests; KG_DB={os.environ.get('KG_DB', '(unset)')}"
