"""The load journal of an embedded store, and what an engine's refusal to open a store means.

Each load writes a small journal ``STORE.journal`` (file, type, rows, time) before it starts, marks it
committed after COMMIT and removes it after the checkpoint: after a crash it says which load was
interrupted.  :func:`explain_open_failure` turns an engine's refusal to open a store (a damaged
write-ahead log, a checkpoint left half-done, a lock) into one line that says what to run.  The backend
uses this module; :mod:`kg.recovery` (``kg repair``) builds on it.

Examples
--------
>>> journal_path("data/g.kg").as_posix(), read_journal("no/such/store.kg")
('data/g.kg.journal', None)
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from kg.errors import BackendError, KGError, MixedWriteError
from kg.io import write_text

T = TypeVar("T")

#: suffixes of the files an embedded store keeps beside its database file
STORE_SUFFIXES = (
    "",
    ".wal",
    ".lock",
    ".shadow",
    ".wal.checkpoint",
    ".checkpoint.apply.lock",
    ".checkpoint.intent.lock",
    ".journal",
)
#: files derived from a store and kept beside it (the matching model of kg.queries.matching.model): stale
#: once the store is built again
DERIVED_SUFFIXES = (".matching-model.pkl",)


def remove_store(path: str | Path) -> None:
    """Delete an embedded store's files and what was derived from it (before building it again).

    Examples
    --------
    >>> import tempfile
    >>> store = Path(tempfile.mkdtemp()) / "g.kg"
    >>> _ = Path(str(store) + ".matching-model.pkl").write_bytes(b"")
    >>> remove_store(store)
    >>> list(store.parent.iterdir())
    []
    """
    for suffix in (*STORE_SUFFIXES, *DERIVED_SUFFIXES):
        Path(str(path) + suffix).unlink(missing_ok=True)


_WAL_DAMAGED = (
    "wal file is corrupted",
    "checksum verification failed",
    "corrupted wal",
    "wal replay",
    ".wal with size",
)  # "Reading past the end of the file STORE.wal with size ..."
_CHECKPOINT_PENDING = "checkpoint recovery is pending"


class StoreDamagedError(BackendError):
    """The store does not open as it is: a writer stopped in the middle of a commit or a checkpoint."""


def journal_path(store: str | Path) -> Path:
    """Where the load journal of ``store`` lives.

    Examples
    --------
    >>> journal_path("data/g.kg").as_posix()
    'data/g.kg.journal'
    """
    return Path(str(store) + ".journal")


def explain_open_failure(store: str | Path, engine_message: str) -> KGError | None:
    """One-line error for an engine refusal to open ``store``, or ``None`` when the refusal is not about recovery.

    Examples
    --------
    >>> print(explain_open_failure("g.kg", "Storage exception: Checksum verification failed, the WAL file is corrupted."))
    the store at g.kg did not open: its write-ahead log g.kg.wal ends in a commit that was interrupted (a writer was killed or the machine stopped); run `kg --db g.kg repair` to set the log aside and open the store as of its last complete commit
    """
    text = engine_message.lower()
    repair = f"`kg --db {store} repair`"
    if any(s in text for s in _WAL_DAMAGED):
        return StoreDamagedError(
            f"the store at {store} did not open: its write-ahead log {store}.wal ends in a commit that was interrupted "
            f"(a writer was killed or the machine stopped); run {repair} to set the log aside and open the store "
            "as of its last complete commit"
        )
    if _CHECKPOINT_PENDING in text:
        return StoreDamagedError(
            f"the store at {store} has a checkpoint that a writer left unfinished; run {repair} to complete it "
            "(nothing committed is lost), or wait if another process is still writing"
        )
    if "could not set lock" in text or "lock is held" in text:
        pid = engine_message.split("PID", 1)[1].split(")", 1)[0].strip() if "PID" in engine_message else "?"
        return BackendError(
            f"the store at {store} is open for writing in another process (PID {pid}); "
            "close it there, or use a command that only reads"
        )
    return None


# ------------------------------------------------------------------ journal
#: phases of a load in the journal: rows being written, COMMIT under way, committed (checkpoint under way)
PHASES = ("writing", "committing", "committed")


@contextmanager
def journaled_load(graph, source: str, type_: str, rows: int) -> Iterator[None]:
    """Record a load of ``source`` in the store's journal while it runs; checkpoint after it commits.

    The block must hold the load's transaction.  Stores in memory or on a
    server keep no journal (the block just runs).
    """
    store = _local_path(graph)
    backend = graph.backend
    depth: int = getattr(backend, "_depth", 0)
    if store is None or depth:
        yield
        return
    path = journal_path(store)
    entry = {
        "file": source,
        "type": type_,
        "rows": int(rows),
        "pid": os.getpid(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "phase": "writing",
    }
    _write_journal(path, entry)
    backend.before_commit = lambda: _write_journal(path, {**entry, "phase": "committing"})
    try:
        yield
    except BaseException:
        path.unlink(missing_ok=True)  # rolled back: nothing of it is stored
        raise
    finally:
        backend.before_commit = None
    _write_journal(path, {**entry, "phase": "committed"})
    graph.checkpoint()
    path.unlink(missing_ok=True)


def journaled_write(graph, source: str, type_: str, rows: int, write: Callable[[], T]) -> T:
    """Run ``write()`` as one journaled load transaction (:func:`journaled_load`) and return what it returns.

    New rows take the engine's bulk copy when the load writes nothing else (a first load of a file into a
    store that holds other data); a load that turns out to update stored rows as well is rolled back and
    run again with every row through the engine's log, so a kill during COMMIT keeps all or nothing.
    ``write`` must therefore be safe to run twice (it only writes what it was given).

    Examples
    --------
    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph.open(":memory:")
    >>> journaled_write(g, "<rows>", "Field", 1, lambda: g.upsert_nodes("Field", [{"id": "F1", "name": "新材料"}]))
    1
    """
    if getattr(graph.backend, "_depth", 0):  # inside a caller's transaction: it decides (and retries)
        with graph.transaction():
            return write()
    try:
        with journaled_load(graph, source, type_, rows), graph.transaction(copy_first=True):
            return write()
    except MixedWriteError:
        with journaled_load(graph, source, type_, rows), graph.transaction():
            return write()


def read_journal(store: str | Path) -> dict | None:
    """The load a journal says was in flight, or ``None``."""
    path = journal_path(store)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("phase") in PHASES else None


def _write_journal(path: Path, entry: dict) -> None:
    write_text(path, json.dumps(entry, ensure_ascii=False))


def _local_path(graph) -> Path | None:
    path = getattr(graph.backend, "path", None)
    return None if path in (None, ":memory:") or graph.backend.engine != "ladybug" else Path(path)


__all__ = [
    "PHASES",
    "STORE_SUFFIXES",
    "DERIVED_SUFFIXES",
    "remove_store",
    "StoreDamagedError",
    "explain_open_failure",
    "journal_path",
    "journaled_load",
    "read_journal",
]
