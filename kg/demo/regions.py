"""Real administrative regions for the demo, from the ``cpca`` package's table.

The demo city is 盘锦市 (211100, 辽宁省) with its four counties, like the
seed documents' setting; larger scales spread over all of 辽宁省 and then
the whole country.

Examples
--------
>>> r = demo_regions(1.0)
>>> sorted(r.counties["name"])
['兴隆台区', '双台子区', '大洼区', '盘山县']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kg.regions import adcode_table

DEMO_CITY = "211100"
DEMO_PROVINCE = "210000"


@dataclass
class Regions:
    provinces: pd.DataFrame
    cities: pd.DataFrame
    counties: pd.DataFrame

    def all(self) -> pd.DataFrame:
        return pd.concat([self.provinces, self.cities, self.counties], ignore_index=True)

    def parent(self, code: str) -> str | None:
        """Code of the parent region (county -> city -> province)."""
        if code.endswith("0000"):
            return None
        if code.endswith("00"):
            return code[:2] + "0000"
        city = code[:4] + "00"
        known = set(self.cities["code"])
        return city if city in known else code[:2] + "0000"


def demo_regions(scale: float) -> Regions:
    """The regions the demo at ``scale`` populates."""
    t = adcode_table()
    if scale <= 5:
        counties = t[(t["level"] == "county") & (t["code"].str[:4] == DEMO_CITY[:4])]
    elif scale <= 50:
        counties = t[(t["level"] == "county") & (t["code"].str[:2] == DEMO_PROVINCE[:2])]
    else:
        counties = t[t["level"] == "county"]
    counties = counties[~counties["name"].str.endswith(("市辖区", "郊区"))]
    cities = t[(t["level"] == "city") & t["code"].isin(counties["code"].str[:4] + "00")]
    provinces = t[(t["level"] == "province") & t["code"].isin(counties["code"].str[:2] + "0000")]
    return Regions(provinces.reset_index(drop=True), cities.reset_index(drop=True), counties.reset_index(drop=True))


def short_name(name: str) -> str:
    """盘锦市 -> 盘锦, 大洼区 -> 大洼, 辽宁省 -> 辽宁."""
    for suffix in ("自治县", "自治州", "地区", "新区", "省", "市", "区", "县", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
