"""People screen (5): the search from the global query, pages, customers, open, export."""

from __future__ import annotations

import json
from pathlib import Path

from datafast_tui.api.filters import Filter
from datafast_tui.screens.people import PeopleScreen
from datafast_tui.screens.visitor import VisitorScreen
from tests.ui.conftest import SIZE, screen_text, settle


def people(app) -> PeopleScreen:
    screen = app.screen
    assert isinstance(screen, PeopleScreen), type(screen).__name__
    return screen


async def test_five_opens_people_and_enter_opens_the_visitor(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("5")
        await settle(pilot, app)
        screen = people(app)
        assert screen.state.loaded and len(screen.state.rows) == 250 and screen.state.has_more
        text = screen_text(app)
        assert "Last seen" in text and "more match" in text and "anyone (c)" in text
        first = screen.state.rows[0].visitor_id
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitorScreen) and app.screen.visitor_id == first


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001


async def finish(pilot, app) -> None:
    """Wait for the workers like `settle`, but keep the notifications to read them."""
    from tests.ui.conftest import wait_for_workers

    for _ in range(4):
        await wait_for_workers(app)
        await pilot.pause()


async def test_pricing_and_signup_in_seven_days_by_keys(make_app) -> None:
    """Who visited /pricing and signed up in the last 7 days: the filter dialog twice, then d 7."""
    app = make_app("--screen", "people")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"page", "enter", "enter", *"/pricing", "enter")
        await settle(pilot, app)
        await pilot.press("slash", *"goal", "enter", "enter", *"signup", "enter")
        await settle(pilot, app)
        await pilot.press("d", "7")
        await settle(pilot, app)
        screen = people(app)
        assert app.query.range.label() == "Last 7 days"
        params = screen.state.search.params()
        assert params["visitedPage"] == "/pricing" and params["completedGoal"] == "signup" and "startAt" in params
        assert screen.state.loaded and 0 < len(screen.state.rows) < 250
        # Every row is one the demo lists for exactly these parameters.
        page = await app.store.people(screen.state.search)
        assert [r.visitor_id for r in screen.state.rows] == [r.visitor_id for r in page.value.rows]
        assert "page is /pricing · goal is signup" in screen_text(app)


async def test_what_the_list_cannot_carry_is_named_and_goal_with_customers_is_not_sent(make_app) -> None:
    app = make_app("--screen", "people")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.add_filter(Filter("country", "is_not", ("United States",)))
        await settle(pilot, app)
        text = screen_text(app)
        assert "Not applied here" in text and "country is not United States (the list has no 'is not')" in text
        assert "country" not in people(app).state.search.params()
        await pilot.press("c")
        await settle(pilot, app)
        screen = people(app)
        assert screen.customer is True and screen.state.rows
        assert screen.state.search.params()["isCustomer"] == "true"
        sent = app.store.requests_sent
        app.add_filter(Filter("goal", "is", ("signup",)))
        await settle(pilot, app)
        assert "Not sent: a completed goal cannot be combined" in screen_text(app)
        assert app.store.requests_sent == sent and not screen.state.rows
        await pilot.press("c", "c")  # not customers, then anyone: sent again
        await settle(pilot, app)
        assert screen.customer is None and screen.state.rows and "Not sent" not in screen_text(app)


async def test_pages_follow_the_cursor_and_n(make_app, monkeypatch) -> None:
    monkeypatch.setattr(PeopleScreen, "page_size", 40)
    app = make_app("--screen", "people")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = people(app)
        assert len(screen.state.rows) == 40 and screen.table.row_count == 40
        await pilot.press("n")
        await settle(pilot, app)
        assert len(screen.state.rows) == 80 and screen.table.row_count == 80
        await pilot.press("G")  # the end of the table: the next page comes by itself
        await settle(pilot, app)
        assert len(screen.state.rows) >= 120
        ids = [r.visitor_id for r in screen.state.rows]
        assert len(set(ids)) == len(ids)  # no page twice


async def test_export_writes_every_person_with_the_search(make_app, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(PeopleScreen, "page_size", 100)
    app = make_app("--screen", "people", "--range", "7d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.add_filter(Filter("device", "is", ("tablet",)))
        await settle(pilot, app)
        screen = people(app)
        assert screen.state.has_more
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await finish(pilot, app)
        written = sorted(tmp_path.glob("datafast-people-*.csv"))
        assert len(written) == 1
        lines = written[0].read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("visitor_id,last_seen,current_url")
        side = json.loads(written[0].with_name(written[0].name + ".query.json").read_text(encoding="utf-8"))
        assert side["request_parameters"]["device"] == "tablet" and side["complete"] is True
        assert side["row_count"] == len(lines) - 1 == len(screen.state.rows) > 100
        assert all(",tablet," in line for line in lines[1:])
        assert any(f"Exported {len(lines) - 1:,} people" in m for m in notices(app))


async def test_a_burst_of_range_keys_settles_on_the_query_in_the_header(make_app) -> None:
    """Keys typed while the last search is still loading: what is shown is the last query's."""
    app = make_app("--screen", "people")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("d", "7", "d", "3", "c", "d", "9", "bracketleft", "c", "c", "c")
        await settle(pilot, app)
        screen = people(app)
        assert screen.state.search == screen.search_for(app.screen_context())
        assert screen.state.search.query == app.query and screen.customer is True  # four c: anyone → customers → not → anyone → customers
        direct = await app.store.people(screen.state.search)
        assert [r.visitor_id for r in screen.state.rows] == [r.visitor_id for r in direct.value.rows]
        assert app.query.range.label() in screen_text(app).split("\n")[1]


async def test_the_search_form_asks_pricing_and_signup_in_a_few_keys(make_app) -> None:
    """s, the page, Tab Tab, the goal, Enter: the same search as two filter dialogs."""
    app = make_app("--screen", "people", "--range", "7d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.add_filter(Filter("os", "is", ("iOS",)))  # a filter the form has no field for stays
        await settle(pilot, app)
        await pilot.press("s", *"/pricing", "tab", "tab", *"signup", "enter")
        await settle(pilot, app)
        screen = people(app)
        assert set(app.query.filters) == {Filter("os", "is", ("iOS",)), Filter("page", "is", ("/pricing",)),
                                          Filter("goal", "is", ("signup",))}
        assert screen.state.search.params()["completedGoal"] == "signup" and screen.state.loaded
        # Both page fields: said, nothing changes; an emptied field drops its filter.
        await pilot.press("s", "tab", *"/blog", "enter")
        await pilot.pause()
        assert "give one of them" in screen_text(app)
        await pilot.press(*("backspace",) * 5, "shift+tab", *("backspace",) * 8, "enter")
        await settle(pilot, app)
        assert app.query.filter_for("page") is None and app.query.filter_for("goal") is not None
