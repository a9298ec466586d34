"""b saves what is on screen; ' and a letter (or the palette) bring it back, from any screen."""

from __future__ import annotations

from pathlib import Path

from datafast_tui.config import load_config
from datafast_tui.dialogs.views import SaveViewDialog, ViewPicker
from datafast_tui.screens.breakdowns import BreakdownsScreen
from tests.ui.conftest import SIZE, screen_text, settle, wait_until
from tests.ui.query_on_screen import burst


async def test_save_then_recall_a_view_with_its_letter(make_app, tmp_path: Path) -> None:
    app = make_app("--range", "last_7_days", "--filter", "device is desktop", "--screen", "breakdowns")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("l", "l", "l", "c")  # Goals, compared
        await settle(pilot, app)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveViewDialog), "the save dialog")
        assert "breakdowns · goals" in screen_text(app) and "device is desktop" in screen_text(app)
        await pilot.press(*"desk goals", "enter", "g", "enter")
        await settle(pilot, app)
        saved = load_config(app.settings.config.path).views_of("demo")["desk goals"]
        assert (saved.key, saved.preset, saved.filters, saved.compare, saved.screen, saved.tab) == (
            "g", "last_7_days", ("device is desktop",), True, "breakdowns", "goals")

        await pilot.press("1", "0", "c", "d", "a")  # elsewhere: no filter, no compare, all time
        await settle(pilot, app)
        assert not app.query.filters and app.query.range.is_all_time
        await pilot.press("apostrophe")
        await wait_until(pilot, lambda: isinstance(app.screen, ViewPicker), "the view picker")
        assert "desk goals" in screen_text(app)
        await pilot.press("g")
        await settle(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.screen, BreakdownsScreen) and app.screen.endpoint == "goals",
                         "the goals tab")
        assert app.query.range.preset == "last_7_days" and app.query.compare
        assert [f.describe() for f in app.query.filters] == ["device is desktop"]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "View: desk goals (' g)" in titles and "Save view…" in titles


async def test_a_name_that_cannot_be_saved_says_why_and_the_dialog_stays(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveViewDialog), "the save dialog")
        await pilot.press("-", "x", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveViewDialog) and "a view's name is 1 to 40 letters" in screen_text(app)
        await pilot.press("escape")
        assert not load_config(app.settings.config.path).views


async def test_a_burst_of_name_enter_letter_enter_saves_the_view(make_app) -> None:
    """Typed at once (tmux send-keys): the letter after the first Enter is the key, not the name's."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        burst(app, "b", *"ref wk", "enter", "r", "enter")
        await settle(pilot, app)
        view = load_config(app.settings.config.path).views_of("demo")["ref wk"]
        assert view.key == "r" and not isinstance(app.screen, SaveViewDialog)
