"""``kg centrality``, ``kg brokers``, ``kg communities``, ``kg indicators``: network analytics from the command line."""

from __future__ import annotations

from typing import Optional

import typer

from kg.cli.app import app, info, open_graph
from kg.cli.output import emit_frame, listing


@app.command()
@listing
def centrality(
    measure: str = typer.Option("betweenness", "--measure", "-m", help="degree, weighted_degree, betweenness, closeness, "
                                "eigenvector, pagerank, kcore, clustering, constraint, effective_size (comma-separated for several)."),
    type_: Optional[str] = typer.Option(None, "--type", "-t", help="Only this node type (Enterprise, University ...)."),
    region: Optional[str] = typer.Option(None, "--region", "-r", help="Only nodes in this region (code or name)."),
    top: int = typer.Option(20, "--top", "-k"),
    projection: str = typer.Option("organisations", "--projection", help="organisations, firm_academia or persons."),
    engine: str = typer.Option("auto", "--engine", help="auto, networkx, igraph (or gds on a Neo4j store with Graph Data Science)."),
    sample: Optional[int] = typer.Option(None, "--sample", help="Sampled betweenness with this many pivots."),
    until: Optional[int] = typer.Option(None, "--until", help="Only links known by this year."),
) -> None:
    """Who is central in the collaboration network (a table of the top nodes by a measure)."""
    from kg.queries.analytics import centrality as run

    if type_:
        type_ = _node_type(type_)
    with open_graph() as g:
        df = run(g, measure, type=type_, region=region, top=top, projection_name=projection, engine=engine,
                 sample=sample, until=until)
    note = (f"{df.attrs.get('projection')}: {df.attrs.get('nodes', 0):,} nodes, {df.attrs.get('edges', 0):,} links, "
            f"engine {df.attrs.get('engine')}")
    if "sample" in df.attrs:
        note += f", {df.attrs['sample']} pivots (error <= {df.attrs['error_bound_95']:.4f} at 95%)"
    info(note)
    emit_frame(df.drop(columns=["region"]).round(6), f"{measure} centrality")


@app.command()
@listing
def brokers(
    groups: str = typer.Option("sector", "--between", help="sector (firms vs academia) or county."),
    top: int = typer.Option(20, "--top", "-k"),
) -> None:
    """Who brokers between industry and academia (Gould-Fernandez roles on the collaboration network)."""
    from kg.queries.analytics import brokers as run

    with open_graph() as g:
        df = run(g, groups=groups, top=top)
    emit_frame(df, f"brokerage between {groups}s")


@app.command()
@listing
def communities(
    method: str = typer.Option("leiden", "--method", help="leiden or louvain."),
    min_size: int = typer.Option(3, "--min-size"),
    resolution: float = typer.Option(1.0, "--resolution"),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Clusters of the collaboration network, each described (size, types, fields, regions, top members)."""
    from kg.queries.analytics import communities as run

    with open_graph() as g:
        df = run(g, method, min_size=min_size, resolution=resolution, seed=seed)
    info(f"{df.attrs['communities']} communities, modularity {df.attrs['modularity']:.3f} ({method})")
    emit_frame(df, "communities")


@app.command()
@listing
def indicators(
    by: str = typer.Option("region", "--by", help="region, field or year."),
    level: str = typer.Option("county", "--level", help="For --by region: county or city."),
    year: Optional[int] = typer.Option(None, "--year", help="Links and certificates known by this year."),
) -> None:
    """System indicators of the innovation network: density, high-tech firms with an academic partner, components."""
    from kg.queries.analytics import system_indicators

    with open_graph() as g:
        df = system_indicators(g, by=by, level=level, year=year)
    emit_frame(df, f"innovation system indicators by {by}")


def _node_type(name: str) -> str:
    """A node type given by label or Chinese title; an unknown one is an error listing the valid ones."""
    from kg.errors import KGError
    from kg.schema import load_schema

    schema = load_schema()
    if schema.is_node(name):
        return schema.node(name).label
    valid = ", ".join(f"{n.label} ({n.title})" for n in schema.nodes.values())
    raise KGError(f"--type {name!r} is not a node type; use one of: {valid}")
