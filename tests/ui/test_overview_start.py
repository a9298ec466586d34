"""Starting in demo mode: the header, the KPIs and the requests the Overview makes."""

from __future__ import annotations

from datafast_tui.api.query import Query
from tests.ui.conftest import SIZE, screen_text, settle


async def test_starts_on_demo_and_says_so(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert app.demo and "DEMO DATA" in text
        assert app.site is not None and app.site.name in text
        assert "Last 30 days" in text
        overview = (await app.store.overview(app.query)).value
        assert f"{overview.visitors:,}" in text
        assert f"{overview.sessions:,}" in text
        assert app.current_mode == "overview"


async def test_overview_requests_go_out_together_and_are_cached(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first = app.store.requests_sent
        # metadata, realtime, overview, timeseries, three top tables, six trend overviews
        assert 8 <= first <= 14
        await pilot.press("2")  # the Breakdowns screen loads its first tab
        await settle(pilot, app)
        visited = app.store.requests_sent
        assert visited > first
        for key in ("1", "2", "1"):  # back and forth within the TTL: nothing is sent
            await pilot.press(key)
            await settle(pilot, app)
        assert app.store.requests_sent == visited


async def test_every_kpi_shows_a_value_and_a_trend(make_app) -> None:
    from textual.widgets import Sparkline

    from datafast_tui.widgets.kpi import KpiCard

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        cards = list(app.screen.query(KpiCard))
        assert len(cards) == 7
        for card in cards:
            assert str(card.query_one(".value").render()) not in ("", "…", "–"), card.metric
            assert len(card.query_one(Sparkline).data) >= 2, card.metric


async def test_screen_argument_opens_that_screen(make_app) -> None:
    app = make_app("--screen", "realtime")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.current_mode == "realtime"
        assert "Realtime shows the last 5–10 minutes" in screen_text(app)
        assert isinstance(app.query, Query)
