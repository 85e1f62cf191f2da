"""The indicator table ``queries/indicators.yaml``: how plans phrase each indicator, and its graph measure.

A plan's phrase and unit name an indicator through :func:`normalise_indicator`.

The policy reader (:mod:`kg.loaders.policy`) reads a plan's targets with the phrases and units;
:mod:`kg.queries.targets` measures them with the named query and parameters of the same entry.

Examples
--------
>>> table = indicator_table()
>>> "rd_gdp_ratio" in table, "not_measurable" in table["rd_gdp_ratio"]
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def indicator_table() -> dict[str, dict]:
    """The indicator -> measure table (``queries/indicators.yaml``)."""
    text = resources.files("kg.queries").joinpath("indicators.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["indicators"]


@lru_cache(maxsize=1)
def indicator_lexicon() -> list[tuple[str, re.Pattern, tuple[str, ...], str | None]]:
    """``(key, phrase pattern, units, new_key)`` from ``queries/indicators.yaml``, most specific first."""

    out = []
    for key, entry in indicator_table().items():
        units = tuple(entry.get("units") or ("家", "个", "项", "件", "所"))
        for pattern in entry.get("phrases", []):
            out.append((key, re.compile(pattern), units, entry.get("new")))
    return sorted(out, key=lambda e: -len(re.sub(r"[.*?()|\\]", "", e[1].pattern)))


def normalise_indicator(phrase: str, unit: str, new: bool = False) -> str | None:
    """The indicator key a phrase and unit stand for, or ``None``.

    ``new`` (the target counts additions, 新增 …) picks the entry's ``new`` variant where it has one.

    Examples
    --------
    >>> normalise_indicator("省级企业工程技术研究中心", "家"), normalise_indicator("高新技术产业产值", "亿元")
    ('provincial_engineering_research_centres', 'output_value')
    >>> normalise_indicator("众创空间", "家", new=True)
    'maker_spaces_new'
    """
    unit = "平方米" if unit == "万平方米" else unit
    for key, pattern, units, new_key in indicator_lexicon():
        if unit in units and pattern.search(phrase):
            return new_key if new and new_key else key
    return None


def names_other_unit(phrase: str, unit: str) -> bool:
    """Whether ``phrase`` names a known indicator counted in another unit (「发明专利拥有量」 with 人).

    Examples
    --------
    >>> names_other_unit("高新技术企业", "人"), names_other_unit("规模以上企业", "%")
    (True, False)
    """
    return normalise_indicator(phrase, unit) is None and any(p.search(phrase) for _, p, _, _ in indicator_lexicon())


def growth_indicator(phrase: str) -> str | None:
    """The indicator a growth rate is about (「技术合同成交额增速」), whatever unit the indicator is counted in."""
    phrase = re.sub(r"(增速|增长|增幅|提高|提升|递增|下降|同比|比上年).*$", "", phrase)
    return next((key for key, pattern, _, _ in indicator_lexicon() if phrase and pattern.search(phrase)), None)


__all__ = ["growth_indicator", "indicator_lexicon", "indicator_table", "names_other_unit", "normalise_indicator"]
