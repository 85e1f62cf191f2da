"""Old public names kept for one release: each warns (:class:`DeprecationWarning`) and calls the new one.

The naming rules and the table of renamed names are in ``docs/api.md``.

Examples
--------
>>> import warnings
>>> def add(a, b):
...     return a + b
>>> plus = deprecated(add, "plus")
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     plus(1, 2), caught[0].category.__name__
(3, 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import types
import warnings
from collections.abc import Callable
from typing import Any

#: the release that removes the deprecated names
REMOVED_IN = "0.3"


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is deprecated and will be removed in {REMOVED_IN}; use {new}", DeprecationWarning, stacklevel=3
    )


def deprecated(new: Callable[..., Any], old: str, renamed: dict[str, str] | None = None) -> Callable[..., Any]:
    """A function named ``old`` that warns and calls ``new`` (keyword arguments renamed per ``renamed``)."""
    target = f"{new.__module__}.{new.__qualname__}"

    def alias(*args: Any, **kwargs: Any) -> Any:
        _warn(old, target)
        for before, after in (renamed or {}).items():
            if before in kwargs:
                kwargs[after] = kwargs.pop(before)
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old.rsplit(".", 1)[-1]
    alias.__doc__ = f"Deprecated: use :func:`{target}` (removed in {REMOVED_IN})."
    alias.__wrapped__ = new  # type: ignore[attr-defined]
    return alias


class _CallableModule(types.ModuleType):
    """A module that can still be called like the function it used to be shadowed by (with a warning)."""

    _deprecated_call: Callable[..., Any]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._deprecated_call(*args, **kwargs)


def callable_module(module: str, new: Callable[..., Any], old: str, renamed: dict[str, str] | None = None) -> None:
    """Let the module ``module`` be called as the deprecated function ``old`` once was.

    Before 0.2 ``kg.queries.analytics.centrality`` was a function that shadowed the module of the same name;
    now the name is the module again, and calling it warns and runs ``new``.
    """
    mod = importlib.import_module(module)
    mod.__class__ = _CallableModule
    mod._deprecated_call = deprecated(new, old, renamed)  # type: ignore[attr-defined]


__all__ = ["REMOVED_IN", "callable_module", "deprecated"]
