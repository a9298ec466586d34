"""Realtime alerts against the demo's history: travel to its launch day (a spike), then to a week of
usual traffic, and see the alert, its log, the hook's JSON and the return to usual."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from datafast_tui.demo.rhythm import LAUNCH_DAYS_BEFORE_REFERENCE
from datafast_tui.widgets.feed import LiveList
from datafast_tui.widgets.live_count import LiveCount
from tests.ui.conftest import FROZEN_NOW, SIZE, SMALL, screen_text, settle, wait_for_workers
from tests.ui.realtime_support import QUIET, Clock, demo_store, realtime, toasts

#: The demo's history ends at the hour of FROZEN_NOW; its launch spike starts 38 days before.
LAUNCH = FROZEN_NOW.replace(minute=0) - timedelta(days=LAUNCH_DAYS_BEFORE_REFERENCE)
HOOK = """\
import json, os, sys
alert = json.load(sys.stdin)
alert["saw_key"] = "DATAFAST_API_KEY" in os.environ
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(json.dumps(alert) + "\\n")
"""


def open_realtime(make_app, demo_cache, clock: Clock, config: str):
    """The app on Realtime. The clock must say FROZEN_NOW while it opens (the demo's dataset is the
    one of that moment; another moment would build another), then it travels."""
    assert clock() == FROZEN_NOW
    app = make_app("--screen", "realtime", config_text=QUIET + config, store_factory=demo_store(clock, demo_cache))
    app.clock = clock
    return app


async def travel(pilot, app, clock: Clock, to: datetime) -> None:
    """Open at FROZEN_NOW, then move the clock to `to` and poll there."""
    await settle(pilot, app)
    clock.now = to
    await poll_and_judge(pilot, app)


async def poll_and_judge(pilot, app) -> None:
    """One poll, then the usual levels it may have asked for (a worker the poll starts)."""
    realtime(app).poll_now()
    for _ in range(3):
        await wait_for_workers(app)
        await pilot.pause()


async def test_the_launch_spike_alerts_once_sustained_and_its_end_says_back_to_usual(
        make_app, demo_cache, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DATAFAST_API_KEY", "df_never_to_the_hook")
    script, received = tmp_path / "hook.py", tmp_path / "alerts.jsonl"
    script.write_text(HOOK, encoding="utf-8")
    config = (f'[alerts]\nfactor = 2\nsustain = 60\ntraffic = ["toast", "bell", "command"]\n'
              f'command = {json.dumps([sys.executable, str(script), str(received)])}\n')
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock, config)
    bells: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        await travel(pilot, app, clock, LAUNCH + timedelta(minutes=22))
        screen = realtime(app)
        assert screen.usual is not None and screen.feed.count is not None
        usual = screen.usual.usual(clock())
        assert usual is not None and screen.feed.count >= 2 * usual, (screen.feed.count, usual)
        assert screen.traffic.state == "usual", "not before it lasted the sustain time"
        assert f"usual {usual:.1f} Mon 11h · since" in screen_text(app)

        clock.advance(seconds=61)
        await poll_and_judge(pilot, app)
        assert screen.traffic.state == "above"
        above = [m for title, m in toasts(app) if title == "Traffic above usual"]
        assert len(above) == 1 and "the usual" in above[0] and "for Mon 11h" in above[0], toasts(app)
        assert bells == [1]
        assert screen.query_one(LiveCount).has_class("alerting")
        assert f"▲ {screen.feed.count / usual:.1f}× usual" in screen_text(app)

        clock.advance(seconds=30)
        await poll_and_judge(pilot, app)
        assert len([t for t, _ in toasts(app) if t == "Traffic above usual"]) == 1, "told once, not every poll"

        # Six days on, the spike has faded: the same hour of the week is usual again.
        clock.advance(days=6)
        await poll_and_judge(pilot, app)
        clock.advance(seconds=61)
        await poll_and_judge(pilot, app)
        assert screen.traffic.state == "usual"
        assert any(t == "Traffic back to usual" for t, _ in toasts(app))

        await pilot.press("a")
        log = screen.query_one("#rt-alerts", LiveList)
        await pilot.pause()
        assert screen.query_one("#rt-alerts-box").display and not screen.query_one("#rt-payments-box").display
        assert app.focused is log
        kinds = [str(row.cells[1]) for row in log.rows]
        assert kinds == ["= usual", "▲ above"], kinds
        assert "Alerts  2 logged" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert screen.query_one("#rt-payments-box").display and not screen.query_one("#rt-alerts-box").display

    sent = [json.loads(line) for line in received.read_text(encoding="utf-8").splitlines()]
    assert [a["kind"] for a in sent] == ["traffic_above", "traffic_usual"]
    first = sent[0]
    assert first["site"] == "demo" and first["live"] >= 2 * first["usual"] and first["factor"] == 2
    assert datetime.fromisoformat(first["time"]) == LAUNCH + timedelta(minutes=23, seconds=1)
    assert not any(a["saw_key"] for a in sent), "the hook's environment has no API key"


async def test_a_failing_command_is_logged_and_shown_not_raised(make_app, demo_cache, tmp_path: Path) -> None:
    config = ('[alerts]\nsustain = 0\ntraffic = ["command"]\n'
              f'command = {json.dumps([str(tmp_path / "no-such-program"), "--flag"])}\n')
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock, config)
    async with app.run_test(size=SMALL) as pilot:
        await travel(pilot, app, clock, LAUNCH + timedelta(minutes=22))
        screen = realtime(app)
        assert screen.traffic.state == "above"
        assert [t for t, _ in toasts(app)] == ["Alert command failed"], "no toast asked for the alert itself"
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(app)
        assert "✕ command" in text and "not found" in text and "▲ above" in text


async def test_usual_traffic_does_not_alert(make_app, demo_cache) -> None:
    clock = Clock()
    app = open_realtime(make_app, demo_cache, clock, "[alerts]\nsustain = 0\n")
    async with app.run_test(size=SIZE) as pilot:
        await travel(pilot, app, clock, FROZEN_NOW - timedelta(days=3))
        for _ in range(5):
            await poll_and_judge(pilot, app)
            clock.advance(minutes=7)
        screen = realtime(app)
        assert screen.usual is not None and screen.traffic.state == "usual"
        assert not [t for t, _ in toasts(app) if t.startswith("Traffic")]
        assert len(screen.alert_log) == 0


def test_launch_is_a_monday_at_11_in_the_demo_sites_zone() -> None:
    """The moments above rest on the demo's rhythm: check them, so a change there is caught here."""
    from zoneinfo import ZoneInfo

    local = LAUNCH.astimezone(ZoneInfo("America/New_York"))
    assert (local.weekday(), local.hour) == (0, 11) and LAUNCH.tzinfo is timezone.utc


async def test_usual_levels_that_cannot_be_had_are_not_asked_every_poll(make_app, demo_cache) -> None:
    import httpx

    from tests.ui.realtime_support import switched_demo_store

    switches: list = []
    clock = Clock()
    app = make_app("--screen", "realtime", config_text=QUIET, store_factory=switched_demo_store(clock, demo_cache,
                                                                                                   switches))
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = realtime(app)
        assert screen.usual is None, "not at the first poll: a glance at Realtime costs no more"
        await poll_and_judge(pilot, app)
        assert screen.usual is not None, "from the second poll on"
        inner = switches[0].inner
        asked: list[str] = []

        class RefuseSeries(httpx.AsyncBaseTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                asked.append(request.url.path)
                if request.url.path.endswith("/timeseries"):
                    return httpx.Response(503, json={"status": "error", "error": {"code": 503, "message": "busy"}})
                return await inner.handle_async_request(request)

        switches[0].inner = RefuseSeries()
        clock.advance(hours=1)  # another hour: its levels are asked, and refused
        for _ in range(4):
            await poll_and_judge(pilot, app)
            clock.advance(seconds=5)
        assert asked.count("/api/v1/analytics/timeseries") == 1, asked
        assert asked.count("/api/v1/analytics/realtime") == 4
        assert screen.usual is not None and not screen.usual.is_current(clock()), "the last levels stay, dated"
