"""The app's commands in the palette (ctrl+p): every action it has a key for, and a few more.

Kept apart from app.py, which is long enough; `commands(app, screen)` is what
DataFastApp.get_system_commands adds to Textual's own. Titles are parsed as markup by the
palette, so names from the config file or the API go through escape_markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen

from datafast_tui.api.dates import PRESETS
from datafast_tui.safe_text import escape_markup
from datafast_tui.screens import SCREENS


def commands(app: Any, screen: Screen) -> Iterable[SystemCommand]:
    """`app` is the DataFastApp (not imported: app.py imports this module); some commands run its
    own underscored actions, as its key bindings do."""
    for entry in SCREENS:
        yield SystemCommand(f"Go to {entry.title}", f"Switch to the {entry.title} screen",
                            lambda m=entry.name: app.action_mode(m))
    for preset in PRESETS:
        yield SystemCommand(f"Range: {preset.label}", f"Show {preset.label.lower()} (key {preset.key} in the"
                            " range menu)", lambda p=preset.name: app._apply_range_choice(p))
    yield SystemCommand("Range: custom…", "Open the range menu to type dates", app.action_date_menu)
    yield SystemCommand("Previous period", "Step the range back ([)", lambda: app.action_step(-1))
    yield SystemCommand("Next period", "Step the range forward (])", lambda: app.action_step(1))
    yield SystemCommand("Add filter", "Filter every screen by a dimension (/)", app.action_add_filter)
    for f in app.query.filters:
        # The palette parses titles as markup: a filter value from the API must stay text.
        yield SystemCommand(f"Remove filter: {escape_markup(f.describe())}", "Drop this filter",
                            lambda d=f.dimension: app.remove_filter(d))
    if app.query.filters:
        yield SystemCommand("Clear filters", "Remove every filter", app.action_clear_filters)
    yield SystemCommand("Toggle compare", "Compare with the previous period on/off (c)",
                        app.action_toggle_compare)
    yield SystemCommand("Refresh now", "Reload the screen, bypassing the cache (r)", app.action_refresh)
    yield from app.view_commands()
    focused = screen.focused
    if focused is not None and hasattr(focused, "action_copy"):  # a table: its highlighted row or cell
        yield SystemCommand("Copy highlighted row", "To the clipboard, also over SSH (y)", focused.action_copy)
    yield SystemCommand("Switch site…", "Pick a site profile or the demo (w)", app.action_switch_site)
    for name in sorted(app.settings.config.profiles):
        yield SystemCommand(f"Switch site: {escape_markup(name)}", "Use this profile from the config file",
                            lambda n=name: app.switch_site(n))
    yield SystemCommand("Switch site: demo", "Use the embedded demo API", lambda: app.switch_site("demo"))
    yield SystemCommand("Use another API key…", "Type or paste a key for this session (w, then the last line)",
                        app._use_another_key)
    for entry in SCREENS:
        for command in entry.commands:
            yield SystemCommand(command.title, command.help,
                                lambda e=entry, a=command.action: app._run_on_screen(e, a))
    yield SystemCommand("Help: keys", "Every key of this screen (?)", app.action_help)
