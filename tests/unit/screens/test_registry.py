"""The screen registry is the one place a screen is declared: the app, the CLI and settings follow it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding

from datafast_tui.app import DataFastApp
from datafast_tui.cli import build_parser
from datafast_tui.config import ConfigError, ConfigFile
from datafast_tui.screens import SCREEN_NAMES, SCREENS, screen_entry
from datafast_tui.screens.base import DataScreen
from datafast_tui.settings import resolve


def test_every_entry_names_a_screen_class_built_with_its_entry() -> None:
    assert len({e.key for e in SCREENS}) == len({e.name for e in SCREENS}) == len(SCREENS)
    for entry in SCREENS:
        cls = entry.screen_class()
        assert isinstance(cls, type) and issubclass(cls, DataScreen), entry.name
        assert entry.title and entry.tooltip and entry.key.isdigit()


def test_capabilities_are_the_entries_typed_fields() -> None:
    assert [e.name for e in SCREENS if e.owns_live_count] == ["realtime"]
    assert [e.name for e in SCREENS if not e.uses_query] == ["realtime", "visitor", "sites"]
    assert [e.name for e in SCREENS if not e.compares] == ["people", "sites"]
    assert {c.action for c in screen_entry("realtime").commands} == {"alert_log"}
    assert {c.action for c in screen_entry("visitor").commands} == {
        "lookup", "new_goal", "new_payment", "delete_goals", "delete_payments"}
    assert {c.action for c in screen_entry("people").commands} == {"search_form", "cycle_customer", "export"}
    for entry in SCREENS:
        for command in entry.commands:
            assert callable(getattr(entry.screen_class(), f"action_{command.action}")), command


def test_the_app_builds_its_modes_and_keys_from_the_registry() -> None:
    assert list(DataFastApp.MODES) == list(SCREEN_NAMES)
    bindings = {b.key: b for b in DataFastApp.BINDINGS if isinstance(b, Binding)}
    for entry in SCREENS:
        binding = bindings[entry.key]
        assert binding.action == f"mode('{entry.name}')" and binding.tooltip == entry.tooltip


def test_the_command_line_offers_exactly_the_registered_screens() -> None:
    screen_flag = next(a for a in build_parser()._actions if a.dest == "screen")  # noqa: SLF001
    assert tuple(screen_flag.choices) == SCREEN_NAMES
    assert resolve({"screen": "realtime"}, {}, ConfigFile(Path("none.toml"))).screen == "realtime"
    with pytest.raises(ConfigError, match="use one of overview, breakdowns, realtime, visitor, people"):
        resolve({"screen": "nowhere"}, {}, ConfigFile(Path("none.toml")))
