"""Loader benchmark: a 1M-row enterprise sheet and a 3M-row linkage sheet next to the engine's own raw COPY.

Every case runs in its own subprocess on its own on-disk store, so the peak memory (``VmHWM``) is the
case's own.  Two baselines, both the engine's bulk path on the very same rows, no validation:
``COPY T(cols) FROM 'sheet.csv'`` (the engine's own CSV reader, columns bound by position) and the CSV
read by pyarrow, typed and handed to ``COPY T FROM $table`` (what the loaders' bulk path ends in).
Ours: ``kg.loaders.load_file`` on the same file (header mapping from the schema, type conversion, GB 32100
check digits, name normalisation, endpoint resolution, provenance, one transaction per file).  The ratio
is ours / the faster baseline.

Sizes (env): ``KG_BENCH_ROWS`` (enterprises, default 1,000,000; the linkage sheet has 3x as many rows
unless ``KG_BENCH_LINK_ROWS`` says otherwise), ``KG_BENCH_UPSERT_ROWS`` (changed rows loaded into the
full table, default 100,000).  Develop with ``KG_BENCH_ROWS=50000``.  ``KG_BENCH_PROFILE=1`` writes a
cProfile summary of each of our loads next to the stores (``test-output/bench/loaders-*/profile-*.txt``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from benchlog import BENCH_DIR, ROOT, record
from realdata import H2020

ROWS = int(os.environ.get("KG_BENCH_ROWS", 1_000_000))
LINKS = int(os.environ.get("KG_BENCH_LINK_ROWS", 3 * ROWS))
UPDATES = min(ROWS, int(os.environ.get("KG_BENCH_UPSERT_ROWS", 100_000)))
UNIVERSITIES = 3_000
PROFILE = os.environ.get("KG_BENCH_PROFILE") == "1"
#: runs of each case (each on a fresh copy of its store); the fastest is reported: the engine's own COPY
#: varied by 2x between runs on a quiet machine
REPEAT = int(os.environ.get("KG_BENCH_REPEAT", 2))

#: template columns the benchmark sheet fills, and the property each one is (in file order)
FIRM_COLUMNS = [
    ("统一社会信用代码", "id"),
    ("企业名称", "name"),
    ("企业规模", "scale"),
    ("成立日期", "founded"),
    ("职工人数", "employees"),
    ("营业收入(万元)", "revenue"),
    ("研发投入(万元)", "rd_expense"),
    ("研发人员数", "rd_staff"),
    ("所属行业", "industry"),
    ("所在区县", "region"),
]
LINK_COLUMNS = [("企业名称", "from"), ("合作单位", "to"), ("开始年份", "since"), ("合作方式", "cooperation_kind")]

_USCC_ALPHABET = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def uscc_codes(serials: np.ndarray, county: str = "211102") -> np.ndarray:
    """Valid 统一社会信用代码 (both check digits) for integer serials, vectorised.

    Examples
    --------
    >>> from stdnum.cn import uscc
    >>> all(uscc.is_valid(c) for c in uscc_codes(np.array([0, 42, 99_999_999])))
    True
    """
    body = (serials[:, None] // 10 ** np.arange(7, -1, -1)) % 10  # 8 digits
    c9 = 11 - (body * _ORG_WEIGHTS).sum(axis=1) % 11
    org9 = np.where(c9 == 10, 30, np.where(c9 == 11, 0, c9))  # 'X' is index 30
    head = np.concatenate([np.tile([9, 1, *map(int, county)], (len(serials), 1)), body, org9[:, None]], axis=1)
    check = (31 - (head * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    chars = _USCC_ALPHABET[np.concatenate([head, check[:, None]], axis=1)]
    return np.array(["".join(r) for r in chars.tolist()], dtype=object)


def enterprise_sheet(path: Path, n: int, start: int = 0, seed: int = 1) -> Path:
    """A template-format enterprise sheet (Chinese headers) of ``n`` firms with serials ``start..start+n``."""
    rng = np.random.default_rng(seed)
    serial = np.arange(start, start + n)
    counties = np.array(["211102", "211103", "211104", "211122"])
    founded = pd.to_datetime("1990-01-01") + pd.to_timedelta(rng.integers(0, 12_000, n), unit="D")
    frame = pd.DataFrame(
        {
            "统一社会信用代码": uscc_codes(serial),
            "企业名称": pd.Series(serial).map(lambda i: f"盘锦测试{i}科技有限公司").to_numpy(),
            "企业规模": rng.choice(["规上", "小型", "微型", "中型"], n),
            "成立日期": founded.strftime("%Y-%m-%d"),
            "职工人数": rng.integers(3, 5_000, n),
            "营业收入(万元)": np.round(rng.lognormal(7, 1.5, n), 2),
            "研发投入(万元)": np.round(rng.lognormal(4, 1.5, n), 2),
            "研发人员数": rng.integers(0, 300, n),
            "所属行业": rng.choice(["石油化工", "新材料", "海洋工程装备", "现代农业", "节能环保"], n),
            "所在区县": counties[serial % 4],
        }
    )
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def university_sheet(path: Path, m: int) -> Path:
    pd.DataFrame(
        {"学校标识码": [f"41{i:08d}" for i in range(m)], "学校名称": [f"测试大学{i}" for i in range(m)]}
    ).to_csv(path, index=False, encoding="utf-8")
    return path


def cooperation_sheet(path: Path, links: int, firms: int, m: int, seed: int = 2) -> Path:
    """``links`` distinct firm -> university cooperations, endpoints written as their ids."""
    rng = np.random.default_rng(seed)
    k = np.arange(links)
    firm, j = k % firms, k // firms
    if j.max(initial=0) >= m:
        raise ValueError("more links than firm x university pairs")
    uni = (firm * 31 + j * 1_009) % m
    pd.DataFrame(
        {
            "企业名称": uscc_codes(firm),
            "合作单位": np.char.add("41", np.char.zfill(uni.astype(str), 8)),
            "开始年份": rng.integers(2005, 2025, links),
            "合作方式": rng.choice(["联合攻关", "委托研发", "共建平台", "技术转让"], links),
        }
    ).to_csv(path, index=False, encoding="utf-8")
    return path


RUNNER = textwrap.dedent("""
    import cProfile, io, json, pstats, resource, sys, time
    args = json.loads(sys.argv[1])
    from kg import KnowledgeGraph
    from kg.loaders import load_file
    case, path = args["case"], args["file"]
    assert "'" not in path
    out = {}
    with KnowledgeGraph.open(args["db"]) as g:
        prof = cProfile.Profile() if args.get("profile") else None
        t0 = time.perf_counter()
        if case == "copy":   # the engine's own COPY of the same CSV file (its reader, columns by position)
            g.backend._raw("COPY " + args["table"] + "(" + ", ".join(args["columns"]) + ") FROM '" + path + "'"
                           + " (header=true" + args.get("options", "") + ")")
        elif case == "arrow":  # the same CSV read by pyarrow, typed, handed to the engine's COPY FROM $table
            import pyarrow as pa, pyarrow.csv as pacsv
            from kg.stored import _arrow_type
            t = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in args["text_columns"]}))
            t = t.rename_columns(args["columns"])
            if args.get("from"):
                props = {"from_id": None, "to_id": None, **g.schema.edge(args["table"]).properties}
            else:
                props = g.schema.node(args["table"]).properties
            arrays = [t[n].cast(_arrow_type(p)) if n in t.column_names else pa.nulls(t.num_rows, _arrow_type(p))
                      for n, p in props.items()]
            table = pa.table(arrays, names=list(props))
            with g.transaction(copy_first=True):  # the engine's COPY, as into an empty store
                if args.get("from"):
                    g.backend.bulk_load_edges(args["table"], args["from"], args["to"], table)
                else:
                    g.backend.bulk_load_nodes(args["table"], table)
        elif case == "mapping":  # a real export through its shipped mapping (several types, one transaction)
            from kg.loaders.mapping import load_mapping
            if prof: prof.enable()
            reports = load_mapping(g, args["mapping"], source=path)
            if prof: prof.disable()
            out.update(loaded=sum(r.loaded for r in reports), rejected=sum(r.rejected for r in reports),
                       rows_read=max(r.rows_read for r in reports))
        elif case == "load":
            if prof: prof.enable()
            report = load_file(g, path, as_type=args["table"], link_regions=args.get("link_regions", False))
            if prof: prof.disable()
            out.update(loaded=report.loaded, rejected=report.rejected, by_type=report.by_type)
        out["seconds"] = time.perf_counter() - t0
        out["count"] = g.count(args["table"]) if args.get("table") else None
    # VmHWM is this program's own peak (ru_maxrss keeps the parent's peak across exec on Linux)
    try:
        hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
        out["peak_mb"] = int(hwm.split()[1]) / 1024
    except (OSError, IndexError):
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(35)
        open(args["profile"], "w").write(buf.getvalue())
    print("RESULT " + json.dumps(out))
""")


def run_case(work: Path, **args) -> dict:
    """Run one case in a fresh interpreter; returns its measured figures."""
    script = work / "runner.py"
    script.write_text(RUNNER, encoding="utf-8")
    args = {k: str(v) if isinstance(v, Path) else v for k, v in args.items()}
    done = subprocess.run(
        [sys.executable, str(script), json.dumps(args)], capture_output=True, text=True, timeout=3_600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def best_of(work: Path, name: str, base: Path | None = None, **args) -> dict:
    """Run a case ``REPEAT`` times, each on a fresh store ``name`` (a copy of ``base``): the fastest run's
    figures, with the highest peak and every run's seconds."""
    runs = [run_case(work, db=fresh_db(work, name, base=base), **args) for _ in range(max(1, REPEAT))]
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "peak_mb": max(r["peak_mb"] for r in runs), "runs": [round(r["seconds"], 2) for r in runs]}


def fresh_db(work: Path, name: str, base: Path | None = None) -> Path:
    db = work / f"{name}.kg"
    for f in work.glob(f"{name}.kg*"):
        f.unlink()
    if base is not None:
        shutil.copy(base, db)
    return db


@pytest.fixture(scope="module")
def work() -> Path:
    folder = BENCH_DIR / f"loaders-{ROWS}-{LINKS}-{UPDATES}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def sheets(work: Path) -> dict[str, Path]:
    """The generated sheets (reused while the sizes are unchanged)."""
    out = {
        "firms": work / "enterprises.csv",
        "unis": work / "universities.csv",
        "links": work / "cooperations.csv",
        "updates": work / "enterprises_updated.csv",
    }
    if not out["firms"].exists():
        enterprise_sheet(out["firms"], ROWS)
    if not out["unis"].exists():
        university_sheet(out["unis"], UNIVERSITIES)
    if not out["links"].exists():
        cooperation_sheet(out["links"], LINKS, ROWS, UNIVERSITIES)
    if not out["updates"].exists():  # the first UPDATES firms again, with new figures in every column
        enterprise_sheet(out["updates"], UPDATES, seed=9)
    out["updates2"] = work / "enterprises_two_figures.csv"
    if not out["updates2"].exists():  # the first UPDATES firms as stored, with this year's staff and revenue
        yearly_update(out["firms"], out["updates2"], UPDATES)
    return out


def yearly_update(firms: Path, path: Path, n: int, seed: int = 5) -> Path:
    """The first ``n`` rows of ``firms`` with two figures changed (职工人数, 营业收入): a yearly report."""
    rng = np.random.default_rng(seed)
    frame = pd.read_csv(firms, nrows=n, dtype=str, keep_default_na=False)
    frame["职工人数"] = rng.integers(3, 5_000, n)
    frame["营业收入(万元)"] = np.round(rng.lognormal(7, 1.5, n), 2)
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def _row(case: str, rows: int, res: dict, base: dict | None) -> dict:
    rate = rows / res["seconds"]
    return {
        "case": case,
        "rows": rows,
        "seconds": round(res["seconds"], 2),
        "rows_per_s": round(rate),
        "ratio": round(res["seconds"] / base["seconds"], 2) if base else 1.0,
        "peak_mb": round(res["peak_mb"]),
        "runs_s": " / ".join(f"{x:.2f}" for x in res.get("runs", [res["seconds"]])),
    }


@pytest.mark.bench
def test_bench_enterprise_sheet_and_linkage_sheet(work, sheets):
    firm_cols = [p for _, p in FIRM_COLUMNS]
    prof = (lambda name: work / f"profile-{name}.txt") if PROFILE else (lambda name: None)
    # --- the enterprise sheet into an empty store
    raw = best_of(work, "raw_nodes", case="copy", file=sheets["firms"], table="Enterprise", columns=firm_cols)
    arrow = best_of(
        work,
        "arrow_nodes",
        case="arrow",
        file=sheets["firms"],
        table="Enterprise",
        columns=firm_cols,
        text_columns=["统一社会信用代码", "所在区县", "成立日期"],
    )
    ours = best_of(
        work,
        "our_nodes",
        case="load",
        file=sheets["firms"],
        table="Enterprise",
        profile=prof("nodes"),
    )
    assert raw["count"] == arrow["count"] == ours["count"] == ROWS and ours["rejected"] == 0
    linked = best_of(
        work,
        "our_nodes_regions",
        case="load",
        file=sheets["firms"],
        table="Enterprise",
        link_regions=True,
    )
    assert linked["by_type"]["LOCATED_IN"] == ROWS
    # --- incremental upsert: UPDATES changed rows into the full table
    upsert, yearly = (
        best_of(
            work,
            name,
            base=work / "our_nodes.kg",
            case="load",
            file=sheets[name],
            table="Enterprise",
            profile=prof(name),
        )
        for name in ("updates", "updates2")
    )
    assert upsert["count"] == yearly["count"] == ROWS and upsert["loaded"] == yearly["loaded"] == UPDATES
    # --- the linkage sheet: every store starts with the same firms and universities
    base = fresh_db(work, "links_base", base=work / "raw_nodes.kg")
    run_case(work, case="copy", db=base, file=sheets["unis"], table="University", columns=["id", "name"])
    link_cols = ["from_id", "to_id", "since", "cooperation_kind"]
    raw_e = best_of(
        work,
        "raw_links",
        base=base,
        case="copy",
        file=sheets["links"],
        table="COOPERATES_WITH",
        columns=["since", "cooperation_kind"],
        options=", from='Enterprise', to='University'",
    )
    arrow_e = best_of(
        work,
        "arrow_links",
        base=base,
        case="arrow",
        file=sheets["links"],
        table="COOPERATES_WITH",
        columns=link_cols,
        text_columns=["企业名称", "合作单位"],
        **{"from": "Enterprise", "to": "University"},
    )
    ours_e = best_of(
        work,
        "our_links",
        base=base,
        case="load",
        file=sheets["links"],
        table="COOPERATES_WITH",
        profile=prof("links"),
    )
    assert raw_e["count"] == arrow_e["count"] == ours_e["count"] == LINKS and ours_e["rejected"] == 0
    best, best_e = min(raw, arrow, key=lambda r: r["seconds"]), min(raw_e, arrow_e, key=lambda r: r["seconds"])
    rows = [
        _row("enterprise sheet: engine COPY FROM csv (baseline)", ROWS, raw, best),
        _row("enterprise sheet: pyarrow read + engine COPY FROM table (baseline)", ROWS, arrow, best),
        _row("enterprise sheet: kg load_file", ROWS, ours, best),
        _row("enterprise sheet: kg load_file + Region/LOCATED_IN links", ROWS, linked, best),
        _row("linkage sheet (COOPERATES_WITH): engine COPY FROM csv (baseline)", LINKS, raw_e, best_e),
        _row(
            "linkage sheet (COOPERATES_WITH): pyarrow read + engine COPY FROM table (baseline)", LINKS, arrow_e, best_e
        ),
        _row("linkage sheet (COOPERATES_WITH): kg load_file", LINKS, ours_e, best_e),
        _row(
            f"incremental upsert: {UPDATES:,} changed enterprises (every column) into {ROWS:,}", UPDATES, upsert, None
        ),
        _row(f"incremental upsert: {UPDATES:,} changed enterprises (2 figures) into {ROWS:,}", UPDATES, yearly, None),
    ]
    rows[-1]["ratio"] = rows[-2]["ratio"] = ""
    if H2020.is_file():  # one real export through its shipped mapping, into an empty store
        real = best_of(
            work,
            "real_h2020",
            case="mapping",
            file=H2020,
            mapping=ROOT / "examples" / "mappings" / "h2020_participations.yaml",
            profile=prof("h2020"),
        )
        assert real["rejected"] == 0 and real["loaded"] > real["rows_read"]
        rows.append(
            _row(
                f"real export: {H2020.name} through its mapping ({real['loaded']:,} nodes and edges)",
                real["rows_read"],
                real,
                None,
            )
        )
        rows[-1]["ratio"] = ""
    for r in rows:
        print(r)
    sizes = "" if (ROWS, LINKS) == (1_000_000, 3_000_000) else f" ({ROWS:,} firms, {LINKS:,} links)"
    record(
        "Loaders: bureau sheets vs raw COPY" + sizes,  # figures at other sizes do not replace the full-size ones
        rows,
        goal="load_file within 2x of the engine's raw COPY (1.3x stretch); incremental upsert >= 50k rows/s; "
        "peak memory < 3 GB on the 3M-row sheet",
        note=f"Each case in its own process on its own on-disk store (peak_mb = that process's peak RSS, VmHWM), "
        f"run {REPEAT} times on fresh stores: seconds = the fastest run (runs_s lists them all); ratio = "
        "seconds / the faster baseline of the same sheet. Baselines: the engine's COPY of the same CSV file "
        "(its own reader, columns by position), and the same CSV read by pyarrow, typed and handed to COPY; "
        "no validation in either. Ours: header mapping from the schema, type conversion, GB 32100 check digits, "
        "name normalisation, endpoint resolution, provenance, one transaction per file. Incremental: the store of "
        "the full sheet copied, then the first rows again with new figures in every column, or in two columns "
        "(职工人数, 营业收入): only changed rows and columns are written.",
    )
