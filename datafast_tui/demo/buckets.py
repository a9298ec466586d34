"""Calendar buckets for the timeseries: hours, days, weeks (from Monday) or months, in a timezone.

A bucket is named and timestamped by its calendar start ("17 Dec", "14:00", "Dec 2025";
"2025-12-17T00:00:00+05:30"), while the data it holds is clipped to the requested range,
so the buckets exactly partition the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

from datafast_tui.demo.errors import bad_request
from datafast_tui.demo.params import TimeRange

HOUR_MS = 3_600_000
MAX_BUCKETS = 50_000
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal", "GMT", "Etc/GMT"}


@dataclass(frozen=True, slots=True)
class Bucket:
    name: str
    timestamp: str
    lo: int  # clipped to the range, UTC ms
    hi: int


def _local(ms: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).astimezone(tz)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _iso(moment: datetime, tz: ZoneInfo) -> str:
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if tz.key in _UTC_NAMES and text.endswith("+00:00") else text


def _starts(interval: str, first: datetime, tz: ZoneInfo) -> Iterator[datetime]:
    """Calendar starts of consecutive buckets, the first one containing `first`."""
    if interval == "hour":
        # Local hours are whole UTC hours apart (also across DST changes): step in UTC.
        start = first.replace(minute=0, second=0, microsecond=0)
        start_ms = _ms(start)
        while True:
            yield _local(start_ms, tz)
            start_ms += HOUR_MS
    day: date = first.date()
    if interval == "week":
        day -= timedelta(days=day.weekday())
    elif interval == "month":
        day = day.replace(day=1)
    while True:
        yield datetime.combine(day, time(0), tzinfo=tz)
        if interval == "day":
            day += timedelta(days=1)
        elif interval == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _name(interval: str, start: datetime) -> str:
    if interval == "hour":
        return start.strftime("%H:00")
    if interval == "month":
        return start.strftime("%b %Y")
    return start.strftime("%d %b")


def make_buckets(time_range: TimeRange, interval: str) -> list[Bucket]:
    """The buckets covering `time_range`, oldest first."""
    tz = time_range.tz
    starts = _starts(interval, _local(time_range.start_ms, tz), tz)
    current = next(starts)
    buckets: list[Bucket] = []
    while _ms(current) < time_range.end_ms:
        following = next(starts)
        lo, hi = max(_ms(current), time_range.start_ms), min(_ms(following), time_range.end_ms)
        buckets.append(Bucket(_name(interval, current), _iso(current, tz), lo, hi))
        if len(buckets) > MAX_BUCKETS:
            raise bad_request(f"Range too long for interval={interval}: more than {MAX_BUCKETS} points; use a coarser interval")
        current = following
    return buckets
