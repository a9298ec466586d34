"""The query flags both `datafast-tui` and `datafast-tui report` take: range, dates, filters, compare.

`--filter` takes what the filter bar takes (`country is France`, `page contains /blog`,
`device mobile,tablet`); `--from` / `--to` a custom range in days (YYYY-MM-DD), which beats
`--range`. Everything is checked here, before any request, so a mistyped flag is one line
on stderr and exit status 2, never a traceback or a request the API refuses.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from datafast_tui.api.dates import PRESETS, DateRange, custom_range, find_preset, resolve_preset
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import Filter
from datafast_tui.api.query import Query, check_timezone
from datafast_tui.config import ConfigError

#: A typed value longer than this is not a filter anyone meant (a paste gone wrong).
MAX_FILTER_TEXT = 2000


def add_query_flags(parser: argparse.ArgumentParser) -> None:
    presets = ", ".join(p.name for p in PRESETS)
    parser.add_argument("--range", metavar="PRESET", help=f"date range: {presets}")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day of a custom range (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day of a custom range (YYYY-MM-DD)")
    parser.add_argument("--filter", dest="filters", metavar="FILTER", action="append",
                        help="a filter as typed in the filter bar, e.g. 'country is France' (repeatable)")
    parser.add_argument("--compare", action="store_true", help="compare with the previous period")
    parser.add_argument("--timezone", metavar="TZ", help="IANA timezone for dates (default: the site's)")
    parser.add_argument("--view", metavar="NAME",
                        help="a saved view (b in the app saves one): its range, filters, compare and screen; "
                             "other flags beat it")


@dataclass(frozen=True)
class QueryFlags:
    """The query the flags ask for, before the site's timezone is known (presets resolve in it)."""

    preset: str | None = None
    custom: DateRange | None = None
    filters: tuple[Filter, ...] = ()
    compare: bool = False

    def query(self, default_preset: str, now: datetime, zone: tzinfo, timezone: str | None) -> Query:
        rng = self.custom or resolve_preset(self.preset or default_preset, now, zone)  # type: ignore[arg-type]
        return Query(range=rng, timezone=timezone, filters=self.filters, compare=self.compare)


def read_query_flags(flags: Mapping[str, object], today: date | None = None) -> QueryFlags:
    """The flags' query parts, checked; raises ConfigError naming the flag that is wrong."""
    preset = flags.get("range")
    start, end = flags.get("start"), flags.get("end")
    try:
        if preset:
            preset = find_preset(str(preset)).name
        if flags.get("timezone"):
            check_timezone(str(flags["timezone"]))
    except QueryError as exc:
        raise ConfigError(str(exc)) from None
    custom = None
    if start or end:
        if not (start and end):
            given, missing = ("--from", "--to") if start else ("--to", "--from")
            raise ConfigError(f"{given} needs {missing} too: a custom range has a first and a last day")
        if preset:
            raise ConfigError("--range and --from/--to both give the range: use one or the other")
        try:
            custom = custom_range(str(start), str(end), today)
        except QueryError as exc:
            raise ConfigError(f"--from/--to: {exc}") from None
    filters = _filters(flags.get("filters") or ())  # type: ignore[arg-type]
    return QueryFlags(preset=preset or None, custom=custom, filters=filters,  # type: ignore[arg-type]
                      compare=bool(flags.get("compare")))


def _filters(texts: Sequence[str]) -> tuple[Filter, ...]:
    filters: list[Filter] = []
    for text in texts:
        shown = text if len(text) <= 60 else text[:57] + "…"
        if len(text) > MAX_FILTER_TEXT:
            raise ConfigError(f"--filter {shown!r}: {len(text):,} characters is too long for a filter")
        try:
            new = Filter.parse(text)
        except QueryError as exc:
            raise ConfigError(f"--filter {shown!r}: {exc}") from None
        if any(f.dimension == new.dimension for f in filters):
            raise ConfigError(f"--filter {shown!r}: one filter per dimension ({new.dimension} is given twice); "
                              "put several values in one: 'country is France,Spain'")
        filters.append(new)
    return tuple(filters)
