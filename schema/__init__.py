"""The schema of the innovation graph, read at run time from ``innovation.yaml``.

Examples
--------
>>> from kg.schema import load_schema
>>> load_schema().node("Enterprise").properties["uscc"].title
'统一社会信用代码'
"""

from kg.schema.model import (
    EdgeType,
    EnumType,
    NodeType,
    Property,
    Schema,
    check_identifier,
    load_schema,
    schema_path,
)

__all__ = [
    "EdgeType",
    "EnumType",
    "NodeType",
    "Property",
    "Schema",
    "check_identifier",
    "load_schema",
    "schema_path",
]
