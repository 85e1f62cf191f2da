"""One progress bar for long work (loads, demo generation, exports): total, rate and time left on a terminal.

Nothing is drawn when stderr is not a terminal (piped, redirected, tests) or when ``quiet`` is set, so output
that scripts read stays clean.

Examples
--------
>>> with progress(3, "loading", quiet=True) as advance:
...     for _ in range(3):
...         advance(1)
>>> list(track([1, 2], "rows", quiet=True))
[1, 2]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
P = TypeVar("P", bound="str | os.PathLike[str]")


def showing(quiet: bool = False) -> bool:
    """Whether a bar would be drawn: not quiet and stderr is a terminal."""
    return not quiet and sys.stderr.isatty()


def _columns(unit: str):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    rate = (TransferSpeedColumn(),) if unit == "bytes" else (TextColumn("{task.fields[rate]}"),)
    count = () if unit == "bytes" else (MofNCompleteColumn(),)
    return (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        *count,
        *rate,
        TimeElapsedColumn(),
        TextColumn("剩余 left"),
        TimeRemainingColumn(),
    )


@contextmanager
def progress(
    total: float | None, description: str, *, quiet: bool = False, unit: str = "items"
) -> Iterator[Callable[..., None]]:
    """A bar of ``total`` steps; yields ``advance(n=1, description=None)``.

    ``unit="bytes"`` shows sizes and MB/s; other units show ``done/total`` and items per second.
    """
    if not showing(quiet):
        yield lambda n=1, description=None: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(*_columns(unit), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total, rate="")

        def advance(n: float = 1, description: str | None = None) -> None:
            bar.advance(task, n)
            state = bar.tasks[0]
            speed = state.completed / state.elapsed if state.elapsed else 0
            rate = f"{speed:,.0f} {unit}/s" if speed else ""
            if description:
                bar.update(task, description=description, rate=rate)
            else:
                bar.update(task, rate=rate)

        yield advance


def track(
    items: Iterable[T], description: str, *, total: int | None = None, quiet: bool = False, unit: str = "items"
) -> Iterator[T]:
    """Iterate ``items`` with a bar (``total`` defaults to ``len(items)``)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress(total, description, quiet=quiet, unit=unit) as advance:
        for item in items:
            yield item
            advance(1)


def file_sizes(paths: Iterable[P]) -> list[tuple[P, int]]:
    """``[(path, size in bytes)]`` (0 where a path is not a readable file), to drive a bar by bytes."""
    from pathlib import Path

    out: list[tuple[P, int]] = []
    for p in paths:
        try:
            out.append((p, Path(p).stat().st_size))
        except (OSError, TypeError):
            out.append((p, 0))
    return out
