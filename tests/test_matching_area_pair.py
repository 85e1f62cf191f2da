"""The area-pair feature: a firm known only by its country is sent where firms of its country go."""

from __future__ import annotations

import numpy as np
import pytest

from kg.errors import KGError
from kg.queries.matching.features import pair_features
from kg.queries.matching.snapshot import read_history, snapshot


@pytest.fixture
def cross_border(graph):
    """Austrian firms work with German universities (there is no Austrian one): each year 4 Austrian firms
    start with U_DE1, 6 German firms with U_DE2 and 10 French firms with U_FR1 (2018-2020).  In 2021 a new
    Austrian firm (no partner, project or patent before) starts with U_DE2, which no Austrian firm worked with."""
    g = graph
    g.upsert_nodes(
        "University",
        [
            {"id": "U_DE1", "name": "U DE1", "region": "DE"},
            {"id": "U_DE2", "name": "U DE2", "region": "DE"},
            {"id": "U_FR1", "name": "U FR1", "region": "FR"},
        ],
    )
    firms, links = [], []
    for y in (2018, 2019, 2020):
        for country, n, uni in (("AT", 4, "U_DE1"), ("DE", 6, "U_DE2"), ("FR", 10, "U_FR1")):
            for i in range(n):
                fid = f"{country}{y}_{i}"
                firms.append({"id": fid, "name": fid, "region": country})
                links.append({"from_id": fid, "to_id": uni, "since": y})
    firms.append({"id": "N_AT", "name": "N_AT", "region": "at"})
    links.append({"from_id": "N_AT", "to_id": "U_DE2", "since": 2021})
    g.upsert_nodes("Enterprise", firms)
    g.upsert_edges("COOPERATES_WITH", links)
    return g


def test_area_pair_sends_a_cold_start_firm_to_the_country_its_country_works_with(cross_border):
    s = snapshot(read_history(cross_border), 2020)
    row = s.rows(["N_AT"])
    assert s.firm_degree[row[0]] == 0  # cold start: only the country is known
    f = pair_features(s, row, ("area_pair", "local_pop", "pop"))
    de1, de2, fr = (s.cand_pos[c] for c in ("U_DE1", "U_DE2", "U_FR1"))
    # 12 Austrian cooperations by 2020, all with German universities; areas "", AT, DE, FR get 0.1 each
    p_de, p_fr = (12 + 0.1) / (12 + 0.4), 0.1 / (12 + 0.4)
    # U_DE2 holds 18 of the 30 firm partners of German universities, U_DE1 12, U_FR1 all 30 of France's
    assert f["area_pair"][0, de2] == pytest.approx(np.log1p(p_de * 18 / 30 * 3), rel=1e-5)
    assert f["area_pair"][0, de1] == pytest.approx(np.log1p(p_de * 12 / 30 * 3), rel=1e-5)
    assert f["area_pair"][0, fr] == pytest.approx(np.log1p(p_fr * 30 / 30 * 3), rel=1e-5)
    # only the area pair puts the answer first: popularity prefers the French U_FR1, local popularity U_DE1
    assert int(np.argmax(f["area_pair"][0])) == de2
    assert int(np.argmax(f["pop"][0])) == fr and int(np.argmax(f["local_pop"][0])) == de1


def test_area_pair_reads_nothing_after_until(cross_border):
    before = pair_features(*_at(cross_border, 2020), ("area_pair",))["area_pair"].copy()
    # from 2022 on, Austrian firms turn to France: a feature reading the future would move towards U_FR1
    cross_border.upsert_nodes("Enterprise", [{"id": f"L{i}", "name": f"L{i}", "region": "AT"} for i in range(40)])
    cross_border.upsert_edges(
        "COOPERATES_WITH", [{"from_id": f"L{i}", "to_id": "U_FR1", "since": 2022} for i in range(40)]
    )
    after = pair_features(*_at(cross_border, 2020), ("area_pair",))["area_pair"]
    np.testing.assert_array_equal(before, after)
    later = pair_features(*_at(cross_border, 2022), ("area_pair",))["area_pair"]
    s = snapshot(read_history(cross_border), 2022)
    assert int(np.argmax(later[0])) == s.cand_pos["U_FR1"]


def test_area_pair_is_zero_for_a_firm_without_area(graph):
    graph.upsert_nodes("University", [{"id": "U1", "name": "U1", "region": "DE"}])
    graph.upsert_nodes("Enterprise", [{"id": "E1", "name": "E1"}, {"id": "E2", "name": "E2", "region": "DE"}])
    graph.upsert_edges("COOPERATES_WITH", [{"from_id": "E2", "to_id": "U1", "since": 2019}])
    s = snapshot(read_history(graph), 2020)
    f = pair_features(s, s.rows(["E1", "E2"]), ("area_pair",))["area_pair"]
    assert f[0, 0] == 0 and f[1, 0] > 0


def _at(g, until):
    s = snapshot(read_history(g), until)
    return s, s.rows(["N_AT"])


def test_thin_history_learns_from_firms_left_out_of_the_last_year(cross_border):
    from kg.queries.matching.model import LEAVE_OUT, _leave_firms_out, default_horizon, fit_ranker

    h = read_history(cross_border)
    # 20 links by 2018, 40 by 2019: two years back is thin for 2019 (0 by 2017), not for 2020
    assert default_horizon(h, 2019) == 0 and default_horizon(h, 2020) == 2
    s, labels = _leave_firms_out(h, 2019, LEAVE_OUT, seed=0)
    assert len(labels) == int(20 * LEAVE_OUT) and set(labels["year"]) == {2019}
    # the snapshot is the one of 2019 less those links: nothing of 2020-2021 (N_AT's link) is read
    assert s.A.sum() == 40 - len(labels) and s.firm_degree[s.firm_pos["N_AT"]] == 0
    left = s.rows(labels["firm"].tolist())
    assert (s.firm_degree[left] == 0).all()  # the left-out firms of 2019 are cold start, as new firms will be
    ranker = fit_ranker(h, 2019)
    assert ranker.info["left_out"] == LEAVE_OUT and ranker.info["train_until"] == 2019
    assert "features up to 2019 less the 2019 links of 30% of that year's firms" in ranker.label
    with pytest.raises(KGError, match="--horizon -1: give 0"):
        fit_ranker(h, 2019, horizon=-1)


def test_tail_model_learns_only_links_outside_the_most_popular(cross_border, monkeypatch, tmp_path):
    from kg.queries.matching import model as m
    from kg.queries.matching.features import FEATURES

    h = read_history(cross_border)
    pop = FEATURES.index("pop")
    # features of 2018 (U_FR1 most popular: 10 firms), links of 2019-2020
    _, X_all, y_all, _, _ = m.training_pairs(h, 2020, horizon=2)
    _, X_tail, y_tail, _, _ = m.training_pairs(h, 2020, horizon=2, tail=1)
    assert X_all[y_all, pop].max() == pytest.approx(1.0)  # U_FR1's French firms are among the answers
    assert X_tail[:, pop].max() == pytest.approx(np.log1p(6) / np.log1p(10), rel=1e-5)  # U_FR1 never in the pool
    assert y_tail.sum() == 2 * (4 + 6)  # the Austrian and German firms of 2019-2020
    monkeypatch.setattr(m, "TAIL", 1)
    ranker = m.fit_ranker(h, 2020)
    assert set(ranker.tails) == {1} and ranker.tails[1][0] is ranker.model
    assert "(+ one for the tail beyond 1)" in ranker.label
    assert set(m.LearnedRanker.load(ranker.save(tmp_path / "model.pkl")).tails) == {1}
