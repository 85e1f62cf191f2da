"""``kg repair``: open again a store that a killed writer left behind, and say what was discarded."""

from __future__ import annotations

import typer

from kg.cli.app import app, is_local_file, settings, store_target
from kg.cli.output import emit_json


@app.command()
def repair() -> None:
    """Repair the store at --db after a crash: set a damaged write-ahead log aside (dated backup), open the store
    and report what was discarded (the interrupted load, by file).

    Python twin: ``kg.recovery.repair_store(path)``.
    """
    from kg.errors import KGError
    from kg.recovery import repair_store

    target = store_target()
    if not is_local_file(target):
        raise KGError(f"kg repair works on a store file; {target} is not one (a server recovers by itself)")
    report = repair_store(target)
    if settings.json:
        emit_json(
            {
                "store": report.store,
                "state": report.state,
                "discarded": report.discarded,
                "backup": report.backup,
                "wal_bytes": report.wal_bytes,
                "interrupted": report.interrupted,
                "interrupted_load": report.outcome,
                "rows_from_interrupted_file": report.kept_rows,
                **report.counts,
            }
        )
        return
    for line in report.lines():
        typer.echo(line)
