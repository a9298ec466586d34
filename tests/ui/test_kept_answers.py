"""Stale-while-revalidate at start: the numbers kept from the last run are painted at once,
with their age, then replaced in place by the live ones; an unreachable site keeps them."""

from __future__ import annotations

import asyncio

import httpx

from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.app import DataFastApp
from datafast_tui.cli import parse_settings
from datafast_tui.data.answer_shelf import AnswerShelves
from datafast_tui.data.cached_copy import CachedCopyStore
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.store_factory import DemoOptions, open_store, shelf_for
from datafast_tui.widgets.kpi import KpiCard
from tests.ui.conftest import SIZE, frozen_clock, screen_text, settle, wait_until


def build(tmp_path, demo_cache, shelves: AnswerShelves, *, gate: asyncio.Event | None = None,
          offline: bool = False) -> DataFastApp:
    settings = parse_settings(["--config", str(tmp_path / "none.toml")], {})
    options = DemoOptions(clock=frozen_clock, cache_dir=demo_cache)

    def kept(connection):  # noqa: ANN001, ANN202
        return shelf_for(shelves, connection, options)

    async def factory(connection) -> AnalyticsStore:  # noqa: ANN001
        if gate is not None:
            await gate.wait()  # a slow start: the demo data still opening, a far API
        store = await open_store(connection, demo=options, rate_limiter=RateLimiter(10_000, 60),
                                 shelf=kept(connection))
        if offline:
            def unreachable(request: httpx.Request) -> httpx.Response:
                raise httpx.ConnectError("network is unreachable", request=request)

            store.client._http._transport = httpx.MockTransport(unreachable)  # noqa: SLF001
            store.client.retry = type(store.client.retry)(max_attempts=1)
        return store

    return DataFastApp(settings, store_factory=factory, clock=frozen_clock, kept_answers=kept)


def visitors_shown(app: DataFastApp) -> str:
    return str(app.screen.query_one("#kpi-visitors", KpiCard).query_one(".value").render())


async def first_run(tmp_path, demo_cache, shelves: AnswerShelves) -> str:
    app = build(tmp_path, demo_cache, shelves)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        shown = visitors_shown(app)
        assert shown[0].isdigit()
    shelves.flush()
    return shown


async def test_kept_numbers_paint_before_the_site_answers_then_are_replaced_in_place(tmp_path, demo_cache) -> None:
    shelves = AnswerShelves(tmp_path / "answers")
    kept_visitors = await first_run(tmp_path, demo_cache, shelves)
    gate = asyncio.Event()
    app = build(tmp_path, demo_cache, AnswerShelves(tmp_path / "answers"), gate=gate)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: visitors_shown(app) == kept_visitors, "the kept visitors never painted")
        assert isinstance(app.store, CachedCopyStore)
        text = screen_text(app)
        assert "kept numbers" in text, text.splitlines()[0]
        for name in ("pages", "referrers", "countries"):  # the top tables were kept too (a frame later)
            await wait_until(pilot, lambda n=name: app.screen.query_one(f"#top-{n}").rows, f"top {name} never painted")
        assert isinstance(app.store, CachedCopyStore)  # all of it before the site answered
        gate.set()
        await settle(pilot, app)
        assert not isinstance(app.store, CachedCopyStore)
        assert "kept numbers" not in screen_text(app)
        assert visitors_shown(app) == f"{(await app.store.overview(app.query)).value.visitors:,}"


async def test_an_unreachable_site_keeps_showing_the_kept_numbers_and_says_how_old(tmp_path, demo_cache) -> None:
    shelves = AnswerShelves(tmp_path / "answers")
    kept_visitors = await first_run(tmp_path, demo_cache, shelves)
    app = build(tmp_path, demo_cache, AnswerShelves(tmp_path / "answers"), offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert not isinstance(app.store, CachedCopyStore)
        assert app.store.status.state == "offline"
        assert visitors_shown(app) == kept_visitors
        assert "offline · data" in screen_text(app)


async def test_nothing_kept_starts_as_before(tmp_path, demo_cache) -> None:
    app = build(tmp_path, demo_cache, AnswerShelves(tmp_path / "empty"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert not isinstance(app.store, CachedCopyStore)
        assert visitors_shown(app)[0].isdigit()
