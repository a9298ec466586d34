"""What one Overview load costs in requests (issue 13: at most 6 with compare on for the KPIs,
their deltas and the chart), and what it may add while the budget has room: trend overviews,
and with compare on the previous period's rows of each top table (issue 18: their changes).

Hour and day charts ask one timeseries for both periods; weeks and months cannot (a bucket
would straddle the two periods), so their previous period's line is a 7th request, sent only
while the request budget has room for it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest

from datafast_tui.api.dates import ALL_TIME, DateRange, resolve_preset
from datafast_tui.api.query import Query
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.data.overview import PREVIOUS_SERIES_RESERVE, PREVIOUS_TOPS_RESERVE, load_overview, trend_ranges
from datafast_tui.data.store import AnalyticsStore
from tests.fake_api import docs_answer
from tests.helpers import FakeSleep, Recorder, make_client, ok

UTC = ZoneInfo("UTC")
NOVEMBER = DateRange(date(2026, 11, 1), date(2026, 11, 30))


def answer(request: httpx.Request) -> httpx.Response:
    """The docs' examples; the timeseries one with a pagination that says it is complete
    (the example's own says 30 points of which it shows 2, which the client would page)."""
    response = docs_answer(request)
    if request.url.path.endswith("/timeseries"):
        body = response.json()
        body["pagination"] = {"limit": 1000, "offset": 0, "total": len(body["data"])}
        return ok(body)
    return response


def endpoints(recorder: Recorder) -> list[str]:
    return sorted(r.url.path.removeprefix("/api/v1/analytics/") for r in recorder.requests)


#: With compare on and budget to spare: each of the three top tables asks for its previous rows.
PREVIOUS_TOPS = 3


async def store_with_room(recorder: Recorder, room: int) -> AnalyticsStore:
    """A store whose budget this minute has exactly `room` requests left (two already spent)."""
    sleep = FakeSleep()
    limiter = RateLimiter(room + 2, 60, clock=sleep.clock, sleep=sleep)
    store = AnalyticsStore(make_client(recorder, limiter=limiter, sleep=sleep))
    for day in (1, 2):
        await store.overview(Query(DateRange(date(2026, 10, day), date(2026, 10, day))))
    assert store.budget_room() == room
    recorder.requests.clear()
    return store


@pytest.mark.parametrize(("compare", "interval", "cost"), [
    (False, "day", 5), (True, "hour", 6 + PREVIOUS_TOPS), (True, "day", 6 + PREVIOUS_TOPS),
    (True, "week", 7 + PREVIOUS_TOPS), (True, "month", 7 + PREVIOUS_TOPS),
])
async def test_one_load_costs(compare: bool, interval: str, cost: int) -> None:
    recorder = Recorder(answer)
    store = AnalyticsStore(make_client(recorder))
    data = await load_overview(store, Query(NOVEMBER, compare=compare), interval, UTC)
    assert len(recorder.requests) == cost, endpoints(recorder)
    assert data.overview.value is not None and data.series.value is not None
    if compare:
        assert data.previous is not None and data.previous.value is not None
        assert data.previous_series is not None and data.previous_series.value is not None


async def test_weeks_with_the_budget_low_keep_the_deltas_and_skip_the_previous_line() -> None:
    recorder = Recorder(answer)
    store = await store_with_room(recorder, PREVIOUS_SERIES_RESERVE)
    data = await load_overview(store, Query(NOVEMBER, compare=True), "week", UTC)
    assert len(recorder.requests) == 6, endpoints(recorder)
    assert data.previous is not None and data.previous.value is not None  # the KPI deltas
    assert data.previous_series is None  # the line, said in the chart's title


def test_trend_overviews_cover_the_range_in_whole_days_or_are_not_asked() -> None:
    today = date(2026, 12, 1)
    ranges = trend_ranges(NOVEMBER, today)
    assert len(ranges) == 6 and ranges[0].start == date(2026, 11, 1) and ranges[-1].end == date(2026, 11, 30)
    assert all(a.end + timedelta(days=1) == b.start for a, b in zip(ranges, ranges[1:]))  # no gap, no overlap
    assert trend_ranges(DateRange(today, today), today) == []  # one day: no trend
    # Last 24 hours spans parts of two days: overviews of those whole days would be a trend
    # of other hours than the range's, so none is asked.
    day = resolve_preset("last_24_hours", datetime(2026, 12, 2, 4, 33, tzinfo=timezone.utc), UTC)
    assert trend_ranges(day, today) == []
    assert trend_ranges(ALL_TIME, today) == []  # all time with no first day known yet
    assert trend_ranges(ALL_TIME, today, date(2026, 9, 1))[0].start == date(2026, 9, 1)


async def test_with_the_budget_low_compare_costs_six_and_the_top_tables_go_without_changes() -> None:
    recorder = Recorder(answer)
    store = await store_with_room(recorder, PREVIOUS_TOPS_RESERVE)
    data = await load_overview(store, Query(NOVEMBER, compare=True), "day", UTC)
    assert len(recorder.requests) == 6, endpoints(recorder)
    assert all("change" not in row.metrics for top in data.tops.values() for row in top.value.rows)
