"""Parts of an organisation name that identity rules compare.

A name such as 「百度在线网络技术（北京）有限公司」 is read as a *main* text with
its legal form (有限公司), a region written in brackets (北京), and a *core*
(百度在线网络技术) left when forms and regions are put aside; a trailing
bracket that is not a place (「广东省人民医院（广东省医学科学院）」) is an
alternative name, and 「重庆理工大学(原重庆工学院)」 carries a former name.
Widths, spaces, bracket shapes and the spellings of one legal form are folded
by :func:`kg.normalise.name_key` first, so every comparison starts
from the same key the loaders use.

Examples
--------
>>> p = parse("百度在线网络技术（北京）有限公司")
>>> p.core, p.form, p.regions
('百度在线网络技术', '有限公司', ('北京',))
>>> parse("重庆理工大学(原重庆工学院)").former
('重庆工学院',)
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from kg.normalise import name_key

#: legal forms, longest first (checked at the end of a name, after the key's own folding)
FORMS = (
    "股份有限公司",
    "有限及两合公司",
    "私人有限公司",
    "有限总公司",
    "有限公司",
    "株式会社",
    "股份公司",
    "集团公司",
    "总公司",
    "公司",
)
#: legal forms written before the name (Japanese and Korean companies)
LEADING_FORMS = ("株式会社",)
#: a trailing bracket ending so names a campus or college of the name before it: 北京邮电大学(宏福校区)
CAMPUS_WORDS = ("校区", "分校", "分院", "学院", "研究生院", "研究生部")
#: places written as words that the administrative table does not hold
_EXTRA_PLACES = (
    "中国",
    "美国",
    "日本",
    "德国",
    "韩国",
    "英国",
    "法国",
    "新加坡",
    "香港",
    "澳门",
    "台湾",
    "华东",
    "华北",
    "华南",
    "华中",
    "西南",
    "西北",
    "东北",
    "保定",
    "威海",
    "珠海",
)
_BRACKET = re.compile(r"\(([^()]*)\)")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class NameParts:
    """One name taken apart (see the module docstring); ``key`` is :func:`name_key`."""

    key: str
    main: str
    bare: str
    form: str
    core: str
    regions: tuple[str, ...]
    alternatives: tuple[str, ...]
    former: tuple[str, ...]
    campus: str


@functools.lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Place name -> 2-digit province code ('' for places outside the table), full and short forms.

    From cpca's bundled administrative table (provinces, cities, counties).

    Examples
    --------
    >>> places()["绵阳"], places()["四川省"], places()["美国"]
    ('51', '51', '')
    """
    out: dict[str, str] = {}
    with resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name, code = row["name"], row["adcode"][:2]
            out.setdefault(name, code)
            short = re.sub(r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|省|市|地区|盟)$", "", name)
            if len(short) >= 2 and short != name:
                out.setdefault(short, code)
    for place in _EXTRA_PLACES:
        out.setdefault(place, "")
    return out


def is_place(text: str) -> bool:
    """True when ``text`` is one place name (province, city, county, country or 华东-like area).

    Examples
    --------
    >>> is_place("北京"), is_place("浙江省"), is_place("广东省医学科学院")
    (True, True, False)
    """
    return text in places()


def leading_place(text: str) -> str:
    """The place name a text starts with ('' if none).

    Examples
    --------
    >>> leading_place("青岛小鸟看看科技"), leading_place("小鸟看看")
    ('青岛', '')
    """
    table = places()
    for end in range(min(len(text), 9), 1, -1):
        if text[:end] in table:
            return text[:end]
    return ""


@functools.lru_cache(maxsize=400_000)
def strip_form(text: str) -> tuple[str, str]:
    """``(text without its trailing legal form, the form)``.

    Examples
    --------
    >>> strip_form("谷歌有限公司"), strip_form("清华大学")
    (('谷歌', '有限公司'), ('清华大学', ''))
    """
    for form in LEADING_FORMS:
        if text.startswith(form) and len(text) > len(form) + 1:
            text = text[len(form) :]
            return text, form
    for form in FORMS:
        if text.endswith(form) and len(text) > len(form) + 1 and not text.endswith("分" + form):
            return text[: -len(form)], form
    return text, ""


def fold_forms(text: str) -> str:
    """Every legal-form spelling inside a text folded to one (有限责任公司 -> 有限公司 anywhere).

    Examples
    --------
    >>> fold_forms("中国南方电网有限责任公司超高压输电公司")
    '中国南方电网有限公司超高压输电公司'
    """
    return text.replace("股份有限责任公司", "股份有限公司").replace("有限责任公司", "有限公司")


@functools.lru_cache(maxsize=200_000)
def parse(name: str) -> NameParts:
    """Take a name apart (cached: names repeat across rows).

    Examples
    --------
    >>> p = parse("广东省人民医院（广东省医学科学院）")
    >>> p.main, p.alternatives
    ('广东省人民医院', ('广东省医学科学院',))
    >>> parse("中国矿业大学（北京）").campus
    '北京'
    """
    key = fold_forms(name_key(name))
    main, alternatives, former, campus = key, [], [], ""
    # trailing brackets: a former name, a campus / region, or an alternative name
    while main.endswith(")"):
        m = re.search(r"\(([^()]*)\)$", main)
        if not m or m.start() == 0:
            break
        inner = m.group(1)
        main = main[: m.start()]
        if inner.startswith("原") and len(inner) > 2:
            former.append(inner[1:])
        elif is_place(inner) or (inner.endswith(CAMPUS_WORDS) and not inner.endswith("科学院")):
            campus = campus or inner
        elif inner:
            alternatives.append(inner)
    main = main.replace("()", "")
    regions = [r for r in _BRACKET.findall(main) if is_place(r)] if "(" in main else []
    if campus:
        regions.append(campus)
    bare = key.replace("(", "").replace(")", "") if not former else _BRACKET.sub(lambda m: m.group(1), main)
    stem, form = strip_form(bare)
    core = strip_form(main)[0]
    if "(" in core:  # a bracketed place is put aside, other bracketed text is part of the name
        core = _BRACKET.sub(lambda m: "" if is_place(m.group(1)) else m.group(1), core)
    for _ in range(2):  # 浙江省江山市...: province then city
        lead = leading_place(core)
        if not lead or lead == "中国" or len(core) <= len(lead) + 1:
            break
        regions.append(lead)
        core = re.sub(r"^(省|市|自治区|县|区)", "", core[len(lead) :])
    return NameParts(
        key=key,
        main=main,
        bare=bare,
        form=form,
        core=core or stem,
        regions=tuple(dict.fromkeys(regions)),
        alternatives=tuple(alternatives),
        former=tuple(former),
        campus=campus,
    )


def province(place: str) -> str:
    """2-digit province code of a place ('' when unknown or abroad).

    Examples
    --------
    >>> province("嘉兴") == province("浙江")
    True
    """
    return places().get(place, "")


def looks_like_person(name: str) -> bool:
    """A personal name rather than an organisation: 2-4 Han characters, or a transliteration with '·'.

    Examples
    --------
    >>> looks_like_person("刘  薇"), looks_like_person("清华大学"), looks_like_person("兰迪·T·斯普劳特")
    (True, False, True)
    """
    text = name_key(name)
    if "·" in text or "•" in text:
        return True
    return 2 <= len(text) <= 4 and len(_HAN.findall(text)) == len(text) and not text.endswith(_ORG_ENDINGS)


_ORG_ENDINGS = (
    "公司",
    "大学",
    "学院",
    "学校",
    "医院",
    "研究所",
    "研究院",
    "中心",
    "集团",
    "银行",
    "协会",
    "所",
    "院",
    "局",
    "部",
    "厂",
    "社",
    "馆",
    "站",
    "会",
)
