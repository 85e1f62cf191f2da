"""The one exception family of the project.

Every error a user can cause derives from :class:`KGError`, names the file,
row, column or parameter at fault and says what to do about it.  The CLI
prints ``str(error)`` on one line and exits non-zero, without a traceback.

Examples
--------
>>> from kg.errors import KGError, SchemaError
>>> issubclass(SchemaError, KGError)
True
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error the project raises on purpose."""

    exit_code: int = 2


class SchemaError(KGError):
    """An unknown node type, edge type or property, or a bad value for one."""


class BackendError(KGError):
    """The storage engine refused an operation (bad Cypher, I/O, lock)."""


class QueryNotFoundError(KGError):
    """A named query (``queries/cypher/NAME.cypher``) does not exist."""


class LoadError(KGError):
    """A source file could not be read or mapped onto the schema."""


class NotFoundError(KGError):
    """A node named by the user (id, name or alias) is not in the graph."""


class RowError(SchemaError):
    """A value in one input row is invalid.

    ``row`` is the 0-based position in the rows given to the API; loaders
    translate it to the row number a user sees in the spreadsheet.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None, value: object = None):
        super().__init__(message)
        self.row = row
        self.column = column
        self.value = value
