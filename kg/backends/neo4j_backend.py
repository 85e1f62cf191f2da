"""Neo4j 5 (server, cluster or Aura) through the official ``neo4j`` Python driver.

The same Cypher the embedded engine runs goes here unchanged (or through a
``NAME.neo4j.cypher`` variant).  Writes are the graph API's batched
``UNWIND $rows ... MERGE`` statements; outside an explicit transaction each
statement runs as a managed transaction with the driver's retries on
transient errors; :meth:`transaction` makes one explicit transaction (one
loader file = one transaction).  Notifications are switched off and results
are consumed into DataFrames.  Credentials come from arguments or
``NEO4J_USER`` / ``NEO4J_PASSWORD`` and never appear in ``repr``, errors or
:meth:`describe`.

Examples
--------
>>> safe_uri("neo4j+s://alice:secret@db.example.org:7687")
'neo4j+s://db.example.org:7687'
>>> to_plain({"d": __import__("datetime").date(2024, 1, 2), "xs": [1, 2]})
{'d': datetime.date(2024, 1, 2), 'xs': [1, 2]}
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from kg.backends.base import Backend
from kg.errors import BackendError
from kg.schema import Schema
from kg.schema.ddl import neo4j_constraints

#: rows per ``UNWIND $rows`` statement when the graph API writes here
DEFAULT_BATCH = 10_000


def safe_uri(uri: str) -> str:
    """The URI without user name and password."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path or ''}"


def to_plain(value: Any) -> Any:
    """Driver values as plain Python: temporal types to ``datetime``, nodes and relationships to dicts."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if hasattr(value, "to_native"):
        return value.to_native()
    if hasattr(value, "element_id") and hasattr(value, "items"):  # Node / Relationship
        return {k: to_plain(v) for k, v in value.items()}
    return value


class Neo4jBackend(Backend):
    """A Neo4j database reached over Bolt (``neo4j://``, ``bolt://``, ``neo4j+s://`` ...).

    Parameters
    ----------
    uri
        Server URI (credentials inside it are accepted and stripped); default ``NEO4J_URI``.
    user, password
        Default ``NEO4J_USER`` (``neo4j``) and ``NEO4J_PASSWORD``.
    database
        Default ``NEO4J_DATABASE`` (the server's default database when unset).
    batch_size
        Rows per batched write statement.
    """

    engine = "neo4j"
    supports_bulk = False

    def __init__(self, uri: str | None = None, *, user: str | None = None, password: str | None = None,
                 database: str | None = None, batch_size: int = DEFAULT_BATCH, **driver_options: Any) -> None:
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
        self._secrets = [s for s in (secret, parts.password) if s]
        self.uri = safe_uri(uri)
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        self.batch_size = batch_size
        self._neo4j = neo4j
        self._session = None
        self._tx = None
        options = {"notifications_min_severity": "OFF", "connection_timeout": 10.0, **driver_options}
        try:
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=(user, secret), **options)
            self._driver.verify_connectivity()
        except Exception as exc:  # the driver raises many kinds; all mean "cannot use this server"
            raise BackendError(f"cannot connect to Neo4j at {self.uri}: {self._clean(exc)}; check the URI, "
                               "NEO4J_USER / NEO4J_PASSWORD and that the server runs") from None
        self._closed = False

    def __repr__(self) -> str:
        return f"Neo4jBackend({self.uri!r}, database={self.database!r})"

    def _clean(self, exc: BaseException) -> str:
        text = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        for s in self._secrets:
            text = text.replace(s, "***")
        return re.sub(r"://[^/@\s]+@", "://", text)

    # -- statements ------------------------------------------------------------
    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        try:
            if self._tx is not None:
                result = self._tx.run(cypher, params or {})
                keys, records = result.keys(), list(result)
            else:
                records, summary, keys = self._driver.execute_query(
                    cypher, params or {}, database_=self.database, routing_=self._neo4j.RoutingControl.WRITE)
        except self._neo4j.exceptions.Neo4jError as exc:
            raise BackendError(f"{self._clean(exc)}\n  in query: {' '.join(cypher.split())[:240]}") from None
        except self._neo4j.exceptions.DriverError as exc:
            raise BackendError(f"Neo4j at {self.uri}: {self._clean(exc)}") from None
        rows = [[to_plain(r[k]) for k in keys] for r in records]
        return pd.DataFrame(rows, columns=list(keys))

    def ensure_schema(self, schema: Schema) -> list[str]:
        applied = []
        for stmt in neo4j_constraints(schema):
            self.execute(stmt)
            applied.append(stmt)
        return applied

    # -- transactions ----------------------------------------------------------
    def _begin(self) -> None:
        self._session = self._driver.session(database=self.database)
        self._tx = self._session.begin_transaction()

    def _commit(self) -> None:
        try:
            self._tx.commit()
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
        if self._session is not None:
            self._session.close()
            self._session = None

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        if not getattr(self, "_closed", True):
            self._closed = True
            self._end()
            self._driver.close()

    def describe(self) -> str:
        return f"neo4j:{self.uri}" + (f"/{self.database}" if self.database else "")


# ----------------------------------------------------------------- analytics
def gds_available(graph) -> bool:
    """True when ``graph`` lives in Neo4j and the Graph Data Science plugin answers."""
    if getattr(graph.backend, "engine", "") != "neo4j":
        return False
    try:
        graph.query("RETURN gds.version() AS v")
        return True
    except BackendError:
        return False


#: our measure names -> GDS procedures (stream mode)
GDS_PROCEDURES = {"pagerank": "gds.pageRank.stream", "betweenness": "gds.betweenness.stream",
                  "degree": "gds.degree.stream", "eigenvector": "gds.eigenvector.stream",
                  "closeness": "gds.closeness.stream"}


def gds_centrality(graph, measure: str, node_labels=("Enterprise", "University", "ResearchInstitute"),
                   relationship_types=("COOPERATES_WITH",)) -> pd.DataFrame:
    """A centrality computed inside Neo4j by Graph Data Science, with the columns of the Python engines
    (``id``, ``name``, ``type``, ``region``, ``<measure>``); needs the ``gds`` extra (``graphdatascience``)."""
    if measure not in GDS_PROCEDURES:
        raise BackendError(f"{measure} has no Graph Data Science procedure here; use {', '.join(GDS_PROCEDURES)}")
    if not gds_available(graph):
        raise BackendError("Graph Data Science is not available on this store; the Python engines compute it instead")
    from graphdatascience import GraphDataScience

    backend = graph.backend
    gds = GraphDataScience(backend._driver, database=backend.database)
    name = f"kg_{measure}"
    if gds.graph.exists(name)["exists"]:
        gds.graph.drop(gds.graph.get(name))
    projected, _ = gds.graph.project(name, list(node_labels), {t: {"orientation": "UNDIRECTED"} for t in relationship_types})
    try:
        scores = getattr(gds, GDS_PROCEDURES[measure].split(".", 1)[1].split(".")[0]).stream(projected)
    finally:
        projected.drop()
    ids = scores["nodeId"].tolist()
    nodes = gds.util.asNodes(ids)
    out = pd.DataFrame({
        "id": [n.get("id") for n in nodes], "name": [n.get("name") for n in nodes],
        "type": [sorted(n.labels)[0] if n.labels else None for n in nodes], "region": [n.get("region") for n in nodes],
        measure: scores["score"].tolist(),
    })
    return out.sort_values(measure, ascending=False).reset_index(drop=True)
