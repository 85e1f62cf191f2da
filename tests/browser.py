"""Headless Chromium for the HTML tests, driven over the DevTools protocol (stdlib only: ``--remote-debugging-pipe``).

Chromium runs headless with networking disabled (every host resolves nowhere, a proxy to a closed local port, no
background services).  A :class:`Page` records what a person could not see: every network request the page made
(``Network.requestWillBeSent``), console errors and uncaught exceptions (``Runtime``, ``Log``, which also reports
Content-Security-Policy violations), and JavaScript dialogs (an ``alert`` that ran).  It evaluates JavaScript,
moves the mouse (to open a tooltip) and takes screenshots.

Usage::

    with open_page(path) as page:
        page.wait_for("document.body.dataset.stabilized")
        assert page.requests == [] and page.errors == [] and page.dialogs == []
        page.screenshot(out)
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
    "--disable-default-apps",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--window-size=1280,860",
    "--hide-scrollbars",
]
WIDTH, HEIGHT = 1280, 860


def chromium() -> str | None:
    """Path of Chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class DevToolsError(RuntimeError):
    """A DevTools command failed or timed out."""


class Browser:
    """One headless Chromium process and its DevTools pipe (messages are JSON, each ended by a NUL byte)."""

    def __init__(self, timeout: float = 60.0):
        exe = chromium()
        if exe is None:
            raise DevToolsError("Chromium is not installed (make browser)")
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory()
        to_child, self._write = os.pipe()  # Chromium reads commands on its fd 3
        self._read, from_child = os.pipe()  # and writes answers and events on its fd 4

        def pipes():  # runs in the child before exec: put the pipe ends on fds 3 and 4 (inheritable)
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target, inheritable=True)
                os.set_inheritable(target, True)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes,
            close_fds=False,
        )
        os.close(to_child)
        os.close(from_child)
        self._next = 0
        self._lock = threading.Lock()
        self._answers: dict[int, queue.Queue] = {}
        self.listeners: list = []
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        buf = b""
        with os.fdopen(self._read, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(1 << 16)
                if not chunk:
                    return
                buf += chunk
                *messages, buf = buf.split(b"\0")
                for raw in messages:
                    msg = json.loads(raw)
                    if "id" in msg:
                        self._answers.setdefault(msg["id"], queue.Queue()).put(msg)
                    else:
                        for listen in list(self.listeners):
                            listen(msg)

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        """Send a command without waiting; returns its id."""
        with self._lock:
            self._next += 1
            msg = {"id": self._next, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            self._answers.setdefault(self._next, queue.Queue())
            os.write(self._write, json.dumps(msg).encode() + b"\0")
            return self._next

    def send(
        self, method: str, params: dict | None = None, session: str | None = None, timeout: float | None = None
    ) -> dict:
        """Send a command and return its result."""
        key = self.post(method, params, session)
        try:
            answer = self._answers[key].get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise DevToolsError(f"{method}: no answer within {timeout or self.timeout} s") from None
        finally:
            self._answers.pop(key, None)
        if "error" in answer:
            raise DevToolsError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def close(self) -> None:
        try:
            self.post("Browser.close")
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        self._profile.cleanup()


class Page:
    """A tab showing one file, with everything it asked of the network, the console and the user."""

    def __init__(self, browser: Browser, url: str):
        self.browser, self.url = browser, url
        self.requests: list[str] = []  # URLs other than the page itself
        self.errors: list[str] = []  # console errors, uncaught exceptions, CSP violations, failed loads
        self.dialogs: list[str] = []  # alert/confirm/prompt that ran
        self.loaded = threading.Event()
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.listeners.append(self._on_event)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        self.started = time.perf_counter()
        self.send("Page.navigate", {"url": url})
        if not self.loaded.wait(browser.timeout):
            raise DevToolsError(f"{url} did not load within {browser.timeout} s")

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def _on_event(self, msg: dict) -> None:
        if msg.get("sessionId") != self.session:
            return
        method, p = msg["method"], msg.get("params", {})
        if method == "Network.requestWillBeSent" and p["request"]["url"] != self.url:
            self.requests.append(p["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            self.errors.append("exception: " + d.get("exception", {}).get("description", d.get("text", "")))
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            self.errors.append(f"log ({p['entry']['source']}): {p['entry']['text']}")
        elif method == "Network.loadingFailed":
            self.errors.append(f"request failed: {p.get('errorText')}")
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(f"{p['type']}: {p['message']}")
            self.browser.post("Page.handleJavaScriptDialog", {"accept": True}, self.session)
        elif method == "Page.loadEventFired":
            self.loaded.set()

    def js(self, expression: str):
        """The value of a JavaScript expression (promises awaited)."""
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in res:
            raise DevToolsError(f"{expression}: {res['exceptionDetails'].get('exception', {}).get('description')}")
        return res["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 90.0, every: float = 0.02):
        """Poll until ``expression`` is truthy; returns its value (raises on timeout).

        The wait is generous: a layout that stabilises slowly on a loaded machine is not a failure; the
        time goals are checked in the benchmarks.
        """
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            value = self.js(expression)
            if value:
                return value
            time.sleep(every)
        raise DevToolsError(f"waited {timeout} s for {expression}")

    def hover(self, x: float, y: float) -> None:
        """Move the mouse to page coordinates (x, y)."""
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def screenshot(self, out: Path) -> Path:
        """Save a PNG of the viewport."""
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"]))
        return out


@contextmanager
def open_page(path: Path, timeout: float = 60.0):
    """A :class:`Page` showing the local file ``path`` in a fresh headless Chromium."""
    browser = Browser(timeout)
    try:
        yield Page(browser, Path(path).resolve().as_uri())
    finally:
        browser.close()
