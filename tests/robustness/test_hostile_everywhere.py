"""Hostile data on every screen: markup, escape sequences, controls, bidi, huge and wide text stay literal.

The hostile demo dataset puts such strings into every text field the API returns. Each
view is checked where it matters, in the segments the compositor hands the terminal: no
control character or escape sequence, no link or click action taken from API text, no
Python text; and the markup shows as typed (`[bold red]boom[/]` appears literally, and
no segment around it turned red). Exports are checked in the files written.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rich.color import Color

from datafast_tui.api.catalogue import BREAKDOWNS as TABS
from datafast_tui.api.filters import Filter
from datafast_tui.api.writes import PaymentRequest
from datafast_tui.app import DataFastApp
from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.screens.people import PeopleScreen
from datafast_tui.screens.realtime import RealtimeScreen
from datafast_tui.screens.visitor import VisitorScreen
from tests.robustness.conftest import CONTROLS, DemoRig, python_text, rig_store, segments, settle, terminal_problems
from tests.ui.conftest import SIZE, SMALL, screen_text, wait_for_workers, wait_until
from tests.ui.realtime_support import Clock

MARKUP = "[bold red]boom[/]"
RED = Color.parse("red")
#: Human visitors with pageviews whose attributes the hostile dataset changed (markup or escapes).
HOSTILE_VISITORS = (
    "SELECT v.visitor_id FROM visitors v WHERE v.is_bot = 0"
    " AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey)"
    " AND (v.city LIKE '%[%' OR instr(v.city, char(27)) > 0 OR v.browser LIKE '%[%' OR v.os LIKE '%[%'"
    " OR instr(v.customer_name, char(27)) > 0 OR v.device_vendor LIKE '%[%') ORDER BY v.vkey DESC LIMIT 4"
)
CONFIG = "[realtime]\ninterval = 300\nnotify_goals = true\n"


class Seen:
    """Every view checked so far, and their text together (to look for the literal markup)."""

    def __init__(self, app: DataFastApp) -> None:
        self.app = app
        self.text = ""
        self.views = 0

    def check(self, where: str) -> str:
        app = self.app
        assert app.is_running and app._exception is None, where  # noqa: SLF001
        assert terminal_problems(app) == [], where
        text = screen_text(app)
        assert python_text(text) == [], where
        for segment in segments(app):
            if "boom" in segment.text and segment.style is not None:
                assert segment.style.color != RED and not segment.style.bold or "[" in segment.text, where
        self.text += text
        self.views += 1
        return text


async def test_every_view_shows_hostile_strings_as_literal_text(make_app, hostile_cache: Path, worker_failures,
                                                                tmp_path: Path) -> None:
    clock = Clock()
    rig = DemoRig()
    app = make_app("--range", "all_time", config_text=CONFIG,
                   store_factory=rig_store(rig, hostile_cache, clock=clock, hostile=True))
    app.clock = clock
    # Toasts and tooltips are off in run_test by default: they are views to check here.
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        seen = Seen(app)
        await settle(pilot, app)
        seen.check("overview")

        # Breakdowns: every tab, a few rows down (the detail line shows the whole value).
        await pilot.press("2")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, BreakdownsScreen)
        for tab in TABS:
            assert screen.endpoint == tab.endpoint
            await pilot.press("j", "j", "j")
            await settle(pilot, app)
            assert screen.state.view, tab.endpoint
            seen.check(f"breakdowns {tab.endpoint}")
            await pilot.press("l")
            await settle(pilot, app)
        await pilot.press("slash", "[")  # a quick search for markup
        await settle(pilot, app)
        seen.check("search")
        await pilot.press("escape")

        # Filters made of hostile values: the chips, the palette that lists them, at 80x24 too.
        referrers = [str(v) for v in rig.column("SELECT DISTINCT referrer FROM sessions WHERE referrer LIKE '[%'")]
        app.add_filter(Filter("referrer", "is", (referrers[0],)))
        app.add_filter(Filter("utm_source", "is", ("\x1b]8;;http://evil\x07link\x1b]8;;\x07",)))
        await settle(pilot, app)
        assert "referrer is [" in seen.check("filter chips")
        await pilot.hover("#chip-0")  # its tooltip holds the whole filter
        await wait_until(pilot, lambda: app.screen.query_one("#textual-tooltip").display, "no tooltip")
        seen.check("chip tooltip")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Remove filter")
        await wait_until(pilot, lambda: "Remove filter: referrer is [" in screen_text(app), "the palette never listed it")
        assert "Remove filter: referrer is [" in seen.check("palette")
        await pilot.press("escape")
        await pilot.resize_terminal(*SMALL)
        await settle(pilot, app)
        seen.check("breakdowns 80x24")
        await pilot.resize_terminal(*SIZE)
        app.action_clear_filters()
        await settle(pilot, app)

        # The filter dialog (on the Referrers tab, for referrers) completing from the hostile rows.
        await pilot.press("f")
        await settle(pilot, app)
        await pilot.press("[")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "FilterDialog", dialog
        suggestion = dialog.query_one("#values")._suggestion  # noqa: SLF001
        assert suggestion.startswith("[") and len(suggestion) > 1, suggestion
        assert suggestion in seen.check("filter dialog")
        await pilot.press("escape")

        # Realtime: live traffic arrives as the clock moves; a payment from a hostile name is a toast.
        await pilot.press("3")
        await settle(pilot, app)
        realtime = app.screen
        assert isinstance(realtime, RealtimeScreen)
        active = realtime.feed.live_map.visitors
        await app.store.create_payment(PaymentRequest(
            amount=49, currency="USD", transaction_id="hostile-1", visitor_id=active[0].visitor_id,
            name=MARKUP + "\x1b]0;pwned\x07 \u202eevil"))
        for _ in range(3):
            clock.advance(seconds=20)
            realtime.poll_now()
            await pilot.pause()
            await pilot.pause()
            await wait_for_workers(app)
            await pilot.pause()
        toasts = [n.message for n in app._notifications]  # noqa: SLF001
        assert any(MARKUP in m for m in toasts), toasts
        assert MARKUP in seen.check("realtime with toasts")
        await settle(pilot, app)
        for key in ("s", "s", "s", "s"):
            await pilot.press(key)
            await pilot.pause()
            seen.check("realtime sorted")
        await pilot.press("a")  # the alert log: the hostile payment as it alerted
        await pilot.pause()
        assert MARKUP in seen.check("alert log")
        await pilot.press("a")

        # Sites: the hostile site's figures on the board.
        await pilot.press("7")
        await settle(pilot, app)
        seen.check("sites")

        # Visitor: hostile visitors, their pick list and a dialog over one of them.
        await pilot.press("4")
        await settle(pilot, app)
        ids = [str(v) for v in rig.column(HOSTILE_VISITORS)]
        assert len(ids) == 4
        for vid in ids:
            app.open_visitor(vid)
            await settle(pilot, app)
            visitor = app.screen
            assert isinstance(visitor, VisitorScreen) and visitor.visitor is not None, vid
            seen.check(f"visitor {vid}")
        await pilot.press("o")
        await settle(pilot, app)
        seen.check("lookup")
        await pilot.press("escape", "p")
        await settle(pilot, app)
        seen.check("payment dialog")
        await pilot.press("escape")
        await settle(pilot, app)

        # People: the hostile visitors' locations, devices, URLs and acquisition as rows.
        await pilot.press("5")
        await settle(pilot, app)
        assert isinstance(app.screen, PeopleScreen) and app.screen.state.rows
        seen.check("people")
        await pilot.press("G", "c")
        await settle(pilot, app)
        seen.check("people, customers, at the end")
        assert worker_failures == []
    assert MARKUP in seen.text and "[link=http:" in seen.text, "markup not shown as typed"
    assert "pwned" not in seen.text  # an OSC sequence is dropped whole, its payload too
    assert seen.views >= 25


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_exports_of_hostile_rows_are_plain_text(make_app, hostile_cache: Path, tmp_path: Path, fmt: str) -> None:
    rig = DemoRig()
    app = make_app("--screen", "breakdowns", "--range", "all_time",
                   store_factory=rig_store(rig, hostile_cache, hostile=True))
    target = tmp_path / f"referrers.{fmt}"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("l")
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#format").value = fmt
        await pilot.pause()
        app.screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    raw = target.read_bytes().decode("utf-8")
    assert not CONTROLS.search(raw.replace("\n", "").replace("\r", ""))
    assert "\\u001b" not in raw and "\\u009b" not in raw and "\\u202e" not in raw
    if fmt == "csv":
        rows = list(csv.reader(raw.splitlines()))
        referrers = [row[0] for row in rows[1:]]
        assert not any(r.startswith(("=", "+", "-", "@")) for r in referrers)
    else:
        referrers = [row["referrer"] for row in json.loads(raw)["rows"]]
    assert any(r.startswith("[") and r.endswith("[/]") for r in referrers), referrers[:20]  # markup as text
    assert "pwned" not in raw and len(referrers) > 10
