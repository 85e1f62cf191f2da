"""``kg view ...`` (interactive HTML) and ``kg export graphml|gexf``: views from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.cli.app import app, export_app, info, open_graph, parse_params

view_app = typer.Typer(help="Interactive HTML views (offline, self-contained): ego, query, match, region, community.",
                       no_args_is_help=True)
app.add_typer(view_app, name="view")

_SIZE = typer.Option("degree", "--size-by", help="Node size: degree, pagerank or a numeric property (revenue, "
                     "budget, rd_expense ...).")
_OUT = typer.Option(..., "-o", "--output", help="The HTML file to write (or .png/.svg for a static image, "
                    ".graphml/.gexf for Gephi).")


def _write(view, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix in (".png", ".svg"):
        from kg.viz import write_image

        write_image(view, out)
    elif suffix in (".graphml", ".gexf"):
        from kg.viz import write_graph

        write_graph(view.to_networkx(), out)
    else:
        view.write(out)
    info(f"wrote {out} ({len(view.nodes):,} nodes, {len(view.edges):,} links, {out.stat().st_size / 1024:,.0f} KB)")


@view_app.command("ego")
def ego(name: str = typer.Argument(..., help="A node's id or name."), output: Path = _OUT,
        hops: int = typer.Option(1, "--hops", help="1, 2 or 3."), size_by: str = _SIZE) -> None:
    """A node's neighbourhood up to --hops links away."""
    from kg.viz import ego as build

    with open_graph() as g:
        _write(build(g, name, hops, size_by=size_by), output)


@view_app.command("query")
def query(cypher: str = typer.Argument(..., help="Cypher returning `label` and `id` columns."), output: Path = _OUT,
          param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="key=value (repeat)."),
          title: str = typer.Option("子图 subgraph", "--title"), size_by: str = _SIZE) -> None:
    """The nodes a query returns (columns `label` and `id`) and the links among them; the query may only read."""
    from kg.viz import subgraph

    with open_graph() as g:
        _write(subgraph(g, cypher, title, size_by=size_by, **parse_params(param or [])), output)


@view_app.command("match")
def match(name: str = typer.Argument(..., help="The firm's id or name."), output: Path = _OUT,
          top: int = typer.Option(10, "--top", "-k"), size_by: str = _SIZE) -> None:
    """A firm, its partners and its recommended partners with the evidence on the edges."""
    from kg.viz import match_view

    with open_graph() as g:
        view = match_view(g, name, top, size_by=size_by)
        if view.meta.get("warning"):
            info(view.meta["warning"])
        _write(view, output)


@view_app.command("region")
def region(name: str = typer.Argument(..., help="Region code or name."), output: Path = _OUT,
           size_by: str = _SIZE) -> None:
    """A region's organisations, their partners and the links among them."""
    from kg.viz import region_view

    with open_graph() as g:
        _write(region_view(g, name, size_by=size_by), output)


@view_app.command("community")
def community(number: int = typer.Argument(0, help="Community number (0 = largest)."), output: Path = _OUT,
              method: str = typer.Option("leiden", "--method"), size_by: str = _SIZE) -> None:
    """One community of the collaboration network."""
    from kg.viz import community_view

    with open_graph() as g:
        _write(community_view(g, number, method, size_by=size_by), output)


def _export_graph(fmt: str, output: Path, node_types, edge_types) -> None:
    from kg.viz import whole_graph, write_graph

    with open_graph() as g:
        G = whole_graph(g, node_types=node_types or None, edge_types=edge_types or None)
    write_graph(G, output, fmt)
    info(f"wrote {output} ({G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges)")


@export_app.command("graphml")
def export_graphml(output: Path = typer.Option(..., "-o", "--output"),
                   node_type: Optional[list[str]] = typer.Option(None, "--node-type"),
                   edge_type: Optional[list[str]] = typer.Option(None, "--edge-type")) -> None:
    """The graph (or some types) as GraphML with typed attributes, for Gephi / Cytoscape / yEd."""
    _export_graph("graphml", output, node_type, edge_type)


@export_app.command("gexf")
def export_gexf(output: Path = typer.Option(..., "-o", "--output"),
                node_type: Optional[list[str]] = typer.Option(None, "--node-type"),
                edge_type: Optional[list[str]] = typer.Option(None, "--edge-type")) -> None:
    """The graph (or some types) as GEXF, for Gephi."""
    _export_graph("gexf", output, node_type, edge_type)
