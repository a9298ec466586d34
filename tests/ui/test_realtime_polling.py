"""Realtime screen: when it polls. Pause, interval keys, hidden screen, offline and 429, the budget."""

from __future__ import annotations

from datafast_tui.api.filters import Filter
from datafast_tui.widgets.feed import LiveList
from tests.ui.conftest import SIZE, screen_text, settle
from tests.ui.realtime_support import (
    QUIET,
    Clock,
    poll,
    realtime,
    switched_demo_store,
    toasts,
)


def loads(app) -> int:
    """Realtime map requests sent so far (each poll sends one, plus one count request)."""
    return app.store.cache.loads.get("realtime_map", 0)


async def test_opens_polling_at_once_and_says_what_it_costs(make_app) -> None:
    app = make_app("--screen", "realtime")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        assert screen.polls >= 1 and loads(app) >= 1
        text = screen_text(app)
        assert "Realtime shows the last 5–10 minutes · not the date range or filters" in text
        assert "Every 5 s: 24 requests/min, 40% of the 60/min limit" in text
        assert "● LIVE" in text
        assert screen.next_delay == 5 and screen.poll_timer is not None
        # The header's count comes from the screen's own poll.
        assert app.live_visitors == screen.feed.count is not None


async def test_pause_stops_requests_and_resume_polls_at_once(make_app) -> None:
    app = make_app("--screen", "realtime")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        await pilot.press("p")
        await pilot.pause()
        assert screen.schedule.paused and screen.poll_timer is None
        assert "PAUSED" in screen_text(app) and "Paused: no requests until you press p" in screen_text(app)
        sent = app.store.requests_sent
        screen._on_timer()  # a timer that fired anyway would not poll  # noqa: SLF001
        app._poll_live()  # nor does the header's own live poll while this screen is open  # noqa: SLF001
        screen.reload(refresh=True)  # nor the app's periodic refresh (the screen keeps its own schedule)
        await settle(pilot, app)
        assert app.store.requests_sent == sent
        await pilot.press("r")  # an explicit poll still works while paused: 2 requests
        await settle(pilot, app)
        assert app.store.requests_sent == sent + 2 and screen.schedule.paused and screen.poll_timer is None
        await pilot.press("p")
        await settle(pilot, app)
        # The poll (2), and once, the alerts' usual levels (2: asked from the second poll on, not while paused).
        assert app.store.requests_sent == sent + 6 and not screen.schedule.paused
        assert screen.usual is not None
        assert screen.poll_timer is not None and "● LIVE" in screen_text(app)


async def test_plus_and_minus_change_the_interval_within_bounds(make_app) -> None:
    app = make_app("--screen", "realtime")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        await pilot.press("plus")
        await pilot.pause()
        assert screen.schedule.interval == 10 and screen.next_delay == 10  # re-armed with the new interval
        assert "Every 10 s: 12 requests/min, 20% of the 60/min limit" in screen_text(app)
        await pilot.press("minus", "minus", "minus")
        await pilot.pause()
        assert screen.schedule.interval == 2 and screen.next_delay == 2
        app.clear_notifications()
        await pilot.press("minus")
        await pilot.pause()
        assert screen.schedule.interval == 2
        assert any("already the shortest (2 s)" in message for _, message in toasts(app))
        for _ in range(10):
            await pilot.press("plus")
        await pilot.pause()
        assert screen.schedule.interval == 300 and "Every 5 min: 0.4 requests/min, 1% of" in screen_text(app)


async def test_configured_interval_is_used(make_app) -> None:
    app = make_app("--screen", "realtime", config_text="[realtime]\ninterval = 30\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert realtime(app).next_delay == 30
        assert "Every 30 s: 4 requests/min, 7% of the 60/min limit" in screen_text(app)


async def test_hidden_screen_stops_polling_and_resumes_at_once_when_shown(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        polls = screen.polls
        await pilot.press("1")
        await settle(pilot, app)
        assert app.current_mode == "overview" and screen.poll_timer is None
        before = loads(app)
        screen._on_timer()  # noqa: SLF001
        await settle(pilot, app)
        assert loads(app) == before and screen.polls == polls
        await pilot.press("3")
        await settle(pilot, app)
        assert loads(app) == before + 1 and screen.polls == polls + 1 and screen.poll_timer is not None


async def test_help_over_the_screen_pauses_polling_until_closed(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert screen.poll_timer is None
        text = screen_text(app)
        assert "Pause or resume live updates" in text and "Poll less often" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert screen.poll_timer is not None


async def test_global_query_changes_do_not_reload_and_the_screen_says_they_do_not_apply(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = loads(app)
        app.add_filter(Filter("country", "is", ("France",)))
        await settle(pilot, app)
        assert loads(app) == before
        assert "not the date range or filters (Last 30 days + 1 filter)" in screen_text(app)


async def test_offline_keeps_the_feed_says_since_when_and_recovers_by_itself(make_app, demo_cache) -> None:
    clock, switches = Clock(), []
    app = make_app("--screen", "realtime", config_text=QUIET,
                   store_factory=switched_demo_store(clock, demo_cache, switches))
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        screen.schedule.interval = 5  # the default; set late so no timer fires during the test
        events = screen.query_one("#rt-events", LiveList)
        kept = len(events.rows)
        assert kept > 0
        clock.advance(seconds=20)
        switches[0].down = True
        await poll(pilot, app)
        text = screen_text(app)
        assert "Offline since 10:30:20 (last data at 10:30:00)" in text
        assert "✕ OFFLINE" in text and "the lists below are kept" in text and "Next try in 10 s" in text
        assert len(events.rows) == kept and screen.feed.count is not None
        assert screen.next_delay == 10 and screen.poll_timer is not None  # backing off, still trying
        clock.advance(seconds=10)
        await poll(pilot, app)
        assert screen.next_delay == 20 and "Offline since 10:30:20" in screen_text(app)
        switches[0].down = False
        clock.advance(seconds=20)
        screen._on_timer()  # the backed-off timer fires: the network is back  # noqa: SLF001
        await settle(pilot, app)
        text = screen_text(app)
        assert "Offline" not in text and "● LIVE" in text and "updated 10:30:50" in text
        assert screen.next_delay == 5 and len(events.rows) >= kept


async def test_rate_limited_backs_off_as_long_as_the_server_says(make_app, demo_cache) -> None:
    clock, switches = Clock(), []
    app = make_app("--screen", "realtime", config_text=QUIET,
                   store_factory=switched_demo_store(clock, demo_cache, switches))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        screen.schedule.interval = 5
        switches[0].retry_after = "45"
        await poll(pilot, app)
        text = screen_text(app)
        assert "! RATE LIMITED" in text and "Rate limited since" in text and "Next try in 45 s" in text
        assert screen.next_delay == 45
        switches[0].retry_after = None
        await poll(pilot, app)
        assert screen.next_delay == 5 and "Rate limited" not in screen_text(app)


async def test_switching_site_starts_a_fresh_feed_and_polls_the_new_store(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        old_store, old_feed = app.store, screen.feed
        app.switch_site("demo")
        await settle(pilot, app)
        assert app.store is not old_store and screen.feed is not old_feed
        assert screen.feed.live_map is not None and loads(app) == 1  # polled the new store at once
        assert "● LIVE" in screen_text(app)
