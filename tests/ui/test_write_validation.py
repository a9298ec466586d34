"""Every write form's validation table in the real dialogs: each bad input -> its message, nothing sent.

Requests are counted on the store: a refused form must not cost a single request, and a
cancelled confirmation neither.
"""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input

from datafast_tui.dialogs.confirm import ConfirmDialog
from datafast_tui.dialogs.delete import DeleteGoalsDialog, DeletePaymentsDialog
from datafast_tui.dialogs.goal import GoalDialog
from datafast_tui.dialogs.payment import PaymentDialog
from datafast_tui.screens.visitor import VisitorScreen
from tests.ui.conftest import SIZE, screen_text, settle
from tests.ui.visitor_support import flat, state_dir, visitor_app  # noqa: F401 - fixtures

VID = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"


async def fill(pilot, app, values: dict[str, str | bool]) -> None:
    for key, value in values.items():
        widget = app.screen.query_one(f"#f-{key}")
        if isinstance(widget, Checkbox):
            widget.value = bool(value)
        else:
            assert isinstance(widget, Input)
            widget.value = str(value)
    await pilot.pause()


async def refused(pilot, app, key: str, values: dict[str, str | bool], dialog_type: type) -> str:
    """Open the dialog with `key`, fill it, press ctrl+s; assert nothing was sent; return the screen text."""
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, dialog_type)
    await fill(pilot, app, values)
    before = app.store.requests_sent
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    assert isinstance(app.screen, dialog_type), "a bad form must not reach the confirmation"
    assert app.screen.sends == 0 and app.store.requests_sent == before
    text = flat(app)
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, VisitorScreen)
    return text


GOAL_CASES = [
    ({"visitor": "", "name": "signup"}, "the visitor id is empty"),
    ({"visitor": "bad id!", "name": "signup"}, "UUIDs like"),
    ({"name": ""}, "the goal name is empty"),
    ({"name": "Sign Up"}, "only lowercase letters, numbers, _ - and :"),
    ({"name": "x" * 65}, "65 characters; the limit is 64"),
    ({"name": "signup", "meta-1": "Plan", "metavalue-1": "pro"}, "metadata name 'Plan'"),
    ({"name": "signup", "meta-1": "", "metavalue-1": "pro"}, "the value needs a name"),
    ({"name": "signup", "meta-1": "plan", "metavalue-1": "v" * 256}, "256 characters; the limit is 255"),
]
PAYMENT_CASES = [
    ({"amount": ""}, "the amount is required"),
    ({"amount": "twelve"}, "is not a number"),
    ({"amount": "-1"}, "cannot be negative"),
    ({"amount": "10", "currency": "DOLLARS"}, "3-letter ISO code"),
    ({"amount": "10", "currency": "XXQ"}, "not an ISO 4217 currency code"),
    ({"amount": "10", "transaction": ""}, "the transaction id is required"),
    ({"amount": "10", "visitor": "no such id?"}, "UUIDs like"),
    ({"amount": "10", "email": "not-an-email"}, "is not an email address"),
    ({"amount": "10", "timestamp": "next tuesday"}, "is not a time"),
    ({"amount": "10", "timestamp": "2031-01-01 10:00"}, "the timestamp is in the future"),
]
DELETE_GOAL_CASES = [
    ({"visitor": "", "name": ""}, "say which goals to delete"),
    ({"visitor": "", "name": "Sign-Up!"}, "only lowercase letters"),
    ({"start": "2026-11-01"}, "give both a start and an end, or neither"),
    ({"start": "2026-11-20", "end": "2026-11-01"}, "the end is before the start"),
    ({"start": "last week", "end": "2026-11-01"}, "is not a time"),
]
DELETE_PAYMENT_CASES = [
    ({"visitor": ""}, "say which payments to delete"),
    ({"visitor": "bad id!"}, "UUIDs like"),
    ({"end": "2026-11-01"}, "give both a start and an end, or neither"),
]
#: The key that opens each dialog, its type, and its table of (fields typed, the message that must show).
DIALOG_CASES = {
    "goal": ("n", GoalDialog, GOAL_CASES),
    "payment": ("p", PaymentDialog, PAYMENT_CASES),
    "delete goals": ("x", DeleteGoalsDialog, DELETE_GOAL_CASES),
    "delete payments": ("X", DeletePaymentsDialog, DELETE_PAYMENT_CASES),
}


@pytest.mark.parametrize("name", list(DIALOG_CASES))
async def test_form_refuses_bad_input_and_sends_nothing(visitor_app, name) -> None:
    """Every row of the dialog's table in one app (the dialog opened afresh for each: starting an
    app per row cost the suite about 40 s of CPU); every row is checked, and all that failed named."""
    key, dialog, cases = DIALOG_CASES[name]
    app, _ = visitor_app("--visitor", VID)
    missing = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for values, message in cases:
            if message not in await refused(pilot, app, key, values, dialog):
                missing.append(f"{values} -> {message!r}")
    assert not missing, f"{name}: the message did not show for: " + "; ".join(missing)


async def test_live_validation_marks_the_goal_name_as_typed(visitor_app) -> None:
    app, _ = visitor_app("--visitor", VID)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Bad")
        await pilot.pause()
        name = app.screen.query_one("#f-name", Input)
        assert name.has_class("-invalid")
        assert "may use only lowercase letters" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", *"good_name")
        await pilot.pause()
        assert not name.has_class("-invalid")
        text = flat(app)
        assert "This will create a goal good_name for visitor" in text
        assert '"name": "good_name"' in text  # the exact body is shown before anything is sent


async def test_metadata_rows_grow_up_to_ten(visitor_app) -> None:
    app, _ = visitor_app("--visitor", VID)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, GoalDialog) and dialog.rows == 1
        for i in range(1, 11):
            dialog.query_one(f"#f-meta-{i}", Input).value = f"k{i}"
            await pilot.pause()
        assert dialog.rows == 10 and len(dialog.query(".meta-row")) == 10


async def test_cancelled_confirmation_sends_nothing_and_enter_does_not_confirm(visitor_app) -> None:
    app, _ = visitor_app("--visitor", VID)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("x")
        await pilot.pause()
        await fill(pilot, app, {"visitor": "", "name": "signup"})
        before = app.store.requests_sent
        for cancel_key in ("n", "escape"):
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            text = flat(app)
            assert "This will delete all goals named signup for all visitors, all time." in text
            assert "No time range: every matching record across ALL TIME will be deleted" in text
            await pilot.press("enter", "space")  # neither confirms
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press(cancel_key)
            await settle(pilot, app)
            assert isinstance(app.screen, DeleteGoalsDialog), f"{cancel_key}: back to the form, still filled"
            assert app.screen.query_one("#f-name", Input).value == "signup"
            assert app.store.requests_sent == before and app.screen.sends == 0


SCOPES = [
    ("x", {"name": ""}, "all goals of visitor {vid}, all time"),
    ("x", {"start": "2026-11-01", "end": "2026-11-02"},
     "all goals of visitor {vid} from 2026-11-01 00:00 to 2026-11-02 23:59 (America/New_York)"),
    ("x", {"visitor": "", "start": "2026-11-01 08:00", "end": "2026-11-01 09:30"},
     "all goals of all visitors from 2026-11-01 08:00 to 2026-11-01 09:30 (America/New_York)"),
    ("X", {"transaction": "tx_42"}, "the payment with transaction id tx_42"),
    ("X", {}, "all payments of visitor {vid}, all time"),
    ("X", {"visitor": "", "start": "2026-11-01", "end": "2026-11-01"},
     "all payments of all visitors from 2026-11-01 00:00 to 2026-11-01 23:59 (America/New_York)"),
]


async def test_delete_confirmation_spells_the_scope(visitor_app) -> None:
    """Each scope in a fresh dialog of one app; every scope is checked, and all that were wrong named."""
    app, _ = visitor_app("--visitor", VID)
    wrong = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for dialog_key, values, scope in SCOPES:
            await pilot.press(dialog_key)
            await pilot.pause()
            await fill(pilot, app, values)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog), f"{values}: no confirmation"
            text = flat(app)
            expected = f"This will delete {scope.format(vid=VID)}."
            if expected not in text or ("ALL TIME" in text) != ("all time" in scope):
                wrong.append(f"{values}: wanted {expected!r}")
            await pilot.press("escape", "escape")
            await settle(pilot, app)
            assert isinstance(app.screen, VisitorScreen)
    assert not wrong, "; ".join(wrong)
