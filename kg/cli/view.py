"""``kg view ...`` (interactive HTML) and ``kg export graphml|gexf``: views from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.app import app, export_app, info, open_graph, parse_params, settings

view_app = typer.Typer(
    help="Interactive HTML views (offline, self-contained): ego, query, match, region, community, overview.",
    no_args_is_help=True,
)
app.add_typer(view_app, name="view")

_SIZE = typer.Option(
    "degree", "--size-by", help="Node size: degree, pagerank or a numeric property (revenue, budget, rd_expense ...)."
)
_OUT = typer.Option(
    ...,
    "-o",
    "--output",
    help="The file to write: .html (interactive), .png/.svg (image with "
    "the top nodes named), .graphml/.gexf (Gephi); any other suffix is an error.",
)
_LANG = typer.Option(
    None, "--lang", help="zh or en: titles, legend and aggregate labels (default: the locale, else zh)."
)
_MAX = typer.Option(
    150,
    "--max-nodes",
    help="Above this many nodes the weaker neighbours fold into aggregate nodes "
    'per type and city ("其余 3,100 家企业").',
)


def _check_output(out: Path) -> None:
    """An unsupported suffix is an error before any work."""
    from kg.viz.export import VIEW_SUFFIXES, write_view

    if out.suffix.lower() not in VIEW_SUFFIXES:
        write_view(None, out)  # raises the error naming the supported suffixes


def _lang(choice: str | None) -> str:
    from kg.cli.output import lang

    if choice:
        settings.lang = choice
    return lang()


def _write(view, out: Path) -> None:
    from kg.viz import write_view

    write_view(view, out)
    _wrote(view, out)


def _wrote(view, out: Path) -> None:
    groups = view.meta.get("groups") or {}
    folded = f", {sum(groups.values()):,} folded into {len(groups)} aggregate nodes" if groups else ""
    info(
        f"wrote {out} ({len(view.nodes):,} nodes, {len(view.edges):,} links{folded}, "
        f"{out.stat().st_size / 1024:,.0f} KB)"
    )


@view_app.command("ego")
def ego(
    name: str = typer.Argument(..., help="A node's id or name."),
    output: Path = _OUT,
    hops: int = typer.Option(1, "--hops", help="1, 2 or 3."),
    size_by: str = _SIZE,
    edge_types: list[str] | None = typer.Option(
        None,
        "--edge-types",
        "-e",
        help="Follow only these link types (repeat, or comma-separated): COOPERATES_WITH, 产学研合作 ...",
    ),
    max_nodes: int = _MAX,
    lang: str | None = _LANG,
) -> None:
    """A node's neighbourhood up to --hops links away; a hub's weaker neighbours fold into aggregate nodes."""
    from kg.viz import ego as build

    _check_output(output)
    language = _lang(lang)
    types = [t for part in edge_types or [] for t in part.split(",") if t.strip()]
    with open_graph() as g:
        _write(
            build(g, name, hops, size_by=size_by, edge_types=types or None, max_nodes=max_nodes, lang=language), output
        )


@view_app.command("query")
def query(
    cypher: str = typer.Argument(
        ...,
        help="Cypher returning one node a row as columns `label` and `id` (e.g. "
        "RETURN 'Enterprise' AS label, e.id AS id), or one link a row as `source_label`, "
        "`source`, `target_label`, `target`.",
    ),
    output: Path = _OUT,
    param: list[str] | None = typer.Option(None, "--param", "-p", help="key=value (repeat)."),
    title: str = typer.Option("子图 subgraph", "--title"),
    size_by: str = _SIZE,
) -> None:
    """The nodes a query returns (columns `label` and `id`) and the links among them; the query may only read."""
    from kg.viz import subgraph

    _check_output(output)
    with open_graph() as g:
        _write(subgraph(g, cypher, title, size_by=size_by, **parse_params(param or [])), output)


@view_app.command("match")
def match(
    name: str = typer.Argument(..., help="The firm's id or name."),
    output: Path = _OUT,
    top: int = typer.Option(10, "--top", "-k"),
    size_by: str = _SIZE,
) -> None:
    """A firm, its partners and its recommended partners with the evidence on the edges."""
    from kg.viz import match_view

    _check_output(output)
    with open_graph() as g:
        view = match_view(g, name, top, size_by=size_by)
        if view.meta.get("warning"):
            info(view.meta["warning"])
        _write(view, output)


@view_app.command("region")
def region(
    name: str = typer.Argument(..., help="Region code or name."),
    output: Path = _OUT,
    size_by: str = _SIZE,
    max_nodes: int = _MAX,
    lang: str | None = _LANG,
) -> None:
    """A region's organisations, their partners and the links among them (weaker ones folded above --max-nodes)."""
    from kg.viz import region_view

    _write_grouped(lambda g: region_view(g, name, size_by=size_by), output, max_nodes, lang)


@view_app.command("community")
def community(
    number: int = typer.Argument(0, help="Community number (0 = largest)."),
    output: Path = _OUT,
    method: str = typer.Option("leiden", "--method"),
    size_by: str = _SIZE,
    max_nodes: int = _MAX,
    lang: str | None = _LANG,
) -> None:
    """One community of the collaboration network (weaker members fold into aggregate nodes above --max-nodes)."""
    from kg.viz import community_view

    _write_grouped(lambda g: community_view(g, number, method, size_by=size_by), output, max_nodes, lang)


def _write_grouped(build, output: Path, max_nodes: int, lang: str | None) -> None:
    """Write the view ``build(graph)`` makes, weaker nodes folded into groups above ``max_nodes``."""
    from kg.viz.groups import group_view

    _check_output(output)
    language = _lang(lang)
    with open_graph() as g:
        _write(group_view(build(g), max_nodes, g, language), output)


@view_app.command("overview")
def overview(
    output: Path = _OUT,
    method: str = typer.Option(
        "fast", "--method", help="fast (igraph Leiden, modularity), leiden or louvain (as kg communities)."
    ),
    min_size: int = typer.Option(10, "--min-size", help="Smaller communities fold into one aggregate node."),
    max_nodes: int = typer.Option(120, "--max-nodes", help="At most this many community nodes."),
    max_links: int = typer.Option(300, "--max-links", help="Draw only the strongest links between communities."),
    pages: int = typer.Option(
        10,
        "--pages",
        help="For .html: also write a page for each of the largest communities, opened by clicking it (0: none).",
    ),
    seed: int = typer.Option(0, "--seed"),
    lang: str | None = _LANG,
) -> None:
    """The whole organisation network at community level: one node per community, links weighted by their ties."""
    from kg.viz import overview as build
    from kg.viz import write_overview

    _check_output(output)
    language = _lang(lang)
    with open_graph() as g:
        view = build(
            g, method=method, min_size=min_size, max_nodes=max_nodes, max_links=max_links, seed=seed, lang=language
        )
        files = write_overview(g, view, output, pages=pages)
    _wrote(view, output)
    if len(files) > 1:
        info(f"wrote {len(files) - 1} community pages in {files[1].parent}")


def _export_graph(fmt: str, output: Path, node_types, edge_types) -> None:
    from kg.viz import whole_graph, write_graph

    with open_graph() as g:
        G = whole_graph(g, node_types=node_types or None, edge_types=edge_types or None)
    write_graph(G, output, fmt)
    info(f"wrote {output} ({G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges)")


def _export_command(fmt: str, doc: str) -> None:
    """Register ``kg export <fmt>``: the graph (or some types) in a file format for graph tools."""

    def command(
        output: Path = typer.Option(..., "-o", "--output"),
        node_type: list[str] | None = typer.Option(None, "--node-type"),
        edge_type: list[str] | None = typer.Option(None, "--edge-type"),
    ) -> None:
        _export_graph(fmt, output, node_type, edge_type)

    command.__doc__ = doc
    command.__name__ = f"export_{fmt}"
    export_app.command(fmt)(command)


_export_command("graphml", "The graph (or some types) as GraphML with typed attributes, for Gephi / Cytoscape / yEd.")
_export_command("gexf", "The graph (or some types) as GEXF, for Gephi.")
