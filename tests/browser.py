"""Headless Chromium for the HTML tests: the rendered DOM after the scripts ran, and a screenshot.

Chromium runs with networking disabled (every host resolves nowhere, no background services); the pages
under test also forbid requests with a Content-Security-Policy and record any attempt in ``#kg-errors``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
         "--window-size=1280,860", "--hide-scrollbars"]


def chromium() -> str | None:
    """Path of Chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


def rendered_dom(page: Path, budget_ms: int = 8000, timeout: float = 90) -> tuple[str, float]:
    """The DOM of ``page`` after its scripts ran (virtual time budget), and the wall time it took."""
    start = time.perf_counter()
    done = _run([f"--virtual-time-budget={budget_ms}", "--dump-dom", Path(page).resolve().as_uri()], timeout)
    return done.stdout, time.perf_counter() - start


def screenshot(page: Path, out: Path, budget_ms: int = 8000, timeout: float = 90) -> Path:
    """A PNG of ``page`` once rendered."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _run([f"--virtual-time-budget={budget_ms}", f"--screenshot={out.resolve()}", Path(page).resolve().as_uri()], timeout)
    return out
