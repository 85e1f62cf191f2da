"""The matching back-test on real public data: CNIPA VR co-applications (fast) and Horizon 2020 (slow).

Test firms, cold-start counts and the candidates are computed here with pandas from the files
(``tests/realdata.py``), independently of the product.
"""

from __future__ import annotations

import pytest
from realdata import cnipa_pairs, cnipa_store, h2020_country_store, h2020_pairs, needs_real


def _expected(pairs, until, to):
    known = pairs[pairs["since"] <= until]
    new = pairs[(pairs["since"] > until) & (pairs["since"] <= to)]
    firms = set(new["firm"])
    warm = firms & set(known["firm"])
    return len(firms), len(warm), len(firms - warm)


def _groups(table, method, view="all"):
    sub = table[(table["method"] == method) & (table["view"] == view)].set_index("group")
    return (
        int(sub.loc["all firms", "firms"]),
        int(sub.loc["with partners", "firms"]),
        int(sub.loc["cold start", "firms"]),
    )


@needs_real
def test_cnipa_backtest_counts_every_test_firm_with_intervals(graph):
    cnipa_store(graph)
    from kg.queries.matching.backtest import evaluate_matching

    table = evaluate_matching(
        graph,
        until=2018,
        to=2022,
        tail=50,
        boot=200,
        methods=("learned", "hand weights", "popularity", "random", "resource-allocation"),
    )
    expected = _expected(cnipa_pairs(), 2018, 2022)
    for m in ("learned", "hand weights", "popularity", "random", "resource-allocation"):
        assert _groups(table, m) == expected
    assert table.attrs["candidates"] == graph.count("University") + graph.count("ResearchInstitute")
    assert "features up to 2016, links of 2017-2018" in table.attrs["model"]
    row = table[(table["view"] == "all") & (table["group"] == "all firms")].set_index("method")
    assert (row["hit@10_lo"] <= row["hit@10"]).all() and (row["hit@10"] <= row["hit@10_hi"]).all()


@pytest.mark.slow
@needs_real
def test_h2020_backtest_until_2015_test_2016_2017(graph):
    h2020_country_store(graph)
    from kg.queries.matching.backtest import evaluate_matching

    table = evaluate_matching(graph, until=2015, to=2017, tail=200, boot=200)
    assert _groups(table, "learned") == _expected(h2020_pairs(), 2015, 2017)
    allp = table[(table["view"] == "all") & (table["group"] == "all firms")].set_index("method")
    tail = table[(table["view"] == "tail") & (table["group"] == "all firms")].set_index("method")
    assert allp.loc["learned", "hit@10"] > 10 * allp.loc["random", "hit@10"]
    # the long tail: the learned ranker (with the firms' countries) beats popularity and the best structural
    # baseline with intervals that do not overlap
    structural = [
        "common-neighbours",
        "adamic-adar",
        "resource-allocation",
        "RA-projects-patents",
        "personalised-pagerank",
    ]
    assert tail.loc["learned", "hit@10_lo"] > tail.loc["popularity", "hit@10_hi"]
    assert tail.loc["learned", "hit@10_lo"] > tail.loc[structural, "hit@10_hi"].max()
    # all partners: the firms' countries lift the top 5 above popularity; hit@10 is above every structural
    # baseline, but its interval still overlaps popularity's on this split (see docs/matching.md)
    assert allp.loc["learned", "hit@5_lo"] > allp.loc["popularity", "hit@5_hi"]
    assert allp.loc["learned", "hit@10"] > allp.loc[structural + ["popularity"], "hit@10"].max()
