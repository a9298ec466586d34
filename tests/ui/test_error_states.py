"""Errors are states, not crashes: 401, network down (keeping the last data), 400 next to the query."""

from __future__ import annotations

import httpx

from tests.fake_api import docs_answer, store_over
from tests.helpers import error
from tests.ui.conftest import SIZE, SMALL, screen_text, settle, wait_for_workers


async def test_unauthorized_says_key_rejected_with_what_to_do(make_app) -> None:
    app = make_app("--api-key", "df_live_SECRET", store_factory=store_over(lambda r: error(401, "Invalid API key")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "API key rejected" in text
        assert "(Website" in text and "settings > Developer" in text and "dft_" in text
        assert app.status.state == "unauthorized"
        assert "df_live_SECRET" not in text


async def test_network_down_keeps_the_last_data_and_says_offline(make_app) -> None:
    state = {"down": False}

    def handler(request: httpx.Request) -> httpx.Response:
        if state["down"]:
            raise httpx.ConnectError("network unreachable")
        return docs_answer(request)

    app = make_app("--api-key", "df_live_SECRET", store_factory=store_over(handler))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "12,450" in screen_text(app)  # the docs' example visitors
        state["down"] = True
        await pilot.press("r")
        await settle(pilot, app)
        text = screen_text(app)
        assert app.status.state == "offline"
        assert "offline · data" in text and "old" in text
        assert "12,450" in text  # last data still shown
        assert "Offline" in text  # the screen says why it is not fresh
        state["down"] = False
        await pilot.press("r")
        await settle(pilot, app)
        assert app.status.state == "ok" and "Offline" not in screen_text(app)


async def test_nothing_reachable_at_start_is_a_state_not_a_crash(make_app) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host")

    app = make_app("--api-key", "df_live_SECRET", store_factory=store_over(handler))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "offline" in text and "Offline" in text
        await pilot.press("d", "7")
        await settle(pilot, app)
        assert app.query.range.preset == "last_7_days"


async def test_bad_request_shows_the_server_message_in_the_query_bar(make_app) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "filter_country" in request.url.params and "metadata" not in request.url.path:
            return error(400, "Invalid filter_country value: Atlantis is not a country")
        return docs_answer(request)

    app = make_app("--api-key", "df_live_SECRET", store_factory=store_over(handler))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"country", "enter", *"Atlantis", "enter")
        await settle(pilot, app)
        text = screen_text(app)
        assert "⚠ the server refused this query: Invalid filter_country value: Atlantis is not a" in text
        assert "GET analytics" not in text
        chip = app.screen.query_one("FilterChip")
        chip.focus()
        await pilot.press("delete")
        await settle(pilot, app)
        assert "Invalid filter_country" not in screen_text(app)


async def test_switching_site_reloads_everything_for_the_new_site(make_app, monkeypatch) -> None:
    config = '[sites.shop]\napi_key_env = "SHOP_KEY"\n'
    app = make_app(config_text=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        demo_name = app.site.name
        monkeypatch.setenv("SHOP_KEY", "df_shop_key")
        seen = []

        async def shop_store(connection):
            seen.append(connection)
            return await store_over(docs_answer)(connection)

        app._store_factory = shop_store
        await pilot.press("w")
        await pilot.pause()
        assert "shop" in screen_text(app)
        await pilot.press("enter")  # the first option: the shop profile
        await settle(pilot, app)
        assert seen and seen[0].profile == "shop" and seen[0].api_key == "df_shop_key"
        assert not app.demo and app.site.name == "My Awesome Website" != demo_name
        text = screen_text(app)
        assert "DEMO DATA" not in text and "My Awesome Website" in text and "12,450" in text


async def test_switching_to_a_profile_without_its_key_explains(make_app) -> None:
    app = make_app(config_text='[sites.shop]\napi_key_env = "SHOP_KEY_NOT_SET_ANYWHERE"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.switch_site("shop")
        await pilot.pause()
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert any("SHOP_KEY_NOT_SET_ANYWHERE" in m and "not set" in m for m in messages)
        assert app.demo


async def test_a_store_that_cannot_open_is_reported_not_a_crash(make_app) -> None:
    async def broken(connection):
        raise OSError(28, "No space left on device")

    app = make_app(store_factory=broken)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await wait_for_workers(app)
            await pilot.pause()
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert any("No space left on device" in m for m in messages)
        assert app.status.state == "error" and app.store is None
        await pilot.press("d", "7")  # still usable
        await pilot.pause()
        assert app.query.range.preset == "last_7_days"
