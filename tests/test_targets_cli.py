"""`kg targets` as a user runs it (a real subprocess) on a small demo: seed 002 and the demo plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_002 = ROOT / "tests" / "fixtures" / "seeds" / "002_05ff4c19b33d6730.txt"
PLAN = ROOT / "kg" / "demo" / "data" / "plan_2025.txt"


def kg(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("KG_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "kg", "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo built in-process (the path `kg demo` takes), closed before the commands open it."""
    from kg import KnowledgeGraph
    from kg.demo import build_demo

    db = tmp_path_factory.mktemp("targets") / "demo.kg"
    with KnowledgeGraph.open(db) as g:
        build_demo(g, seed=7, scale=0.1)
    return db


def report(db: Path, document: Path, *extra: str) -> pd.DataFrame:
    done = kg("--json", "targets", str(document), "--region", "盘锦市", "--year", "2025", *extra, db=db)
    assert done.returncode == 0, done.stderr
    return pd.DataFrame(json.loads(done.stdout))  # JSON keeps the English keys and values, whatever the language


def test_seed_002_reports_the_actor_and_event_indicators_with_values(demo_db):
    r = report(demo_db, SEED_002)
    assert (r["year"] == 2025).all()  # the plan year given, not the document's 2012
    by = r.dropna(subset=["indicator_key"]).set_index("indicator")
    for phrase in [
        "获准立项",
        "上级科技拨款",
        "评定县级科技进步奖",
        "入驻企业",
        "市以上农业科技型企业和专业合作社",
        "民营科技企业",
        "科技型企业进入上市轨道",
        "领军型人才",
        "创新型人才",
        "创业型人才",
        "专家教授行和县级产学研合作活动",
        "请进来活动",
        "专利培训",
    ]:
        row = by.loc[phrase]
        row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
        assert row["status"] in ("met", "not met"), phrase
        assert pd.notna(row["actual"]) and row["counted"].endswith(f"= {row['actual']:g}"), phrase
    applied = by.loc["省、市级科技进步奖"]  # 申报: the awards won are a lower bound of the applications
    assert pd.notna(applied["actual"]) and "申报" in applied["note"]
    assert set(r["status"]) <= {"met", "not met", "not measurable", "baseline"}


def test_demo_plan_flows_against_additions_and_statuses_as_baselines(demo_db, tmp_path):
    page = tmp_path / "targets.html"
    r = report(demo_db, PLAN, "--html", str(page))
    statuses = r[r["kind"] == "status"]
    assert len(statuses) == 3 and (statuses["status"] == "baseline").all() and statuses["gap"].isna().all()
    flows = r[r["kind"] == "flow"]
    assert len(flows) == 8 and flows["counted"].str.contains("added 2025|in 2025").all()
    centres = r[r["indicator_key"] == "engineering_research_centres_provincial_or_above"].set_index("kind")
    assert centres.loc["flow", "counted"].split(" = ")[0].endswith("added 2025")
    assert centres.loc["target", "counted"].split(" = ")[0].endswith("in 2025")
    per_capita = r.set_index("indicator_key").loc["invention_patents_per_10k_people"]
    assert per_capita["status"] == "not measurable" and "--population" in per_capita["note"]
    html = page.read_text(encoding="utf-8")
    assert ">2025<" in html and "2,025" not in html


def test_bad_population_is_one_error_line(demo_db):
    done = kg("targets", str(PLAN), "--region", "盘锦市", "--population", "-5", db=demo_db)
    assert (
        done.returncode == 2
        and done.stderr.strip().startswith("error: --population -5")
        and "Traceback" not in done.stderr
    )
