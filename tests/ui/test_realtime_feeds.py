"""Realtime screen: what it shows across polls of the demo's live traffic (with a clock the test moves)."""

from __future__ import annotations

from collections import Counter

from datafast_tui.api.writes import GoalRequest, PaymentRequest
from datafast_tui.data.realtime_feed import MAP_WINDOW, event_key
from datafast_tui.widgets.feed import LiveList
from datafast_tui.widgets.live_count import LiveCount
from tests.ui.conftest import SIZE, SMALL, screen_text, settle, wait_for_workers
from tests.ui.realtime_support import QUIET, Clock, demo_store, poll, realtime, toasts


def open_realtime(make_app, demo_cache, clock: Clock, config: str = QUIET):
    app = make_app("--screen", "realtime", config_text=config, store_factory=demo_store(clock, demo_cache))
    app.clock = clock
    return app


def lists(app) -> tuple[LiveList, LiveList, LiveList]:
    screen = realtime(app)
    return (screen.query_one("#rt-visitors", LiveList), screen.query_one("#rt-events", LiveList),
            screen.query_one("#rt-payments", LiveList))


async def test_count_visitors_and_events_update_across_polls(make_app, demo_cache) -> None:
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        visitors, events, _ = lists(app)
        first_visitors = {r.key for r in visitors.rows}
        first_events = {r.key for r in events.rows}
        count = screen.feed.count
        assert first_visitors and first_events and count is not None
        assert screen.query_one(LiveCount).shown == str(count)
        assert f"{len(first_visitors)} in the last 10 minutes" in screen_text(app)
        clock.advance(minutes=4)
        await poll(pilot, app)
        assert {r.key for r in events.rows} - first_events, "new events arrived"
        assert {r.key for r in visitors.rows} != first_visitors
        assert len(screen.feed.counts) == 2 and app.live_visitors == screen.feed.count
        assert screen.query_one(LiveCount).shown == str(screen.feed.count)
        newest = screen.feed.events.items[0]
        assert newest.timestamp.astimezone(app.site_zone).strftime("%H:%M:%S") in screen_text(app)
        # New rows are highlighted for a moment; rows already seen are not.
        assert events.fresh_keys and events.fresh_keys <= {r.key for r in events.rows} - first_events


async def test_overlapping_polls_never_duplicate_and_history_outlives_the_window(make_app, demo_cache) -> None:
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        _, events, _ = lists(app)
        for _ in range(14):  # every poll's 10-minute window overlaps the previous one
            clock.advance(minutes=1)
            await poll(pilot, app)
        keys = [r.key for r in events.rows]
        assert len(keys) == len(set(keys)) == len(screen.feed.events)
        assert max(Counter(event_key(e) for e in screen.feed.events.items).values()) == 1
        latest_window = screen.feed.live_map.recent_events
        assert len(screen.feed.events) > len(latest_window)
        oldest = screen.feed.events.items[-1].timestamp
        assert oldest < clock() - MAP_WINDOW  # scrolls back past what the API still returns
        assert screen.feed.events.gaps == []  # one-minute steps miss nothing


async def test_a_new_payment_notifies_once_with_amount_currency_and_name(make_app, demo_cache) -> None:
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock, config=QUIET + "bell_on_payment = true\n")
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        visitor = realtime(app).feed.visitors[0].visitor_id
        await app.store.create_payment(PaymentRequest(amount=49, currency="EUR", transaction_id="tx-rt-1",
                                                      visitor_id=visitor, name="Jane [b]Doe[/b]"))
        clock.advance(seconds=5)
        await poll(pilot, app)
        payments = [m for title, m in toasts(app) if title == "New payment"]
        # The amount in the payment's currency, the name with its markup shown as text, never parsed.
        assert payments == ["€49.00 EUR from Jane [b]Doe[/b] · new customer"]
        assert bells == [1]
        _, _, payment_list = lists(app)
        assert "€49.00 EUR" in screen_text(app) and "Jane [b]Doe[/b]" in screen_text(app)
        assert payment_list.fresh_keys == {payment_list.rows[0].key}
        app.clear_notifications()
        for _ in range(2):
            clock.advance(seconds=5)
            await poll(pilot, app)
        assert not [m for title, m in toasts(app) if title == "New payment"] and bells == [1]


async def test_a_burst_of_payments_gives_three_toasts_and_a_count(make_app, demo_cache) -> None:
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for n in range(5):
            await app.store.create_payment(PaymentRequest(amount=10 + n, currency="GBP", transaction_id=f"burst-{n}"))
        await poll(pilot, app)
        payments = [m for title, m in toasts(app) if title == "New payment"]
        assert len(payments) == 4 and payments[-1] == "and 2 more payments"
        assert all(m.startswith("£") for m in payments[:3])


async def test_payments_already_there_when_the_screen_opens_are_listed_not_announced(make_app, demo_cache) -> None:
    clock = Clock()
    app = make_app(config_text=QUIET, store_factory=demo_store(clock, demo_cache))
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.store.create_payment(PaymentRequest(amount=120, currency="USD", transaction_id="tx-rt-2"))
        app.clear_notifications()
        await pilot.press("3")
        await wait_for_workers(app)  # not settle(): it drops the toasts we look for
        await pilot.pause()
        assert realtime(app).polls == 1 and "$120 USD" in screen_text(app)
        assert not [m for title, m in toasts(app) if title == "New payment"]
        await pilot.press("1")
        await settle(pilot, app)
        await app.store.create_payment(PaymentRequest(amount=80, currency="USD", transaction_id="tx-rt-3"))
        await pilot.press("3")  # shown again: polls at once, and a payment made meanwhile is news
        await wait_for_workers(app)
        await pilot.pause()
        assert [m for title, m in toasts(app) if title == "New payment"] == ["$80.00 USD"]


async def test_goal_completions_notify_only_when_configured(make_app, demo_cache) -> None:
    for config, expected in ((QUIET, 0), (QUIET + "notify_goals = true\n", 1)):
        clock = Clock()
        app = open_realtime(make_app, demo_cache, clock, config=config)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            visitor = realtime(app).feed.visitors[0].visitor_id
            await app.store.create_goal(GoalRequest(visitor_id=visitor, name="newsletter_signup",
                                                    metadata={"plan": "[red]pro"}))
            app.clear_notifications()
            await poll(pilot, app)
            goals = [m for title, m in toasts(app) if title == "Goal completed"]
            assert len(goals) == expected, config
            if expected:
                assert goals[0].startswith("newsletter_signup (plan=[red]pro) · a visitor")
            assert "newsletter_signup (plan=[red]pro)" in screen_text(app)


async def test_enter_on_a_visitor_or_an_event_opens_the_visitor_screen(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    opened = []
    open_visitor = app.open_visitor
    app.open_visitor = lambda visitor_id: (opened.append(visitor_id), open_visitor(visitor_id))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        visitors, events, _ = lists(app)
        visitors.focus()
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert app.current_mode == "visitor" and opened == [visitors.rows[1].data] and opened[0]
        await pilot.press("3")
        await settle(pilot, app)
        events.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.current_mode == "visitor" and opened[1:] == [events.rows[0].data] and opened[1]


async def test_sort_keys_reorder_the_visitors(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        visitors, _, _ = lists(app)
        api_order = [r.key for r in visitors.rows]
        await pilot.press("s")  # session start, newest first
        await pilot.pause()
        starts = {v.visitor_id: v.session_start for v in screen.feed.visitors}
        shown = [starts[r.key] for r in visitors.rows]
        assert shown == sorted(shown, reverse=True) and "sorted by session start" in screen_text(app)
        assert "Started ▼" in screen_text(app)
        await pilot.press("S")
        await pilot.pause()
        assert [starts[r.key] for r in visitors.rows] == sorted(shown)
        assert "Started ▲" in screen_text(app) and "(reversed)" in screen_text(app)
        await pilot.press("S", "s", "s")  # visits, then likelihood
        await pilot.pause()
        scores = {v.visitor_id: v.conversion.score for v in screen.feed.visitors}
        shown_scores = [scores[r.key] for r in visitors.rows]
        assert shown_scores == sorted(shown_scores, reverse=True)
        for _ in range(4):  # around to the API's order again (customer is skipped: no customers here)
            await pilot.press("s")
        await pilot.pause()
        assert [r.key for r in visitors.rows] == api_order


async def test_narrow_terminal_keeps_the_essentials(make_app) -> None:
    app = make_app("--screen", "realtime", config_text=QUIET)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        for needed in ("Location", "Page", "Started", "Likely", "Events", "Payments", "● LIVE", "req/min"):
            assert needed in text, needed
