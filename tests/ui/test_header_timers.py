"""The header's repaint timers: every five seconds, and every second only while a wait for the
request budget counts down (an app left open should not wake up every second for nothing)."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.reactive import reactive

from datafast_tui.data.store import ConnectionStatus
from datafast_tui.widgets.header import AppHeader


class Harness(App[None]):
    """What the header mirrors from DataFastApp."""

    site = reactive(None)
    timezone = reactive("")
    live_visitors = reactive(None)
    status = reactive(ConnectionStatus)
    demo = reactive(False)
    preparing = reactive("")

    def compose(self) -> ComposeResult:
        yield AppHeader()


def text(app: App) -> str:
    return app.screen._compositor.render_strips()[0].text  # noqa: SLF001


async def test_a_budget_wait_counts_down_every_second_and_stops_with_the_wait() -> None:
    app = Harness()
    async with app.run_test(size=(100, 4)) as pilot:
        header = app.query_one(AppHeader)
        assert header._countdown is None  # noqa: SLF001
        app.status = ConnectionStatus("ok", last_success=time.time(), loading=1, budget_wait_until=time.time() + 30)
        await pilot.pause()
        assert header._countdown is not None  # noqa: SLF001
        first = text(app)
        await pilot.pause(1.2)
        assert text(app) != first  # the seconds left went down without any other change
        app.status = ConnectionStatus("ok", last_success=time.time())
        await pilot.pause()
        assert header._countdown is None  # noqa: SLF001
