"""The Sites screen (7): every profile and every website of an account token, live and today
against yesterday by the same time, refreshed within the rate budget; Enter opens a site."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from datafast_tui.api.client import DataFastClient, RetryPolicy
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.screens.overview import OverviewScreen
from datafast_tui.screens.sites import SitesScreen
from datafast_tui.settings import Connection
from tests.fake_api import docs_answer
from tests.helpers import FakeSleep, docs_example, ok
from tests.ui.conftest import (
    FROZEN_NOW,
    SIZE,
    SMALL,
    screen_text,
    settle,
    wait_for_workers,
)
from tests.ui.query_on_screen import burst

#: (key, websiteId) -> live, visitors today, yesterday by now, revenue today, yesterday, timezone.
SITES = {
    ("df_shop", None): (7, 120, 100, 300.0, 400.0, "Europe/Paris"),
    ("df_blog", None): (2, 40, 50, 0.0, 0.0, "America/New_York"),
    ("dft_acct", "w1"): (11, 900, 450, 50.0, 0.0, "UTC"),
    ("dft_acct", "w2"): (0, 3, 3, 0.0, 0.0, "Asia/Tokyo"),
}
WEBSITES = [{"_id": "w1", "domain": "one.example", "name": "One", "timezone": "UTC", "currency": "USD"},
            {"_id": "w2", "domain": "two.example", "name": "Two", "timezone": "Asia/Tokyo", "currency": "EUR"}]
CONFIG = """\
[realtime]
interval = 300

[sites.shop]
api_key = "df_shop"
label = "Shop"

[sites.blog]
api_key = "df_blog"

[sites.broken]
api_key_env = "NOT_SET_ANYWHERE"

[sites.acct]
api_key = "dft_acct"
website_id = "w1"
"""


class Board:
    """A fake API for several keys and websites, counting what each was asked."""

    def __init__(self) -> None:
        self.asked: Counter[tuple[str, str | None, str]] = Counter()
        self.failing: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = request.headers["authorization"].removeprefix("Bearer ")
        website = request.url.params.get("websiteId")
        path = request.url.path.removeprefix("/api/v1/")
        self.asked[(key, website, path)] += 1
        if key in self.failing:
            return httpx.Response(500, json={"status": "error", "error": {"code": 500, "message": "down"}})
        if path == "admin/websites":
            return ok({"status": "success", "data": WEBSITES})
        live, today, yesterday, revenue, revenue_before, zone = SITES[(key, website)]
        if path == "analytics/metadata":
            body = docs_example("metadata")
            body["data"][0]["timezone"] = zone
            return ok(body)
        if path == "analytics/realtime":
            return ok({"status": "success", "data": [{"visitors": live}]})
        if path == "analytics/overview":
            start = datetime.fromisoformat(request.url.params["startAt"].replace("Z", "+00:00"))
            is_today = start.astimezone(ZoneInfo(zone)).date() == FROZEN_NOW.astimezone(ZoneInfo(zone)).date()
            body = docs_example("overview")
            body["data"][0].update(visitors=today if is_today else yesterday,
                                   revenue=revenue if is_today else revenue_before)
            return ok(body)
        return docs_answer(request)


def board_stores(board: Board):
    async def factory(connection: Connection) -> AnalyticsStore:
        client = DataFastClient(connection.api_key or "", base_url=connection.base_url,
                                transport=httpx.MockTransport(board), retry=RetryPolicy(max_attempts=1),
                                rate_limiter=RateLimiter(10_000, 60), sleep=FakeSleep(),
                                website_id=connection.website_id)
        return AnalyticsStore(client)

    return factory


def rows(app) -> list[list[str]]:
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_sites(pilot, app, board: Board | None = None) -> SitesScreen:
    """Start (on the Overview), then 7; what `board` was asked counts from the 7 on."""
    await settle(pilot, app)
    if board is not None:
        board.asked.clear()
    await pilot.press("7")
    for _ in range(3):
        await wait_for_workers(app)
        await pilot.pause()
    assert isinstance(app.screen, SitesScreen)
    return app.screen


async def test_every_profile_on_one_board_and_enter_opens_one(make_app) -> None:
    board = Board()
    app = make_app("--site", "shop", config_text=CONFIG, store_factory=board_stores(board))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sites(pilot, app, board)
        table = rows(app)
        assert [r[0].strip() for r in table] == ["● shop", "acct", "blog"], table  # the open one, then by name
        shop, acct, blog = table
        assert shop[1:6] == ["7", "120", "▲ +20.0%", "$300", "▼ -25.0%"], shop
        assert acct[1:6] == ["11", "900", "▲ +100.0%", "$50.00", "▲ new"], acct
        assert blog[1:6] == ["2", "40", "▼ -20.0%", "$0.00", "= 0%"], blog
        paris = FROZEN_NOW.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M")
        assert shop[6] == blog[6] == paris, "when each row's figures came, in the open site's zone"
        text = screen_text(app)
        assert "today so far vs yesterday at this time · every 60 s" in text
        assert "NOT_SET_ANYWHERE" in text, "the profile that cannot be used says why"
        # Three requests a site, and the metadata of the sites not open (the open one's is known).
        for key, website in (("df_shop", None), ("df_blog", None), ("dft_acct", "w1")):
            asked = {p: n for (k, w, p), n in board.asked.items() if (k, w) == (key, website)}
            metadata = {"analytics/metadata": 1} if key != "df_shop" else {}
            assert asked == {"analytics/realtime": 1, "analytics/overview": 2, **metadata}, (key, asked)
        assert screen.interval == 60

        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, OverviewScreen)
        assert app.connection.profile == "blog" and app.connection.api_key == "df_blog"


async def test_an_account_tokens_websites_each_get_a_row_and_a_failing_site_says_so(make_app) -> None:
    board = Board()
    board.failing.add("df_blog")
    app = make_app("--site", "acct", config_text=CONFIG.replace('[sites.broken]\napi_key_env = "NOT_SET_ANYWHERE"\n', ""),
                   store_factory=board_stores(board))
    async with app.run_test(size=SMALL) as pilot:
        await open_sites(pilot, app)
        table = rows(app)
        labels = [r[0].strip() for r in table]
        assert labels == ["● One (one.example)", "Two (two.example)", "blog", "shop"], labels
        two = next(r for r in table if "Two" in r[0])
        assert two[1:4] == ["0", "3", "= 0%"], two
        blog = next(r for r in table if r[0].strip() == "blog")
        assert blog[2] == "✕ failed", blog
        assert "blog: " in screen_text(app) and "500" in screen_text(app) or "server" in screen_text(app).lower()
        assert board.asked[("dft_acct", "w2", "analytics/realtime")] == 1
        # Enter on the account's other website opens it with the same token.
        index = labels.index(next(label for label in labels if "Two" in label))
        await pilot.press(*(["down"] * index), "enter")
        await settle(pilot, app)
        assert app.connection.website_id == "w2" and app.connection.api_key == "dft_acct"


async def test_on_the_demo_alone_the_board_says_how_to_add_sites(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sites(pilot, app)
        table = rows(app)
        assert len(table) == 1 and table[0][0].strip() == "● demo" and table[0][2] not in ("–", "loading…"), table
        assert "add [sites.NAME] profiles" in screen_text(app)


async def test_keys_typed_behind_enter_go_to_the_site_opened(make_app) -> None:
    board = Board()
    app = make_app("--site", "shop", config_text=CONFIG, store_factory=board_stores(board))
    async with app.run_test(size=SIZE) as pilot:
        await open_sites(pilot, app, board)
        burst(app, "down", "down", "enter", "3")  # blog, then straight on to its Realtime, typed at once
        await settle(pilot, app)
        from datafast_tui.screens.realtime import RealtimeScreen

        assert isinstance(app.screen, RealtimeScreen) and app.connection.profile == "blog"
