"""The config file's `[alerts]` section: when traffic alerts, and what an alert, a payment or a goal does.

    [alerts]
    factor = 2.0                # alert when the live count is 2x its usual level, or half of it
    sustain = 60                # ...for this many seconds of polls (0 to 3600)
    traffic = ["toast", "bell", "command"]   # what a traffic alert does
    payments = ["toast"]        # what a new payment does
    goals = []                  # what a completed goal does
    command = ["notify-send", "DataFast"]    # run with the alert as JSON on stdin

`command` is a list of arguments, or a string split like a shell would split it; it is run
directly, never through a shell, so nothing in an alert (page names, customer names) can
become a command. The older `[realtime]` settings still work: `bell_on_payment = true` adds
"bell" to payments, `notify_goals = true` adds "toast" to goals.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ACTIONS = ("toast", "bell", "command")
FACTOR_MIN, FACTOR_MAX = 1.2, 100.0
SUSTAIN_MAX = 3600.0
_KEYS = {"factor", "sustain", "traffic", "payments", "goals", "command"}


class AlertsConfigError(ValueError):
    """The `[alerts]` section is unusable; the message says which setting and why."""


@dataclass(frozen=True)
class AlertsConfig:
    factor: float = 2.0
    sustain: float = 60.0
    traffic: frozenset[str] = frozenset({"toast"})
    payments: frozenset[str] = frozenset({"toast"})
    goals: frozenset[str] = frozenset()
    command: tuple[str, ...] = field(default=())

    def actions(self, kind: str) -> frozenset[str]:
        """What an alert of `kind` (traffic, payments, goals) does."""
        return {"traffic": self.traffic, "payments": self.payments, "goals": self.goals}[kind]

    def describe(self) -> str:
        """"×2 for 60 s" (the Realtime screen's alert panel title)."""
        return f"traffic ×{self.factor:g} for {self.sustain:g} s"


def _number(section: Mapping[str, Any], name: str, low: float, high: float, default: float, where: str) -> float:
    if name not in section:
        return default
    value = section[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AlertsConfigError(f"{where} alerts.{name} should be a number")
    if not low <= value <= high:
        raise AlertsConfigError(f"{where} alerts.{name} is {value:g}; use {low:g} to {high:g}")
    return float(value)


def _actions(section: Mapping[str, Any], name: str, default: frozenset[str], where: str) -> frozenset[str]:
    if name not in section:
        return default
    value = section[name]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AlertsConfigError(f"{where} alerts.{name} should be a list such as [\"toast\", \"bell\"]")
    unknown = sorted(set(value) - set(ACTIONS))
    if unknown:
        raise AlertsConfigError(f"{where} alerts.{name} has unknown action(s) {', '.join(map(repr, unknown))}; "
                                f"known: {', '.join(ACTIONS)}")
    return frozenset(value)


def _command(section: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = section.get("command", [])
    if isinstance(value, str):
        try:
            value = shlex.split(value)
        except ValueError as exc:
            raise AlertsConfigError(f"{where} alerts.command cannot be split into arguments ({exc})") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AlertsConfigError(f"{where} alerts.command should be a list of arguments or a string")
    if value and not value[0].strip():
        raise AlertsConfigError(f"{where} alerts.command starts with an empty program name")
    if any("\0" in v for v in value):
        raise AlertsConfigError(f"{where} alerts.command holds a NUL character")
    return tuple(value)


def read_alerts(raw: Any, where: str, *, bell_on_payment: bool = False, notify_goals: bool = False) -> AlertsConfig:
    """The `[alerts]` section (`where` names the file in messages), with the older `[realtime]` switches."""
    if not isinstance(raw, dict):
        raise AlertsConfigError(f"{where} [alerts] should be a table")
    unknown = set(raw) - _KEYS
    if unknown:
        raise AlertsConfigError(f"{where} [alerts] has unknown setting(s) {', '.join(sorted(unknown))}; "
                                f"known: {', '.join(sorted(_KEYS))}")
    defaults = AlertsConfig()
    config = AlertsConfig(
        factor=_number(raw, "factor", FACTOR_MIN, FACTOR_MAX, defaults.factor, where),
        sustain=_number(raw, "sustain", 0, SUSTAIN_MAX, defaults.sustain, where),
        traffic=_actions(raw, "traffic", defaults.traffic, where),
        payments=_actions(raw, "payments", defaults.payments, where) | ({"bell"} if bell_on_payment else set()),
        goals=_actions(raw, "goals", defaults.goals, where) | ({"toast"} if notify_goals else set()),
        command=_command(raw, where),
    )
    for kind in ("traffic", "payments", "goals"):
        if "command" in config.actions(kind) and not config.command:
            raise AlertsConfigError(f"{where} alerts.{kind} lists \"command\" but alerts.command is not set")
    return config
