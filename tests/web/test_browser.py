"""`datafast-tui web` in a real headless Chromium: the page loads, the Overview's numbers show,
a key switches screen, and stopping the server ends the tab's session and its app.

Uses the system's Chromium (Debian: apt-get install chromium) through Playwright, never a
browser Playwright downloads. Without one the test is skipped, unless DATAFAST_REQUIRE_BROWSER=1
(as .ci/run sets when it could install it): then it fails. DATAFAST_WEB_SCREENSHOT=PATH saves
the page once the Overview has its numbers (how screenshots/web.png is made).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest

from tests.web.serving import WebServer, running, wait_until

#: Where a Chromium may be (Debian's package, other distributions' names).
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = "apt-get install chromium (Debian/Ubuntu), or another Chromium on the PATH"
#: Without the background-networking flags Chromium reaches out at start (updates, sync, field
#: trials); on a closed network those connections are refused and get in the way.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: textual.js keeps its xterm.js Terminal to itself (`this.terminal = new Terminal(...)`): this
#: catches the assignment, so the test reads the terminal's own buffer, i.e. the text on screen.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && typeof value.onData === "function") window.__terminal = value;
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.__terminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""
#: A figure as a KPI card shows it: 23,614 · 49.3% · $55,065 · 2m 00s.
COUNT, PERCENT, MONEY = re.compile(r"\b\d{1,3}(,\d{3})+\b"), re.compile(r"\b\d+\.\d+%"), re.compile(r"\$\d[\d,.]*")


def missing(message: str) -> NoReturn:
    """Skip, or fail when the run asked for the browser test (DATAFAST_REQUIRE_BROWSER=1)."""
    if os.environ.get("DATAFAST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (DATAFAST_REQUIRE_BROWSER=1 requires the browser test)")
    pytest.skip(message)


def chromium() -> str:
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    missing(f"no Chromium found for the browser test: {INSTALL_HINT}")


@pytest.fixture
def page() -> Iterator[object]:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed: pip install -e '.[test]'")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(CATCH_TERMINAL)
            yield page
        finally:
            browser.close()


def overview_loaded(text: str) -> bool:
    """The Overview with its KPI numbers (not `loading…`), under the header's demo badge (a frame
    arrives in parts: the header's row can come after the cards')."""
    return ("DEMO DATA" in text and "Visitors" in text and "Bounce rate" in text and "Revenue" in text
            and bool(COUNT.search(text)) and bool(PERCENT.search(text)) and bool(MONEY.search(text)))


def test_the_app_in_a_browser_shows_numbers_and_takes_keys(start_web: Callable[..., WebServer], page,
                                                           tmp_path: Path) -> None:
    server = start_web("--demo")
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda websocket: requests.append(websocket.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server.url)

    def text() -> str:
        return page.evaluate(SCREEN_TEXT)

    def overview() -> str:
        shown = text()
        return shown if overview_loaded(shown) else ""

    try:
        wait_until(overview, "the Overview's numbers", timeout=60)
    except AssertionError:
        page.screenshot(path=str(tmp_path / "overview-failed.png"))
        raise AssertionError(f"the page never showed the Overview's numbers; it shows:\n{text()}\n"
                             f"server said:\n{server.stdout()}{server.stderr()}") from None
    if os.environ.get("DATAFAST_WEB_SCREENSHOT"):
        time.sleep(1)  # the sparklines' and the chart's last paint
        page.screenshot(path=os.environ["DATAFAST_WEB_SCREENSHOT"])
    [app] = server.apps()  # the tab's own app, a child of the server

    page.locator(".xterm-helper-textarea").focus()  # where xterm.js takes the keys
    page.keyboard.press("2")
    wait_until(lambda: "Hostnames" in (t := text()) and "sorted by" in t, "the Breakdowns screen after 2")

    # Everything came from the server itself: no font, script or anything else from the internet.
    here = urlsplit(server.url).netloc
    foreign = [url for url in requests if urlsplit(url).scheme != "data" and urlsplit(url).netloc != here]
    assert not foreign and any(url.startswith("ws://") for url in requests), requests
    assert not problems, problems  # no script error, nothing the page's security policy refused

    # Stopped with the tab open: the tab is told its session ended, the app exits, no orphan.
    assert server.stop() == 0
    assert not running(app)
    wait_until(lambda: page.evaluate("document.body.classList.contains('-closed')"), "the page to say it ended")
