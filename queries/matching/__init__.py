"""产学研 matching: partners for a firm, answers to a demand, adopters of an achievement, experts, gaps, back-test.

Graph work runs as named Cypher queries (``queries/cypher/match_*``, ``gap_*``)
on either engine; text scoring (jieba + BM25) and the weighting
(``weights.yaml``) happen in Python.  The back-test, the baselines and the
learned ranker work on dated snapshots of the firm-academia graph as sparse
matrices (``snapshot``, ``features``, ``baselines``, ``model``, ``backtest``).
"""

from kg.queries.matching.backtest import evaluate_matching
from kg.queries.matching.batch import match_region_firms
from kg.queries.matching.demand import match_adopters, match_demand, match_experts
from kg.queries.matching.gaps import GAPS, find_gaps, split_gaps
from kg.queries.matching.index import load_weights, matching_index
from kg.queries.matching.model import LearnedRanker, train_ranker
from kg.queries.matching.partners import match_partners

__all__ = [
    "match_partners",
    "match_demand",
    "match_adopters",
    "match_experts",
    "match_region_firms",
    "find_gaps",
    "split_gaps",
    "GAPS",
    "evaluate_matching",
    "load_weights",
    "matching_index",
    "train_ranker",
    "LearnedRanker",
]
