"""Render a view as one self-contained, offline, escaped HTML file (vis-network inlined).

pyvis assembles the nodes, edges and options; the page itself is ours, because
pyvis' template loads Bootstrap and vis-network from CDNs that fail on an
intranet.  Here every script and style is inlined from the installed pyvis
package, a Content-Security-Policy forbids any network request, data travels
as JSON (``</`` escaped), tooltips are built as text nodes (never HTML), and
the file is written as UTF-8 explicitly.  The page records script errors and
CSP violations in ``#kg-errors`` and sets ``data-rendered`` / ``data-stabilized``
on ``<body>``, which the browser tests read.

Examples
--------
>>> page = render_html({"nodes": [{"id": "a", "label": "<b>x</b>", "title": "t"}], "edges": []}, "t", [], {})
>>> "<b>x</b>" in page, "&lt;b&gt;x&lt;/b&gt;" in page, "https://" in page.split("<script")[0]
(False, True, False)
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

from kg.io import write_text

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
    "font-src data:; connect-src 'none'"
)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css


def _json(obj) -> str:
    # no "<" at all inside the data block: names such as <img ...> never appear as markup, even raw
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_SCRIPT = r"""
(function () {
  var errors = document.getElementById('kg-errors');
  function note(msg) { errors.textContent += msg + '\n'; }
  window.addEventListener('error', function (e) { note('error: ' + e.message); });
  document.addEventListener('securitypolicyviolation', function (e) { note('blocked request: ' + e.blockedURI); });
  var data = JSON.parse(document.getElementById('kg-data').textContent);
  var options = JSON.parse(document.getElementById('kg-options').textContent);
  function tip(text) {               // tooltips as plain text, never HTML
    var el = document.createElement('div');
    el.className = 'kg-tip';
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { if (n.title) { n.title = tip(n.title); } });
  data.edges.forEach(function (e) { if (e.title) { e.title = tip(e.title); } });
  var container = document.getElementById('kg-network');
  var network = new vis.Network(container, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}, options);
  network.once('afterDrawing', function () { document.body.setAttribute('data-rendered', '1'); });
  network.on('click', function (params) {   // a node with a url (a community of the overview) opens its page
    var node = params.nodes.length ? data.nodes.find(function (n) { return n.id === params.nodes[0]; }) : null;
    if (node && node.url) { window.location.href = node.url; }
  });
  if (options.physics && options.physics.enabled) {
    network.once('stabilizationIterationsDone', function () {
      document.body.setAttribute('data-stabilized', String(Date.now() - window.__kgStart));
      network.setOptions({physics: {enabled: false}});
    });
  } else {
    network.once('afterDrawing', function () { document.body.setAttribute('data-stabilized', String(Date.now() - window.__kgStart)); });
  }
  window.kgNetwork = network;
})();
"""

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#222}
header{padding:8px 16px;border-bottom:1px solid #ddd}h1{font-size:18px;margin:4px 0}p.sub{margin:2px 0;color:#555;font-size:13px}
html,body{height:100%}body{display:flex;flex-direction:column}main{flex:1;display:flex;min-height:0}
#kg-network{flex:1;position:relative;min-width:0}
aside{width:232px;overflow:auto;border-left:1px solid #ddd;padding:8px;font-size:13px}
aside ul{list-style:none;padding:0;margin:0 0 12px 0}aside li{margin:2px 0}
.gl{display:inline-block;width:16px;margin-right:4px;text-align:center;font-size:14px}p.warn{margin:2px 0;color:#b00020;font-size:13px}
.ln{display:inline-block;width:18px;height:0;border-top:3px solid;margin-right:6px;vertical-align:middle}
.ln.dash{border-top-style:dashed}
.kg-tip{white-space:pre-line;max-width:360px;font-size:12px}
#kg-nodes{display:none}#kg-errors{display:none}
"""


#: legend glyph per vis-network shape
GLYPHS = {"dot": "●", "diamond": "◆", "triangle": "▲", "square": "■", "star": "★", "hexagon": "⬢", "triangleDown": "▼"}


def render_html(
    data: dict,
    title: str,
    legend_nodes: list,
    legend_edges: dict,
    options: dict | None = None,
    subtitle: str = "",
    node_names: list | None = None,
    warning: str = "",
) -> str:
    """The page for ``data`` (``{"nodes": [...], "edges": [...]}`` in vis-network form).

    ``legend_nodes`` holds ``(title, colour[, shape])`` tuples, ``legend_edges`` ``{title: (colour, dashed)}``;
    ``warning`` is shown under the title (e.g. recommendations unavailable).
    """
    js, css = _assets()
    esc = html.escape
    items = "".join(
        f'<li><span class="gl" style="color:{esc(c)}">{GLYPHS.get(s[0] if s else "dot", "●")}</span>{esc(t)}</li>'
        for t, c, *s in legend_nodes
    )
    lines = "".join(
        f'<li><span class="ln{" dash" if d else ""}" style="border-color:{esc(c)}"></span>{esc(t)}</li>'
        for t, (c, d) in legend_edges.items()
    )
    names = "".join(f"<li>{esc(str(n))}</li>" for n in (node_names or [n.get("label", "") for n in data["nodes"]]))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<script>window.__kgStart = Date.now();</script>
<style>{css}</style><style>{_STYLE}</style></head>
<body>
<header><h1>{esc(title)}</h1><p class="sub">{esc(subtitle)}</p>{f'<p class="warn">{esc(warning)}</p>' if warning else ""}</header>
<main><div id="kg-network"></div>
<aside><strong>图例 Legend</strong><ul>{items}</ul><ul>{lines}</ul>
<p class="sub">{len(data["nodes"])} nodes, {len(data["edges"])} links. Hover for details; scroll to zoom.</p></aside></main>
<ul id="kg-nodes">{names}</ul>
<pre id="kg-errors"></pre>
<script type="application/json" id="kg-data">{_json(data)}</script>
<script type="application/json" id="kg-options">{_json(options or {})}</script>
<script>{js}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def write_html(page: str, path) -> Path:
    """Write ``page`` as UTF-8 (explicitly, whatever the platform's default) and return the path."""

    return write_text(path, page, newline="\n")
