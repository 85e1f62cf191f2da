"""Crash recovery of an embedded store: what a killed writer leaves, and ``kg repair``.

A committed load survives a crash, an interrupted one vanishes, and the store
always opens again — directly, or after :func:`repair_store`:

* After each committed load the store is checkpointed (the engine folds its
  write-ahead log into the database file), so the log ``STORE.wal`` holds at
  most the transaction in flight.
* Each load writes a small journal ``STORE.journal`` (file, type, rows, time)
  before it starts, marks it committed after COMMIT and removes it after the
  checkpoint: after a crash it says which load was interrupted.
* A writer killed while COMMIT writes the log leaves a log whose last record
  fails its checksum; the engine then refuses to open the store.
  :func:`explain_open_failure` turns that (and a checkpoint left half-done)
  into one line that says what to run.
* :func:`repair_store` moves the log aside into a dated backup folder, replays
  its complete transactions (none, normally: see above), discards the
  interrupted one, opens the store and reports what was discarded: the
  interrupted load by file, and what the store holds of that file now, from the
  provenance (``source``) of its nodes and edges.  Nothing is discarded silently.

Examples
--------
>>> import tempfile, pathlib
>>> from kg import KnowledgeGraph
>>> db = pathlib.Path(tempfile.mkdtemp()) / "g.kg"
>>> KnowledgeGraph.open(db).close()
>>> report = repair_store(db)
>>> report.damaged, report.lines()[0].startswith("the store opened without repair")
(False, True)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kg.errors import BackendError, KGError

#: suffixes of the files an embedded store keeps beside its database file
STORE_SUFFIXES = ("", ".wal", ".lock", ".shadow", ".wal.checkpoint", ".checkpoint.apply.lock",
                  ".checkpoint.intent.lock", ".journal")
_WAL_DAMAGED = ("wal file is corrupted", "checksum verification failed", "corrupted wal", "wal replay")
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
            "as of its last complete commit")
    if _CHECKPOINT_PENDING in text:
        return StoreDamagedError(
            f"the store at {store} has a checkpoint that a writer left unfinished; run {repair} to complete it "
            "(nothing committed is lost), or wait if another process is still writing")
    if "could not set lock" in text or "lock is held" in text:
        pid = engine_message.split("PID", 1)[1].split(")", 1)[0].strip() if "PID" in engine_message else "?"
        return BackendError(f"the store at {store} is open for writing in another process (PID {pid}); "
                            "close it there, or use a command that only reads")
    return None


# ------------------------------------------------------------------ journal
@contextmanager
def journaled_load(graph, source: str, type_: str, rows: int) -> Iterator[None]:
    """Record a load of ``source`` in the store's journal while it runs; checkpoint after it commits.

    Stores in memory or on a server keep no journal (the block just runs).
    """
    store = _local_path(graph)
    if store is None or getattr(graph.backend, "_depth", 0):
        yield
        return
    path = journal_path(store)
    entry = {"file": source, "type": type_, "rows": int(rows), "pid": os.getpid(),
             "started": dt.datetime.now().isoformat(timespec="seconds"), "committed": False}
    _write_journal(path, entry)
    yield
    _write_journal(path, {**entry, "committed": True})
    graph.checkpoint()
    path.unlink(missing_ok=True)


def read_journal(store: str | Path) -> dict | None:
    """The load a journal says was in flight, or ``None``."""
    path = journal_path(store)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_journal(path: Path, entry: dict) -> None:
    from kg.io import write_text

    write_text(path, json.dumps(entry, ensure_ascii=False))


def _local_path(graph) -> Path | None:
    path = getattr(graph.backend, "path", None)
    return None if path in (None, ":memory:") or graph.backend.engine != "ladybug" else Path(path)


# ------------------------------------------------------------------- repair
@dataclass
class RepairReport:
    """What :func:`repair_store` found and did."""

    store: str
    damaged: bool = False
    backup: str | None = None
    wal_bytes: int = 0
    checkpoint_completed: bool = False
    interrupted: dict | None = None
    kept_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def discarded(self) -> bool:
        """True when an interrupted transaction was thrown away."""
        return self.damaged and not self.checkpoint_completed

    def lines(self) -> list[str]:
        """The report as short lines for a person."""
        out = []
        if not self.damaged:
            out.append(f"the store opened without repair: {self.store}")
        elif self.checkpoint_completed:
            out.append(f"completed the checkpoint a writer left unfinished in {self.store}; nothing was discarded")
        else:
            out.append(f"moved the write-ahead log ({self.wal_bytes:,} bytes) to {self.backup}/; "
                       "its interrupted transaction was discarded")
        load = self.interrupted
        if load:
            what = f"{load['file']} ({load['type']}, {load['rows']:,} rows, started {load['started']} by process {load['pid']})"
            if self.discarded:
                out.append(f"discarded: the load of {what}; re-run it: kg load {load['file']}")
            elif load.get("committed"):
                out.append(f"kept: the load of {what} had committed")
            else:
                out.append(f"not stored: the load of {what} stopped before its commit; re-run it: kg load {load['file']}")
            out.append(f"the store holds {self.kept_rows:,} nodes and edges whose source is {load['file']}")
        nodes, edges = self.counts.get("nodes", 0), self.counts.get("edges", 0)
        out.append(f"the store now holds {nodes:,} nodes and {edges:,} edges")
        return out


def repair_store(store: str | Path) -> RepairReport:
    """Make a store that a killed writer left behind open again, and say what was lost.

    A store that opens as it is (including one whose checkpoint the engine
    completes on opening) is left as it is.  A store whose write-ahead log is
    damaged gets the log moved into ``STORE.repair-YYYYmmdd-HHMMSS/``; its
    complete transactions are replayed and the interrupted one discarded.

    Parameters
    ----------
    store
        Path of an embedded store file.

    Returns
    -------
    RepairReport
        Use :meth:`RepairReport.lines` for a printable account.
    """
    from kg.backends.ladybug_backend import LadybugBackend
    from kg.graph import KnowledgeGraph

    path = Path(store)
    if not path.exists():
        raise KGError(f"no store at {path}; nothing to repair (check --db)")
    report = RepairReport(store=str(path), interrupted=read_journal(path))
    pending = Path(str(path) + ".wal.checkpoint").exists()
    try:
        backend = LadybugBackend(path)
        report.damaged = report.checkpoint_completed = pending
    except StoreDamagedError:
        report.damaged = True
        wal = Path(str(path) + ".wal")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.name}.repair-{stamp}")
        backup.mkdir(parents=True, exist_ok=True)
        report.backup, report.wal_bytes = str(backup), wal.stat().st_size if wal.exists() else 0
        if wal.exists():
            shutil.copy2(wal, backup / wal.name)
        try:  # replay the complete transactions of the log, drop its damaged tail
            backend = LadybugBackend(path, replay_damaged_log=True)
        except BackendError:
            wal.unlink(missing_ok=True)  # the log is in the backup folder
            backend = LadybugBackend(path)
        if wal.exists():
            wal.unlink()
    with KnowledgeGraph(backend) as g:
        g.checkpoint()
        counts = g.counts()
        report.counts = {kind + "s": int(n) for kind, n in counts.groupby("kind")["count"].sum().items()}
        if report.interrupted:
            report.kept_rows = rows_from_source(g, report.interrupted["file"])
    journal_path(path).unlink(missing_ok=True)
    return report


def rows_from_source(graph, source: str) -> int:
    """Nodes and edges whose provenance ``source`` is ``source``."""
    from kg.cypher import count_from_source

    statements = [count_from_source(label) for label in graph.schema.nodes]
    statements += [count_from_source(type_, edge=True) for type_ in graph.schema.edges]
    return sum(int(graph.query(s, source=source)["n"].iloc[0]) for s in statements)


__all__ = ["repair_store", "RepairReport", "StoreDamagedError", "explain_open_failure", "journaled_load",
           "read_journal", "journal_path", "rows_from_source", "STORE_SUFFIXES"]
