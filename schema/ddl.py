"""Generate engine DDL from the schema: LadybugDB tables, Neo4j constraints.

Both are committed under ``schema/generated/`` (``make schema``) and applied
by the backends at open time from the same functions, so the files and the
live stores cannot drift apart (a test compares them).

Examples
--------
>>> from kg.schema import load_schema
>>> stmts = ladybug_ddl(load_schema())
>>> stmts[0].startswith("CREATE NODE TABLE IF NOT EXISTS")
True
"""

from __future__ import annotations

from kg.schema.model import EdgeType, NodeType, Schema, check_identifier


def node_table_ddl(node: NodeType) -> str:
    """``CREATE NODE TABLE`` for one node type (primary key ``id``)."""
    cols = ", ".join(f"{check_identifier(p.name)} {p.engine_type}" for p in node.properties.values())
    return f"CREATE NODE TABLE IF NOT EXISTS {check_identifier(node.label)}({cols}, PRIMARY KEY({node.key}))"


def rel_table_ddl(edge: EdgeType) -> str:
    """``CREATE REL TABLE`` with one ``FROM a TO b`` per allowed endpoint pair."""
    pairs = ", ".join(f"FROM {check_identifier(a)} TO {check_identifier(b)}" for a, b in edge.pairs)
    cols = "".join(f", {check_identifier(p.name)} {p.engine_type}" for p in edge.properties.values())
    return f"CREATE REL TABLE IF NOT EXISTS {check_identifier(edge.type)}({pairs}{cols})"


def ladybug_ddl(schema: Schema) -> list[str]:
    """Every statement that creates the schema in an embedded store."""
    return [node_table_ddl(n) for n in schema.nodes.values()] + [rel_table_ddl(e) for e in schema.edges.values()]


#: properties worth a secondary index on Neo4j (lookups by name, filters by region / year).
NEO4J_INDEXED = ("name", "region", "year", "uscc")


def neo4j_constraints(schema: Schema) -> list[str]:
    """Uniqueness constraints on every key and indexes on common lookups, idempotent."""
    out = []
    for n in schema.nodes.values():
        label = check_identifier(n.label)
        out.append(
            f"CREATE CONSTRAINT {label.lower()}_{n.key}_unique IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{n.key} IS UNIQUE"
        )
        for prop in NEO4J_INDEXED:
            if prop in n.properties and prop != n.key:
                out.append(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    return out


def render(statements: list[str], comment: str) -> str:
    """Statements as a file: a header comment, one statement per line, each ending in ``;``."""
    head = "".join(f"// {line}\n" for line in comment.splitlines())
    return head + "".join(s + ";\n" for s in statements)
