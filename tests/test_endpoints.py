"""The one endpoint resolver: keys joined once per label; names only for the rest; problems by kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.endpoints import resolve_endpoints
from kg.errors import NotFoundError, RowError

ALLOWED = ("University", "ResearchInstitute")


@pytest.fixture()
def graph():
    g = KnowledgeGraph.open(":memory:")
    g.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}, {"id": "X", "name": "同号大学"}])
    g.upsert_nodes("ResearchInstitute", [{"id": "R1", "name": "某研究所"}, {"id": "X", "name": "同号所"}])
    yield g
    g.close()


def test_keys_then_names_and_every_problem_kind(graph):
    names = {"大连理工": {("University", "U1")}, "两个": {("University", "U1"), ("ResearchInstitute", "R1")}}
    asked: list[str] = []

    def lookup(text):
        asked.append(text)
        return names.get(text, set())

    values = pd.Series(["R1", "X", "大连理工", "两个", "无此单位", None, "U1", "R1"])
    given = pd.Series([None, None, None, None, None, None, None, "University"])
    skip = np.zeros(len(values), dtype=bool)
    skip[6] = True  # already refused: left alone
    found = resolve_endpoints(graph, ALLOWED, values, given, lookup=lookup, skip=skip)
    assert found.labels[:3] == ["ResearchInstitute", None, "University"] and found.ids[2] == "U1"
    assert found.problems == {
        1: ("ambiguous", ["University", "ResearchInstitute"]),
        3: ("several", ["ResearchInstitute:R1", "University:U1"]),
        4: ("unknown", []),
        5: ("missing", []),
        7: ("unknown", []),  # R1 is no University
    }
    assert asked == ["大连理工", "两个", "无此单位", "R1"]  # keys found by the join never reach the name lookup
    assert found.labels[6] is None and 6 not in found.problems


def test_the_api_words_the_same_problems_as_errors(graph):
    graph.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲"}])
    with pytest.raises(RowError, match=r"row 0: 'X' is a University and a ResearchInstitute; add to_type"):
        graph.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "X"}])
    with pytest.raises(NotFoundError, match=r"row 1: COOPERATES_WITH to University 'R1' does not exist"):
        graph.upsert_edges(
            "COOPERATES_WITH",
            [{"from_id": "E1", "to_id": "U1"}, {"from_id": "E1", "to_id": "R1", "to_type": "University"}],
        )
    assert graph.count("COOPERATES_WITH") == 0  # a refused call writes nothing
    assert graph.upsert_edges("COOPERATES_WITH", [{"from_id": "E1", "to_id": "X", "to_type": "ResearchInstitute"}]) == 1
