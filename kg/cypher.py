"""Parameterised Cypher built from the schema.

Only schema labels, edge types and property names (checked by
:func:`kg.schema.check_identifier`) are ever placed into statement text;
every value travels as a parameter (``$rows``, ``$ids``).  The statements run
unchanged on LadybugDB and Neo4j.

Examples
--------
>>> print(merge_nodes("Enterprise", ["name", "region"]))
UNWIND $rows AS r MERGE (n:Enterprise {id: r.id}) SET n.name = coalesce(r.name, n.name, r.id), n.region = coalesce(r.region, n.region)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.repeats import merge_set, set_order
from kg.schema import check_identifier as _ident


def _rows(load: bool) -> tuple[str, str]:
    """The head reading the input rows and the prefix of a column in them.

    ``UNWIND $rows AS r`` (dicts; both engines) or ``LOAD FROM $t`` (an Arrow
    table whose columns are ``v_<name>``; embedded engine only).
    """
    return ("LOAD FROM $t ", "v_") if load else ("UNWIND $rows AS r ", "r.")


def _link(type_: str, from_label: str, to_label: str, a: str = "", b: str = "") -> str:
    """The pattern ``(a:From<a>)-[e:TYPE]->(b:To<b>)`` (``a``/``b``: text inside the end nodes, e.g. `` {id: k}``)."""
    return "(a:" + _ident(from_label) + a + ")-[e:" + _ident(type_) + "]->(b:" + _ident(to_label) + b + ")"


def _keep_stored(props: Iterable[str], column: str, var: str = "n") -> str:
    """``n.p = coalesce(<column>p, n.p), ...``: a null input value keeps the stored one."""
    return ", ".join(
        var + "." + _ident(p) + " = coalesce(" + column + _ident(p) + ", " + var + "." + _ident(p) + ")" for p in props
    )


def merge_nodes(label: str, props: Iterable[str], key: str = "id") -> str:
    """Upsert rows ``$rows`` (dicts with ``key`` and ``props``) into ``label``.

    A missing value (null) never erases a stored one; a new node without a
    ``name`` is named by its key.
    """
    props = ["name", *(p for p in props if p not in (key, "name"))]
    fallback = {"name": ", r." + key}
    sets = ", ".join("n." + _ident(p) + " = coalesce(r." + p + ", n." + p + fallback.get(p, "") + ")" for p in props)
    text = "UNWIND $rows AS r MERGE (n:" + _ident(label) + " {" + _ident(key) + ": r." + key + "})"
    return text + (" SET " + sets if sets else "")


def merge_edges(type_: str, from_label: str, to_label: str, props: Iterable[str]) -> str:
    """Upsert edges ``$rows`` (``from_id``, ``to_id``, props): one edge per type and pair."""
    props = list(props)
    sets = ", ".join("e." + _ident(p) + " = " + merge_set(_ident(p), "r.") for p in props if p != "occurrences")
    text = (
        "UNWIND $rows AS r MATCH (a:" + _ident(from_label) + " {id: r.from_id}) "
        "MATCH (b:" + _ident(to_label) + " {id: r.to_id}) "
        "MERGE (a)-[e:" + _ident(type_) + "]->(b)"
    )
    if "occurrences" in props:  # counted on a stored edge only (kg.repeats)
        text += " ON CREATE SET e.occurrences = r.occurrences ON MATCH SET e.occurrences = " + merge_set(
            "occurrences", "r.", has_source="source" in props
        )
    return text + (" SET " + sets if sets else "")


def degrees(label: str) -> str:
    """``id`` and ``degree`` (links of any type, either direction) of the nodes of ``label`` whose id is in ``$ids``."""
    return "UNWIND $ids AS k MATCH (n:" + _ident(label) + " {id: k})-[r]-() RETURN n.id AS id, count(r) AS degree"


def count_nodes(label: str) -> str:
    return "MATCH (n:" + _ident(label) + ") RETURN count(n) AS n"


def count_from_source(label_or_type: str, edge: bool = False) -> str:
    """Nodes of a label (or edges of a type) whose provenance ``source`` is ``$source``.

    Examples
    --------
    >>> count_from_source("Enterprise")
    'MATCH (n:Enterprise) WHERE n.source = $source RETURN count(n) AS n'
    """
    pattern = "()-[n:" + _ident(label_or_type) + "]->()" if edge else "(n:" + _ident(label_or_type) + ")"
    return "MATCH " + pattern + " WHERE n.source = $source RETURN count(n) AS n"


def count_edges(type_: str, from_label: str | None = None, to_label: str | None = None) -> str:
    a = ":" + _ident(from_label) if from_label else ""
    b = ":" + _ident(to_label) if to_label else ""
    return "MATCH (" + a + ")-[e:" + _ident(type_) + "]->(" + b + ") RETURN count(e) AS n"


def node_rows(label: str, props: Iterable[str]) -> str:
    """Every node of ``label`` with the given properties as columns."""
    cols = ", ".join("n." + _ident(p) + " AS " + p for p in props)
    return "MATCH (n:" + _ident(label) + ") RETURN " + cols


def edge_rows(type_: str, from_label: str, to_label: str, props: Iterable[str]) -> str:
    """Every edge of one endpoint pair: ``from_id``, ``to_id`` and properties."""
    return "MATCH " + _link(type_, from_label, to_label) + " " + _edge_columns(props)


def _edge_columns(props: Iterable[str]) -> str:
    """``RETURN a.id AS from_id, b.id AS to_id, e.p AS p, ...``."""
    return "RETURN a.id AS from_id, b.id AS to_id" + "".join(", e." + _ident(p) + " AS " + p for p in props)


def edge_range(type_: str, from_label: str, to_label: str, props: Iterable[str], bounded: bool = True) -> str:
    """The edges of one endpoint pair whose start key lies in ``($lo, $hi]`` (``bounded=False``: above ``$lo``).

    Examples
    --------
    >>> edge_range("BRANCH_OF", "University", "University", ["since"])
    'MATCH (a:University)-[e:BRANCH_OF]->(b:University) WHERE a.id > $lo AND a.id <= $hi RETURN a.id AS from_id, b.id AS to_id, e.since AS since'
    """
    where = " WHERE a.id > $lo" + (" AND a.id <= $hi " if bounded else " ")
    return "MATCH " + _link(type_, from_label, to_label) + where + _edge_columns(props)


def find_by_name(label: str) -> str:
    """Nodes of ``label`` whose name or one alias equals ``$name``."""
    return (
        "MATCH (n:" + _ident(label) + ") WHERE n.name = $name OR $name IN n.aliases RETURN n.id AS id, n.name AS name"
    )


def names_of(label: str, by_ids: bool = False) -> str:
    """``id``, ``name``, ``aliases`` of every node of ``label`` (or of those in ``$ids``)."""
    match = (
        ("UNWIND $ids AS k MATCH (n:" + _ident(label) + " {id: k}) ")
        if by_ids
        else ("MATCH (n:" + _ident(label) + ") ")
    )
    return match + "RETURN n.id AS id, n.name AS name, n.aliases AS aliases"


def nodes_with(label: str, props: Iterable[str]) -> str:
    """Every node of ``label``, with the given properties as columns."""
    return "MATCH (n:" + _ident(label) + ") RETURN " + ", ".join("n." + _ident(p) + " AS " + p for p in props)


def nodes_by_ids(label: str, props: Iterable[str]) -> str:
    """The nodes of ``label`` whose id is in ``$ids``, with the given properties as columns."""
    cols = ", ".join("n." + _ident(p) + " AS " + p for p in props)
    return "UNWIND $ids AS k MATCH (n:" + _ident(label) + " {id: k}) RETURN " + cols


def incident_edges(type_: str, from_label: str, to_label: str, side: str, props: Iterable[str] = ()) -> str:
    """Edges of one type and endpoint pair touching the nodes in ``$ids`` on ``side`` (``from`` or ``to``).

    Columns ``source``, ``target`` and the edge properties ``props``.

    Examples
    --------
    >>> incident_edges("COOPERATES_WITH", "Enterprise", "University", "to", ["since"])
    'UNWIND $ids AS k MATCH (a:Enterprise)-[e:COOPERATES_WITH]->(b:University {id: k}) RETURN a.id AS source, b.id AS target, e.since AS since'
    """
    if side not in ("from", "to"):
        raise ValueError(f"side is 'from' or 'to', not {side!r}")
    at = " {id: k}"
    pattern = _link(type_, from_label, to_label, at if side == "from" else "", at if side == "to" else "")
    cols = "".join(", e." + _ident(p) + " AS " + p for p in props)
    return "UNWIND $ids AS k MATCH " + pattern + " RETURN a.id AS source, b.id AS target" + cols


def node_page(label: str, props: Iterable[str]) -> str:
    """The next ``$k`` nodes of ``label`` after key ``$after`` (in key order), with the given properties."""
    cols = ", ".join("n." + _ident(p) + " AS " + p for p in props)
    return "MATCH (n:" + _ident(label) + ") WHERE n.id > $after RETURN " + cols + " ORDER BY n.id LIMIT $k"


def edge_page(type_: str, from_label: str, to_label: str, props: Iterable[str]) -> str:
    """The edges of one endpoint pair whose start key is in ``$ids`` (a page of start nodes), with properties.

    Examples
    --------
    >>> edge_page("COOPERATES_WITH", "Enterprise", "University", ["since"])
    'UNWIND $ids AS k MATCH (a:Enterprise {id: k})-[e:COOPERATES_WITH]->(b:University) RETURN a.id AS from_id, b.id AS to_id, e.since AS since'
    """
    return _edges_at_keys(type_, from_label, to_label, props, at_start=True)


def _edges_at_keys(type_: str, from_label: str, to_label: str, props: Iterable[str], *, at_start: bool) -> str:
    """Edges of one endpoint pair whose start (``at_start``) or end key is in ``$ids``, with properties."""
    start, end = (" {id: k}", "") if at_start else ("", " {id: k}")
    return "UNWIND $ids AS k MATCH " + _link(type_, from_label, to_label, start, end) + " " + _edge_columns(props)


def update_nodes(label: str, props: Iterable[str], key: str = "id") -> str:
    """Update existing nodes from ``$rows``: a missing value (null) keeps the stored one."""
    sets = _keep_stored([p for p in props if p != key], "r.")
    return (
        "UNWIND $rows AS r MATCH (n:"
        + _ident(label)
        + " {"
        + _ident(key)
        + ": r."
        + key
        + "})"
        + (" SET " + sets if sets else "")
    )


def edge_targets(type_: str, from_label: str, to_label: str) -> str:
    """Existing edges of one endpoint pair starting at the keys in ``$ids``."""
    return "UNWIND $ids AS k MATCH " + _link(type_, from_label, to_label, " {id: k}") + " " + _edge_columns(())


def update_edges(type_: str, from_label: str, to_label: str, props: Iterable[str], *, load: bool = False) -> str:
    """Update existing edges from ``$rows`` (``from_id``, ``to_id``, props); null keeps the stored value.

    ``since``/``until``/``occurrences`` combine by :mod:`kg.repeats`' rule.
    ``load=True`` reads the Arrow table ``$t`` instead (embedded engine only).
    """
    head, v = _rows(load)
    props = list(props)
    sets = ", ".join(
        "e." + _ident(p) + " = " + merge_set(_ident(p), v, has_source="source" in props) for p in set_order(props)
    )
    pattern = _link(type_, from_label, to_label, " {id: " + v + "from_id}")
    return head + "MATCH " + pattern + " WHERE b.id = " + v + "to_id" + (" SET " + sets if sets else "")


def load_update_nodes(label: str, props: Iterable[str], keep_stored: bool = True) -> str:
    """Update stored nodes from the Arrow table ``$t`` (columns ``v_id``, ``v_<prop>``); null keeps the stored value.

    With ``keep_stored=False`` the table's values are written as they are (they already hold the final
    values).  Embedded engine only (``LOAD FROM``).
    """
    sets = (
        _keep_stored(props, "v_") if keep_stored else ", ".join("n." + _ident(p) + " = v_" + _ident(p) for p in props)
    )
    return "LOAD FROM $t MATCH (n:" + _ident(label) + " {id: v_id}) SET " + sets


def load_update_edges(type_: str, from_label: str, to_label: str, props: Iterable[str]) -> str:
    """Update stored edges from the Arrow table ``$t`` (``v_from_id``, ``v_to_id``, ``v_<prop>``); embedded engine only."""
    return update_edges(type_, from_label, to_label, props, load=True)


def edges_into(type_: str, from_label: str, to_label: str, props: Iterable[str]) -> str:
    """The edges of one endpoint pair ending at the keys in ``$ids``, with properties.

    Examples
    --------
    >>> edges_into("BRANCH_OF", "University", "University", [])
    'UNWIND $ids AS k MATCH (a:University)-[e:BRANCH_OF]->(b:University {id: k}) RETURN a.id AS from_id, b.id AS to_id'
    """
    return _edges_at_keys(type_, from_label, to_label, props, at_start=False)


def delete_edges(type_: str, from_label: str, to_label: str) -> str:
    """Delete the edges ``$rows`` (``from_id``, ``to_id``) of one endpoint pair."""
    return (
        "UNWIND $rows AS r MATCH "
        + _link(type_, from_label, to_label, " {id: r.from_id}")
        + " WHERE b.id = r.to_id DELETE e"
    )


def delete_nodes(label: str) -> str:
    """Delete the nodes of ``label`` whose id is in ``$ids``, with their edges."""
    return "UNWIND $ids AS k MATCH (n:" + _ident(label) + " {id: k}) DETACH DELETE n"


def set_aliases(label: str) -> str:
    """Set the ``aliases`` of one node ``$id`` to exactly ``$aliases`` (a list, or null)."""
    return "MATCH (n:" + _ident(label) + " {id: $id}) SET n.aliases = $aliases"


def load_create_nodes(label: str, columns: Iterable[str]) -> str:
    """Create nodes from the Arrow table ``$t`` (columns ``v_<column>``); embedded engine only.

    The logged alternative to ``COPY`` inside a transaction that also updates
    or deletes: the engine's log then holds the whole transaction, so a crash
    during its commit keeps all of it or none (see :mod:`kg.recovery`).

    Examples
    --------
    >>> load_create_nodes("Field", ["id", "name"])
    'LOAD FROM $t CREATE (n:Field {id: v_id, name: v_name})'
    """
    return create_nodes(label, columns, load=True)


def create_nodes(label: str, columns: Iterable[str], *, load: bool = False) -> str:
    """Create one node of ``label`` per input row, with the properties ``columns`` (the key included).

    From ``$rows`` (both engines; the Neo4j bulk path into an empty label) or,
    with ``load=True``, the Arrow table ``$t`` (embedded engine only).  A null
    value sets no property.

    Examples
    --------
    >>> create_nodes("Field", ["id", "name"])
    'UNWIND $rows AS r CREATE (n:Field {id: r.id, name: r.name})'
    """
    head, v = _rows(load)
    return head + "CREATE (n:" + _ident(label) + " {" + _assign(columns, v) + "})"


def _assign(columns: Iterable[str], v: str) -> str:
    """``p: <v>p, ...``: a property map taking every column from the input row."""
    return ", ".join(_ident(c) + ": " + v + _ident(c) for c in columns)


def load_create_edges(type_: str, from_label: str, to_label: str, props: Iterable[str]) -> str:
    """Create edges from the Arrow table ``$t`` (``v_from_id``, ``v_to_id``, ``v_<prop>``); embedded engine only."""
    return create_edges(type_, from_label, to_label, props, load=True)


def create_edges(type_: str, from_label: str, to_label: str, props: Iterable[str], *, load: bool = False) -> str:
    """Create one edge per input row (``from_id``, ``to_id``, ``props``) between existing nodes.

    From ``$rows`` (both engines; the Neo4j bulk path) or, with ``load=True``,
    the Arrow table ``$t`` (embedded engine only).

    Examples
    --------
    >>> create_edges("SUBFIELD_OF", "Field", "Field", [])
    'UNWIND $rows AS r MATCH (a:Field {id: r.from_id}) MATCH (b:Field {id: r.to_id}) CREATE (a)-[e:SUBFIELD_OF]->(b)'
    >>> load_create_edges("SUBFIELD_OF", "Field", "Field", ["source"])
    'LOAD FROM $t MATCH (a:Field {id: v_from_id}) MATCH (b:Field {id: v_to_id}) CREATE (a)-[e:SUBFIELD_OF {source: v_source}]->(b)'
    """
    head, v = _rows(load)
    sets = _assign(props, v)
    return (
        head
        + "MATCH (a:"
        + _ident(from_label)
        + " {id: "
        + v
        + "from_id}) MATCH (b:"
        + _ident(to_label)
        + " {id: "
        + v
        + "to_id}) CREATE (a)-[e:"
        + _ident(type_)
        + (" {" + sets + "}" if sets else "")
        + "]->(b)"
    )


_WRITES = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DETACH|DROP|FOREACH|LOAD|CALL|ALTER|GRANT|DENY|REVOKE|COPY|"
    r"INSTALL|ATTACH|IMPORT|EXPORT|CHECKPOINT|BEGIN|COMMIT|ROLLBACK)\b",
    re.IGNORECASE,
)
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


def is_read_only(cypher: str) -> bool:
    """True when a statement cannot write; errs towards "write" (any write keyword, and any ``CALL``).

    Used to refuse writes before they run (``kg query`` without ``--write``,
    ``kg view query``) and to route reads to cluster followers.

    Examples
    --------
    >>> is_read_only("MATCH (n:Field) RETURN n.name AS name"), is_read_only("MATCH (n) DETACH DELETE n")
    (True, False)
    >>> is_read_only("MATCH (n) WHERE n.name = 'SET' RETURN n")
    True
    """
    return not _WRITES.search(_STRINGS_AND_COMMENTS.sub(" ", cypher))


def first_write_keyword(cypher: str, *, calls: bool = True) -> str | None:
    """The first keyword that makes a statement a write, or ``None``.

    ``calls=False`` lets ``CALL`` and ``LOAD`` pass (procedures such as
    ``show_tables()`` and ``LOAD FROM ... RETURN`` read; a store opened
    read-only refuses the ones that write).

    Examples
    --------
    >>> first_write_keyword("MATCH (e:Enterprise) DETACH DELETE e")
    'DETACH'
    >>> first_write_keyword("CALL show_tables() RETURN name", calls=False) is None
    True
    """
    text = _STRINGS_AND_COMMENTS.sub(" ", cypher)
    for m in _WRITES.finditer(text):
        if calls or m.group(1).upper() not in ("CALL", "LOAD"):
            return m.group(1).upper()
    return None


def parent_links(type_: str) -> str:
    """Every ``type_`` edge (SUBSIDIARY_OF, BRANCH_OF) whatever its end labels: ``from_id``, ``to_id``, ``to_name``."""
    return "MATCH (a)-[e:" + _ident(type_) + "]->(b) RETURN a.id AS from_id, b.id AS to_id, b.name AS to_name"


_PROCEDURE = re.compile(r"gds(\.[A-Za-z]+)+")


def _gds(procedure: str) -> str:
    if not _PROCEDURE.fullmatch(procedure):
        raise ValueError(f"not a Graph Data Science procedure name: {procedure!r}")
    return procedure


def gds_scores(procedure: str, column: str) -> str:
    """Stream one score per node of the projected graph ``$graph`` (Neo4j Graph Data Science).

    Columns ``id``, ``name``, ``type``, ``region`` and the score as ``column``.

    Examples
    --------
    >>> gds_scores("gds.pageRank.stream", "pagerank").split(" YIELD")[0]
    'CALL gds.pageRank.stream($graph)'
    """
    return (
        "CALL " + _gds(procedure) + "($graph) YIELD nodeId, score "
        "WITH gds.util.asNode(nodeId) AS n, score "
        "RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, n.region AS region, score AS " + _ident(column)
    )


def gds_community(procedure: str, modularity: bool = False) -> str:
    """A GDS community procedure (e.g. ``gds.leiden``) on ``$graph``: ``id`` and ``community`` of every node,
    or (``modularity=True``) the partition's ``modularity``.

    Examples
    --------
    >>> gds_community("gds.leiden")
    'CALL gds.leiden.stream($graph) YIELD nodeId, communityId RETURN gds.util.asNode(nodeId).id AS id, communityId AS community'
    >>> gds_community("gds.louvain", modularity=True)
    'CALL gds.louvain.stats($graph) YIELD modularity RETURN modularity'
    """
    if modularity:
        return "CALL " + _gds(procedure) + ".stats($graph) YIELD modularity RETURN modularity"
    return (
        "CALL " + _gds(procedure) + ".stream($graph) YIELD nodeId, communityId "
        "RETURN gds.util.asNode(nodeId).id AS id, communityId AS community"
    )


def show_tables() -> str:
    """The tables of the embedded store (``name``, ``type``: ``NODE`` or ``REL``); embedded engine only."""
    return "CALL show_tables() RETURN name, type"


def table_columns(table: str) -> str:
    """The column names of one table of the embedded store (``CALL table_info``); embedded engine only."""
    return "CALL table_info('" + _ident(table) + "') RETURN name"


def any_node() -> str:
    """The key of at most one node of any label (an empty result: the store holds no node)."""
    return "MATCH (n) RETURN n.id AS id LIMIT 1"


def copy_from(table: str, source: str = "$frame", from_label: str | None = None, to_label: str | None = None) -> str:
    """Bulk-copy a DataFrame into a table of the embedded store (``COPY``); embedded engine only.

    ``source`` is the parameter ``$frame`` or the name of a Python variable (older engines); an edge table
    names its end labels.

    Examples
    --------
    >>> copy_from("COOPERATES_WITH", from_label="Enterprise", to_label="University")
    "COPY COOPERATES_WITH FROM $frame (from='Enterprise', to='University')"
    """
    if not re.fullmatch(r"\$?[A-Za-z_]\w*", source):
        raise ValueError(f"not a parameter or variable name: {source!r}")
    ends = " (from='" + _ident(from_label) + "', to='" + _ident(to_label) + "')" if from_label and to_label else ""
    return "COPY " + _ident(table) + " FROM " + source + ends
