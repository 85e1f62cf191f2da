"""The embedded default: LadybugDB (in-process, on disk or in memory).

This is the only module that imports ``ladybug``.

Examples
--------
>>> from kg.backends.ladybug_backend import LadybugBackend
>>> b = LadybugBackend(":memory:")
>>> b.execute("RETURN 'ok' AS x")["x"][0]
'ok'
>>> b.close()
"""

from __future__ import annotations

import contextlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from kg import cypher
from kg.backends.base import Backend
from kg.errors import BackendError, MixedWriteError
from kg.journal import explain_open_failure
from kg.schema import Schema
from kg.schema.ddl import ladybug_ddl

#: read-only stores whose tables were found to match the schema (see LadybugBackend.ensure_schema)
_CHECKED: set = set()


@lru_cache(maxsize=4096)
def _writes(statement: str) -> bool:
    """True when a statement inside a transaction writes through the engine's log (catalogue calls do not)."""
    return cypher.first_write_keyword(statement, calls=False) is not None


def _import_engine():
    import ladybug

    return ladybug


class LadybugBackend(Backend):
    """A LadybugDB database file (or ``":memory:"``).

    Parameters
    ----------
    path
        Database file; its parent folder is created when missing.
    read_only
        Open without write access (several readers may share a file).
    """

    engine = "ladybug"
    supports_bulk = True
    supports_bulk_update = True

    def __init__(
        self, path: str | Path = ":memory:", *, read_only: bool = False, replay_damaged_log: bool = False
    ) -> None:
        lb = _import_engine()
        self.path = str(path)
        self.read_only = read_only
        if self.path != ":memory:":
            target = Path(self.path)
            if target.is_dir():
                raise BackendError(
                    f"{target} is a folder; give the path of a database file, e.g. {target / 'innovation.kg'}"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # replay_damaged_log (kg repair only): replay the complete transactions of a log whose tail is damaged
            self._db = lb.Database(self.path, read_only=read_only, throw_on_wal_replay_failure=not replay_damaged_log)
            self._conn = lb.Connection(self._db)
        except RuntimeError as exc:
            known = explain_open_failure(self.path, str(exc))
            if known is not None:
                raise known from None
            raise BackendError(f"cannot open the store at {self.path}: {_first_line(exc)}") from None
        self._lock = threading.RLock()
        self._closed = False

    # -- statements --------------------------------------------------------
    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        return self._fetch(cypher, params, "get_as_df")

    def execute_arrow(self, cypher: str, params: dict[str, Any] | None = None):
        return self._fetch(cypher, params, "get_as_arrow")

    def _fetch(self, cypher: str, params: dict[str, Any] | None, getter: str):
        """Run one statement and read its whole result with ``getter`` (``get_as_df`` or ``get_as_arrow``)."""
        if self._depth and _writes(cypher):
            self._logged_write()
        with self._lock:
            try:
                result = self._conn.execute(cypher, params or {})
            except RuntimeError as exc:
                raise BackendError(f"{_first_line(exc)}\n  in query: {_shorten(cypher)}") from None
            try:
                return getattr(result, getter)()
            finally:
                result.close()

    def _raw(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        if self._depth and _writes(cypher):
            self._logged_write()
        with self._lock:
            try:
                self._conn.execute(cypher, params or {}).close()
            except RuntimeError as exc:
                raise BackendError(f"{_first_line(exc)}\n  in statement: {_shorten(cypher)}") from None

    # -- schema ------------------------------------------------------------
    def tables(self) -> dict[str, str]:
        """Existing tables: name -> ``NODE`` or ``REL``."""
        df = self.execute(cypher.show_tables())
        return dict(zip(df["name"], df["type"]))

    def columns(self, table: str) -> list[str]:
        df = self.execute(cypher.table_columns(table))
        return list(df["name"])

    def ensure_schema(self, schema: Schema) -> list[str]:
        stamp = self._file_stamp(schema)
        if stamp is not None and stamp in _CHECKED:  # a read-only store already checked, unchanged since
            return []
        applied = self._ensure_schema(schema)
        if stamp is not None:
            _CHECKED.add(stamp)
        return applied

    def _file_stamp(self, schema: Schema):
        """(path, size, mtime, schema) of a store opened read-only: nothing can change its tables while it is unchanged."""
        if not self.read_only or self.path == ":memory:":
            return None
        try:
            st = Path(self.path).stat()
        except OSError:
            return None
        return (str(Path(self.path).resolve()), st.st_size, st.st_mtime_ns, id(schema))

    def _ensure_schema(self, schema: Schema) -> list[str]:
        existing = self.tables()
        applied = []
        for stmt in ladybug_ddl(schema):
            name = stmt.split("IF NOT EXISTS ", 1)[1].split("(", 1)[0]
            if name in existing:
                self._check_columns(name, schema)
                continue
            self._raw(stmt)
            applied.append(stmt)
        return applied

    def _check_columns(self, table: str, schema: Schema) -> None:
        props = schema.nodes[table].properties if table in schema.nodes else schema.edges[table].properties
        missing = [p for p in props if p not in set(self.columns(table))]
        if missing:
            raise BackendError(
                f"the store at {self.path} was made with an older schema: table {table} lacks {', '.join(missing)}; "
                "rebuild it (kg init --force, then reload) or export and re-import"
            )

    # -- transactions --------------------------------------------------------
    def _begin(self) -> None:
        self._raw("BEGIN TRANSACTION")
        # COPY inside a transaction is crash-safe only when the transaction writes nothing else: the engine logs
        # its other writes but not the copied rows, so a kill during COMMIT would replay the rest without them.
        # Into an empty store a load only copies; into a store with data, rows are created through the log unless
        # the transaction was begun copy_first (a load that may be run again: see _logged_write).
        self._tx_copied = False
        self._tx_copy_ok = self.path == ":memory:" or self._copy_first or self._is_empty()

    def _is_empty(self) -> bool:
        return self.execute(cypher.any_node()).empty

    def _logged_write(self) -> None:
        """Called before a write the engine logs: refused after a COPY in a ``copy_first`` transaction; from
        now on new rows go through the log too, so the transaction never mixes the two."""
        if not self._depth or self.path == ":memory:":
            return
        if self._tx_copied and self._copy_first:
            raise MixedWriteError(
                "this transaction copied new rows in bulk and then asked for a logged write; "
                "it was rolled back: run it again without copy_first"
            )
        self._tx_copy_ok = False

    def _commit(self) -> None:
        self._raw("COMMIT")

    def _rollback(self) -> None:
        with contextlib.suppress(BackendError):  # the engine already rolled back after a failed statement
            self._raw("ROLLBACK")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (nothing to do read-only or in memory)."""
        if not self.read_only and self.path != ":memory:":
            self._raw("CHECKPOINT")

    # -- bulk ------------------------------------------------------------------
    _tx_copy_ok: bool = True
    _tx_copied: bool = False

    def bulk_load_nodes(self, label: str, frame) -> None:
        if self._depth and not self._tx_copy_ok:
            table = _arrow(frame)
            self._load_from(cypher.load_create_nodes(label, table.column_names), _prefixed(table))
            return
        self._copy(frame, label)

    def bulk_load_edges(self, type_: str, from_label: str, to_label: str, frame) -> None:
        if self._depth and not self._tx_copy_ok:
            table = _arrow(frame)
            props = [c for c in table.column_names if c not in ("from_id", "to_id")]
            self._load_from(cypher.load_create_edges(type_, from_label, to_label, props), _prefixed(table))
            return
        self._copy(frame, type_, from_label, to_label)

    def bulk_update_nodes(self, label: str, table, props: list[str], keep_stored: bool = True) -> None:
        """Update stored nodes from an Arrow table (columns ``v_id`` and ``v_<prop>``); null keeps the stored value.

        ``keep_stored=False``: the table holds the final values; they are written as they are."""
        self._load_from(cypher.load_update_nodes(label, props, keep_stored), table)

    def bulk_update_edges(self, type_: str, from_label: str, to_label: str, table, props: list[str]) -> None:
        """Update stored edges from an Arrow table (``v_from_id``, ``v_to_id``, ``v_<prop>``)."""
        self._load_from(cypher.load_update_edges(type_, from_label, to_label, props), table)

    def _load_from(self, statement: str, table) -> None:
        self._logged_write()
        with self._lock:
            try:
                for piece in _slices(table, self.bulk_rows):
                    self._conn.execute(statement, {"t": piece}).close()
            except RuntimeError as exc:
                raise BackendError(
                    f"bulk write failed: {_first_line(exc)}\n  in statement: {_shorten(statement)}"
                ) from None

    def _copy(self, frame: pd.DataFrame, *table: str) -> None:
        """``COPY`` ``frame`` into ``table`` (a label, or an edge type and its end labels), in slices."""
        if self._depth:
            self._tx_copied = True
        with self._lock:
            for piece in _slices(_arrow(frame), self.bulk_rows):
                try:
                    self._conn.execute(cypher.copy_from(table[0], "$frame", *table[1:]), {"frame": piece}).close()
                except RuntimeError:
                    # older engines accept only a Python variable name in COPY
                    try:
                        self._copy_by_name(piece, *table)
                    except RuntimeError as exc:
                        raise BackendError(f"bulk load into {table[0]} failed: {_first_line(exc)}") from None

    def _copy_by_name(self, frame: pd.DataFrame, *table: str) -> None:
        bulk_frame = frame  # noqa: F841  (read by name by the engine)
        self._conn.execute(cypher.copy_from(table[0], "bulk_frame", *table[1:])).close()

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        if not self._closed:
            self._closed = True
            try:
                self._conn.close()
                self._db.close()
            except Exception:  # pragma: no cover - closing twice is harmless
                pass

    def describe(self) -> str:
        return f"ladybug:{self.path}"


def _slices(table, rows: int):
    """``table`` (Arrow) in slices of at most ``rows`` rows (zero-copy), so the engine works on bounded pieces."""
    if table.num_rows <= rows:
        yield table
        return
    for start in range(0, table.num_rows, rows):
        yield table.slice(start, rows)


def _arrow(frame):
    import pyarrow as pa

    return frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)


def _prefixed(table):
    return table.rename_columns(["v_" + c for c in table.column_names])


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _shorten(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
