"""The Visitor screen against the demo: lookup, errors in place, timeline order, prediction cases, recents."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from textual import events
from textual.widgets import Input

from datafast_tui.data.recent_visitors import FILE_NAME
from datafast_tui.data.visitor_facts import LOW_CONFIDENCE_NOTE
from datafast_tui.dialogs.visitor_lookup import VisitorLookup
from datafast_tui.screens.visitor import TIMELINE_LIMIT, VisitorScreen
from datafast_tui.widgets.timeline_table import TimelineTable
from datafast_tui.widgets.visitor_picks import VisitorPicks
from tests.fake_api import docs_answer, store_over
from tests.ui.conftest import SIZE, SMALL, screen_text, settle
from tests.ui.visitor_support import open_visitor, state_dir, visitor_app, visitor_run  # noqa: F401 - fixtures


async def test_lookup_by_typed_id_shows_identity_activity_prediction_timeline(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "no visitor open" in screen_text(app)
        vid = demo.visitor("rich")
        await open_visitor(pilot, app, vid)
        screen = app.screen
        assert isinstance(screen, VisitorScreen) and screen.visitor is not None
        text = screen_text(app)
        for words in ("Identity", "Location", "Browser", "Viewport", "First session", "Activity", "First visit",
                      "Since first visit", "Current URL", "Prediction", "Score", "Conversion rate",
                      "Expected value", "USD", "Confidence", "Timeline"):
            assert words in text, words
        assert vid in text
        pages, goals = demo.scalar("SELECT COUNT(*) FROM pageviews p JOIN visitors v USING (vkey)"
                                   " WHERE v.visitor_id = ?", vid), \
            demo.scalar("SELECT COUNT(*) FROM goals g JOIN visitors v USING (vkey) WHERE v.visitor_id = ?", vid)
        assert f"{pages} pageview{'s' if pages != 1 else ''} · {goals} goal{'s' if goals != 1 else ''}" in text
        assert screen.query_one(TimelineTable).row_count == pages + goals
        assert "★ goal (API)" in text  # server goals are marked


async def test_timeline_is_pages_and_goals_merged_newest_first(visitor_run) -> None:
    async with visitor_run("rich") as (app, pilot, demo, vid):
        table = app.screen.query_one(TimelineTable)
        shown = [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]
        times = [t for t, _ in shown]
        assert times == sorted(times, reverse=True)
        assert {k for _, k in shown} >= {"page", "★ goal", "★ goal (API)"}
        # The newest entry is the current URL's pageview, in the site's timezone.
        assert app.screen.visitor.activity.current_url in str(table.get_row_at(0)[2]).replace("…", "") or \
            table.get_row_at(0)[1].plain == "page"


async def test_cli_visitor_flag_opens_it_and_the_request_is_taken(visitor_app) -> None:
    app, demo = visitor_app("--visitor", "00000000-0000-4000-8000-000000000000")  # a UUID nobody has
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.requested_visitor is None  # taken by the screen
        assert "Visitor not found (404)" in screen_text(app)
        vid = demo.visitor("rich")
        app.open_visitor(vid)  # what the realtime list's Enter calls
        await settle(pilot, app)
        assert app.screen.visitor is not None and app.screen.visitor.visitor_id == vid


async def test_open_visitor_from_another_screen_switches_to_it(visitor_app) -> None:
    app, demo = visitor_app("--screen", "overview")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.open_visitor(demo.visitor("confident"))
        await settle(pilot, app)
        assert app.current_mode == "visitor" and isinstance(app.screen, VisitorScreen)
        assert app.screen.visitor is not None


async def test_unknown_visitor_is_a_404_in_place(visitor_app) -> None:
    app, _ = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await open_visitor(pilot, app, "00000000-0000-4000-8000-000000000000")
        text = screen_text(app)
        assert "Visitor not found (404)" in text and "00000000-0000-4000-8000-000000000000" in text
        assert "o: look up another visitor" in text


async def test_bot_visitor_is_a_400_in_place(visitor_run) -> None:
    async with visitor_run("bot") as (app, pilot, demo, _):
        text = screen_text(app)
        assert "Visitor refused (400)" in text and "bot" in text
        assert app.status.state == "ok"  # a 400 about one visitor is no connection problem


async def test_visitor_without_pageviews_is_a_404_that_says_so(visitor_run) -> None:
    async with visitor_run("no_pageviews") as (app, pilot, demo, _):
        assert "no pageviews yet" in screen_text(app)


async def test_invalid_id_sends_nothing(visitor_app) -> None:
    app, _ = visitor_app("--visitor", "not a visitor id")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Not a visitor id" in screen_text(app) and "Nothing was sent" in screen_text(app)
        await pilot.press("o")
        await settle(pilot, app)  # the lookup lists the visitors active now (one request)
        before = app.store.requests_sent
        app.screen.query_one("#visitor-id", Input).value = "../analytics/overview"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VisitorLookup)  # still open, with the message
        assert "UUIDs like" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.store.requests_sent == before


async def test_pasted_cookie_text_opens_the_visitor(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        vid = demo.visitor("confident")
        await pilot.press("o")
        await pilot.pause()
        field = app.screen.query_one("#visitor-id", Input)
        field.post_message(events.Paste(f' datafast_visitor_id="{vid}"; '))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.visitor is not None and app.screen.visitor.visitor_id == vid


async def test_customer_has_no_prediction_and_it_is_explained(visitor_run) -> None:
    async with visitor_run("customer") as (app, pilot, demo, _):
        assert app.screen.visitor.prediction is None
        text = screen_text(app)
        assert "No prediction for this visitor" in text and "customer" in text


async def test_low_confidence_note_only_under_half(visitor_run) -> None:
    async with visitor_run("low_confidence") as (app, pilot, demo, _):
        assert app.screen.visitor.prediction.confidence < 0.5
        text = " ".join(screen_text(app).split())
        assert "Low confidence" in text and "⚠" in text
        await open_visitor(pilot, app, demo.visitor("confident"))
        assert "Low confidence" not in screen_text(app)
        assert LOW_CONFIDENCE_NOTE.startswith("Low confidence")


async def test_recent_visitors_are_kept_and_reopened(visitor_app, state_dir: Path) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first, second = demo.visitor("confident"), demo.visitor("rich")
        await open_visitor(pilot, app, first)
        await open_visitor(pilot, app, second)
        saved = json.loads((state_dir / FILE_NAME).read_text())
        assert [e["id"] for e in saved["sites"]["demo"]] == [second, first]
        await pilot.press("o")
        await settle(pilot, app)
        picks = app.screen.query_one(VisitorPicks)
        assert [p.visitor_id for p in picks.picks][:2] == [second, first]
        assert any(p.group == "Active now" for p in picks.picks)  # live visitors from the realtime map
        await pilot.press("down", "down", "enter")  # to the list, then the second recent one
        await settle(pilot, app)
        assert app.screen.visitor.visitor_id == first


async def test_start_pane_lists_recent_and_active_visitors(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        picks = app.screen.query_one("#visitor-picks", VisitorPicks)
        assert picks.picks and all(p.group == "Active now" for p in picks.picks)
        assert app.focused is picks
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.visitor is not None and app.screen.visitor.visitor_id == picks.picks[0].visitor_id


async def test_unwritable_state_dir_does_not_crash(visitor_run, state_dir: Path) -> None:
    state_dir.parent.mkdir(parents=True, exist_ok=True)
    state_dir.write_text("a file where the folder should be")
    async with visitor_run("confident") as (app, pilot, demo, _):
        assert app.screen.visitor is not None
        assert [e.visitor_id for e in app.screen.recent().entries()] == [demo.visitor("confident")]


async def test_narrow_terminal_shows_one_side_and_i_switches(visitor_run) -> None:
    async with visitor_run("rich", size=SMALL) as (app, pilot, demo, _):
        text = screen_text(app)
        assert "Timeline" in text and "─ Identity" not in text and "i: identity" in text
        await pilot.press("i")
        await settle(pilot, app)
        text = screen_text(app)
        assert "─ Identity" in text and "Prediction" in text and "Timeline" not in text
        await pilot.press("i")
        await settle(pilot, app)
        assert "Timeline" in screen_text(app)


async def test_hostile_strings_are_shown_as_text(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        vid = demo.visitor("rich")
        with demo.db.write() as (conn, _):
            conn.execute("UPDATE visitors SET city = ? WHERE visitor_id = ?", ("[bold]Evil\x1b[31m[/]", vid))
        await open_visitor(pilot, app, vid)
        assert "[bold]Evil[/]" in screen_text(app)


HOSTILE_VISITORS = (
    "SELECT v.visitor_id FROM visitors v WHERE v.is_bot = 0 AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey)"
    " AND (v.city LIKE '%[%' OR instr(v.city, char(27)) > 0 OR v.device_vendor LIKE '%[%' OR v.browser LIKE '%[%')"
    " ORDER BY v.vkey LIMIT 6"
)


async def test_hostile_dataset_renders_as_literal_text(visitor_app) -> None:
    app, demo = visitor_app(hostile=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        with demo.db.read() as (conn, _):
            ids = [row[0] for row in conn.execute(HOSTILE_VISITORS)]
        assert len(ids) == 6
        seen = ""
        for vid in ids:
            await open_visitor(pilot, app, vid)
            assert app.screen.visitor is not None and app.screen.visitor.visitor_id == vid
            text = screen_text(app)
            assert "\x1b" not in text and "\x9b" not in text
            seen += text
        assert "[/]" in seen or "[bold red]boom[/]" in seen  # markup shown, not applied
        await pilot.press("o")  # the pick list shows the same hostile labels
        await settle(pilot, app)
        assert "\x1b" not in screen_text(app)
        await pilot.press("escape", "n")  # and a dialog over a hostile visitor
        await settle(pilot, app)
        assert "Create a custom goal" in screen_text(app)


async def test_refresh_keeps_the_place_in_the_timeline(visitor_run) -> None:
    async with visitor_run("rich") as (app, pilot, demo, _):
        table = app.screen.query_one(TimelineTable)
        await pilot.press("j", "j", "j")
        assert table.cursor_row == 3
        before = app.store.requests_sent
        await pilot.press("r")
        await settle(pilot, app)
        assert app.store.requests_sent > before  # r fetched the visitor again
        assert table.cursor_row == 3
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1


BIG = "b16b16b1-6b16-4b16-8b16-b16b16b16b16"


async def test_a_huge_timeline_shows_the_newest_thousand(make_app, state_dir) -> None:
    pages = [{"url": f"example.com/p{i}", "timestamp": f"2026-11-{1 + i // 100:02d}T{i % 24:02d}:00:00.000Z"}
             for i in range(1200)]
    body = {"status": "success", "data": {"visitorId": BIG, "identity": {}, "activity": {
        "visitCount": 30, "pageViewCount": 1200, "visitedPages": pages, "completedCustomGoals": []},
        "prediction": None}}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/visitors/" + BIG):
            return httpx.Response(200, json=body)
        return docs_answer(request)

    app = make_app("--api-key", "df_live_SECRET", "--visitor", BIG, store_factory=store_over(handler))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one(TimelineTable)
        assert table.row_count == TIMELINE_LIMIT
        assert "1,000 of 1,200" in screen_text(app)
