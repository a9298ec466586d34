"""Soak: every screen driven for a fixed number of seeded-random steps under a 20 % fault rate, then recovery.

The demo API fails a fifth of the requests in every documented way (500, 429 with a reset
time, answers slower than the client's deadline, truncated or invalid JSON, an HTML page,
connection resets). After every step the app must still run, no worker may have died, no
Python text may be on screen, every view must show data or a clear error, old data must
say how old it is, and while the connection is in trouble the header must say since when
data last arrived. Then the faults stop and, without a restart, the app's own timers and
`r` must bring every screen back to fresh data.

The client gets two attempts per GET (the app's default is four) so that a few faults in a
run get through the retries and reach the screens, which is what this test is about.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from datafast_tui.api.client import RetryPolicy
from datafast_tui.api.filters import Filter
from datafast_tui.app import DataFastApp
from datafast_tui.demo import FaultPlan
from datafast_tui.dialogs.help import HelpDialog
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.screens.overview import OverviewScreen
from datafast_tui.screens.realtime import RealtimeScreen
from datafast_tui.screens.visitor import VisitorScreen
from datafast_tui.widgets.kpi import KpiCard
from tests.robustness.conftest import SHOWABLE_VISITORS, DemoRig, python_text, rig_store, settle, terminal_problems
from tests.ui.conftest import SIZE, screen_text
from tests.ui.realtime_support import Clock

STEPS = 60
VISIT_EVERY = 10
SEED = 8
#: Its draws hold every kind of fault within the first 26 requests (the soak sends 150 or more).
FAULT_SEED = 28
#: Small delays keep a soak of a few hundred requests within a minute.
SOAK_RETRY = RetryPolicy(max_attempts=2, base_delay=0.05, max_delay=0.2)
#: The client gives up after timeout + 1 s; a `slow` fault waits longer than that. Each
#: slow fault and each 429 costs the walk its wait, so both are as short as still means something.
TIMEOUT, SLOW, RETRY_AFTER = 0.5, 1.8, 1
FILTERS = (
    Filter("device", "is", ("desktop",)),
    Filter("country", "is", ("United States",)),
    Filter("page", "contains", ("/blog",)),
    Filter("referrer", "is", ("Google",)),
)
STALE_WORDS = re.compile(r"Showing data from (\d+s|\d+ min|\d+ h) ago")


def text_of(widget: Static) -> str:
    visual = widget.visual
    return getattr(visual, "plain", str(visual))


def message_error(screen: object) -> str:
    """The screen's error line when it shows one, else ""."""
    if not isinstance(screen, DataScreen):
        return ""
    message = screen.message
    return text_of(message) if message.has_class("error") and message.display else ""


def header_line(app: DataFastApp) -> str:
    return screen_text(app).splitlines()[0]


def view_state(app: DataFastApp) -> tuple[str, list[str]]:
    """("data" | "stale" | "error", problems): what the current screen shows, and why that is not
    data or a clear error state (no problems: it is)."""
    screen = app.screen
    error = message_error(screen)
    if isinstance(screen, OverviewScreen):
        data = screen.data
        if data is None:
            return "error", ["overview: nothing drawn and no error"]
        if data.overview.value is None:
            return "error", [] if error else ["overview: no KPIs and no error line"]
        values = [text_of(card.query_one(".value", Static)) for card in screen.query(KpiCard)]
        if any(v in ("…", "–", "") for v in values):
            return "error", [f"overview: a KPI without a value {values}"]
        parts = [data.overview, data.series, *data.tops.values()]
        if any(p.result is not None and p.result.stale for p in parts):
            return "stale", [] if STALE_WORDS.search(error) else [f"overview: old data, age not said: {error!r}"]
        if any(p.problem is not None for p in parts):
            return "error", [] if error or all(p.value is not None for p in parts[:2]) else ["overview: no error"]
        return "data", []
    if isinstance(screen, BreakdownsScreen):
        state = screen.state
        if state.error is not None:
            box = screen.query_one("#tab-error", Static)
            shown = box.display and "could not be loaded" in text_of(box)
            return "error", [] if shown else [f"breakdowns {state.endpoint}: failed, but no error shown"]
        if not state.current_for(app.query):
            return "error", [f"breakdowns {state.endpoint}: rows of another query or none, and no error"]
        if state.stale_since is not None:
            return "stale", [] if STALE_WORDS.search(error) else [f"breakdowns: old rows, age not said: {error!r}"]
        return ("error" if state.problem else "data"), []
    if isinstance(screen, RealtimeScreen):
        if screen.polls == 0:
            return "error", ["realtime: no poll finished"]
        if screen.schedule.failures:
            last = re.search(r"\((last data at \d\d:\d\d:\d\d|no data yet)\)", error)
            return "error", [] if last else [f"realtime: failing polls without a dated error line: {error!r}"]
        return "data", [] if screen.feed.count is not None else ["realtime: a good poll but no count"]
    if isinstance(screen, VisitorScreen):
        if screen.visitor_id is None:
            return "data", []
        if screen.visitor is not None and screen.visitor.visitor_id == screen.visitor_id:
            if error:
                return "stale", [] if STALE_WORDS.search(error) else [f"visitor: old data, age not said: {error!r}"]
            return "data", []
        problem = screen.query_one("#visitor-intro").has_class("problem")
        return "error", [] if problem else [f"visitor {screen.visitor_id}: neither shown nor an error"]
    return "data", []


def check(app: DataFastApp, failures: list, label: str) -> str:
    """Everything that must hold after every step; returns the view's state."""
    assert app.is_running and app._exception is None, label  # noqa: SLF001
    assert failures == [], f"{label}: a worker died: {failures}"
    if isinstance(app.screen, HelpDialog):
        return "help"
    text = screen_text(app)
    assert python_text(text) == [], f"{label}: Python text on screen"
    assert terminal_problems(app) == [], label
    state, problems = view_state(app)
    assert problems == [], f"{label}\n{text}"
    if app.status.state in ("offline", "error"):
        header = header_line(app)
        assert re.search(r" · (data \S+( min| h)? old|no data yet)", header), f"{label}: trouble, no age: {header}"
    return state


class Soak:
    """The app under faults and the actions a user takes on each screen (seeded choices)."""

    def __init__(self, app: DataFastApp, pilot: Pilot, rig: DemoRig, clock) -> None:  # noqa: ANN001
        self.app, self.pilot, self.clock = app, pilot, clock
        self.rng = random.Random(SEED)
        self.visits = -1
        self.visitors = [str(v) for v in rig.column(SHOWABLE_VISITORS, 30)]
        self.visitors += [str(rig.scalar("SELECT visitor_id FROM visitors WHERE is_bot = 1 LIMIT 1")),
                          "no-such-visitor-0000"]

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def close_dialogs(self) -> None:
        while self.app.screen.is_modal:
            await self.press("escape")

    # -- everywhere ------------------------------------------------------------------------

    async def screen(self) -> None:
        await self.press(self.rng.choice("1234"))

    async def visit(self) -> None:
        self.visits += 1
        await self.press("2341"[self.visits % 4])

    async def range_menu(self) -> None:
        await self.press("d")
        await self.pilot.pause()  # the menu is up before its key comes, as with a person typing
        await self.press(self.rng.choice("t7394hla"))

    async def step_range(self) -> None:
        await self.press(self.rng.choice("[]"))

    async def compare(self) -> None:
        await self.press("c")

    async def add_filter(self) -> None:
        self.app.add_filter(self.rng.choice(FILTERS))

    async def filter_dialog(self) -> None:
        # On Breakdowns `/` searches the table; its `f` opens the same dialog as `/` elsewhere.
        await self.press("f" if isinstance(self.app.screen, BreakdownsScreen) else "slash")
        await self.pilot.pause()
        await self.press(*"device", "enter", *self.rng.choice(["mobile", "desktop,tablet"]), "enter")
        await self.close_dialogs()

    async def remove_filter(self) -> None:
        filters = self.app.query.filters
        if filters:
            self.app.remove_filter(self.rng.choice(filters).dimension)

    async def refresh(self) -> None:
        await self.press("r")

    async def periodic(self) -> None:
        self.app._periodic_refresh()  # noqa: SLF001 - what the app's refresh timer calls

    async def help(self) -> None:
        await self.press("question_mark")
        await self.pilot.pause()
        assert isinstance(self.app.screen, HelpDialog)
        await self.press("j", "j", "escape")

    async def palette(self) -> None:
        target = self.rng.choice(["Go to Overview", "Go to Breakdowns", "Go to Realtime", "Refresh now"])
        await self.press("ctrl+p")
        await self.pilot.pause()
        await self.press(*target)
        for _ in range(20):  # the palette searches its providers in the background
            await self.pilot.pause(0.02)
        await self.press("enter")
        await self.pilot.pause()
        await self.close_dialogs()

    # -- per screen ------------------------------------------------------------------------

    async def overview_keys(self) -> None:
        await self.press(self.rng.choice(["m", "M", "i"]))

    async def drill(self) -> None:
        await self.press("tab", "enter")

    async def tab(self) -> None:
        await self.press(*self.rng.choice([["l"], ["h"], ["l", "l"], ["tab"], ["shift+tab"]]))

    async def sort(self) -> None:
        await self.press(self.rng.choice(["s", "S", "s"]))

    async def paging(self) -> None:
        await self.press(*self.rng.choice([["pagedown"], ["G"], ["n"], ["g"], ["j", "j", "k"]]))

    async def search(self) -> None:
        await self.press("slash", *self.rng.choice(["go", "a", "/"]), "enter", "escape")

    async def export(self) -> None:
        await self.press("e")
        await self.pilot.pause()
        await self.press("enter")  # to the proposed file, in the test's own folder
        await self.pilot.pause()
        await self.close_dialogs()

    async def poll(self) -> None:
        self.clock.advance(seconds=5)
        screen = self.app.screen
        assert isinstance(screen, RealtimeScreen)
        screen.poll_now()

    async def realtime_keys(self) -> None:
        await self.press(self.rng.choice(["s", "S", "p", "p", "r"]))

    async def visitor(self) -> None:
        self.app.open_visitor(self.rng.choice(self.visitors))

    async def lookup(self) -> None:
        await self.press("o")
        await self.pilot.pause()
        await self.press(*self.rng.choice(self.visitors[:5]), "enter")
        await self.close_dialogs()


EVERYWHERE = ("screen", "screen", "screen", "range_menu", "step_range", "compare", "add_filter", "filter_dialog",
              "remove_filter", "refresh", "periodic", "help", "palette")
ON_SCREEN = {
    OverviewScreen: ("overview_keys", "drill"),
    BreakdownsScreen: ("tab", "tab", "sort", "paging", "search", "drill", "export"),
    RealtimeScreen: ("poll", "poll", "realtime_keys"),
    VisitorScreen: ("visitor", "visitor", "lookup"),
}


def fresh_problems(app: DataFastApp) -> list[str]:
    """Why the current screen does not show fresh data (empty: it does)."""
    screen, problems = app.screen, []
    if message_error(screen):
        problems.append(f"{type(screen).__name__} still shows an error: {message_error(screen)}")
    if isinstance(screen, OverviewScreen):
        data = screen.data
        parts = [data.overview, data.series, *data.tops.values()] if data is not None else []
        if not parts or any(p.result is None or p.result.stale for p in parts):
            problems.append("overview: a part is missing or stale")
    elif isinstance(screen, BreakdownsScreen):
        state = screen.state
        if state.error or state.problem or not state.current_for(app.query) or state.stale_since is not None:
            problems.append(f"breakdowns {state.endpoint}: not fresh")
    elif isinstance(screen, VisitorScreen) and screen.visitor_id is not None and screen.visitor is None:
        problems.append(f"visitor {screen.visitor_id} not shown")
    return problems


async def test_every_screen_survives_faults_and_recovers(make_app, demo_cache, worker_failures, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # exports go to the current folder
    clock = Clock()
    plan = FaultPlan(0.2, seed=FAULT_SEED, slow_seconds=SLOW, retry_after_seconds=RETRY_AFTER)
    rig = DemoRig(plan=plan)
    app = make_app(store_factory=rig_store(rig, demo_cache, clock=clock, timeout=TIMEOUT, retry=SOAK_RETRY))
    app.clock = clock
    started = time.perf_counter()
    log: list[str] = []
    states: dict[str, int] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        soak = Soak(app, pilot, rig, clock)
        for step in range(STEPS):
            if step % VISIT_EVERY == 0:
                name = "visit"  # each screen gets its turn, whatever the random walk does
            else:
                name = soak.rng.choice(EVERYWHERE + ON_SCREEN.get(type(app.screen), ()))
            log.append(f"{step} {type(app.screen).__name__}.{name}")
            await getattr(soak, name)()
            await settle(pilot, app)
            state = check(app, worker_failures, " > ".join(log[-4:]))
            key = f"{type(app.screen).__name__}:{state}"
            states[key] = states.get(key, 0) + 1
        assert all(any(k.startswith(t.__name__) for k in states) for t in ON_SCREEN), states  # every screen seen
        assert set(plan.injected) == set(plan.weights), plan  # every kind of fault struck
        assert any(not k.endswith(":data") and not k.endswith(":help") for k in states), states  # some got through

        # The faults stop. Without a restart, the app's timers and r bring every screen back.
        plan.rate = 0
        for store in rig.stores:  # the short deadline only made `slow` faults cheap; a busy test
            store.client.timeout = 10.0  # machine must not fail real answers in the recovery
        for key in "124":
            await pilot.press(key)
            await settle(pilot, app)
            app._periodic_refresh()  # noqa: SLF001 - what the app's refresh timer calls
            await settle(pilot, app)
            check(app, worker_failures, f"recovery on {key}")
            assert fresh_problems(app) == [], screen_text(app)
            assert app.status.state == "ok" and "● ok" in header_line(app), header_line(app)
        await pilot.press("3")
        await settle(pilot, app)
        realtime = app.screen
        assert isinstance(realtime, RealtimeScreen)
        if realtime.schedule.paused:
            await pilot.press("p")  # the soak left it paused: resume, as a person would
        else:
            clock.advance(seconds=5)
            realtime._on_timer()  # noqa: SLF001 - what the screen's poll timer calls
        await settle(pilot, app)
        check(app, worker_failures, "recovery on 3")
        assert realtime.schedule.failures == 0 and realtime.feed.count is not None
        assert message_error(realtime) == "" and "● LIVE" in screen_text(app)
    print(f"soak: {STEPS} steps, {plan.requests} requests, faults {dict(plan.injected)}, "
          f"states {states}, {time.perf_counter() - started:.1f} s")


async def test_stale_data_says_how_old_it_is_and_recovers(make_app, demo_cache, worker_failures) -> None:
    """Every request fails after each screen loaded once: old data stays, labelled with its age; then it heals."""
    clock = Clock()
    plan = FaultPlan(0.0, seed=SEED, weights={"server_error": 1.0})
    rig = DemoRig(plan=plan)
    app = make_app(store_factory=rig_store(rig, demo_cache, clock=clock, retry=RetryPolicy(max_attempts=1)))
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key in "234":
            await pilot.press(key)
            await settle(pilot, app)
        app.open_visitor(str(rig.scalar(SHOWABLE_VISITORS, 1)))
        await settle(pilot, app)
        assert app.screen.visitor is not None, screen_text(app)
        plan.rate = 1.0
        for key, screen_type in (("1", OverviewScreen), ("2", BreakdownsScreen), ("4", VisitorScreen)):
            await pilot.press(key, "r")
            await settle(pilot, app)
            assert isinstance(app.screen, screen_type)
            assert check(app, worker_failures, f"stale {screen_type.__name__}") == "stale"
            error = message_error(app.screen)
            assert "server error 500" in error and STALE_WORDS.search(error), screen_text(app)
            assert re.search(r"server error 500 · data \d+s old", header_line(app)), header_line(app)
        assert app.screen.visitor is not None  # the last good answer stays on screen
        await pilot.press("2")
        await settle(pilot, app)
        assert app.screen.state.view  # so do the rows
        await pilot.press("3")
        await settle(pilot, app)
        realtime = app.screen
        assert isinstance(realtime, RealtimeScreen) and realtime.schedule.failures
        assert re.search(r"since \d\d:\d\d:\d\d \(last data at \d\d:\d\d:\d\d\)", message_error(realtime))
        assert realtime.feed.events, "the lists are kept while polls fail"

        plan.rate = 0.0  # the API heals: the poll timer and the refresh timer bring everything back
        realtime._on_timer()  # noqa: SLF001 - what the screen's poll timer calls
        await settle(pilot, app)
        assert realtime.schedule.failures == 0 and message_error(realtime) == ""
        for key in "124":
            await pilot.press(key)
            await settle(pilot, app)
            app._periodic_refresh()  # noqa: SLF001 - what the app's refresh timer calls
            await settle(pilot, app)
            assert check(app, worker_failures, f"healed on {key}") == "data"
            assert fresh_problems(app) == [] and "● ok" in header_line(app)
