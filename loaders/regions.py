"""Address and region columns -> Region nodes (province / city / county with 行政区划代码) and LOCATED_IN.

Codes and names come from :mod:`kg.regions` (``cpca``'s bundled administrative-division
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

from kg import cypher
from kg.loaders.countries import country_rows
from kg.regions import adcode_table, code_at, country_code, parse_addresses

_CODE = re.compile(r"^\d{6}$")


def region_codes(region: pd.Series | None, address: pd.Series | None) -> pd.Series:
    """The 6-digit code of each row: the region cell's code, else what cpca makes of its name, else of the address.

    A region name cpca cannot place is kept as written (so nothing the user
    wrote is lost); such rows get no LOCATED_IN link.  Vectorised: cpca
    parses each distinct text once.

    Examples
    --------
    >>> region_codes(pd.Series(["兴隆台", "兴隆台", None]), pd.Series([None, "辽宁省盘锦市兴隆台区", None])).tolist()
    ['兴隆台', '211103', None]
    """
    if region is not None:
        n = len(region)
    elif address is not None:
        n = len(address)
    else:
        raise TypeError("region_codes needs a region or an address column")
    out = pd.Series(None, index=range(n), dtype=object)
    given = _texts(region, n)
    is_code = given.str.fullmatch(r"\d{6}").fillna(False).to_numpy(dtype=bool)
    out[is_code] = given[is_code].astype(object)
    out = _countries(given, out)
    for texts in (given.where(~pd.Series(is_code)), _texts(address, n)):
        todo = texts.where(out.isna()).dropna()
        if len(todo):
            codes = parse_addresses(todo.unique().tolist())
            out[todo.index] = todo.map(codes).astype(object).to_numpy()
    unplaced = out.isna() & given.notna()
    out[unplaced] = given[unplaced].astype(object)
    return out.where(out.notna(), None)


def _countries(given: pd.Series, out: pd.Series) -> pd.Series:
    """Cells naming a country (DE, EL, 德国, Germany) -> its ISO 3166-1 alpha-2 code."""
    todo = given.where(out.isna()).dropna()
    if len(todo):
        codes = {t: country_code(t) for t in todo.unique().tolist()}
        found = todo.map(codes).dropna()
        out[found.index] = found.astype(object).to_numpy()
    return out


def _texts(cells: pd.Series | None, n: int) -> pd.Series:
    if cells is None:
        return pd.Series(pd.NA, index=range(n), dtype="string")
    text = pd.Series(cells.to_numpy(dtype=object), dtype=object).astype("string").str.strip()
    return text.where(text != "")


def region_rows(codes) -> pd.DataFrame:
    """Region nodes for ``codes`` and their parents: ``id``, ``name``, ``region_level``."""
    table = adcode_table().set_index("code")
    wanted: set[str] = set()
    for code in {c for c in codes if isinstance(c, str) and _CODE.match(c)}:
        wanted |= {code_at(code, level) or code for level in ("province", "city")} | {code}
    rows = []
    for code in sorted(wanted):
        if code in table.index:
            rows.append({"id": code, "name": table.at[code, "name"], "region_level": table.at[code, "level"]})
    out = pd.DataFrame(rows, columns=["id", "name", "region_level"])
    countries = country_rows(codes)
    if not len(countries):
        return out
    out = pd.concat([countries, out.assign(aliases=None)], ignore_index=True)
    return out.astype(object).where(out.notna(), None)


def part_of_rows(regions: pd.DataFrame) -> pd.DataFrame:
    """PART_OF edges from each region to its parent among ``regions``."""
    have = set(regions["id"])
    rows = []
    for code in regions["id"]:
        parent = None
        if not code.endswith("0000"):
            city = code_at(code, "city")
            parent = city if not code.endswith("00") and city in have else code_at(code, "province")
        if parent and parent in have and parent != code:
            rows.append({"from_id": code, "to_id": parent, "from_type": "Region"})
    return pd.DataFrame(rows, columns=["from_id", "to_id", "from_type"])


def derive_regions(rows: pd.DataFrame, label: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Region nodes, PART_OF and LOCATED_IN rows for node rows with ``id`` and ``region`` and/or ``address``.

    ``region`` cells may hold a 6-digit 行政区划代码, a place name or nothing (then
    the ``address`` is parsed).  Returns ``(regions, part_of, located_in)``:
    Region rows (``id``, ``name``, ``region_level``) for every code and its
    parents, PART_OF rows child -> parent, and LOCATED_IN rows from each node
    to its most specific region.

    Examples
    --------
    >>> rows = pd.DataFrame({"id": ["E1", "E2"], "region": ["双台子区", None], "address": [None, "北京市海淀区颐和园路5号"]})
    >>> regions, part_of, located = derive_regions(rows, "Enterprise")
    >>> regions["name"].tolist()
    ['北京市', '海淀区', '辽宁省', '盘锦市', '双台子区']
    >>> located[["from_id", "to_id"]].values.tolist()
    [['E1', '211102'], ['E2', '110108']]
    """
    codes = region_codes(rows.get("region"), rows.get("address"))
    return _derived(rows["id"], codes, label, rows.get("source"))


def _derived(ids: pd.Series, codes: pd.Series, label: str, source=None):
    codes = pd.Series(codes.to_numpy(dtype=object), dtype=object)
    is_code = codes.astype("string").str.fullmatch(r"\d{6}|[A-Z]{2}").fillna(False).to_numpy(dtype=bool)
    regions = region_rows(codes[is_code].unique())
    known = set(regions["id"])
    located = pd.DataFrame(
        {"from_id": ids.to_numpy(dtype=object)[is_code], "to_id": codes.to_numpy(dtype=object)[is_code]}
    )
    located = located[located["to_id"].isin(known)].reset_index(drop=True)
    located = located.assign(from_type=label, to_type="Region")
    if source is not None and len(source):
        located["source"] = source.iloc[0]
    return regions, part_of_rows(regions), located


def link_regions(graph, label: str, rows: pd.DataFrame) -> dict[str, int]:
    """Create the Region nodes ``rows["region"]`` needs (with PART_OF) and LOCATED_IN from each node to its region.

    Call inside the load's transaction, after the nodes are written (the
    loaders do, for every node type with a ``region`` property).  A node whose
    region changed loses its LOCATED_IN link to the old region, so the links
    always mirror the ``region`` property.
    """
    if "region" not in rows or "LOCATED_IN" not in graph.schema.edges:
        return {}
    if (
        label not in graph.schema.edge("LOCATED_IN").from_types
        or "Region" not in graph.schema.edge("LOCATED_IN").to_types
    ):
        return {}
    regions, parts, located = _derived(rows["id"], rows["region"], label, rows.get("source"))
    if regions.empty:
        return {}
    graph.upsert_nodes("Region", regions, validated=True)
    if len(parts):
        graph.upsert_edges("PART_OF", parts.assign(to_type="Region"), validated=True)
    moved, kept = _drop_stale_links(graph, label, located) if graph.count("LOCATED_IN") else (0, set())
    fresh = located[[pair not in kept for pair in zip(located["from_id"], located["to_id"])]] if kept else located
    if len(fresh):  # links already in place are left as they are (a reload changes nothing)
        graph.upsert_edges("LOCATED_IN", fresh, validated=True)
    out = {"Region": len(regions), "PART_OF": len(parts), "LOCATED_IN": len(located)}
    if moved:
        out["LOCATED_IN moved"] = moved
    return out


def _drop_stale_links(graph, label: str, located: pd.DataFrame) -> tuple[int, set]:
    """Delete LOCATED_IN links of these nodes to a Region other than their current one.

    Returns how many were deleted and the ``(node id, region code)`` links already in place.
    """
    label = graph.schema.node(label).label
    find = cypher.edge_page("LOCATED_IN", label, "Region", [])
    ids = located["from_id"].drop_duplicates().tolist()
    batch = graph.backend.batch_size
    stored = pd.concat(
        [graph.query(find, ids=ids[i : i + batch]) for i in range(0, len(ids), batch)]
        or [pd.DataFrame(columns=["from_id", "to_id"])],
        ignore_index=True,
    ).rename(columns={"from_id": "id", "to_id": "region"})
    if stored.empty:
        return 0, set()
    current = dict(zip(located["from_id"], located["to_id"]))
    is_stale = stored["id"].map(current) != stored["region"]
    kept = set(zip(stored["id"][~is_stale], stored["region"][~is_stale]))
    stale = stored[is_stale]
    if stale.empty:
        return 0, kept
    drop = cypher.delete_edges("LOCATED_IN", label, "Region")
    rows = stale.rename(columns={"id": "from_id", "region": "to_id"}).to_dict("records")
    for i in range(0, len(rows), batch):
        graph.query(drop, rows=rows[i : i + batch])
    return len(stale), kept
