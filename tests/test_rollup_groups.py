"""Roll-up to groups: participations, centrality and partner matching counted per group, on a hand-built graph.

The graph: group 甲集团 (G) with two subsidiaries A1, A2 (SUBSIDIARY_OF);
丙大学 (U) with its campus W (BRANCH_OF); two more firms B and C.

* projects P1 {A1, A2, B}, P2 {A1, U}, P3 {W, B}, P4 {G, C}; patent T1 {A2, W};
* cooperations A1 -> U, A2 -> W, B -> U.

At group level (worked out by hand): G takes part in P1, P2, P4 and T1 and
cooperates with one partner group (U, through A1 and the campus W); U in
P2, P3, T1, cooperating with G and B; B in P1, P3, cooperating with U; C in
P4.  Links between groups: G-B (P1), G-U (P2, T1, two cooperations), U-B
(P3 and a cooperation), G-C (P4).
"""

from __future__ import annotations

import os
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest

from kg import KnowledgeGraph
from kg.errors import KGError
from kg.groups import rollup_groups
from kg.queries.analytics import compute_centrality, count_participations
from kg.queries.matching import match_partners
from kg.queries.matching.groups import rollup_candidates

NAMES = {
    "A1": "甲一公司",
    "A2": "甲二公司",
    "G": "甲集团",
    "B": "乙公司",
    "C": "丁公司",
    "U": "丙大学",
    "W": "丙大学（威海）",
}
PROJECTS = {"P1": ["A1", "A2", "B"], "P2": ["A1", "U"], "P3": ["W", "B"], "P4": ["G", "C"]}
PATENTS = {"T1": ["A2", "W"]}
COOPERATIONS = [("A1", "U"), ("A2", "W"), ("B", "U")]
GROUP_EDGES = {("B", "G"): 1, ("G", "U"): 4, ("B", "U"): 2, ("C", "G"): 1}


def build(g) -> None:
    g.upsert_nodes("Enterprise", [{"id": i, "name": NAMES[i]} for i in ("A1", "A2", "G", "B", "C")])
    g.upsert_nodes("University", [{"id": i, "name": NAMES[i]} for i in ("U", "W")])
    g.upsert_nodes("Project", [{"id": p, "name": p, "start_year": 2020} for p in PROJECTS])
    g.upsert_nodes("Patent", [{"id": t, "name": t, "application_year": 2021} for t in PATENTS])
    label = {i: ("University" if i in ("U", "W") else "Enterprise") for i in NAMES}
    g.upsert_edges(
        "PARTICIPATES_IN",
        [{"from_id": o, "from_type": label[o], "to_id": p} for p, orgs in PROJECTS.items() for o in orgs],
    )
    g.upsert_edges(
        "APPLIED_FOR", [{"from_id": o, "from_type": label[o], "to_id": t} for t, orgs in PATENTS.items() for o in orgs]
    )
    g.upsert_edges(
        "COOPERATES_WITH", [{"from_id": a, "to_id": b, "to_type": "University", "since": 2019} for a, b in COOPERATIONS]
    )
    g.upsert_edges("SUBSIDIARY_OF", [{"from_id": a, "to_id": "G", "source": "test"} for a in ("A1", "A2")])
    g.upsert_edges(
        "BRANCH_OF",
        [{"from_id": "W", "from_type": "University", "to_id": "U", "to_type": "University", "source": "test"}],
    )


@pytest.fixture(scope="module")
def graph():
    g = KnowledgeGraph.open(":memory:")
    build(g)
    yield g
    g.close()


def test_rollup_groups_finds_the_top_of_each_chain(graph):
    df = rollup_groups(graph, pd.DataFrame({"id": list(NAMES)}))
    assert dict(zip(df["id"], df["group_id"])) == {
        "A1": "G",
        "A2": "G",
        "G": "G",
        "B": "B",
        "C": "C",
        "U": "U",
        "W": "U",
    }
    assert dict(zip(df["id"], df["group_name"]))["W"] == "丙大学"
    assert dict(zip(df["id"], df["group_name"]))["B"] == "乙公司"  # its own group, named from the store


def test_participations_per_group(graph):
    df = count_participations(graph, rollup="group").set_index("id")
    assert sorted(df.index) == ["B", "C", "G", "U"]
    want = {  # projects, patents, cooperations, partners, units
        "G": (3, 1, 1, 3, 3),
        "U": (2, 1, 2, 2, 2),
        "B": (2, 0, 1, 2, 1),
        "C": (1, 0, 0, 1, 1),
    }
    for gid, (pj, pt, co, partners, units) in want.items():
        row = df.loc[gid]
        assert (row["projects"], row["patents"], row["cooperations"], row["partners"], row["units"]) == (
            pj,
            pt,
            co,
            partners,
            units,
        ), gid
        assert row["participations"] == pj + pt + co and row["two_mode_degree"] == pj + pt
    assert df.loc["G", "name"] == "甲集团" and df.loc["U", "name"] == "丙大学"
    assert df.attrs["rollup"] == "group"
    # per unit, as before: A1 takes part in P1 and P2 and cooperates with U
    units = count_participations(graph).set_index("id")
    assert (units.loc["A1", "projects"], units.loc["A1", "cooperations"]) == (2, 1)
    assert len(units) == 7 and "units" not in units


def test_centrality_per_group_is_that_of_the_group_network(graph):
    expected = nx.Graph()
    expected.add_weighted_edges_from((a, b, w) for (a, b), w in GROUP_EDGES.items())
    for measure, want in (
        ("degree", dict(expected.degree())),
        ("betweenness", nx.betweenness_centrality(expected)),
        ("weighted_degree", dict(expected.degree(weight="weight"))),
    ):
        df = compute_centrality(graph, measure, rollup="group", engine="networkx").set_index("id")
        assert sorted(df.index) == sorted(want)
        for node, value in want.items():
            assert df.loc[node, measure] == pytest.approx(value), (measure, node)
    df = compute_centrality(graph, "degree", rollup="group")
    assert df.iloc[0]["id"] == "G" and df.iloc[0]["units"] == 3
    assert df.attrs["nodes"] == 4 and df.attrs["edges"] == 4


def test_rollup_mistakes(graph):
    with pytest.raises(KGError, match="rollup='groups'"):
        count_participations(graph, rollup="groups")
    with pytest.raises(KGError, match="organisations projection"):
        compute_centrality(graph, "degree", rollup="group", projection_name="persons")


def test_rollup_candidates_counts_units_evidence_for_their_group(graph):
    ranked = pd.DataFrame(
        {
            "rank": [1, 2, 3],
            "id": ["W", "X", "U"],
            "name": [NAMES["W"], "戊研究所", NAMES["U"]],
            "kind": ["University", "ResearchInstitute", "University"],
            "score": [0.8, 0.6, 0.5],
            "existing": [False, False, True],
            "since": [None, None, 2019],
            "shared_fields": [["材料"], [], ["材料", "化工"]],
            "peers": [1, 4, 2],
            "projects": [0, 1, 2],
            "patents": [1, 0, 0],
            "why_zh": ["甲", "乙", "丙"],
            "why_en": ["a", "b", "c"],
        }
    )
    out = rollup_candidates(graph, ranked)
    assert out["id"].tolist() == ["U", "X"] and out["rank"].tolist() == [1, 2]
    top = out.iloc[0]
    assert (top["name"], top["score"], top["peers"], top["projects"], top["patents"]) == ("丙大学", 0.8, 3, 2, 1)
    assert top["units"] == ["丙大学（威海）", "丙大学"] and top["shared_fields"] == ["材料", "化工"]
    assert bool(top["existing"]) and top["since"] == 2019
    assert top["why_en"] == "a (with 丙大学)"
    assert out.iloc[1]["units"] == ["戊研究所"] and out.iloc[1]["peers"] == 4
    assert len(rollup_candidates(graph, ranked, top=1)) == 1


def test_match_partners_rollup_group_on_the_demo():
    from kg.demo import build_demo

    with KnowledgeGraph.open(":memory:") as g:
        build_demo(g, seed=7, scale=0.05)
        firm = g.query("MATCH (e:Enterprise)-[:COOPERATES_WITH]->() RETURN e.id AS id ORDER BY id LIMIT 1").iloc[0, 0]
        every = match_partners(g, firm, top=None)
        unis = every[every["kind"] == "University"]
        assert len(unis) >= 3
        top_id, b = unis["id"].iloc[0], unis["id"].iloc[2]
        # the best university candidate becomes a unit (a campus) of the third
        g.upsert_edges(
            "BRANCH_OF",
            [{"from_id": top_id, "from_type": "University", "to_id": b, "to_type": "University", "source": "test"}],
        )
        rolled = match_partners(g, firm, top=5, rollup="group")
        group = rolled[rolled["id"] == b].iloc[0]
        members = every[every["id"].isin([top_id, b])]
        assert group["rank"] == every.set_index("id").loc[top_id, "rank"] and group["score"] == pytest.approx(
            members["score"].max()
        )
        assert group["peers"] == members["peers"].sum() and group["projects"] == members["projects"].sum()
        assert sorted(group["units"]) == sorted(members["name"])
        assert top_id not in set(rolled["id"]) and len(rolled) == 5
        assert rolled["rank"].tolist() == [1, 2, 3, 4, 5]


def test_cli_rollup_group(tmp_path):
    db = tmp_path / "groups.kg"
    with KnowledgeGraph.open(str(db)) as g:
        build(g)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}

    def kg(*args):
        return subprocess.run(
            [sys.executable, "-m", "kg", "--db", str(db), *args], capture_output=True, text=True, env=env
        )

    out = kg("participations", "--rollup", "group", "--csv", "-", "--lang", "en")  # English headers: name, projects
    assert out.returncode == 0, out.stderr
    df = pd.read_csv(pd.io.common.StringIO(out.stdout))
    assert sorted(df["name"]) == ["丁公司", "丙大学", "乙公司", "甲集团"]
    assert dict(zip(df["name"], df["projects"]))["甲集团"] == 3
    bad = kg("centrality", "-m", "degree", "--rollup", "groups")
    assert bad.returncode == 2 and bad.stderr.strip().splitlines()[-1].startswith("error: rollup='groups'")
