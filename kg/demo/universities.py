"""Fields of the demo's universities: from their discipline type (院校类型), refined by their names.

An arts, music, sports, language, law or ethnic-studies school gets no technology field, so the matcher
never proposes it to a battery maker for a field it does not have.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

#: university name hints -> sub-fields they are strong in
_DISCIPLINE_HINTS = [
    ("石油", ["F0705", "F0804", "F0404"]),
    ("化工", ["F0404", "F0403", "F0701"]),
    ("医", ["F0201", "F0203", "F0405"]),
    ("药", ["F0202", "F0201"]),
    ("农", ["F0204", "F0704"]),
    ("海", ["F0805", "F0704", "F0701"]),
    ("理工", ["F0803", "F0401", "F0101"]),
    ("工业", ["F0803", "F0801", "F0401"]),
    ("科技", ["F0101", "F0402", "F0803"]),
    ("交通", ["F0301", "F0806", "F0803"]),
    ("电力", ["F0806", "F0601"]),
    ("师范", ["F0501", "F0101"]),
    ("财经", ["F0504", "F0503"]),
    ("信息", ["F0101", "F0103", "F0105"]),
    ("航空", ["F0301", "F0302"]),
    ("建筑", ["F0604", "F0501"]),
    ("环境", ["F0701", "F0702", "F0703"]),
    ("能源", ["F0601", "F0603", "F0602"]),
]

#: discipline type (院校类型, data/university_types.csv) -> the technology sub-fields such a school can have;
#: arts, sports, language, law and ethnic-studies schools have none
TYPE_FIELDS = {
    "工科": ["F0803", "F0101", "F0401", "F0806", "F0801", "F0603", "F0102"],
    "综合": ["F0101", "F0201", "F0401", "F0601", "F0701", "F0103", "F0403"],
    "师范": ["F0101", "F0501"],
    "财经": ["F0503", "F0504"],
    "医药": ["F0201", "F0202", "F0203", "F0405"],
    "农业": ["F0204", "F0704"],
    "林业": ["F0204", "F0704"],
    "艺术": [],
    "体育": [],
    "语言": [],
    "政法": [],
    "民族": [],
}
#: name parts of schools without a technology field when their type is not listed
_NON_TECH_NAMES = ("艺术", "音乐", "美术", "戏剧", "戏曲", "舞蹈", "电影", "体育", "外国语", "政法", "警察", "民族")


def university_types() -> dict[str, str]:
    """School name -> discipline type (``data/university_types.csv``; see the data README for its source)."""
    path = resources.files("kg.demo").joinpath("data", "university_types.csv")
    with path.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str)
    return dict(zip(table["name"], table["type"]))


def university_fields(name: str, kind: str | None, rng: np.random.Generator, subfields: list[dict]) -> set:
    """Technology sub-fields of a demo university from its discipline type, refined by its name.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> university_fields("中央音乐学院", "艺术", rng, []), sorted(university_fields("中国石油大学", "工科", rng, []))[:2]
    (set(), ['F0404', 'F0705'])
    """
    if kind in TYPE_FIELDS and not TYPE_FIELDS[kind]:
        return set()
    if kind not in TYPE_FIELDS and any(part in name for part in _NON_TECH_NAMES):
        return set()
    allowed = (TYPE_FIELDS.get(kind) if kind is not None else None) or [f["id"] for f in subfields]
    hints = [f for key, fs in _DISCIPLINE_HINTS if key in name for f in fs]
    picks = set(hints[:3]) or {allowed[int(rng.integers(len(allowed)))]}
    if rng.random() < 0.6:
        picks.add(allowed[int(rng.integers(len(allowed)))])
    return picks


__all__ = ["TYPE_FIELDS", "university_fields", "university_types"]
