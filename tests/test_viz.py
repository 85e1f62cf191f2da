"""HTML views: offline, escaped, styled from the schema, rendered in real headless Chromium; exports."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from browser import chromium, rendered_dom, screenshot
from kg import KnowledgeGraph
from kg.errors import KGError
from kg.viz import View, ego, match_view, region_view, subgraph, write_graph, write_image
from kg.viz.layout import MAX_NODES

XSS = "<img src=x onerror=alert(1)>"
needs_browser = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (`make browser` installs "
                                   "Debian's chromium; it needs apt and root or sudo)")


@pytest.fixture(scope="module")
def demo():
    from kg.demo import build_demo

    g = KnowledgeGraph.open(":memory:")
    build_demo(g, seed=7, scale=0.1)
    firm = g.run_named("demo_example_firm")["id"].iloc[0]
    g.upsert_nodes("Enterprise", [{"id": "XSS1", "name": XSS, "region": "211102"}])
    g.upsert_edges("COOPERATES_WITH", [{"from_id": "XSS1", "to_id": g.query(
        "MATCH (e:Enterprise {id: $f})-[:COOPERATES_WITH]->(u:University) RETURN u.id AS id LIMIT 1", f=firm).iloc[0, 0],
        "since": 2024}])
    yield g, firm
    g.close()


@pytest.fixture(scope="module")
def match_page(demo, tmp_path_factory):
    g, firm = demo
    return match_view(g, firm).write(tmp_path_factory.mktemp("viz") / "match.html")


@pytest.fixture(scope="module")
def xss_page(demo, tmp_path_factory):
    """The neighbourhood of the firm named like an HTML injection."""
    g, _ = demo
    return ego(g, "XSS1", 2).write(tmp_path_factory.mktemp("viz") / "ego.html")


def test_page_is_self_contained_utf8_and_escaped(xss_page):
    raw = xss_page.read_bytes()
    text = raw.decode("utf-8")  # written as UTF-8 whatever the platform
    assert '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;' in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "no external script, style or link"
    assert "vis.Network" in text and "<script src" not in text and "<link" not in text
    assert XSS not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "产学研合作" in text and "高校" in text and "企业" in text  # legend in Chinese, from the schema titles


def test_match_view_has_recommendations_with_evidence(demo):
    g, firm = demo
    v = match_view(g, firm, top=5)
    rec = v.edges[v.edges["type"] == "RECOMMENDED"]
    assert len(rec) == 5 and rec["title"].str.contains("得分").all() and rec["title"].str.contains("；|;").all()
    assert (v.edges["type"] == "COOPERATES_WITH").sum() >= 1
    assert v.nodes["key"].str.startswith(("Enterprise:", "University:", "ResearchInstitute:")).all()


def test_ego_region_and_query_views(demo):
    g, firm = demo
    one, two = ego(g, firm, 1), ego(g, firm, 2)
    assert len(two.nodes) > len(one.nodes) > 1
    assert set(one.edges["source"]) | set(one.edges["target"]) <= set(one.nodes["key"])
    with pytest.raises(KGError, match="use 1, 2 or 3"):
        ego(g, firm, 4)
    region = region_view(g, "双台子区")
    assert region.nodes["props"].map(lambda p: str(p.get("region", ""))).str.startswith(("211102", "21", "")).all()
    q = subgraph(g, "MATCH (e:Enterprise) WHERE e.region = $r RETURN 'Enterprise' AS label, e.id AS id LIMIT 5", r="211102")
    assert len(q.nodes) == 5


def test_large_views_switch_physics_off_and_the_cap_explains_what_to_do():
    n = 1200
    nodes = pd.DataFrame({"key": [f"Enterprise:E{i}" for i in range(n)], "label": "Enterprise",
                          "id": [f"E{i}" for i in range(n)], "name": [f"企业{i}" for i in range(n)], "props": [{}] * n})
    edges = pd.DataFrame({"source": nodes["key"][:-1].values, "target": nodes["key"][1:].values,
                          "type": "COOPERATES_WITH", "title": ""})
    data, options = View("big", nodes, edges).vis_data()
    assert options["physics"]["enabled"] is False and all("x" in d for d in data["nodes"])
    too_many = pd.concat([nodes] * (MAX_NODES // n + 1), ignore_index=True)
    with pytest.raises(KGError, match="above the cap of 5,000.*kg export gexf"):
        View("huge", too_many, edges).vis_data()


def test_graphml_gexf_and_image_exports(demo, tmp_path):
    g, firm = demo
    v = ego(g, firm, 1)
    for fmt in ("graphml", "gexf"):
        path = write_graph(v.to_networkx(), tmp_path / f"v.{fmt}")
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert back.number_of_nodes() == len(v.nodes)
        nodes = {d.get("node_id"): d for _, d in back.nodes(data=True)}
        assert nodes[firm]["type"] == "Enterprise" and len(nodes[firm]["name"]) > 3
    png = write_image(v, tmp_path / "v.png")
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"


@needs_browser
@pytest.mark.parametrize("page", ["match_page", "xss_page"])
def test_page_renders_offline_in_headless_chromium(page, request):
    page = request.getfixturevalue(page)
    dom, seconds = rendered_dom(page)
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-rendered="1"' in body, "the network canvas was drawn"
    assert "<canvas" in dom
    errors = re.search(r'<pre id="kg-errors">(.*?)</pre>', dom, re.S).group(1)
    assert errors.strip() == "", f"console errors or blocked requests: {errors}"
    names = re.search(r'<ul id="kg-nodes">(.*?)</ul>', dom, re.S).group(1)
    assert "<img" not in dom
    if page.stem == "ego":
        assert "&lt;img src=x onerror=alert(1)&gt;" in names  # shown as text, and no alert ran (errors empty)
    out = Path(__file__).parents[1] / "test-output" / "viz" / f"{page.stem}.png"
    shot = screenshot(page, out)
    assert shot.exists() and shot.stat().st_size > 20_000
    print(f"\nscreenshot: {shot} (rendered in {seconds:.1f} s)")
