"""Compare on Breakdowns: each row's previous value and change, sortable, the same numbers as the API's."""

from __future__ import annotations

from datafast_tui.api.catalogue import MAX_LIMIT
from datafast_tui.data.breakdown_compare import CHANGE_KEY
from tests.ui.breakdowns_support import screen
from tests.ui.conftest import SIZE, screen_text, settle


async def test_rows_carry_the_previous_period_and_sort_by_change(make_app) -> None:
    app = make_app("--screen", "breakdowns", "--compare", "--range", "last_7_days")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        state = screen(app).state
        keys = [c.key for c in state.shown]
        assert keys[-2:] == ["previous_visitors", CHANGE_KEY]
        assert "Prev. visitors" in screen_text(app) and "vs Nov 13 – Nov 19, 2026" in screen_text(app)
        before = (await app.store.breakdown("pages", app.query.comparison(), limit=MAX_LIMIT)).value.rows
        earlier = {tuple(sorted(r.labels.items())): r.visitors for r in before}
        for row in state.rows.rows:
            old = earlier.get(tuple(sorted(row.labels.items())))
            assert row.metrics.get("previous_visitors") == old
            if old:
                assert abs(row.metrics[CHANGE_KEY] - (row.visitors - old) / old * 100) < 1e-9

        while state.order.column != CHANGE_KEY:  # s walks the columns to Change (rose most first)
            await pilot.press("s")
            await settle(pilot, app)
        changes = [r.metrics.get(CHANGE_KEY) for r in state.view]
        known = [c for c in changes if c is not None]
        assert state.order.descending and known == sorted(known, reverse=True)
        assert all(c is None for c in changes[len(known):])  # rows with no previous value go last
        await pilot.press("S")  # fell most first
        await settle(pilot, app)
        known = [r.metrics[CHANGE_KEY] for r in state.view if CHANGE_KEY in r.metrics]
        assert known == sorted(known)
        assert "▼" in screen_text(app) or known[0] >= 0

        await pilot.press("c")  # compare off: the columns go
        await settle(pilot, app)
        assert CHANGE_KEY not in [c.key for c in screen(app).state.shown]
