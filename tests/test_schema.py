"""The LinkML schema covers the domain model and its generated artefacts are fresh."""

from __future__ import annotations

import pytest

from kg.errors import SchemaError
from kg.schema import load_schema
from kg.schema.generate import artefacts, generated_dir

# The domain model of DESIGN.md: every node label and edge type with its endpoints.
DESIGN_NODES = {
    "Enterprise": "企业",
    "University": "高校",
    "ResearchInstitute": "科研院所",
    "Person": "人才",
    "AcademicianWorkstation": "院士工作站",
    "RDPlatform": "研发平台",
    "Incubator": "孵化载体",
    "Park": "园区",
    "Region": "行政区划",
    "Project": "科技项目",
    "Patent": "专利",
    "TechDemand": "技术需求",
    "Achievement": "科技成果",
    "Field": "技术领域",
    "Qualification": "资质认定",
    "ServiceOrg": "科技服务机构",
    "Award": "科技奖励",
    "PolicyDocument": "政策文件",
    "Target": "目标指标",
    "Event": "科技活动",
    "GovernmentAgency": "政府机构",
}
ORGS = {"Enterprise", "University", "ResearchInstitute"}
DESIGN_EDGES = {
    "COOPERATES_WITH": ({"Enterprise"}, {"University", "ResearchInstitute"}),
    "PARTICIPATES_IN": (ORGS | {"Person", "ServiceOrg", "GovernmentAgency"}, {"Project"}),
    "HOSTS": (ORGS, {"AcademicianWorkstation", "RDPlatform"}),
    "OPERATES": ({"Enterprise", "ServiceOrg", "Park"}, {"Incubator"}),
    "STATIONED_AT": ({"Person"}, {"AcademicianWorkstation"}),
    "AFFILIATED_WITH": ({"Person"}, ORGS),
    "LOCATED_IN": (None, {"Park", "Region"}),
    "PART_OF": ({"Region", "Park"}, {"Region"}),
    "INCUBATED_BY": ({"Enterprise"}, {"Incubator"}),
    "APPLIED_FOR": (ORGS | {"Person", "GovernmentAgency"}, {"Patent"}),
    "INVENTED": ({"Person"}, {"Patent"}),
    "POSTED": ({"Enterprise"}, {"TechDemand"}),
    "OWNS": (ORGS | {"Person"}, {"Achievement"}),
    "TRANSFERRED_TO": ({"Achievement"}, {"Enterprise"}),
    "CONTRACTED_WITH": ({"Enterprise"}, ORGS),
    "IN_FIELD": (None, {"Field"}),
    "SUBFIELD_OF": ({"Field"}, {"Field"}),
    "CERTIFIED_AS": ({"Enterprise"}, {"Qualification"}),
    "INVESTS_IN": ({"ServiceOrg"}, {"Enterprise"}),
    "WON": (None, {"Award"}),
    "SETS": ({"PolicyDocument"}, {"Target"}),
    "SERVES": ({"Person"}, {"Enterprise", "Park", "Region"}),
    "ORGANISES": (ORGS | {"ServiceOrg", "GovernmentAgency", "Park", "Incubator"}, {"Event"}),
    "ATTENDS": (ORGS | {"Person"}, {"Event"}),
    "SUBSIDIARY_OF": (ORGS | {"ServiceOrg", "GovernmentAgency"}, ORGS | {"ServiceOrg", "GovernmentAgency"}),
    "BRANCH_OF": (ORGS | {"ServiceOrg", "GovernmentAgency"}, ORGS | {"ServiceOrg", "GovernmentAgency"}),
}


def test_every_design_node_type_is_in_the_schema_with_its_chinese_name():
    s = load_schema()
    assert set(s.nodes) == set(DESIGN_NODES)
    for label, title in DESIGN_NODES.items():
        assert s.node(label).title == title
        assert s.node(title).label == label  # lookup by Chinese name


@pytest.mark.parametrize("etype", sorted(DESIGN_EDGES))
def test_every_design_edge_type_has_its_endpoints(etype):
    s = load_schema()
    edge = s.edge(etype)
    want_from, want_to = DESIGN_EDGES[etype]
    if want_from is not None:
        assert set(edge.from_types) == want_from
    assert set(edge.to_types) == want_to
    assert edge.title and edge.from_title and edge.to_title
    assert {"source", "source_row"} <= set(edge.properties)


def test_edge_type_set_is_exactly_the_design():
    assert set(load_schema().edges) == set(DESIGN_EDGES)


def test_every_property_has_chinese_and_english_names():
    s = load_schema()
    for t in s.iter_types():
        for p in t.properties.values():
            assert p.title and p.title != p.name, (t, p.name)
            assert p.label_en, (t, p.name)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in p.title), f"{p.name} title {p.title!r} has no Chinese"


def test_nodes_have_required_id_and_name_and_provenance():
    for n in load_schema().nodes.values():
        assert list(n.properties)[:2] == ["id", "name"]
        assert n.properties["id"].required and n.properties["name"].required
        assert {"source", "source_row", "aliases"} <= set(n.properties)


def test_enums_accept_keys_titles_and_aliases():
    enums = load_schema().enums
    assert enums["Level"].normalise("国家级") == "national"
    assert enums["Level"].normalise("provincial") == "provincial"
    assert enums["PlatformKind"].normalise("工程中心") == "engineering_research_center"
    assert enums["QualificationKind"].normalise("小巨人") == "little_giant"
    with pytest.raises(SchemaError, match="use one of: national \\(国家级\\)"):
        enums["Level"].normalise("宇宙级")


def test_unknown_types_name_close_matches():
    s = load_schema()
    with pytest.raises(SchemaError, match="did you mean Enterprise"):
        s.node("Enterprize")
    with pytest.raises(SchemaError, match="COOPERATES_WITH"):
        s.edge("COOPERATE_WITH")


@pytest.mark.parametrize(
    "name", ["innovation.owl.ttl", "innovation.shacl.ttl", "ladybug.ddl", "neo4j_constraints.cypher"]
)
def test_committed_artefact_is_fresh(name):
    committed = (generated_dir() / name).read_text(encoding="utf-8")
    assert committed == artefacts(only=(name,))[name], f"schema/generated/{name} is stale: run `make schema`"


def test_owl_carries_chinese_labels():
    owl = (generated_dir() / "innovation.owl.ttl").read_text(encoding="utf-8")
    assert '"企业"' in owl and '"院士工作站"' in owl
