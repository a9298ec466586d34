"""SVG snapshots of every screen over the demo's hostile dataset (frozen clock, fixed demo seed).

The hostile dataset (datafast_tui/demo/hostile.py) puts Rich markup, ANSI/OSC escapes,
control characters, bidi overrides, a 10,000-character path, wide and combining characters,
empty strings and nulls into every text field the API returns. What the SVGs pin: markup
shows as typed (`[bold red]boom[/]` is text, not red), escapes and controls are gone, the
long path is shortened in the middle, wide characters do not push borders or columns.
tests/robustness/test_hostile_everywhere.py checks the same rules in the segments; these
snapshots catch what a rule cannot: a layout that broke.

After an intended change: `pytest tests/snapshots/test_hostile_snapshots.py -n 0 --snapshot-update`,
then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input

from datafast_tui.api.filters import Filter
from datafast_tui.api.writes import PaymentRequest
from datafast_tui.demo.hostile import LONG_PATH
from tests.robustness.conftest import DemoRig, hostile_cache, rig_store, settle  # noqa: F401 - fixture
from tests.ui.conftest import SIZE, SMALL
from tests.ui.visitor_support import state_dir  # noqa: F401 - fixture

#: Human visitors with pageviews whose attributes the hostile dataset changed (the one with
#: the most pageviews of each kind).
VISITORS = {
    # OS is the 10,000-character path; this one's device model is an unterminated bidi
    # isolate and its first session's `ref` a ZWJ family emoji.
    "long": "length(v.os) > 1000 AND v.customer_name IS NOT NULL",
    # A customer named `[bold red]boom[/]` (the Visitor API does not return names): this one's
    # timeline has goals named `back\x08space` and `\u2066unterminated isolate`, described in
    # wide characters.
    "markup": "v.customer_name = '[bold red]boom[/]'",
}
VISITOR_SQL = ("SELECT v.visitor_id FROM visitors v WHERE v.is_bot = 0"
               " AND EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey) AND {}"
               " ORDER BY (SELECT COUNT(*) FROM pageviews p WHERE p.vkey = v.vkey) DESC, v.vkey LIMIT 1")
#: Names of the payments the Realtime feed shows (a payment's name is free text).
PAYMENT_NAMES = ("[bold red]boom[/]\x1b]0;pwned\x07 \u202eevil", LONG_PATH,
                 "👩\u200d👩\u200d👧\u200d👦 日本語のページ e\u0301\u0301\u0301", "[link=http://evil.example]click[/link]")
QUIET = "[realtime]\ninterval = 300\n"
#: A fixed transaction id: the payment dialog's own is random.
TX = "tui-3f9a1c0d2b7e"


@pytest.fixture(autouse=True)
def _private_state(state_dir: Path) -> None:
    """The recent-visitors file goes to a temporary folder (the Visitor screen lists it)."""


@pytest.fixture
def hostile_app(make_app, hostile_cache: Path) -> Callable:
    """`hostile_app(*argv, payments=False)` -> (app on the hostile demo, its rig).

    `payments=True` first records payments with hostile names from active visitors, for the
    Realtime feed.
    """

    def build(*argv: str, payments: bool = False, config_text: str | None = None):
        rig = DemoRig()
        factory = rig_store(rig, hostile_cache, hostile=True)
        if payments:
            factory = with_hostile_payments(factory)
        return make_app(*argv, store_factory=factory, config_text=config_text), rig

    return build


def with_hostile_payments(factory: Callable) -> Callable:
    async def build(connection):
        store = await factory(connection)
        visitors = (await store.realtime_map()).value.visitors
        for n, name in enumerate(PAYMENT_NAMES):
            await store.create_payment(PaymentRequest(amount=19 + 10 * n, currency="USD",
                                                      transaction_id=f"hostile-{n}",
                                                      visitor_id=visitors[n].visitor_id, name=name))
        return store

    return build


def steps(*actions, rig: DemoRig | None = None, visitor: str | None = None):
    """Settle; open the `visitor` kind (if any); then run actions, settling after each: a key, a
    tuple of keys (pressed in one go), a callable(app), or {input id: value} to fill."""

    async def run(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        if visitor is not None:
            assert rig is not None
            app.open_visitor(str(rig.scalar(VISITOR_SQL.format(VISITORS[visitor]))))
            await settle(pilot, app)
        for action in actions:
            if isinstance(action, dict):
                for ident, value in action.items():
                    app.screen.query_one(f"#{ident}", Input).value = value
                await pilot.pause()
            elif callable(action):
                action(app)
            elif isinstance(action, tuple):
                await pilot.press(*action)
            else:
                await pilot.press(action)
            await settle(pilot, app)

    return run


# -- Overview ------------------------------------------------------------------------------

def test_hostile_overview_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--range", "last_7_days")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps())


def add_filter(dimension: str, value: str) -> Callable:
    return lambda app: app.add_filter(Filter(dimension, "is", (value,)))


def test_hostile_overview_filtered_by_markup_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--range", "all_time")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(add_filter("referrer", "[bold red]boom[/]")))


def test_hostile_overview_filtered_by_long_path_80x24(snap_compare, hostile_app) -> None:
    app, _ = hostile_app()
    # The chip shortens the path in the middle (at 80 columns the row of chips runs off the edge).
    assert snap_compare(app, terminal_size=SMALL, run_before=steps(add_filter("page", LONG_PATH)))


# -- Breakdowns ----------------------------------------------------------------------------
# The popular rows are real ones: the cursor goes down to the hostile ones, or the order is
# reversed (fewest visitors first). The detail line under the table writes the row out whole.

def down(rows: int) -> Callable:
    """The cursor `rows` rows down in one move (`j` pressed that many times, without the redraws)."""
    return lambda app: app.screen.table.action_move(rows)


def test_hostile_breakdowns_pages_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "breakdowns")
    # Reversed; the cursor on the 10,000-character path.
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("S", down(3)))


def test_hostile_breakdowns_referrers_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "breakdowns")
    # Rows 15-42 are hostile; the cursor on `[@click=app.quit]x[/]`.
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("l", down(41)))


def test_hostile_breakdowns_campaigns_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "breakdowns")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps("l", "l", "S", "j"))


def test_hostile_breakdowns_cities_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "breakdowns")
    # The cursor on the city that is the 10,000-character path (row 59).
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(*"llllll", down(59)))


def test_hostile_breakdowns_referrers_80x24(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "breakdowns")
    # The cursor on the referrer that is the 10,000-character path (row 25).
    assert snap_compare(app, terminal_size=SMALL, run_before=steps("l", down(25)))


def test_hostile_filter_dialog_suggestion_80x24(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "breakdowns", "--range", "all_time")
    # On the Referrers tab the filter dialog completes values from the (hostile) referrers.
    assert snap_compare(app, terminal_size=SMALL, run_before=steps("l", "f", ("[", "b")))


# -- Realtime ------------------------------------------------------------------------------

def test_hostile_realtime_120x36(snap_compare, hostile_app) -> None:
    app, _ = hostile_app("--screen", "realtime", payments=True, config_text=QUIET)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps())


# -- Visitor -------------------------------------------------------------------------------

def test_hostile_visitor_long_120x36(snap_compare, hostile_app) -> None:
    app, rig = hostile_app("--screen", "visitor")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(rig=rig, visitor="long"))


def test_hostile_visitor_markup_120x36(snap_compare, hostile_app) -> None:
    app, rig = hostile_app("--screen", "visitor")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(rig=rig, visitor="markup"))


def test_hostile_visitor_long_80x24_identity_side(snap_compare, hostile_app) -> None:
    app, rig = hostile_app("--screen", "visitor")
    assert snap_compare(app, terminal_size=SMALL, run_before=steps("i", rig=rig, visitor="long"))


def test_hostile_payment_dialog_120x36(snap_compare, hostile_app) -> None:
    app, rig = hostile_app("--screen", "visitor")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(
        "p", {"f-amount": "49", "f-transaction": TX, "f-name": "[bold red]boom[/]",
              "f-customer": "[link=http://evil.example]click[/link]"}, rig=rig, visitor="long"))


def test_hostile_goal_confirmation_80x24(snap_compare, hostile_app) -> None:
    app, rig = hostile_app("--screen", "visitor")
    assert snap_compare(app, terminal_size=SMALL, run_before=steps(
        "n", {"f-name": "trial_started", "f-meta-1": "plan",
              "f-metavalue-1": "[bold red]boom[/] 日本語のページ e\u0301\u0301\u0301"},
        "ctrl+s", rig=rig, visitor="markup"))


# -- People ----------------------------------------------------------------------------------

def test_hostile_people_by_markup_referrer_120x36(snap_compare, hostile_app) -> None:
    """Rows whose location, device, URL and acquisition hold the hostile strings."""
    app, _ = hostile_app("--screen", "people", "--range", "all_time")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(add_filter("referrer", "[bold red]boom[/]")))


# -- Funnels ---------------------------------------------------------------------------------

def test_hostile_funnels_120x36(snap_compare, hostile_app) -> None:
    """The hostile store's extra funnel: markup, an OSC title, bidi, a 10,000-character step name."""
    app, _ = hostile_app("--screen", "funnels", "--range", "all_time")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(lambda app: app.screen.funnel_list.focus(),
                                                                   "G"))
