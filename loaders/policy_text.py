"""Text helpers of the policy extractor: reading, simplification with offsets, Chinese numerals.

Examples
--------
>>> chinese_number("一百二十"), chinese_number("两"), chinese_number("15"), chinese_number("十五")
(120.0, 2.0, 15.0, 15.0)
>>> t = SimplifiedText("高新技術(shù)企業(yè)達(dá)到20家")
>>> t.text
'高新技术企业达到20家'
>>> t.original[t.start(8):t.end(11)]
'20家'
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import LoadError
from kg.extras import require
from kg.loaders.containers import detect_encoding

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
#: pinyin glosses some web copies put after characters: 目标(biāo)
_PINYIN = re.compile(r"\((?:[a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜüńňǹ]{1,7})\)")
#: the chunk breaks of web previews cut sentences mid-word: 「…院\n\n7、士工作站5家」 reads 「…院士工作站5家」
_CHUNK_BREAK = re.compile(r"(?<=[^\s。！？!?：:；;])[ \t]*\n\s*\n\s*\d{1,2}、(?=\S)")


def _dropped_spans(text: str) -> list[tuple[int, int]]:
    """Pinyin glosses and chunk breaks (after a long unfinished line only: headings stay apart)."""
    spans = [m.span() for m in _PINYIN.finditer(text)]
    for m in _CHUNK_BREAK.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start >= 40:
            spans.append(m.span())
    return sorted(spans)


def chinese_number(text: str) -> float:
    """Value of an Arabic or Chinese numeral (一百二十, 十五, 两, 3.5, 1,200).

    Raises ``ValueError`` for text that is not a number.
    """
    text = text.strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        raise ValueError(f"not a number: {text!r}")
    total, section, digit = 0, 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
            continue
        unit = _UNITS[c]
        if unit >= 10_000:
            section = (section + (digit or 0)) * unit
            total += section
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return float(total + section + (digit or 0))


def read_text(path) -> str:
    """Text of a .txt (UTF-8/GB18030/UTF-16, detected) or .docx file."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.suffix.lower() == ".docx":
        docx = require("docx", f"{path}: reading .docx")
        document = docx.Document(str(path))
        return "\n".join(p.text for p in document.paragraphs)

    raw = path.read_bytes()
    try:
        return raw.decode(detect_encoding(raw)).lstrip("\ufeff")
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from None


class SimplifiedText:
    """Simplified-Chinese view of a text that maps every position back to the original.

    Traditional characters are converted with OpenCC (``t2s``), pinyin glosses
    such as ``(shù)`` and the chunk breaks of web previews that cut a sentence
    (「院\\n\\n7、士工作站」) are dropped; :meth:`start` / :meth:`end` turn positions
    in :attr:`text` into offsets of :attr:`original`.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        kept: list[str] = []
        positions: list[int] = []
        last = 0
        for a, b in _dropped_spans(original):
            kept.append(original[last:a])
            positions.extend(range(last, a))
            last = b
        kept.append(original[last:])
        positions.extend(range(last, len(original)))
        stripped = "".join(kept)
        self.text = _to_simplified(stripped)
        self._pos = [*positions, len(original)]

    def start(self, i: int) -> int:
        """Original offset of the character at ``i``."""
        return self._pos[i]

    def end(self, j: int) -> int:
        """Original offset just after the character before ``j``."""
        return self._pos[j - 1] + 1 if j > 0 else 0


def _to_simplified(text: str) -> str:
    from opencc import OpenCC

    cc = OpenCC("t2s")
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    return "".join(cc.convert(c) if len(cc.convert(c)) == 1 else c for c in text)  # keep offsets 1:1


_DOC_WORDS = re.compile(r"意见|计划|方案|规划|要点|讲话|通知|办法|纲要|说明|报告|总结|决定|细则")
_LIST_MARKER = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[、.．)）]")
_BOILERPLATE = re.compile(r"上传|下载|收藏|分享|范文|文档编号|浏览|预览|版权|举报|第\s*\d+\s*页")
_RANGE = re.compile(r"(20\d{2})\s*[-—–~～至到]\s*(20\d{2})\s*年")
_FIVE_YEAR = re.compile(r"[“\"「]?(十[一二三四五六七八九]五)(?:规划|期间|时期|末)?")


def document_title(text: str, fallback: str = "") -> str:
    """The document's title: the first short heading line naming a document type.

    Web copies of plans start with portal boilerplate (收藏, 上传人, 范文); such lines are skipped.

    Examples
    --------
    >>> document_title("收藏 分享\\n\\n2023年积极培育创新载体工作计划.docx\\n上传人:x")
    '2023年积极培育创新载体工作计划'
    >>> document_title("本站小编为你精心准备了镇委科技创新工作指导意见参考范文,欢迎阅读。\\n各镇:")
    '镇委科技创新工作指导意见'
    """
    m = re.search(r"准备了(.{4,40}?)(?:参考)?范文", text[:400])
    if m:
        return m.group(1)
    lines = [line.strip() for line in text.splitlines()[:40] if line.strip()]
    for line in lines:
        clean = re.sub(r"[《》]", "", re.sub(r"\.(docx?|pdf|txt)$", "", line)).strip()
        if (
            len(clean) <= 80
            and "。" not in clean
            and _DOC_WORDS.search(clean)
            and not _BOILERPLATE.search(clean)
            and not _LIST_MARKER.match(clean)
        ):
            return clean
    short = next((line for line in lines if len(line) <= 40 and not _BOILERPLATE.search(line)), "")
    return short or fallback or (lines[0][:40] if lines else "")


def document_year(title: str, text: str) -> int | None:
    """The year a document is about: from its title, else the first 「20xx年」 near its start.

    Examples
    --------
    >>> document_year("2021区县科技创新工作推进讲话", "在2019年9月考察时"), document_year("行动计划(2018—2020年)", "")
    (2021, 2020)
    """
    for source in (title, text[:400], text):
        years = re.findall(r"(20\d{2})\s*年", source)
        if years:
            span = _RANGE.search(source)
            return int(span.group(2)) if span else int(years[0])
        in_title = re.search(r"20\d{2}", title) if source is title else None
        if in_title:
            return int(in_title.group())
    return None


def period_of(text: str) -> str | None:
    """A planning period named in ``text``: ``'2018-2020'`` for 「2018—2020年」, ``'十一五'`` for 「十一五期间」.

    Examples
    --------
    >>> period_of("三年行动计划(2018—2020年)"), period_of("在“十一五期间"), period_of("全年")
    ('2018-2020', '十一五', None)
    """
    m = _RANGE.search(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    m = _FIVE_YEAR.search(text)
    return m.group(1) if m else None
