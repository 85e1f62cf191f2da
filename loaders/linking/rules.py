"""Identity rules in three kinds: same unit, part of, subsidiary (and different).

:func:`classify` decides what a name is to another name and says why:

- ``same``: one unit written two ways: widths, spaces and brackets
  (「元宇宙创新发展科技研究院（山西）有限公司」 / 「...山西有限公司」), the spelling of
  the legal form (股份有限公司 / 有限公司 / 公司 where the rest of the name is
  equal), a bracketed alternative or former name, a group named by its short
  name (「京东方科技集团股份有限公司」 / 「京东方」), a college renamed a university
  (「黑龙江科技学院」 / 「黑龙江科技大学」);
- ``part_of``: a unit of a larger body named after it: a campus
  (「哈尔滨工业大学（威海）」), a school, department, hospital or institute
  (「北京大学光华管理学院」, 「中国科学院自动化研究所」), a branch (分公司, 供电局);
  it becomes a BRANCH_OF link, never a merge;
- ``subsidiary``: a separate legal entity of a group: a company named after
  a university or group (「同济大学建筑设计研究院（集团）有限公司」), and, when a
  source *asserts* the parent (a 标准化申请人 column), the same brand in
  another region or form (「青岛小鸟看看科技有限公司」 -> 「北京小鸟看看科技有限公司」) or
  a group with nothing in common in the name (「奥迪股份公司」 -> 「德国大众集团」);
  it becomes a SUBSIDIARY_OF link;
- ``different``: none of these.

The rules never guess a merge from similar-looking names alone: two names
one character apart (「江西师范大学」 / 「江西科技师范大学」) are different.

Examples
--------
>>> classify("上海曼恒数字技术股份有限公司", "上海曼恒数字技术有限公司").kind
'same'
>>> classify("哈尔滨工业大学（威海）", "哈尔滨工业大学").kind
'part_of'
>>> v = classify("北京有竹居网络技术有限公司", "字节跳动有限公司", asserted=True)
>>> v.kind, v.reasons
('subsidiary', ('the source names it as the parent; names share nothing',))
>>> classify("江西师范大学", "江西科技师范大学").kind
'different'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kg.loaders.linking.names import NameParts, looks_like_person, parse, province, strip_form

KINDS = ("same", "part_of", "subsidiary", "different")

#: words that make the rest of a longer name a unit of the shorter one
UNIT_WORDS = (
    "分公司",
    "分院",
    "分校",
    "校区",
    "研究生院",
    "研究生部",
    "学院",
    "学部",
    "学系",
    "书院",
    "研究院",
    "研究所",
    "研究中心",
    "研究室",
    "实验室",
    "医院",
    "附属",
    "中心",
    "教研室",
    "教研部",
    "科研部",
    "训练部",
    "系",
    "所",
    "处",
    "部",
    "局",
    "站",
    "厂",
    "出版社",
    "杂志社",
    "编辑部",
    "图书馆",
    "博物馆",
    "供电公司",
    "分局",
    "办公室",
    "委员会",
)
#: words that a group adds to its short name (京东方 -> 京东方科技集团)
GROUP_WORDS = ("集团", "控股")
_GENERIC = ("科技", "技术", "股份", "有限", "国际", "中国", "实业", "发展", "集团", "控股", "投资", "公司", "有限公司")
_COMPANY_FORMS = (
    "有限公司",
    "股份有限公司",
    "股份公司",
    "公司",
    "株式会社",
    "私人有限公司",
    "有限及两合公司",
    "有限总公司",
    "集团公司",
    "总公司",
)
_SCHOOLS = ("大学", "学院")


@dataclass(frozen=True)
class Verdict:
    """What ``name`` is to ``other``: a kind of :data:`KINDS`, the reasons, and whether the evidence is strong."""

    kind: str
    reasons: tuple[str, ...]
    strong: bool = True

    def __str__(self) -> str:
        return f"{self.kind}: {'; '.join(self.reasons)}"


def classify(name: str, other: str, *, asserted: bool = False) -> Verdict:
    """What ``name`` is to ``other`` (same / part_of / subsidiary / different), with reasons.

    Parameters
    ----------
    name, other
        Two organisation names; for ``part_of`` and ``subsidiary`` ``name`` is
        the unit or member and ``other`` the larger body or group.
    asserted
        True when a source states that ``other`` is the parent or normalised
        name of ``name`` (a 标准化申请人 column): different names are then read
        as group membership unless they cannot be (persons, unrelated schools).

    Examples
    --------
    >>> classify("中国科学院自动化研究所", "中国科学院")
    Verdict(kind='part_of', reasons=('a unit of 中国科学院: 自动化研究所',), strong=True)
    >>> classify("国网江苏省电力有限公司镇江供电分公司", "国家电网有限公司", asserted=True).kind
    'subsidiary'
    """
    a, b = parse(name), parse(other)
    if not a.key or not b.key:
        return Verdict("different", ("a name is empty",))
    same = _same(a, b)
    if same:
        return same
    rest = _contains(a, b)
    part = _part_of(a, b, rest)
    if part:
        return part
    if _contains(b, a):
        return Verdict("different", (f"{other} is a unit of {name}, not the reverse",), strong=False)
    sub = _subsidiary(a, b, asserted, rest)
    if sub:
        return sub
    return Verdict("different", ("no rule joins these names",))


def _same(a: NameParts, b: NameParts) -> Verdict | None:
    if a.key == b.key:
        return Verdict("same", ("names equal after folding width, spaces, brackets and company form",))
    if a.bare == b.bare:
        return Verdict("same", ("names differ only by brackets",))
    if (a.campus or b.campus) and a.campus != b.campus:
        return None  # a campus is its own unit
    for x, y in ((a, b), (b, a)):
        names_y = {y.main, y.bare, *y.alternatives, *y.former}
        if x.main in {*y.alternatives, *y.former} or x.bare in {*y.alternatives, *y.former}:
            return Verdict("same", (f"{x.main} is given as an alternative or former name of {y.main}",))
        if any(n in names_y for n in (*x.alternatives, *x.former)) and x.main == y.main:
            return Verdict("same", ("same name and bracketed alternative",))
        if x.alternatives and x.main in (y.main, y.bare):
            return Verdict("same", (f"bracketed alternative name ({x.alternatives[0]}) added to the same name",))
    if (a.form or b.form) and a.core == b.core and _regions_agree(a, b):  # regions move in company names only
        if a.form != b.form:
            return Verdict(
                "same", (f"company form differs ({a.form or 'none'} / {b.form or 'none'}), the rest is equal",)
            )
        return Verdict("same", ("same name, region written in another place",))
    if (a.form or b.form) and a.core == b.core and _nested(a, b):
        return Verdict("same", (f"same name, regions {a.regions[0]} / {b.regions[0]} nested",), strong=False)
    for x, y in ((a, b), (b, a)):
        if not x.regions or set(x.regions) <= set(y.regions) or not y.regions:
            rest = _after(x.core, y.core)
            if rest and y.form in ("", "公司") and any(w in rest for w in GROUP_WORDS) and _generic(rest):
                return Verdict("same", (f"the group itself named by its short name {y.main}",))
    if _school_renamed(a, b):
        return Verdict("same", ("renamed (学院 -> 大学 or 研究所 -> 研究院), the rest is equal",), strong=False)
    return None


def _regions_agree(a: NameParts, b: NameParts) -> bool:
    return not a.regions or not b.regions or set(a.regions) <= set(b.regions) or set(b.regions) <= set(a.regions)


def _nested(a: NameParts, b: NameParts) -> bool:
    """Regions differ but one lies inside the other's province (绵阳 / 四川)."""
    if not a.regions or not b.regions:
        return False
    pa, pb = province(a.regions[0]), province(b.regions[0])
    return (
        bool(pa)
        and pa == pb
        and (
            a.regions[0].endswith("省") or b.regions[0].endswith("省") or bool({a.regions[0], b.regions[0]} & PROVINCES)
        )
    )


#: short names of the provincial-level divisions (a region named so contains the cities of its province)
PROVINCES = frozenset(
    {
        "北京",
        "天津",
        "上海",
        "重庆",
        "河北",
        "山西",
        "辽宁",
        "吉林",
        "黑龙江",
        "江苏",
        "浙江",
        "安徽",
        "福建",
        "江西",
        "山东",
        "河南",
        "湖北",
        "湖南",
        "广东",
        "海南",
        "四川",
        "贵州",
        "云南",
        "陕西",
        "甘肃",
        "青海",
        "台湾",
        "内蒙古",
        "广西",
        "西藏",
        "宁夏",
        "新疆",
    }
)


#: endings a unit is commonly renamed between, older first (学院 -> 大学, 研究所 -> 研究院)
RENAMED_ENDINGS = (("学院", "大学"), ("研究所", "研究院"))


def _school_renamed(a: NameParts, b: NameParts) -> bool:
    return any(x.main in _renamed(y.main) for x, y in ((a, b), (b, a)))


def _renamed(main: str) -> set[str]:
    """Older spellings of a name under :data:`RENAMED_ENDINGS` (西南民族大学 -> 西南民族学院)."""
    out = set()
    for old, new in RENAMED_ENDINGS:
        if main.endswith(new) and len(main) > len(new) + 2:
            out.add(main[: -len(new)] + old)
    return out


def _after(text: str, prefix: str) -> str:
    return text[len(prefix) :] if prefix and text.startswith(prefix) and len(text) > len(prefix) else ""


def _generic(rest: str) -> bool:
    for word in sorted(_GENERIC, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest == ""


@functools.lru_cache(maxsize=200_000)
def _heads(b: NameParts) -> tuple[str, ...]:
    """Texts a unit of ``b`` starts with: its main name with and without brackets and legal form."""
    heads = {b.bare, strip_form(b.bare)[0], *b.alternatives, *b.former}
    if not b.campus:  # 「中国石油大学(北京)」 is not the head of every unit named 中国石油大学...
        heads |= {b.main, strip_form(b.main)[0], *_renamed(b.main)}
    return tuple(sorted((h for h in heads if len(h) >= 3), key=len, reverse=True))


def _contains(a: NameParts, b: NameParts) -> str:
    """The rest of ``a`` after a head of ``b`` it starts with ('' if none)."""
    for head in _heads(b):
        for text in (a.main, a.bare):
            rest = _after(text, head)
            if rest:
                return rest
    return ""


def _part_of(a: NameParts, b: NameParts, rest: str) -> Verdict | None:
    if a.campus and not b.campus and a.main in (b.main, b.bare):
        return Verdict("part_of", (f"campus ({a.campus}) of {b.main}",))
    if not rest:
        return None
    rest_form = strip_form(rest)[1]
    body = rest
    for form in ("股份有限公司", "有限公司", "公司"):
        if body.startswith(form):
            body = body[len(form) :]
            break
    if not body:
        return None
    if rest_form and not body.endswith(("分公司", "供电公司")) and (rest_form in _COMPANY_FORMS):
        return None  # a company named after its parent: a subsidiary, decided below
    if body.startswith("(") or body.endswith(UNIT_WORDS) or any(w in body for w in ("附属", "分公司", "分院", "分校")):
        return Verdict("part_of", (f"a unit of {b.main}: {body}",))
    return None


def _subsidiary(a: NameParts, b: NameParts, asserted: bool, rest: str) -> Verdict | None:
    if rest and strip_form(rest)[1]:
        return Verdict("subsidiary", (f"a company named after {b.main}",))
    if not asserted:
        return None
    if looks_like_person(a.key) or looks_like_person(b.key):
        return None  # a personal name, not an organisation
    if a.main.endswith((*_SCHOOLS, "医院")) and b.main.endswith((*_SCHOOLS, "医院")):
        return None  # two schools or hospitals are not group members of each other
    brand = _shared_brand(a, b)
    if brand:
        if not (a.form or b.form or _groupish(b)):
            return None
        return Verdict("subsidiary", (f"the source names it as the parent; both carry the brand {brand}",))
    if _groupish(b):
        return Verdict("subsidiary", ("the source names it as the parent; names share nothing",), strong=False)
    if a.form and b.form:
        return Verdict("subsidiary", ("the source names it as the parent; names share nothing",), strong=False)
    return None


def _groupish(b: NameParts) -> bool:
    return (
        any(w in b.main for w in ("集团", "控股", "总公司"))
        or b.main.startswith(("中国", "国家"))
        or (not b.form and not b.main.endswith((*_SCHOOLS, "医院", "研究所", "研究院")))
    )


def _shared_brand(a: NameParts, b: NameParts) -> str:
    """The leading characters both cores share (at least two, not a generic word)."""
    n = 0
    for x, y in zip(a.core, b.core):
        if x != y:
            break
        n += 1
    brand = a.core[:n]
    return brand if n >= 2 and brand not in _GENERIC else ""
