"""Realtime screen: hostile API strings (markup, escapes, bidi, huge paths) are shown as plain text."""

from __future__ import annotations

import copy

import httpx

from tests.fake_api import docs_answer, store_over
from tests.helpers import docs_example, ok
from tests.ui.conftest import SIZE, SMALL, screen_text, settle
from tests.ui.realtime_support import QUIET, poll, realtime, toasts

LONG_PATH = "/" + "very-long-path-segment/" * 400


def hostile_map(with_payment: bool) -> dict:
    body = copy.deepcopy(docs_example("realtime_map"))
    data = body["data"]
    visitor = data["visitors"][0]
    visitor["location"] = {"city": "[/]", "region": "\x1b[31mred\x1b[0m", "countryCode": "[/"}
    visitor["system"] = {"browser": {"name": "[bold red]boom[/]"}, "os": {"name": "\u202egnp.exe\u202c"},
                         "device": {"type": "bell\x07ring"}}
    visitor["currentUrl"] = LONG_PATH
    visitor["referrer"] = "[link=http://evil.example]click[/link]"
    visitor["isCustomer"], visitor["customerName"] = True, "[@click=app.quit]x[/]"
    data["recentEvents"] = [
        {**data["recentEvents"][0], "_id": "ev-1", "path": "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
         "displayName": "nul\x00byte"},
        {**data["recentEvents"][0], "_id": "ev-2", "type": "custom",
         "extraData": {"eventName": "[/]", "plan": "\x1b[2J[b]pro"}},
    ]
    data["recentPayments"] = [{**data["recentPayments"][0], "_id": "pay-1", "name": "\x1b]0;pwned\x07Jane"}]
    if with_payment:
        data["recentPayments"].insert(0, {**data["recentPayments"][0], "_id": "pay-2",
                                          "name": "[bold red]boom[/]", "currency": "[/]", "displayName": None})
    return body


def hostile_store(polls: list[int]):
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/realtime/map"):
            polls.append(1)
            return ok(hostile_map(with_payment=len(polls) > 1))
        return docs_answer(request)

    return store_over(handler, max_attempts=1)


async def test_hostile_strings_are_plain_text_everywhere(make_app) -> None:
    polls: list[int] = []
    app = make_app("--api-key", "df_live_SECRET", "--screen", "realtime", config_text=QUIET + "notify_goals = true\n",
                   store_factory=hostile_store(polls))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        # Markup is shown as typed (cut to the column), never applied: no link, no click action.
        for shown in ("[/], red", "bellring · [bold red]…", "[link=http:…", "[@click=app…", "[/] (plan=[b]pro)",
                      "/very-l…egment/", "view link", "nulbyte", "$49.00 USD Jane"):
            assert shown in text, shown
        app.clear_notifications()
        await poll(pilot, app)
        messages = [m for _, m in toasts(app)]
        assert any(m.startswith("[/]") and "[bold red]boom[/]" in m for m in messages), messages
        assert all("\x1b" not in m for m in messages)
        await pilot.press("s", "s", "s", "s", "s", "s", "s")  # every sort order over hostile values
        await pilot.pause()
        assert app.is_running and realtime(app).polls == 2
    app = make_app("--api-key", "df_live_SECRET", "--screen", "realtime", config_text=QUIET,
                   store_factory=hostile_store([]))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "[/], red" in text and "\x1b" not in text
