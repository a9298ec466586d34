"""Parsing and validation of the analytics endpoints' common query parameters.

Every function raises `ApiError(400, ...)` with a message naming the parameter at fault.

Date ranges (`startAt` / `endAt`): both or neither. `YYYY-MM-DD` is a whole day in the
requested timezone (the end date is inclusive); a full timestamp (`Z`, an offset, or none:
then it is read in the requested timezone) is an instant, the end instant inclusive. As the
docs say, a UTC pair running from midnight to 23:59 is read as plain dates. Without a
range the query covers all time, up to now. A date must fall in the years 1900 to 2999.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datafast_tui.demo.errors import bad_request
from datafast_tui.demo.site import SITE

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ASCII digits only: int() also reads "٣" and "1_000", isdigit() also passes "²".
_INTEGER = re.compile(r"[+-]?[0-9]+")
INTERVALS = ("hour", "day", "week", "month")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: Far past any page, and far inside SQLite's 64-bit integers (a 30-digit offset overflowed them).
MAX_OFFSET = 1_000_000_000
#: The years a date parameter may name: wider than any analytics question, and far enough
#: inside datetime's years 1..9999 that moving an instant into any timezone, or a bucket to
#: the next day, week or month, never overflows (0001-01-01 at +14:00 is year 0 in UTC,
#: 9999-12-31 at -14:00 year 10000). Two days of slack let every timezone's local dates
#: of those years through.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
_SLACK = timedelta(days=2)
EARLIEST_MS = int((datetime(EARLIEST_YEAR, 1, 1, tzinfo=timezone.utc) - _SLACK).timestamp() * 1000)
LATEST_MS = int((datetime(LATEST_YEAR + 1, 1, 1, tzinfo=timezone.utc) + _SLACK).timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """What an endpoint gets: query (first value per name), all query items, path params, body."""

    query: Mapping[str, str]
    items: Sequence[tuple[str, str]] = ()
    path: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A half-open range [start_ms, end_ms) in UTC milliseconds, read in `tz`."""

    start_ms: int
    end_ms: int
    tz: ZoneInfo
    same_day: bool

    def clipped(self, now_ms: int) -> tuple[int, int]:
        """The part of the range that can hold events (nothing after now exists yet)."""
        return self.start_ms, min(self.end_ms, now_ms + 1)


def parse_timezone(query: Mapping[str, str]) -> ZoneInfo:
    """`timezone`: an IANA name; defaults to the site's timezone."""
    name = query.get("timezone") or SITE.timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise bad_request(f"Invalid timezone '{name}': expected an IANA name such as America/New_York or UTC") from None


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _local_midnight(day: date, tz: tzinfo) -> int:
    return _ms(datetime.combine(day, time(0), tzinfo=tz))


def _parse_moment(name: str, raw: str, tz: tzinfo) -> date | datetime:
    text = raw.strip()
    try:
        if _DATE.match(text):
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(
            f"Invalid {name} '{raw}': expected a date (YYYY-MM-DD) or an ISO 8601 timestamp (2024-01-31T23:59:59Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _full_utc_days(start: date | datetime, end: date | datetime) -> tuple[date, date] | None:
    if not (isinstance(start, datetime) and isinstance(end, datetime)):
        return None
    if start.utcoffset() != timedelta(0) or end.utcoffset() != timedelta(0):
        return None
    if start.time() == time(0) and (end.hour, end.minute) == (23, 59):
        return start.date(), end.date()
    return None


def _edge_ms(name: str, raw: str, moment: date | datetime, tz: tzinfo, *, end: bool) -> int:
    """Where `moment` starts, or with `end` where it stops (exclusive): a date is a whole local day.

    400 naming `name` outside the years EARLIEST_YEAR..LATEST_YEAR, so no later conversion
    of the instant (to UTC, a timezone, a bucket's label) can overflow.
    """
    try:
        if isinstance(moment, datetime):
            ms = _ms(moment) + (1 if end else 0)
        else:
            ms = _local_midnight(moment + timedelta(days=1) if end else moment, tz)
    except (OverflowError, ValueError, OSError):
        ms = None
    if ms is None or not EARLIEST_MS <= ms <= LATEST_MS:
        raise bad_request(f"Invalid {name} '{raw}': dates must be in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return ms


def parse_range(query: Mapping[str, str], tz: ZoneInfo, now_ms: int, earliest_ms: int) -> TimeRange:
    """`startAt` / `endAt`, or all time from `earliest_ms` (a local midnight) up to now."""
    raw_start, raw_end = query.get("startAt"), query.get("endAt")
    if not raw_start and not raw_end:
        start_day = datetime.fromtimestamp(earliest_ms / 1000, timezone.utc).astimezone(tz).date()
        start = _local_midnight(start_day, tz)
        return TimeRange(start, now_ms + 1, tz, _same_day(start, now_ms + 1, tz))
    if not raw_start or not raw_end:
        raise bad_request(
            f"startAt and endAt must be provided together (got only {'startAt' if raw_start else 'endAt'})"
        )
    start, end = _parse_moment("startAt", raw_start, tz), _parse_moment("endAt", raw_end, tz)
    days = _full_utc_days(start, end)
    if days:
        start, end = days
    start_ms = _edge_ms("startAt", raw_start, start, tz, end=False)
    end_ms = _edge_ms("endAt", raw_end, end, tz, end=True)
    if end_ms <= start_ms:
        raise bad_request(f"endAt ({raw_end}) must not be before startAt ({raw_start})")
    return TimeRange(start_ms, end_ms, tz, _same_day(start_ms, end_ms, tz))


def default_window(interval: str, tz: ZoneInfo, now_ms: int) -> TimeRange:
    """The timeseries' window when it gets no startAt/endAt, as today's pages document it:
    the last 24 hours for `hour`, the last 30 days for `day` and `week`, the last 12 months
    for `month` (whole local hours, days and months up to now)."""
    now = datetime.fromtimestamp(now_ms / 1000, timezone.utc).astimezone(tz)
    if interval == "hour":
        start = _ms(now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23))
    elif interval == "month":
        month = now.month - 11
        year = now.year + (month - 1) // 12
        start = _local_midnight(date(year, (month - 1) % 12 + 1, 1), tz)
    else:
        start = _local_midnight(now.date() - timedelta(days=29), tz)
    return TimeRange(start, now_ms + 1, tz, _same_day(start, now_ms + 1, tz))


def _same_day(start_ms: int, end_ms: int, tz: ZoneInfo) -> bool:
    first = datetime.fromtimestamp(start_ms / 1000, timezone.utc).astimezone(tz).date()
    last = datetime.fromtimestamp((end_ms - 1) / 1000, timezone.utc).astimezone(tz).date()
    return first == last


def parse_utc_moment(name: str, raw: str, *, end: bool) -> int:
    """A DELETE's `startAt`/`endAt`: a timestamp, or a UTC date (the end date inclusive)."""
    moment = _parse_moment(name, raw, timezone.utc)
    # Both ends inclusive here: the last millisecond of an end date, the end timestamp itself.
    return _edge_ms(name, raw, moment, timezone.utc, end=end) - (1 if end else 0)


def _int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not _INTEGER.fullmatch(text):
        raise bad_request(f"Invalid {name} '{raw}': must be an integer")
    # Refused by its length before int(): a huge number is out of range, not a slow conversion.
    value = int(text) if len(text) <= 19 else None
    if value is None or not low <= value <= high:
        raise bad_request(f"Invalid {name} {text if len(text) <= 40 else text[:40] + '...'}: "
                          f"must be between {low} and {high}")
    return value


def parse_pagination(query: Mapping[str, str]) -> tuple[int, int]:
    """`limit` (1..1000, default 100) and `offset` (0..MAX_OFFSET, default 0)."""
    return _int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), _int_param(query, "offset", 0, 0, MAX_OFFSET)


def parse_interval(query: Mapping[str, str]) -> str:
    """`interval`: hour, day (default), week or month."""
    value = query.get("interval") or "day"
    if value not in INTERVALS:
        raise bad_request(f"Invalid interval '{value}': valid intervals are {', '.join(INTERVALS)}")
    return value


def parse_fields(query: Mapping[str, str], valid: Sequence[str], default: Sequence[str]) -> list[str]:
    """`fields`: comma-separated names, each one of `valid`; duplicates dropped, order kept."""
    raw = query.get("fields")
    if raw is None or not raw.strip():
        return list(default)
    fields = list(dict.fromkeys(f.strip() for f in raw.split(",") if f.strip()))
    unknown = [f for f in fields if f not in valid]
    if unknown:
        raise bad_request(f"Invalid fields: {', '.join(unknown)}. Valid fields: {', '.join(valid)}")
    return fields
