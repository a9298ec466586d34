"""The answer cache (issue 17): a reused answer is byte for byte the one computed afresh.

Each test runs two apps over one store, one keeping answers and one not, and compares what
they send: status, body, and every header but the rate-limit ones (per request by design).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import httpx
import pytest

from datafast_tui.demo import DemoDatabase, FaultPlan, build_demo_app, open_demo_database, reports
from datafast_tui.demo.answer_cache import Answer, AnswerCache, Key
from datafast_tui.demo.breakdowns import ENDPOINTS
from datafast_tui.demo.server import website_id
from tests.unit.demo.conftest import AUTH, BASE_URL, FROZEN, FrozenClock

ACCOUNT = {"Authorization": "Bearer dft_demo"}
Params = list[tuple[str, str]]


class Pair:
    """The same store served with and without the answer cache."""

    def __init__(self, db: DemoDatabase, faults: FaultPlan | None = None) -> None:
        self.db = db
        self.app = build_demo_app(database=db, faults=faults)
        self.answers: AnswerCache = self.app.state.answers
        self.cached = _client(self.app)
        self.plain = _client(build_demo_app(database=db, cache_answers=False))

    async def close(self) -> None:
        await self.cached.aclose()
        await self.plain.aclose()

    async def same(self, path: str, params: Params | None = None, headers: dict | None = None) -> httpx.Response:
        """Ask the cached app twice and the plain one once; all three answers must be identical."""
        first = await self.cached.get(path, params=params, headers=headers)
        again = await self.cached.get(path, params=params, headers=headers)
        fresh = await self.plain.get(path, params=params, headers=headers)
        for answer in (first, again):
            assert _sent(answer) == _sent(fresh), (path, params)
        return fresh


def _client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=AUTH)


def _sent(response: httpx.Response) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    headers = [(k, v) for k, v in response.headers.raw if not k.lower().startswith(b"x-ratelimit-")]
    return response.status_code, headers, response.content


@pytest.fixture
async def pair(shared_db: DemoDatabase) -> AsyncIterator[Pair]:
    both = Pair(shared_db)
    yield both
    await both.close()


@pytest.fixture
async def pair_rw(db: DemoDatabase) -> AsyncIterator[Pair]:
    both = Pair(db)
    yield both
    await both.close()


@pytest.fixture
def still(demo_cache: Path, clock: FrozenClock) -> DemoDatabase:
    """A private store without live traffic: only writes and the clock change its answers."""
    database = open_demo_database(clock=clock, cache_dir=demo_cache, live=False)
    yield database
    database.close()


RANGE = [("startAt", "2026-02-01"), ("endAt", "2026-02-14")]
FILTERS = [("filter_device", "is:mobile"), ("filter_country", "is:US,GB")]
QUESTIONS: list[tuple[str, Params]] = [
    ("analytics/overview", []),
    ("analytics/overview", RANGE),
    ("analytics/overview", FILTERS),
    ("analytics/overview", [*RANGE, *FILTERS, ("timezone", "Asia/Kathmandu")]),
    ("analytics/overview", [("fields", "visitors,revenue,pageviews")]),
    ("analytics/overview", [("startAt", "2026-02-19T15:00:00Z"), ("endAt", "2026-02-25T00:00:00Z")]),  # past now
    ("analytics/timeseries", []),
    *(("analytics/timeseries", [("interval", interval)]) for interval in ("hour", "day", "week", "month")),
    ("analytics/timeseries", [("interval", "hour"), ("timezone", "Australia/Eucla")]),  # UTC+08:45
    ("analytics/timeseries", [*RANGE, *FILTERS, ("fields", "visitors,revenue")]),
    ("analytics/timeseries", [("interval", "day"), ("limit", "5"), ("offset", "3")]),
    ("analytics/timeseries", [("startAt", "2026-02-19"), ("endAt", "2026-02-19")]),  # today: by hour
    *((f"analytics/{name}", []) for name in ENDPOINTS),
    *((f"analytics/{name}", [*RANGE, ("filter_device", "is:desktop"), ("limit", "3")]) for name in ENDPOINTS),
    ("analytics/pages", [("filter_page", "contains:/blog"), ("offset", "2")]),
    ("analytics/goals", [("fields", "name,completions")]),
    ("analytics/campaigns", [("fields", "utm_source,utm_medium")]),
    ("analytics/metadata", []),
    ("analytics/realtime", []),
    ("analytics/realtime/map", []),
    ("visitors", [("limit", "5")]),
    # 4xx answers, kept like the others
    ("analytics/timeseries", [("interval", "fortnight")]),
    ("analytics/overview", [("startAt", "2026-02-01")]),
    ("analytics/pages", [("filter_planet", "is:mars")]),
    ("analytics/pages", [("limit", "0")]),
    ("analytics/overview", [("timezone", "Mars/Olympus")]),
    ("analytics/funnels/0123456789abcdef01234567", []),
    ("visitors/nobody-at-all", []),
]


async def test_kept_answers_are_the_fresh_ones_byte_for_byte(pair: Pair) -> None:
    for path, params in QUESTIONS:
        await pair.same(path, params)
    site = website_id(pair.db)
    funnels = await pair.same(f"admin/websites/{site}/funnels")
    for funnel in funnels.json()["data"]:
        await pair.same(f"analytics/funnels/{funnel['_id']}", FILTERS)
    await pair.same("admin/websites", headers=ACCOUNT)
    await pair.same("admin/websites")  # 403: a website key cannot list websites
    await pair.same("analytics/overview", [("websiteId", site)], headers=ACCOUNT)
    await pair.same("analytics/overview", headers=ACCOUNT)  # 400: websiteId missing
    assert pair.answers.hits >= len(QUESTIONS) - 4  # the INSTANT ones are computed every time


async def test_the_order_of_the_parameters_is_part_of_the_question(pair: Pair) -> None:
    """The first of two values wins and an error names the first bad filter: order can change an answer."""
    hour_first = await pair.same("analytics/timeseries", [("interval", "hour"), ("interval", "day")])
    day_first = await pair.same("analytics/timeseries", [("interval", "day"), ("interval", "hour")])
    assert hour_first.content != day_first.content
    one = await pair.same("analytics/pages", [("filter_device", "is:"), ("filter_os", "is:")])
    other = await pair.same("analytics/pages", [("filter_os", "is:"), ("filter_device", "is:")])
    assert one.status_code == other.status_code == 400 and one.content != other.content


async def test_a_reused_answer_costs_no_lock_nor_sql(pair: Pair) -> None:
    await pair.cached.get("analytics/overview")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with pair.db.read():  # the store's lock, which every SQL statement needs
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        again = await asyncio.wait_for(pair.cached.get("analytics/overview"), timeout=5)
        assert again.status_code == 200
    finally:
        release.set()
        holder.join()


async def test_rate_limit_headers_are_counted_per_request(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    from datafast_tui.demo import rate_window

    monkeypatch.setattr(rate_window, "LIMIT", 60)
    both = Pair(pair.db)  # a fresh window of 60
    try:
        first, second = [await both.cached.get("analytics/overview") for _ in range(2)]
        assert both.answers.hits == 1
        assert first.content == second.content
        assert (int(first.headers["x-ratelimit-remaining"]), int(second.headers["x-ratelimit-remaining"])) == (59, 58)
    finally:
        await both.close()


async def test_faults_still_strike_each_request(shared_db: DemoDatabase) -> None:
    plan = FaultPlan.only("server_error", "truncated_json", rate=0.0, seed=3)
    both = Pair(shared_db, faults=plan)
    try:
        good = await both.cached.get("analytics/overview")
        plan.rate = 1.0
        struck = [await both.cached.get("analytics/overview") for _ in range(6)]
        assert {r.status_code for r in struck} == {500, 200} and sum(plan.injected.values()) == 6
        assert all(r.content == good.content[: len(good.content) // 2] for r in struck if r.status_code == 200)
        plan.rate = 0.0
        assert (await both.cached.get("analytics/overview")).content == good.content
    finally:
        await both.close()


async def test_a_posted_goal_shows_at_once(pair_rw: Pair) -> None:
    before = await pair_rw.same("analytics/goals", [("limit", "1000")])
    visitor = (await pair_rw.same("visitors", [("limit", "1")])).json()["data"][0]["visitorId"]
    posted = await pair_rw.cached.post("goals", json={"datafast_visitor_id": visitor, "name": "cache_buster"})
    assert posted.status_code == 200
    after = await pair_rw.same("analytics/goals", [("limit", "1000")])
    assert "cache_buster" not in before.text and "cache_buster" in after.text
    deleted = await pair_rw.cached.delete("goals", params={"name": "cache_buster"})
    assert deleted.status_code == 200
    assert (await pair_rw.same("analytics/goals", [("limit", "1000")])).content == before.content


async def test_writes_are_never_kept(pair_rw: Pair) -> None:
    body = {"amount": 5, "currency": "USD", "transaction_id": "tx_cache"}
    first = await pair_rw.cached.post("payments", json=body)
    again = await pair_rw.cached.post("payments", json=body)
    assert first.json()["message"] != again.json()["message"]  # the second one finds it stored
    assert len(pair_rw.answers) == 0


async def test_live_traffic_moves_realtime_and_overview(pair_rw: Pair, clock: FrozenClock) -> None:
    overview = await pair_rw.same("analytics/overview")
    realtime = await pair_rw.same("analytics/realtime/map")
    timeseries = await pair_rw.same("analytics/timeseries", [("interval", "hour")])
    clock.advance(minutes=7)
    assert (await pair_rw.same("analytics/overview")).content != overview.content
    assert (await pair_rw.same("analytics/realtime/map")).content != realtime.content
    assert (await pair_rw.same("analytics/timeseries", [("interval", "hour")])).content != timeseries.content
    await pair_rw.same("analytics/realtime")


async def test_a_payment_dated_later_counts_once_its_time_comes(still: DemoDatabase, clock: FrozenClock) -> None:
    """No row changes when the clock reaches it, so only `settled` keeps the old answer from being reused."""
    both = Pair(still)
    try:
        later = (FROZEN + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"amount": 77, "currency": "USD", "transaction_id": "tx_later", "timestamp": later}
        assert (await both.cached.post("payments", json=body)).status_code == 200
        before = await both.same("analytics/overview")
        clock.advance(hours=3)
        after = await both.same("analytics/overview")
        assert after.json()["data"][0]["payments"] == before.json()["data"][0]["payments"] + 1
    finally:
        await both.close()


async def test_the_clock_moved_back_is_answered_afresh(still: DemoDatabase, clock: FrozenClock) -> None:
    both = Pair(still)
    try:
        now = await both.same("analytics/pages")
        clock.advance(days=-3)
        earlier = await both.same("analytics/pages")
        assert earlier.content != now.content
    finally:
        await both.close()


async def test_a_timeseries_moves_on_the_hour_and_is_kept_within_the_minute(still: DemoDatabase,
                                                                            clock: FrozenClock) -> None:
    both = Pair(still)
    try:
        clock.now = FROZEN.replace(minute=59, second=59, microsecond=500_000)
        question = [("interval", "hour"), ("timezone", "Asia/Kolkata")]  # UTC+05:30: its hours turn at :30 UTC
        before = await both.same("analytics/timeseries", question)
        hits = both.answers.hits
        clock.now = FROZEN.replace(minute=59, second=0)
        await both.same("analytics/timeseries", question)
        assert both.answers.hits == hits + 2  # the same minute: reused
        clock.now = FROZEN.replace(hour=16, minute=0, second=0, microsecond=200_000)
        utc_hour = await both.same("analytics/timeseries", [("interval", "hour"), ("timezone", "UTC")])
        assert utc_hour.json()["data"][-1]["timestamp"].startswith("2026-02-19T16:00")
        assert (await both.same("analytics/timeseries", question)).content == before.content  # 21:30 there
        clock.now = FROZEN.replace(hour=16, minute=30, second=0)
        assert (await both.same("analytics/timeseries", question)).content != before.content
    finally:
        await both.close()


async def test_instant_answers_follow_the_clock_with_the_data_unchanged(still: DemoDatabase,
                                                                         clock: FrozenClock) -> None:
    """History ends at the hour: just after it, the realtime windows empty as time passes, nothing stored moves."""
    both = Pair(still)
    try:
        clock.now = FROZEN.replace(minute=2, second=0)
        visitor = (await both.same("visitors", [("limit", "1")])).json()["data"][0]["visitorId"]
        earlier = [await both.same(path) for path in ("analytics/realtime", "analytics/realtime/map",
                                                      f"visitors/{visitor}")]
        clock.advance(minutes=4)
        later = [await both.same(path) for path in ("analytics/realtime", "analytics/realtime/map",
                                                    f"visitors/{visitor}")]
        assert [a.content != b.content for a, b in zip(earlier, later)] == [True, True, True]
    finally:
        await both.close()


def test_every_timezone_turns_its_hours_on_whole_minutes() -> None:
    """What MINUTE answers rely on: local hours and days start on whole UTC minutes, in every zone, this year."""
    moments = [datetime.now(ZoneInfo("UTC")) + timedelta(days=30 * n) for n in range(13)]
    for name in available_timezones():
        zone = ZoneInfo(name)
        for moment in moments:
            offset = moment.astimezone(zone).utcoffset()
            assert offset is not None and offset.total_seconds() % 60 == 0, (name, moment, offset)


async def test_concurrent_askers_share_one_computation(shared_db: DemoDatabase,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counted(db: DemoDatabase, req: object) -> dict:
        calls.append(1)
        return real(db, req)

    real = reports.overview
    monkeypatch.setattr(reports, "overview", counted)
    both = Pair(shared_db)
    try:
        answers = await asyncio.gather(*(both.cached.get("analytics/overview") for _ in range(12)))
        assert {a.content for a in answers} == {answers[0].content} and len(calls) == 1
    finally:
        await both.close()


def _answer(size: int) -> Answer:
    return Answer(200, ((b"content-type", b"application/json"),), b"x" * size)


def _key(version: int, name: str) -> Key:
    return Key(version, 0, ("GET", name, b"", False))


def test_the_cache_is_bounded_in_entries_and_bytes() -> None:
    cache = AnswerCache(max_entries=3, max_bytes=800)
    for name in "abcd":
        cache.put(_key(1, name), _answer(10))
    assert len(cache) == 3 and cache.get(_key(1, "a")) is None  # the least recently used went
    cache.get(_key(1, "b"))
    cache.put(_key(1, "e"), _answer(90))
    assert cache.get(_key(1, "b")) is not None and cache.get(_key(1, "c")) is None
    cache.put(_key(1, "huge"), _answer(101))  # over an eighth of the budget: never kept
    assert cache.get(_key(1, "huge")) is None
    for name in "fghij":
        cache.put(_key(1, name), _answer(100))
    assert len(cache) == 3


def test_a_newer_version_retires_the_older_answers() -> None:
    cache = AnswerCache()
    cache.put(_key(1, "a"), _answer(1))
    cache.put(_key(2, "b"), _answer(1))
    assert cache.get(_key(1, "a")) is None and len(cache) == 1
    cache.put(_key(1, "late"), _answer(1))  # computed before the change: of no use any more
    assert cache.get(_key(1, "late")) is None


def test_the_cache_is_thread_safe() -> None:
    cache = AnswerCache(max_entries=50, max_bytes=10_000)

    def work(n: int) -> None:
        for i in range(2000):
            key = _key(i // 500, f"{n}-{i % 80}")
            cache.put(key, _answer(i % 50))
            cache.get(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 50
    assert sum(len(a.body) for a in cache._entries.values()) == cache._bytes  # noqa: SLF001


def test_serve_demo_can_turn_the_cache_off(demo_cache: Path) -> None:
    from datafast_tui.demo.serve import _parser, build_app

    on = build_app(_parser().parse_args([]), clock=FrozenClock(), cache_dir=demo_cache)
    off = build_app(_parser().parse_args(["--no-answer-cache"]), clock=FrozenClock(), cache_dir=demo_cache)
    assert isinstance(on.state.answers, AnswerCache) and off.state.answers is None
