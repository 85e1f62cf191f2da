"""The indicator table ``queries/indicators.yaml``: how plans phrase each indicator, and its graph measure.

The policy reader (:mod:`kg.loaders.policy`) reads a plan's targets with the phrases and units;
:mod:`kg.queries.targets` measures them with the named query and parameters of the same entry.

Examples
--------
>>> table = indicator_table()
>>> "rd_gdp_ratio" in table, "not_measurable" in table["rd_gdp_ratio"]
(True, True)
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def indicator_table() -> dict[str, dict]:
    """The indicator -> measure table (``queries/indicators.yaml``)."""
    text = resources.files("kg.queries").joinpath("indicators.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["indicators"]


__all__ = ["indicator_table"]
