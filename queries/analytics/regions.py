"""Region levels for grouping organisations: country, province, city or county.

An organisation's ``region`` is a code at the deepest level known for it: a 6-digit 行政区划代码 (county,
city or province) or a country (ISO code such as ``DE``, or a country region of the store).  The region at
a coarser level comes from the store's ``PART_OF`` tree where it has one, and otherwise from the code
itself: ``211102`` is in city ``211100``, province ``210000`` and country ``CN``.

Examples
--------
>>> r = RegionLevels()
>>> [r.at("211102", level) for level in LEVELS]
['CN', '210000', '211100', '211102']
>>> r.at("DE", "country"), r.at("DE", "county"), r.deepest("DE"), r.deepest("211100")
('DE', None, 'country', 'city')
"""

from __future__ import annotations

import pandas as pd

from kg.errors import KGError
from kg.regions import CHINA, LEVELS, code_at, level_of

__all__ = ["CHINA", "LEVELS", "RegionLevels"]


class RegionLevels:
    """Maps region codes onto any level, from the store's region tree (optional) and the codes themselves."""

    def __init__(self, tree: pd.DataFrame | None = None) -> None:
        tree = tree if tree is not None else pd.DataFrame(columns=["id", "name", "level", "parent"])
        tree = tree.sort_values(["id", "parent"], kind="stable", key=lambda c: c.astype(str))
        first = tree.drop_duplicates("id")
        self.names = dict(zip(first["id"], first["name"]))
        self.levels = {k: v for k, v in zip(first["id"], first["level"]) if isinstance(v, str)}
        self.parents = {k: v for k, v in zip(first["id"], first["parent"]) if isinstance(v, str)}

    @classmethod
    def of(cls, graph) -> RegionLevels:
        """The region tree of a store (an empty one for anything else)."""
        if hasattr(graph, "run_named"):
            return cls(graph.run_named("analytics_region_tree"))
        return cls()

    def deepest(self, code) -> str | None:
        """The level of ``code`` itself (``None`` when it is no region code)."""
        if not isinstance(code, str) or not code:
            return None
        if code in self.levels and self.levels[code] in LEVELS:
            return self.levels[code]
        return level_of(code)

    def at(self, code, level: str) -> str | None:
        """The region of ``level`` that ``code`` lies in (``code`` itself at its own level; ``None`` when
        ``code`` is coarser than ``level`` or unknown)."""
        if level not in LEVELS:
            raise KGError(f"region level {level!r}: use one of {', '.join(LEVELS)}")
        own = self.deepest(code)
        if own is None or LEVELS.index(own) < LEVELS.index(level):
            return None
        seen, here = 0, code
        while here is not None and seen < 8:  # the store's tree first
            if self.deepest(here) == level:
                return here
            here, seen = self.parents.get(here), seen + 1
        return code_at(code, level) if level_of(code) != "country" else None  # then the code's own digits

    def map(self, codes: pd.Series, level: str | None = None) -> pd.Series:
        """``codes`` at ``level`` (each at its own deepest level when ``level`` is None), computed once per code."""
        unique = pd.unique(codes.dropna())
        table = {c: (c if level is None and self.deepest(c) else self.at(c, level) if level else None) for c in unique}
        return codes.map(table)

    def name(self, code) -> str:
        """The region's name in the store, else the code."""
        return str(self.names.get(code, code))
