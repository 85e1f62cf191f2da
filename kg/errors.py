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

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.report import LoadReport


class KGError(Exception):
    """Base class of every error the project raises on purpose."""

    exit_code: int = 2


class SchemaError(KGError):
    """An unknown node type, edge type or property, or a bad value for one."""


class BackendError(KGError):
    """The storage engine refused an operation (bad Cypher, I/O, lock)."""


class MixedWriteError(BackendError):
    """A transaction begun with ``copy_first=True`` copied rows in bulk, then asked for a logged write.

    The transaction is rolled back; run its block again without ``copy_first``
    (:func:`kg.journal.journaled_write` does).
    """


class QueryNotFoundError(KGError):
    """A named query (``queries/cypher/NAME.cypher``) does not exist."""


class LoadError(KGError):
    """A source file could not be read or mapped onto the schema."""

    #: the load report of the failed file, set by loaders that reject a file as a whole (``--strict``)
    report: LoadReport


class NotFoundError(KGError):
    """A node named by the user (id, name or alias) is not in the graph."""


class MissingExtraError(KGError, ImportError):
    """An optional part is not installed; the message names the extra (``pip install 'innovation-kg[rdf]'``).

    Also an :class:`ImportError`, so code that falls back when a library is missing keeps working.
    """

    def __init__(self, message: str, *, extra: str) -> None:
        super().__init__(message)
        self.extra = extra


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


_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s]*@")
_SECRET_PARAMS = re.compile(
    r"(?i)\b(password|passwd|pwd|pass|secret|token|auth|credentials?|api[_-]?key)=([^&\s;,'\"]*)"
)


def redact(text: str) -> str:
    """``text`` with credentials removed: ``user:password@`` in URIs, ``password=...`` parameters, ``$NEO4J_PASSWORD``.

    Examples
    --------
    >>> redact("cannot reach neo4j://neo4j:s3cret@db:7687/kg?password=s3cret&x=1")
    'cannot reach neo4j://db:7687/kg?password=***&x=1'
    """
    out = _USERINFO.sub(lambda m: m.group("scheme"), text)
    out = _SECRET_PARAMS.sub(lambda m: m.group(1) + "=***", out)
    secret = os.environ.get("NEO4J_PASSWORD") or ""
    if len(secret) >= 3:
        out = out.replace(secret, "***")
    return out


def one_line(text: str) -> str:
    """A message on one line: inner line breaks become ``; `` (the CLI never prints a message over several lines).

    Examples
    --------
    >>> one_line("Binder exception: Table Nope does not exist.\\n  in query: MATCH (n:Nope) RETURN n")
    'Binder exception: Table Nope does not exist.; in query: MATCH (n:Nope) RETURN n'
    """
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())
