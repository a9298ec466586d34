"""Writes against the demo: they land once, show their result, refresh what they affect; failures keep the form."""

from __future__ import annotations

import asyncio

import httpx
from textual.widgets import Input

from datafast_tui.api.models import GoalCreated
from datafast_tui.dialogs.confirm import ConfirmDialog
from datafast_tui.dialogs.goal import GoalDialog
from datafast_tui.dialogs.payment import PaymentDialog
from datafast_tui.screens.overview import OverviewScreen
from datafast_tui.screens.visitor import VisitorScreen
from datafast_tui.widgets.timeline_table import TimelineTable
from tests.fake_api import docs_answer, store_over
from tests.ui.conftest import SIZE, screen_text, settle, wait_for_workers, wait_until
from tests.ui.visitor_support import (  # noqa: F401 - fixtures
    flat,
    open_visitor,
    state_dir,
    visitor_app,
    visitor_run,
)


async def send(pilot, app, key: str, values: dict[str, str]) -> None:
    """Open a dialog, fill it, review, confirm with y, wait for the answer."""
    await pilot.press(key)
    first = next(iter(values))
    # Conditions, not single pauses: on a busy machine a dialog takes several frames to mount.
    await wait_until(pilot, lambda: app.screen.query(f"#f-{first}"), f"the {key} dialog never showed its fields")
    for name, value in values.items():
        app.screen.query_one(f"#f-{name}", Input).value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "no confirmation after ctrl+s")
    await pilot.press("y")
    await settle(pilot, app)


def goals_of(demo, vid: str, name: str) -> int:
    return demo.scalar("SELECT COUNT(*) FROM goals g JOIN visitors v USING (vkey) WHERE v.visitor_id = ?"
                       " AND g.name = ?", vid, name)


async def test_created_goal_shows_its_event_id_and_refreshes_the_timeline_and_breakdowns(visitor_run) -> None:
    async with visitor_run("rich") as (app, pilot, demo, vid):
        goals_before = await app.store.breakdown("goals", app.query)
        assert all(r.labels.get("goal") != "tui_test_goal" for r in goals_before.value.rows)
        rows_before = app.screen.query_one(TimelineTable).row_count
        sent = app.store.requests_sent
        await send(pilot, app, "n", {"name": "tui_test_goal", "meta-1": "plan", "metavalue-1": "pro"})
        assert isinstance(app.screen, VisitorScreen)
        assert goals_of(demo, vid, "tui_test_goal") == 1
        event_id = demo.scalar("SELECT gid FROM goals WHERE name = 'tui_test_goal'")
        text = screen_text(app)
        assert "Goal created: event id " in text
        notice = app.screen.notice or ""
        assert notice.startswith("Goal created: event id ") and notice.endswith(f"{event_id:014x}")
        # The write, then the reload of the visitor: two requests, the POST never repeated.
        assert app.store.requests_sent == sent + 2
        table = app.screen.query_one(TimelineTable)
        assert table.row_count == rows_before + 1
        assert table.get_row_at(0)[1].plain == "★ goal (API)" and "tui_test_goal" in table.get_row_at(0)[2].plain
        goals_after = await app.store.breakdown("goals", app.query)
        row = next(r for r in goals_after.value.rows if r.labels.get("goal") == "tui_test_goal")
        assert row.visitors == 1


async def test_recorded_payment_shows_up_in_the_overview_revenue(visitor_app) -> None:
    app, demo = visitor_app("--screen", "overview", "--range", "last_7_days")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = (await app.store.overview(app.query)).value.metric("revenue")
        vid = demo.visitor("confident")
        app.open_visitor(vid)
        await settle(pilot, app)
        await send(pilot, app, "p", {"amount": "1000", "transaction": "tui-test-0001", "email": "ann@example.com"})
        assert demo.scalar("SELECT amount FROM payments WHERE transaction_id = 'tui-test-0001'") == 1000
        assert "Payment recorded and attributed successfully" in (app.screen.notice or "")
        after = (await app.store.overview(app.query)).value.metric("revenue")
        assert after == before + 1000
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen)
        assert f"${after:,.0f}" in screen_text(app)


async def test_deleting_the_visitors_goals_by_name_removes_them(visitor_run) -> None:
    async with visitor_run("rich") as (app, pilot, demo, vid):
        name = demo.scalar("SELECT g.name FROM goals g JOIN visitors v USING (vkey) WHERE v.visitor_id = ?"
                           " GROUP BY g.name ORDER BY COUNT(*) DESC", vid)
        count = goals_of(demo, vid, name)
        others = demo.scalar("SELECT COUNT(*) FROM goals WHERE name = ?", name) - count
        await send(pilot, app, "x", {"name": name})
        assert goals_of(demo, vid, name) == 0
        assert demo.scalar("SELECT COUNT(*) FROM goals WHERE name = ?", name) == others  # only this visitor's
        assert f"({count} deleted)" in (app.screen.notice or "")
        table = app.screen.query_one(TimelineTable)
        shown_goals = [table.get_row_at(i)[2].plain.split()[0] for i in range(table.row_count)
                       if table.get_row_at(i)[1].plain.startswith("★")]
        assert shown_goals and name not in shown_goals


async def test_deleting_one_payment_by_transaction_id(visitor_run) -> None:
    async with visitor_run("customer") as (app, pilot, demo, vid):
        tx = demo.scalar("SELECT transaction_id FROM payments p JOIN visitors v USING (vkey) WHERE v.visitor_id = ?",
                         vid)
        total = demo.scalar("SELECT COUNT(*) FROM payments")
        await send(pilot, app, "X", {"transaction": tx})
        assert demo.scalar("SELECT COUNT(*) FROM payments") == total - 1
        assert demo.scalar("SELECT COUNT(*) FROM payments WHERE transaction_id = ?", tx) == 0


async def test_goal_for_a_bot_shows_the_server_message_and_keeps_the_form(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        bot = demo.visitor("bot")
        await open_visitor(pilot, app, bot)
        sent = app.store.requests_sent
        await send(pilot, app, "n", {"name": "signup"})
        dialog = app.screen
        assert isinstance(dialog, GoalDialog) and dialog.sends == 1
        assert app.store.requests_sent == sent + 1  # tried once, never again by itself
        text = flat(app)
        assert "Request refused" in text and "is a bot" in text and "The form is kept" in text
        assert dialog.query_one("#f-name", Input).value == "signup"
        # The user retries on purpose, for a real visitor: it goes through.
        good = demo.visitor("confident")
        dialog.query_one("#f-visitor", Input).value = good
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, VisitorScreen) and goals_of(demo, good, "signup") >= 1


async def test_goal_for_a_visitor_without_pageviews_is_a_404_in_the_dialog(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-visitor", Input).value = demo.visitor("no_pageviews")
        app.screen.query_one("#f-name", Input).value = "signup"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, GoalDialog)
        assert "Not found" in flat(app) and "has no pageviews yet" in flat(app)


async def test_a_write_in_flight_is_never_sent_twice(visitor_app) -> None:
    app, _ = visitor_app()
    release = asyncio.Event()
    calls: list[object] = []

    async def slow_sender(request):
        calls.append(request)
        await release.wait()
        return GoalCreated("Custom event created successfully", "abc123")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        results: list[object] = []
        dialog = GoalDialog(slow_sender, visitor_id="a3ab2331-989f-4cfa-91c6-2461c9e3c6bd")
        app.push_screen(dialog, results.append)
        await pilot.pause()
        dialog.query_one("#f-name", Input).value = "signup"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(calls) == 1 and dialog.query_one("#form").disabled
        assert "Sending" in flat(app)
        await pilot.press("ctrl+s", "y", "enter", "escape")  # impatient keys while it is on its way
        await pilot.pause()
        assert app.screen is dialog and len(calls) == 1 and dialog.sends == 1
        release.set()
        await wait_for_workers(app)
        await pilot.pause()
        assert len(calls) == 1 and len(results) == 1 and isinstance(results[0], GoalCreated)
        assert app.screen is not dialog


async def test_a_timed_out_write_is_not_retried_and_says_so(make_app, state_dir) -> None:
    posts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(request)
            raise httpx.ReadTimeout("no answer", request=request)
        return docs_answer(request)

    app = make_app("--api-key", "df_live_SECRET", "--visitor", "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd",
                   store_factory=store_over(handler))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Seosan City" in screen_text(app)  # the docs' visitor
        await send(pilot, app, "p", {"amount": "29.99", "transaction": "payment_456"})
        assert len(posts) == 1
        assert isinstance(app.screen, PaymentDialog)
        assert "No answer in time" in flat(app) and "The form is kept" in flat(app)
        assert app.screen.query_one("#f-amount", Input).value == "29.99"
        assert "df_live_SECRET" not in screen_text(app)


async def test_palette_opens_the_write_dialogs_from_any_screen(visitor_app) -> None:
    app, _ = visitor_app("--screen", "overview")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"record payment")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.current_mode == "visitor" and isinstance(app.screen, PaymentDialog)
        await pilot.press("escape")
        await pilot.pause()
        for words, dialog in (("create goal", GoalDialog), ("visitor: open", None)):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*words)
            await settle(pilot, app)
            await pilot.press("enter")
            await settle(pilot, app)
            if dialog is not None:
                assert isinstance(app.screen, dialog)
            else:
                assert "Open a visitor" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
