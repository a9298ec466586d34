"""The `[realtime]` config section: interval, bell on payment, goal toasts; bad values named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from datafast_tui.config import ConfigError, RealtimeConfig, load_config


def load(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return load_config(path)


def test_defaults_when_the_section_is_missing(tmp_path: Path) -> None:
    config = load(tmp_path, "[defaults]\nrange = '7d'\n")
    assert config.realtime == RealtimeConfig(interval=5.0, bell_on_payment=False, notify_goals=False)
    assert load_config(tmp_path / "missing.toml").realtime == RealtimeConfig()


def test_values_are_read(tmp_path: Path) -> None:
    config = load(tmp_path, "[realtime]\ninterval = 30\nbell_on_payment = true\nnotify_goals = true\n")
    assert config.realtime == RealtimeConfig(interval=30.0, bell_on_payment=True, notify_goals=True)
    assert load(tmp_path, "[realtime]\ninterval = 2.5\n").realtime.interval == 2.5


@pytest.mark.parametrize(("text", "message"), [
    ("[realtime]\ninterval = 1\n", r"realtime.interval: the interval is 1 seconds; use 2 to 300"),
    ("[realtime]\ninterval = 600\n", r"use 2 to 300"),
    ("[realtime]\ninterval = 'fast'\n", r"realtime.interval should be a number"),
    ("[realtime]\nbell_on_payment = 'yes'\n", r"realtime.bell_on_payment should be true or false"),
    ("[realtime]\nnotify_goals = 1\n", r"realtime.notify_goals should be true or false"),
    ("[realtime]\nbell = true\n", r"\[realtime\] has unknown setting\(s\) bell; known: bell_on_payment"),
    ("realtime = 5\n", r"\[realtime\] should be a table"),
])
def test_bad_values_give_one_clear_message(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, text)


def test_the_realtime_screen_takes_the_configured_interval(tmp_path: Path) -> None:
    from datafast_tui.cli import parse_settings

    path = tmp_path / "config.toml"
    path.write_text("[realtime]\ninterval = 15\nbell_on_payment = true\n", encoding="utf-8")
    settings = parse_settings(["--demo", "--config", str(path)], {})
    assert settings.config.realtime.interval == 15 and settings.config.realtime.bell_on_payment
