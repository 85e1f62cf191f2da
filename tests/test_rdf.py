"""RDF: export, import, round trips, SHACL validation and the SPARQL examples."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from kg import KnowledgeGraph
from kg.errors import LoadError
from kg.rdf import export_rdf, load_rdf, run_sparql, validate_graph, vocabulary

IKG = rdflib.Namespace("https://w3id.org/innovation-kg/")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
E1 = "91211102MA0XXXXX1A"


def build_small(g: KnowledgeGraph) -> None:
    """A hand-built graph: Chinese text, lists, dates, enums, booleans, floats, edges with and without props."""
    g.upsert_nodes(
        "Field",
        [
            {"id": "F01", "name": "新材料", "field_level": 1, "keywords": ["材料", "高分子"]},
            {"id": "F0101", "name": "高分子材料", "field_level": 2},
            {"id": "F02", "name": "电子信息", "field_level": 1},
        ],
    )
    g.upsert_nodes(
        "Enterprise",
        [
            {
                "id": E1,
                "name": "盘锦“甲”化工有限公司",
                "aliases": ["甲化工", "甲公司"],
                "scale": "规上",
                "founded": dt.date(2008, 3, 1),
                "employees": 320,
                "revenue": 12345.5,
                "listed": False,
                "description": '行1\n"引号" \\ 反斜杠',
                "source": "企业名单.xlsx",
                "source_row": 5,
            },
            {"id": "E2", "name": "乙电子", "scale": "small", "website": "http://yi.example.cn/a b"},
        ],
    )
    g.upsert_nodes("University", [{"id": "4121010140", "name": "大连理工大学", "tags": ["双一流", "985", "211"]}])
    g.upsert_nodes("ResearchInstitute", [{"id": "R1", "name": "辽宁石化研究院", "institute_kind": "新型研发机构"}])
    g.upsert_nodes(
        "Person",
        [
            {"id": "P1", "name": "张院士", "roles": ["中国工程院院士", "专家"], "expertise": "催化"},
            {"id": "P2", "name": "李工", "roles": ["expert"]},
        ],
    )
    g.upsert_nodes(
        "AcademicianWorkstation", [{"id": "W1", "name": "甲化工院士工作站", "level": "省级", "founded_year": 2019}]
    )
    g.upsert_edges(
        "COOPERATES_WITH",
        [
            {"from_id": E1, "to_id": "4121010140", "since": 2018, "cooperation_kind": "联合研发", "source": "合作.csv"},
            {"from_id": "E2", "to_id": "R1"},
        ],
    )
    g.upsert_edges(
        "IN_FIELD",
        [
            {"from_id": E1, "to_id": "F0101", "weight": 0.8},
            {"from_id": "E2", "to_id": "F02"},
            {"from_id": "4121010140", "to_id": "F01", "from_type": "University"},
        ],
    )
    g.upsert_edges("SUBFIELD_OF", [{"from_id": "F0101", "to_id": "F01"}])
    g.upsert_edges("HOSTS", [{"from_id": E1, "to_id": "W1", "since": 2019}])
    g.upsert_edges("STATIONED_AT", [{"from_id": "P1", "to_id": "W1", "since": 2020}])
    g.upsert_edges("AFFILIATED_WITH", [{"from_id": "P1", "to_id": "4121010140", "position": "教授"}])


def export_graph(g: KnowledgeGraph, fmt: str = "nt") -> rdflib.Graph:
    buf = io.StringIO()
    export_rdf(g, buf, format=fmt)
    return rdflib.Graph().parse(data=buf.getvalue(), format={"nt": "nt", "turtle": "turtle"}[fmt])


@pytest.fixture
def small(graph):
    build_small(graph)
    return graph


# ------------------------------------------------------------------ export
def test_nodes_are_typed_resources_with_typed_values(small):
    rg = export_graph(small)
    e1 = URIRef(vocabulary().node_iri("Enterprise", E1))
    assert (e1, rdflib.RDF.type, IKG.Enterprise) in rg
    assert rg.value(e1, RDFS_LABEL) == Literal("盘锦“甲”化工有限公司")
    assert rg.value(e1, IKG.founded) == Literal("2008-03-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert rg.value(e1, IKG.employees).toPython() == 320
    assert rg.value(e1, IKG.revenue).toPython() == 12345.5
    assert rg.value(e1, IKG.listed).toPython() is False
    assert rg.value(e1, IKG.scale) == Literal("above_designated_size")  # enums by key
    alt = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    assert sorted(map(str, rg.objects(e1, alt))) == ["甲公司", "甲化工"]
    assert str(rg.value(e1, URIRef("http://purl.org/dc/terms/description"))) == '行1\n"引号" \\ 反斜杠'
    # provenance: dcterms:source literal plus a prov:Entity
    src = rg.value(e1, PROV_DERIVED)
    assert (src, rdflib.RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in rg
    assert str(rg.value(src, RDFS_LABEL)) == "企业名单.xlsx"
    e2 = URIRef(vocabulary().node_iri("Enterprise", "E2"))
    assert rg.value(e2, IKG.website) == URIRef("http://yi.example.cn/a%20b")


def test_edges_are_shortcuts_and_qualified_relations(small):
    rg = export_graph(small)
    v = vocabulary()
    e1, u = URIRef(v.node_iri("Enterprise", E1)), URIRef(v.node_iri("University", "4121010140"))
    e2, r1 = URIRef(v.node_iri("Enterprise", "E2")), URIRef(v.node_iri("ResearchInstitute", "R1"))
    assert (e1, IKG.cooperatesWith, u) in rg and (e2, IKG.cooperatesWith, r1) in rg
    qualified = list(rg.subjects(rdflib.RDF.type, IKG.CooperatesWith))
    assert len(qualified) == 1  # E2 -> R1 has no properties: shortcut only
    q = qualified[0]
    assert (q, IKG.from_id, e1) in rg and (q, IKG.to_id, u) in rg
    assert rg.value(q, IKG.since).toPython() == 2018
    assert str(rg.value(q, IKG.cooperation_kind)) == "joint_rd"
    assert str(rg.value(rg.value(q, PROV_DERIVED), RDFS_LABEL)) == "合作.csv"


def test_turtle_and_ntriples_and_jsonld_carry_the_same_graph(small):
    nt, ttl = export_graph(small, "nt"), export_graph(small, "turtle")
    buf = io.StringIO()
    export_rdf(small, buf, format="jsonld")
    js = rdflib.Graph().parse(data=buf.getvalue(), format="json-ld")
    assert len(nt) > 80
    assert isomorphic(nt, ttl) and isomorphic(nt, js)


def test_export_to_file_reports_counts(small, tmp_path):
    stats = export_rdf(small, tmp_path / "g.ttl")
    assert stats.format == "turtle" and stats.nodes == 10 and stats.edges == 9
    assert stats.qualified == 5  # edges with properties
    assert stats.triples == len(rdflib.Graph().parse(tmp_path / "g.ttl"))


def test_paging_gives_the_same_graph_as_one_page(small):
    one, paged = io.StringIO(), io.StringIO()
    export_rdf(small, one, format="nt")
    export_rdf(small, paged, format="nt", page_size=1)
    a = rdflib.Graph().parse(data=one.getvalue(), format="nt")
    b = rdflib.Graph().parse(data=paged.getvalue(), format="nt")
    assert isomorphic(a, b)


# ------------------------------------------------------------ round trips
def test_rdf_store_rdf_is_isomorphic(small):
    first = export_graph(small)
    with KnowledgeGraph.open(":memory:") as other:
        report = load_rdf(other, io.StringIO(first.serialize(format="nt")), format="nt")
        assert report.by_type["Enterprise"] == 2 and report.by_type["COOPERATES_WITH"] == 2
        second = export_graph(other)
    assert isomorphic(first, second)


def test_load_rdf_from_file_is_one_transaction(small, tmp_path):
    path = tmp_path / "g.nt"
    export_rdf(small, path)
    text = path.read_text(encoding="utf-8")
    # an edge to a node the file does not define: nothing is loaded
    bad = (
        text
        + f"<{vocabulary().node_iri('Enterprise', E1)}> <{IKG}cooperatesWith> <{vocabulary().node_iri('University', 'NOPE')}> .\n"
    )
    (tmp_path / "bad.nt").write_text(bad, encoding="utf-8")
    with KnowledgeGraph.open(":memory:") as other:
        with pytest.raises(LoadError, match="NOPE"):
            load_rdf(other, tmp_path / "bad.nt")
        assert int(other.counts()["count"].sum()) == 0
        from kg.loaders import load_file

        report = load_file(other, path)  # `kg load graph.nt` goes through here
        assert report.committed and other.count("Person") == 2 and other.count("HOSTS") == 1


def test_unreadable_rdf_names_the_file(graph, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(LoadError, match="broken.ttl.*not readable as RDF"):
        load_rdf(graph, path)


def _frames(g: KnowledgeGraph) -> dict[str, pd.DataFrame]:
    """Every node and edge with its properties, lists sorted (RDF keeps no order of repeated values)."""
    G = g.to_networkx()
    out = {}
    rows: dict[str, list] = {}
    for _, attrs in G.nodes(data=True):
        rows.setdefault(attrs["label"], []).append(
            {k: sorted(v) if isinstance(v, list) else v for k, v in attrs.items()}
        )
    for u, v, k, attrs in G.edges(keys=True, data=True):
        rows.setdefault(k, []).append({"u": u, "v": v, **attrs})
    for name, recs in rows.items():
        frame = pd.DataFrame(recs)
        cols = sorted(frame.columns)
        frame = frame[cols].astype(str).sort_values(cols, ignore_index=True)
        out[name] = frame
    return out


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory):
    """The demo graph and a store re-imported from its Turtle export."""
    from kg.demo import build_demo

    path = tmp_path_factory.mktemp("rdf") / "demo.nt"
    with KnowledgeGraph.open(":memory:") as a, KnowledgeGraph.open(":memory:") as b:
        build_demo(a, seed=7, scale=0.05)
        stats = export_rdf(a, path)
        report = load_rdf(b, path)
        yield a, b, stats, report, path


def test_demo_round_trip_keeps_counts_and_properties(demo_pair):
    a, b, stats, report, _ = demo_pair
    ca, cb = a.counts(), b.counts()
    assert ca["count"].sum() > 5000
    assert ca["count"].tolist() == cb["count"].tolist()
    fa, fb = _frames(a), _frames(b)
    assert set(fa) == set(fb)
    for name in fa:
        pd.testing.assert_frame_equal(fa[name], fb[name], obj=name)
    assert stats.triples == report.rows_read


# ------------------------------------------------------------------- SHACL
def test_export_conforms_to_the_generated_shapes(small):
    result = validate_graph(export_graph(small))
    assert result.conforms, result.violations.to_string()


BROKEN = """
@prefix ikg: <https://w3id.org/innovation-kg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/innovation-kg/id/Enterprise/E1> a ikg:Enterprise ; rdfs:label "甲公司" ; ikg:id "E1" ;
    ikg:scale "huge" ;
    ikg:employees "很多" ;
    ikg:uscc "12345" ;
    ikg:favourite_colour "红" ;
    ikg:cooperatesWith <https://w3id.org/innovation-kg/id/Person/P1> .
<https://w3id.org/innovation-kg/id/Enterprise/E2> a ikg:Enterprise ; ikg:id "E2" ; rdfs:label "乙" , "乙公司" .
<https://w3id.org/innovation-kg/id/Person/P1> a ikg:Person ; rdfs:label "王" ; ikg:roles "wizard" .
<https://w3id.org/innovation-kg/id/CooperatesWith/x> a ikg:CooperatesWith ; ikg:from_id <https://w3id.org/innovation-kg/id/Enterprise/E1> ; ikg:since "2019" .
"""


def test_broken_graph_reports_violations_by_node_and_property():
    data = rdflib.Graph().parse(data=BROKEN, format="turtle")
    result = validate_graph(data)
    assert not result.conforms
    got = {(r.type, r.id, r.property, r.constraint) for r in result.violations.itertuples()}
    expected = {
        ("Enterprise", "E1", "scale", "In"),  # not an enum key
        ("Enterprise", "E1", "employees", "Datatype"),  # not an integer
        ("Enterprise", "E1", "uscc", "Pattern"),  # check-digit pattern
        ("Enterprise", "E1", "COOPERATES_WITH", "Or"),  # a Person is not a University/Institute
        ("Enterprise", "E2", "name", "MaxCount"),  # two names
        ("Person", "P1", "roles", "In"),
        ("CooperatesWith", "x", "to_id", "MinCount"),  # qualified relation without its end
        ("CooperatesWith", "x", "since", "Datatype"),
    }
    assert expected <= got, got - expected
    closed = result.violations[result.violations["constraint"] == "Closed"]
    assert closed["property"].tolist() == ["https://w3id.org/innovation-kg/favourite_colour"]
    summary = result.summary()
    assert set(summary.columns) == {"type", "property", "constraint", "count"}


# ------------------------------------------------------------------ SPARQL
def test_sparql_firms_and_academic_partners_by_field(small):
    df = run_sparql(export_graph(small), "firms_academic_partners_by_field")
    assert df.to_dict("records") == [
        {
            "field": "新材料",
            "firm": "盘锦“甲”化工有限公司",
            "partner": "大连理工大学",
            "partner_type": "University",
            "since": 2018,
        },
        {
            "field": "电子信息",
            "firm": "乙电子",
            "partner": "辽宁石化研究院",
            "partner_type": "ResearchInstitute",
            "since": None,
        },
    ]


def test_sparql_academicians_and_their_workstations(small):
    df = run_sparql(export_graph(small), "academicians_workstations")
    assert df.to_dict("records") == [
        {
            "academician": "张院士",
            "role": "cae_academician",
            "workstation": "甲化工院士工作站",
            "host": "盘锦“甲”化工有限公司",
            "since": 2020,
        },
    ]


def test_sparql_provenance_by_source(small):
    df = run_sparql(export_graph(small), "provenance_by_source")
    assert df.to_dict("records") == [
        {"source": "企业名单.xlsx", "derived": 1},
        {"source": "合作.csv", "derived": 1},
    ] or sorted(df["source"]) == ["企业名单.xlsx", "合作.csv"]


def test_sparql_over_the_demo_export(demo_pair):
    *_, path = demo_pair
    data = rdflib.Graph().parse(path)
    partners = run_sparql(data, "firms_academic_partners_by_field")
    assert len(partners) > 50 and partners["field"].nunique() >= 3
    assert set(partners["partner_type"]) <= {"University", "ResearchInstitute"}


# --------------------------------------------------------------------- CLI
def test_cli_export_validate_and_load(small, tmp_path, capsys):
    from kg.cli import main

    db = tmp_path / "a.kg"
    with KnowledgeGraph.open(db) as g:
        build_small(g)
    out = tmp_path / "g.ttl"
    assert main(["--db", str(db), "export", "rdf", "-o", str(out)]) == 0
    assert "triples" in capsys.readouterr().out
    assert main(["validate", str(out)]) == 0
    assert "conforms" in capsys.readouterr().out
    bad = tmp_path / "bad.ttl"
    bad.write_text(BROKEN, encoding="utf-8")
    assert main(["--json", "validate", str(bad)]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False and report["violations"] >= 8
    assert main(["--db", str(tmp_path / "b.kg"), "load", str(out)]) == 0
    with KnowledgeGraph.open(tmp_path / "b.kg") as b:
        assert b.count("Enterprise") == 2 and b.count("STATIONED_AT") == 1
