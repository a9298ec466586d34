"""Live traffic: it keeps arriving as the clock moves, deterministically, never from the future."""

from __future__ import annotations

from pathlib import Path

from datafast_tui.demo import open_demo_database
from tests.unit.demo.conftest import FROZEN, FrozenClock, client_for, get_json


async def snapshot(db) -> tuple[dict, dict]:  # noqa: ANN001
    async with client_for(db) as client:
        return await get_json(client, "analytics/realtime"), await get_json(client, "analytics/realtime/map")


async def test_same_clock_same_answers(demo_cache: Path) -> None:
    first = open_demo_database(clock=FrozenClock(), cache_dir=demo_cache)
    second = open_demo_database(clock=FrozenClock(), cache_dir=demo_cache)
    assert await snapshot(first) == await snapshot(second)
    assert await snapshot(first) == await snapshot(first)  # polling a frozen clock changes nothing


async def test_moving_clock_brings_new_traffic(db, clock: FrozenClock) -> None:  # noqa: ANN001
    counts = db.row_counts()
    realtime, before = await snapshot(db)
    assert 1 <= realtime["data"][0]["visitors"] <= 40
    clock.advance(minutes=4)
    _, after = await snapshot(db)
    assert after["data"]["recentEvents"] != before["data"]["recentEvents"]
    assert db.row_counts()["pageviews"] > counts["pageviews"]


async def test_spacing_of_calls_does_not_matter(demo_cache: Path) -> None:
    stepwise_clock, jump_clock = FrozenClock(), FrozenClock()
    stepwise = open_demo_database(clock=stepwise_clock, cache_dir=demo_cache)
    jump = open_demo_database(clock=jump_clock, cache_dir=demo_cache)
    for _ in range(12):
        stepwise_clock.advance(seconds=50)
        await snapshot(stepwise)
    jump_clock.advance(seconds=600)
    assert stepwise.row_counts() == jump.row_counts()
    assert await snapshot(stepwise) == await snapshot(jump)


async def test_nothing_is_stored_ahead_of_the_clock(db, clock: FrozenClock) -> None:  # noqa: ANN001
    clock.advance(minutes=30)
    with db.read() as (conn, now):
        assert now == int(clock().timestamp() * 1000)
        for table in ("pageviews", "goals", "payments"):
            assert conn.execute(f"SELECT MAX(ts) FROM {table}").fetchone()[0] <= now
        assert conn.execute("SELECT MAX(start_ms) FROM sessions").fetchone()[0] <= now


async def test_live_off_means_history_only(demo_cache: Path) -> None:
    still = open_demo_database(clock=FrozenClock(), cache_dir=demo_cache, live=False)
    with still.read() as (conn, _):
        newest = conn.execute("SELECT MAX(ts) FROM pageviews").fetchone()[0]
    assert newest < int(FROZEN.replace(minute=0, second=0).timestamp() * 1000)
