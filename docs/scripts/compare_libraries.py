"""Side-by-side timing of the hand-written BM25 and Chinese-numeral code against maintained libraries.

Run from the repository root after ``pip install bm25s rank-bm25 cn2an`` (not dependencies of the project):

    .venv/bin/python docs/scripts/compare_libraries.py

BM25: the documents and queries are the demo ecosystem's candidate texts (achievements, expertise, patent
titles) and its firms' demand texts, tokenised once by ``kg.queries.matching.text.tokenize`` for every
implementation, so only the indexing and scoring are timed.  Numerals: every numeral the policy extractor
reads in the policy seeds (``/work/shared/seeds``) plus a fixed list, parsed many times.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bm25_corpus():
    from kg import KnowledgeGraph
    from kg.demo import build_demo
    from kg.queries.matching.index import matching_index
    from kg.queries.matching.text import tokenize

    g = KnowledgeGraph.open(":memory:")
    build_demo(g, seed=7, scale=1.0)
    idx = matching_index(g).text
    docs = {k: [t for t, n in c.items() for _ in range(n)] for k, c in idx.terms.items()}
    texts = g.query("MATCH (d:TechDemand) RETURN d.name AS name, d.description AS description")
    queries = [tokenize(f"{a or ''} {b or ''}") for a, b in texts.itertuples(index=False)]
    g.close()
    return docs, [q for q in queries if q]


def compare_bm25() -> None:
    import bm25s
    import rank_bm25

    from kg.queries.matching.text import BM25Index

    docs, queries = bm25_corpus()
    keys = list(docs)
    corpus = [docs[k] for k in keys]
    print(f"BM25: {len(keys):,} documents, {sum(map(len, corpus)):,} tokens, {len(queries):,} queries")

    hand = BM25Index.__new__(BM25Index)

    def build_hand():
        # the same statistics BM25Index.__init__ computes, from the tokens (no re-tokenising)
        from collections import Counter
        import math

        hand.k1, hand.b = 1.5, 0.75
        hand.terms = {k: Counter(docs[k]) for k in keys}
        hand.length = {k: sum(c.values()) for k, c in hand.terms.items()}
        hand.avg = sum(hand.length.values()) / len(hand.length)
        df: Counter = Counter()
        for c in hand.terms.values():
            df.update(c.keys())
        n = len(hand.terms)
        hand.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        hand.postings = {}
        for key, c in hand.terms.items():
            for t in c:
                hand.postings.setdefault(t, []).append(key)

    lib = bm25s.BM25(k1=1.5, b=0.75, method="lucene")

    def build_bm25s():
        lib.index(corpus, show_progress=False)

    okapi = {}

    def build_rank():
        okapi["x"] = rank_bm25.BM25Okapi(corpus, k1=1.5, b=0.75)

    t_hand, t_bm25s, t_rank = best(build_hand), best(build_bm25s), best(build_rank, 2)
    print(f"  index:  hand {t_hand * 1000:8.1f} ms   bm25s {t_bm25s * 1000:8.1f} ms   rank_bm25 {t_rank * 1000:8.1f} ms")

    q_ids = [[t for t in set(q) if t in lib.vocab_dict] for q in queries]

    def score_hand():
        return [hand.score(q) for q in queries]

    def score_bm25s():
        out = []
        for q in q_ids:
            s = lib.get_scores(q) if q else np.zeros(len(keys))
            nz = np.flatnonzero(s)
            # Lucene's BM25 leaves out the constant (k1 + 1) factor of the term weight: the same ranking
            out.append(dict(zip([keys[i] for i in nz], (s[nz] * 2.5).tolist())))
        return out

    def score_rank():
        return [okapi["x"].get_scores(list(set(q))) for q in queries]

    s_hand, s_bm25s, s_rank = best(score_hand, 3), best(score_bm25s, 3), best(score_rank, 1)
    per = 1000 / len(queries)
    print(
        f"  scoring {len(queries)} queries: hand {s_hand * 1000:8.1f} ms ({s_hand * per:.3f} ms/query)   "
        f"bm25s {s_bm25s * 1000:8.1f} ms ({s_bm25s * per:.3f})   rank_bm25 {s_rank * 1000:8.1f} ms ({s_rank * per:.3f})"
    )
    a, b = score_hand(), score_bm25s()
    diff = max((abs(x[k] - y.get(k, 0.0)) / x[k] for x, y in zip(a, b) for k in x if x[k]), default=0.0)
    same = all(set(x) == set(y) for x, y in zip(a, b))
    print(f"  hand vs bm25s: same matched documents {same}, largest relative score difference {diff:.1e} (float32 in bm25s)")


NUMERAL = re.compile(r"[〇零一二两三四五六七八九十百千万亿]+|\d+(?:\.\d+)?")


def compare_numerals() -> None:
    import cn2an

    from kg.loaders.policy_text import chinese_number

    seeds = Path("/work/shared/seeds")
    found = []
    for path in sorted(seeds.glob("*.txt")):
        found += NUMERAL.findall(path.read_text(encoding="utf-8", errors="ignore"))
    fixed = ["一百二十", "十五", "两", "3.5", "1200", "三千五百", "二十万", "一万二千", "五亿", "三百六十五"]
    items = [x for x in found + fixed if x not in ("亿", "万", "千", "百", "十")]
    ok = []
    for x in items:
        try:
            ok.append((x, chinese_number(x)))
        except ValueError:
            pass
    words = [x for x, _ in ok]
    agree = 0
    for x, v in ok:
        try:
            agree += float(cn2an.cn2an(x, "smart")) == v
        except (ValueError, KeyError):
            pass
    loops = max(1, 200_000 // max(len(words), 1))

    def hand():
        for _ in range(loops):
            for x in words:
                chinese_number(x)

    def lib():
        for _ in range(loops):
            for x in words:
                try:
                    cn2an.cn2an(x, "smart")
                except (ValueError, KeyError):
                    pass

    n = loops * len(words)
    t_hand, t_lib = best(hand, 3), best(lib, 1)
    print(f"numerals: {len(words):,} numerals from the seeds and a fixed list, {n:,} parses")
    print(f"  hand {t_hand / n * 1e6:.2f} us/parse   cn2an {t_lib / n * 1e6:.2f} us/parse   (x{t_lib / t_hand:.0f})")
    print(f"  cn2an gives the same value for {agree}/{len(ok)}")


if __name__ == "__main__":
    compare_bm25()
    compare_numerals()
