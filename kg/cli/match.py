"""``kg match``, ``kg gaps``, ``kg evaluate``: 产学研 matching from the command line."""

from __future__ import annotations

import inspect

import pandas as pd
import typer

from kg import cypher
from kg.cli.app import app, info, open_graph, settings
from kg.cli.output import emit_frame, emit_frames, emit_full_or_save, lang, listing

match_app = typer.Typer(
    help="产学研 matching: partners for a firm, answers to a demand, adopters, experts.", no_args_is_help=True
)
evaluate_app = typer.Typer(help="Measure the quality of the matching.", no_args_is_help=True)
train_app = typer.Typer(help="Fit models on the store's own history.", no_args_is_help=True)
app.add_typer(match_app, name="match")
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(train_app, name="train")

#: candidate lists: the columns a reader needs first in a terminal
_FIRST = ["rank", "name", "kind", "score", "why_zh", "why_en"]


_TOP = typer.Option(10, "--top", "-k", help="How many rows.")


def _show(df: pd.DataFrame, title: str, hide=(), first=_FIRST) -> None:
    """The table in the chosen language: the other language's reason is left out of the terminal."""
    hide = [*hide, "why_en" if lang() == "zh" else "why_zh"]
    emit_frame(df, title, first=first, hide=hide)


@match_app.command("partners")
@listing
def partners(
    enterprise: str = typer.Argument(..., help="The firm: 统一社会信用代码, id or name."),
    top: int = typer.Option(10, "--top", "-k", help="How many candidates."),
    kinds: list[str] = typer.Option(["University", "ResearchInstitute"], "--kind", help="Candidate types (repeat)."),
    include_existing: bool = typer.Option(False, "--include-existing", help="Rank current partners too (flagged)."),
    region: str | None = typer.Option(None, "--region", help="Only candidates in this region (code or name)."),
    english: bool = typer.Option(False, "--en", help="The same as --lang en (the English reason)."),
    hand: bool = typer.Option(False, "--hand-weights", help="Rank with the hand weights even when a model is stored."),
    rollup: str | None = typer.Option(
        None,
        "--rollup",
        help="group: candidates at group level (a campus, an "
        "institute or a subsidiary counted for its group; `units` names them).",
    ),
) -> None:
    """Universities and institutes this firm should work with, ranked, with the evidence (why).

    Ranked by the learned model when `kg train matching` stored one beside the store (not with --region),
    else by the hand weights of weights.yaml; the first line says which.
    """
    from kg.queries.matching import match_partners

    with open_graph() as g:
        name = g.resolve(enterprise, ["Enterprise"])[1]
        model = None if hand or region else _stored_model()
        df = match_partners(
            g,
            enterprise,
            top=top,
            kinds=tuple(kinds),
            exclude_existing=not include_existing,
            region=region,
            model=model,
            rollup=rollup,
        )
        firm = g.query(cypher.nodes_by_ids("Enterprise", ["name"]), ids=[name])["name"].iloc[0]
    info(f"ranked by {df.attrs.get('model', 'hand weights (weights.yaml)')}")
    if english:
        settings.lang = "en"
    hide = [
        "id",
        "since",
        "peers",
        "projects",
        "patents",
        "academicians",
        "shared_partners",
        "shared_items",
        "popularity",
    ] + ([] if include_existing else ["existing"])
    if df.empty:
        typer.echo(f"no candidate shares a field, text or link with {firm}; try --include-existing or another --kind")
        return
    _show(df, f"partners for {firm}", hide)


@match_app.command("region")
@listing
def region_firms(
    region: str = typer.Argument(..., help="Region code or name: every enterprise located there is matched."),
    top: int = typer.Option(5, "--top", "-k", help="How many candidates per firm."),
) -> None:
    """Partners for every firm of a region (e.g. a county) in one batch call."""
    from kg.queries.matching import match_region_firms

    with open_graph() as g:
        df = match_region_firms(g, region, top=top)
    info(f"{df['firm_id'].nunique()} firms, {len(df)} recommendations")
    _show(df, f"partners for the firms of {region}", ["firm_id", "id"], ["firm_name", *_FIRST])


def _ranking_command(name: str, subject: str, help: str, doc: str, title: str, hide: list[str]) -> None:
    """Register ``kg match <name> SUBJECT``: ``kg.queries.matching.match_<name>(graph, SUBJECT, top=top)``.

    ``title`` is the table title with ``{}`` standing for SUBJECT.
    """

    def command(**options) -> None:
        from kg.queries import matching

        with open_graph() as g:
            df = getattr(matching, f"match_{name}")(g, options[subject], top=options["top"])
        _show(df, title.format(options[subject]), hide)

    command.__doc__ = doc
    command.__name__ = name
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                subject, inspect.Parameter.KEYWORD_ONLY, default=typer.Argument(..., help=help), annotation=str
            ),
            inspect.Parameter("top", inspect.Parameter.KEYWORD_ONLY, default=_TOP, annotation=int),
        ]
    )
    match_app.command(name)(listing(command))


_ranking_command(
    "demand",
    "demand_or_text",
    "A TechDemand id (技术难题编号) or the problem in words.",
    "Achievements, experts and institutions that answer a technology demand.",
    "answers to {}",
    ["fields"],
)
_ranking_command(
    "adopters",
    "achievement",
    "An Achievement id or name (科技成果).",
    "Firms likely to adopt an achievement (成果转化).",
    "likely adopters of {}",
    ["id"],
)
_ranking_command(
    "experts",
    "enterprise",
    "The firm: 统一社会信用代码, id or name.",
    "Academicians and experts for a firm, and whether they are stationed at a workstation in the region.",
    "experts for {}",
    ["id"],
)


@app.command()
@listing
def gaps(
    which: list[str] = typer.Argument(
        None,
        help="Gaps to show (default: all): no_academic_partner, no_platform, "
        "empty_workstations, field_shortfall, unanswered_demands.",
    ),
    region: str | None = typer.Option(None, "--region", "-r", help="Region code or name (default: everywhere)."),
    top: int | None = typer.Option(
        None,
        "--top",
        "-k",
        "--limit",
        help="At most this many rows per gap (default: 15 in the terminal, all in --csv/--json; 0: all).",
    ),
) -> None:
    """Where the innovation system has missing links: isolated firms, empty workstations, unmet demands."""
    from kg.queries.matching import GAPS, find_gaps

    with open_graph() as g:
        found = find_gaps(g, region, which or None)
    from kg.cli.output import listing_state

    listing_state.top, listing_state.own_top = top, False
    emit_frames(
        found,
        {k: f"{k}: {GAPS[k]} ({len(v):,})" for k, v in found.items()},
        key="gap_type",
        rows=None if top else 15,
        first=("name",),
    )


def _stored_model():
    """The model `kg train matching` stored beside the store, if any."""
    from kg.queries.matching.model import LearnedRanker, model_path

    if not settings.db or settings.db == ":memory:" or "://" in settings.db:
        return None
    path = model_path(settings.db)
    return LearnedRanker.load(path) if path.is_file() else None


@evaluate_app.command("matching")
@listing
def evaluate_matching(
    until: int = typer.Option(..., "--until", help="Cut-off: the matchers see only what is dated up to this year."),
    to: int | None = typer.Option(
        None, "--to", help="Last year of the test window (default: everything after --until)."
    ),
    tail: int = typer.Option(
        200, "--tail", help="Long-tail view: test partners outside the N most popular candidates."
    ),
    methods: list[str] = typer.Option([], "--method", help="Only these methods (repeat; default: all)."),
    sample: int | None = typer.Option(None, "--sample", help="Evaluate a random sample of this many firms."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Back-test: hit@5, hit@10, MRR (bootstrap 95% intervals) and coverage of the learned ranker, the hand
    weights and the baselines (random, popularity, field-only, common neighbours, Adamic-Adar, resource
    allocation, RA through projects/patents, personalised PageRank), for all firms, firms with earlier
    partners and cold-start firms, all partners and the long tail."""
    from kg.queries.matching.backtest import METHODS, summary
    from kg.queries.matching.backtest import evaluate_matching as run

    with open_graph() as g:
        df = run(g, until, to=to, sample=sample, seed=seed, tail=tail, methods=tuple(methods) or METHODS)
    a = df.attrs
    info(f"{a['candidates']} candidates, back-test in {a['seconds']} s" + (f"; {a['model']}" if a.get("model") else ""))
    window = f"{until + 1}-{to}" if to else f"after {until}"
    if emit_full_or_save(df, None):
        return
    emit_frame(
        summary(df),
        f"matching back-test: history up to {until}, new partners {window} (long tail: outside the top {a['tail']})",
    )


@train_app.command("matching")
def train_matching(
    until: int = typer.Option(
        ..., "--until", help="Fit on links formed in the years up to this one (features two years earlier)."
    ),
    horizon: int | None = typer.Option(
        None,
        "--horizon",
        help="Years of links to learn from (default 2; 0 = the last year, leaving out 30% of its firms, used when the history two years back is thin).",
    ),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Fit the learned partner ranker on the store's history and keep it beside the store (kg match partners uses it)."""
    from kg.errors import KGError
    from kg.queries.matching.model import describe, model_path, train_ranker

    if not settings.db or settings.db == ":memory:" or "://" in settings.db:
        raise KGError("kg train matching keeps the model beside an embedded store: give --db PATH (a file store)")
    with open_graph() as g:  # read-only
        ranker = train_ranker(g, until, horizon=horizon, seed=seed)
    path = ranker.save(model_path(settings.db))
    info(f"wrote {path}: {ranker.label}")
    emit_frame(describe(ranker), "matching model")
