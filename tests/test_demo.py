"""The demo generator: deterministic, well-formed, realistic in structure; loads through the loaders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from stdnum.cn import uscc

from kg import KnowledgeGraph
from kg.demo import build_demo, generate


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The demo city at scale 1 (files only)."""
    folder = tmp_path_factory.mktemp("demo")
    files = generate(folder, seed=7, scale=1.0)
    read = lambda name: pd.read_csv(folder / f"{name}.csv", dtype=str)  # noqa: E731
    return files, read


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = generate(tmp_path / "a", seed=3, scale=0.05)
    b = generate(tmp_path / "b", seed=3, scale=0.05)
    c = generate(tmp_path / "c", seed=4, scale=0.05)
    assert _digest(a.folder) == _digest(b.folder)
    assert _digest(a.folder) != _digest(c.folder)
    assert a.rows == b.rows


def test_city_has_every_kind_of_actor_and_linkage(city):
    files, _ = city
    rows = files.rows
    assert rows["Enterprise"] == 2000
    for t in (
        "University",
        "ResearchInstitute",
        "Person",
        "AcademicianWorkstation",
        "RDPlatform",
        "Incubator",
        "Park",
        "Region",
        "Project",
        "Patent",
        "TechDemand",
        "Achievement",
        "Field",
        "Qualification",
        "ServiceOrg",
        "Award",
    ):
        assert rows.get(t, 0) > 0, t
    for e in (
        "COOPERATES_WITH",
        "PARTICIPATES_IN",
        "HOSTS",
        "OPERATES",
        "STATIONED_AT",
        "AFFILIATED_WITH",
        "LOCATED_IN",
        "PART_OF",
        "INCUBATED_BY",
        "APPLIED_FOR",
        "INVENTED",
        "POSTED",
        "OWNS",
        "TRANSFERRED_TO",
        "CONTRACTED_WITH",
        "IN_FIELD",
        "SUBFIELD_OF",
        "CERTIFIED_AS",
        "INVESTS_IN",
        "WON",
    ):
        assert rows.get(e, 0) > 0, e
    assert rows["Field"] == 43 and rows["SUBFIELD_OF"] == 35  # 8 key fields, 35 sub-fields


def test_keys_are_well_formed(city):
    _, read = city
    firms = read("nodes_Enterprise")
    assert firms["统一社会信用代码"].map(uscc.is_valid).all()
    assert firms["统一社会信用代码"].is_unique and firms["企业名称"].is_unique
    assert set(firms["所在区县"]) == {"211102", "211103", "211104", "211122"}  # 盘锦市's counties
    unis = read("nodes_University")
    assert unis["学校标识码"].str.fullmatch(r"4\d{9}").all()
    assert "辽宁石油化工大学" in set(unis["学校名称"])  # real list, the demo's province included


def test_cooperation_degrees_are_heavy_tailed(city):
    _, read = city
    coop = read("edges_COOPERATES_WITH")
    per_firm = coop.groupby("企业名称").size().reindex(read("nodes_Enterprise")["统一社会信用代码"], fill_value=0)
    assert (per_firm == 0).mean() > 0.3  # many firms have no academic partner
    assert per_firm.max() >= 10
    per_org = coop.groupby("合作单位").size()
    assert per_org.max() > 5 * per_org.median()


def test_cooperation_shows_field_homophily_and_locality(city):
    _, read = city
    coop = read("edges_COOPERATES_WITH")
    infield = read("edges_IN_FIELD")
    fields = infield.groupby("主体")["技术领域"].apply(set)
    same = [bool(fields.get(f, set()) & fields.get(u, set())) for f, u in zip(coop["企业名称"], coop["合作单位"])]
    shuffled = coop["合作单位"].sample(frac=1.0, random_state=0).tolist()
    chance = [bool(fields.get(f, set()) & fields.get(u, set())) for f, u in zip(coop["企业名称"], shuffled)]
    assert sum(same) / len(same) > 2 * sum(chance) / len(chance)
    unis = read("nodes_University")
    unis = unis[unis["办学层次"] == "本科"].set_index("学校标识码")  # compare like with like
    with_unis = coop[coop["合作单位"].isin(unis.index)]
    local_partners = with_unis["合作单位"].map(lambda u: str(unis["所在区县"][u]).startswith("21")).mean()
    local_share = unis["所在区县"].astype(str).str.startswith("21").mean()
    assert local_partners > 1.2 * local_share


def test_academician_ties_link_firm_to_the_academicians_institution(city):
    _, read = city
    stationed = read("edges_STATIONED_AT")
    hosts = read("edges_HOSTS")
    aff = read("edges_AFFILIATED_WITH").set_index("姓名")["工作单位"]
    host_of = hosts.set_index("平台名称")["依托单位"]
    coop = set(zip(read("edges_COOPERATES_WITH")["企业名称"], read("edges_COOPERATES_WITH")["合作单位"]))
    ties = [(host_of[ws], aff[p]) for p, ws in zip(stationed["院士姓名"], stationed["工作站名称"])]
    assert ties and all(t in coop for t in ties)


def test_scale_grows_the_region(tmp_path):
    small = generate(tmp_path / "s", seed=1, scale=0.02)
    assert small.rows["Enterprise"] == 40
    assert small.rows["Region"] == 6


@pytest.mark.slow  # ~10 s; the same paths run on smaller inputs in the default suite
def test_demo_loads_through_the_loaders_and_twice_gives_identical_counts(tmp_path):
    with KnowledgeGraph.open(tmp_path / "demo.kg") as g:
        first = build_demo(g, seed=2, scale=0.05)
        counts1 = g.counts()
        build_demo(g, seed=2, scale=0.05)
        counts2 = g.counts()
    assert counts1.equals(counts2)
    got = counts1.set_index("type")["count"]
    for type_, n in first.rows.items():
        if type_ not in ("LOCATED_IN", "IN_FIELD", "PART_OF", "OWNS"):  # several files per type are merged per pair
            assert got[type_] == n, type_
    assert got["COOPERATES_WITH"] == first.rows["COOPERATES_WITH"]
