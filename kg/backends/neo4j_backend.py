"""Neo4j 5 (server, cluster or Aura) through the official ``neo4j`` Python driver.

The same Cypher the embedded engine runs goes here unchanged (or through a
``NAME.neo4j.cypher`` variant).

* **Connection**: ``neo4j://``, ``neo4j+s://`` (clusters, Aura), ``bolt://``,
  ``bolt+s://``; user, password and database from arguments or
  ``NEO4J_USER`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE``.  A path in the URI
  (``neo4j://host:7687/innovation``) names the database too.  Credentials
  never appear in ``repr``, :meth:`Neo4jBackend.describe`, errors or logs.
* **Schema**: the uniqueness constraints and indexes of
  :func:`kg.schema.ddl.neo4j_constraints` (``schema/generated/neo4j_constraints.cypher``)
  are created on open when missing (``IF NOT EXISTS``).
* **Writes**: outside a transaction every statement is one managed
  transaction (``execute_query``: retried by the driver on transient errors,
  routed to the leader; reads are routed to followers).  Inside
  :meth:`~kg.backends.base.Backend.transaction` (one loader file) statements
  share one explicit transaction, except that a transaction which has written
  more than ``max_tx_rows`` rows commits and continues in a new one (a
  *checkpoint*, counted in :attr:`Neo4jBackend.checkpoints`): a huge load then
  never exhausts the server's transaction memory, and since every write is an
  idempotent upsert, running a load that failed after a checkpoint again
  resumes it.  ``max_tx_rows=None`` keeps every load in one transaction.
* **Bulk**: Neo4j has no ``COPY FROM $frame``; into an empty label or type the
  graph API's bulk path becomes batched ``UNWIND $rows ... CREATE``
  (:func:`kg.cypher.create_nodes`, :func:`kg.cypher.create_edges`; cheaper
  than ``MERGE``), ``batch_size`` rows per statement.
* **Results**: driver values become plain Python and the DataFrames look like
  the embedded engine's (dates as ``datetime64``, nodes as dicts).
  Notifications are switched off; results are consumed.

Examples
--------
>>> safe_uri("neo4j+s://alice:secret@db.example.org:7687")
'neo4j+s://db.example.org:7687'
>>> to_plain({"d": __import__("datetime").date(2024, 1, 2), "xs": [1, 2]})
{'d': datetime.date(2024, 1, 2), 'xs': [1, 2]}
>>> is_read_only("MATCH (n:Field) RETURN n.name AS name"), is_read_only("MATCH (n:Field) SET n.x = 1")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from kg.backends.base import Backend
from kg.cypher import create_edges, create_nodes, is_read_only
from kg.errors import BackendError, redact
from kg.named import QueryLibrary
from kg.schema import Schema
from kg.schema.ddl import neo4j_constraints

log = logging.getLogger("kg.neo4j")

#: rows per ``UNWIND $rows ... CREATE`` statement on the bulk path
DEFAULT_BATCH = 10_000
#: rows written by one explicit transaction before it commits a checkpoint
DEFAULT_MAX_TX_ROWS = 200_000


# ----------------------------------------------------------------- helpers
def safe_uri(uri: str) -> str:
    """The URI without user name and password.

    Examples
    --------
    >>> safe_uri("bolt://neo4j:pw@localhost:7687/innovation?policy=eu")
    'bolt://localhost:7687/innovation?policy=eu'
    """
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if parts.port:
        host += f":{parts.port}"
    query = redact(f"?{parts.query}") if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path or ''}" + query


def split_uri(uri: str) -> tuple[str, str | None]:
    """``(driver URI, database)``: a path ``/name`` in the URI names the database.

    Examples
    --------
    >>> split_uri("neo4j://u:p@db.example.org:7687/innovation")
    ('neo4j://db.example.org:7687', 'innovation')
    >>> split_uri("bolt://localhost:7687")
    ('bolt://localhost:7687', None)
    """
    clean = urlsplit(safe_uri(uri))
    database = clean.path.strip("/") or None
    base = f"{clean.scheme}://{clean.netloc}" + (f"?{clean.query}" if clean.query else "")
    return base, database


def to_plain(value: Any) -> Any:
    """Driver values as plain Python: temporal types to ``datetime``, graph types to dicts.

    Nodes become ``{"_ID", "_LABEL", **properties}`` and relationships
    ``{"_ID", "_LABEL" (the type), "_SRC", "_DST", **properties}``, as the
    embedded engine returns them; paths become ``{"_nodes": [...], "_rels": [...]}``.
    """
    module = type(value).__module__ or ""
    if module.startswith("neo4j"):
        if type(value).__name__ == "Duration":
            return dt.timedelta(
                days=value.months * 30 + value.days, seconds=value.seconds, microseconds=value.nanoseconds // 1000
            )
        if hasattr(value, "to_native"):
            return value.to_native()
        if hasattr(value, "start_node") and hasattr(value, "relationships"):  # Path
            return {"_nodes": [to_plain(n) for n in value.nodes], "_rels": [to_plain(r) for r in value.relationships]}
        if hasattr(value, "element_id") and hasattr(value, "items"):
            head: dict[str, Any] = {"_ID": value.element_id}
            if hasattr(value, "labels"):
                head["_LABEL"] = sorted(value.labels)[0] if value.labels else None
            else:
                head["_LABEL"] = value.type
                head["_SRC"] = value.start_node.element_id if value.start_node is not None else None
                head["_DST"] = value.end_node.element_id if value.end_node is not None else None
            return {**head, **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


def records_frame(keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """Rows of driver values as the DataFrame the embedded engine would return.

    Dates and naive datetimes become ``datetime64[us]`` columns (the embedded
    engine's DATE / TIMESTAMP), integers with nulls ``float64``.

    Examples
    --------
    >>> import datetime as dt
    >>> df = records_frame(["id", "d", "n"], [["E1", dt.date(2020, 1, 2), 3], ["E2", None, None]])
    >>> [str(t) for t in df.dtypes], df["d"].iloc[0]
    (['str', 'datetime64[us]', 'float64'], Timestamp('2020-01-02 00:00:00'))
    """
    data = [[to_plain(v) for v in row] for row in rows]
    df = pd.DataFrame(data, columns=list(keys))
    for col in df.columns:
        values = [v for v in df[col] if v is not None and not (isinstance(v, float) and v != v)]
        if not values:
            continue
        if all(isinstance(v, dt.date) for v in values) and all(
            not isinstance(v, dt.datetime) or v.tzinfo is None for v in values
        ):
            df[col] = pd.Series([pd.NaT if v is None else pd.Timestamp(v) for v in df[col]], index=df.index).astype(
                "datetime64[us]"
            )
    return df


# ------------------------------------------------------------- bulk rows
def _frame_rows(frame) -> list[dict[str, Any]]:
    if hasattr(frame, "to_pylist"):  # pyarrow.Table
        return frame.to_pylist()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _batches(rows: list[dict], size: int, fixed: Sequence[str]):
    """Batches whose rows carry the fixed keys plus the properties present somewhere in the batch."""
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        present = [k for k in batch[0] if k not in fixed and any(r.get(k) is not None for r in batch)]
        yield present, [{k: r.get(k) for k in (*fixed, *present)} for r in batch]


# ----------------------------------------------------------------- backend
class Neo4jBackend(Backend):
    """A Neo4j database reached over Bolt (``neo4j://``, ``bolt://``, ``neo4j+s://`` ...).

    Parameters
    ----------
    uri
        Server URI (credentials inside it are accepted and stripped; a path
        names the database); default ``NEO4J_URI``.
    user, password
        Default ``NEO4J_USER`` (``neo4j``) and ``NEO4J_PASSWORD``.
    database
        Default ``NEO4J_DATABASE``, then the URI's path, then the server's default database.
    batch_size
        Rows per ``UNWIND`` statement on the bulk path.
    max_tx_rows
        Rows one explicit transaction writes before committing a checkpoint (``None``: never).
    read_only
        Refuse writing statements and route every statement to readers.
    verify
        Check the connection (and the credentials) now rather than on first use.
    **driver_options
        Passed to ``neo4j.GraphDatabase.driver`` (e.g. ``max_connection_pool_size``).
    """

    engine = "neo4j"
    supports_bulk = True

    def __init__(
        self,
        uri: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        max_tx_rows: int | None = DEFAULT_MAX_TX_ROWS,
        read_only: bool = False,
        verify: bool = True,
        **driver_options: Any,
    ) -> None:
        self._closed = True
        try:
            import neo4j
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise BackendError(f"the neo4j driver is not installed ({exc}); pip install neo4j") from None
        uri = uri or os.environ.get("NEO4J_URI") or ""
        if not uri:
            raise BackendError("no Neo4j URI: pass one (neo4j://host:7687) or set NEO4J_URI")
        parts = urlsplit(uri)
        user = user or parts.username or os.environ.get("NEO4J_USER") or "neo4j"
        secret = password if password is not None else (parts.password or os.environ.get("NEO4J_PASSWORD") or "")
        self._secrets = sorted(
            {s for s in (secret, parts.password, os.environ.get("NEO4J_PASSWORD")) if s}, key=len, reverse=True
        )
        self.uri, in_uri = split_uri(uri)
        self.database = database or os.environ.get("NEO4J_DATABASE") or in_uri or None
        if batch_size < 1:
            raise BackendError(f"batch_size must be at least 1, not {batch_size}")
        self.batch_size = batch_size
        self.max_tx_rows = max_tx_rows
        self.read_only = read_only
        #: checkpoints committed inside explicit transactions since open
        self.checkpoints = 0
        self._tx_rows = 0
        self._neo4j = neo4j
        self._session: Any = None
        self._tx: Any = None
        options = {
            "notifications_min_severity": "OFF",
            "connection_timeout": 10.0,
            "user_agent": "innovation-kg",
            **driver_options,
        }
        try:
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=(user, secret), **options)
            if verify:
                self._driver.verify_connectivity()
        except Exception as exc:  # the driver raises many kinds; all mean "cannot use this server"
            driver = getattr(self, "_driver", None)
            if driver is not None:
                driver.close()
            raise BackendError(
                f"cannot connect to Neo4j at {self.uri}: {self._clean(exc)}; check the URI, "
                "NEO4J_USER / NEO4J_PASSWORD and that the server runs"
            ) from None
        self._closed = False

    def __repr__(self) -> str:
        return f"Neo4jBackend({self.uri!r}, database={self.database!r})"

    def _clean(self, exc: BaseException) -> str:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        text = f"{type(exc).__name__}: {first}"
        for s in self._secrets:
            text = text.replace(s, "***")
        return re.sub(r"://[^/@\s]+@", "://", text)

    # -- statements ------------------------------------------------------------
    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        params = params or {}
        reads = is_read_only(cypher)
        if self.read_only and not reads:
            raise BackendError(f"{self.describe()} was opened read-only; this statement writes: {_shorten(cypher)}")
        neo4j = self._neo4j
        try:
            if self._tx is not None:
                result = self._tx.run(cypher, params)
                keys, records = result.keys(), list(result)
                result.consume()
            else:
                routing = neo4j.RoutingControl.READ if reads else neo4j.RoutingControl.WRITE
                records, _, keys = self._driver.execute_query(cypher, params, routing_=routing, database_=self.database)
        except neo4j.exceptions.Neo4jError as exc:
            raise BackendError(f"{self._clean(exc)}\n  in query: {_shorten(cypher)}") from None
        except neo4j.exceptions.DriverError as exc:
            raise BackendError(f"Neo4j at {self.uri}: {self._clean(exc)}") from None
        frame = records_frame(keys, (r.values() for r in records))
        if self._tx is not None and not reads:
            self._after_write(params)
        return frame

    def _named(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query ``name`` (its Neo4j text, ``queries/cypher/NAME.neo4j.cypher``)."""
        library = QueryLibrary()
        query = library.get(name, self.engine)
        return self.execute(query.text, library.bind(query, params))

    def _after_write(self, params: dict[str, Any]) -> None:
        rows = params.get("rows")
        self._tx_rows += len(rows) if isinstance(rows, list) else 1
        if self.max_tx_rows and self._tx_rows >= self.max_tx_rows:
            self._tx.commit()
            self._tx = self._session.begin_transaction()
            self.checkpoints += 1
            log.info("Neo4j %s: checkpoint %d committed after %d rows", self.uri, self.checkpoints, self._tx_rows)
            self._tx_rows = 0

    def ensure_schema(self, schema: Schema) -> list[str]:
        wanted = neo4j_constraints(schema)
        try:
            have = set(self._named("neo4j_constraint_names")["name"])
            have |= set(self._named("neo4j_index_names")["name"])
        except BackendError:  # no privilege to list: IF NOT EXISTS makes applying all safe
            have = set()
        applied = []
        for stmt in wanted:
            if stmt.split()[2] in have or self.read_only:
                continue
            self.execute(stmt)
            applied.append(stmt)
        if applied:  # new indexes populate in the background: wait so the first loads use them
            try:
                self._named("neo4j_await_indexes", seconds=300)
            except BackendError:
                log.info("Neo4j %s: indexes still populating; writes may be slow until they are online", self.uri)
        return applied

    # -- bulk: batched UNWIND ... CREATE -----------------------------------------
    def bulk_load_nodes(self, label: str, frame) -> None:
        rows = _frame_rows(frame)
        with self.transaction():
            for present, batch in _batches(rows, self.batch_size, ("id",)):
                self.execute(create_nodes(label, ["id", *present]), {"rows": batch})

    def bulk_load_edges(self, type_: str, from_label: str, to_label: str, frame) -> None:
        rows = _frame_rows(frame)
        with self.transaction():
            for present, batch in _batches(rows, self.batch_size, ("from_id", "to_id")):
                self.execute(create_edges(type_, from_label, to_label, present), {"rows": batch})

    # -- transactions ----------------------------------------------------------
    def _begin(self) -> None:
        try:
            self._session = self._driver.session(database=self.database)
            self._tx = self._session.begin_transaction()
        except self._neo4j.exceptions.DriverError as exc:
            self._end()
            raise BackendError(f"Neo4j at {self.uri}: {self._clean(exc)}") from None
        self._tx_rows = 0

    def _commit(self) -> None:
        try:
            self._tx.commit()
        except (self._neo4j.exceptions.Neo4jError, self._neo4j.exceptions.DriverError) as exc:
            raise BackendError(f"Neo4j at {self.uri}: commit failed: {self._clean(exc)}") from None
        finally:
            self._end()

    def _rollback(self) -> None:
        try:
            if self._tx is not None:
                self._tx.rollback()
        except Exception:  # pragma: no cover - the server already ended it
            pass
        finally:
            self._end()

    def _end(self) -> None:
        self._tx = None
        self._tx_rows = 0
        if self._session is not None:
            self._session.close()
            self._session = None

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._end()
            self._driver.close()

    def describe(self) -> str:
        return f"neo4j:{self.uri}" + (f"/{self.database}" if self.database else "")


def _shorten(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
