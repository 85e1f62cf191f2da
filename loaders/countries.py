"""Countries as Region nodes: ISO 3166-1 alpha-2 codes, names in Chinese and English (from ``pycountry``, offline).

A country is the Region level above provinces, so organisations abroad are
placed (LOCATED_IN) and filterable (``--region DE``).  The EU's own codes
``EL`` (Greece) and ``UK`` (United Kingdom), used by CORDIS, are read as
``GR`` and ``GB``.

Examples
--------
>>> country_code("DE"), country_code("EL"), country_code("德国"), country_code("Germany"), country_code("盘锦")
('DE', 'GR', 'DE', 'DE', None)
>>> country_rows(["DE", "GR"]).values.tolist()
[['DE', '德国', 'country', ['Germany']], ['GR', '希腊', 'country', ['Greece']]]
"""

from __future__ import annotations

import functools
import re

import pandas as pd

#: codes some sources use instead of ISO 3166-1
EXCEPTIONS = {"EL": "GR", "UK": "GB"}
#: codes in common use that ISO 3166-1 leaves user-assigned (the EU uses XK for Kosovo)
EXTRA = {"XK": ("科索沃", "Kosovo")}
_ALPHA2 = re.compile(r"^[A-Z]{2}$")


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """``{code: (中文名, English name)}`` and ``{any name or code: code}``."""
    import gettext

    import pycountry

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


def country_code(text) -> str | None:
    """The ISO alpha-2 code a cell names (a code, EL/UK, an English or Chinese name), else ``None``."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    _, lookup = _tables()
    if _ALPHA2.match(text):
        return lookup.get(text)
    if len(text) < 2 or text.isdigit():
        return None
    return lookup.get(text.casefold())


def is_country(code) -> bool:
    """True for an ISO 3166-1 alpha-2 code."""
    return isinstance(code, str) and bool(_ALPHA2.match(code)) and code in _tables()[0]


def country_rows(codes) -> pd.DataFrame:
    """Region rows (``id``, ``name``, ``region_level``, ``aliases``) of the countries ``codes``."""
    names, _ = _tables()
    rows = [
        {"id": c, "name": names[c][0], "region_level": "country", "aliases": [names[c][1]]}
        for c in sorted({c for c in codes if is_country(c)})
    ]
    return pd.DataFrame(rows, columns=["id", "name", "region_level", "aliases"])


__all__ = ["EXCEPTIONS", "country_code", "country_rows", "is_country"]
