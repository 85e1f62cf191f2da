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

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
#: pinyin glosses some web copies put after characters: 目标(biāo)
_PINYIN = re.compile(r"\((?:[a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜüńňǹ]{1,7})\)")


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
        try:
            import docx
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise LoadError(f"{path}: reading .docx needs python-docx ({exc})") from None
        document = docx.Document(str(path))
        return "\n".join(p.text for p in document.paragraphs)
    from kg.loaders.sources import detect_encoding

    raw = path.read_bytes()
    try:
        return raw.decode(detect_encoding(raw)).lstrip("\ufeff")
    except LoadError as exc:
        raise LoadError(f"{path}: {exc}") from None


class SimplifiedText:
    """Simplified-Chinese view of a text that maps every position back to the original.

    Traditional characters are converted with OpenCC (``t2s``), pinyin glosses
    such as ``(shù)`` are dropped; :meth:`start` / :meth:`end` turn positions in
    :attr:`text` into offsets of :attr:`original`.
    """

    def __init__(self, original: str) -> None:
        self.original = original
        kept, positions = [], []
        last = 0
        for m in _PINYIN.finditer(original):
            kept.append(original[last:m.start()])
            positions.extend(range(last, m.start()))
            last = m.end()
        kept.append(original[last:])
        positions.extend(range(last, len(original)))
        stripped = "".join(kept)
        self.text = _to_simplified(stripped)
        self._pos = positions + [len(original)]

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
