"""The Typer application, global options and output helpers shared by every command.

Each command group lives in its own module of ``kg.cli`` and registers on
:data:`app`; every command is a thin layer over a Python API function.
"""

from __future__ import annotations

import contextlib
import glob
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from kg import KnowledgeGraph

app = typer.Typer(
    name="kg",
    help="创新主体知识图谱 — a typed knowledge graph of innovation actors and their linkages.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


#: ``kg export ...``: every export format registers a command here (rdf, graphml, gexf ...).
export_app = typer.Typer(help="Export the graph or a view (RDF, GraphML, GEXF ...).", no_args_is_help=True)
app.add_typer(export_app, name="export")


@dataclass
class Settings:
    db: str | None = None
    json: bool = False
    quiet: bool = False
    lang: str | None = None
    debug: bool = False


settings = Settings()
console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def _global(
    db: str | None = typer.Option(
        None, "--db", envvar="KG_DB", help="Store: a file path (default ./innovation.kg), ':memory:' or a neo4j:// URI."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print results as JSON."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or decoration; results only."),
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="KG_LANG",
        help="zh or en: language of tables, CSV and views (default: the locale, else zh); JSON keeps English keys.",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an internal error."),
) -> None:
    settings.db = db
    settings.json = json_output
    settings.quiet = quiet
    settings.lang = lang
    settings.debug = debug


def store_target() -> str:
    """The store named by ``--db`` (or ``KG_DB``, or ``./innovation.kg``)."""
    from kg.graph import default_db

    return settings.db or default_db()


def is_local_file(target: str) -> bool:
    """True for an embedded store file (not ``:memory:``, not a server URI)."""
    from kg.backends import is_server_uri

    return not is_server_uri(target) and target != ":memory:"


@contextlib.contextmanager
def open_graph(*, write: bool = False, create: bool = False, target: str | None = None) -> Iterator[KnowledgeGraph]:
    """Open the store named by ``--db`` (or ``target``) for a ``with`` block: read-only unless ``write``; a missing
    store file is an error unless ``create``.

    Commands that only read open read-only, so they run while another process
    holds the store and can never change it.  ``create=True`` (init, demo,
    load, copy) makes a missing store; when the block ends it says so, or, when the
    block failed and the new store holds no node, removes it again (with the
    files made beside it), so a failed first load leaves no empty store behind.
    """
    from kg import KnowledgeGraph
    from kg.errors import KGError

    target = target or store_target()
    local = is_local_file(target)
    created = local and not Path(target).exists()
    if created and not create:
        raise KGError(f"no store at {target}; create one with `kg init`, `kg demo` or `kg load`, or check --db")
    before = set(_beside(Path(target))) if created else set()
    graph = KnowledgeGraph.open(target, **({} if write or (local and created) else {"read_only": True}))
    ok = False
    try:
        yield graph
        ok = True
    finally:
        keep = ok or not created or not _holds_nothing(graph)
        graph.close()
        if created and keep:
            info(f"created a new store at {target}")
        elif created:
            for path in set(_beside(Path(target))) - before:
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def _beside(store: Path) -> list[Path]:
    """The store file and the files named after it in its folder (``.wal``, journals ...)."""
    return [p for p in store.parent.glob(glob.escape(store.name) + "*") if p.name.startswith(store.name)]


def _holds_nothing(graph) -> bool:
    """True when the store has no node (a failed check counts as holding something: nothing is removed)."""
    from kg import cypher
    from kg.errors import KGError

    try:
        return graph.query(cypher.any_node()).empty
    except KGError:
        return False


def info(message: str) -> None:
    """A status line on stderr, silenced by ``--quiet`` and ``--json``."""
    if not settings.quiet and not settings.json:
        err_console.print(message)


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` strings to query parameters (JSON values where they parse)."""
    from kg.errors import KGError

    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise KGError(f"--param {pair!r}: write it as key=value")
        key, raw = pair.split("=", 1)
        try:
            out[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            out[key.strip()] = raw
    return out
