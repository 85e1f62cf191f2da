"""Candidate pairs: which stored units a name could mean, without comparing every pair.

Three blocks, each a dictionary look-up per name:

- the same *key*, *bare* text (brackets dropped) or *core* (legal form and
  regions dropped);
- a *head*: the candidate's main name is a prefix of the name
  (「北京大学光华管理学院」 starts with 「北京大学」), for units and campuses;
- *rare bigrams*, for names the first two blocks do not place: two-character pieces of the core, weighted by inverse
  document frequency; pieces shared by more than ``max_df`` units are not
  used to block, and only the ``k`` candidates with the highest summed
  weight stay.  (Bigrams, not jieba words, because cutting 100,000 names
  with jieba takes longer than the whole linking budget; jieba words are
  used where pairs are compared, :func:`tokens`, with a rarity taken from
  the bigram frequencies, :meth:`UnitIndex.weight`.)

Examples
--------
>>> units = pd.DataFrame({"uid": ["u1", "u2", "u3"], "name": ["清华大学", "北京大学", "复旦大学"]})
>>> index = UnitIndex(units)
>>> sorted(index.candidates("北京大学光华管理学院"))
['u2']
>>> sorted(index.candidates("清华大学"))
['u1']
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import Counter, defaultdict
from operator import itemgetter

import pandas as pd

from kg.loaders.linking.names import parse, strip_form

#: words too common among organisation names to say anything about identity
STOP = frozenset(
    {
        "有限公司",
        "公司",
        "股份",
        "有限",
        "科技",
        "技术",
        "大学",
        "学院",
        "研究院",
        "研究所",
        "中心",
        "集团",
        "中国",
        "发展",
        "信息",
        "工程",
        "电子",
        "网络",
        "实业",
        "国际",
        "控股",
        "(",
        ")",
        "省",
        "市",
    }
)


@functools.lru_cache(maxsize=200_000)
def tokens(text: str) -> tuple[str, ...]:
    """jieba words of a name without its legal form, stop words dropped.

    Search mode, so 「光华管理学院」 also yields 「光华」; without jieba's HMM
    (fast), runs of characters outside its dictionary (a brand such as
    小鸟看看) are kept as one token.

    Examples
    --------
    >>> "光华" in tokens("北京大学光华管理学院")
    True
    """
    import jieba

    jieba.setLogLevel(60)
    parts = parse(text)
    text = strip_form(parts.bare)[0]
    words, run = set(), ""
    for w in jieba.cut_for_search(text, HMM=False):  # dictionary words; runs of single characters kept together
        if len(w) == 1:
            run += w
            continue
        if len(run) >= 2:
            words.add(run)
        run = ""
        words.add(w)
    if len(run) >= 2:
        words.add(run)
    return tuple(sorted(w for w in words if w not in STOP))


def bigrams(text: str) -> set[str]:
    """Two-character pieces of a text, without those made only of stop characters.

    Examples
    --------
    >>> sorted(bigrams("小鸟看看"))
    ['小鸟', '看看', '鸟看']
    """
    return {text[i : i + 2] for i in range(len(text) - 1)} - STOP


class UnitIndex:
    """Look-up tables over units (a frame with ``uid`` and ``name``; extra names in ``aliases`` lists).

    Parameters
    ----------
    units
        One row per unit; ``aliases`` (optional) holds lists of other names.
    max_df
        A token shared by more units than this does not block.
    """

    def __init__(self, units: pd.DataFrame, *, max_df: int = 200) -> None:
        self.exact: dict[str, set[str]] = defaultdict(set)
        self.heads: dict[str, set[str]] = defaultdict(set)
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, list[str]] = defaultdict(list)
        self._weights: dict[str, float] = {}
        aliases = units["aliases"].tolist() if "aliases" in units else [None] * len(units)
        for uid, name, extra in zip(units["uid"].tolist(), units["name"].tolist(), aliases):
            for text in [name, *(extra if isinstance(extra, (list, tuple)) else [])]:
                if isinstance(text, str) and text.strip():
                    self._add(uid, text)
        df = Counter({t: len(ids) for t, ids in self.postings.items()})
        n = max(len(units), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.max_df = max_df

    def _add(self, uid: str, text: str) -> None:
        p = parse(text)
        self.names[uid].append(text)
        exact, heads, postings = self.exact, self.heads, self.postings
        for k in (p.key, p.bare, p.main, "core:" + p.core, *p.alternatives, *p.former):
            exact[k].add(uid)
        if len(p.main) >= 3:
            heads[p.main].add(uid)
        if p.bare != p.main and len(p.bare) >= 3:
            heads[p.bare].add(uid)
        for t in bigrams(p.core):
            postings[t].add(uid)

    def weight(self, token: str) -> float:
        """Rarity of a word among the units: the inverse document frequency of its rarest bigram.

        A word none of whose bigrams occurs weighs most; stop words weigh 0.
        """
        found = self._weights.get(token)
        if found is None:
            top = math.log(1 + len(self.names) + 1)
            found = 0.0 if token in STOP else max((self.idf.get(b, top) for b in bigrams(token)), default=top)
            self._weights[token] = found
        return found

    def candidates(self, name: str, *, k: int = 5) -> set[str]:
        """Units ``name`` could be, be part of, or belong to (a superset; the rules decide)."""
        p = parse(name)
        found: set[str] = set()
        for key in {p.key, p.bare, p.main, "core:" + p.core, *p.alternatives, *p.former}:
            found |= self.exact.get(key, set())
        for text in {p.main, p.bare}:
            for end in range(len(text) - 1, 2, -1):
                hit = self.heads.get(text[:end])
                if hit:
                    found |= hit
        if found:  # named by a key or a head already: rare pieces would only add noise
            return found
        scores: dict[str, float] = {}
        for t in bigrams(p.core):
            ids = self.postings.get(t)
            if ids and len(ids) <= self.max_df:
                w = self.weight(t)
                for uid in ids:
                    scores[uid] = scores.get(uid, 0.0) + w
        found |= {uid for uid, _ in heapq.nlargest(k, scores.items(), key=itemgetter(1))}  # the k best scores
        return found
