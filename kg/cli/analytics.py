"""``kg centrality``, ``kg brokers``, ``kg communities``, ``kg indicators``: network analytics from the command line."""

from __future__ import annotations

import typer

from kg.cli.app import app, info, open_graph
from kg.cli.output import emit_frame, listing

_ROLLUP = typer.Option(
    None,
    "--rollup",
    help="group: count a subsidiary, a campus or an institute with its group "
    "(the top of its SUBSIDIARY_OF / BRANCH_OF chain); unit (default): each unit on its own.",
)
_TYPES = typer.Option(
    None,
    "--types",
    help="Organisation types the network keeps, comma-separated (Enterprise,"
    "University ...; default: every organisation type of the schema).",
)


@app.command()
@listing
def centrality(
    measure: str = typer.Option(
        "betweenness",
        "--measure",
        "-m",
        help="degree, weighted_degree, betweenness, "
        "closeness, eigenvector, pagerank, kcore, clustering, constraint, effective_size, "
        "participations, two_mode_degree (comma-separated for several).",
    ),
    type_: str | None = typer.Option(None, "--type", "-t", help="Only this node type (Enterprise, University ...)."),
    region: str | None = typer.Option(None, "--region", "-r", help="Only nodes in this region (code or name)."),
    top: int = typer.Option(20, "--top", "-k"),
    projection: str = typer.Option("organisations", "--projection", help="organisations, firm_academia or persons."),
    engine: str = typer.Option(
        "auto", "--engine", help="auto, networkx, igraph (or gds on a Neo4j store with Graph Data Science)."
    ),
    sample: int | None = typer.Option(None, "--sample", help="Sampled betweenness with this many pivots."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sampled pivots (same store and seed, same values)."),
    until: int | None = typer.Option(None, "--until", help="Only links known by this year."),
    types: str | None = _TYPES,
    rollup: str | None = _ROLLUP,
) -> None:
    """Who is central in the collaboration network (a table of the top nodes by a measure)."""
    from kg.queries.analytics import compute_centrality, measure_list

    if type_:
        type_ = _node_type(type_)
    with open_graph() as g:
        df = compute_centrality(
            g,
            measure_list(measure),
            type=type_,
            region=region,
            top=top,
            projection_name=projection,
            engine=engine,
            sample=sample,
            seed=seed,
            until=until,
            types=types,
            rollup=rollup,
        )
    groups = " groups" if df.attrs.get("rollup") == "group" else ""
    note = (
        f"{df.attrs.get('projection')}{groups}: {df.attrs.get('nodes', 0):,} nodes, {df.attrs.get('edges', 0):,} links, "
        f"engine {df.attrs.get('engine')}"
    )
    if "sample" in df.attrs:
        note += f", {df.attrs['sample']} pivots (error <= {df.attrs['error_bound_95']:.4f} at 95%)"
    info(note)
    emit_frame(df.drop(columns=["region"]).round(6), f"{measure} centrality")


@app.command()
@listing
def brokers(
    groups: str = typer.Option(
        "sector",
        "--between",
        help="sector (firms, academia, other organisations) or a region level: country, province, city, county.",
    ),
    top: int = typer.Option(20, "--top", "-k"),
    types: str | None = _TYPES,
) -> None:
    """Who brokers between sectors or regions (Gould-Fernandez roles on the collaboration network)."""
    from kg.queries.analytics import GROUP_TITLES, find_brokers

    with open_graph() as g:
        df = find_brokers(g, groups=groups, top=top, types=types)
    if df.attrs.get("ungrouped"):
        info(f"{df.attrs['ungrouped']:,} organisations have no {groups} and take part in no brokerage")
    emit_frame(df.drop(columns=["region"]), f"brokerage between {GROUP_TITLES[groups]}")


@app.command()
@listing
def communities(
    method: str = typer.Option("leiden", "--method", help="leiden or louvain."),
    min_size: int = typer.Option(3, "--min-size"),
    resolution: float = typer.Option(1.0, "--resolution"),
    seed: int = typer.Option(0, "--seed", help="Same store and seed, same communities."),
    region_level: str | None = typer.Option(
        None,
        "--region-level",
        help="Describe regions at this level (country, province, city, county; default: each member's deepest).",
    ),
    types: str | None = _TYPES,
) -> None:
    """Clusters of the collaboration network, each described (size, types, fields, regions, top members)."""
    from kg.queries.analytics import describe_communities

    with open_graph() as g:
        df = describe_communities(
            g, method, min_size=min_size, resolution=resolution, seed=seed, region_level=region_level, types=types
        )
    info(f"{df.attrs['communities']} communities, modularity {df.attrs['modularity']:.3f} ({method})")
    emit_frame(df, "communities")


@app.command()
@listing
def participations(
    by: str = typer.Option(
        "participations", "--by", help="projects, patents, cooperations, two_mode_degree, participations or partners."
    ),
    top: int = typer.Option(20, "--top", "-k"),
    until: int | None = typer.Option(None, "--until", help="Only what is known by this year."),
    types: str | None = _TYPES,
    rollup: str | None = _ROLLUP,
) -> None:
    """What each organisation takes part in: projects, patents, cooperations, two-mode degree, distinct partners."""
    from kg.queries.analytics import count_participations

    with open_graph() as g:
        df = count_participations(g, by=by, top=top, until=until, types=types, rollup=rollup)
    emit_frame(df.drop(columns=["region"]), f"organisations by {by.replace('_', ' ')}")


@app.command()
@listing
def indicators(
    by: str = typer.Option("region", "--by", help="region, field or year."),
    level: str = typer.Option("county", "--level", help="For --by region: county or city."),
    year: int | None = typer.Option(None, "--year", help="Links and certificates known by this year."),
) -> None:
    """System indicators of the innovation network: density, high-tech firms with an academic partner, components."""
    from kg.queries.analytics import compute_indicators

    with open_graph() as g:
        df = compute_indicators(g, by=by, level=level, year=year)
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
