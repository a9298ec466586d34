"""Regenerate the SVG screenshots in this folder from the demo, at fixed sizes and a frozen clock.

Run: python screenshots/make_screenshots.py   (takes ~20 s: the demo dataset is generated for
the frozen date into a temporary cache). Each shot is a list of steps: keys to press, or
callables that get the app.
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from datafast_tui.api.filters import Filter  # noqa: E402
from datafast_tui.api.ratelimit import RateLimiter  # noqa: E402
from datafast_tui.app import DataFastApp  # noqa: E402
from datafast_tui.cli import parse_settings  # noqa: E402
from datafast_tui.settings import Connection  # noqa: E402
from datafast_tui.store_factory import DemoOptions, open_store  # noqa: E402

FROZEN_NOW = datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)
Step = str | Callable[[DataFastApp], object]


class Clock:
    """The shots' clock: FROZEN_NOW, unless a step travels (the demo's data follows it)."""

    def __init__(self) -> None:
        self.now = FROZEN_NOW

    def __call__(self) -> datetime:
        return self.now


CLOCK = Clock()
#: The demo's launch spike: its history ends at FROZEN_NOW's hour, the launch was 38 days before.
LAUNCH = FROZEN_NOW.replace(minute=0) - timedelta(days=38)
#: The Sites shot: each profile is a demo dataset of its own seed standing in for another site.
SITE_SEEDS = {"shop": 7, "docs": 9}
SITES_CONFIG = """\
[sites.shop]
api_key = "df_demo_shop"

[sites.docs]
api_key = "df_demo_docs"
"""


def travel(to: datetime) -> Callable[[DataFastApp], None]:
    """Move the clock (the app and the demo follow it), then poll Realtime there."""
    def go(app: DataFastApp) -> None:
        CLOCK.now = to
        app.screen.poll_now()

    return go


def add_filter(dimension: str, value: str) -> Callable[[DataFastApp], None]:
    return lambda app: app.add_filter(Filter(dimension, "is", (value,)))


def fill_fields(**values: str) -> Callable[[DataFastApp], None]:
    """Type into a dialog's fields by id (f_name -> #f-name)."""
    def fill(app: DataFastApp) -> None:
        for ident, value in values.items():
            app.screen.query_one("#" + ident.replace("_", "-")).value = value

    return fill


#: A returning demo visitor (at the frozen clock) with page views, browser goals and API goals.
DEMO_VISITOR = "d445c18f-60c7-48cd-88ee-345f89792fb5"


def record_payment(app: DataFastApp) -> None:
    """A payment from an active visitor, so the Realtime screen's payment feed (and toast) has one."""
    from datafast_tui.api.writes import PaymentRequest

    async def pay() -> None:
        visitor = (await app.store.realtime_map()).value.visitors[2].visitor_id
        await app.store.create_payment(PaymentRequest(amount=49, currency="USD", transaction_id="screenshot-1",
                                                      visitor_id=visitor, name="Ada Lovelace"))

    app.run_worker(pay())


def focus_chart(app: DataFastApp) -> None:
    from datafast_tui.widgets.chart import TimeChart

    app.screen.query_one(TimeChart).focus()


def saved_views(app: DataFastApp) -> None:
    """Three views in the screenshot's own config file, as b would have saved them."""
    from datafast_tui.config import load_config
    from datafast_tui.views import SavedView, save_view

    for view in (SavedView("pricing this week", "p", "last_7_days", None, None, ("page is /pricing",), True,
                           "overview"),
                 SavedView("germany referrers", "g", "last_30_days", None, None, ("country is Germany",), False,
                           "breakdowns", "referrers"),
                 SavedView("black friday", "f", None, "2026-11-20", "2026-11-26", (), True, "breakdowns", "pages")):
        save_view(app.settings.config.path, "demo", view)
    # What the app reads from the file at its next start.
    app._site_views = dict(load_config(app.settings.config.path).views_of("demo"))  # noqa: SLF001


SHOTS: dict[str, tuple[tuple[int, int], Sequence[str], Sequence[Step]]] = {
    "overview": ((120, 36), (), ()),
    "overview-80x24": ((80, 24), (), ()),
    "overview-compare-revenue": ((120, 36), ("--range", "last_7_days"),
                                 (add_filter("device", "desktop"), "c", "m", "m")),
    "overview-chart-cursor": ((120, 36), ("--range", "last_7_days", "--compare"), (focus_chart, "left", "left")),
    "range-menu": ((120, 36), (), ("d",)),
    "saved-views": ((120, 36), (), (saved_views, "apostrophe")),
    "filter-dialog": ((120, 36), (), ("slash", *"country", "enter", *"ger")),
    "help": ((120, 36), (), ("question_mark",)),
    "breakdowns": ((120, 36), ("--screen", "breakdowns"), ("j", "j")),
    "breakdowns-80x24": ((80, 24), ("--screen", "breakdowns"), ("l", "l", "l", "l", "s", "s")),
    "breakdowns-campaigns": ((120, 36), ("--screen", "breakdowns"), ("l", "l", "right", "right")),
    # Compare on, sorted by the change, biggest rise first: s walks the columns to Change.
    "breakdowns-compare": ((120, 36), ("--screen", "breakdowns", "--compare", "--range", "last_7_days"),
                           ("l",) + ("s",) * 6),
    "breakdowns-search": ((120, 36), ("--screen", "breakdowns"), ("l",) * 6 + ("slash", *"san")),
    "breakdowns-export": ((120, 36), ("--screen", "breakdowns"), ("l",) * 6 + ("s", "s", "e")),
    "visitor": ((120, 36), ("--visitor", DEMO_VISITOR), ()),
    "visitor-80x24": ((80, 24), ("--visitor", DEMO_VISITOR), ()),
    "visitor-lookup": ((120, 36), ("--screen", "visitor"), ("o",)),
    "goal-dialog": ((120, 36), ("--visitor", DEMO_VISITOR),
                    ("n", fill_fields(f_name="trial_started", f_meta_1="plan", f_metavalue_1="pro"))),
    "payment-dialog": ((120, 36), ("--visitor", DEMO_VISITOR),
                       ("p", fill_fields(f_amount="49", f_transaction="tui-3f9a1c0d2b7e",
                                         f_email="ann@example.com", f_timestamp="2026-11-26 09:15"))),
    "delete-goals-confirm": ((120, 36), ("--visitor", DEMO_VISITOR),
                             ("x", fill_fields(f_visitor="", f_name="signup"), "ctrl+s")),
    "realtime": ((120, 36), ("--screen", "realtime"), (record_payment, "r")),
    "realtime-80x24": ((80, 24), ("--screen", "realtime"), ()),
    "realtime-paused": ((120, 36), ("--screen", "realtime"), ("p", "s")),
    # The launch day: traffic far above its usual level for a Monday at 11, held for a minute.
    "realtime-alerts": ((120, 36), ("--screen", "realtime"),
                        (travel(LAUNCH + timedelta(minutes=22)), travel(LAUNCH + timedelta(minutes=23, seconds=1)),
                         "a")),
    "sites": ((120, 36), ("--screen", "sites"), ()),
    "people": ((120, 36), ("--screen", "people", "--range", "last_7_days"),
               (add_filter("page", "/pricing"), add_filter("goal", "signup"))),
    "people-80x24": ((80, 24), ("--screen", "people"), ("c",)),
    "funnels": ((120, 36), ("--screen", "funnels", "--range", "last_30_days"), ("c",)),
}


async def settle(app: DataFastApp, pilot) -> None:
    for _ in range(6):
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


async def shoot(name: str, size: tuple[int, int], argv: Sequence[str], steps: Sequence[Step],
                cache: Path) -> Path:
    async def store(connection):
        seed = SITE_SEEDS.get(connection.profile or "")
        if seed is not None:
            connection = Connection(demo=True)
        return await open_store(connection, demo=DemoOptions(seed=seed, clock=CLOCK, cache_dir=cache),
                                rate_limiter=RateLimiter(10_000, 60))

    CLOCK.now = FROZEN_NOW
    config = cache / ("sites.toml" if name == "sites" else "none.toml")
    if name == "sites":
        config.write_text(SITES_CONFIG, encoding="utf-8")
        config.chmod(0o600)
    settings = parse_settings(["--demo", "--config", str(config), *argv], {})
    app = DataFastApp(settings, store_factory=store, clock=CLOCK)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for step in steps:
            if callable(step):
                step(app)
            else:
                await pilot.press(step)
            await settle(app, pilot)
        path = HERE / f"{name}.svg"
        app.save_screenshot(str(path))
    return path


class _Terminal(io.StringIO):
    """Output that says it is a terminal: the report then colours its changes, as a user sees it."""

    def isatty(self) -> bool:
        return True


REPORT_ARGS = ("--demo", "--compare", "--overview", "--top", "pages", "--top", "referrers", "--realtime",
               "--limit", "5")


def shoot_report(cache: Path) -> Path:
    """`datafast-tui report` in a 110-column terminal, drawn as an SVG like the app's screenshots."""
    from rich.console import Console
    from rich.text import Text

    from datafast_tui.report.command import run

    out, err = _Terminal(), io.StringIO()
    code = run(["--config", str(cache / "none.toml"), *REPORT_ARGS], environ={}, stdout=out, stderr=err,
               demo=DemoOptions(clock=lambda: FROZEN_NOW, cache_dir=cache), now=FROZEN_NOW, width=110)
    if code != 0:
        raise RuntimeError(f"report exited {code}: {err.getvalue()}")
    console = Console(record=True, width=110, file=io.StringIO(), force_terminal=True)
    console.print(Text("$ datafast-tui report " + " ".join(REPORT_ARGS[1:]), style="bold"))
    console.print(Text.from_ansi(out.getvalue()))
    path = HERE / "report.svg"
    console.save_svg(str(path), title="datafast-tui report")
    return path


async def main(only: Sequence[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # The Visitor screen's recent list: start empty and leave the user's own file alone.
        os.environ["DATAFAST_TUI_STATE_DIR"] = tmp
        for name, (size, argv, steps) in SHOTS.items():
            if only and name not in only:
                continue
            path = await shoot(name, size, argv, steps, Path(tmp))
            print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
    if len(sys.argv) == 1 or "report" in sys.argv[1:]:  # its own event loop: after the app's shots
        with tempfile.TemporaryDirectory() as folder:
            print(f"wrote {shoot_report(Path(folder)).relative_to(HERE.parent)}")
