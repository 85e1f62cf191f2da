"""Address and region columns become Region nodes with 行政区划代码 (cpca) and LOCATED_IN links."""

from __future__ import annotations

import pandas as pd

from kg.loaders import load_frame


def test_region_names_codes_and_addresses_become_linked_regions(graph):
    sheet = pd.DataFrame(
        {
            "企业名称": ["甲公司", "乙公司", "丙公司", "丁公司"],
            "所在区县": ["双台子区", "211103", None, None],
            "地址": [None, None, "辽宁省盘锦市大洼区向海大道1号", "北京市海淀区颐和园路5号"],
        }
    )
    report = load_frame(graph, sheet, "Enterprise")
    assert report.loaded == 4 and report.by_type["LOCATED_IN"] == 4
    df = graph.query(
        "MATCH (e:Enterprise)-[:LOCATED_IN]->(r:Region) RETURN e.name AS firm, e.region AS code, r.name AS region "
        "ORDER BY firm"
    )
    assert df.values.tolist() == [
        ["丁公司", "110108", "海淀区"],
        ["丙公司", "211104", "大洼区"],
        ["乙公司", "211103", "兴隆台区"],
        ["甲公司", "211102", "双台子区"],
    ]
    chain = graph.query(
        "MATCH (c:Region {id: '211102'})-[:PART_OF]->(m:Region)-[:PART_OF]->(p:Region) "
        "RETURN m.name AS city, p.name AS province"
    )
    assert chain.values.tolist() == [["盘锦市", "辽宁省"]]
    levels = dict(graph.query("MATCH (r:Region) RETURN r.id AS id, r.region_level AS l").values.tolist())
    assert levels["210000"] == "province" and levels["211100"] == "city" and levels["211104"] == "county"
    again = load_frame(graph, sheet, "Enterprise")  # idempotent
    assert graph.count("LOCATED_IN") == 4 and graph.count("Region") == len(levels) and again.loaded == 4


def test_a_firm_that_moves_is_relinked_and_unplaced_names_are_kept(graph):
    load_frame(
        graph, pd.DataFrame({"企业名称": ["甲公司", "乙公司"], "所在区县": ["双台子区", "兴隆台"]}), "Enterprise"
    )
    df = graph.query(
        "MATCH (e:Enterprise) OPTIONAL MATCH (e)-[:LOCATED_IN]->(r:Region) "
        "RETURN e.name AS firm, e.region AS region, r.id AS linked ORDER BY firm"
    )
    # 兴隆台 (without 区) is no place cpca knows: kept as written, not linked
    assert df.fillna("-").values.tolist() == [["乙公司", "兴隆台", "-"], ["甲公司", "211102", "211102"]]
    report = load_frame(
        graph, pd.DataFrame({"企业名称": ["甲公司"], "地址": ["辽宁省盘锦市大洼区向海大道1号"]}), "Enterprise"
    )
    assert report.by_type.get("LOCATED_IN moved") == 1
    links = graph.query("MATCH (e:Enterprise {name: '甲公司'})-[:LOCATED_IN]->(r:Region) RETURN r.name AS r")
    assert links["r"].tolist() == ["大洼区"]  # the link follows the region property, the old one is gone
    assert graph.count("LOCATED_IN") == 1


def test_derive_regions_rows():
    from kg.loaders.regions import derive_regions

    rows = pd.DataFrame(
        {
            "id": ["P1", "P2", "P3"],
            "region": ["211100", None, "火星"],
            "address": [None, "辽宁省盘锦市盘山县太平镇", None],
        }
    )
    regions, part_of, located = derive_regions(rows, "Park")
    assert dict(zip(regions["id"], regions["region_level"])) == {
        "210000": "province",
        "211100": "city",
        "211122": "county",
    }
    assert sorted(map(tuple, part_of[["from_id", "to_id"]].values.tolist())) == [
        ("211100", "210000"),
        ("211122", "211100"),
    ]
    assert located[["from_id", "to_id", "from_type"]].values.tolist() == [
        ["P1", "211100", "Park"],
        ["P2", "211122", "Park"],
    ]
