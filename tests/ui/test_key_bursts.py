"""Keys that arrive together (a fast typist, keys batched over SSH or tmux) are typed where the focus went.

Textual routes each key to the widget focused when it arrives, so the letters after `/`
used to reach the table before the search box or the filter dialog had the focus: lost,
or worse run as commands (`r` refresh, `c` compare). The terminal driver posts keys to the
app one by one without waiting; `burst` does the same.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from datafast_tui.dialogs.filter import FilterDialog
from tests.ui.conftest import SIZE, settle

NAMES = {"/": "slash", " ": "space"}


def burst(app, text: str) -> None:
    for ch in text:
        app.post_message(events.Key(NAMES.get(ch, ch), ch))


async def test_search_typed_in_one_burst_with_its_slash(make_app) -> None:
    app = make_app("--screen", "breakdowns")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        requests = app.store.client.requests_sent
        burst(app, "/pricing")
        await settle(pilot, app)
        assert app.screen.query_one("#search", Input).value == "pricing"
        assert app.query.compare is False  # no `c` ran as a command
        assert app.store.client.requests_sent == requests  # no `r` refresh either
        assert app.screen.state.view and all("pric" in r.labels.get("path", "") for r in app.screen.state.view)


async def test_filter_dialog_gets_the_keys_typed_with_its_slash(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        burst(app, "/coun")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)
        assert app.screen.focused is not None and app.screen.focused.value.startswith("coun")
        assert app.query.compare is False


async def test_tab_in_a_burst_moves_on_before_the_next_keys(make_app) -> None:
    # `x`, then goal name, Tab, from, Tab, to, typed in one go: each part in its own field.
    # (Tab ran as the app's binding once it had bubbled up, after the keys behind it had
    # gone into the field it was leaving.)
    app = make_app("--screen", "visitor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        send(app, "x", *"signup", "tab", *"2026-11-01", "tab", *"2026-11-02", "shift+tab", "shift+tab", "z")
        for _ in range(6):
            await pilot.pause()
        values = {field.id: field.value for field in app.screen.query(Input)}
        # shift+tab back into a field selects it (as in any form): the z replaces "signup".
        assert values == {"f-visitor": "", "f-name": "z", "f-start": "2026-11-01", "f-end": "2026-11-02"}


def send(app, *keys: str) -> None:
    """Named keys (tab, shift+tab) and characters, posted at once."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else ("\t" if key == "tab" else None)))
