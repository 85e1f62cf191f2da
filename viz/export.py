"""Exports of a view or the whole graph: GraphML and GEXF (Gephi, Cytoscape), PNG/SVG images for reports.

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> G = nx.MultiDiGraph(); G.add_node("Enterprise:E1", type="Enterprise", name="甲公司")
>>> _ = G.add_edge("Enterprise:E1", "Enterprise:E1", type="X")
>>> p = write_graph(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
>>> "甲公司" in p.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KGError
from kg.io import atomic_output

FORMATS = ("graphml", "gexf")
#: matplotlib marker per vis-network shape (the same shapes as the interactive page)
MARKERS = {"dot": "o", "diamond": "D", "triangle": "^", "square": "s", "star": "*", "hexagon": "h",
           "triangleDown": "v"}


def whole_graph(graph, node_types=None, edge_types=None):
    """The whole store (or some types) as a networkx MultiDiGraph with scalar attributes."""
    G = graph.to_networkx(node_types=node_types, edge_types=edge_types, multigraph=True)
    for _, data in G.nodes(data=True):
        _flatten(data)
    for *_, data in G.edges(data=True):
        _flatten(data)
    return G


def _flatten(data: dict) -> None:
    props = data.pop("props", None) or {}
    for k, v in props.items():
        if v is not None:
            data.setdefault(k, v)
    for k, v in list(data.items()):
        if v is None:
            del data[k]
        elif isinstance(v, (list, tuple)):
            data[k] = "；".join(map(str, v))
        elif hasattr(v, "isoformat"):
            data[k] = v.isoformat()
        elif hasattr(v, "item"):
            data[k] = v.item()


def write_graph(G, path, format: str | None = None) -> Path:
    """Write a networkx graph as GraphML or GEXF (from the suffix unless ``format`` is given), UTF-8."""
    import networkx as nx

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise KGError(f"unknown graph format {fmt!r}; use {' or '.join(FORMATS)}")
    for _, data in G.nodes(data=True):
        _flatten(data)
    for *_, data in G.edges(data=True):
        _flatten(data)
    with atomic_output(path) as tmp:
        if fmt == "graphml":
            nx.write_graphml(G, tmp, encoding="utf-8")
        else:
            nx.write_gexf(G, tmp, encoding="utf-8")
    return path


def write_image(view, path, dpi: int = 150) -> Path:
    """A static PNG or SVG of a view (matplotlib), with a CJK font when the machine has one."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from kg.viz.layout import positions
    from kg.viz.style import edge_style, node_style

    cjk = _cjk_font(font_manager)
    if cjk:
        plt.rcParams["font.family"] = cjk
    pos = positions(view.nodes["key"].tolist(), view.edges[["source", "target"]].values.tolist())
    fig, ax = plt.subplots(figsize=(12, 9))
    for e in view.edges.itertuples(index=False):
        if e.source in pos and e.target in pos:
            st = edge_style(e.type)
            (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
            ax.plot([x0, x1], [-y0, -y1], color=st["color"], lw=0.8, ls="--" if st["dashes"] else "-", alpha=0.7, zorder=1)
    focus = set(getattr(view, "focus", ()))
    for label, group in view.nodes.groupby("label", sort=True):
        st = node_style(label)
        xy = [pos[k] for k in group["key"]]
        ax.scatter([x for x, _ in xy], [-y for _, y in xy], s=[200 if k in focus else 60 for k in group["key"]],
                   color=st["color"], marker=MARKERS.get(st["shape"], "o"), zorder=2, edgecolors="white",
                   label=f"{st['title']} ({len(group)})")
    if len(view.nodes) <= 80:
        for n in view.nodes.itertuples(index=False):
            x, y = pos[n.key]
            ax.annotate(str(n.name or n.id), (x, -y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    for handle in legend.legend_handles:
        handle.set_sizes([40])
    ax.set_title(view.title)
    ax.axis("off")
    path = Path(path)
    try:
        with atomic_output(path) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=path.suffix.lstrip(".").lower() or "png")
    finally:
        plt.close(fig)
    return path


def _cjk_font(font_manager) -> str | None:
    """Name of a font with Chinese glyphs: one matplotlib knows, else one fontconfig lists (added on the fly)."""
    wanted = ("CJK", "Hei", "WenQuanYi", "YaHei", "Noto Sans SC", "Source Han")
    names = [f.name for f in font_manager.fontManager.ttflist if any(s in f.name for s in wanted)]
    if names:
        return sorted(names, key=lambda n: ("Sans" not in n, n))[0]
    import subprocess

    try:
        files = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    for path in sorted((f.rstrip(":") for f in files), key=lambda f: ("Sans" not in f, "Bold" in f, f)):
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None
