"""Core commands: init, stats, query, schema, demo."""

from __future__ import annotations

import pandas as pd
import typer

from kg.cli.app import app, info, open_graph, parse_params, settings
from kg.cli.output import emit_frame, emit_json, listing
from kg.errors import SchemaError


@app.command()
def init(
    force: bool = typer.Option(False, "--force", help="Delete an existing store first."),
) -> None:
    """Create an empty store with the schema (tables, constraints)."""
    from kg.backends import is_server_uri
    from kg.graph import default_db

    target = settings.db or default_db()
    if force and not is_server_uri(target) and target != ":memory:":
        from kg.journal import remove_store

        remove_store(target)
    with open_graph(write=True, create=True) as g:
        n = len(g.schema.nodes) + len(g.schema.edges)
        info(f"store ready at {g.backend.describe()} ({len(g.schema.nodes)} node and {len(g.schema.edges)} edge types)")
        if settings.json:
            emit_json({"db": g.backend.describe(), "types": n})


@app.command()
@listing
def stats(
    all_types: bool = typer.Option(False, "--all", help="Also list types with no nodes or edges."),
) -> None:
    """Node and edge counts per type."""
    with open_graph() as g:
        counts = g.counts()
        if not all_types:
            counts = counts[counts["count"] > 0]
        emit_frame(counts.reset_index(drop=True), f"{g.backend.describe()}", rows=len(counts), raw=("type",))


@app.command()
@listing
def query(
    cypher: str | None = typer.Argument(None, help="A Cypher statement, or the name of a named query with --named."),
    param: list[str] = typer.Option(
        [], "--param", "-p", help="Query parameter key=value (JSON values allowed); repeatable."
    ),
    named: bool = typer.Option(False, "--named", help="CYPHER is the name of a query in queries/cypher/."),
    list_named: bool = typer.Option(False, "--list", help="List the named queries."),
    write: bool = typer.Option(
        False,
        "--write",
        help="Open the store for writing: needed for statements that change data (CREATE, MERGE, SET, DELETE ...).",
    ),
) -> None:
    """Run Cypher (values as --param key=value) and print the rows; read-only unless --write."""
    from kg.errors import KGError
    from kg.named import QueryLibrary

    if list_named:
        lib = QueryLibrary()
        frame = pd.DataFrame(
            [
                (n, ", ".join(sorted(lib.parameters(n))), lib.get(n).doc.splitlines()[0] if lib.get(n).doc else "")
                for n in lib.names()
            ],
            columns=["name", "parameters", "description"],
        )
        emit_frame(frame, "named queries", rows=len(frame))
        return
    if not cypher:
        raise KGError("give a Cypher statement (or --named NAME, or --list)")
    params = parse_params(param)
    _dialect_warning(QueryLibrary().get(cypher).text if named else cypher)
    if not named and not write:
        from kg.cypher import first_write_keyword

        keyword = first_write_keyword(cypher, calls=False)
        if keyword:
            raise KGError(
                f"this statement writes ({keyword}) and the store is opened read-only; "
                "run it with `kg query --write` if you mean to change the data"
            )
    with open_graph(write=write) as g:
        result = g.run_named(cypher, **params) if named else g.query(cypher, **params)
        if write:
            g.checkpoint()
    # the statement names its own columns: keep them (and the values) as written unless --lang asks
    emit_frame(result, None, verbatim=settings.lang is None)


def _dialect_warning(statement: str) -> None:
    """One line on stderr when the statement uses what the embedded engine and Neo4j read differently."""
    from kg.cli.app import err_console
    from kg.dialect import warning

    line = warning(statement)
    if line and not settings.quiet:
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("schema")
@listing
def schema_cmd(
    type_name: str | None = typer.Argument(None, help="Show the properties of one node or edge type."),
) -> None:
    """The node and edge types with their Chinese names (or one type's properties)."""
    from kg.schema import load_schema

    s = load_schema()
    if type_name:
        if s.is_node(type_name):
            t = s.node(type_name)
            head = f"{t.label} {t.title} — {t.description}"
        else:
            try:
                t = s.edge(type_name)
            except SchemaError:
                import difflib

                close = difflib.get_close_matches(type_name, [*s.nodes, *s.edges], n=3, cutoff=0.6)
                hint = f"; did you mean {', '.join(close)}?" if close else "; `kg schema` lists them"
                raise SchemaError(f"unknown type {type_name!r}{hint}") from None
            head = f"{t.type} {t.title}: ({'|'.join(t.from_types)}) -> ({'|'.join(t.to_types)})"
        rows = [
            (
                p.name,
                p.title,
                p.label_en,
                p.engine_type,
                p.enum or "",
                "yes" if p.required else "",
                "、".join(p.aliases),
            )
            for p in t.properties.values()
        ]
        frame = pd.DataFrame(rows, columns=["property", "中文", "english", "type", "enum", "required", "aliases"])
        emit_frame(frame, head, rows=len(frame), raw=("type", "enum"))
        return
    kinds = [("node", n.label, n.title, "", len(n.properties)) for n in s.nodes.values()]
    kinds += [
        ("edge", e.type, e.title, f"({'|'.join(e.from_types)}) -> ({'|'.join(e.to_types)})", len(e.properties))
        for e in s.edges.values()
    ]
    frame = pd.DataFrame(kinds, columns=["kind", "type", "中文", "endpoints", "properties"])
    emit_frame(frame, f"schema {s.name} {s.version}", rows=len(frame), raw=("type", "endpoints"))
