"""Record benchmark results; ``make bench`` renders them into BENCHMARKS.md.

Each benchmark calls :func:`record` with a section name and a list of
result rows (dicts, one per measured case, with a ``ratio`` to its
baseline where there is one).  Results land as JSON under
``test-output/bench/``; ``python tests/benchlog.py`` writes BENCHMARKS.md
from all of them, with the machine and the date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "test-output" / "bench"


def machine() -> str:
    """One line describing this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def record(section: str, rows: list[dict], note: str = "", goal: str = "") -> Path:
    """Save one benchmark section (overwrites the previous result of that section)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"{section}.json"
    payload = {
        "section": section,
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "goal": goal,
        "note": note,
        "rows": rows,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(f"\n[bench] {section}: " + json.dumps(rows, ensure_ascii=False, default=str))
    return path


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _chunks(text: str) -> list[tuple[str, str]]:
    """The ``## `` sections of a rendered BENCHMARKS.md as (heading, text) pairs, in order."""
    out: list[tuple[str, str]] = []
    for part in ("\n" + text).split("\n## ")[1:]:
        heading = part.split("\n", 1)[0].strip()
        out.append((heading, "## " + part.rstrip() + "\n"))
    return out


def _section(s: dict) -> str:
    lines = [f"## {s['section']}", "", f"*{s['date']}; {s['machine']}*", ""]
    if s.get("goal"):
        lines += [f"Goal: {s['goal']}", ""]
    rows = s["rows"]
    if rows:
        cols = list(dict.fromkeys(k for r in rows for k in r))
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for r in rows:
            lines.append("| " + " | ".join(_fmt(r.get(c, "")).replace("|", "\\|") for c in cols) + " |")
        lines.append("")
    if s.get("note"):
        lines += [s["note"], ""]
    return "\n".join(lines)


def render(out: Path = ROOT / "BENCHMARKS.md") -> Path:
    """Write BENCHMARKS.md from every recorded section.

    Sections measured in this run replace their earlier text; sections not measured this time (a partial
    ``make bench``, or figures written by hand) are kept as they were, so one benchmark never erases another.
    """
    fresh = {
        s["section"]: _section(s)
        for s in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(BENCH_DIR.glob("*.json")))
    }
    summary_path = Path(__file__).with_name("bench") / "SUMMARY.md"
    summary = summary_path.read_text(encoding="utf-8") if summary_path.exists() else ""
    fresh = dict(_chunks(summary)) | fresh  # the hand-kept summary, in its place when it is there already
    earlier = _chunks(out.read_text(encoding="utf-8")) if out.exists() else []
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`pytest -m bench`, then `python tests/benchlog.py`). Each figure is measured",
        "next to its baseline in the same run; ratios compare the two, so they travel between machines better",
        "than absolute times. A section not measured in the latest run keeps its earlier figures and date.",
        "",
    ]
    for heading, text in earlier:
        lines.append(fresh.pop(heading, text).rstrip() + "\n")
    lines += [text.rstrip() + "\n" for text in fresh.values()]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(render(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "BENCHMARKS.md"))
