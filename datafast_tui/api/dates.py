"""Date ranges: presets, custom ranges, the previous period and stepping between periods.

A range is either whole days (`date` bounds, both inclusive, read by the API in the site
timezone), a span of instants (`datetime` bounds, start inclusive, end exclusive, sent as UTC
timestamps; used by "last 24 hours"), or all time (no bounds).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from datafast_tui.api.errors import QueryError


class DateRangeError(QueryError):
    """A range that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class Preset:
    name: str  # stable identifier, used in config and on the command line
    label: str
    key: str  # the one key that picks it in the range menu
    aliases: tuple[str, ...] = ()


PRESETS: tuple[Preset, ...] = (
    Preset("today", "Today", "t"),
    Preset("yesterday", "Yesterday", "y"),
    Preset("last_24_hours", "Last 24 hours", "h", ("24h",)),
    Preset("last_7_days", "Last 7 days", "7", ("7d",)),
    Preset("last_30_days", "Last 30 days", "3", ("30d",)),
    Preset("last_90_days", "Last 90 days", "9", ("90d",)),
    Preset("last_12_months", "Last 12 months", "1", ("12m", "12mo")),
    Preset("month_to_date", "Month to date", "m", ("mtd",)),
    Preset("last_month", "Last month", "l"),
    Preset("year_to_date", "Year to date", "Y", ("ytd",)),
    Preset("all_time", "All time", "a", ("all",)),
)
PRESETS_BY_NAME = {p.name: p for p in PRESETS}


def find_preset(text: str) -> Preset:
    """The preset named `text` (name or alias, `-` and `_` alike), or a DateRangeError listing them."""
    wanted = text.strip().lower().replace("-", "_")
    for preset in PRESETS:
        if wanted == preset.name or wanted in preset.aliases:
            return preset
    names = ", ".join(p.name for p in PRESETS)
    raise DateRangeError(f"unknown date range {text!r}; use one of: {names}")


@dataclass(frozen=True)
class DateRange:
    start: date | datetime | None
    end: date | datetime | None
    preset: str = "custom"  # a preset name, or "custom"

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise DateRangeError("a range needs both a start and an end (or neither, for all time)")
        if self.start is None or self.end is None:
            return
        if isinstance(self.start, datetime) != isinstance(self.end, datetime):
            raise DateRangeError("start and end must both be dates or both be times")
        if isinstance(self.start, datetime):
            assert isinstance(self.end, datetime)
            if self.start.tzinfo is None or self.end.tzinfo is None:
                raise DateRangeError("times in a range need a timezone")
            if self.end <= self.start:
                raise DateRangeError("the end of the range is before its start")
        elif self.end < self.start:
            raise DateRangeError(f"the end date {self.end} is before the start date {self.start}")

    @property
    def is_all_time(self) -> bool:
        return self.start is None

    @property
    def is_days(self) -> bool:
        return self.start is not None and not isinstance(self.start, datetime)

    @property
    def days(self) -> int:
        """Length in whole days (rounded up for time spans); 0 for all time."""
        if self.start is None or self.end is None:
            return 0
        if isinstance(self.start, datetime):
            assert isinstance(self.end, datetime)
            return max(1, -(-int((self.end - self.start).total_seconds()) // 86400))
        assert isinstance(self.end, date)
        return (self.end - self.start).days + 1

    def params(self) -> dict[str, str]:
        """`startAt`/`endAt` as the API wants them (always both, or neither)."""
        if self.start is None or self.end is None:
            return {}
        if isinstance(self.start, datetime):
            assert isinstance(self.end, datetime)
            fmt = "%Y-%m-%dT%H:%M:%SZ"
            start = self.start.astimezone(timezone.utc)
            # The API's endAt is inclusive; our time spans end exclusively, so send the last second.
            last = (self.end - timedelta(seconds=1)).astimezone(timezone.utc)
            if start.time() == time(0) and (last.hour, last.minute) == (23, 59):
                # The API reads a pair from UTC midnight to 23:59 as plain dates in the site's
                # timezone, which would shift these instants by the site's offset ("Last 24
                # hours" at 23:xx UTC is such a pair). The exclusive end (the next midnight)
                # cannot be read so; it adds one second, the one instant at the end's edge.
                last = self.end.astimezone(timezone.utc)
            return {"startAt": start.strftime(fmt), "endAt": last.strftime(fmt)}
        return {"startAt": self.start.isoformat(), "endAt": self.end.isoformat()}

    def previous(self) -> DateRange | None:
        """The period of the same length just before this one (None for all time)."""
        if self.start is None or self.end is None:
            return None
        if isinstance(self.start, datetime):
            assert isinstance(self.end, datetime)
            span = self.end - self.start
            return DateRange(self.start - span, self.start)
        n = self.days
        return DateRange(self.start - timedelta(days=n), self.start - timedelta(days=1))

    def shift(self, steps: int, today: date) -> DateRange:
        """Step `steps` periods back (negative) or forward; whole calendar months step by months.

        Refuses to step into a period that starts after `today`, or to step all time.
        """
        if self.start is None or self.end is None:
            raise DateRangeError("all time has no previous or next period")
        try:
            return self._shifted(steps, today)
        except (OverflowError, ValueError):  # past year 1 or 9999: the calendar's own ends
            raise DateRangeError(f"there is no data before {EARLIEST_DAY:%Y}" if steps < 0
                                 else "there is no data after today") from None

    def _shifted(self, steps: int, today: date) -> DateRange:
        assert self.start is not None and self.end is not None
        if isinstance(self.start, datetime):
            assert isinstance(self.end, datetime)
            span = self.end - self.start
            moved = DateRange(self.start + span * steps, self.end + span * steps)
            start_day = moved.start.date()  # type: ignore[union-attr]
        else:
            assert isinstance(self.end, date)
            months = _whole_months(self.start, self.end)
            if months:
                first = _add_months(self.start, months * steps)
                last_month_first = _add_months(first, months - 1)
                moved = DateRange(first, _month_end(last_month_first))
            else:
                n = self.days
                moved = DateRange(self.start + timedelta(days=n * steps), self.end + timedelta(days=n * steps))
            start_day = moved.start  # type: ignore[assignment]
        if start_day > today:
            raise DateRangeError("there is no data after today")
        if start_day < EARLIEST_DAY:
            raise DateRangeError(f"there is no data before {EARLIEST_DAY:%Y}")
        return moved

    def label(self, tz: tzinfo | None = None) -> str:
        """How the bar shows it: the preset's name, or the dates; times in `tz` (the site's
        timezone, the one the chart uses), else as stored (UTC)."""
        preset = PRESETS_BY_NAME.get(self.preset)
        if preset is not None:
            return preset.label
        if self.start is None or self.end is None:
            return "All time"
        if isinstance(self.start, datetime):
            assert isinstance(self.end, datetime)
            start, end = (self.start.astimezone(tz), self.end.astimezone(tz)) if tz else (self.start, self.end)
            return f"{start:%b %d %H:%M} – {end:%b %d %H:%M}"
        assert isinstance(self.end, date)
        if self.start == self.end:
            return f"{self.start:%a %b %d, %Y}"
        if self.start.year == self.end.year:
            return f"{self.start:%b %d} – {self.end:%b %d, %Y}"
        return f"{self.start:%b %d, %Y} – {self.end:%b %d, %Y}"


ALL_TIME = DateRange(None, None, "all_time")
#: No range reaches before this day (DataFast started in 2024): typed dates and `[` stop here.
EARLIEST_DAY = date(2000, 1, 1)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _whole_months(start: date, end: date) -> int:
    """How many calendar months [start, end] covers exactly, or 0 if it is not whole months."""
    if start.day != 1 or end != _month_end(end):
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def resolve_preset(name: str, now: datetime, tz: ZoneInfo) -> DateRange:
    """The concrete range a preset means at `now`, with days counted in `tz` (the site timezone)."""
    preset = find_preset(name)
    today = now.astimezone(tz).date()
    match preset.name:
        case "today":
            return DateRange(today, today, preset.name)
        case "yesterday":
            day = today - timedelta(days=1)
            return DateRange(day, day, preset.name)
        case "last_24_hours":
            # Whole hours, so the hourly buckets line up and the cache key holds for an hour.
            end = now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            return DateRange(end - timedelta(hours=24), end, preset.name)
        case "last_7_days" | "last_30_days" | "last_90_days":
            n = int(preset.name.split("_")[1])
            return DateRange(today - timedelta(days=n - 1), today, preset.name)
        case "last_12_months":
            return DateRange(_add_months(today, -12) + timedelta(days=1), today, preset.name)
        case "month_to_date":
            return DateRange(today.replace(day=1), today, preset.name)
        case "last_month":
            first = _add_months(today.replace(day=1), -1)
            return DateRange(first, _month_end(first), preset.name)
        case "year_to_date":
            return DateRange(today.replace(month=1, day=1), today, preset.name)
        case _:
            return ALL_TIME


def parse_day(text: str, what: str = "date") -> date:
    """A `YYYY-MM-DD` date typed by a person, with a message naming the field when it is not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DateRangeError(f"{what} {text.strip()!r} is not a date; write it as YYYY-MM-DD") from None


def custom_range(start_text: str, end_text: str, today: date | None = None) -> DateRange:
    """A custom range from two typed dates, checked for order and (given `today`) for the future."""
    start, end = parse_day(start_text, "start date"), parse_day(end_text, "end date")
    if start < EARLIEST_DAY:
        raise DateRangeError(f"the start date {start} is before {EARLIEST_DAY:%Y}: DataFast has no data that old")
    if end < start:
        raise DateRangeError(f"the end date {end} is before the start date {start}")
    if today is not None and start > today:
        raise DateRangeError(f"the start date {start} is in the future")
    return DateRange(start, end, "custom")
