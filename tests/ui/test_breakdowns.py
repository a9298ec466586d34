"""The Breakdowns screen on the demo: tabs load when shown, sorting, paging, quick search."""

from __future__ import annotations

import asyncio

from textual import events

from datafast_tui.api.models import BreakdownRow
from datafast_tui.data.breakdown_rows import API_ORDER, SortOrder
from datafast_tui.dialogs.filter import FilterDialog
from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.widgets.breakdown_table import BreakdownTable
from tests.ui.breakdowns_support import (  # noqa: F401 - recorded is a fixture
    TAB_KEYS,
    labels,
    recorded,
    screen,
    show_tab,
    table,
)
from tests.ui.conftest import SIZE, SMALL, screen_text, settle


async def test_each_tab_loads_when_shown_and_only_then(recorded) -> None:
    app, log = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert log.breakdowns() == [("pages", "0")]
        text = screen_text(app)
        assert "Pages 45" in text and "45 of 45 rows" in text and "/pricing" in text
        for endpoint in list(TAB_KEYS)[1:]:
            await pilot.press("l")
            await settle(pilot, app)
            state = screen(app).state
            assert state.endpoint == endpoint and state.rows is not None and state.view
            assert f"{state.tab.title} {state.rows.shown_total:,}" in screen_text(app)
        assert [e for e, _ in log.breakdowns()] == list(TAB_KEYS)
        await pilot.press("tab")
        await settle(pilot, app)
        assert screen(app).endpoint == "pages" and len(log.breakdowns()) == 11  # from the cache
        await pilot.press("shift+tab", "h")
        assert screen(app).endpoint == "devices"


async def test_goals_and_countries_columns(recorded) -> None:
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "goals")
        header = screen_text(app).splitlines()[5]
        assert "Goal" in header and "Completions" in header and "Visitors ▼" in header and "Share" in header
        assert "Revenue" not in header
        await pilot.press("l")
        await settle(pilot, app)
        text = screen_text(app)
        assert "🇺🇸 United States of America" in text and "$" in text and "Rev/visitor" in text


def revenue(row: BreakdownRow) -> float:
    return row.metrics.get("revenue", 0.0)


async def test_sort_by_each_kind_of_column_and_reverse(recorded) -> None:
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "countries")
        api_order = labels(app, "country")
        await pilot.press("s")  # share: the API's order still
        await settle(pilot, app)
        assert labels(app, "country") == api_order and "Share ▼" in screen_text(app)
        await pilot.press("s")  # money
        await settle(pilot, app)
        view = screen(app).state.view
        assert [revenue(r) for r in view] == sorted((revenue(r) for r in view), reverse=True)
        assert "Revenue ▼" in screen_text(app) and "sorted by Revenue ▼" in screen_text(app)
        await pilot.press("S")
        await settle(pilot, app)
        assert [revenue(r) for r in screen(app).state.view] == sorted(revenue(r) for r in view)
        assert "Revenue ▲" in screen_text(app)
        await pilot.press("s", "s", "s")  # past revenue per visitor and payments, to the country names
        await settle(pilot, app)
        names = labels(app, "country")
        assert names == sorted(names, key=str.casefold) and "Country ▲" in screen_text(app)
        await pilot.press("S")
        assert labels(app, "country") == sorted(names, key=str.casefold, reverse=True)
        # a click on a header sorts by it; a second click reverses
        header = screen_text(app).splitlines()[5]
        x = header.index("Visitors") - table(app).region.x + 1
        await pilot.click(BreakdownTable, offset=(x, 0))
        await settle(pilot, app)
        assert labels(app, "country") == api_order and "Visitors ▼" in screen_text(app)
        await pilot.click(BreakdownTable, offset=(x, 0))
        await settle(pilot, app)
        assert screen(app).state.order.column == "visitors" and not screen(app).state.order.descending
        assert labels(app, "country")[-1] == api_order[0]


async def test_paging_to_the_end_of_cities(recorded, monkeypatch) -> None:
    monkeypatch.setattr(BreakdownsScreen, "page_size", 100)
    app, log = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "cities")
        assert "100 of 530 rows" in screen_text(app) and "Cities 530" in screen_text(app)
        assert "n or ↓ at the end loads more" in screen_text(app)
        await pilot.press("G")  # the cursor at the last row asks for the next page
        await settle(pilot, app)
        assert "200 of 530 rows" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, app)
        assert "300 of 530 rows" in screen_text(app)
        cursor = table(app).cursor_row
        await pilot.press("r")  # a refresh fetches the 300 rows again: the cursor stays put
        await settle(pilot, app)
        assert "300 of 530 rows" in screen_text(app) and table(app).cursor_row == cursor == 99
        for _ in range(4):
            await pilot.press("G")
            await settle(pilot, app)
        assert "530 of 530 rows" in screen_text(app) and "loads more" not in screen_text(app)
        assert table(app).cursor_row == len(screen(app).state.view) - 1
        offsets = [int(o) for e, o in log.breakdowns() if e == "cities"]
        assert offsets == [0, 100, 200, 0, 100, 200, 300, 400, 500]  # with the refresh's three
        await pilot.press("n")
        assert any("Every row is loaded" in n.message for n in app._notifications)  # noqa: SLF001


async def test_sorting_a_partial_table_fetches_every_row_with_progress(recorded, monkeypatch) -> None:
    monkeypatch.setattr(BreakdownsScreen, "page_size", 100)
    app, log = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "cities")
        log.hold = asyncio.Event()
        await pilot.press("s", "s")  # share (the API's order), then revenue: needs every row
        await pilot.pause()
        text = screen_text(app)
        assert "sorted by Revenue ▼ (the loaded rows; fetching the rest)" in text and "100 of 530 rows" in text
        assert screen(app).query_one("#progress").display
        loaded = screen(app).state.view
        assert [revenue(r) for r in loaded] == sorted((revenue(r) for r in loaded), reverse=True)
        log.hold.set()
        await settle(pilot, app)
        state = screen(app).state
        assert state.rows.complete and len(state.view) == 530 and "530 of 530 rows" in screen_text(app)
        assert [revenue(r) for r in state.view] == sorted((revenue(r) for r in state.rows.rows), reverse=True)
        assert not screen(app).query_one("#progress").display


async def test_quick_search_is_not_the_global_filter(recorded) -> None:
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "cities")
        await pilot.press("slash", *"SAN")
        await settle(pilot, app)
        found = labels(app, "city")
        assert found and all("san" in city.casefold() for city in found)
        assert f"{len(found)} of 530 rows match “SAN”" in screen_text(app)
        assert not app.query.filters and not isinstance(app.screen, FilterDialog)
        await pilot.press("1", "q")  # typed into the search, not keys of the app
        assert app.is_running and screen(app).state.search == "SAN1q"
        await pilot.press("backspace", "backspace", "enter")
        assert table(app).has_focus and screen(app).state.search == "SAN"
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(screen(app).state.view) == 530 and not screen(app).query_one("#search-bar").display
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)
        assert app.screen.query_one("#dimension").value == "city"


async def test_small_terminal_keeps_numbers_in_view(recorded) -> None:
    app, _ = recorded()
    async with app.run_test(size=SMALL) as pilot:
        await show_tab(pilot, app, "campaigns")
        header = screen_text(app).splitlines()[5]
        assert "Campaign" in header and "Visitors ▼" in header and "Rev/visitor" in header
        assert "ref producthunt" in screen_text(app)  # the summary: every row reads at a glance
        await pilot.press(*["right"] * 9)  # the summary, then the eight parts to `via`
        await pilot.pause()
        header = screen_text(app).splitlines()[5]
        assert "Campaign" not in header and "via" in header and "Visitors ▼" in header  # numbers stay


async def test_keys_typed_in_a_burst_apply_to_the_tab_they_follow(recorded) -> None:
    app, log = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key in ("l", "l", "l", "l", "s", "s"):  # all queued before the first is handled
            app.post_message(events.Key(key, key))
        await settle(pilot, app)
        state = screen(app).state
        assert state.endpoint == "countries" and state.order == SortOrder("revenue", True)
        assert state.view and screen(app).states["pages"].order == API_ORDER
        assert log.breakdowns()[-1] == ("countries", "0")  # the tabs passed on the way were cancelled
