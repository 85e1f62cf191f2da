"""For the analyst's desk: language of tables, CSV for Excel, tables at 80 columns, valid JSON, close names,
output suffixes, and hub-aware views of the real Horizon 2020 slice in headless Chromium."""

from __future__ import annotations

import json
import os
import sys

import pandas as pd
import pytest
from browser import chromium, open_page
from realdata import H2020_TYPES, h2020_pairs, h2020_rows, h2020_store, needs_real
from rich.cells import cell_len

from kg import KnowledgeGraph
from kg.errors import KGError

needs_browser = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (make browser)")


class Done:
    """What a command printed and returned."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture()
def kg(capsys, monkeypatch):
    """Run the CLI in process as ``kg(*args, columns=80, env={...})`` (output captured, not a terminal)."""
    from kg.cli import main
    from kg.cli.app import err_console

    def run(*args: str, columns: int = 80, env: dict | None = None) -> Done:
        for var in ("KG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(var, raising=False)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("COLUMNS", str(columns))  # rich reads it whenever the output is not a terminal
        monkeypatch.setattr(err_console, "_width", 1000)  # messages on one line, as the tests read them
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Done(code, out, err)

    return run


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from kg.demo import build_demo

    db = tmp_path_factory.mktemp("analyst") / "demo.kg"
    with KnowledgeGraph.open(db) as g:
        build_demo(g, seed=3, scale=0.1)
        firm = g.run_named("demo_example_firm")["name"].iloc[0]
    return db, firm


# ------------------------------------------------------------------ language
def test_default_language_follows_the_locale_and_falls_back_to_chinese(monkeypatch):
    from kg.viz.labels import check_lang, default_lang

    for var in ("KG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert default_lang() == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert default_lang() == "en"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert default_lang() == "zh"
    monkeypatch.setenv("KG_LANG", "en")
    assert default_lang() == "en"
    with pytest.raises(KGError, match="use one of zh, en"):
        check_lang("fr")


def test_headers_in_chinese_by_default_english_on_request_json_keeps_english_keys(demo_db, tmp_path, kg):
    db, firm = demo_db
    zh, en = tmp_path / "zh.csv", tmp_path / "en.csv"
    assert kg("--db", str(db), "match", "partners", firm, "--csv", str(zh)).returncode == 0
    assert kg("--db", str(db), "match", "partners", firm, "--csv", str(en), "--lang", "en").returncode == 0
    by_locale = kg("--db", str(db), "match", "partners", firm, "--csv", "-", env={"LANG": "en_US.UTF-8"}).stdout
    zh_head = pd.read_csv(zh, encoding="utf-8-sig").columns.tolist()
    assert zh_head[:5] == ["排名", "编号", "名称", "类别", "得分"] and "推荐理由" in zh_head
    assert pd.read_csv(en, encoding="utf-8-sig").columns.tolist()[:5] == ["rank", "id", "name", "kind", "score"]
    assert by_locale.splitlines()[0].split(",")[:3] == ["rank", "id", "name"]
    table = kg("--db", str(db), "match", "partners", firm, "--top", "3").stdout
    assert "排名" in table and "得分" in table and "高校" in table and "University" not in table
    records = json.loads(kg("--db", str(db), "match", "partners", firm, "--json", "--lang", "zh").stdout)
    assert {"rank", "name", "kind", "score", "why_zh"} <= set(records[0]) and records[0]["kind"] in (
        "University",
        "ResearchInstitute",
    )
    bad = kg("--db", str(db), "stats", "--lang", "fr")
    assert (
        bad.returncode == 2 and "error: --lang 'fr': use one of zh, en" in bad.stderr and "Traceback" not in bad.stderr
    )


def test_enum_values_and_region_codes_read_as_chinese(demo_db, kg):
    db, _ = demo_db
    out = kg("--db", str(db), "gaps", "no_platform", "--top", "5", columns=160).stdout
    with KnowledgeGraph.open(db, read_only=True) as g:
        county = g.query("MATCH (r:Region {id: '211102'}) RETURN r.name AS n")["n"].iloc[0]
    assert "规上" in out and "above_designated_size" not in out
    assert "企业规模" in out and not any(w.isdigit() and len(w) == 6 for w in out.replace("│", " ").split())
    assert county in kg("--db", str(db), "gaps", "no_platform", "--top", "0", columns=160).stdout


# ------------------------------------------------------------------ CSV for Excel
def test_match_csv_has_plain_cells_bom_and_matches_the_json(demo_db, tmp_path, kg):
    db, firm = demo_db
    path = tmp_path / "match.csv"
    assert kg("--db", str(db), "match", "partners", firm, "--include-existing", "--csv", str(path)).returncode == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM: Excel shows the Chinese headers"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    text = frame.to_csv(index=False)
    assert "['" not in text and "[]" not in text and "True" not in text and "False" not in text
    assert set(frame["已有合作"]) <= {"是", "否"}
    decimals = frame["得分"].str.partition(".")[2].str.len()
    assert decimals.max() <= 4, "scores rounded, not 16-digit floats"
    records = json.loads(kg("--db", str(db), "match", "partners", firm, "--include-existing", "--json").stdout)
    assert len(records) == len(frame)
    for rec, (_, row) in zip(records, frame.iterrows()):
        assert sorted(filter(None, row["关键词"].split("；"))) == sorted(rec["keywords"] or [])  # joined with ；
        assert row["已有合作"] == ("是" if rec["existing"] else "否")
        assert abs(float(row["得分"]) - rec["score"]) < 1e-4


def test_booleans_in_english_csv_are_true_false(tmp_path):
    from kg.viz.tables import write_csv

    frame = pd.DataFrame(
        {
            "existing": [True, False],
            "fields": [["a", "b"], []],
            "score": [1 / 3, float("nan")],
            "founded": pd.to_datetime(["2020-05-01", None]),
        }
    )
    write_csv(frame, tmp_path / "e.csv", "en")
    back = pd.read_csv(tmp_path / "e.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.to_dict("list") == {
        "existing": ["true", "false"],
        "fields": ["a；b", ""],
        "score": ["0.3333", ""],
        "founded": ["2020-05-01", ""],
    }


def test_gaps_has_top_csv_and_valid_json(demo_db, tmp_path, kg):
    db, _ = demo_db
    shown = kg("--db", str(db), "gaps", "no_academic_partner", "--top", "3")
    body = [line for line in shown.stdout.splitlines() if line.startswith("│")]
    assert len(body) == 3
    total = len(json.loads(kg("--db", str(db), "gaps", "--json").stdout)["no_academic_partner"])
    assert total > 3 and f"显示前 3 行，共 {total:,} 行" in shown.stderr and "--csv FILE" in shown.stderr
    path = tmp_path / "gaps.csv"
    assert kg("--db", str(db), "gaps", "--csv", str(path)).returncode == 0
    frame = pd.read_csv(path, encoding="utf-8-sig")
    assert frame.columns[0] == "缺口类型" and (frame["缺口类型"] == "no_academic_partner").sum() == total

    def no_nan(constant):
        raise AssertionError(f"invalid JSON constant {constant}")

    for args in (
        ["communities", "--json"],
        ["query", "MATCH (e:Enterprise) RETURN e.founded AS d, e.revenue / 0.0 AS x LIMIT 5", "--json"],
    ):
        out = kg("--db", str(db), *args)
        assert out.returncode == 0, out.stderr
        json.loads(out.stdout, parse_constant=no_nan)


# ------------------------------------------------------------------ 80 columns
def test_a_wide_table_is_readable_at_80_columns(demo_db, kg):
    db, firm = demo_db
    done = kg("--db", str(db), "match", "partners", firm)
    lines = done.stdout.splitlines()
    assert lines and max(cell_len(line) for line in lines) <= 80, "nothing wraps past the terminal"
    header = next(line for line in lines if line.startswith("┃"))
    assert all(h in header for h in ("排名", "名称", "得分", "推荐理由"))
    assert "终端宽度不足，未显示的列" in done.stderr and "--csv FILE 或 --json" in done.stderr
    wide = kg("--db", str(db), "match", "partners", firm, columns=250)
    assert "终端宽度不足" not in wide.stderr or len(wide.stderr) < len(done.stderr)


def test_ranking_and_grouped_view_commands_show_their_python_twins(demo_db, tmp_path, kg):
    """`kg match demand|adopters|experts` and `kg view region|community` (commands built from one table each)."""
    from kg.queries.matching import match_adopters, match_demand, match_experts

    db, firm = demo_db
    with KnowledgeGraph.open(db, read_only=True) as g:
        achievement = g.query("MATCH (a:Achievement) RETURN a.id AS id ORDER BY id LIMIT 1")["id"].iloc[0]
        demand = g.query("MATCH (d:TechDemand) RETURN d.id AS id ORDER BY id LIMIT 1")["id"].iloc[0]
        twins = {
            "demand": (demand, match_demand(g, demand, top=3)),
            "adopters": (achievement, match_adopters(g, achievement, top=3)),
            "experts": (firm, match_experts(g, firm, top=3)),
        }
    for command, (subject, expected) in twins.items():
        done = kg("--db", str(db), "--json", "match", command, subject, "--top", "3")
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        assert len(expected) > 0 and [r["name"] for r in rows] == expected["name"].tolist(), command
    for args in (["region", "盘锦市"], ["community", "0"]):
        out = tmp_path / f"{args[0]}.html"
        done = kg("--db", str(db), "view", *args, "-o", str(out), "--max-nodes", "40")
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 1000 and "<html" in out.read_text(encoding="utf-8").lower()


def test_query_keeps_its_columns_verbatim_and_the_notes_follow_the_language(demo_db, tmp_path, kg):
    db, _ = demo_db
    q = "MATCH (e:Enterprise) RETURN e.id AS id, e.name AS name, e.id IS NOT NULL AS known ORDER BY id"
    with KnowledgeGraph.open(db, read_only=True) as g:
        total = g.count("Enterprise")
    done = kg("--db", str(db), "query", q, columns=250)
    header = next(line for line in done.stdout.splitlines() if line.startswith("┃"))
    assert [c.strip() for c in header.strip("┃").split("┃")] == ["id", "name", "known"]
    assert "│ true" in done.stdout and f"显示前 20 行，共 {total:,} 行" in done.stderr
    path = tmp_path / "q.csv"
    assert kg("--db", str(db), "query", q, "--csv", str(path)).returncode == 0
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == ["id", "name", "known"] and set(frame["known"]) == {"true"} and len(frame) == total
    asked = kg("--db", str(db), "--lang", "zh", "query", q, columns=250)
    assert "名称" in next(line for line in asked.stdout.splitlines() if line.startswith("┃"))


# ------------------------------------------------------------------ names and suffixes
def test_every_name_taking_command_suggests_close_names(demo_db, tmp_path, kg):
    db, firm = demo_db
    typo = firm[:-4] + "公司x"
    for args in (
        ["match", "partners", typo],
        ["match", "experts", typo],
        ["view", "ego", typo, "-o", str(tmp_path / "e.html")],
    ):
        done = kg("--db", str(db), *args)
        assert done.returncode == 2, done.stderr
        assert (
            done.stderr.startswith("error: no ")
            and "close names:" in done.stderr
            and firm in done.stderr.replace("\n", "")
        ), done.stderr
    spaced = firm[:2] + " " + firm[2:].replace("(", "（").replace(")", "）")
    assert kg("--db", str(db), "match", "partners", spaced, "--top", "2").returncode == 0
    region = kg("--db", str(db), "match", "region", "盘金市")
    assert region.returncode == 2 and "close names: 盘锦市" in region.stderr


def test_an_unsupported_output_suffix_is_an_error_and_writes_nothing(demo_db, tmp_path, kg):
    from kg.viz import write_view

    db, firm = demo_db
    for suffix in ("pdf", "jpg", "txt"):
        out = tmp_path / f"v.{suffix}"
        done = kg("--db", str(db), "view", "ego", firm, "-o", str(out))
        assert done.returncode == 2 and f"cannot write a view as '{out}'" in done.stderr.replace("\n", "")
        assert ".html" in done.stderr and ".png" in done.stderr and not out.exists()
    with pytest.raises(KGError, match="use a file ending in .html"):
        write_view(None, tmp_path / "x.docx")


def test_unknown_type_and_measure_list_the_valid_ones(demo_db, kg):
    db, _ = demo_db
    done = kg("--db", str(db), "centrality", "--type", "Firma")
    assert done.returncode == 2 and "use one of: Enterprise (企业)" in done.stderr.replace("\n", " ")
    done = kg("--db", str(db), "centrality", "--measure", "fame")
    assert done.returncode == 2 and "betweenness" in done.stderr


def test_progress_is_silent_when_piped(demo_db, tmp_path, kg):
    db, _ = demo_db
    done = kg("--db", str(db), "export", "rdf", "-o", str(tmp_path / "x.nt"))
    assert done.returncode == 0 and "━" not in done.stderr and "剩余" not in done.stderr and "triples" in done.stdout


def test_progress_shows_total_rate_and_time_left_on_a_terminal(tmp_path):
    import pty

    out = bytearray()
    argv = [sys.executable, "-m", "kg", "--db", str(tmp_path / "t.kg"), "export", "rdf", "-o", str(tmp_path / "x.nt")]
    with KnowledgeGraph.open(tmp_path / "t.kg") as g:
        g.upsert_nodes("Enterprise", [{"id": f"E{i}", "name": f"企业{i}"} for i in range(3000)])

    def read(fd):
        data = os.read(fd, 65536)
        out.extend(data)
        return data

    pty.spawn(argv, read)
    text = out.decode("utf-8", "replace")
    assert "/3000" in text and "records/s" in text and "剩余 left" in text and "%" in text


# ------------------------------------------------------------------ real data: Horizon 2020 hub and overview
@pytest.fixture(scope="module")
def h2020(tmp_path_factory):
    with KnowledgeGraph.open(tmp_path_factory.mktemp("h2020") / "h.kg") as g:
        h2020_store(g)
        yield g


def _hub() -> tuple[str, dict]:
    """The organisation with the most neighbours (projects and partners), counted with pandas."""
    rows = h2020_rows()
    typed = rows[rows["type"].isin(H2020_TYPES)].drop_duplicates(["pic", "rcn"])
    projects = typed.groupby("pic")["rcn"].nunique()
    pairs = h2020_pairs()
    partners = pd.concat([pairs.groupby("partner")["firm"].nunique(), pairs.groupby("firm")["partner"].nunique()])
    partners = partners.groupby(level=0).sum()
    total = projects.add(partners, fill_value=0)
    hub = str(total.idxmax())
    firms = int(pairs.loc[pairs["partner"] == hub, "firm"].nunique())
    academia = int(pairs.loc[pairs["firm"] == hub, "partner"].nunique())
    return hub, {"Project": int(projects.get(hub, 0)), "Enterprise": firms, "academia": academia}


@needs_real
@needs_browser
def test_biggest_hub_folds_into_aggregates_readable_in_chromium(h2020, output_dir):
    from kg.viz import ego, write_image

    hub, expected = _hub()
    view = ego(h2020, hub, max_nodes=120)  # its time is measured in tests/bench/test_bench_views_real.py
    assert len(view.nodes) <= 120
    groups = view.meta["groups"]
    by_type = (
        view.nodes[view.nodes["key"] != view.focus[0]]
        .assign(n=lambda d: [groups.get(k, 1) for k in d["key"]])
        .groupby("label")["n"]
        .sum()
    )
    assert int(by_type.get("Project", 0)) == expected["Project"], "every project is drawn or counted in an aggregate"
    assert int(by_type.get("Enterprise", 0)) == expected["Enterprise"]
    academia = int(by_type.get("University", 0)) + int(by_type.get("ResearchInstitute", 0))
    assert academia == expected["academia"]
    names = set(view.nodes["name"])
    folded_projects = groups[next(k for k in groups if ":Project:" in k)]
    assert f"其余 {folded_projects:,} 个科技项目" in names
    arrows = {(e["from"], e["to"]): bool(e.get("arrows")) for e in view.vis_data()[0]["edges"]}
    kinds = dict(zip(zip(view.edges["source"], view.edges["target"]), view.edges["type"]))
    assert all(arrows[k] == (kinds[k] == "PARTICIPATES_IN") for k in arrows), "links without a direction have no arrow"
    page = view.write(output_dir / "viz" / "hub_ego.html")
    with open_page(page) as p:
        p.wait_for("document.body.dataset.stabilized")
        assert p.requests == [] and p.errors == []
        count = p.js("window.kgNetwork.body.data.nodes.length")
        labels = p.js("window.kgNetwork.body.data.nodes.get().map(n => n.label)")
        assert count == len(view.nodes) <= 120
        assert any(label.startswith("其余 ") and "个科技项目" in label for label in labels)
        shot = p.screenshot(output_dir / "viz" / "hub_ego.png")
    assert shot.stat().st_size > 20_000
    image = write_image(view, output_dir / "viz" / "hub_ego_static.png")
    assert image.stat().st_size > 30_000
    print(f"\nhub {hub}: {expected}; {len(view.nodes)} nodes; screenshot {shot}; image {image}")


@needs_real
@needs_browser
def test_overview_of_the_whole_network_folds_every_organisation(h2020, output_dir):
    from kg.viz import overview, write_overview

    rows = h2020_rows()
    typed = rows[rows["type"].isin(H2020_TYPES)].drop_duplicates(["pic", "rcn"])
    per_project = typed.groupby("rcn")["pic"].transform("nunique")
    linked = set(typed.loc[per_project >= 2, "pic"]) | set(h2020_pairs()["firm"]) | set(h2020_pairs()["partner"])
    view = overview(h2020)  # its time (goal < 10 s) is measured in tests/bench/test_bench_views_real.py
    members = view.nodes["props"].map(lambda p: p["members"])
    assert int(members.sum()) == len(linked), "every linked organisation is in one community node"
    assert len(view.nodes) <= 120 and members.iloc[0] == members.iloc[:-1].max()
    assert view.nodes["name"].iloc[0].startswith("社区 0 · ")
    assert (view.edges["type"] == "GROUPED").all() and not any(e.get("arrows") for e in view.vis_data()[0]["edges"])
    files = write_overview(h2020, view, output_dir / "viz" / "overview.html", pages=2)
    assert [f.name for f in files] == ["overview.html", "community-0.html", "community-1.html"]
    with open_page(files[0]) as p:
        p.wait_for("document.body.dataset.stabilized")
        assert p.requests == [] and p.errors == []
        assert p.js("window.kgNetwork.body.data.nodes.length") == len(view.nodes)
        url = p.js("window.kgNetwork.body.data.nodes.get('community:0').url")
        assert url == "overview_communities/community-0.html" and (files[0].parent / url).exists()
        shot = p.screenshot(output_dir / "viz" / "overview.png")
    with open_page(files[1]) as p:
        p.wait_for("document.body.dataset.stabilized")
        assert p.errors == [] and p.js("window.kgNetwork.body.data.nodes.length") <= 150
        p.screenshot(output_dir / "viz" / "overview_community0.png")
    print(f"\noverview: {len(linked):,} organisations, {len(view.nodes)} nodes; screenshot {shot}")
