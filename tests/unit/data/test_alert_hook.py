"""The alert command: JSON on stdin, no shell, no API keys in its environment, failures as one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from datafast_tui.data.alert_hook import alert_json, hook_environment, run_hook

ECHO = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())"


async def test_the_alert_arrives_as_json_on_stdin_and_nothing_in_it_reaches_a_shell(tmp_path: Path) -> None:
    out = tmp_path / "got.json"
    payload = {"kind": "payment", "message": "$(touch pwned); `id` \x1b[31m\u202e", "amount": 49.0}
    problem = await run_hook([sys.executable, "-c", ECHO, str(out)], payload, env={}, timeout=30)
    assert problem is None
    raw = out.read_bytes()
    assert raw.endswith(b"\n") and b"\x1b" not in raw and raw.isascii()
    assert json.loads(raw) == payload
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_the_environment_loses_the_api_keys_only() -> None:
    env = hook_environment(["SHOP_KEY", ""], {"DATAFAST_API_KEY": "df_x", "SHOP_KEY": "df_y", "PATH": "/bin",
                                              "HOME": "/root"})
    assert env == {"PATH": "/bin", "HOME": "/root"}


async def test_failures_say_what_went_wrong_in_one_line(tmp_path: Path) -> None:
    missing = await run_hook([str(tmp_path / "nope")], {"kind": "goal"})
    assert missing == f"alert command not found: {tmp_path / 'nope'}"
    script = tmp_path / "plain.txt"
    script.write_text("not a program", encoding="utf-8")
    assert (await run_hook([str(script)], {})) == f"alert command is not executable: {script}"
    failing = await run_hook([sys.executable, "-c", "import sys; sys.stderr.write('bad\\x1b[2Jday\\nmore'); "
                              "sys.exit(3)"], {}, timeout=30)
    assert failing is not None and failing.endswith("exited with status 3: badday") and "\x1b" not in failing
    quiet = await run_hook([sys.executable, "-c", "import sys; sys.exit(1)"], {}, timeout=30)
    assert quiet is not None and quiet.endswith("exited with status 1")


async def test_a_command_that_hangs_is_stopped_after_the_timeout() -> None:
    problem = await run_hook([sys.executable, "-c", "import time; time.sleep(60)"], {}, timeout=1.5)
    assert problem is not None and "took longer than 1.5 s and was stopped" in problem


async def test_a_command_that_ignores_its_stdin_is_judged_by_its_status() -> None:
    assert await run_hook([sys.executable, "-c", "pass"], {"big": "x" * 1_000_000}, timeout=30) is None


def test_alert_json_is_one_ascii_line() -> None:
    assert alert_json({"b": "é\n", "a": 1}) == b'{"a": 1, "b": "\\u00e9\\n"}\n'
