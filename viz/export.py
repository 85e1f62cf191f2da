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
from kg.extras import require
from kg.io import atomic_output
from kg.types import Graph
from kg.viz.layout import positions
from kg.viz.style import edge_style, node_style

FORMATS = ("graphml", "gexf")
#: what a view can be written as, by file suffix
VIEW_SUFFIXES = (".html", ".htm", ".png", ".svg", ".graphml", ".gexf")
#: a static image labels this many nodes (the largest, plus the focus and aggregate nodes)
IMAGE_LABELS = 30
#: matplotlib marker per vis-network shape (the same shapes as the interactive page)
MARKERS = {"dot": "o", "diamond": "D", "triangle": "^", "square": "s", "star": "*", "hexagon": "h", "triangleDown": "v"}


def whole_graph(graph: Graph, node_types=None, edge_types=None):
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


def write_view(view, path) -> Path:
    """Write ``view`` in the format its suffix names: .html (interactive), .png/.svg (image), .graphml/.gexf.

    Any other suffix is a :class:`KGError` naming the supported ones (nothing is written).

    Examples
    --------
    >>> write_view(None, "view.pdf")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: cannot write a view as 'view.pdf': use a file ending in .html, .htm, .png, .svg, .graphml or .gexf
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in VIEW_SUFFIXES:
        raise KGError(
            f"cannot write a view as {str(path)!r}: use a file ending in "
            f"{', '.join(VIEW_SUFFIXES[:-1])} or {VIEW_SUFFIXES[-1]}"
        )
    if suffix in (".png", ".svg"):
        return write_image(view, path)
    if suffix in (".graphml", ".gexf"):
        return write_graph(view.to_networkx(), path)
    return view.write(path)


def image_labels(view, sizes, count: int = IMAGE_LABELS) -> set:
    """Keys of the nodes a static image names: the ``count`` largest, the focus and every aggregate node."""
    order = sizes.sort_values(ascending=False, kind="stable").index[:count]
    return set(view.nodes["key"].iloc[list(order)]) | set(view.focus) | set((view.meta or {}).get("groups") or ())


def write_image(view, path, dpi: int = 150) -> Path:
    """A static PNG or SVG of a view (matplotlib), with a CJK font when the machine has one."""
    matplotlib = require("matplotlib", "writing an image (PNG/SVG)")

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.collections import PathCollection

    cjk = _cjk_font(font_manager)
    if cjk:
        plt.rcParams["font.family"] = cjk
    pos = positions(view.nodes["key"].tolist(), view.edges[["source", "target"]].values.tolist())
    fig, ax = plt.subplots(figsize=(12, 9))
    for e in view.edges.itertuples(index=False):
        if e.source in pos and e.target in pos:
            st = edge_style(e.type)
            (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
            width = getattr(e, "width", None)
            lw = 0.8 if width is None or width != width else 0.4 * float(width)
            ax.plot(
                [x0, x1], [-y0, -y1], color=st["color"], lw=lw, ls="--" if st["dashes"] else "-", alpha=0.7, zorder=1
            )
    focus = set(getattr(view, "focus", ()))
    groups = (view.meta or {}).get("groups") or {}
    sizes = view.sizes().reset_index(drop=True)
    scale = dict(zip(view.nodes["key"], (sizes / (float(sizes.max()) or 1.0)) ** 0.5))
    for label, group in view.nodes.groupby("label", sort=True):
        st = node_style(label)
        xy = [pos[k] for k in group["key"]]
        area = [200 if k in focus else 160 if k in groups else 30 + 400 * scale[k] for k in group["key"]]
        ax.scatter(
            [x for x, _ in xy],
            [-y for _, y in xy],
            s=area,
            color=st["color"],
            marker=MARKERS.get(st["shape"], "o"),
            zorder=2,
            edgecolors="white",
            label=f"{st['title']} ({len(group)})",
        )
    named = image_labels(view, sizes)
    for n in view.nodes.itertuples(index=False):
        if n.key in named:
            x, y = pos[n.key]
            big = n.key in focus or n.key in ((view.meta or {}).get("groups") or {})
            ax.annotate(
                "\n".join(str(n.name or n.id).splitlines()[:2]),
                (x, -y),
                fontsize=9 if big else 7,
                xytext=(3, 3),
                textcoords="offset points",
                fontweight="bold" if big else "normal",
            )
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    for handle in legend.legend_handles:
        if isinstance(handle, PathCollection):  # every legend entry is a scatter of one node type
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
        files = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    for path in sorted((f.rstrip(":") for f in files), key=lambda f: ("Sans" not in f, "Bold" in f, f)):
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
    return None
