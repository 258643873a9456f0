"""A small headless-Chromium driver for the site's browser test and its screenshots.

It speaks the Chrome DevTools protocol over --remote-debugging-pipe (NUL-separated JSON on file
descriptors 3 and 4), so it needs neither a websocket library nor a browser download: Debian's
`chromium` package is enough. The site is served from a local http.server on 127.0.0.1, as a
reader's host would serve it (tests/test_site_in_browser.py also opens pages from disk, file://).

    .venv/bin/python tests/chromium.py SITE_DIR docs/     # the README's screenshots, docs/site-*.png
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Debian names it chromium, Ubuntu chromium-browser; GitHub's runners also carry Google Chrome.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The flags this machine (and CI) needs: no sandbox as root, no GPU, and nothing that phones home.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
)
TIMEOUT = 30.0


def find_chromium() -> str | None:
    """The Chromium executable: $CHROMIUM, else chromium on the PATH, else None."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium process and one page (tab) driven over the DevTools pipe."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire() -> None:  # in the child: the protocol's pipes on fds 3 (commands) and 4 (replies)
            read, write = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(read, 3)
            os.dup2(write, 4)

        argv = [executable, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"]
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(3, 4), preexec_fn=wire
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime"):
            self.send(f"{domain}.enable")

    # --- the protocol ------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one command and wait for its result (events met on the way are kept in `events`)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to the page."""
        return self.call(method, params, self.session)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise BrowserError("no answer from Chromium in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def wait_event(self, name: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first `name` event (already received or still to come), removed from `events`."""
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == name:
                    return self.events.pop(index)
            message = self._read(deadline)
            if "method" in message:
                self.events.append(message)

    # --- what a test does with a page ----------------------------------------------------------

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        """Size the page like a screen (a phone when `mobile`)."""
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def open(self, url: str) -> None:
        """Load `url` afresh and wait for its load event (by way of about:blank: a change of the
        #fragment alone would not reload the page)."""
        for address in ("about:blank", url):
            self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
            self.send("Page.navigate", {"url": address})
            self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable values only)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('exception', {}).get('description', result)}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = TIMEOUT) -> Any:
        """Poll `expression` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise BrowserError(f"timed out waiting for: {expression}")

    def click(self, selector: str) -> None:
        """Click the middle of the element `selector` with the mouse, as a reader would."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def screenshot(self, path: Path, max_height: int = 2400) -> None:
        """A PNG of the page from the top, as tall as its content (at most `max_height` pixels)."""
        self.evaluate("window.scrollTo(0, 0)")
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        width = self.evaluate("window.innerWidth")
        clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], max_height), "scale": 1}
        data = self.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """End the browser (the process this object started) and remove its profile."""
        try:
            self.call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser(executable: str | None = None) -> Iterator[Browser]:
    """A headless Chromium for the duration."""
    found = executable or find_chromium()
    if not found:
        raise BrowserError("Chromium not found: install Debian's chromium package (bash setup.sh --test does)")
    driver = Browser(found)
    try:
        yield driver
    finally:
        driver.close()


# The README's screenshots: (file name, page, what to do first, viewport width).
SHOTS = (
    ("site-index.png", "", None, 1280),
    ("site-index-phone.png", "", None, 390),
    ("site-search.png", "search/#q=national%20appropriation", "document.documentElement.dataset.searchReady", 1280),
    ("site-framework.png", "frameworks/ost/", None, 1280),
    ("site-topic.png", "topics/resource-ownership/", None, 1280),
    ("site-compare.png", "compare/#ost,us-eo-2020,artemis-accords", "document.documentElement.dataset.compareReady", 1280),
    ("site-phone.png", "frameworks/us-eo-2020/", None, 390),
)


def screenshots(site: Path, folder: Path) -> list[Path]:
    """Take the README's screenshots of the built site `site` into `folder`."""
    written = []
    with serve(site) as base, browser() as page:
        for name, url, ready, width in SHOTS:
            page.viewport(width, 900, mobile=width < 500)
            page.open(base + url)
            if ready:
                page.wait_for(ready)
            page.screenshot(folder / name)
            written.append(folder / name)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: chromium.py SITE_DIR OUTPUT_DIR")
    for path in screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
