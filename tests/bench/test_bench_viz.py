"""Benchmark: a 5,000-node view written as HTML and stabilised in headless Chromium, next to pyvis' own writer.

The browser side runs over the DevTools protocol (tests/browser.py): the time from navigation to the page's
``data-stabilized`` mark (layout done, physics off, first frame drawn), in real time, with networking off.
"""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from benchlog import record
from browser import chromium, open_page

from kg.viz import View

pytestmark = pytest.mark.bench
LABELS = ("Enterprise", "Enterprise", "Enterprise", "University", "ResearchInstitute", "Person")


def _view(n: int = 5000) -> View:
    G = nx.barabasi_albert_graph(n, 2, seed=1)
    labels = [LABELS[i % len(LABELS)] for i in G]
    nodes = pd.DataFrame(
        {
            "key": [f"{lab}:N{i}" for i, lab in zip(G, labels)],
            "label": labels,
            "id": [f"N{i}" for i in G],
            "name": [f"盘锦示例单位{i}有限公司" for i in G],
            "props": [{"region": "211102", "scale": "规上", "revenue": float(i % 97)} for i in G],
        }
    )
    key = nodes["key"].tolist()
    edges = pd.DataFrame(
        {
            "source": [key[u] for u, v in G.edges()],
            "target": [key[v] for u, v in G.edges()],
            "type": "COOPERATES_WITH",
            "title": "",
        }
    )
    return View("5,000 节点", nodes, edges)


def test_bench_5k_node_view(tmp_path):
    from pyvis.network import Network

    from kg.schema import load_schema

    load_schema()  # loaded when the store opens, before any view is built
    view = _view()
    start = time.perf_counter()
    page = view.write(tmp_path / "big.html")  # first write: includes importing igraph and pyvis
    ours = time.perf_counter() - start
    start = time.perf_counter()
    view.write(tmp_path / "again.html")
    again = time.perf_counter() - start
    start = time.perf_counter()
    net = Network(cdn_resources="remote")
    for row in view.nodes.itertuples(index=False):
        net.add_node(row.key, label=row.name)
    for e in view.edges.itertuples(index=False):
        net.add_edge(e.source, e.target)
    net.toggle_physics(False)
    net.write_html(str(tmp_path / "pyvis.html"))
    base = time.perf_counter() - start
    row = {
        "case": f"{len(view.nodes):,} nodes, {len(view.edges):,} links",
        "write_s": round(ours, 2),
        "write_again_s": round(again, 2),
        "pyvis_write_html_s": round(base, 2),
        "ratio": round(ours / base, 2),
        "size_MB": round(page.stat().st_size / 1e6, 2),
    }
    if chromium():
        with open_page(page, timeout=120) as tab:
            stabilised_ms = int(tab.wait_for("document.body.dataset.stabilized", timeout=60))
            wall = time.perf_counter() - tab.started
            assert tab.requests == [] and tab.errors == [] and tab.dialogs == []
            shot = tab.screenshot(Path(__file__).parents[2] / "test-output" / "viz" / "bench_5k.png")
        row["browser_stabilised_s"] = round(stabilised_ms / 1000, 2)
        row["browser_wall_s"] = round(wall, 2)
        print(f"\nscreenshot: {shot}")
    print(row)
    record(
        "Views: 5k-node HTML",
        [row],
        goal="written < 3 s; stabilised in headless Chromium < 5 s",
        note="Physics is off above 600 nodes (igraph layout computed up front), so the page is usable once drawn. "
        "browser_stabilised_s: navigation start to first frame drawn after setup (page clock); browser_wall_s: "
        "the same seen from the test over DevTools. Baseline: pyvis writing the same nodes and links with "
        "its own template (CDN assets, physics off).",
    )
    assert ours < 3.0
    if chromium():
        assert row["browser_stabilised_s"] < 5.0
