"""SVG snapshots of the Visitor screen and its dialogs (frozen clock, fixed demo seed).

After an intended change: `pytest tests/snapshots/test_visitor_snapshots.py --snapshot-update`,
then look at the SVGs.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import SIZE, SMALL, settle
from tests.ui.visitor_support import state_dir, visitor_app  # noqa: F401 - fixtures

#: A fixed transaction id: the dialog's own is random.
TX = "tui-3f9a1c0d2b7e"


def prepare(handle_holder: list, kind: str | None, *steps):
    """Open the `kind` visitor (if any), then run steps: keys, or {field id: value} to fill."""

    async def run(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        demo = handle_holder[0]
        if kind is not None:
            app.open_visitor(demo.visitor(kind))
            await settle(pilot, app)
        for step in steps:
            if isinstance(step, dict):
                for ident, value in step.items():
                    app.screen.query_one(f"#{ident}", Input).value = value
                await pilot.pause()
            else:
                await pilot.press(step)
            await settle(pilot, app)

    return run


def snap(snap_compare, visitor_app, size, kind, *steps) -> bool:
    app, demo = visitor_app()
    return snap_compare(app, terminal_size=size, run_before=prepare([demo], kind, *steps))


def test_visitor_120x36(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "rich")


def test_visitor_80x24(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SMALL, "rich")


def test_visitor_80x24_identity_side(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SMALL, "low_confidence", "i")


def test_visitor_customer_without_prediction(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "customer")


def test_visitor_start_pane(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, None)


def test_visitor_bot_error_in_place(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SMALL, "bot")


def test_lookup_dialog(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "confident", "o", {"visitor-id": "not valid!"})


def test_goal_dialog(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "rich", "n",
                {"f-name": "trial_started", "f-meta-1": "plan", "f-metavalue-1": "pro"})


def test_goal_dialog_with_problems(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SMALL, "rich", "n",
                {"f-name": "Trial Started", "f-meta-1": "Plan"}, "ctrl+s")


def test_payment_dialog(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "confident", "p",
                {"f-amount": "49", "f-transaction": TX, "f-email": "ann@example.com",
                 "f-timestamp": "2026-11-26 09:15"})


def test_payment_confirmation_80x24(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SMALL, "confident", "p", {"f-amount": "49", "f-transaction": TX},
                "ctrl+s")


def test_delete_goals_confirmation_warns_without_a_time_range(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "rich", "x", {"f-visitor": "", "f-name": "signup"}, "ctrl+s")


def test_delete_payments_dialog(snap_compare, visitor_app) -> None:
    assert snap(snap_compare, visitor_app, SIZE, "customer", "X",
                {"f-start": "2026-11-01", "f-end": "2026-11-26"})
