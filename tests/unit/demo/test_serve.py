"""`serve-demo`: a real loopback HTTP server answering like the docs' curl examples."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from datafast_tui.demo.serve import _parser, build_app, main
from tests.unit.demo.conftest import FrozenClock
from tests.unit.demo.serving import serve_demo


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


def test_serves_over_http(serve_cache_home: Path) -> None:
    with serve_demo(["--api-key", "sekrit"], serve_cache_home) as served:
        base_url, lines = served.base_url, served.lines
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/v1/")
        assert any("DATAFAST_API_KEY=sekrit" in line for line in lines)
        assert not any("fault" in line.lower() or "hostile" in line.lower() for line in lines)
        ok = httpx.get(base_url + "analytics/overview", headers={"Authorization": "Bearer sekrit"}, timeout=10)
        assert ok.status_code == 200 and ok.json()["data"][0]["visitors"] > 0
        denied = httpx.get(base_url + "analytics/overview", headers={"Authorization": "Bearer demo"}, timeout=10)
        assert denied.status_code == 401 and denied.json()["error"]["code"] == 401


def test_a_key_given_as_a_flag_is_warned_about(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--api-key", "sekrit", "--port", "99999"]) == 2  # stops before listening
    assert "--api-key is visible to other users of this machine (ps)" in capsys.readouterr().err
    assert main(["--port", "99999"]) == 2
    assert "visible to other users" not in capsys.readouterr().err


def test_bad_fault_flags_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for flags in (["--faults", "1.5"], ["--faults", "lots"], ["--fault-kinds", "gremlins"], ["--fault-slow", "-1"]):
        assert main(flags) == 2, flags
    err = capsys.readouterr().err
    assert "invalid rate '1.5'" in err and "unknown fault kinds ['gremlins']" in err


def test_flags_reach_the_app(hostile_cache: Path, demo_cache: Path) -> None:
    flags = ["--hostile", "--faults", "0.25", "--fault-seed", "9", "--fault-kinds", "slow,rate_limited"]
    app = build_app(_parser().parse_args([*flags, "--fault-slow", "3"]), clock=FrozenClock(), cache_dir=hostile_cache)
    plan = app.state.faults
    assert app.state.database.hostile and (plan.rate, plan.seed, plan.slow_seconds) == (0.25, 9, 3.0)
    assert set(plan.weights) == {"slow", "rate_limited"}
    plain = build_app(_parser().parse_args([]), clock=FrozenClock(), cache_dir=demo_cache)
    assert plain.state.faults is None and not plain.state.database.hostile


def _answer(sock: socket.socket) -> bytes:
    """The status line of the response the server sends (issue 14: before the client has sent its body)."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0]


def test_big_bodies_are_refused_without_being_read(serve_cache_home: Path) -> None:
    with serve_demo([], serve_cache_home) as served:
        url = urlsplit(served.base_url)
        head = f"POST {url.path}goals HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Bearer demo\r\n"
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            # A declared 20 MB is refused from the headers alone: nothing of it is ever sent.
            sock.sendall(f"{head}Content-Length: 20000000\r\n\r\n".encode())
            assert _answer(sock) == b"HTTP/1.1 413 Request Entity Too Large"
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            # Chunked (no length): refused once past 64 KB, while more is still to come.
            sock.sendall(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
            sock.sendall((b"10000\r\n" + b" " * 0x10000 + b"\r\n") * 3)
            assert _answer(sock) == b"HTTP/1.1 413 Request Entity Too Large"
        ok = httpx.post(served.base_url + "goals", headers={"Authorization": "Bearer demo"}, json={}, timeout=10)
        assert ok.status_code == 400 and ok.json()["error"]["code"] == 400  # the server still answers
