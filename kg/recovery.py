"""Crash recovery of an embedded store: what a killed writer leaves, and ``kg repair``.

A committed load survives a crash, an interrupted one vanishes, and the store
always opens again — directly, or after :func:`repair_store`:

* After each committed load the store is checkpointed (the engine folds its
  write-ahead log into the database file), so the log ``STORE.wal`` holds at
  most the transaction in flight.
* Each load writes a small journal ``STORE.journal`` (file, type, rows, time)
  before it starts, marks it committed after COMMIT and removes it after the
  checkpoint: after a crash it says which load was interrupted (:mod:`kg.journal`).
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
>>> report.state, report.lines()[0].startswith("the store opened without repair")
('clean', True)
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kg.backends.ladybug_backend import LadybugBackend
from kg.cypher import count_from_source
from kg.errors import BackendError, KGError
from kg.graph import KnowledgeGraph
from kg.journal import (
    STORE_SUFFIXES,
    StoreDamagedError,
    explain_open_failure,
    journal_path,
    journaled_load,
    read_journal,
)

# ------------------------------------------------------------------- repair
#: what repair found: the store opened as it was; the engine completed a checkpoint; replayed a complete log;
#: a damaged log was set aside
STATES = ("clean", "checkpoint", "replayed", "damaged")


@dataclass
class RepairReport:
    """What :func:`repair_store` found and did."""

    store: str
    state: str = "clean"
    backup: str | None = None
    wal_bytes: int = 0
    interrupted: dict | None = None
    kept_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def damaged(self) -> bool:
        """True when the store did not open as it was."""
        return self.state != "clean"

    @property
    def discarded(self) -> bool:
        """True when an interrupted transaction was thrown away."""
        return self.state == "damaged"

    @property
    def outcome(self) -> str | None:
        """What became of the interrupted load: ``discarded``, ``kept``, ``not stored``, ``unknown`` (or ``None``)."""
        load = self.interrupted
        return self._outcome_of(load) if load else None

    def _outcome_of(self, load: dict) -> str:
        """The outcome of the interrupted ``load`` (see :attr:`outcome`)."""
        if self.state == "damaged":
            return "discarded"
        if self.state in ("checkpoint", "replayed") or load["phase"] == "committed":
            return "kept"
        return "not stored" if load["phase"] == "writing" else "unknown"

    def lines(self) -> list[str]:
        """The report as short lines for a person."""
        out = [
            {
                "clean": f"the store opened without repair: {self.store}",
                "checkpoint": f"completed the checkpoint a writer left unfinished in {self.store}; nothing was discarded",
                "replayed": f"replayed the complete write-ahead log of {self.store}; nothing was discarded",
                "damaged": f"moved the damaged write-ahead log ({self.wal_bytes:,} bytes) of {self.store} to {self.backup}/; "
                "replayed what it held complete and discarded the interrupted commit",
            }[self.state]
        ]
        load = self.interrupted
        if load:
            what = f"{load['file']} ({load['type']}, {load['rows']:,} rows, started {load['started']} by process {load['pid']})"
            out.append(
                {
                    "discarded": f"discarded: the load of {what}, interrupted during its commit; re-run it: kg load {load['file']}",
                    "kept": f"kept: the load of {what} had committed",
                    "not stored": f"not stored: the load of {what} stopped before its commit; re-run it: kg load {load['file']}",
                    "unknown": f"interrupted: the load of {what} stopped during its commit; re-run it to be sure "
                    f"(loading is idempotent): kg load {load['file']}",
                }[self._outcome_of(load)]
            )
            out.append(f"the store holds {self.kept_rows:,} nodes and edges whose source is {load['file']}")
        nodes, edges = self.counts.get("nodes", 0), self.counts.get("edges", 0)
        out.append(f"the store now holds {nodes:,} nodes and {edges:,} edges")
        return out


def repair_store(store: str | Path) -> RepairReport:
    """Make a store that a killed writer left behind open again, and say what was lost.

    A store that opens as it is (the engine completes a pending checkpoint and
    replays a complete log by itself) is only reported on.  A store whose
    write-ahead log is damaged gets the log moved into
    ``STORE.repair-YYYYmmdd-HHMMSS/``; the complete transactions it holds are
    replayed (none, normally: loads checkpoint after each commit) and the
    interrupted one is discarded.  The load journal says which load it was.

    Parameters
    ----------
    store
        Path of an embedded store file.

    Returns
    -------
    RepairReport
        Use :meth:`RepairReport.lines` for a printable account.
    """
    path = Path(store)
    if not path.exists():
        raise KGError(f"no store at {path}; nothing to repair (check --db)")
    report = RepairReport(store=str(path), interrupted=read_journal(path))
    wal = Path(str(path) + ".wal")
    pending = Path(str(path) + ".wal.checkpoint").exists()
    had_wal = wal.exists() and wal.stat().st_size > 0
    try:
        backend = LadybugBackend(path)
        report.state = "checkpoint" if pending else "replayed" if had_wal else "clean"
    except StoreDamagedError:
        report.state = "damaged"
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
        wal.unlink(missing_ok=True)
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
    statements = [count_from_source(label) for label in graph.schema.nodes]
    statements += [count_from_source(type_, edge=True) for type_ in graph.schema.edges]
    return sum(int(graph.query(s, source=source)["n"].iloc[0]) for s in statements)


__all__ = [
    "repair_store",
    "RepairReport",
    "StoreDamagedError",
    "explain_open_failure",
    "journaled_load",
    "read_journal",
    "journal_path",
    "rows_from_source",
    "STORE_SUFFIXES",
]
