"""kg.regions: one resolver for regions given by code, prefix, name, address or country.

Expected codes come from cpca's bundled table read here with the csv module, not from the product.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections import Counter
from importlib import resources

import pytest

from kg import KnowledgeGraph, regions
from kg.errors import KGError, NotFoundError


def _table() -> dict[str, str]:
    """``{6-digit code: name}`` from cpca's adcodes.csv (市辖区 rows left out, like the product)."""
    text = resources.files("cpca").joinpath("resources", "adcodes.csv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["name"] != "市辖区":
            out.setdefault(row["adcode"][:6], row["name"])
    return out


TABLE = _table()


def test_every_uniquely_named_region_resolves_by_name_and_by_code():
    counts = Counter(TABLE.values())
    unique = {code: name for code, name in TABLE.items() if counts[name] == 1}
    assert len(unique) > 2500
    for code, name in list(unique.items())[::7]:
        found = regions.resolve(name)
        assert (found.code, found.name) == (code, name)
        assert regions.resolve(code).name == name
        level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"
        assert found.level == level


def test_prefix_at_each_level():
    assert regions.resolve("双台子区").prefix() == "211102"
    assert [regions.resolve("211102").prefix(level) for level in ("province", "city", "county")] == [
        "21",
        "2111",
        "211102",
    ]
    assert regions.code_at("211102", "country") == "CN"
    with pytest.raises(KGError, match="region '210000' is no city nor inside one"):
        regions.resolve("辽宁省").prefix("city")
    with pytest.raises(KGError, match="region level 'town': use one of country, province, city, county"):
        regions.code_prefix("211102", "town")


@pytest.mark.parametrize("given", ["盘锦市", "盘锦", "211100", "2111", "辽宁省盘锦市"])
def test_one_region_however_it_is_given(given):
    assert regions.prefix_of(given) == "2111"


def test_a_shared_name_lists_every_region_with_it():
    shared = sorted(code for code, name in TABLE.items() if name == "鼓楼区")
    assert len(shared) >= 2
    with pytest.raises(KGError) as err:
        regions.resolve("鼓楼区")
    message = str(err.value)
    assert message.startswith(f"--region '鼓楼区' names {len(shared)} regions: ")
    assert all(code in message for code in shared)
    # the city and county together are an address and name one of them
    nanjing = next(code for code in shared if TABLE[code[:4] + "00"] == "南京市")
    assert regions.resolve("南京市鼓楼区").code == nanjing


def test_countries_by_code_name_and_eu_code():
    assert regions.resolve("DE") == regions.Region("DE", "德国", "country")
    assert regions.resolve("Germany").code == regions.resolve("德国").code == "DE"
    assert regions.resolve("EL").code == "GR" and regions.resolve("UK").code == "GB"
    assert regions.prefix_of("DE") == "DE" and regions.prefix_of("DE", level="country") == "DE"


def test_bad_digits_and_empty_text_are_errors():
    with pytest.raises(KGError, match=r"--region '211': a region code has 6 digits \(211100\), or 2 or 4"):
        regions.resolve("211")
    with pytest.raises(KGError, match="--region '': give a region code"):
        regions.resolve("  ")
    assert regions.prefix_of(None) == "" and regions.prefix_of("") == ""


def test_unknown_region_suggests_close_names_from_the_store_and_the_table():
    with KnowledgeGraph.open(":memory:") as g:
        g.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}, {"id": "219901", "name": "辽滨沿海经济区"}])
        with pytest.raises(NotFoundError, match="no region with that code, name or address; close names: 盘锦市"):
            regions.resolve("盘金市", g)
        # a region of the store the table does not hold, by name and by code
        assert regions.resolve("辽滨沿海", g) == regions.Region("219901", "辽滨沿海经济区", "county")
        assert regions.resolve("219901", g).name == "辽滨沿海经济区"
    with pytest.raises(NotFoundError, match="close names: .*盘锦市"):
        regions.resolve("盘金市")


def test_deprecated_aliases_warn_and_agree():
    from kg.queries import targets

    with KnowledgeGraph.open(":memory:") as g:
        g.upsert_nodes("Region", [{"id": "211100", "name": "盘锦市"}])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert targets.resolve_region(g, "盘锦") == ("211100", "盘锦市")
            assert targets.region_prefix("211100") == "2111"
    kinds = [(w.category, str(w.message)) for w in caught]
    assert kinds == [
        (DeprecationWarning, "kg.queries.targets.resolve_region is deprecated; use kg.regions.resolve"),
        (DeprecationWarning, "kg.queries.targets.region_prefix is deprecated; use kg.regions.code_prefix"),
    ]
