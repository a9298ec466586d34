"""What is on screen is for the query on screen (issue 13), with keys typed in bursts.

Every range, step, filter, compare and tab action is typed with no pause between keys; once
the app is idle, every number shown must be the API's answer for the query in the header.
Also with the request budget spent: the loads then wait, say so, and still end right.
"""

from __future__ import annotations

import asyncio
import os
import random

from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.store_factory import DemoOptions, open_store
from tests.ui.conftest import SIZE, frozen_clock, settle
from tests.ui.query_on_screen import assert_numbers_answer_the_query, burst

SLASH, ENTER = "slash", "enter"
FRANCE = (SLASH, *"country", ENTER, ENTER, *"France", ENTER)

#: Key bursts of the kinds people type, each ending somewhere the invariant must hold.
OVERVIEW_BURSTS = {
    "compare then two steps back": ("c", "left_square_bracket", "left_square_bracket"),
    "last 90 days": ("d", "9"),
    "last month": ("d", "l"),
    "last 24 hours": ("d", "h"),
    "year to date": ("d", "Y"),
    "five steps back": ("left_square_bracket",) * 5,
    "a filter": FRANCE,
    "back and forth": ("d", "7", "left_square_bracket", "right_square_bracket"),
    "compare on off on": ("c", "c", "c"),
    "refresh burst": ("r",) * 5,
}


async def test_overview_numbers_answer_the_query_after_each_burst(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        start = app.query
        for name, keys in OVERVIEW_BURSTS.items():
            app.query = start  # each burst from the same place
            await settle(pilot, app)
            burst(app, *keys)
            await settle(pilot, app)
            await assert_numbers_answer_the_query(app, after=name)


async def test_breakdowns_tabs_and_ranges_in_bursts(make_app) -> None:
    app = make_app("--screen", "breakdowns")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for keys in (("l",) * 6, ("d", "7", "l", "h"), FRANCE, ("left_square_bracket", "l", "l", "s")):
            burst(app, *keys)
            await settle(pilot, app)
            await assert_numbers_answer_the_query(app, after=" ".join(keys))


async def test_with_the_budget_spent_loads_wait_say_so_and_end_right(make_app, demo_cache) -> None:
    # A tight budget (12 requests in 3 s) that a few loads spend: the rest wait for their slots.
    # On the limiter's own clock, which moves only while a caller waits: on a busy machine the
    # requests are slower, and on the wall clock they could fail to spend the budget at all.
    now = [0.0]

    async def wait_on_the_budget_clock(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0.01)  # a moment on the real clock, for the header to say it waits

    limiter = RateLimiter(12, 3.0, clock=lambda: now[0], sleep=wait_on_the_budget_clock)

    async def tight_store(connection):  # noqa: ANN001, ANN202
        return await open_store(connection, demo=DemoOptions(clock=frozen_clock, cache_dir=demo_cache),
                                rate_limiter=limiter)

    app = make_app(store_factory=tight_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        waits: list[float] = []
        app.store.subscribe(lambda s: waits.append(s.budget_wait_until) if s.budget_wait_until else None)
        burst(app, "c", "left_square_bracket", "left_square_bracket", "d", "9")
        await settle(pilot, app)
        assert waits, "the budget was never waited for: the test did not spend it"
        await assert_numbers_answer_the_query(app, after="a burst with the budget spent")
        assert app.store.status.budget_wait_until is None and app.store.status.loading == 0


#: Groups of keys for the randomised test: each is one thing a user does.
ACTIONS = {
    "step back": ("left_square_bracket",),
    "step forward": ("right_square_bracket",),
    "compare": ("c",),
    "last 7 days": ("d", "7"),
    "last 30 days": ("d", "3"),
    "yesterday": ("d", "y"),
    "france": FRANCE,
    "clear filters": ("0",),
    "overview": ("1",),
    "breakdowns": ("2",),
    "next tab": ("l",),
    "refresh": ("r",),
}


async def test_random_sequences_settle_on_the_numbers_of_the_query(make_app) -> None:
    """Bounded and seeded (DATAFAST_TEST_SEED picks another run): a failure names the sequence."""
    rng = random.Random(int(os.environ.get("DATAFAST_TEST_SEED", "13")))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for _ in range(12):
            actions = [rng.choice(sorted(ACTIONS)) for _ in range(rng.randint(1, 6))]
            for action in actions:
                burst(app, *ACTIONS[action])
            await settle(pilot, app)
            await assert_numbers_answer_the_query(app, after=" then ".join(actions))


#: A minute of looking around: every screen, a few tabs, a range, compare, a filter, back.
EXPLORATION = (("1",), ("2",), ("l",), ("l",), ("l",), ("3",), ("4",), ("1",), ("d", "7"), ("c",),
               ("left_square_bracket",), FRANCE, ("2",), ("1",))


async def test_a_minute_of_exploring_every_screen_stays_inside_the_request_budget(make_app) -> None:
    """The client allows 60 requests a minute; the header's live count needs 4 of them."""
    app = make_app(config_text="[realtime]\ninterval = 300\n")  # Realtime's own polls aside: one per visit
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        start = app.store.requests_sent
        for keys in EXPLORATION:
            await pilot.press(*keys)
            await settle(pilot, app)
        spent = app.store.requests_sent - start
        assert spent <= 56, f"exploring every screen cost {spent} requests"
