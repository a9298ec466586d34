"""Funnels screen (6): the demo site's funnels, step bars, compare, People of a step, o by id."""

from __future__ import annotations

from datafast_tui.api.filters import Filter
from datafast_tui.screens.funnels import FunnelsScreen
from datafast_tui.screens.people import PeopleScreen
from tests.ui.conftest import SIZE, screen_text, settle


def funnels(app) -> FunnelsScreen:
    screen = app.screen
    assert isinstance(screen, FunnelsScreen), type(screen).__name__
    return screen


async def test_six_lists_the_funnels_and_draws_the_first(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("6")
        await settle(pilot, app)
        screen = funnels(app)
        state = screen.state
        assert [f.name for f in state.funnels] == ["Signup funnel", "Activation", "Docs to signup"]
        report = state.report
        assert report is not None and [s.name for s in report.steps][:2] == ["Landing page", "Pricing"]
        visitors = [s.visitors for s in report.steps]
        assert visitors == sorted(visitors, reverse=True) and visitors[0] > visitors[-1] > 0
        text = screen_text(app)
        assert "Signup funnel" in text and f"{visitors[0]:,} entered" in text and "█" in text
        # The numbers are the API's for the query on screen.
        direct = await app.store.funnel_report(state.chosen, app.query)
        assert [s.visitors for s in direct.value.steps] == visitors
        # Another funnel: j on the list.
        screen.funnel_list.focus()
        await pilot.press("j")
        await settle(pilot, app)
        assert state.chosen_name == "Activation" and state.report.steps[0].name == "Signed up"


async def test_compare_and_filters_follow_the_query(make_app) -> None:
    app = make_app("--screen", "funnels", "--range", "7d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = funnels(app)
        every = screen.state.report.entered
        app.add_filter(Filter("device", "is", ("mobile",)))
        await settle(pilot, app)
        assert 0 < screen.state.report.entered < every
        await pilot.press("c")
        await settle(pilot, app)
        assert screen.state.previous is not None
        text = screen_text(app)
        assert "Before" in text and "Change" in text and "pts)" in text


async def test_enter_on_a_step_opens_people_who_reached_it(make_app) -> None:
    app = make_app("--screen", "funnels")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = funnels(app)
        screen.steps_table.focus()
        await pilot.press("j")  # Pricing
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PeopleScreen)
        assert Filter("page", "is", ("/pricing",)) in app.query.filters
        assert app.screen.state.rows and app.screen.state.search.params()["visitedPage"] == "/pricing"


async def test_a_funnel_opens_by_id_and_an_unknown_one_says_so(make_app) -> None:
    app = make_app("--screen", "funnels")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("o", *"nope!", "enter")
        await pilot.pause()
        assert "letters, digits" in screen_text(app)
        await pilot.press(*("backspace",) * 5, *"ffffffffffffffffffffffff", "enter")
        await settle(pilot, app)
        screen = funnels(app)
        assert screen.state.chosen == "f" * 24 and screen.state.report is None
        assert "not found" in screen_text(app).lower()


async def test_a_website_key_without_the_site_id_is_told_what_is_needed(make_app, demo_cache) -> None:
    from datafast_tui.api.ratelimit import RateLimiter
    from datafast_tui.store_factory import DemoOptions, open_store
    from tests.ui.conftest import frozen_clock

    async def no_site_id(connection):
        store = await open_store(connection, demo=DemoOptions(clock=frozen_clock, cache_dir=demo_cache),
                                 rate_limiter=RateLimiter(10_000, 60))
        store.site_id = None  # as for a df_ key with no website_id in its profile
        return store

    app = make_app("--screen", "funnels", store_factory=no_site_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "needs the website's id" in text and "website_id" in text and "opens with o" in text
        assert app.status.state == "ok"  # nothing is wrong with the connection itself
        # o with a known id still works.
        from datafast_tui.demo.funnels import FUNNELS, funnel_id

        known = funnel_id(app.store.client._http._transport.app.state.database, FUNNELS[0])  # noqa: SLF001
        await pilot.press("o", *known, "enter")
        await settle(pilot, app)
        screen = funnels(app)
        assert screen.state.report is not None and screen.state.report.name == "Signup funnel"
        assert "needs the website's id" not in screen_text(app)


async def test_a_burst_of_keys_settles_on_the_query_and_funnel_shown(make_app) -> None:
    app = make_app("--screen", "funnels")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j", "d", "7", "c", "k", "d", "3", "bracketleft")  # the list has the focus
        await settle(pilot, app)
        screen = funnels(app)
        state = screen.state
        assert state.report_for == (state.chosen, app.query)
        assert state.chosen == state.funnels[1].id  # j j k: the second funnel
        direct = await app.store.funnel_report(state.chosen, app.query)
        assert [s.visitors for s in state.report.steps] == [s.visitors for s in direct.value.steps]
        before = await app.store.funnel_report(state.chosen, app.query.comparison())
        assert [s.visitors for s in state.previous.steps] == [s.visitors for s in before.value.steps]
