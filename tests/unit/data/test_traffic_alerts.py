"""The usual level of an hour of the week, and when the live count departs from it."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from datafast_tui.api.models import Overview, Pagination, Timeseries, TimeseriesPoint
from datafast_tui.data.traffic_alerts import TrafficWatch, departure, poisson_at_most
from datafast_tui.data.usual_level import WEEKS, usual_levels, usual_query

ZONE = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 3, 10, 15, tzinfo=ZONE)  # a Thursday


def series(visitors_at) -> Timeseries:
    """WEEKS weeks of hourly points before NOW's hour, visitors_at(local moment) each."""
    end = NOW.replace(minute=0)
    points = []
    moment = end - timedelta(weeks=WEEKS)
    while moment < end:
        points.append(TimeseriesPoint(moment.astimezone(timezone.utc), "", {"visitors": visitors_at(moment)}))
        moment += timedelta(hours=1)
    return Timeseries(("visitors",), "hour", "Europe/Paris", None, {}, None, tuple(points),
                      Pagination(len(points), 0, len(points)))


def test_poisson_tail_matches_the_formula_and_the_normal_approximation_for_big_means() -> None:
    assert poisson_at_most(0, 6) == pytest.approx(math.exp(-6))
    assert poisson_at_most(2, 3) == pytest.approx(math.exp(-3) * (1 + 3 + 4.5))
    assert poisson_at_most(-1, 3) == 0 and poisson_at_most(5, 0) == 1
    assert poisson_at_most(1000, 1000) == pytest.approx(0.5, abs=0.02)
    assert poisson_at_most(10**6, 5.0) == pytest.approx(1.0)


@pytest.mark.parametrize(("live", "usual", "expected"), [
    (20, 5, "above"),      # 4x and far beyond chance
    (14, 5, "above"),
    (12, 5, "usual"),      # p ~ 0.005: not beyond chance
    (10, 5, "usual"),      # 2x, but 10 where 5 are usual happens by chance (p ~ 0.03)
    (1, 6, "usual"),       # under half, but chance
    (0, 40, "below"),
    (15, 40, "below"),
    (25, 40, "usual"),
    (0, 2, "usual"),       # too quiet a site to call quieter
    (9, 0, "above"),       # nothing usual: a crowd is news
    (1, 0, "usual"),
])
def test_a_departure_is_beyond_the_factor_and_beyond_chance(live: int, usual: float, expected: str) -> None:
    assert departure(live, usual, factor=2.0) == expected


def test_the_watch_alerts_once_after_the_sustain_time_then_says_back_to_usual() -> None:
    watch = TrafficWatch(factor=2.0, sustain=60)
    t = NOW
    assert watch.observe(30, 8.0, t) is None  # seen, not yet sustained
    assert watch.observe(30, 8.0, t + timedelta(seconds=30)) is None
    alert = watch.observe(31, 8.0, t + timedelta(seconds=60))
    assert alert is not None and alert.state == "above" and alert.since == t and alert.kind == "traffic_above"
    assert alert.text("Thu 10h") == "31 live, 3.9× the usual 8.0 for Thu 10h"
    assert watch.observe(30, 8.0, t + timedelta(seconds=120)) is None, "told once"
    # A blip back to usual does not end it; a minute of usual does.
    assert watch.observe(8, 8.0, t + timedelta(seconds=130)) is None
    assert watch.observe(30, 8.0, t + timedelta(seconds=140)) is None
    assert watch.observe(8, 8.0, t + timedelta(seconds=150)) is None
    back = watch.observe(9, 8.0, t + timedelta(seconds=215))
    assert back is not None and back.state == "usual" and back.text("Thu 10h").startswith("back to usual: 9 live")
    assert watch.observe(9, None, t + timedelta(seconds=300)) is None  # no usual level: nothing changes


def test_with_no_sustain_it_alerts_at_once_and_reset_forgets_the_state() -> None:
    watch = TrafficWatch(factor=3.0, sustain=0)
    alert = watch.observe(0, 50.0, NOW)
    assert alert is not None and alert.state == "below" and alert.text("Thu 10h").startswith("0 live, 0.00×")
    watch.reset()
    assert watch.state == "usual"


def test_the_usual_level_is_the_median_of_the_same_hour_of_the_week_scaled_to_a_live_count() -> None:
    week = [0]

    def visitors(moment: datetime) -> float:
        if (moment.weekday(), moment.hour) == (3, 10):  # Thursdays 10h: 60, 60, 60 and a launch of 600
            week[0] += 1
            return 600 if week[0] == 1 else 60
        return 30

    levels = usual_levels(series(visitors), Overview(avg_session_duration=120_000), ZONE, NOW)
    assert levels.live_minutes == 7.0  # the 5 minute window and a 2 minute session
    assert levels.per_hour[(3, 10)] == 60, "the median: one launch day does not move it"
    # 10:30 is the hour's middle: its own level; at 10:15 a quarter of the way to 09h's.
    assert levels.usual(NOW.replace(minute=30)) == pytest.approx(60 * 7 / 60)
    assert levels.usual(NOW) == pytest.approx((60 - (60 - 30) * 0.25) * 7 / 60)
    assert levels.label(NOW) == "Thu 10h" and levels.is_current(NOW.replace(minute=59))
    assert not levels.is_current(NOW + timedelta(hours=1))


def test_hours_with_under_two_weeks_of_data_have_no_usual_level() -> None:
    young = series(lambda m: 10.0)
    young = Timeseries(young.fields, young.interval, young.timezone, None, {}, None,
                       young.points[-24 * 8:], young.pagination)  # eight days of history
    levels = usual_levels(young, None, ZONE, NOW)
    assert levels.usual(NOW) is None
    assert levels.live_minutes == 5.0  # no overview: the window alone
    tuesday = NOW - timedelta(days=2)
    assert levels.usual(tuesday.replace(minute=30)) is None, "a Tuesday seen once is not a usual level"
    assert levels.usual((NOW - timedelta(days=1)).replace(minute=30)) == pytest.approx(10 * 5 / 60), "Wednesdays: 2"


def test_a_session_average_past_an_hour_counts_as_an_hour() -> None:
    levels = usual_levels(series(lambda m: 10.0), Overview(avg_session_duration=10 * 3_600_000), ZONE, NOW)
    assert levels.live_minutes == 65.0


def test_the_query_asks_the_whole_hours_of_the_last_weeks() -> None:
    query = usual_query(NOW, ZONE)
    assert query.range.start == datetime(2026, 11, 5, 10, tzinfo=ZONE)
    assert query.range.end == datetime(2026, 12, 3, 10, tzinfo=ZONE)
    assert query.params() == {"startAt": "2026-11-05T09:00:00Z", "endAt": "2026-12-03T08:59:59Z"}
