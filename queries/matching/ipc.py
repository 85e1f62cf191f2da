"""IPC classes of patents -> 技术领域 (the field taxonomy), from the documented table ``ipc_fields.yaml``.

Examples
--------
>>> ipc_subclasses("G09B  9/00 | G06T 19/00")
['G09B', 'G06T']
>>> sorted(ipc_fields("G09B  9/00 | G06T 19/00")), sorted(ipc_fields(["A63F 13/00"])), ipc_fields("A47C 1/00")
(['F0101', 'F0501', 'F0503'], ['F0101'], set())
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

TABLE = Path(__file__).with_name("ipc_fields.yaml")
_SUBCLASS = re.compile(r"\b([A-H]\d{2}[A-Z])")


@lru_cache(maxsize=1)
def ipc_table() -> tuple[dict, dict]:
    """``(subclass -> fields, class -> fields)`` from ``ipc_fields.yaml``."""
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    return data["subclasses"], data["classes"]


def ipc_subclasses(ipc) -> list[str]:
    """The distinct IPC subclasses (4 characters) of a code, a ``|``-separated list of codes or a list of codes."""
    if ipc is None or isinstance(ipc, float):
        return []
    text = ipc if isinstance(ipc, str) else " | ".join(str(x) for x in ipc)
    return list(dict.fromkeys(_SUBCLASS.findall(text.upper())))


@lru_cache(maxsize=50_000)
def _fields_of(subclass: str) -> frozenset:
    subs, classes = ipc_table()
    return frozenset(subs.get(subclass) or classes.get(subclass[:3]) or ())


def ipc_fields(ipc) -> set:
    """The field ids (sub-fields of ``schema/fields.yaml``) of a patent's IPC codes."""
    return set().union(*(_fields_of(s) for s in ipc_subclasses(ipc))) if ipc_subclasses(ipc) else set()
