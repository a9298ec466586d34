"""`datafast-tui web`'s flags: what it listens on, the app each tab gets, where the key goes, bad usage."""

from __future__ import annotations

import os
import shlex
import socket
import sys
from pathlib import Path

import pytest

from datafast_tui.cli import main as cli_main
from datafast_tui.cli import parse_settings
from datafast_tui.web import command
from datafast_tui.web.command import DEFAULT_HOST, DEFAULT_PORT, WebUsageError, is_loopback, plan

KEY = "df_test_SECRET_key_0123456789"
NO_CONFIG = {"DATAFAST_CONFIG": "/nonexistent/none.toml"}


def test_defaults_listen_on_loopback_and_pass_the_app_flags_along_in_order() -> None:
    launch = plan(["--demo", "--range", "last_7_days", "--screen", "realtime"], NO_CONFIG)
    assert (DEFAULT_HOST, DEFAULT_PORT) == ("127.0.0.1", 8000)
    assert (launch.host, launch.port, launch.loopback) == ("127.0.0.1", 8000, True)
    assert launch.app_flags == ("--demo", "--range", "last_7_days", "--screen", "realtime")
    assert shlex.split(launch.command) == ["exec", sys.executable, "-m", "datafast_tui", *launch.app_flags]
    own = plan(["--port", "9123", "--host", "::1", "--demo"], NO_CONFIG)
    assert (own.host, own.port, own.loopback, own.app_flags) == ("::1", 9123, True, ("--demo",))


def test_the_command_is_quoted_so_no_flag_value_reaches_the_shell() -> None:
    odd = "page is /a b;touch /tmp/x $(id) `id` 'q'"
    launch = plan(["--demo", "--filter", odd], NO_CONFIG)
    assert shlex.split(launch.command)[-2:] == ["--filter", odd]


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("localhost", True), ("LOCALHOST", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.com", False),
    ("localhost.example.com", False),
])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "my-laptop.lan"])
def test_a_public_host_needs_public(host: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(WebUsageError, match="not a loopback address.*no authentication.*--public"):
        plan(["--host", host, "--demo"], NO_CONFIG)
    assert command.main(["--host", host, "--demo"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"datafast-tui web: --host {host}: not a loopback address")
    launch = plan(["--host", host, "--public", "--demo"], NO_CONFIG)
    assert (launch.host, launch.loopback, launch.app_flags) == (host, False, ("--demo",))


@pytest.mark.parametrize("flags", [["--api-key", KEY], [f"--api-key={KEY}"], ["--api-k", KEY]])
def test_a_key_given_as_a_flag_goes_to_the_environment_not_the_command_line(flags: list[str]) -> None:
    launch = plan([*flags, "--range", "last_7_days"], NO_CONFIG)
    assert KEY not in launch.command and KEY not in " ".join(launch.app_flags) and KEY not in repr(launch)
    assert launch.app_environ == {"DATAFAST_API_KEY": KEY}
    assert "--api-key is visible to other users" in " ".join(launch.warnings)  # the server's own argv has it


def test_key_and_site_resolve_for_the_app_as_the_flags_did(tmp_path: Path) -> None:
    """--api-key beats a --site profile's key, which beats DATAFAST_API_KEY: the app sees the same."""
    config = tmp_path / "config.toml"
    config.write_text('[sites.shop]\napi_key_env = "SHOP_KEY"\nbase_url = "https://shop.example/api/v1/"\n'
                      '[sites.blog]\napi_key_env = "BLOG_KEY"\n', encoding="utf-8")
    environ = {"DATAFAST_CONFIG": str(config), "SHOP_KEY": "df_shop_key", "BLOG_KEY": "df_blog_key",
               "DATAFAST_API_KEY": "df_from_the_environment", "DATAFAST_SITE": "blog"}
    seen = {}
    for flags in (["--site", "shop"], ["--api-key", KEY, "--site", "shop"], ["--api-key", KEY], [], ["--demo"]):
        launch = plan(flags, environ)
        as_typed = parse_settings(flags, environ).connection
        for_the_app = parse_settings(list(launch.app_flags), {**environ, **launch.app_environ}).connection
        assert for_the_app == as_typed and for_the_app.api_key == as_typed.api_key, flags
        assert KEY not in launch.command
        seen[" ".join(flags)] = (for_the_app.api_key, for_the_app.base_url, for_the_app.demo)
    # The cases differ, so the comparison above compared something.
    assert seen["--site shop"] == ("df_shop_key", "https://shop.example/api/v1/", False)
    assert seen[f"--api-key {KEY} --site shop"] == (KEY, "https://shop.example/api/v1/", False)
    assert seen[""][0] == "df_from_the_environment" and seen["--demo"][2] is True


@pytest.mark.parametrize(("flags", "said"), [
    (["--range", "forever"], "datafast-tui: unknown date range 'forever'"),
    (["--bogus"], "datafast-tui: unrecognized arguments: --bogus"),
    (["--screen", "nowhere"], "datafast-tui: argument --screen: invalid choice: 'nowhere'"),
    (["--site", "nope"], "datafast-tui: unknown site profile 'nope'"),
    (["--api-key", ""], "datafast-tui: --api-key is empty"),
    (["--faults", "2", "--demo"], "datafast-tui: --faults 2.0: give a share of requests between 0 and 1"),
    (["--filter", "colour is red", "--demo"], "datafast-tui: --filter 'colour is red': unknown filter dimension"),
    (["--port", "eighty"], "datafast-tui web: argument --port: 'eighty' is not a port"),
    (["--port", "70000"], "datafast-tui web: argument --port: '70000' is not a port"),
])
def test_bad_flags_are_one_line_and_exit_2_before_anything_listens(
        flags: list[str], said: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFAST_CONFIG", NO_CONFIG["DATAFAST_CONFIG"])
    monkeypatch.setattr(command, "listen", lambda *a: pytest.fail("it listened despite a bad flag"))
    assert cli_main(["web", *flags]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith(said), err
    assert "Traceback" not in err and KEY not in err


def test_a_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFAST_CONFIG", NO_CONFIG["DATAFAST_CONFIG"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert command.main(["--demo", "--port", str(port)]) == 1
    said = capsys.readouterr().err
    assert said == f"datafast-tui web: cannot listen on http://127.0.0.1:{port}/: address already in use\n"


def test_serving_says_where_and_warns_when_public(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """What main hands to the server (stubbed here; tests/web serve for real): the socket, the command, the key."""
    monkeypatch.setenv("DATAFAST_CONFIG", NO_CONFIG["DATAFAST_CONFIG"])
    monkeypatch.setenv("DATAFAST_API_KEY", "df_before")  # restored after the test: main sets it for the apps
    served = []

    def serve(app_command: str, sock: socket.socket, *, loopback_only: bool) -> None:
        served.append((app_command, sock.getsockname(), loopback_only, os.environ["DATAFAST_API_KEY"]))
        sock.close()

    monkeypatch.setattr("datafast_tui.web.server.serve", serve)
    assert command.main(["--port", "0", "--api-key", KEY, "--demo"]) == 0
    [(app_command, (host, port), loopback_only, key)] = served
    assert (host, loopback_only, key) == ("127.0.0.1", True, KEY) and KEY not in app_command
    out, err = capsys.readouterr()
    assert out == f"datafast-tui web: serving the app at http://127.0.0.1:{port}/ (loopback only; each tab runs " \
                  "its own app; Ctrl+C stops)\n"
    assert "no authentication" not in err and KEY not in out + err
    assert command.main(["--port", "0", "--host", "0.0.0.0", "--public", "--demo"]) == 0
    out, err = capsys.readouterr()
    assert served[-1][2] is False and "open to other machines, no authentication" in out
    assert "warning: this server has no authentication of its own: anyone who can reach http://0.0.0.0:" in err
