"""`serve-demo`: a real loopback HTTP server answering like the docs' curl examples."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from datafast_tui.demo.serve import main


def test_bad_flags_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "eighty"]) == 2
    assert "invalid int value" in capsys.readouterr().err
    assert main(["--port", "70000"]) == 2
    assert main(["--bogus"]) == 2


def test_port_in_use_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"error: cannot listen on 127.0.0.1:{port}: address already in use"


def test_serves_over_http(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "datafast_tui.demo.serve", "--port", "0", "--api-key", "sekrit"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "export DATAFAST_BASE_URL=" in line:
                break
        base_url = lines[-1].strip().split("=", 1)[1]
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/v1/")
        assert any("sekrit" in line for line in lines + [process.stdout.readline()])
        ok = httpx.get(base_url + "analytics/overview", headers={"Authorization": "Bearer sekrit"}, timeout=10)
        assert ok.status_code == 200 and ok.json()["data"][0]["visitors"] > 0
        denied = httpx.get(base_url + "analytics/overview", headers={"Authorization": "Bearer demo"}, timeout=10)
        assert denied.status_code == 401 and denied.json()["error"]["code"] == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
