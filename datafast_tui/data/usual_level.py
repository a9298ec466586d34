"""The usual live count for a moment of the week, from the site's hourly visitors of the last weeks.

The live count is "visitors active in the last 5 minutes"; the timeseries has visitors per
hour. A visitor who arrives in an hour is counted live for the realtime window plus their
session, so over an hour the live count averages

    visitors that hour × (window + average session) / 60 minutes.

Measured on the demo (101 moments over three weeks, each against the four weeks before it):
the live count over this estimate had a median of 0.92 and a mean of 0.99; the spread (10% to
90%: 0.52 to 1.52) is the Poisson noise of counts around 5, which traffic_alerts.py allows for.

The usual level of an hour of the week is the median of that hour over the last WEEKS weeks
(a median: one launch day or outage among them does not move it), interpolated between the
hours' middles so the level does not jump on the hour.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from datafast_tui.api.dates import DateRange
from datafast_tui.api.models import Overview, Timeseries
from datafast_tui.api.query import Query

#: Weeks of hourly visitors the usual level is the median of (one request: 672 points).
WEEKS = 4
#: Minutes the realtime count looks back (the API's analytics/realtime).
REALTIME_WINDOW_MINUTES = 5.0
#: An hour of the week needs this many weeks of data before it has a usual level.
MIN_WEEKS = 2
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hour_start(moment: datetime, zone: tzinfo) -> datetime:
    """The start of the hour `moment` falls in, in the site's zone."""
    return moment.astimezone(zone).replace(minute=0, second=0, microsecond=0)


def usual_query(moment: datetime, zone: tzinfo) -> Query:
    """The WEEKS weeks of whole hours before the hour of `moment` (the current hour is unfinished)."""
    end = hour_start(moment, zone)
    return Query(range=DateRange(end - timedelta(weeks=WEEKS), end))


@dataclass(frozen=True)
class UsualLevels:
    """Median visitors per hour of the week, and how long a visitor stays counted as live."""

    #: (weekday 0 = Monday, hour) in the site's zone -> median visitors in that hour.
    per_hour: dict[tuple[int, int], float]
    #: The realtime window plus the average session, in minutes.
    live_minutes: float
    zone: tzinfo
    #: The start of the hour they were worked out in: stale once the clock is in another hour.
    built_for: datetime

    def is_current(self, moment: datetime) -> bool:
        return hour_start(moment, self.zone) == self.built_for

    def _hourly(self, weekday: int, hour: int) -> float | None:
        return self.per_hour.get((weekday, hour))

    def usual(self, moment: datetime) -> float | None:
        """The usual live count at `moment`, or None when the weeks behind it lack that hour."""
        local = moment.astimezone(self.zone)
        # Hourly visitors sit at the middle of their hour: lean towards the neighbouring hour.
        offset = (local.minute * 60 + local.second) / 3600 - 0.5
        this = local.replace(minute=0, second=0, microsecond=0)
        neighbour = this + timedelta(hours=1 if offset >= 0 else -1)
        level = self._hourly(this.weekday(), this.hour)
        other = self._hourly(neighbour.weekday(), neighbour.hour)
        if level is not None and other is not None:
            level += (other - level) * abs(offset)
        return None if level is None else level * self.live_minutes / 60

    def label(self, moment: datetime) -> str:
        """"Thu 10h": the hour of the week a usual level is for."""
        local = moment.astimezone(self.zone)
        return f"{_DAYS[local.weekday()]} {local.hour:02d}h"


def usual_levels(series: Timeseries, overview: Overview | None, zone: tzinfo, moment: datetime) -> UsualLevels:
    """The usual levels from WEEKS weeks of hourly visitors (and their average session)."""
    samples: dict[tuple[int, int], list[float]] = defaultdict(list)
    for point in series.points:
        visitors = point.value("visitors")
        if visitors is None:
            continue
        local = point.timestamp.astimezone(zone)
        samples[(local.weekday(), local.hour)].append(visitors)
    per_hour = {key: statistics.median(values) for key, values in samples.items() if len(values) >= MIN_WEEKS}
    session_ms = overview.avg_session_duration if overview is not None else None
    # A session average past an hour is an outlier of the data, not a visitor live all that time.
    session_minutes = min(max(session_ms or 0.0, 0.0) / 60_000, 60.0)
    return UsualLevels(per_hour=per_hour, live_minutes=REALTIME_WINDOW_MINUTES + session_minutes, zone=zone,
                       built_for=hour_start(moment, zone))
