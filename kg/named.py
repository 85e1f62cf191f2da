"""Named Cypher queries: one ``.cypher`` file per query in ``queries/cypher/``.

A query ``NAME`` lives in ``NAME.cypher``; where an engine needs another text
it sits beside it as ``NAME.<engine>.cypher`` (e.g. ``NAME.neo4j.cypher``) and
is preferred on that engine.  The first comment lines of a file are its
documentation.

Examples
--------
>>> lib = QueryLibrary()
>>> "counts_by_region" in lib.names()
True
>>> sorted(lib.parameters("counts_by_region"))
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import QueryNotFoundError, SchemaError

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")


def queries_dir() -> Path:
    """Folder holding the shipped ``.cypher`` files."""
    return Path(str(resources.files("kg.queries").joinpath("cypher")))


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    path: Path

    @property
    def doc(self) -> str:
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("//"):
                break
            lines.append(line[2:].strip())
        return "\n".join(lines).strip()

    @property
    def parameters(self) -> set[str]:
        return set(_PARAM.findall(_STRINGS_AND_COMMENTS.sub("", self.text)))


class QueryLibrary:
    """The named queries of one or more folders (later folders override)."""

    def __init__(self, *folders: Path) -> None:
        self.folders = [queries_dir(), *map(Path, folders)]

    def _files(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(folder.glob("*.cypher")):
                found[path.name[: -len(".cypher")]] = path
        return found

    def names(self) -> list[str]:
        """Query names (engine variants not listed separately)."""
        return sorted(n for n in self._files() if "." not in n)

    def get(self, name: str, engine: str = "") -> NamedQuery:
        """The text of ``name`` for ``engine`` (its variant when one exists)."""
        files = self._files()
        path = files.get(f"{name}.{engine}") if engine else None
        path = path or files.get(name)
        if path is None:
            import difflib

            close = difflib.get_close_matches(name, self.names(), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` shows them"
            raise QueryNotFoundError(f"no named query {name!r}{hint}")
        return NamedQuery(name, path.read_text(encoding="utf-8"), path)

    def parameters(self, name: str) -> set[str]:
        return self.get(name).parameters

    def bind(self, query: NamedQuery, params: dict) -> dict:
        """Check that the parameters given are exactly the ones the query uses."""
        needed = query.parameters
        missing = sorted(needed - params.keys())
        unknown = sorted(params.keys() - needed)
        if missing:
            raise SchemaError(f"query {query.name!r} needs parameter(s) {', '.join('$' + m for m in missing)}")
        if unknown:
            raise SchemaError(
                f"query {query.name!r} has no parameter(s) {', '.join('$' + u for u in unknown)}; "
                f"it takes: {', '.join('$' + n for n in sorted(needed)) or 'none'}"
            )
        return {k: params[k] for k in needed}
