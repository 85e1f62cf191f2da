"""Optional parts of the toolkit and the extra that installs each.

The core (embedded store, loaders, matching, analytics, HTML views) needs no extra. A feature whose
library is missing raises :class:`kg.errors.MissingExtraError` naming the ``pip install`` line.

Examples
--------
>>> require("json", "reading JSON").__name__
'json'
>>> EXTRAS["pyshacl"]
'rdf'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from kg.errors import MissingExtraError

#: top-level module -> the extra of ``innovation-kg`` that installs it
EXTRAS = {
    "neo4j": "neo4j",
    "graphdatascience": "gds",
    "rdflib": "rdf",
    "pyshacl": "rdf",
    "docx": "docx",
    "matplotlib": "images",
}


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` saying which extra ``purpose`` needs.

    Parameters
    ----------
    module
        A module of an optional dependency (``"pyshacl"``, ``"matplotlib.pyplot"``).
    purpose
        What the caller was about to do, as the message starts (``"SHACL validation"``).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        extra = EXTRAS.get(top, "all")
        raise MissingExtraError(
            f"{purpose} needs the optional package {top!r}, which is not installed: "
            f"pip install 'innovation-kg[{extra}]'",
            extra=extra,
        ) from None


__all__ = ["EXTRAS", "require"]
