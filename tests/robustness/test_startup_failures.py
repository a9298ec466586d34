"""Start-up failures, run as a user would (a real pseudo-terminal): each is a clear message, never a traceback.

A real key with no network, a wrong key, an unreachable base URL, a corrupt config file, an
unwritable cache folder, and the demo with 30% of its requests failing. Where the app can
keep running it does (offline state, demo data kept in memory) and quits cleanly on `q`.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.robustness.conftest import PYTHON_TEXT
from tests.robustness.pty_app import PtyApp, private_env

KEY = "df_live_startup_SECRET_1234"


def no_python_text(app: PtyApp) -> None:
    text = app.text()
    found = [m.group(0) for m in PYTHON_TEXT.finditer(text)]
    assert found == [], f"Python text on screen: {found}; output: {text[-1500:]!r}"
    assert KEY not in app.raw()


@pytest.fixture
def refused_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Rejecting(BaseHTTPRequestHandler):
    """Answers every request as DataFast does a wrong key."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
        body = json.dumps({"status": "error", "error": {"code": 401, "message": "Invalid API key"}}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def rejecting_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Rejecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/"
    finally:
        server.shutdown()
        server.server_close()


def test_wrong_key_says_rejected_and_what_to_do(pty_home: Path, rejecting_server: str) -> None:
    app = PtyApp("--api-key", KEY, "--base-url", rejecting_server, env=private_env(pty_home))
    try:
        app.wait_for("API key rejected", "Developer")
        app.press("2", "r")
        app.wait_for("Pages")
        no_python_text(app)
    finally:
        assert app.quit() == 0


def test_unreachable_base_url_is_offline_and_keeps_running(pty_home: Path, refused_port: int) -> None:
    app = PtyApp("--api-key", KEY, "--base-url", f"http://127.0.0.1:{refused_port}/api/v1/", env=private_env(pty_home))
    try:
        app.wait_for("offline", "Offline: cannot reach")
        # Every screen opens (each is waited for: a screen's first frame may take longer than a
        # key press on a busy machine, and a screen left at once is never drawn); a retry by hand
        # fails the same way.
        app.press("3")
        app.wait_for("Realtime")
        app.press("4")
        app.wait_for("no visitor open")
        app.press("1", "r")
        no_python_text(app)
    finally:
        assert app.quit() == 0


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1) to cut the network")
def test_real_key_without_any_network_is_offline(pty_home: Path) -> None:
    # A private network namespace has no route anywhere: the default base URL cannot even resolve.
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("this machine does not allow network namespaces")
    app = PtyApp("--api-key", KEY, env=private_env(pty_home), prefix=("unshare", "-rn"))
    try:
        app.wait_for("offline", "Offline: cannot reach")
        no_python_text(app)
    finally:
        assert app.quit() == 0


def test_corrupt_config_is_one_line_and_exit_2(pty_home: Path) -> None:
    config = pty_home / "config" / "broken.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[sites.main]\napi_key = "df_live_x\n', encoding="utf-8")  # unterminated string
    app = PtyApp("--config", str(config), env=private_env(pty_home))
    try:
        assert app.process.wait(timeout=30) == 2
        lines = [line for line in app.text().splitlines() if line.strip()]
        assert len(lines) == 1 and "not valid TOML" in lines[0] and str(config) in lines[0], lines
        no_python_text(app)
    finally:
        app.close()


def test_unwritable_cache_and_log_folders_still_show_the_demo(pty_home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"  # folders "inside" a regular file cannot be made, even by root
    blocker.write_text("not a folder")
    env = private_env(pty_home, XDG_CACHE_HOME=str(blocker / "cache"), XDG_STATE_HOME=str(blocker / "state"),
                      DATAFAST_TUI_STATE_DIR=str(blocker / "state"))
    app = PtyApp("--demo", env=env)
    try:
        # The dataset is generated in memory (a few seconds) and shown; both problems are said.
        app.wait_for("Demo cache folder", "kept in memory", "running without a log", "DEMO", timeout=60)
        app.wait_for("Visitors", "Revenue")
        no_python_text(app)
    finally:
        assert app.quit() == 0
    assert blocker.read_text() == "not a folder"


def test_demo_with_a_third_of_requests_failing_never_shows_a_traceback(pty_home: Path) -> None:
    app = PtyApp("--demo", "--faults", "0.3", env=private_env(pty_home))
    try:
        app.wait_for("DEMO", "Visitors", timeout=60)
        app.press("2", "l", "l", "l", "s", "3", "4", "1", "]", "[", "r", pause=0.5)
        app.press("3", pause=4)  # a few realtime polls
        app.press("1", pause=1)
        no_python_text(app)
    finally:
        assert app.quit() == 0
