"""Writes under faults: every goal and payment is stored at most once, exactly when the server ran it.

The demo's fault plan strikes writes too: some faults stop a request before the endpoint
runs (500, 429, reset, too slow), others corrupt the answer after it ran (cut or invalid
JSON, an HTML page). A client that retried writes would store some twice; one that
trusted its own view of success would miss the ones stored behind a broken answer. So each
write's fault is recorded, and the rows in the demo database must be exactly: one for each
write the server ran, none for the others, never more than were attempted.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import Counter
from pathlib import Path

import httpx

from datafast_tui.api.client import DataFastClient, RetryPolicy
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.api.writes import GoalRequest, PaymentRequest
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo import DEMO_API_KEY, FaultPlan, build_demo_app, open_demo_database
from datafast_tui.demo.faults import AFTER_HANDLER, Fault
from datafast_tui.dialogs.write import WriteDialog
from datafast_tui.store_factory import DEMO_BASE_URL
from tests.robustness.conftest import SHOWABLE_VISITORS, DemoRig, settle
from tests.ui.conftest import SIZE, frozen_clock, screen_text

WRITES = 16
RATE = 0.35
SLOW = 2.5  # past the client's deadline (timeout 1 s + 1 s)
_REQUEST: contextvars.ContextVar[str] = contextvars.ContextVar("request", default="?")


class RecordingPlan(FaultPlan):
    """A fault plan that remembers which request got which fault (None: served normally)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.log: list[tuple[str, Fault | None]] = []

    def draw(self) -> Fault | None:
        fault = super().draw()
        self.log.append((_REQUEST.get(), fault))
        return fault

    def writes(self) -> list[Fault | None]:
        return [fault for request, fault in self.log if not request.startswith("GET")]


def labelled(app):  # noqa: ANN001, ANN201 - an ASGI app
    """`app`, with each request's method and path known to the plan while it draws."""

    async def asgi(scope, receive, send) -> None:  # noqa: ANN001
        token = _REQUEST.set(f"{scope.get('method', '')} {scope.get('path', '')}")
        try:
            await app(scope, receive, send)
        finally:
            _REQUEST.reset(token)

    return asgi


def faulty_store(rig: DemoRig, cache: Path) -> AnalyticsStore:
    rig.database = open_demo_database(clock=frozen_clock, cache_dir=cache)
    demo = build_demo_app(database=rig.database, faults=rig.plan)
    client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=httpx.ASGITransport(app=labelled(demo)),
                            timeout=1.0, retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05),
                            rate_limiter=RateLimiter(10_000, 60))
    return AnalyticsStore(client)


def ran(fault: Fault | None) -> bool:
    """Whether the endpoint ran (and stored) under this fault."""
    return fault is None or fault.kind in AFTER_HANDLER


async def test_writes_are_stored_once_exactly_when_the_server_ran_them(demo_cache: Path) -> None:
    plan = RecordingPlan(RATE, seed=88, slow_seconds=SLOW)
    rig = DemoRig(plan=plan)
    store = faulty_store(rig, demo_cache)
    visitor = str(rig.scalar(SHOWABLE_VISITORS, 1))
    goals_before = rig.scalar("SELECT COUNT(*) FROM goals")
    payments_before = rig.scalar("SELECT COUNT(*) FROM payments")
    outcomes: list[tuple[str, str, bool, Fault | None]] = []  # (kind, key, client saw success, fault)
    for i in range(WRITES):
        for kind in ("goal", "payment"):
            key = f"soak_{kind}_{i:02d}"
            before = len(plan.writes())
            try:
                if kind == "goal":
                    await store.create_goal(GoalRequest(visitor, key))
                else:
                    await store.create_payment(PaymentRequest(amount=9.5, currency="USD", transaction_id=key,
                                                              visitor_id=visitor))
                ok = True
            except DataFastError:
                ok = False
            faults = plan.writes()[before:]
            assert len(faults) == 1, f"{key}: a write was sent {len(faults)} times (writes are never retried)"
            outcomes.append((kind, key, ok, faults[0]))
            assert not ok or faults[0] is None, f"{key}: success reported under {faults[0]}"

    stored_goals = Counter(rig.column("SELECT name FROM goals WHERE name LIKE 'soak_goal_%'"))
    stored_payments = Counter(rig.column("SELECT transaction_id FROM payments WHERE transaction_id LIKE 'soak_%'"))
    for kind, key, ok, fault in outcomes:
        stored = (stored_goals if kind == "goal" else stored_payments)[key]
        assert stored == (1 if ran(fault) else 0), f"{key}: stored {stored} times under {fault} (ok={ok})"
    assert rig.scalar("SELECT COUNT(*) FROM goals") - goals_before == sum(stored_goals.values()) <= WRITES
    assert rig.scalar("SELECT COUNT(*) FROM payments") - payments_before == sum(stored_payments.values()) <= WRITES
    # The run met both kinds of failure: refused before the endpoint, and broken after it ran.
    failed = [fault for *_, ok, fault in outcomes if not ok]
    assert any(not ran(f) for f in failed) and any(ran(f) for f in failed), failed

    # A person sends the failed payments again (the dialog keeps the same transaction id): the
    # ones that had landed are recognised, none is stored twice, and now every one is there.
    plan.rate = 0
    for kind, key, ok, _ in outcomes:
        if kind == "payment" and not ok:
            await store.create_payment(PaymentRequest(amount=9.5, currency="USD", transaction_id=key,
                                                      visitor_id=visitor))
    again = Counter(rig.column("SELECT transaction_id FROM payments WHERE transaction_id LIKE 'soak_%'"))
    assert sorted(again) == sorted(key for kind, key, *_ in outcomes if kind == "payment")
    assert set(again.values()) == {1}
    await store.aclose()



async def send_from_dialog(pilot, app, kind: str, key: str) -> WriteDialog:  # noqa: ANN001
    """Open the goal or payment dialog on the Visitor screen, fill it in, review and confirm once."""
    await pilot.press("n" if kind == "goal" else "p")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, WriteDialog)
    if kind == "goal":
        await pilot.press(*key)
    else:
        await pilot.press(*"12.5")
        dialog.query_one("#f-transaction").value = key
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.press("y")
    return dialog


async def test_dialog_writes_under_faults_are_sent_once_per_confirmation(make_app, demo_cache: Path,
                                                                         worker_failures) -> None:
    plan = RecordingPlan(0.0, seed=8, slow_seconds=SLOW)
    rig = DemoRig(plan=plan)

    async def factory(connection) -> AnalyticsStore:  # noqa: ANN001
        return await asyncio.to_thread(faulty_store, rig, demo_cache)

    app = make_app("--screen", "visitor", store_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.open_visitor(str(rig.scalar(SHOWABLE_VISITORS, 1)))
        await settle(pilot, app)
        plan.rate = 0.5
        plan.weights = {kind: 1.0 for kind in plan.weights if kind != "slow"}  # slow: below, once
        for i in range(3):
            for kind in ("goal", "payment"):
                before = len(plan.writes())
                dialog = await send_from_dialog(pilot, app, kind, f"dialog_{kind}_{i}")
                await settle(pilot, app)
                assert dialog.sends == 1 and len(plan.writes()) - before == 1
                while app.screen.is_modal:  # a failure keeps the form open: leave it
                    await pilot.press("escape")
                    await pilot.pause()

        # While a write is on its way, more confirmations, Enter and Esc change nothing.
        plan.rate, plan.weights = 1.0, {"slow": 1.0}
        before = len(plan.writes())
        dialog = await send_from_dialog(pilot, app, "goal", "dialog_goal_slow")
        await pilot.pause()
        assert dialog.query_one("#form").disabled
        await pilot.press("ctrl+s", "y", "enter", "escape", "ctrl+s", "y")
        assert app.screen is dialog and "wait for the answer" in screen_text(app)
        await settle(pilot, app)
        assert dialog.sends == 1 and len(plan.writes()) - before == 1
        text = " ".join(screen_text(app).replace("█", " ").split())
        assert app.screen is dialog and "No answer in time" in text  # the form stays, with why,
        assert "may have been stored all the same" in text  # with a warning against a blind resend,
        assert "next refresh" not in text and "r retries" not in text  # and no promise of a retry
        assert worker_failures == []
    goals = Counter(rig.column("SELECT name FROM goals WHERE name LIKE 'dialog_goal_%'"))
    payments = Counter(rig.column("SELECT transaction_id FROM payments WHERE transaction_id LIKE 'dialog_%'"))
    assert set(goals.values()) <= {1} and set(payments.values()) <= {1} and "dialog_goal_slow" not in goals
    assert sum(goals.values()) + sum(payments.values()) == sum(ran(f) for f in plan.writes())
