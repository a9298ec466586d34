"""Calendar buckets for the timeseries: hours, days, weeks (from Monday) or months, in a timezone.

A bucket is named and timestamped by its calendar start ("17 Dec", "14:00", "Dec 2025";
"2025-12-17T00:00:00+05:30"), while the data it holds is clipped to the requested range,
so the buckets exactly partition the range.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from datafast_tui.demo.errors import bad_request
from datafast_tui.demo.params import TimeRange

HOUR_MS = 3_600_000
MAX_BUCKETS = 50_000
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal", "GMT", "Etc/GMT"}


@dataclass(frozen=True, slots=True)
class Bucket:
    start_ms: int  # calendar start (may precede the range), UTC ms
    lo: int  # clipped to the range
    hi: int


def _local(ms: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).astimezone(tz)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def label(bucket: Bucket, interval: str, tz: ZoneInfo) -> tuple[str, str]:
    """The bucket's `name` ("17 Dec", "14:00", "Dec 2025") and ISO `timestamp` in `tz`."""
    start = _local(bucket.start_ms, tz)
    text = start.isoformat(timespec="seconds")
    stamp = text[:-6] + "Z" if tz.key in _UTC_NAMES and text.endswith("+00:00") else text
    if interval == "hour":
        return start.strftime("%H:00"), stamp
    return start.strftime("%b %Y") if interval == "month" else start.strftime("%d %b"), stamp


def _starts(interval: str, first: datetime, tz: ZoneInfo) -> Iterator[int]:
    """Calendar starts (UTC ms) of consecutive buckets, the first one containing `first`."""
    if interval == "hour":
        # Local hours are whole UTC hours apart (also across DST changes): step in UTC.
        start_ms = _ms(first.replace(minute=0, second=0, microsecond=0))
        while True:
            yield start_ms
            start_ms += HOUR_MS
    day: date = first.date()
    if interval == "week":
        day -= timedelta(days=day.weekday())
    elif interval == "month":
        day = day.replace(day=1)
    while True:
        yield _ms(datetime.combine(day, time(0), tzinfo=tz))
        if interval == "day":
            day += timedelta(days=1)
        elif interval == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def make_buckets(time_range: TimeRange, interval: str) -> list[Bucket]:
    """The buckets covering `time_range`, oldest first (labels come from `label`, page by page)."""
    starts = _starts(interval, _local(time_range.start_ms, time_range.tz), time_range.tz)
    current = next(starts)
    buckets: list[Bucket] = []
    while current < time_range.end_ms:
        following = next(starts)
        buckets.append(Bucket(current, max(current, time_range.start_ms), min(following, time_range.end_ms)))
        if len(buckets) > MAX_BUCKETS:
            raise bad_request(
                f"Range too long for interval={interval}: more than {MAX_BUCKETS} points; use a coarser interval"
            )
        current = following
    return buckets
