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
from pathlib import Path

import pandas as pd

from kg.loaders.indicators import growth_indicator, indicator_lexicon, names_other_unit, normalise_indicator
from kg.loaders.policy_text import SimplifiedText, chinese_number, document_title, document_year, period_of, read_text

_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
UNITS = (
    "万平方米",
    "平方米",
    "个百分点",
    "亿元",
    "万元",
    "亿",
    "人次",
    "家",
    "件",
    "项",
    "个",
    "人",
    "名",
    "所",
    "%",
    "次",
    "场",
    "万吨",
    "吨",
)
_QUANTITY = re.compile(
    rf"(?P<num>{_NUM})(?:\s*(?:-|—|–|~|～|至|到)\s*(?P<num2>{_NUM}))?\s*(?P<unit>{'|'.join(map(re.escape, UNITS))})"
)
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_CLAUSE = re.compile(r"[^，,；;：:]+")
TARGET_CUES = re.compile(
    r"达到|确保|力争|不少于|不低于|以上|新增|培植|培育|培养|申报|建设|引进|实施|组织|征集|争取|年内|全年|"
    r"到\d{4}年|目标|提高|增长|增速|突破|完成|认定|开展|打造|实现|建成|争创|控制在|不超过|以下"
)
STATUS_CUES = re.compile(r"截至|已建成|已有|现有|累计建成|已经|还发展|还建成|目前已|先后|共有|近[两二三四五几]年")
_NOW = re.compile(r"目前|现有|已建成|已有")
FUTURE_CUES = re.compile(r"力争|确保|达到|新增|年内|全年|到\d{4}年|计划|目标|培植|不少于|争取")
_NOT_INDICATOR = re.compile(r"任务|方面|措施|意见|征求|会议|届|条|年|月|倍|位|批|类|步|环节|阶段")
_COMPARISONS = (
    ("at_least", re.compile(r"不少于|不低于|不能低于|不得低于|不能少于")),
    ("at_most", re.compile(r"以下|不超过|不高于|控制在|低于")),
    ("about", re.compile(r"左右|约")),
    ("at_least", re.compile(r"不少于|不低于|以上|达到|确保|超过|力争|突破")),
)
_GROWTH = re.compile(r"增速|增长|增幅|提高|提升|递增|下降")
_LEAD = re.compile(r"^[\s\d.、（()）一二三四五六七八九十]*(?:[、.．]|\)|）)")
_FILLER = re.compile(
    r"^(推动|推进|促成|扶持|支持|已经|已|现有|目前|年内|全年|全县|全市|全区|我市|我县|我区|力争|确保|累计|新增|新建|共|再|还|并|和|及|与|其中|"
    r"达到|达|为|到|建设|建成|建立|培植|培育|申报|认定|引进|实施|组织|开展|发展|争取|打造|做实|创建|创立)+"
)
_NEW = re.compile(r"新增|新建|新认定|新培育|新引进|引进")
_APPLIED = re.compile(r"申报")
#: a per-capita denominator (「每万人发明专利拥有量」): the quantity after it is a ratio, 「万人」 itself is no count
_PER_CAPITA = re.compile(r"每(?:十万|万|千|百)人")
_ONLY_MAGNITUDE = re.compile(r"^[十百千万亿]+$")
#: a threshold about a counted group (「有6个县(区)财政收入超过10亿元」), not a quantity of its own
_THRESHOLD = re.compile(r"(超过?|接近|突破|达到?)\s*$")
_THRESHOLD_AHEAD = re.compile(r"(超过?|接近|突破)\s*\d")
_GROUP = re.compile(r"(有|没有)\s*(\d+|[一二三四五六七八九十几]+)\s*个|都|每个|其他|其余")


@dataclass
class Target:
    """One numeric target or status count found in a document.

    ``value`` / ``stretch_value`` are in ``unit`` (万平方米 is turned into 平方米); ``kind`` is a key of the
    schema's TargetKind (target, flow, status, growth) and ``comparison`` of Comparison (at_least, exactly, about,
    at_most); ``start_offset`` / ``end_offset`` point into the ORIGINAL text (before any conversion);
    ``parent`` is the index (in the same list) of the target a 「其中 …」 sub-target belongs to; ``new`` says
    the target counts additions (新增, 新建, 新认定, 引进 …: ``kind`` is then ``flow``), which picks the
    indicator's ``new`` variant where it has one; ``applied`` says it counts applications (申报), of which
    the graph holds only the approved or won ones.
    """

    indicator: str
    indicator_key: str | None
    value: float
    unit: str
    comparison: str = "at_least"
    stretch_value: float | None = None
    kind: str = "target"
    year: int | None = None
    period: str | None = None
    sentence: str = ""
    start_offset: int = 0
    end_offset: int = 0
    parent: int | None = None
    new: bool = False
    quote: str = ""
    applied: bool = False


@dataclass
class PolicyExtraction:
    """A document's title, year, period, region and targets."""

    title: str
    year: int | None
    targets: list[Target] = field(default_factory=list)
    region: str | None = None
    source: str = ""
    period: str | None = None
    text: str = field(default="", repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The targets as a DataFrame (one row per target, the columns of :class:`Target`)."""
        cols = list(Target.__dataclass_fields__)
        frame = pd.DataFrame([asdict(t) for t in self.targets], columns=cols)
        frame["parent"] = pd.Series([t.parent for t in self.targets], index=frame.index, dtype=object)
        return frame

    @property
    def id(self) -> str:
        """A stable id: the same text gives the same id whatever the path it was read from."""
        basis = self.text or f"{self.title}\x1f{self.source}"
        return "DOC-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12].upper()


def read_policy(
    source, *, title: str | None = None, region: str | None = None, year: int | None = None
) -> PolicyExtraction:
    """Read a policy document (path to .txt/.docx, or the text itself) and extract its targets.

    Examples
    --------
    >>> x = read_policy("盘锦市2025年科技工作要点\\n全年高新技术企业达到200家。", region="盘锦市")
    >>> x.title, x.year, x.region, [(t.indicator_key, t.value, t.year) for t in x.targets]
    ('盘锦市2025年科技工作要点', 2025, '盘锦市', [('high_tech_enterprises', 200.0, 2025)])
    """
    is_path = isinstance(source, Path) or (
        isinstance(source, str)
        and "\n" not in source
        and len(source) < 260
        and Path(source).suffix.lower() in {".txt", ".docx", ".md"}
    )
    text = read_text(source) if is_path else str(source)
    simple = SimplifiedText(text)
    doc_title = title or document_title(simple.text, fallback=Path(source).stem if is_path else "")
    doc_year = year or document_year(doc_title, simple.text)
    period = period_of(doc_title) or period_of(simple.text[:600])
    targets = extract_targets(text, default_year=doc_year, simple=simple, default_period=period)
    return PolicyExtraction(doc_title, doc_year, targets, region, str(source) if is_path else "<text>", period, text)


def extract_targets(
    text: str,
    *,
    default_year: int | None = None,
    simple: SimplifiedText | None = None,
    default_period: str | None = None,
) -> list[Target]:
    """Every target and status count in ``text`` (see the module docstring).

    Examples
    --------
    >>> [(t.indicator, t.value, t.stretch_value, t.kind) for t in extract_targets("年内打造1-2家创新型领军企业。截至目前，已建成孵化器4家。")]
    [('创新型领军企业', 1.0, 2.0, 'target'), ('孵化器', 4.0, None, 'status')]
    """
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
            status_context = is_status
            if not (TARGET_CUES.search(sentence) or is_status or _names_indicator(sentence)):
                continue
            year = _sentence_year(sentence) or default_year
            period = period_of(sentence) or default_period
            original = simple.original[simple.start(s0) : simple.end(s0 + len(sentence))].strip()
            first_in_sentence = len(targets)
            parent: int | None = None
            # status statements (现有, 已建成, 目前 ...) are decided clause by clause: 「现有孵化器3家，力争新增2家」
            clause_status = is_status
            for clause in _CLAUSE.finditer(sentence):
                c_text, c0 = clause.group(), clause.start()
                if FUTURE_CUES.search(c_text) or _NEW.search(c_text):
                    clause_status = False
                elif STATUS_CUES.search(c_text) or _NOW.search(c_text):
                    clause_status = True
                if "其中" in c_text and len(targets) > first_in_sentence:
                    parent = first_in_sentence if parent is None else parent
                prev_end = 0
                for q in _QUANTITY.finditer(c_text):
                    if q.start() < prev_end:
                        continue
                    before = c_text[prev_end : q.start()]
                    after = c_text[q.end() : q.end() + 4]
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
                        following, used = _following_phrase(c_text[q.end() :])
                        if _THRESHOLD_AHEAD.search(c_text[q.end() :]):
                            continue  # 「有6个县(区)财政收入超过10亿元」: a count of places passing a threshold
                        if len(following) >= 2:
                            phrase = following
                            prev_end = q.end() + used
                        elif "其中" in before:
                            phrase = _phrase(before, strip_verbs=False)
                    stretch_of = _stretch_target(targets, first_in_sentence, phrase, before, unit)
                    if stretch_of is not None:
                        stretch_of.stretch_value = _scaled(value, unit)
                        continue
                    new = bool(_NEW.search(c_text[: q.start()]))
                    if clause_status:
                        kind = "status"
                    elif unit == "个百分点" or (unit == "%" and _GROWTH.search(before)):
                        kind = "growth"
                    else:
                        kind = "flow" if new else "target"
                    per_capita = _PER_CAPITA.search(c_text[: q.start()])
                    if per_capita and not _PER_CAPITA.search(phrase):
                        phrase = per_capita.group() + phrase
                    if len(phrase) < 2 and unit in ("%", "个百分点") and not targets[first_in_sentence:]:
                        phrase = _subject(sentence[:c0])  # 「科技进步贡献率每年以…递增，…，到达65%以上」
                    if len(phrase) < 2 and kind != "growth":
                        continue
                    if len(phrase) <= 3 and parent is not None and "其中" in c_text[: q.start()]:
                        phrase = (
                            phrase + targets[parent].indicator
                        )  # 「培育…企业25家，其中认定8家」: 认定 of the parent's firms
                    key = normalise_indicator(phrase, unit, new) if kind != "growth" else growth_indicator(phrase)
                    if key is None and kind == "growth" and len(targets) > first_in_sentence:
                        key = targets[
                            -1
                        ].indicator_key  # 「产值480亿元，同比增长28%」: the growth of the indicator just stated
                    if (
                        key is None
                        and kind != "growth"
                        and unit not in ("%", "个百分点")
                        and names_other_unit(phrase, unit)
                    ):
                        continue  # 「发明专利拥有量」 counted in 人: not the indicator's unit, so not that indicator
                    if (
                        key is None
                        and kind != "growth"
                        and unit == "%"
                        and before.startswith("、")
                        and len(targets) > first_in_sentence
                        and targets[-1].unit == unit
                    ):
                        key = targets[
                            -1
                        ].indicator_key  # 「销售收入的5%、定报企业3%、一般企业1%」: one list, one indicator
                    comparison = next(
                        (name for name, rx in _COMPARISONS if rx.search(before + after)),
                        "exactly" if kind == "status" else "at_least",
                    )
                    lead = len(before) - len(before.lstrip("、，,；; "))
                    start = simple.start(s0 + c0 + q.start() - len(before) + lead)
                    end = simple.end(s0 + c0 + q.end())
                    targets.append(
                        Target(
                            indicator=phrase or _phrase(sentence[: c0 + q.start()])[-12:],
                            indicator_key=key,
                            value=_scaled(value, unit),
                            unit="平方米" if unit == "万平方米" else unit,
                            comparison=comparison,
                            stretch_value=_scaled(upper, unit) if upper is not None else None,
                            kind=kind,
                            year=year,
                            period=period,
                            sentence=original,
                            start_offset=start,
                            end_offset=end,
                            parent=parent if parent is not None and "其中" in c_text[: q.start()] else None,
                            new=new,
                            quote=re.sub(r"\s+", " ", simple.original[start:end]).strip("，,、 "),
                            applied=bool(_APPLIED.search(c_text[: q.start()])) and kind != "status",
                        )
                    )
    return targets


def _names_indicator(sentence: str) -> bool:
    """Whether a sentence with no cue word names a known indicator next to a quantity (「专利申请3500件」)."""
    return bool(_QUANTITY.search(sentence)) and any(
        pattern.search(sentence) for key, pattern, units, _ in indicator_lexicon() if "not_measurable" not in key
    )


def _is_not_quantity(clause: str, q: re.Match, before: str, after: str) -> bool:
    """Numbers that are not counts: ranks (第1位), years, 「两院」, thresholds about a counted group and the like."""
    num = q.group("num")
    if (_ONLY_MAGNITUDE.match(num) and num != "十") or before.endswith("每"):
        return True  # 「每万人」「万人」: a denominator, not a count
    if before.endswith(("第", "前", "后")) or re.match(r"^\s*(位|名次)", after):
        return True
    if num == "一" or (not num[0].isdigit() and before.endswith(("“", '"', "「", "‘"))):
        return True  # 「一个」「一次」 are articles; 「百家企业高校行」 is a name
    if q.group("unit") == "名" and re.match(r"^[^\d]*位", after):
        return True
    if _NOT_INDICATOR.search(clause[q.end() : q.end() + 2]):
        return True
    if q.group("unit") in ("个", "项", "家") and re.match(r"^(方面|重点|大|一批|环节)", after):
        return True
    if before.endswith(("(", "（")) and clause[q.end() : q.end() + 1] in (")", "）"):
        return True  # 「高于全省平均增幅(16.57%)」: a figure quoted for comparison
    if _THRESHOLD.search(before) and _GROUP.search(clause[: q.start()]):
        return True  # 「全市有6个县(区)财政收入超过10亿元」: 10亿元 is a threshold, 6个 the count
    return bool(re.search(r"[a-zA-Z]$", before[-6:])) and not num[0].isdigit()


def _subject(prefix: str) -> str:
    """The indicator a sentence opens with, for a ratio stated clauses later.

    Examples
    --------
    >>> _subject("行动目标:科技进步贡献率每年以2的速度递增,到2010年,")
    '科技进步贡献率'
    """
    first = re.split(r"[，,；;]", re.split(r"[:：]", prefix)[-1])[0]
    first = re.split(r"每年|以|达到|到达|保持|实现|要|将", first)[0]
    return _phrase(first)


def _following_phrase(rest: str) -> tuple[str, int]:
    """The indicator after a number (「打造1-2家…的创新型领军企业」) and how much of ``rest`` it uses.

    Examples
    --------
    >>> _following_phrase("领军型人才、2个创新型人才"), _following_phrase("10万平方米以上的省级孵化器")
    (('领军型人才', 6), ('省级孵化器', 0))
    """
    used = None
    lead = _QUANTITY.match(rest)
    if lead:  # 「1家10万平方米以上的省级孵化器」: the next quantity describes the same thing
        rest, used = rest[lead.end() :], 0
    nxt = _QUANTITY.search(rest)
    text = rest[: nxt.start()] if nxt else rest
    head = text.rsplit("的", 1)[1] if "的" in text else re.split(r"[、和及与]", text)[0]
    head = re.sub(r"^(以上|左右|以下|之间)+", "", head)
    head = re.sub(r"[^\u4e00-\u9fa5A-Za-z()（）]", "", head)[:16]
    return head, len(text) if used is None else used


def _phrase(before: str, strip_verbs: bool = True) -> str:
    """The indicator phrase: what precedes the number, without list markers, cue verbs and comparisons."""
    text = _LEAD.sub("", before.strip())
    text = re.sub(r"[\"“”「」《》]", "", text)
    text = re.split(r"其中", text)[-1]
    text = re.sub(
        r"(达到|确保|力争|不少于|不低于|不能低于|超过|突破|控制在|左右|为|达|到|约|共|以上)+$", "", text
    ).strip()
    if strip_verbs:
        text = _FILLER.sub("", text)
    text = re.sub(r"[和及与、\s]+$", "", text).strip("、 ")
    return text[-24:]


def _stretch_target(targets: list[Target], first: int, phrase: str, before: str, unit: str) -> Target | None:
    """The target a 「力争 …」 clause without its own indicator raises (same sentence, same unit)."""
    if "力争" not in before or len(targets) <= first:
        return None
    prev = targets[-1]
    if prev.kind == "status":
        return None  # 「现有…2家；力争新增…1家」: a status has no stretch value, the clause is a target of its own
    if prev.unit != ("平方米" if unit == "万平方米" else unit) or prev.stretch_value is not None:
        return None
    own = normalise_indicator(phrase, unit) if phrase else None
    if phrase and own is not None and own != prev.indicator_key:
        return None
    if phrase and own is None and len(phrase) > 4:
        return None
    return prev


def _scaled(value: float, unit: str) -> float:
    return value * 10_000 if unit == "万平方米" else value


def _sentence_year(sentence: str) -> int | None:
    m = re.search(r"(?:到|至|在|于)?(20\d{2})\s*年(?:底|末)?", sentence)
    return int(m.group(1)) if m else None


def store_policy(graph, extraction: PolicyExtraction) -> dict[str, int]:
    """Write the document (PolicyDocument), its targets (Target) and SETS edges; idempotent.

    Ids are stable: the document's comes from its text, a target's from the document and its offsets, so
    re-running writes the same nodes; targets a previous run stored for the same document and this run no
    longer finds are removed.

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
    rows, edges = [], []
    for t in extraction.targets:
        tid = f"{doc_id}-{t.start_offset}-{t.end_offset}"
        rows.append(
            {
                "id": tid,
                "name": t.indicator,
                "indicator_key": t.indicator_key,
                "value": t.value,
                "stretch_value": t.stretch_value,
                "comparison": t.comparison,
                "unit": t.unit,
                "year": t.year,
                "period": t.period,
                "target_kind": t.kind,
                "region": extraction.region,
                "sentence": t.sentence,
                "start_offset": t.start_offset,
                "end_offset": t.end_offset,
                "source": extraction.source,
            }
        )
        edges.append({"from_id": doc_id, "to_id": tid, "source": extraction.source})
    with graph.transaction():
        graph.upsert_nodes(
            "PolicyDocument",
            [
                {
                    "id": doc_id,
                    "name": extraction.title,
                    "year": extraction.year,
                    "region": extraction.region,
                    "source": extraction.source,
                }
            ],
        )
        graph.run_named("policy_drop_stale_targets", id=doc_id, keep=[r["id"] for r in rows])
        if rows:
            graph.upsert_nodes("Target", rows)
            graph.upsert_edges("SETS", edges)
    return {"PolicyDocument": 1, "Target": len(rows), "SETS": len(edges)}
