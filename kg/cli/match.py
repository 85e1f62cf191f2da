"""``kg match``, ``kg gaps``, ``kg evaluate``: 产学研 matching from the command line."""

from __future__ import annotations

import shutil
from typing import List, Optional

import pandas as pd
import typer

from kg.cli.app import app, emit_frame, emit_full_or_save, emit_json, info, open_graph, settings

match_app = typer.Typer(help="产学研 matching: partners for a firm, answers to a demand, adopters, experts.",
                        no_args_is_help=True)
evaluate_app = typer.Typer(help="Measure the quality of the matching.", no_args_is_help=True)
train_app = typer.Typer(help="Fit models on the store's own history.", no_args_is_help=True)
app.add_typer(match_app, name="match")
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(train_app, name="train")

_CSV = typer.Option(None, "--csv", help="Write the table as CSV to this file ('-' for stdout).")


def _show(df: pd.DataFrame, title: str, csv: str | None, drop=()) -> None:
    if emit_full_or_save(df, title, csv):
        return
    shown = df.drop(columns=[c for c in drop if c in df.columns])
    for col in shown.columns:
        if shown[col].map(lambda v: isinstance(v, list)).any():
            shown[col] = shown[col].map(lambda v: "、".join(map(str, v)) if isinstance(v, list) else v)
    emit_frame(shown.round(3), title)


@match_app.command("partners")
def partners(
    enterprise: str = typer.Argument(..., help="The firm: 统一社会信用代码, id or name."),
    top: int = typer.Option(10, "--top", "-k", help="How many candidates."),
    kinds: List[str] = typer.Option(["University", "ResearchInstitute"], "--kind", help="Candidate types (repeat)."),
    include_existing: bool = typer.Option(False, "--include-existing", help="Rank current partners too (flagged)."),
    region: Optional[str] = typer.Option(None, "--region", help="Only candidates in this region (code or name)."),
    english: bool = typer.Option(False, "--en", help="Show the English reason instead of the Chinese one."),
    hand: bool = typer.Option(False, "--hand-weights", help="Rank with the hand weights even when a model is stored."),
    rollup: Optional[str] = typer.Option(None, "--rollup", help="group: candidates at group level (a campus, an "
                                         "institute or a subsidiary counted for its group; `units` names them)."),
    csv: Optional[str] = _CSV,
) -> None:
    """Universities and institutes this firm should work with, ranked, with the evidence (why).

    Ranked by the learned model when `kg train matching` stored one beside the store (not with --region),
    else by the hand weights of weights.yaml; the first line says which.
    """
    from kg.queries.matching import match_partners

    with open_graph() as g:
        name = g.resolve(enterprise, ["Enterprise"])[1]
        model = None if hand or region else _stored_model()
        df = match_partners(g, enterprise, top=top, kinds=tuple(kinds), exclude_existing=not include_existing,
                            region=region, model=model, rollup=rollup)
        firm = g.query("MATCH (e:Enterprise {id: $id}) RETURN e.name AS name", id=name)["name"].iloc[0]
    info(f"ranked by {df.attrs.get('model', 'hand weights (weights.yaml)')}")
    drop = ["id", "since", "shared_fields", "keywords", "peers", "projects", "patents", "academicians",
            "shared_partners", "shared_items", "popularity",
            "why_zh" if english else "why_en"] + ([] if include_existing else ["existing"])
    if shutil.get_terminal_size((80, 24)).columns < 140:  # narrow terminal: keep the reason readable
        drop += ["field", "text", "network", "track", "geography"]
    if df.empty:
        typer.echo(f"no candidate shares a field, text or link with {firm}; try --include-existing or another --kind")
        return
    _show(df, f"partners for {firm}", csv, drop)


@match_app.command("region")
def region_firms(
    region: str = typer.Argument(..., help="Region code or name: every enterprise located there is matched."),
    top: int = typer.Option(5, "--top", "-k", help="How many candidates per firm."),
    csv: Optional[str] = _CSV,
) -> None:
    """Partners for every firm of a region (e.g. a county) in one batch call."""
    from kg.queries.matching import match_region_firms

    with open_graph() as g:
        df = match_region_firms(g, region, top=top)
    info(f"{df['firm_id'].nunique()} firms, {len(df)} recommendations")
    _show(df[["firm_name", "rank", "name", "kind", "score", "why_zh"]], f"partners for the firms of {region}", csv)


@match_app.command("demand")
def demand(
    demand_or_text: str = typer.Argument(..., help="A TechDemand id (技术难题编号) or the problem in words."),
    top: int = typer.Option(10, "--top", "-k"),
    csv: Optional[str] = _CSV,
) -> None:
    """Achievements, experts and institutions that answer a technology demand."""
    from kg.queries.matching import match_demand

    with open_graph() as g:
        df = match_demand(g, demand_or_text, top=top)
    _show(df, f"answers to {demand_or_text}", csv, ["fields", "why_en"])


@match_app.command("adopters")
def adopters(
    achievement: str = typer.Argument(..., help="An Achievement id or name (科技成果)."),
    top: int = typer.Option(10, "--top", "-k"),
    csv: Optional[str] = _CSV,
) -> None:
    """Firms likely to adopt an achievement (成果转化)."""
    from kg.queries.matching import match_adopters

    with open_graph() as g:
        df = match_adopters(g, achievement, top=top)
    _show(df, f"likely adopters of {achievement}", csv, ["id", "why_en"])


@match_app.command("experts")
def experts(
    enterprise: str = typer.Argument(..., help="The firm: 统一社会信用代码, id or name."),
    top: int = typer.Option(10, "--top", "-k"),
    csv: Optional[str] = _CSV,
) -> None:
    """Academicians and experts for a firm, and whether they are stationed at a workstation in the region."""
    from kg.queries.matching import match_experts

    with open_graph() as g:
        df = match_experts(g, enterprise, top=top)
    _show(df, f"experts for {enterprise}", csv, ["id", "why_en"])


@app.command()
def gaps(
    which: List[str] = typer.Argument(None, help="Gaps to show (default: all): no_academic_partner, no_platform, "
                                      "empty_workstations, field_shortfall, unanswered_demands."),
    region: Optional[str] = typer.Option(None, "--region", "-r", help="Region code or name (default: everywhere)."),
    limit: int = typer.Option(15, "--limit", help="Rows shown per gap in the terminal."),
) -> None:
    """Where the innovation system has missing links: isolated firms, empty workstations, unmet demands."""
    from kg.queries.matching import GAPS, find_gaps

    with open_graph() as g:
        found = find_gaps(g, region, which or None)
    if settings.json:
        emit_json({k: v.to_dict("records") for k, v in found.items()})
        return
    for name, df in found.items():
        _show(df.head(limit), f"{name}: {GAPS[name]} ({len(df)})", None)


def _stored_model():
    """The model `kg train matching` stored beside the store, if any."""
    from kg.queries.matching.model import LearnedRanker, model_path

    if not settings.db or settings.db == ":memory:" or "://" in settings.db:
        return None
    path = model_path(settings.db)
    return LearnedRanker.load(path) if path.is_file() else None


@evaluate_app.command("matching")
def evaluate_matching(
    until: int = typer.Option(..., "--until", help="Cut-off: the matchers see only what is dated up to this year."),
    to: Optional[int] = typer.Option(None, "--to", help="Last year of the test window (default: everything after --until)."),
    tail: int = typer.Option(200, "--tail", help="Long-tail view: test partners outside the N most popular candidates."),
    methods: List[str] = typer.Option([], "--method", help="Only these methods (repeat; default: all)."),
    sample: Optional[int] = typer.Option(None, "--sample", help="Evaluate a random sample of this many firms."),
    seed: int = typer.Option(0, "--seed"),
    csv: Optional[str] = _CSV,
) -> None:
    """Back-test: hit@5, hit@10, MRR (bootstrap 95% intervals) and coverage of the learned ranker, the hand
    weights and the baselines (random, popularity, field-only, common neighbours, Adamic-Adar, resource
    allocation, RA through projects/patents, personalised PageRank), for all firms, firms with earlier
    partners and cold-start firms, all partners and the long tail."""
    from kg.queries.matching.backtest import METHODS, evaluate_matching as run, summary

    with open_graph() as g:
        df = run(g, until, to=to, sample=sample, seed=seed, tail=tail, methods=tuple(methods) or METHODS)
    a = df.attrs
    info(f"{a['candidates']} candidates, back-test in {a['seconds']} s" + (f"; {a['model']}" if a.get("model") else ""))
    window = f"{until + 1}-{to}" if to else f"after {until}"
    if emit_full_or_save(df, None, csv):
        return
    emit_frame(summary(df), f"matching back-test: history up to {until}, new partners {window} (long tail: outside the top {a['tail']})")


@train_app.command("matching")
def train_matching(
    until: int = typer.Option(..., "--until", help="Fit on links formed in the years up to this one (features two years earlier)."),
    horizon: Optional[int] = typer.Option(None, "--horizon", help="Years of links to learn from (default 2, 1 if the history is shorter)."),
    seed: int = typer.Option(0, "--seed"),
) -> None:
    """Fit the learned partner ranker on the store's history and keep it beside the store (kg match partners uses it)."""
    from kg.errors import KGError
    from kg.queries.matching.model import describe, model_path, train_ranker

    if not settings.db or settings.db == ":memory:" or "://" in settings.db:
        raise KGError("kg train matching keeps the model beside an embedded store: give --db PATH (a file store)")
    with open_graph(read_only=True) as g:
        ranker = train_ranker(g, until, horizon=horizon, seed=seed)
    path = ranker.save(model_path(settings.db))
    info(f"wrote {path}: {ranker.label}")
    emit_frame(describe(ranker), "matching model")
