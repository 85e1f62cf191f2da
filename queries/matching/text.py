"""Chinese text fit: jieba word segmentation and Okapi BM25, no model downloads.

jieba ships its dictionary inside the package; segmentation runs offline.
Documents are a candidate's achievements, patent titles and experts'
expertise; queries are a firm's demands and products.  Matched terms are
returned as evidence.

Examples
--------
>>> index = BM25Index({"U1": "氢能 燃料电池 制氢技术", "U2": "集成电路 封装测试"})
>>> scores = index.score("燃料电池关键材料")
>>> max(scores, key=scores.get), sorted(index.matched_terms("燃料电池关键材料", "U1"))
('U1', ['燃料电池'])
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from functools import lru_cache

#: words that carry no technical meaning in demands and achievements
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "对",
        "为",
        "是",
        "有",
        "一种",
        "及其",
        "方法",
        "技术",
        "关键",
        "关键技术",
        "应用",
        "研究",
        "开发",
        "研发",
        "系统",
        "装置",
        "产品",
        "企业",
        "公司",
        "问题",
        "方面",
        "开展",
        "实现",
        "提升",
        "提高",
        "进行",
        "通过",
        "形成",
        "具有",
        "相关",
        "领域",
        "生产",
        "工艺",
        "需求",
        "难题",
        "希望",
        "联合",
        "合作",
        "高校",
        "院所",
        "我们",
        "我公司",
        "本",
        "该",
        "其",
        "并",
        "及应用",
        "制备",
        "项目",
        "成果",
        "专家",
        "用于",
        "基于",
        "面向",
    ]
)
_TOKEN = re.compile(r"[\u4e00-\u9fa5]{2,}|[A-Za-z][A-Za-z0-9\-]+")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=200_000)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(_jieba().lcut(text))


def tokenize(text: str | None) -> list[str]:
    """Content words of ``text`` (jieba segmentation, stop words and single characters dropped).

    Examples
    --------
    >>> tokenize("一种稠油开采用油气勘探组合物及其制备方法")[:3]
    ['稠油', '采用', '油气']
    """
    if not text:
        return []
    out = []
    for piece in _TOKEN.findall(str(text)):
        for word in _cut(piece):
            if len(word) >= 2 and word not in STOPWORDS:
                out.append(word.lower())
    return out


class BM25Index:
    """Okapi BM25 over a dict ``{key: text or list of texts}``."""

    def __init__(self, documents: dict, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.terms: dict[str, Counter] = {}
        for key, text in documents.items():
            texts = text if isinstance(text, (list, tuple)) else [text]
            self.terms[key] = Counter(t for x in texts for t in tokenize(x))
        self.length = {k: sum(c.values()) for k, c in self.terms.items()}
        self.avg = (sum(self.length.values()) / len(self.length)) if self.length else 0.0
        df: Counter = Counter()
        for c in self.terms.values():
            df.update(c.keys())
        n = len(self.terms)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, list[str]] = {}
        for key, c in self.terms.items():
            for t in c:
                self.postings.setdefault(t, []).append(key)

    def score(self, query: str | list[str], keys=None) -> dict[str, float]:
        """BM25 score of every document that shares a term with ``query`` (or of ``keys`` only)."""
        q = query if isinstance(query, list) else tokenize(query)
        allowed = set(keys) if keys is not None else None
        out: dict[str, float] = {}
        for t in set(q):
            idf = self.idf.get(t)
            if idf is None:
                continue
            for key in self.postings[t]:
                if allowed is not None and key not in allowed:
                    continue
                tf = self.terms[key][t]
                norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.length[key] / (self.avg or 1)))
                out[key] = out.get(key, 0.0) + idf * norm
        return out

    def matched_terms(self, query: str | list[str], key: str, top: int = 5) -> list[str]:
        """The query terms found in document ``key``, most specific (highest idf) first."""
        q = query if isinstance(query, list) else tokenize(query)
        have = self.terms.get(key, Counter())
        hits = sorted({t for t in q if t in have}, key=lambda t: -self.idf.get(t, 0))
        return hits[:top]
