"""HTML views: offline, escaped, styled from the schema, rendered in real headless Chromium; exports."""

from __future__ import annotations

import re
import sys
import time

import networkx as nx
import pandas as pd
import pytest
from browser import chromium, open_page

from kg import KnowledgeGraph
from kg.errors import KGError
from kg.viz import View, community_view, ego_view, match_view, region_view, subgraph_view, write_graph, write_image
from kg.viz.layout import MAX_NODES
from kg.viz.style import node_style

XSS = "<img src=x onerror=alert(1)>"
needs_browser = pytest.mark.skipif(
    chromium() is None,
    reason="Chromium is not installed (`make browser` installs Debian's chromium; it needs apt and root or sudo)",
)

#: (canvas width, height, painted pixels) of the network canvas
PAINTED = """(() => { const c = document.querySelector('#kg-network canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return [c.width, c.height, n]; })()"""
#: page coordinates of a node (by id) or of the middle of the first dashed (recommended) edge
NODE_AT = """((id) => { const n = window.kgNetwork, r = n.body.container.getBoundingClientRect();
  const p = n.canvasToDOM(n.getPositions([id])[id]); return [r.left + p.x, r.top + p.y]; })(%r)"""
EDGE_AT = """(() => { const n = window.kgNetwork, r = n.body.container.getBoundingClientRect();
  const e = n.body.data.edges.get({filter: x => Array.isArray(x.dashes)})[0];
  const p = n.canvasToDOM(n.body.edges[e.id].edgeType.getPoint(0.5)); return [r.left + p.x, r.top + p.y]; })()"""
TOOLTIP = """(() => { const t = document.querySelector('div.vis-tooltip');
  return t && t.style.visibility === 'visible' ? {text: t.textContent, html: t.innerHTML} : null; })()"""

#: a tooltip holds one text node: no element inside
TEXT_ONLY = r'<div class="kg-tip">[^<]*</div>'


# ------------------------------------------------------------------ small hand-built graph
@pytest.fixture()
def tiny(graph):
    graph.upsert_nodes(
        "Enterprise", [{"id": "E1", "name": XSS, "revenue": 500.0}, {"id": "E2", "name": "盘锦乙公司", "revenue": 20.0}]
    )
    graph.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}, {"id": "U2", "name": "辽宁石油化工大学"}])
    graph.upsert_edges(
        "COOPERATES_WITH",
        [
            {"from_id": "E1", "to_id": "U1", "since": 2021},
            {"from_id": "E2", "to_id": "U1", "since": 2019},
            {"from_id": "E2", "to_id": "U2", "since": 2022},
        ],
    )
    return graph


def test_ego_focus_sizes_and_edge_tooltips(tiny):
    one, two = ego_view(tiny, "E1", 1), ego_view(tiny, "E1", 2)
    assert sorted(one.nodes["key"]) == ["Enterprise:E1", "University:U1"] and one.focus == ("Enterprise:E1",)
    assert sorted(two.nodes["key"]) == ["Enterprise:E1", "Enterprise:E2", "University:U1"]
    assert sorted(ego_view(tiny, "E1", 3).nodes["key"])[-1] == "University:U2"
    assert one.edges["title"].tolist() == ["产学研合作 (COOPERATES_WITH)\nsince: 2021"]
    data, _ = two.vis_data()
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["Enterprise:E1"]["borderWidth"] == 4 and by_id["Enterprise:E1"]["size"] == 34
    assert by_id["University:U1"]["size"] > by_id["Enterprise:E2"]["size"]  # degree 2 > 1
    assert by_id["University:U1"]["shape"] == node_style("University")["shape"] == "diamond"
    assert by_id["University:U1"]["title"].startswith("高校 (University)\nname: 大连理工大学")
    two.size_by = "revenue"
    assert two.sizes().tolist() == [500.0, 20.0, 0.0]
    two.size_by = "pagerank"
    assert two.sizes().idxmax() == two.nodes.index[two.nodes["key"] == "University:U1"][0]
    two.size_by = "nonsense"
    with pytest.raises(KGError, match="numeric 'nonsense'.*degree, pagerank"):
        two.sizes()
    with pytest.raises(KGError, match="use 1, 2 or 3"):
        ego_view(tiny, "E1", 4)


def test_subgraph_from_ids_and_query_keeps_only_links_among_them(tiny):
    v = subgraph_view(tiny, ["Enterprise:E2", ("University", "U2")])
    assert sorted(v.nodes["key"]) == ["Enterprise:E2", "University:U2"] and len(v.edges) == 1
    q = subgraph_view(
        tiny,
        "MATCH (e:Enterprise)-[:COOPERATES_WITH]->(u:University {id: $u}) RETURN 'Enterprise' AS label, e.id AS id",
        u="U1",
    )
    assert sorted(q.nodes["id"]) == ["E1", "E2"] and q.edges.empty
    with pytest.raises(KGError, match="must return columns `label` and `id`"):
        subgraph_view(tiny, "MATCH (e:Enterprise) RETURN e.id AS x")


def test_match_view_without_matching_says_why(tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "kg.queries.matching", None)  # matching not installed
    v = match_view(tiny, "盘锦乙公司")
    assert sorted(v.nodes["key"]) == ["Enterprise:E2", "University:U1", "University:U2"]
    assert "recommendations unavailable" in v.meta["warning"] and "recommendations unavailable" in v.html()


def test_community_view_from_members(tiny):
    v = community_view(tiny, ["E2", "U1", "U2"])
    assert sorted(v.nodes["key"]) == ["Enterprise:E2", "University:U1", "University:U2"] and len(v.edges) == 2
    w = community_view(tiny, ({"E1": 0, "U1": 0, "E2": 1}, 0))
    assert sorted(w.nodes["id"]) == ["E1", "U1"] and w.title == "创新社区 0"
    with pytest.raises(KGError, match="not organisations"):
        community_view(tiny, ["NOPE"])


def test_page_is_self_contained_utf8_and_escaped(tiny, tmp_path):
    path = ego_view(tiny, "E1", 2).write(tmp_path / "e.html")
    text = path.read_bytes().decode("utf-8")  # written as UTF-8 whatever the platform
    assert '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;' in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "no external script, style or link"
    assert not re.search(r"https?://[^\s\"')]*\.(js|css)", text), "no CDN asset"
    assert "vis.Network" in text and "<script src" not in text and "<link" not in text
    assert XSS not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "产学研合作" in text and "高校" in text and "企业" in text  # legend in Chinese, from the schema titles


def test_large_views_switch_physics_off_and_the_cap_explains_what_to_do():
    n = 1200
    nodes = pd.DataFrame(
        {
            "key": [f"Enterprise:E{i}" for i in range(n)],
            "label": "Enterprise",
            "id": [f"E{i}" for i in range(n)],
            "name": [f"企业{i}" for i in range(n)],
            "props": [{}] * n,
        }
    )
    edges = pd.DataFrame(
        {"source": nodes["key"][:-1].values, "target": nodes["key"][1:].values, "type": "COOPERATES_WITH", "title": ""}
    )
    data, options = View("big", nodes, edges).vis_data()
    assert options["physics"]["enabled"] is False and all("x" in d and d["physics"] is False for d in data["nodes"])
    too_many = pd.concat([nodes] * (MAX_NODES // n + 1), ignore_index=True)
    with pytest.raises(KGError, match="above the cap of 5,000.*kg export gexf"):
        View("huge", too_many, edges).vis_data()


# ------------------------------------------------------------------ the demo ecosystem
@pytest.fixture(scope="module")
def demo():
    from kg.demo import build_demo

    g = KnowledgeGraph.open(":memory:")
    build_demo(g, seed=7, scale=0.1)
    firm = g.run_named("demo_example_firm")["id"].iloc[0]
    g.upsert_nodes("Enterprise", [{"id": "XSS1", "name": XSS, "region": "211102"}])
    g.upsert_edges(
        "COOPERATES_WITH",
        [
            {
                "from_id": "XSS1",
                "to_id": g.query(
                    "MATCH (e:Enterprise {id: $f})-[:COOPERATES_WITH]->(u:University) RETURN u.id AS id LIMIT 1", f=firm
                ).iloc[0, 0],
                "since": 2024,
            }
        ],
    )
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
    return ego_view(g, "XSS1", 2).write(tmp_path_factory.mktemp("viz") / "ego.html")


def test_match_view_has_recommendations_with_evidence(demo):
    g, firm = demo
    v = match_view(g, firm, top=5)
    rec = v.edges[v.edges["type"] == "RECOMMENDED"]
    assert len(rec) == 5 and rec["title"].str.contains("得分").all() and rec["title"].str.contains("；|;").all()
    assert (v.edges["type"] == "COOPERATES_WITH").sum() >= 1 and v.focus == (f"Enterprise:{firm}",)
    assert not set(rec["target"]) & set(v.edges.loc[v.edges["type"] == "COOPERATES_WITH", "target"])
    assert v.nodes["key"].str.startswith(("Enterprise:", "University:", "ResearchInstitute:")).all()


def test_region_community_and_query_views(demo):
    g, _firm = demo
    region = region_view(g, "双台子区")
    regions = region.nodes["props"].map(lambda p: str(p.get("region", "")))
    assert len(region.nodes) > 5 and regions.str.startswith("211102").sum() >= len(region.nodes) // 3
    assert set(region.edges["source"]) | set(region.edges["target"]) <= set(region.nodes["key"])
    biggest = community_view(g, 0)
    assert len(biggest.nodes) >= 3 and "modularity" in biggest.subtitle
    q = subgraph_view(
        g, "MATCH (e:Enterprise) WHERE e.region = $r RETURN 'Enterprise' AS label, e.id AS id LIMIT 5", r="211102"
    )
    assert len(q.nodes) == 5


def test_graphml_gexf_and_image_exports(demo, tmp_path):
    g, firm = demo
    v = ego_view(g, firm, 1)
    for fmt in ("graphml", "gexf"):
        path = write_graph(v.to_networkx(), tmp_path / f"v.{fmt}")
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert back.number_of_nodes() == len(v.nodes) and back.number_of_edges() == len(v.edges)
        nodes = {d.get("node_id"): d for _, d in back.nodes(data=True)}
        assert nodes[firm]["type"] == "Enterprise" and len(nodes[firm]["name"]) > 3
    png = write_image(v, tmp_path / "v.png")
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"
    svg = write_image(v, tmp_path / "v.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


# ------------------------------------------------------------------ real headless Chromium, networking off
def _opened_cleanly(page) -> None:
    page.wait_for("document.body.dataset.stabilized")
    for _ in range(100):  # the canvas is repainted on the next animation frame: give a busy machine up to 5 s
        width, height, painted = page.js(PAINTED)
        if painted > 5_000:
            break
        time.sleep(0.05)
    assert width > 600 and height > 400 and painted > 5_000, "the network canvas was drawn"
    assert page.requests == [], f"the page made network requests: {page.requests}"
    assert page.errors == [], f"console errors: {page.errors}"
    assert page.dialogs == [], f"a dialog ran: {page.dialogs}"
    assert page.js("document.getElementById('kg-errors').textContent") == ""
    assert page.js("document.querySelectorAll('img').length") == 0


def _tooltip_at(page, x: float, y: float) -> dict:
    for dx in (0, 1, 2):  # vis-network opens a tooltip after the pointer rests
        page.hover(x + dx, y)
    return page.wait_for(TOOLTIP, timeout=5)


@needs_browser
def test_match_page_offline_in_chromium_with_legend_and_evidence_tooltip(match_page, output_dir):
    with open_page(match_page) as page:
        _opened_cleanly(page)
        legend = page.js("document.querySelector('aside').innerText")
        assert "企业" in legend and "高校" in legend and "推荐合作" in legend and "产学研合作" in legend
        assert "产学研合作与推荐" in page.js("document.querySelector('h1').textContent")
        tip = _tooltip_at(page, *page.js(EDGE_AT))
        assert tip["text"].startswith("推荐 #") and "得分" in tip["text"] and re.fullmatch(TEXT_ONLY, tip["html"])
        shot = page.screenshot(output_dir / "viz" / "match.png")
    assert shot.stat().st_size > 20_000
    print(f"\nscreenshot: {shot}")


@needs_browser
def test_xss_name_shows_as_text_and_runs_nothing(xss_page, output_dir):
    with open_page(xss_page) as page:
        _opened_cleanly(page)
        assert page.js("document.querySelector('h1').textContent").startswith(XSS)
        tip = _tooltip_at(page, *page.js(NODE_AT % "Enterprise:XSS1"))
        assert f"name: {XSS}" in tip["text"] and re.fullmatch(TEXT_ONLY, tip["html"]) and "&lt;img" in tip["html"]
        assert page.js("document.querySelectorAll('img').length") == 0 and page.dialogs == []
        shot = page.screenshot(output_dir / "viz" / "ego_xss.png")
    print(f"\nscreenshot: {shot}")


# ------------------------------------------------------------------ the CLI (in process: test_cli.py runs the script)
def _kg(*args: str):
    from typer.testing import CliRunner

    from kg.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_view_and_export(tmp_path):
    db = tmp_path / "tiny.kg"
    with KnowledgeGraph.open(db) as g:
        g.upsert_nodes("Enterprise", [{"id": "E1", "name": "盘锦甲公司"}, {"id": "E2", "name": "盘锦乙公司"}])
        g.upsert_nodes("University", [{"id": "U1", "name": "大连理工大学"}])
        g.upsert_edges(
            "COOPERATES_WITH", [{"from_id": "E1", "to_id": "U1", "since": 2021}, {"from_id": "E2", "to_id": "U1"}]
        )
    done = _kg("--db", str(db), "view", "ego", "盘锦甲公司", "--hops", "2", "-o", str(tmp_path / "ego.html"))
    assert done.exit_code == 0, done.output
    assert "盘锦乙公司" in (tmp_path / "ego.html").read_text(encoding="utf-8")
    done = _kg("--db", str(db), "export", "gexf", "-o", str(tmp_path / "all.gexf"))
    assert done.exit_code == 0, done.output
    back = nx.read_gexf(tmp_path / "all.gexf")
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 2
    done = _kg("--db", str(db), "view", "ego", "nobody", "-o", str(tmp_path / "x.html"))
    assert done.exit_code != 0 and not (tmp_path / "x.html").exists()
