"""Address and region columns -> Region nodes (province / city / county with 行政区划代码) and LOCATED_IN.

Codes and names come from ``cpca`` (its bundled administrative-division
table; nothing is downloaded): a ``region`` cell holding a 6-digit code is
used as it is, one holding a name (双台子区, 辽宁省盘锦市) or an ``address``
cell is parsed by ``cpca.transform``.  The Region nodes the codes need are
created with their parents (PART_OF), and every row's node is linked to its
most specific region (LOCATED_IN).

Examples
--------
>>> import pandas as pd
>>> region_codes(pd.Series(["211102", "双台子区", None]), pd.Series([None, None, "辽宁省盘锦市大洼区某路1号"])).tolist()
['211102', '211102', '211104']
>>> region_rows(["211102"])[["id", "name", "region_level"]].values.tolist()
[['210000', '辽宁省', 'province'], ['211100', '盘锦市', 'city'], ['211102', '双台子区', 'county']]
"""

from __future__ import annotations

import re

import pandas as pd

_CODE = re.compile(r"^\d{6}$")


def region_codes(region: pd.Series | None, address: pd.Series | None) -> pd.Series:
    """The 6-digit code of each row: the region cell's code, else what cpca makes of its name or the address."""
    n = len(region) if region is not None else len(address)
    out = pd.Series([None] * n, dtype=object)
    todo: dict[int, str] = {}
    for i in range(n):
        r = region.iloc[i] if region is not None else None
        if isinstance(r, str) and _CODE.match(r):
            out.iloc[i] = r
            continue
        text = r if isinstance(r, str) and r.strip() else (address.iloc[i] if address is not None else None)
        if isinstance(text, str) and text.strip():
            todo[i] = text
    if todo:
        out = _parse(out, todo)
    return out


def _parse(out: pd.Series, todo: dict[int, str]) -> pd.Series:
    import cpca

    uniq = list(dict.fromkeys(todo.values()))
    parsed = cpca.transform(uniq)
    codes = {}
    for text, adcode in zip(uniq, parsed["adcode"]):
        code = str(adcode)[:6] if isinstance(adcode, str) and adcode[:6].isdigit() else None
        codes[text] = code
    for i, text in todo.items():
        out.iloc[i] = codes.get(text)
    return out


def region_rows(codes) -> pd.DataFrame:
    """Region nodes for ``codes`` and their parents: ``id``, ``name``, ``region_level``."""
    from kg.demo.regions import adcode_table

    table = adcode_table().set_index("code")
    wanted: set[str] = set()
    for code in {c for c in codes if isinstance(c, str) and _CODE.match(c)}:
        wanted |= {code[:2] + "0000", code[:4] + "00", code}
    rows = []
    for code in sorted(wanted):
        if code in table.index:
            rows.append({"id": code, "name": table.at[code, "name"], "region_level": table.at[code, "level"]})
    return pd.DataFrame(rows, columns=["id", "name", "region_level"])


def part_of_rows(regions: pd.DataFrame) -> pd.DataFrame:
    """PART_OF edges from each region to its parent among ``regions``."""
    have = set(regions["id"])
    rows = []
    for code in regions["id"]:
        parent = None
        if not code.endswith("0000"):
            parent = code[:4] + "00" if not code.endswith("00") and code[:4] + "00" in have else code[:2] + "0000"
        if parent and parent in have and parent != code:
            rows.append({"from_id": code, "to_id": parent, "from_type": "Region"})
    return pd.DataFrame(rows, columns=["from_id", "to_id", "from_type"])


def link_regions(graph, label: str, rows: pd.DataFrame) -> dict[str, int]:
    """Create the Region nodes ``rows["region"]`` needs (with PART_OF) and LOCATED_IN from each node to its region.

    Call inside the load's transaction, after the nodes are written.
    """
    if "region" not in rows or "LOCATED_IN" not in graph.schema.edges:
        return {}
    if label not in graph.schema.edge("LOCATED_IN").from_types:
        return {}
    linked = rows[rows["region"].map(lambda c: isinstance(c, str) and bool(_CODE.match(c)))]
    if linked.empty:
        return {}
    regions = region_rows(linked["region"].unique())
    if regions.empty:
        return {}
    graph.upsert_nodes("Region", regions, validated=True)
    parts = part_of_rows(regions)
    if len(parts):
        graph.upsert_edges("PART_OF", parts.assign(to_type="Region"), validated=True)
    known = set(regions["id"])
    edges = pd.DataFrame({"from_id": linked["id"].values, "to_id": linked["region"].values})
    edges = edges[edges["to_id"].isin(known)]
    edges = edges.assign(from_type=label, to_type="Region", source=rows.get("source", pd.Series(dtype=object)).iloc[0]
                         if "source" in rows and len(rows) else None)
    graph.upsert_edges("LOCATED_IN", edges, validated=True)
    return {"Region": len(regions), "PART_OF": len(parts), "LOCATED_IN": len(edges)}
