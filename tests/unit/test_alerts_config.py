"""The `[alerts]` section: defaults, the older `[realtime]` switches, and bad values named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from datafast_tui.alerts_config import AlertsConfig
from datafast_tui.config import ConfigError
from tests.unit.test_realtime_config import load


def test_defaults_toast_traffic_alerts_and_payments_and_say_nothing_of_goals(tmp_path: Path) -> None:
    alerts = load(tmp_path, "").alerts
    assert alerts == AlertsConfig()
    assert alerts.factor == 2 and alerts.sustain == 60 and alerts.command == ()
    assert alerts.actions("traffic") == {"toast"} and alerts.actions("payments") == {"toast"}
    assert alerts.actions("goals") == set()


def test_every_setting_and_a_command_as_a_string_split_without_a_shell(tmp_path: Path) -> None:
    alerts = load(tmp_path, '[alerts]\nfactor = 3\nsustain = 0\ntraffic = ["bell", "command"]\n'
                            'payments = []\ngoals = ["toast"]\n'
                            'command = "notify-send \'DataFast alert\' --urgency=low"\n').alerts
    assert alerts.factor == 3.0 and alerts.sustain == 0
    assert alerts.traffic == {"bell", "command"} and alerts.payments == set() and alerts.goals == {"toast"}
    assert alerts.command == ("notify-send", "DataFast alert", "--urgency=low")
    assert load(tmp_path, '[alerts]\ncommand = ["a b", "$(rm -rf /)"]\n').alerts.command == ("a b", "$(rm -rf /)")


def test_the_older_realtime_switches_add_to_what_payments_and_goals_do(tmp_path: Path) -> None:
    alerts = load(tmp_path, "[realtime]\nbell_on_payment = true\nnotify_goals = true\n").alerts
    assert alerts.payments == {"toast", "bell"} and alerts.goals == {"toast"}
    alerts = load(tmp_path, '[realtime]\nbell_on_payment = true\n[alerts]\npayments = []\n').alerts
    assert alerts.payments == {"bell"}


@pytest.mark.parametrize(("text", "message"), [
    ("[alerts]\nfactor = 1\n", r"alerts.factor is 1; use 1.2 to 100"),
    ("[alerts]\nfactor = 'big'\n", r"alerts.factor should be a number"),
    ("[alerts]\nfactor = nan\n", r"alerts.factor should be a number"),
    ("[alerts]\nfactor = true\n", r"alerts.factor should be a number"),
    ("[alerts]\nsustain = -1\n", r"alerts.sustain is -1; use 0 to 3600"),
    ("[alerts]\nsustain = 1e30\n", r"alerts.sustain is 1e\+30; use 0 to 3600"),
    ("[alerts]\ntraffic = 'toast'\n", r"alerts.traffic should be a list such as"),
    ("[alerts]\ngoals = ['toast', 'email']\n", r"alerts.goals has unknown action\(s\) 'email'; known: toast, bell"),
    ("[alerts]\ntraffic = ['command']\n", r'alerts.traffic lists "command" but alerts.command is not set'),
    ("[alerts]\ncommand = 'say \"unclosed'\n", r"alerts.command cannot be split into arguments"),
    ("[alerts]\ncommand = 42\n", r"alerts.command should be a list of arguments or a string"),
    ("[alerts]\ncommand = ['', 'x']\n", r"alerts.command starts with an empty program name"),
    ("[alerts]\nbell = true\n", r"\[alerts\] has unknown setting\(s\) bell; known: command, factor"),
    ("alerts = 3\n", r"\[alerts\] should be a table"),
])
def test_bad_values_name_the_setting(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load(tmp_path, text)
    assert str(tmp_path) in str(caught.value) and "\n" not in str(caught.value)
