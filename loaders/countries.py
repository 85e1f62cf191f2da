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

import pandas as pd

from kg.regions import EXCEPTIONS, country_code, country_names, is_country


def country_rows(codes) -> pd.DataFrame:
    """Region rows (``id``, ``name``, ``region_level``, ``aliases``) of the countries ``codes``."""
    rows = [
        {"id": c, "name": country_names(c)[0], "region_level": "country", "aliases": [country_names(c)[1]]}
        for c in sorted({c for c in codes if is_country(c)})
    ]
    return pd.DataFrame(rows, columns=["id", "name", "region_level", "aliases"])


__all__ = ["EXCEPTIONS", "country_code", "country_rows", "is_country"]
