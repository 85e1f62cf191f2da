"""Where the embedded engine (LadybugDB) and Neo4j read the same Cypher differently.

Both engines accept these functions and constructs, but they do not mean the
same thing (or exist on one side only), so a statement written for one returns
something else -- often silently -- on the other.  :data:`DIFFERENCES` is the
table, each row measured on the embedded engine (``tests/test_dialect.py``
runs every embedded claim against ``ladybug``); :func:`check` finds the rows a
statement touches and :func:`warning` says so in one line (``kg query`` prints
it).  The shipped named queries (``queries/cypher/*.cypher``) avoid them all.

Not detected, because they are operators on values whose types the text does
not show: comparisons between a string and a number cast the string on the
embedded engine (``'01' = 1`` is true) and are false or null in Neo4j, and
``1 IN [null, 2]`` is false there and null in Neo4j.

Examples
--------
>>> [d.name for d in check("MATCH (n:Enterprise) RETURN substring(n.name, 0, 2), labels(n)[0]")]
['substring', 'labels', 'subscript']
>>> check("MATCH (n:Enterprise) WHERE n.id IN ['a', 'b'] RETURN left(n.name, 2)  // labels(n) in a comment")
[]
>>> check("UNWIND $rows AS r RETURN coalesce(sum(r.area), 0) AS area")
[]
>>> print(warning("RETURN log(100) AS x"))
warning: log(): base 10 on the embedded engine, natural logarithm in Neo4j (use log10() or ln()); see docs/analytics.md#dialect
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Difference:
    """One function or construct read differently by the two engines."""

    name: str
    #: what the statement text looks like when it uses it (matched outside strings and comments)
    pattern: re.Pattern
    embedded: str
    neo4j: str
    advice: str
    #: a statement run on the embedded engine and the value it returns there (:data:`ERROR`: it fails there)
    example: str = ""
    embedded_value: object = None
    #: uses that are safe on both engines (blanked out before ``pattern`` is matched)
    safe: re.Pattern | None = None

    def line(self) -> str:
        """``name(): embedded ..., Neo4j ... (advice)``."""
        head = self.name if self.name == "subscript" else self.name + "()"
        return f"{head}: {self.embedded} on the embedded engine, {self.neo4j} in Neo4j ({self.advice})"


#: ``embedded_value`` of a construct the embedded engine refuses
ERROR = "error"


def _call(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w.$])" + name + r"\s*\(", re.IGNORECASE)


#: keywords after which ``[`` opens a list, not a subscript
_LIST_AFTER = {
    "in",
    "return",
    "with",
    "unwind",
    "as",
    "and",
    "or",
    "not",
    "xor",
    "when",
    "then",
    "else",
    "set",
    "where",
    "by",
    "distinct",
    "case",
    "contains",
    "yield",
}
_SUBSCRIPT = re.compile(r"([A-Za-z_][\w]*|\)|\])\s*\[")

DIFFERENCES: tuple[Difference, ...] = (
    Difference(
        "substring",
        _call("substring"),
        "1-based (substring(s, 0, 2) is '')",
        "0-based",
        "use left()/right(), or keep NAME.neo4j.cypher beside the query",
        "RETURN substring('abcdef', 0, 2) AS v",
        "",
    ),
    Difference(
        "labels",
        _call("labels"),
        "one STRING (labels(n)[0] is '')",
        "a LIST of labels",
        "match typed patterns (n:Label) instead of returning labels",
        "CREATE (n:T {id: 'x'}) RETURN labels(n) AS v",
        "T",
    ),
    Difference(
        "type",
        _call("type"),
        "missing (label(r) gives the type there)",
        "the relationship type",
        "match typed relationships [:TYPE] and return a constant",
        "MATCH ()-[r]->() RETURN type(r) AS v",
        ERROR,
    ),
    Difference(
        "subscript",
        _SUBSCRIPT,
        "1-based and inclusive for lists and strings (x[1] is the first, "
        "x[0] an error, 'abc'[1] is 'a', x[1..2] two items)",
        "0-based, slices exclusive of the end, strings not indexable",
        "avoid indexes: unwind, or head-like logic in Python",
        "RETURN ['a', 'b', 'c'][1] AS v",
        "a",
    ),
    Difference("log", _call("log"), "base 10", "natural logarithm", "use log10() or ln()", "RETURN log(100) AS v", 2.0),
    Difference(
        "reverse",
        _call("reverse"),
        "a string: reverse([1, 2]) is ']2,1['",
        "a reversed list for a list",
        "reverse lists in Python",
        "RETURN reverse([1, 2]) AS v",
        "]2,1[",
    ),
    Difference(
        "sum",
        _call("sum"),
        "null over no rows or only nulls",
        "0",
        "write coalesce(sum(x), 0)",
        "UNWIND [] AS x RETURN sum(x) AS v",
        None,
        re.compile(r"coalesce\s*\(\s*sum\s*\(", re.IGNORECASE),
    ),
    Difference(
        "keys",
        _call("keys|properties"),
        "every column of the table, unset ones too (as null)",
        "only the properties that are set",
        "name the properties you need",
        "CREATE (n:T {id: 'y'}) RETURN size(keys(n)) AS v",
        2,
    ),
    Difference(
        "id",
        _call("id"),
        "an internal {offset, table} struct",
        "an integer (deprecated)",
        "use the key property n.id",
        "CREATE (n:U {id: 'z'}) RETURN id(n) AS v",
        {"offset": 0, "table": 1},
    ),
    Difference(
        "timestamp",
        _call("timestamp"),
        "a conversion of its string argument",
        "milliseconds since the epoch (no argument)",
        "pass times as parameters",
        "RETURN timestamp('2020-01-01 00:00:00') IS NOT NULL AS v",
        True,
    ),
)
#: the table's rows by name
BY_NAME = {d.name: d for d in DIFFERENCES}
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


def _code(statement: str) -> str:
    """The statement with string literals, quoted names and comments blanked out."""
    return _STRINGS_AND_COMMENTS.sub(lambda m: " " * len(m.group(0)), statement)


def _subscripts(code: str) -> bool:
    for m in _SUBSCRIPT.finditer(code):
        word = m.group(1)
        if word.lower() not in _LIST_AFTER:
            return True
    return False


def check(statement: str) -> list[Difference]:
    """The rows of :data:`DIFFERENCES` that ``statement`` uses, in table order."""
    code = _code(statement)
    found = []
    for d in DIFFERENCES:
        if d.name == "subscript":
            if _subscripts(code):
                found.append(d)
        elif d.pattern.search(d.safe.sub(lambda m: " " * len(m.group(0)), code) if d.safe else code):
            found.append(d)
    return found


def warning(statement: str) -> str | None:
    """One line naming what ``statement`` uses that the engines read differently (``None`` when nothing).

    Examples
    --------
    >>> warning("MATCH (n:Enterprise) RETURN n.name") is None
    True
    """
    found = check(statement)
    if not found:
        return None
    return "warning: " + "; ".join(d.line() for d in found) + "; see docs/analytics.md#dialect"
