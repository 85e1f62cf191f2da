"""The :class:`Graph` protocol: what the queries, views and loaders need of a graph.

:class:`kg.KnowledgeGraph` implements it; public functions type their ``graph`` parameter with it, so a
wrapper or a test double with these methods works too, and type checkers see what a function may call.

Examples
--------
>>> from kg import KnowledgeGraph
>>> with KnowledgeGraph.open(":memory:") as g:
...     isinstance(g, Graph)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

import pandas as pd

if TYPE_CHECKING:
    import networkx as nx

    from kg.backends.base import Backend
    from kg.named import QueryLibrary
    from kg.schema import Schema

#: rows for the write methods: dicts keyed by property names, or a DataFrame
Rows: TypeAlias = Sequence[Mapping[str, Any]] | pd.DataFrame | Iterable[Mapping[str, Any]]


@runtime_checkable
class Graph(Protocol):
    """A typed innovation graph in one store (the methods of :class:`kg.KnowledgeGraph` others rely on)."""

    schema: Schema
    backend: Backend
    queries: QueryLibrary

    @property
    def writes(self) -> int:
        """How many writes went through this object; caches key on it."""
        ...

    def query(self, cypher_text: str, /, **params: Any) -> pd.DataFrame:
        """Run Cypher with parameters."""
        ...

    def run_named(self, name: str, /, **params: Any) -> pd.DataFrame:
        """Run a named query (``queries/cypher/NAME.cypher``)."""
        ...

    def count(self, type_: str) -> int:
        """Nodes of a label or edges of a type."""
        ...

    def counts(self) -> pd.DataFrame:
        """Nodes and edges per type."""
        ...

    def find(self, name_or_id: str, types: Sequence[str] | None = None) -> pd.DataFrame:
        """Nodes whose id, name or an alias equals ``name_or_id``."""
        ...

    def resolve(self, name_or_id: str, types: Sequence[str] | None = None) -> tuple[str, str]:
        """The ``(label, id)`` of exactly one node."""
        ...

    def upsert_nodes(
        self,
        label: str,
        rows: Rows,
        *,
        batch_size: int = ...,
        validated: bool = ...,
        stored: pd.DataFrame | None = ...,
    ) -> int:
        """Insert or update nodes of one type."""
        ...

    def upsert_edges(self, type_: str, rows: Rows, *, batch_size: int = ..., validated: bool = ...) -> int:
        """Insert or update edges of one type."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Everything inside commits together or not at all."""
        ...

    def to_networkx(
        self,
        node_types: Sequence[str] | None = None,
        edge_types: Sequence[str] | None = None,
        *,
        multigraph: bool = True,
    ) -> nx.Graph:
        """The graph (or a typed part of it) as networkx."""
        ...


__all__ = ["Graph", "Rows"]
