"""``kg link`` (propose joins, apply a review file) and ``kg unmerge``.

Python twins: :func:`kg.loaders.linking.link.propose_links`,
:func:`kg.loaders.linking.apply.apply_review`, :func:`kg.loaders.linking.apply.unmerge`.
"""

from __future__ import annotations

from typing import List, Optional

import typer

from kg.cli.app import app, emit_frame, emit_json, info, open_graph, settings


@app.command("link")
def link(
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write the proposals to this review CSV."),
    apply: Optional[str] = typer.Option(None, "--apply", help="Apply the accepted rows of this review CSV in one transaction."),
    journal: Optional[str] = typer.Option(None, "--journal", help="Merge journal (default: <store>.links.jsonl)."),
    auto_accept: float = typer.Option(12.0, "--auto-accept", help="Score (bits) from which a proposal is pre-accepted."),
    review: float = typer.Option(4.0, "--review", help="Score below which a candidate is not proposed."),
) -> None:
    """Propose which organisations are one unit, a unit of another, or a group member; or apply a reviewed file."""
    from kg.loaders.linking.apply import apply_review, write_review
    from kg.loaders.linking.link import propose_links

    with open_graph() as g:
        if apply:
            done = apply_review(g, apply, journal=journal)
            emit_json(done) if settings.json else info(
                f"applied: {done['same']} merged, {done['part_of']} BRANCH_OF, {done['subsidiary']} SUBSIDIARY_OF")
            return
        proposals = propose_links(g, auto_accept=auto_accept, review=review)
    if out:
        write_review(proposals, out)
        info(f"{len(proposals)} proposals ({(proposals['decision'] == 'accept').sum()} pre-accepted) -> {out}; "
             f"edit the decision column, then `kg link --apply {out}`")
    else:
        emit_frame(proposals, "proposed joins")


@app.command("unmerge")
def unmerge_cmd(
    ids: Optional[List[str]] = typer.Argument(None, help="Ids of merged-away units (or linked units) to restore."),
    journal: Optional[str] = typer.Option(None, "--journal", help="Merge journal (default: <store>.links.jsonl)."),
    batch: Optional[str] = typer.Option(None, "--batch", help="Undo one `kg link --apply` run (default: the last)."),
) -> None:
    """Undo merges and links made by `kg link --apply` (restores nodes, edges and aliases)."""
    from kg.loaders.linking.apply import unmerge

    with open_graph() as g:
        n = unmerge(g, ids or None, journal=journal, batch=batch)
    emit_json({"undone": n}) if settings.json else info(f"undone: {n}")
