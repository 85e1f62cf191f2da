"""The storage interface every engine implements.

Nothing above this package imports an engine's driver: the API, loaders,
queries and views talk to a :class:`Backend`, which speaks Cypher and returns
pandas DataFrames.

Examples
--------
>>> from kg.backends import open_backend
>>> b = open_backend(":memory:")
>>> b.engine
'ladybug'
>>> b.close()
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from kg.schema import Schema

#: rows per statement where rows travel in batches (keyed reads, UNWIND writes); the one batch-size setting
BATCH_SIZE = 50_000
#: rows per bulk statement (a copy or ``LOAD FROM`` of a table): bounds the engine's working memory
BULK_ROWS = 500_000


class Backend(ABC):
    """A Cypher store.

    Implementations must make :meth:`transaction` atomic (all or nothing) and
    re-entrant (an inner ``with`` joins the outer transaction).
    """

    #: short engine name; also the suffix of engine-specific query variants
    #: (``name.neo4j.cypher``).
    engine: str = ""
    #: True when :meth:`bulk_load_nodes` / :meth:`bulk_load_edges` exist.
    supports_bulk: bool = False
    #: True when :meth:`bulk_update_nodes` / :meth:`bulk_update_edges` exist.
    supports_bulk_update: bool = False
    #: rows per statement where rows travel in batches (an engine may take fewer at a time)
    batch_size: int = BATCH_SIZE
    #: rows per bulk statement on engines with a bulk path; a larger table is written in slices of this size
    #: inside the same transaction
    bulk_rows: int = BULK_ROWS

    @abstractmethod
    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run one statement and return its rows as a DataFrame."""

    def execute_arrow(self, cypher: str, params: dict[str, Any] | None = None):
        """Run one statement and return its rows as an Arrow table (engines with a columnar result say so)."""
        import pyarrow as pa

        return pa.Table.from_pandas(self.execute(cypher, params), preserve_index=False)

    @abstractmethod
    def ensure_schema(self, schema: Schema) -> list[str]:
        """Create what is missing of the schema; return the statements applied."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Release the store (idempotent)."""

    _depth: int = 0
    #: called just before the outermost transaction commits (the load journal records the moment)
    before_commit = None

    def checkpoint(self) -> None:  # noqa: B027 - an optional hook: engines without their own log need nothing
        """Make every committed transaction durable in the main store file (engines with a log of their own)."""

    #: set for the outermost transaction by ``transaction(copy_first=True)`` (engines whose bulk copy bypasses
    #: their log read it; others ignore it)
    _copy_first: bool = False

    @contextmanager
    def transaction(self, *, copy_first: bool = False) -> Iterator[None]:
        """All statements inside commit together or not at all.

        ``copy_first=True`` (outermost transaction only): new rows may take the engine's bulk copy even
        into a store that holds data, as long as the transaction writes nothing else (see
        :class:`kg.errors.MixedWriteError`).
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._copy_first = copy_first
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        else:
            self._depth = 0
            if self.before_commit is not None:
                self.before_commit()
            self._commit()

    def bulk_load_nodes(self, label: str, frame) -> None:
        """Load an Arrow table (or DataFrame) whose columns are the table's columns, in order, into an empty table."""
        raise NotImplementedError(f"{self.engine} has no bulk path")  # pragma: no cover

    def bulk_load_edges(self, type_: str, from_label: str, to_label: str, frame) -> None:
        """Load ``from_id, to_id, props...`` into an empty edge table for one endpoint pair."""
        raise NotImplementedError(f"{self.engine} has no bulk path")  # pragma: no cover

    def bulk_update_nodes(self, label: str, table, props: list[str], keep_stored: bool = True) -> None:
        """Update stored nodes from an Arrow table (``v_id``, ``v_<prop>``); engines with a bulk path only."""
        raise NotImplementedError(f"{self.engine} has no bulk path")  # pragma: no cover

    def bulk_update_edges(self, type_: str, from_label: str, to_label: str, table, props: list[str]) -> None:
        """Update stored edges from an Arrow table (``v_from_id``, ``v_to_id``, ``v_<prop>``)."""
        raise NotImplementedError(f"{self.engine} has no bulk path")  # pragma: no cover

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def describe(self) -> str:
        """Where the data lives, safe to print (no credentials)."""
        return self.engine
