"""The public names: one convention, old names warn for one release and give the same result, modules stay
modules; optional extras name themselves when missing; the matching index follows every write."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import kg
import kg.queries.analytics as A
import kg.viz as V
from kg import KnowledgeGraph
from kg.queries.matching import matching_index

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kite():
    G = nx.krackhardt_kite_graph()
    nx.set_node_attributes(G, {n: ("University" if n % 3 == 0 else "Enterprise") for n in G}, "type")
    return G


@pytest.fixture(scope="module")
def tiny():
    g = KnowledgeGraph.open(":memory:")
    g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲公司"}, {"id": "E2", "name": "乙公司"}])
    g.upsert_nodes("University", [{"id": "U1", "name": "丙大学"}, {"id": "U2", "name": "丁大学"}])
    g.upsert_edges(
        "COOPERATES_WITH",
        [{"from_id": "E1", "to_id": "U1"}, {"from_id": "E2", "to_id": "U1"}, {"from_id": "E2", "to_id": "U2"}],
    )
    yield g
    g.close()


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    else:
        assert tuple(a) == tuple(b)


@pytest.mark.parametrize(
    ("old", "new", "args", "kwargs"),
    [
        (lambda: A.centrality, A.compute_centrality, ("betweenness,degree",), {}),
        (lambda: A.centrality.centrality, A.compute_centrality, (), {"measure": "closeness"}),
        (lambda: A.top, A.rank_nodes, (3, "degree"), {}),
        (lambda: A.brokers, A.find_brokers, (), {"top": None}),
        (lambda: A.brokerage, A.count_brokerage_roles, ("type",), {}),
        (lambda: A.communities, A.describe_communities, ("louvain",), {"seed": 1, "min_size": 2}),
        (lambda: A.participations, A.count_participations, (), {}),
    ],
    ids=["centrality", "centrality.centrality", "top", "brokers", "brokerage", "communities", "participations"],
)
def test_old_analytics_names_warn_and_give_the_same_result(kite, old, new, args, kwargs):
    with pytest.warns(DeprecationWarning, match=r"is deprecated and will be removed in 0\.3; use kg\.queries"):
        got = old()(kite, *args, **kwargs)
    renamed = {("measures" if k == "measure" else k): v for k, v in kwargs.items()}
    _same(got, new(kite, *args, **renamed))


def test_detect_warns_and_unpacks_like_the_old_pair(kite):
    p = A.projections.from_networkx(kite)
    with pytest.warns(DeprecationWarning, match="kg.queries.analytics.detect is deprecated"):
        membership, q = A.detect(p, "louvain", 1)
    found = A.detect_communities(p, "louvain", 1)
    assert isinstance(found, A.Partition) and found.membership == membership and found.modularity == q
    assert found.count == len(set(membership.values())) >= 2


def test_old_view_names_warn_and_give_the_same_view(tiny):
    with pytest.warns(DeprecationWarning, match="kg.viz.ego is deprecated"):
        old = V.ego(tiny, "E1", 2)
    new = V.ego_view(tiny, "E1", 2)
    assert sorted(old.nodes["key"]) == sorted(new.nodes["key"]) == ["Enterprise:E1", "Enterprise:E2", "University:U1"]
    with pytest.warns(DeprecationWarning, match="kg.viz.subgraph is deprecated"):
        sub = V.subgraph(tiny, ["Enterprise:E2", "University:U2"])
    assert sorted(sub.nodes["key"]) == sorted(V.subgraph_view(tiny, ["Enterprise:E2", "University:U2"]).nodes["key"])
    with pytest.warns(DeprecationWarning, match="kg.viz.overview is deprecated"):
        over = V.overview(tiny, min_size=1)
    assert len(over.nodes) == len(V.overview_view(tiny, min_size=1).nodes) >= 1


@pytest.mark.parametrize(
    "name",
    [
        "kg.queries.analytics.centrality",
        "kg.queries.analytics.brokerage",
        "kg.queries.analytics.communities",
        "kg.queries.analytics.participation",
        "kg.viz.overview",
        "kg.viz.views",
    ],
)
def test_modules_stay_modules(name):
    module = importlib.import_module(name)
    assert isinstance(module, types.ModuleType) and module.__name__ == name
    parent, _, child = name.rpartition(".")
    assert getattr(importlib.import_module(parent), child) is module


def test_new_names_raise_no_deprecation(kite, tiny, recwarn):
    A.compute_centrality(kite, ["degree"])
    A.find_brokers(kite)
    A.describe_communities(kite, "louvain", seed=1, min_size=2)
    V.ego_view(tiny, "E1")
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_measures_as_a_list_or_a_comma_string(kite):
    as_list = A.compute_centrality(kite, ["betweenness", "degree"])
    _same(as_list, A.compute_centrality(kite, "betweenness, degree"))
    assert list(as_list.columns[-2:]) == ["betweenness", "degree"]
    assert as_list["id"].iloc[0] == 7  # the kite's broker ranks first by the first measure
    with pytest.raises(kg.KGError, match="name at least one measure"):
        A.compute_centrality(kite, [])


def test_the_public_lists_hold_only_current_names():
    old = {"centrality", "brokerage", "brokers", "communities", "detect", "participations", "top", "ego", "subgraph"}
    assert not old & set(A.__all__) and not old & set(V.__all__) and "overview" not in V.__all__
    for name in A.__all__:
        assert not isinstance(getattr(A, name), types.ModuleType), name


def test_matching_index_follows_a_property_only_update(tiny):
    first = matching_index(tiny)
    assert first is matching_index(tiny)  # no write, no rebuild
    assert first.candidates.set_index("id").loc["U1", "name"] == "丙大学"
    tiny.upsert_nodes("University", [{"id": "U1", "name": "丙理工大学"}])  # same counts, a new name
    second = matching_index(tiny)
    assert second is not first and second.candidates.set_index("id").loc["U1", "name"] == "丙理工大学"
    tiny.query("MATCH (u:University {id: $id}) SET u.name = $name", id="U1", name="丙大学")
    assert matching_index(tiny).candidates.set_index("id").loc["U1", "name"] == "丙大学"


def test_expert_index_follows_a_property_only_update():
    from kg.queries.matching import match_experts

    with KnowledgeGraph.open(":memory:") as g:
        g.upsert_nodes("Enterprise", [{"id": "E1", "name": "甲公司", "products": "锂电池隔膜"}])
        g.upsert_nodes("University", [{"id": "U1", "name": "丙大学"}])
        g.upsert_nodes("Person", [{"id": "P1", "name": "张三", "expertise": "高分子膜材料"}])
        g.upsert_edges("AFFILIATED_WITH", [{"from_id": "P1", "to_id": "U1"}])
        before = match_experts(g, "E1")
        g.upsert_nodes("Person", [{"id": "P1", "expertise": "锂电池隔膜"}])  # same counts, new expertise
        after = match_experts(g, "E1")
    assert "P1" not in set(before["id"]) and after["id"].tolist()[:1] == ["P1"]


def test_one_version_source():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"] and meta["project"]["dynamic"] == ["version"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "kg._version.__version__"}
    assert kg.__version__ == importlib.metadata.version("innovation-kg")
    assert (ROOT / "kg" / "py.typed").is_file() and "py.typed" in meta["tool"]["setuptools"]["package-data"]["kg"]


def test_every_optional_module_belongs_to_a_declared_extra():
    from kg.extras import EXTRAS

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = meta["project"]["optional-dependencies"]
    assert set(EXTRAS.values()) <= set(extras)
    assert extras["all"] == ["innovation-kg[neo4j,rdf,docx,images]"]
    core = " ".join(meta["project"]["dependencies"])
    for dist in ("neo4j", "rdflib", "pyshacl", "python-docx", "matplotlib"):
        assert dist not in core


MISSING = """
import sys
sys.modules[{module!r}] = None
from kg.errors import MissingExtraError
try:
{call}
except MissingExtraError as exc:
    print(type(exc).__name__, isinstance(exc, ImportError), exc.extra, "|", exc)
"""


@pytest.mark.parametrize(
    ("module", "call", "expected"),
    [
        (
            "neo4j",
            "    from kg.backends.neo4j_backend import Neo4jBackend; Neo4jBackend('neo4j://localhost:1')",
            "a Neo4j store needs the optional package 'neo4j', which is not installed: pip install 'innovation-kg[neo4j]'",
        ),
        (
            "pyshacl",
            "    from kg.rdf.validate import validate_graph; import rdflib; validate_graph(rdflib.Graph())",
            "SHACL validation needs the optional package 'pyshacl', which is not installed: "
            "pip install 'innovation-kg[rdf]'",
        ),
        (
            "rdflib",
            "    from kg.rdf.sparql import run_sparql; run_sparql('x.ttl', 'q')",
            "SPARQL needs the optional package 'rdflib', which is not installed: pip install 'innovation-kg[rdf]'",
        ),
        (
            "docx",
            "    from pathlib import Path; p = Path('plan.docx'); p.write_bytes(b'x')\n"
            "    from kg.loaders.policy_text import read_text; read_text(p)",
            "plan.docx: reading .docx needs the optional package 'docx', which is not installed: "
            "pip install 'innovation-kg[docx]'",
        ),
        (
            "matplotlib",
            "    from kg.viz.export import write_image; write_image(None, 'x.png')",
            "writing an image (PNG/SVG) needs the optional package 'matplotlib', which is not installed: "
            "pip install 'innovation-kg[images]'",
        ),
    ],
    ids=["neo4j", "pyshacl", "rdflib", "docx", "matplotlib"],
)
def test_a_missing_extra_is_named(tmp_path, module, call, expected):
    out = subprocess.run(
        [sys.executable, "-c", MISSING.format(module=module, call=call)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    extra = expected.rsplit("[", 1)[1].split("]")[0]
    assert out.stdout.strip() == f"MissingExtraError True {extra} | {expected}"


def test_a_missing_extra_is_one_error_line_in_the_cli(tmp_path):
    (tmp_path / "x.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    code = "import sys; sys.modules['pyshacl'] = None\nfrom kg.cli import main\nsys.exit(main(['validate', 'x.ttl']))\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "pip install 'innovation-kg[rdf]'" in out.stderr and "Traceback" not in out.stderr


def _renamed_rows(doc: str = "docs/api.md", heading: str = "## Renamed in 0.2") -> list[tuple[str, str, str]]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    table = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("kg."):
            old, new, module = (c.split("(")[0].split(" ")[0].strip("`") for c in cells)
            rows.append((old, new, module))
    return rows


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize(
    ("doc", "heading"), [("docs/api.md", "## Renamed in 0.2"), ("README.md", "### Renamed in 0.2")]
)
def test_the_naming_table_in_the_docs_matches_the_code(doc, heading):
    rows = _renamed_rows(doc, heading)
    assert len(rows) == 11
    for old, new, module in rows:
        target = getattr(importlib.import_module(module), new)
        assert callable(target) and target.__name__ == new, (old, new)
        alias = _resolve(old)
        wrapped = getattr(alias, "_deprecated_call", alias).__wrapped__
        assert wrapped is target, (old, new)
