"""``kg link`` (propose joins, apply a review file) and ``kg unmerge``.

Python twins: :func:`kg.loaders.linking.link.propose_links`,
:func:`kg.loaders.linking.apply.apply_review`, :func:`kg.loaders.linking.apply.unmerge`.
"""

from __future__ import annotations

import typer

from kg.cli.app import app, info, open_graph, settings
from kg.cli.output import emit_frame, emit_json


@app.command("link")
def link(
    out: str | None = typer.Option(None, "--out", "-o", help="Write the proposals to this review CSV."),
    apply: str | None = typer.Option(
        None, "--apply", help="Apply the accepted rows of this review CSV in one transaction."
    ),
    journal: str | None = typer.Option(None, "--journal", help="Merge journal (default: <store>.links.jsonl)."),
    auto_accept: float = typer.Option(
        12.0, "--auto-accept", help="Score (bits) from which a proposal is pre-accepted."
    ),
    review: float = typer.Option(4.0, "--review", help="Score below which a candidate is not proposed."),
    file: str | None = typer.Option(None, "--file", help="Match the rows of this CSV / Excel list against the graph."),
    name_column: str = typer.Option("name", "--name-column", help="With --file: the column holding names."),
    parent_column: str | None = typer.Option(
        None,
        "--parent-column",
        help="With --file: a normalised / parent name column (标准化申请人): "
        "write aliases, BRANCH_OF or SUBSIDIARY_OF links.",
    ),
    label: str = typer.Option("Enterprise", "--label", help="With --parent-column: node type of the units."),
    dry_run: bool = typer.Option(False, "--dry-run", help="With --parent-column: show the decisions, write nothing."),
) -> None:
    """Propose which organisations are one unit, a unit of another, or a group member; or apply a reviewed file.

    Python twins: ``propose_links(g)``, ``propose_links(g, names=frame)``, ``apply_review(g, path)``,
    ``link_parents(g, frame, name_column, parent_column)`` / ``pair_decisions(...)`` in ``kg.loaders.linking``.
    """
    from kg.loaders.linking.apply import apply_review, write_review
    from kg.loaders.linking.link import propose_links
    from kg.loaders.linking.parents import link_parents, pair_decisions, read_table

    if parent_column and not file:
        raise typer.BadParameter("--parent-column needs --file", param_hint="--parent-column")
    frame = read_table(file) if file else None
    if frame is not None and parent_column:
        if dry_run:
            emit_frame(pair_decisions(frame, name_column, parent_column), "decisions")
            return
        with open_graph(write=True) as g:
            decisions = link_parents(g, frame, name_column, parent_column, label=label, source=file)
        counts = decisions["kind"].value_counts().to_dict()
        emit_json(counts) if settings.json else info(
            f"{counts.get('same', 0)} aliases, {counts.get('part_of', 0)} BRANCH_OF, "
            f"{counts.get('subsidiary', 0)} SUBSIDIARY_OF, {counts.get('different', 0)} left as different"
        )
        return
    if frame is not None and name_column not in frame:
        from kg.errors import LoadError

        raise LoadError(
            f"{file}: no column {name_column!r} (--name-column); columns are {', '.join(map(str, frame.columns))}"
        )
    with open_graph(write=bool(apply)) as g:  # proposing only reads
        if apply:
            done = apply_review(g, apply, journal=journal)
            emit_json(done) if settings.json else info(
                f"applied: {done['same']} merged, {done['part_of']} BRANCH_OF, {done['subsidiary']} SUBSIDIARY_OF"
            )
            return
        names = frame.rename(columns={name_column: "name"})[["name"]] if frame is not None else None
        proposals = propose_links(g, names, auto_accept=auto_accept, review=review)
    if out:
        write_review(proposals, out)
        info(
            f"{len(proposals)} proposals ({(proposals['decision'] == 'accept').sum()} pre-accepted) -> {out}; "
            f"edit the decision column, then `kg link --apply {out}`"
        )
    elif settings.json:
        emit_frame(proposals, "proposed joins")
    else:  # a terminal is too narrow for the evidence: one block per proposal
        emit_frame(
            proposals[["from_id", "from_name", "kind", "to_id", "to_name", "score", "decision"]], "proposed joins"
        )
        for r in proposals.head(20).itertuples():
            info(f"{r.from_name} -> {r.to_name} ({r.kind}, {r.score:g}): {r.evidence}")
        if len(proposals) > 20:
            info(f"... evidence of all {len(proposals)} proposals: --out review.csv or --json")


@app.command("unmerge")
def unmerge_cmd(
    ids: list[str] | None = typer.Argument(None, help="Ids of merged-away units (or linked units) to restore."),
    journal: str | None = typer.Option(None, "--journal", help="Merge journal (default: <store>.links.jsonl)."),
    batch: str | None = typer.Option(None, "--batch", help="Undo one `kg link --apply` run (default: the last)."),
) -> None:
    """Undo merges and links made by `kg link --apply` (restores nodes, edges and aliases)."""
    from kg.loaders.linking.apply import unmerge

    with open_graph(write=True) as g:
        n = unmerge(g, ids or None, journal=journal, batch=batch)
    emit_json({"undone": n}) if settings.json else info(f"undone: {n}")
