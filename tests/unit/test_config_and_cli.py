"""Config file, settings precedence (flags > env > file) and the command line's error handling."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from datafast_tui.cli import main, parse_settings
from datafast_tui.config import ConfigError, load_config

GOOD = """
default_site = "shop"

[defaults]
range = "7d"
timezone = "Europe/Paris"
refresh = 30
theme = "nord"

[sites.shop]
api_key_env = "SHOP_KEY"

[sites.blog]
api_key = "df_blog_key"
base_url = "https://blog.example/api/v1/"
"""


def write(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def settings(tmp_path: Path, argv: list[str], env: dict[str, str], text: str = GOOD):
    path = write(tmp_path, text)
    return parse_settings([*argv, "--config", str(path)], env)


def test_file_defaults_and_default_site(tmp_path: Path) -> None:
    s = settings(tmp_path, [], {"SHOP_KEY": "df_shop"})
    assert s.range == "last_7_days" and s.timezone == "Europe/Paris" and s.refresh == 30 and s.theme == "nord"
    assert s.connection.profile == "shop" and s.connection.api_key == "df_shop" and not s.connection.demo


def test_flags_beat_environment_beat_file(tmp_path: Path) -> None:
    env = {"SHOP_KEY": "df_shop", "DATAFAST_API_KEY": "df_env", "DATAFAST_BASE_URL": "https://env.example/api/"}
    s = settings(tmp_path, [], env)
    assert s.connection.api_key == "df_env"  # env key beats the default profile's key
    assert s.connection.base_url == "https://env.example/api/"
    s = settings(tmp_path, ["--api-key", "df_flag", "--base-url", "https://flag.example/api/",
                            "--range", "today", "--timezone", "UTC", "--refresh", "10"], env)
    assert s.connection.api_key == "df_flag" and s.connection.base_url == "https://flag.example/api/"
    assert s.range == "today" and s.timezone == "UTC" and s.refresh == 10


def test_site_flag_means_that_site(tmp_path: Path) -> None:
    s = settings(tmp_path, ["--site", "blog"], {"DATAFAST_API_KEY": "df_env"})
    assert s.connection.profile == "blog" and s.connection.api_key == "df_blog_key"
    assert s.connection.base_url == "https://blog.example/api/v1/"
    s = settings(tmp_path, [], {"DATAFAST_SITE": "blog"})
    assert s.connection.profile == "blog"


def test_no_key_anywhere_means_demo(tmp_path: Path) -> None:
    s = parse_settings(["--config", str(tmp_path / "missing.toml")], {})
    assert s.connection.demo and s.connection.api_key is None
    s = settings(tmp_path, ["--demo"], {"SHOP_KEY": "df_shop"})
    assert s.connection.demo


def test_visitor_flag_opens_the_visitor_screen(tmp_path: Path) -> None:
    s = parse_settings(["--config", str(tmp_path / "none.toml"), "--visitor", "abc"], {})
    assert s.screen == "visitor" and s.visitor == "abc"


@pytest.mark.parametrize(("argv", "env", "text", "message"), [
    (["--site", "nope"], {}, GOOD, "unknown site profile 'nope'"),
    ([], {}, GOOD, r"reads its API key from \$SHOP_KEY, which is not set"),
    (["--range", "fortnight"], {"SHOP_KEY": "k"}, GOOD, "unknown date range 'fortnight'"),
    (["--timezone", "Mars/Base"], {"SHOP_KEY": "k"}, GOOD, "unknown timezone 'Mars/Base'"),
    (["--refresh", "0.5"], {"SHOP_KEY": "k"}, GOOD, "--refresh is 0.5 seconds"),
    (["--base-url", "http://datafa.st/api/v1/"], {"SHOP_KEY": "k"}, GOOD, "plain http"),
    ([], {}, "[sites.a\n", "not valid TOML"),
    ([], {}, "colour = 1\n", "unknown setting"),
    ([], {}, "[defaults]\nrefresh = 'soon'\n", "defaults.refresh should be a number"),
    ([], {}, "[defaults]\nrange = 'someday'\n", "unknown date range"),
    ([], {}, "default_site = 'x'\n", "no \\[sites.x\\] section"),
    ([], {}, "[sites.a]\napi_token = 'x'\n", "unknown setting"),
    (["--api-key", ""], {}, GOOD, "--api-key is empty"),  # once: the demo, silently
    (["--api-key", "  "], {}, GOOD, "--api-key is empty"),
])
def test_bad_settings_give_one_clear_message(tmp_path: Path, argv, env, text, message) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, argv, env, text)


def test_world_readable_key_warns(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("permissions are POSIX")
    path = write(tmp_path, GOOD, mode=0o644)
    config = load_config(path)
    assert config.warnings and "chmod 600" in config.warnings[0]
    path.chmod(0o600)
    assert load_config(path).warnings == ()


def test_a_key_on_the_command_line_is_warned_about(tmp_path: Path) -> None:
    s = settings(tmp_path, ["--api-key", "df_SECRET_flag"], {"SHOP_KEY": "df_shop"})
    assert any("visible to other users" in w and "DATAFAST_API_KEY" in w for w in s.warnings)
    assert not any("df_SECRET_flag" in w for w in s.warnings)
    assert not any("visible to other users" in w for w in settings(tmp_path, [], {"SHOP_KEY": "k"}).warnings)


def test_key_never_in_settings_repr(tmp_path: Path) -> None:
    s = settings(tmp_path, ["--api-key", "df_SECRET_flag"], {"SHOP_KEY": "df_shop"})
    assert "df_SECRET_flag" not in repr(s) and "df_blog_key" not in repr(s)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "datafast_tui", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.startswith("datafast-tui ")
    help_text = run_cli("--help").stdout
    for flag in ("--api-key", "--base-url", "--site", "--demo", "--timezone", "--range", "--refresh",
                 "--screen", "--version", "DATAFAST_API_KEY"):
        assert flag in help_text


@pytest.mark.parametrize("args", [["--bogus"], ["--screen", "nowhere"], ["--refresh", "soon"],
                                  ["--range", "fortnight"]])
def test_bad_flags_exit_nonzero_with_one_line(args: list[str], tmp_path: Path) -> None:
    result = run_cli(*args, "--config", str(tmp_path / "none.toml"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("datafast-tui: ") and "Traceback" not in result.stderr


def test_broken_config_file_exits_nonzero_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "[[[ not toml")
    assert main(["--config", str(path)]) == 2
    result = run_cli("--config", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "not valid TOML" in result.stderr


def test_demo_robustness_flags(tmp_path: Path) -> None:
    from datafast_tui.store_factory import demo_options

    s = parse_settings(["--config", str(tmp_path / "none.toml"), "--demo", "--faults", "0.2", "--hostile"], {})
    options = demo_options(s)
    assert options.hostile and options.faults is not None and options.faults.rate == 0.2
    assert demo_options(parse_settings(["--config", str(tmp_path / "none.toml")], {})).faults is None
    with pytest.raises(ConfigError, match="between 0 and 1"):
        parse_settings(["--config", str(tmp_path / "none.toml"), "--demo", "--faults", "3"], {})
    with pytest.raises(ConfigError, match="add --demo"):
        parse_settings(["--config", str(tmp_path / "none.toml"), "--api-key", "k", "--hostile"], {})


def test_the_demo_preload_can_wait_for_the_kept_numbers(tmp_path) -> None:
    """cli.main starts the dataset's thread only after the kept numbers had a head start."""
    from datafast_tui.store_factory import DemoOptions, DemoPreload

    preload = DemoPreload(DemoOptions(cache_dir=tmp_path / "never"), start=False)
    assert not preload.started and not (tmp_path / "never").exists()
    future = preload.take()
    assert future is not None and not future.done()
