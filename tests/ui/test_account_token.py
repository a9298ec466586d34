"""An account token (dft_…) against the demo: it says why it needs a website, `w` lists the
account's websites, and picking one shows that site's data (issue 15)."""

from __future__ import annotations

from datafast_tui.dialogs.site_picker import DEMO_ACCOUNT_CHOICE, SitePicker
from datafast_tui.screens.overview import OverviewScreen
from tests.ui.conftest import SIZE, screen_text, settle, wait_until


async def test_an_account_token_asks_for_a_website_and_w_lists_the_accounts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        website_key_visitors = app.screen.data.overview.value.visitors
        app.switch_site(DEMO_ACCOUNT_CHOICE)
        await settle(pilot, app)
        text = screen_text(app)
        assert "account token" in text and "Press w" in text, text
        assert app.store is not None and app.store.client.requests_sent == 0  # said before sending anything
        # The same query on another site: nothing of the last site's stays on screen, trends included.
        kpi_lines = text.splitlines()[5:9]
        assert not any(ch in line for line in kpi_lines for ch in "▁▂▃▄▅▆▇█"), "\n".join(kpi_lines)
        assert "needs a website (w)" in text.splitlines()[0]
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, SitePicker), "the site picker")
        picker = app.screen
        assert picker.websites and "this account" in screen_text(app)
        await pilot.press("enter")  # the account's first website is the first option
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen)
        assert app.connection.website_id == picker.websites[0].id and app.connection.demo_account
        assert "account token" not in screen_text(app)
        assert app.screen.data.overview.value.visitors == website_key_visitors  # the same site, by its id
        sent = app.store.client
        assert sent.website_id == picker.websites[0].id
