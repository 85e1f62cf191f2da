"""Back-test, baselines and learned ranking on hand-built graphs whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from kg.errors import KGError
from kg.queries.matching.backtest import METHODS, evaluate_matching
from kg.queries.matching.baselines import baseline_scores
from kg.queries.matching.features import hand_score, pair_features
from kg.queries.matching.snapshot import read_history, snapshot


def _row(table, method, view="all", group="all firms"):
    sel = table[(table["method"] == method) & (table["view"] == view) & (table["group"] == group)]
    assert len(sel) == 1, (method, view, group)
    return sel.iloc[0]


@pytest.fixture
def future(graph):
    """E1 has no field today; a 2023 patent (IPC H01M, storage) would give it the field U_BAT has."""
    g = graph
    g.upsert_nodes(
        "Field",
        [
            {"id": "F06", "name": "新能源与节能", "field_level": 1},
            {"id": "F0603", "name": "储能技术", "field_level": 2},
        ],
    )
    g.upsert_edges("SUBFIELD_OF", [{"from_id": "F0603", "to_id": "F06"}])
    g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(1, 5)])
    g.upsert_nodes("University", [{"id": "U_POP", "name": "热门大学"}, {"id": "U_BAT", "name": "电池大学"}])
    g.upsert_edges("IN_FIELD", [{"from_id": "U_BAT", "to_id": "F0603"}])
    g.upsert_nodes("Patent", [{"id": "CN1", "name": "锂电池储能装置", "application_year": 2023, "ipc": ["H01M 10/00"]}])
    g.upsert_edges("APPLIED_FOR", [{"from_id": "E1", "from_type": "Enterprise", "to_id": "CN1"}])
    g.upsert_nodes("Achievement", [{"id": "A1", "name": "锂电池储能", "keywords": ["锂电池"], "year": 2023}])
    g.upsert_edges("OWNS", [{"from_id": "U_BAT", "from_type": "University", "to_id": "A1"}])
    g.upsert_edges(
        "COOPERATES_WITH",
        [
            {"from_id": "E2", "to_id": "U_POP", "since": 2018},
            {"from_id": "E3", "to_id": "U_POP", "since": 2019},
            {"from_id": "E1", "to_id": "U_BAT", "since": 2024},
            {"from_id": "E4", "to_id": "U_POP", "since": 2024},
        ],
    )
    return g


def test_no_feature_reads_data_after_until(future):
    h = read_history(future)
    before, after = snapshot(h, 2021), snapshot(h, 2023)
    e1 = before.rows(["E1"])
    bat, pop = before.cand_pos["U_BAT"], before.cand_pos["U_POP"]
    f_before, f_after = pair_features(before, e1), pair_features(after, after.rows(["E1"]))
    # the 2023 patent gives E1 the storage field, its IPC class and its title's terms only from 2023 on
    assert f_before["field"][0, bat] == 0 and f_after["field"][0, bat] > 0
    assert before.I_firm[e1].nnz == 0 and after.I_firm[after.rows(["E1"])].nnz == 1
    assert before.W[bat].nnz == 0 and after.W[after.cand_pos["U_BAT"]].nnz > 0  # the 2023 achievement's text
    assert before.A.sum() == 2 and after.A.sum() == 2  # 2024 cooperations hidden from both
    assert hand_score(f_before)[0, bat] == 0 and hand_score(f_after)[0, bat] > hand_score(f_after)[0, pop]
    table = evaluate_matching(future, until=2021, methods=("hand weights", "field-only"), tail=1, boot=20)
    # with the future patent the battery university would be first (MRR 1); without it E1 gets the popular one
    for m in ("hand weights", "field-only"):
        e1_row = _row(table, m, group="cold start")
        assert e1_row["firms"] == 2 and e1_row["MRR"] == pytest.approx((0.5 + 1.0) / 2)  # E1: U_BAT 2nd; E4: U_POP 1st
    late = evaluate_matching(future, until=2023, methods=("field-only",), tail=1, boot=20)
    assert _row(late, "field-only")["MRR"] == 1.0


def test_cold_start_firms_are_scored_and_counted(future):
    table = evaluate_matching(future, until=2021, to=2024, tail=1, boot=20)
    # nothing formed in 2020-2021 to learn from: the learned rows are left out and the table says why
    assert set(table["method"]) == set(METHODS) - {"learned"}
    assert table.attrs["model"].startswith("learned model not fitted: no cooperation formed in 2020-2021")
    for m in set(METHODS) - {"learned"}:
        assert _row(table, m)["firms"] == 2 and _row(table, m, group="cold start")["firms"] == 2
        assert _row(table, m, group="with partners")["firms"] == 0
    # E4's new partner is the popular one: popularity finds it first, every structural method falls back to it
    assert _row(table, "popularity")["hit@5"] == 1.0
    with pytest.raises(KGError, match="--to 2021 must be after --until 2021"):
        evaluate_matching(future, until=2021, to=2021)
    with pytest.raises(KGError, match="no new cooperation .* after 2024"):
        evaluate_matching(future, until=2024)


def test_baselines_follow_their_definitions(future):
    s = snapshot(read_history(future), 2021)
    rows = s.rows(["E2", "E1"])
    pop = baseline_scores(s, rows, "popularity")
    assert pop[0, s.cand_pos["U_POP"]] == 2 and pop[1, s.cand_pos["U_BAT"]] == 0
    ppr = baseline_scores(s, rows, "personalised-pagerank")
    assert ppr[0, s.cand_pos["U_POP"]] > 0 and ppr[1].sum() == 0  # E1 is isolated at 2021


@pytest.fixture(scope="module")
def communities():
    """8 communities of 25 firms and 5 universities; 3 hubs everybody knows. New links stay in the community."""
    from kg import KnowledgeGraph

    rng = np.random.default_rng(1)
    g = KnowledgeGraph.open(":memory:")
    firms = [f"E{c}_{i}" for c in range(8) for i in range(25)]
    unis = [f"U{c}_{j}" for c in range(8) for j in range(5)] + ["HUB0", "HUB1", "HUB2"]
    g.upsert_nodes("Enterprise", [{"id": f, "name": f} for f in firms])
    g.upsert_nodes("University", [{"id": u, "name": u} for u in unis])
    links = []
    for f in firms:
        c = f.split("_")[0][1:]
        for j in rng.choice(5, size=3, replace=False):
            links.append({"from_id": f, "to_id": f"U{c}_{j}", "since": int(rng.integers(2014, 2023))})
        if rng.random() < 0.6:
            links.append({"from_id": f, "to_id": f"HUB{rng.integers(3)}", "since": int(rng.integers(2012, 2019))})
    g.upsert_edges("COOPERATES_WITH", links)
    yield g
    g.close()


def test_learned_model_beats_popularity_where_structure_predicts(communities):
    table = evaluate_matching(communities, until=2020, methods=("learned", "popularity"), tail=3, boot=200)
    learned, pop = _row(table, "learned", group="with partners"), _row(table, "popularity", group="with partners")
    assert learned["firms"] > 50
    assert learned["hit@5"] > pop["hit@5"] + 0.2 and learned["hit@5_lo"] > pop["hit@5_hi"]
    assert learned["MRR"] > pop["MRR"]
    assert "learned (HistGradientBoostingClassifier, features up to 2018" in table.attrs["model"]


@pytest.fixture
def countries(graph):
    """Firms and universities of two countries (ISO codes as regions): firms mostly work at home, and the
    most popular university overall (U_FR1) is French; cold-start German firms appear in 2021."""
    g = graph
    unis = [{"id": f"U_{c}{i}", "name": f"U {c}{i}", "region": c} for c in ("DE", "FR") for i in range(1, 4)]
    g.upsert_nodes("University", unis)
    firms, links = [], []
    for y in (2018, 2019, 2020):
        for i in range(120):
            fid = f"F{y}_{i}"
            c = "DE" if i < 50 else "FR"
            firms.append({"id": fid, "name": fid, "region": c})
            home = "U_DE1" if c == "DE" else "U_FR1"
            links.append({"from_id": fid, "to_id": home, "since": y})
    for i in range(6):  # cold-start firms of 2021: German ones go to the German university
        fid = f"N{i}"
        c = "DE" if i < 3 else "FR"
        firms.append({"id": fid, "name": fid, "region": c.lower()})
        links.append({"from_id": fid, "to_id": "U_DE1" if c == "DE" else "U_FR1", "since": 2021})
    g.upsert_nodes("Enterprise", firms)
    g.upsert_edges("COOPERATES_WITH", links)
    return g


def test_area_features_count_the_firms_of_the_firms_own_country(countries):
    s = snapshot(read_history(countries), 2020)
    assert s.firm_area[s.firm_pos["N0"]] == "DE" and s.cand_area[s.cand_pos["U_FR1"]] == "FR"
    rows = s.rows(["N0", "N3"])
    f = pair_features(s, rows, ("same_area", "local_pop", "pop"))
    de, fr = s.cand_pos["U_DE1"], s.cand_pos["U_FR1"]
    assert f["same_area"][0, de] == 1 and f["same_area"][0, fr] == 0 and f["same_area"][1, fr] == 1
    # 150 German firms work with U_DE1 by 2020 (50 a year), 210 French firms with U_FR1; scale: log1p(210)
    assert f["local_pop"][0, de] == pytest.approx(np.log1p(150) / np.log1p(210), rel=1e-5)
    assert f["local_pop"][0, fr] == 0 and f["local_pop"][1, fr] == pytest.approx(1.0)
    assert s.popularity[fr] == 210 and s.popularity[de] == 150


def test_learned_ranker_sends_cold_start_firms_to_their_own_country(countries):
    table = evaluate_matching(countries, until=2020, to=2021, boot=50, tail=1, methods=("learned", "popularity"))
    cold = _row(table, "learned", group="cold start")
    assert cold["firms"] == 6
    # popularity puts the French U_FR1 first for everyone: the German firms find U_DE1 only second
    assert _row(table, "popularity", group="cold start")["hit@5"] == 1.0
    assert cold["MRR"] == 1.0 and _row(table, "popularity", group="cold start")["MRR"] == pytest.approx(0.75)
