"""Storage engines behind :class:`kg.KnowledgeGraph`.

``open_backend(target)`` picks the engine from the target: a path or
``":memory:"`` opens the embedded LadybugDB store.

Examples
--------
>>> from kg.backends import open_backend
>>> with open_backend(":memory:") as b:
...     b.execute("RETURN 1 AS one")["one"].tolist()
[1]
"""

from __future__ import annotations

from pathlib import Path

from kg.backends.base import Backend
from kg.backends.ladybug_backend import LadybugBackend
from kg.errors import BackendError

SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_server_uri(target: str | Path) -> bool:
    """True when ``target`` names a Neo4j server rather than a local store."""
    return str(target).startswith(SERVER_SCHEMES)


def open_backend(target: str | Path = ":memory:", **options) -> Backend:
    """Open the store named by ``target``.

    Parameters
    ----------
    target
        ``":memory:"``, a path of an embedded store, or a Neo4j URI.
    **options
        Passed to the engine (e.g. ``read_only=True``).
    """
    if is_server_uri(target):
        try:  # loaded only for a server store: the Neo4j backend and its driver stay out of embedded use
            from kg.backends.neo4j_backend import Neo4jBackend
        except ImportError as exc:
            raise BackendError(
                f"cannot open {str(target).split('://')[0]}:// stores: the Neo4j backend is not available ({exc})"
            ) from None
        return Neo4jBackend(str(target), **options)

    return LadybugBackend(target, **options)


__all__ = ["Backend", "open_backend", "is_server_uri", "SERVER_SCHEMES"]
