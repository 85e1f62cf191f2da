"""Regions: a region given by code, name or address -> its code, name, level and code prefix.

A region is a country (ISO 3166-1 alpha-2: ``DE``, ``CN``), or a province, city or county of China
(6-digit GB/T 2260 行政区划代码: ``210000`` 辽宁省, ``211100`` 盘锦市, ``211102`` 双台子区).  Nodes
carry their region's code in the ``region`` property, so everything inside a region is found by the
region's *code prefix*: the code without its trailing zero pairs (``2111`` for 盘锦市), or the
country code itself.  :func:`resolve` accepts what a user types (a code, a 2- or 4-digit prefix, a
name or short name, an address, a country code or name) and says "close names" when it knows no such
region.  Codes and names come from the ``cpca`` package's bundled table and ``pycountry`` (offline).

Examples
--------
>>> resolve("盘锦")
Region(code='211100', name='盘锦市', level='city')
>>> resolve("211102").prefix(), resolve("211102").prefix("city"), resolve("211102").prefix("province")
('211102', '2111', '21')
>>> resolve("辽宁省盘锦市大洼区某路1号").name, resolve("21").name
('大洼区', '辽宁省')
>>> resolve("Germany"), resolve("EL").code
(Region(code='DE', name='德国', level='country'), 'GR')
>>> code_prefix("211100"), code_prefix("210000"), code_prefix("211104"), code_prefix("DE")
('2111', '21', '211104', 'DE')
>>> resolve("盘金市")
Traceback (most recent call last):
...
kg.errors.NotFoundError: --region '盘金市': no region with that code, name or address; close names: 金昌市, 金华市, 盘锦市
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pandas as pd

from kg.errors import KGError, NotFoundError
from kg.lookup import suggest

#: region levels, coarsest first
LEVELS = ("country", "province", "city", "county")
#: the country of 6-digit 行政区划代码
CHINA = "CN"
#: country codes some sources use instead of ISO 3166-1 (CORDIS: EL for Greece, UK for the United Kingdom)
EXCEPTIONS = {"EL": "GR", "UK": "GB"}
#: codes in common use that ISO 3166-1 leaves user-assigned (the EU uses XK for Kosovo)
EXTRA = {"XK": ("科索沃", "Kosovo")}
#: the Cypher that finds a region of the store by code, name or name start (shortest name first)
STORE_LOOKUP = "region_lookup"
_ALPHA2 = re.compile(r"^[A-Z]{2}$")
_DIGITS = {2: "0000", 4: "00", 6: ""}


@dataclass(frozen=True)
class Region:
    """A resolved region: ``code`` (行政区划代码 or ISO country code), ``name`` and ``level`` (:data:`LEVELS`)."""

    code: str
    name: str
    level: str | None

    def prefix(self, level: str | None = None) -> str:
        """The code prefix of this region (``level=None``) or of the region of ``level`` containing it."""
        return code_prefix(self.code, level)


@functools.lru_cache(maxsize=1)
def adcode_table() -> pd.DataFrame:
    """Every region of cpca's table: ``code`` (6 digits), ``name``, ``level`` (province/city/county)."""
    path = resources.files("cpca").joinpath("resources", "adcodes.csv")
    with path.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype={"adcode": str})
    raw = raw[raw["name"] != "市辖区"]
    code = raw["adcode"].str[:6]
    level = pd.Series("county", index=raw.index)
    level[code.str[4:] == "00"] = "city"
    level[code.str[2:] == "0000"] = "province"
    out = pd.DataFrame({"code": code, "name": raw["name"].values, "level": level.values})
    return out.drop_duplicates("code").sort_values("code").reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _adcode_names() -> dict[str, str]:
    table = adcode_table()
    return dict(zip(table["code"], table["name"]))


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """``{code: (中文名, English name)}`` and ``{any name or code: code}``."""
    import gettext

    import pycountry  # imported on first use: a large table

    try:
        zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"]).gettext
    except OSError:  # pragma: no cover - translations ship with pycountry
        zh = gettext.NullTranslations().gettext
    names: dict[str, tuple[str, str]] = {}
    lookup: dict[str, str] = {}
    for c in pycountry.countries:
        english = getattr(c, "common_name", None) or c.name
        names[c.alpha_2] = (zh(c.name), english)
        for key in (c.alpha_2, c.alpha_3, c.name, english, getattr(c, "official_name", None), zh(c.name)):
            if key:
                lookup.setdefault(key.casefold() if not _ALPHA2.match(key) else key, c.alpha_2)
    for k, v in EXCEPTIONS.items():
        lookup[k] = v
    for code, (chinese, english) in EXTRA.items():
        names[code] = (chinese, english)
        for key in (code, chinese, english.casefold()):
            lookup[key] = code
    return names, lookup


def country_code(text: Any) -> str | None:
    """The ISO alpha-2 code a cell names (a code, EL/UK, an English or Chinese name), else ``None``.

    Examples
    --------
    >>> country_code("DE"), country_code("EL"), country_code("德国"), country_code("Germany"), country_code("盘锦")
    ('DE', 'GR', 'DE', 'DE', None)
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    _, lookup = _countries()
    if _ALPHA2.match(text):
        return lookup.get(text)
    if len(text) < 2 or text.isdigit():
        return None
    return lookup.get(text.casefold())


def is_country(code: Any) -> bool:
    """True for an ISO 3166-1 alpha-2 code (or one of :data:`EXTRA`)."""
    return isinstance(code, str) and bool(_ALPHA2.match(code)) and code in _countries()[0]


def country_names(code: str) -> tuple[str, str]:
    """``(中文名, English name)`` of a country code."""
    return _countries()[0][code]


def parse_addresses(texts: list[str]) -> dict[str, str | None]:
    """cpca's 6-digit code of each distinct address or place name (``None`` where it finds none).

    Examples
    --------
    >>> parse_addresses(["北京市海淀区颐和园路5号", "Nowhere"])
    {'北京市海淀区颐和园路5号': '110108', 'Nowhere': None}
    """
    import cpca  # imported on first use: it loads its word lists

    parsed = cpca.transform(texts)
    return {
        text: (str(adcode)[:6] if isinstance(adcode, str) and adcode[:6].isdigit() else None)
        for text, adcode in zip(texts, parsed["adcode"])
    }


def level_of(code: Any) -> str | None:
    """The level of a region code (``None`` when it is no region code).

    Examples
    --------
    >>> level_of("210000"), level_of("211100"), level_of("211102"), level_of("DE"), level_of("2111")
    ('province', 'city', 'county', 'country', None)
    """
    if not isinstance(code, str):
        return None
    if len(code) == 6 and code.isdigit():
        return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"
    return "country" if re.fullmatch(r"[A-Za-z]{2,3}", code) else None


def code_at(code: str, level: str) -> str | None:
    """The code of the region of ``level`` that contains ``code`` (``None`` when ``code`` is coarser or unknown).

    Examples
    --------
    >>> [code_at("211102", level) for level in LEVELS]
    ['CN', '210000', '211100', '211102']
    >>> code_at("DE", "country"), code_at("DE", "city"), code_at("210000", "city")
    ('DE', None, None)
    """
    if level not in LEVELS:
        raise KGError(f"region level {level!r}: use one of {', '.join(LEVELS)}")
    own = level_of(code)
    if own is None or LEVELS.index(own) < LEVELS.index(level):
        return None
    if own == "country":
        return code
    return {"country": CHINA, "province": code[:2] + "0000", "city": code[:4] + "00", "county": code}[level]


def code_prefix(code: str, level: str | None = None) -> str:
    """The prefix every code inside a region starts with: trailing zero pairs dropped, a country code as it is.

    With ``level``, the prefix of the region of that level containing ``code`` (``"21"`` is the province
    prefix of ``211102``); a level finer than the region's own is an error.

    Examples
    --------
    >>> code_prefix("211100"), code_prefix("211102", "city"), code_prefix("DE", "country")
    ('2111', '2111', 'DE')
    """
    code = str(code).strip()
    if level is not None:
        at = code_at(code, level)
        if at is None:
            raise KGError(f"region {code!r} is no {level} nor inside one; levels: {', '.join(LEVELS)}")
        code = at
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def resolve(region: str, graph: Any = None) -> Region:
    """The region a user means: a code, a 2- or 4-digit prefix, a name (盘锦市, 盘锦), an address or a country.

    Tried in order: digits (``21`` is read as ``210000``); a country code or name (DE, EL, 德国, Germany); a
    Region of ``graph`` by code, name or name start; cpca's table by name or name start (the coarsest of
    equally short names: 吉林 is 吉林省); the text as an address.  A name several regions share (鼓楼区)
    is an error listing them.  Raises :class:`kg.errors.NotFoundError` with close names on a miss.

    Examples
    --------
    >>> resolve("吉林").code, resolve("双台子").name, resolve("211102").level
    ('220000', '双台子区', 'county')
    """
    text = str(region if region is not None else "").strip()
    if not text:
        raise KGError("--region '': give a region code (211100), a name (盘锦市) or a country (DE)")
    if text.isdigit():
        return _by_digits(text, graph)
    country = country_code(text)
    if country:
        return Region(country, country_names(country)[0], "country")
    found = _in_store(graph, text) if graph is not None else None
    if found is not None:
        return found
    found = _in_table(text)
    if found is None:
        code = parse_addresses([text])[text]
        if code:
            found = Region(code, _adcode_names().get(code, code), level_of(code))
    if found is None:
        raise NotFoundError(f"--region {text!r}: no region with that code, name or address{_close(text, graph)}")
    return found


def prefix_of(region: str | None, graph: Any = None, level: str | None = None) -> str:
    """The code prefix of a region given any way :func:`resolve` takes (``""``, every region, for none).

    Examples
    --------
    >>> prefix_of("盘锦市"), prefix_of("2111"), prefix_of("双台子区", level="city"), prefix_of(None)
    ('2111', '2111', '2111', '')
    """
    if region is None or not str(region).strip():
        return ""
    return resolve(str(region), graph).prefix(level)


def _by_digits(text: str, graph: Any) -> Region:
    if len(text) not in _DIGITS:
        raise KGError(f"--region {text!r}: a region code has 6 digits (211100), or 2 or 4 for a prefix (21, 2111)")
    code = text + _DIGITS[len(text)]
    name = _adcode_names().get(code)
    if name is None and graph is not None:
        stored = _in_store(graph, code)
        name = stored.name if stored is not None and stored.code == code else None
    return Region(code, name or code, level_of(code))


def _in_store(graph: Any, text: str) -> Region | None:
    df = graph.run_named(STORE_LOOKUP, text=text)
    if df.empty:
        return None
    code, name = str(df["id"].iloc[0]), str(df["name"].iloc[0])
    level = df["level"].iloc[0]
    return Region(code, name, level if isinstance(level, str) and level in LEVELS else level_of(code))


def _in_table(text: str) -> Region | None:
    table = adcode_table()
    hits = table[table["name"] == text]
    if hits.empty:
        hits = table[table["name"].str.startswith(text)]
        if hits.empty:
            return None
        hits = hits[hits["name"].str.len() == hits["name"].str.len().min()]
        coarsest = hits["level"].map(LEVELS.index)
        hits = hits[coarsest == coarsest.min()]
    if len(hits) > 1:
        names = _adcode_names()
        listed = ", ".join(
            f"{c} {names.get(c[:4] + '00', '') if c[4:] != '00' else ''}{n}" for c, n in zip(hits["code"], hits["name"])
        )
        raise KGError(f"--region {text!r} names {len(hits)} regions: {listed}; give the code or the city and county")
    row = hits.iloc[0]
    return Region(str(row["code"]), str(row["name"]), str(row["level"]))


def _close(text: str, graph: Any) -> str:
    close: list[str] = []
    if graph is not None:
        close = suggest(graph, text, ["Region"])
    if not close:
        names, _ = _countries()
        pool = list(_adcode_names().values()) + [n for pair in names.values() for n in pair]
        close = difflib.get_close_matches(text, pool, n=3, cutoff=0.5)
    return (
        "; close names: " + ", ".join(close)
        if close
        else '; `kg query "MATCH (r:Region) RETURN r.id, r.name"` lists those stored'
    )


__all__ = [
    "CHINA",
    "LEVELS",
    "Region",
    "adcode_table",
    "code_at",
    "code_prefix",
    "country_code",
    "country_names",
    "is_country",
    "level_of",
    "parse_addresses",
    "prefix_of",
    "resolve",
]
