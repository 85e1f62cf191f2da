"""Extract numeric targets and status counts from policy documents.

Plans and speeches state targets as 「高新技术企业达到20家」, 「专利申请3500件，…其中发明专利申请1100件」,
「研发经费占GDP比重确保1.9%，力争达到2.0%以上」 and report status as 「已建成省级工程技术研究中心88家」.
:func:`read_policy` reads a document (.txt in any common encoding, or .docx; traditional
characters are converted with OpenCC while offsets keep pointing into the original) and returns
a :class:`PolicyExtraction` whose targets carry the indicator phrase, the normalised indicator
(a key of ``queries/indicators.yaml``, whose ``phrases`` decide it), value, stretch value (力争),
comparison, unit, kind (target / status / growth), year, the parent of a 其中 sub-target, and the
exact source sentence with its character offsets.

Examples
--------
>>> x = read_policy("全年专利申请3500件，其中发明专利申请1100件。高新技术企业确保达到20家，力争25家。")
>>> [(t.indicator_key, t.value, t.stretch_value, t.unit, t.parent) for t in x.targets]
[('patent_applications', 3500.0, None, '件', None), ('invention_patent_applications', 1100.0, None, '件', 0), ('high_tech_enterprises', 20.0, 25.0, '家', None)]
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kg.loaders.policy_text import SimplifiedText, chinese_number, read_text

_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
UNITS = ("万平方米", "平方米", "个百分点", "亿元", "万元", "亿", "人次", "家", "件", "项", "个", "人", "名", "所", "%", "次", "场")
_QUANTITY = re.compile(
    rf"(?P<num>{_NUM})(?:\s*(?:-|—|–|~|～|至|到)\s*(?P<num2>{_NUM}))?\s*(?P<unit>{'|'.join(map(re.escape, UNITS))})"
)
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_CLAUSE = re.compile(r"[^，,；;：:]+")
TARGET_CUES = re.compile(r"达到|确保|力争|不少于|不低于|以上|新增|培植|培育|申报|建设|引进|实施|组织|征集|争取|年内|全年|"
                         r"到\d{4}年|目标|提高|增长|增速|突破|完成|认定|开展|打造|实现|建成|争创|控制在|不超过|以下")
STATUS_CUES = re.compile(r"截至|已建成|已有|现有|累计建成|已经|还发展|还建成|目前已|先后|共有")
FUTURE_CUES = re.compile(r"力争|确保|达到|新增|年内|全年|到\d{4}年|计划|目标|培植|不少于|争取")
_NOT_INDICATOR = re.compile(r"任务|方面|措施|意见|征求|会议|届|条|年|月|倍|位|批|类|步|环节|阶段")
_COMPARISONS = (("at_least", re.compile(r"不少于|不低于|不能低于|不得低于|不能少于")),
                ("at_most", re.compile(r"以下|不超过|不高于|控制在|低于")), ("about", re.compile(r"左右|约")),
                ("at_least", re.compile(r"不少于|不低于|以上|达到|确保|超过|力争|突破")))
_GROWTH = re.compile(r"增速|增长|增幅|提高|提升|递增|下降")
_LEAD = re.compile(r"^[\s\d.、（()）一二三四五六七八九十]*(?:[、.．]|\)|）)")
_FILLER = re.compile(r"^(年内|全年|全县|全市|全区|我市|我县|我区|力争|确保|累计|新增|新建|共|再|还|并|和|及|与|其中|"
                     r"达到|达|为|到|建设|建成|建立|培植|培育|申报|认定|引进|实施|组织|开展|发展|争取|打造)+")


@dataclass
class Target:
    """One numeric target or status count found in a document."""

    indicator: str
    indicator_key: str | None
    value: float
    unit: str
    comparison: str = "at_least"
    stretch_value: float | None = None
    kind: str = "target"
    year: int | None = None
    sentence: str = ""
    start_offset: int = 0
    end_offset: int = 0
    parent: int | None = None
    quote: str = ""


@dataclass
class PolicyExtraction:
    """A document's title, year, region and targets."""

    title: str
    year: int | None
    targets: list[Target] = field(default_factory=list)
    region: str | None = None
    source: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The targets as a DataFrame (one row per target, the columns of :class:`Target`)."""
        cols = list(Target.__dataclass_fields__)
        return pd.DataFrame([asdict(t) for t in self.targets], columns=cols)

    @property
    def id(self) -> str:
        return "DOC-" + hashlib.sha1(f"{self.title}\x1f{self.source}".encode("utf-8")).hexdigest()[:12].upper()


@lru_cache(maxsize=1)
def indicator_lexicon() -> list[tuple[str, re.Pattern, tuple[str, ...]]]:
    """``(key, phrase pattern, units)`` from ``queries/indicators.yaml``, most specific pattern first."""
    from kg.queries.targets import indicator_table

    out = []
    for key, entry in indicator_table().items():
        units = tuple(entry.get("units") or ("家", "个", "项", "件", "所"))
        for pattern in entry.get("phrases", []):
            out.append((key, re.compile(pattern), units))
    return sorted(out, key=lambda e: -len(e[1].pattern.replace(".*", "").replace("?", "")))


def normalise_indicator(phrase: str, unit: str) -> str | None:
    """The indicator key a phrase and unit stand for, or ``None``.

    Examples
    --------
    >>> normalise_indicator("省级企业工程技术研究中心", "家"), normalise_indicator("高新技术产业产值", "亿元")
    ('provincial_engineering_research_centres', 'output_value')
    """
    unit = "平方米" if unit == "万平方米" else unit
    for key, pattern, units in indicator_lexicon():
        if unit in units and pattern.search(phrase):
            return key
    return None


def read_policy(source, *, title: str | None = None, region: str | None = None, year: int | None = None) -> PolicyExtraction:
    """Read a policy document (path to .txt/.docx, or the text itself) and extract its targets."""
    is_path = isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and len(source) < 260
                                            and Path(source).suffix.lower() in {".txt", ".docx", ".md"})
    text = read_text(source) if is_path else str(source)
    simple = SimplifiedText(text)
    first_line = next((line.strip() for line in simple.text.splitlines() if line.strip()), "")
    doc_title = title or (first_line[:80] if is_path else first_line[:40])
    doc_year = year or _document_year(simple.text)
    targets = extract_targets(text, default_year=doc_year, simple=simple)
    return PolicyExtraction(doc_title, doc_year, targets, region, str(source) if is_path else "<text>")


def _document_year(text: str) -> int | None:
    head = text[:400]
    years = [int(y) for y in re.findall(r"(20\d{2})\s*年", head)] or [int(y) for y in re.findall(r"(20\d{2})\s*年", text)]
    return years[0] if years else None


def extract_targets(text: str, *, default_year: int | None = None, simple: SimplifiedText | None = None) -> list[Target]:
    """Every target and status count in ``text`` (see the module docstring)."""
    simple = simple or SimplifiedText(text)
    plain = simple.text
    targets: list[Target] = []
    for line_match in re.finditer(r"[^\n]+", plain):
        status_context = False
        for sent in _SENTENCE.finditer(line_match.group()):
            s0 = line_match.start() + sent.start()
            sentence = sent.group()
            future = bool(FUTURE_CUES.search(sentence))
            is_status = (bool(STATUS_CUES.search(sentence)) or status_context) and not future
            has_cue = bool(TARGET_CUES.search(sentence))
            status_context = is_status
            if not (has_cue or is_status):
                continue
            year = _sentence_year(sentence) or default_year
            original = simple.original[simple.start(s0):simple.end(s0 + len(sentence))].strip()
            first_in_sentence = len(targets)
            parent: int | None = None
            for clause in _CLAUSE.finditer(sentence):
                c_text, c0 = clause.group(), clause.start()
                if "其中" in c_text and len(targets) > first_in_sentence:
                    parent = first_in_sentence if parent is None else parent
                prev_end = 0
                for q in _QUANTITY.finditer(c_text):
                    if q.start() < prev_end:
                        continue
                    before = c_text[prev_end:q.start()]
                    after = c_text[q.end():q.end() + 4]
                    prev_end = q.end()
                    if _is_not_quantity(c_text, q, before, after):
                        continue
                    try:
                        value = chinese_number(q.group("num"))
                        upper = chinese_number(q.group("num2")) if q.group("num2") else None
                    except ValueError:
                        continue
                    unit = q.group("unit")
                    phrase = _phrase(before)
                    if len(phrase) < 2 and unit not in ("%", "个百分点"):
                        following = _FOLLOWING.match(c_text[q.end():])
                        if following and len(following.group()) >= 2:
                            phrase = following.group()
                            prev_end = q.end() + following.end()
                        elif "其中" in before:
                            phrase = _phrase(before, strip_verbs=False)
                    stretch_of = _stretch_target(targets, first_in_sentence, phrase, before, unit)
                    if stretch_of is not None:
                        stretch_of.stretch_value = _scaled(value, unit)
                        continue
                    kind = "status" if is_status else "growth" if (unit in ("%", "个百分点") and _GROWTH.search(before)) or unit == "个百分点" else "target"
                    if len(phrase) < 2 and kind != "growth":
                        continue
                    key = None
                    if kind != "growth":
                        key = normalise_indicator(phrase, unit) or normalise_indicator(c_text[q.end():], unit)
                    comparison = next((name for name, rx in _COMPARISONS if rx.search(before + after)), "at_least")
                    start = simple.start(s0 + c0 + q.start() - len(before))
                    end = simple.end(s0 + c0 + q.end())
                    targets.append(Target(
                        indicator=phrase or _phrase(sentence[:c0 + q.start()])[-12:], indicator_key=key,
                        value=_scaled(value, unit), unit="平方米" if unit == "万平方米" else unit,
                        comparison=comparison, stretch_value=_scaled(upper, unit) if upper is not None else None,
                        kind=kind, year=year, sentence=original, start_offset=start, end_offset=end,
                        parent=parent if parent is not None and "其中" in c_text[:q.start()] else None,
                        quote=simple.original[start:end].strip("，,、 "),
                    ))
    return targets


def _is_not_quantity(clause: str, q: re.Match, before: str, after: str) -> bool:
    """Numbers that are not counts: ranks (第1位), ordinals, years, list markers, 「两院」 and the like."""
    num = q.group("num")
    if before.endswith(("第", "前", "后")) or re.match(r"^\s*(位|名次)", after):
        return True
    if num == "一" or (not num[0].isdigit() and before.endswith(("“", '"', "「", "‘"))):
        return True  # 「一个」「一次」 are articles; 「百家企业高校行」 is a name
    if q.group("unit") == "名" and re.match(r"^[^\d]*位", after):
        return True
    if re.fullmatch(r"\d{4}", num) and q.group("unit") in ("年",):
        return True
    tail = before[-6:]
    if _NOT_INDICATOR.search(clause[q.end():q.end() + 2]):
        return True
    if q.group("unit") in ("个", "项", "家") and re.match(r"^(方面|重点|大|一批|环节)", after):
        return True
    return bool(re.search(r"[a-zA-Z]$", tail)) and not num[0].isdigit()


_FOLLOWING = re.compile(r"[\u4e00-\u9fa5A-Za-z()（）]{2,16}?(?=[、和及与，,。；;]|$)")


def _phrase(before: str, strip_verbs: bool = True) -> str:
    """The indicator phrase: what precedes the number, without list markers, cue verbs and comparisons."""
    text = _LEAD.sub("", before.strip())
    text = re.sub(r"[\"“”「」《》]", "", text)
    text = re.split(r"其中", text)[-1]
    text = re.sub(r"(达到|确保|力争|不少于|不低于|超过|突破|控制在|左右|为|达|约|共|以上)+$", "", text).strip()
    if strip_verbs:
        text = _FILLER.sub("", text)
    text = re.sub(r"[和及与、\s]+$", "", text).strip("、 ")
    return text[-24:]


def _stretch_target(targets: list[Target], first: int, phrase: str, before: str, unit: str) -> Target | None:
    """The target a 「力争 …」 clause without its own indicator raises (same sentence, same unit)."""
    if "力争" not in before or len(targets) <= first:
        return None
    prev = targets[-1]
    if prev.unit != ("平方米" if unit == "万平方米" else unit) or prev.stretch_value is not None:
        return None
    own = normalise_indicator(phrase, unit) if phrase else None
    if phrase and own is not None and own != prev.indicator_key:
        return None
    if phrase and own is None and len(phrase) > 4:
        return None
    return prev


def _scaled(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return value * 10_000 if unit == "万平方米" else value


def _sentence_year(sentence: str) -> int | None:
    m = re.search(r"(?:到|至|在|于)?(20\d{2})\s*年(?:底|末)?", sentence)
    return int(m.group(1)) if m else None


def store_policy(graph, extraction: PolicyExtraction) -> dict[str, int]:
    """Write the document (PolicyDocument), its targets (Target) and SETS edges; idempotent.

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> store_policy(g, read_policy("2025年高新技术企业达到20家。")) == store_policy(g, read_policy("2025年高新技术企业达到20家。"))
    True
    >>> g.count("Target")
    1
    """
    doc_id = extraction.id
    graph.upsert_nodes("PolicyDocument", [{"id": doc_id, "name": extraction.title, "year": extraction.year,
                                           "region": extraction.region, "source": extraction.source}])
    rows, edges = [], []
    for i, t in enumerate(extraction.targets):
        tid = f"{doc_id}-T{i + 1:03d}"
        rows.append({"id": tid, "name": t.indicator, "indicator_key": t.indicator_key, "value": t.value,
                     "stretch_value": t.stretch_value, "comparison": t.comparison, "unit": t.unit, "year": t.year,
                     "target_kind": t.kind, "region": extraction.region, "sentence": t.sentence,
                     "start_offset": t.start_offset, "end_offset": t.end_offset, "source": extraction.source})
        edges.append({"from_id": doc_id, "to_id": tid})
    with graph.transaction():
        if rows:
            graph.upsert_nodes("Target", rows)
            graph.upsert_edges("SETS", edges)
    return {"PolicyDocument": 1, "Target": len(rows), "SETS": len(edges)}
