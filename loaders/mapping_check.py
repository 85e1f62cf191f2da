"""A mapping file read and checked before any row is: its keys, entries, types and properties.

Every mistake is one error naming the file, the entry (``nodes[2].columns``) and the key, with the close
names when there are any (see :mod:`kg.loaders.mapping` for the format).

Examples
--------
>>> read_mapping({"nodes": [{"type": "Enterprise", "colums": {"name": "企业名称"}}]})
Traceback (most recent call last):
...
kg.errors.LoadError: <mapping>: nodes[0]: unknown key 'colums' (did you mean columns?)
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from kg.errors import KGError, LoadError
from kg.loaders.mapping_rows import labels_of, type_spec

#: keys a mapping may have at the top, and in its entries
TOP_KEYS = {
    "source",
    "sheet",
    "header",
    "columns",
    "split",
    "csv",
    "encoding",
    "nulls",
    "member",
    "where",
    "lookup",
    "transform",
    "unique",
    "nodes",
    "edges",
    "pairs",
    "description",
    "name",
    "definitions",
}
ENTRY_KEYS = {
    "type",
    "columns",
    "values",
    "split",
    "where",
    "unique",
    "from",
    "to",
    "group",
    "unit",
    "year",
    "description",
    "parent",
}
READ_KEYS = {"delimiter", "quote", "encoding"}


def read_mapping(mapping) -> dict:
    """The mapping as a dict (from a YAML file, YAML text or a dict), checked for its required parts."""
    if isinstance(mapping, dict):
        spec, where_ = dict(mapping), "<mapping>"
    else:
        path = Path(mapping)
        if not path.exists():
            raise LoadError(f"{path}: no such mapping file")
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise LoadError(f"{path}: not valid YAML{at} ({problem})") from None
        except UnicodeDecodeError:
            raise LoadError(f"{path}: a mapping file must be UTF-8 text") from None
        where_ = str(path)
        if isinstance(spec, dict):
            spec["_base"] = str(path.parent)
            if spec.get("source") and not Path(spec["source"]).is_absolute():
                spec["source"] = str(path.parent / spec["source"])
    if not isinstance(spec, dict) or not (spec.get("nodes") or spec.get("edges") or spec.get("pairs")):
        raise LoadError(
            f"{where_}: a mapping needs `nodes:` and/or `edges:` entries (or `pairs:`; see kg.loaders.mapping)"
        )
    spec["_where"] = where_
    unknown = [k for k in spec if k not in TOP_KEYS and not k.startswith("_")]
    if unknown:
        raise LoadError(f"{where_}: unknown key {unknown[0]!r}{_close(unknown[0], TOP_KEYS)}")
    for part in ("nodes", "edges", "pairs"):
        entries = spec.get(part) or []
        if not isinstance(entries, list):
            raise LoadError(f"{where_}: `{part}:` is a list of entries (each starting with `- type: ...`)")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or "type" not in entry:
                raise LoadError(f"{where_}: {part}[{i}] needs `type:`")
            if "parent" in entry and part != "nodes":
                raise LoadError(
                    f"{where_}: {part}[{i}]: `parent:` belongs on the node entry of the names "
                    "(see kg.loaders.mapping_parents)"
                )
            bad = [k for k in entry if k not in ENTRY_KEYS]
            if bad:
                raise LoadError(f"{where_}: {part}[{i}]: unknown key {bad[0]!r}{_close(bad[0], ENTRY_KEYS)}")
    return spec


def _close(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(choices), n=2)
    return f" (did you mean {' or '.join(close)}?)" if close else f"; keys: {', '.join(sorted(choices))}"


def check_mapping(schema, spec: dict) -> None:
    """Every type and property the mapping names exists in the schema (else one error naming the entry and key)."""
    where_ = spec.get("_where", "<mapping>")
    for i, entry in enumerate(spec.get("nodes") or []):
        at = f"{where_}: nodes[{i}]"
        labels = [_label(schema, t, f"{at}.type") for t in labels_of(type_spec(entry["type"], f"{at}.type"))]
        for part in ("columns", "values"):
            for prop in entry.get(part) or {}:
                if not any(prop in schema.node(label).properties for label in labels):
                    choices = sorted({p for label in labels for p in schema.node(label).properties})
                    raise LoadError(
                        f"{at}.{part}: {prop!r} is not a property of {' or '.join(labels)}{_close(prop, choices)}"
                    )
    for part in ("edges", "pairs"):
        for i, entry in enumerate(spec.get(part) or []):
            at = f"{where_}: {part}[{i}]"
            edge = _edge(schema, entry["type"], f"{at}.type")
            for key in ("columns", "values"):
                for prop in entry.get(key) or {}:
                    if prop not in edge.properties:
                        raise LoadError(
                            f"{at}.{key}: {prop!r} is not a property of {edge.type}"
                            f"{_close(prop, list(edge.properties))}"
                        )
            for side in ("from", "to"):
                end = entry.get(side)
                if part == "edges" and isinstance(end, dict) and isinstance(end.get("type"), str):
                    _label(schema, end["type"], f"{at}.{side}.type")
                if part == "pairs":
                    for label in end if isinstance(end, list) else [end]:
                        _label(schema, label, f"{at}.{side}")


def _label(schema, name, where_: str) -> str:
    try:
        if schema.is_node(str(name)):
            return schema.node(str(name)).label
    except KGError:
        pass
    raise LoadError(f"{where_}: unknown type {name!r}{_close(str(name), schema.nodes)}")


def _edge(schema, name, where_: str):
    try:
        return schema.edge(str(name))
    except KGError:
        raise LoadError(f"{where_}: unknown edge type {name!r}{_close(str(name), schema.edges)}") from None


__all__ = ["ENTRY_KEYS", "READ_KEYS", "TOP_KEYS", "check_mapping", "read_mapping"]
