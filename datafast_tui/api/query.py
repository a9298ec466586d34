"""The `Query`: one immutable value for "what the user is looking at".

It holds the date range, the timezone, the filters and whether to compare with the previous
period. The app keeps one; screens watch it and turn it into request parameters. Every
change makes a new value, so "did anything change?" is a plain `==`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datafast_tui.api.dates import ALL_TIME, DateRange, DateRangeError
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import Filter


def check_timezone(name: str) -> str:
    """`name` if it is an IANA timezone this machine knows, else a QueryError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QueryError(f"unknown timezone {name!r}; use an IANA name such as Europe/Paris or UTC") from None
    return name


@dataclass(frozen=True)
class Query:
    range: DateRange = ALL_TIME
    timezone: str | None = None  # None: the API uses the site's timezone
    filters: tuple[Filter, ...] = field(default=())
    compare: bool = False

    def __post_init__(self) -> None:
        if self.timezone is not None:
            check_timezone(self.timezone)
        seen: set[str] = set()
        for f in self.filters:
            # The API takes one `filter_<dimension>` parameter per dimension.
            if f.dimension in seen:
                raise QueryError(f"only one filter per dimension: {f.dimension} appears twice")
            seen.add(f.dimension)

    # -- requests -------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        """Query parameters for the analytics endpoints (overview, timeseries, breakdowns)."""
        out = dict(self.range.params())
        if self.timezone:
            out["timezone"] = self.timezone
        for f in self.filters:
            out[f.param_name] = f.param_value
        return out

    def comparison(self) -> Query | None:
        """The same query over the previous period, or None when there is none (all time)."""
        previous = self.range.previous()
        if previous is None:
            return None
        return replace(self, range=previous, compare=False)

    # -- changes --------------------------------------------------------------------------

    def with_range(self, new_range: DateRange) -> Query:
        return replace(self, range=new_range)

    def with_filter(self, new: Filter) -> Query:
        """Add a filter; one already on the same dimension is replaced in place."""
        kept = [f if f.dimension != new.dimension else new for f in self.filters]
        if new not in kept:
            kept.append(new)
        return replace(self, filters=tuple(kept))

    def without_filter(self, dimension: str) -> Query:
        return replace(self, filters=tuple(f for f in self.filters if f.dimension != dimension))

    def without_filters(self) -> Query:
        return replace(self, filters=())

    def toggled_compare(self) -> Query:
        return replace(self, compare=not self.compare)

    def filter_for(self, dimension: str) -> Filter | None:
        return next((f for f in self.filters if f.dimension == dimension), None)


__all__ = ["Query", "QueryError", "check_timezone", "DateRange", "DateRangeError", "Filter"]
