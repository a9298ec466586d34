"""Every site at a glance: which sites there are, and each one's live count and today against yesterday.

The sites are the one open now, every profile of the config file, and the websites of an
account token (dft_…). Each site's figures take three requests: the live count, and the
overview of today so far and of yesterday until the same time of day (a fair comparison
at 9 in the morning, where all of yesterday would always look better). The site's
metadata (its timezone: when its day starts) is asked once and kept by its store.

How often the board refreshes follows from the budget: the sites that share a key share
its rate limit, and the board takes at most BUDGET_SHARE of it, so the other screens, and
other tools on the same key, keep the rest.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datafast_tui.api.dates import DateRange
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models_account import Website
from datafast_tui.api.query import Query
from datafast_tui.config import ConfigError, ConfigFile
from datafast_tui.data.outcome import part
from datafast_tui.data.realtime_schedule import RATE_LIMIT_PER_MINUTE
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.settings import Connection, connection_for

#: Requests per site and refresh: the live count, today so far, yesterday by the same time.
REQUESTS_PER_SITE = 3
#: The share of each key's rate limit the board may take.
BUDGET_SHARE = 0.25
#: Never more often than this, however few sites (seconds).
MIN_INTERVAL = 60.0
#: The choice that names an account's website (as the site picker's, `app.switch_site` takes it).
WEBSITE_PREFIX = "website:"


@dataclass(frozen=True)
class SiteChoice:
    """One row of the board: what `switch_site` is given to open it, and how to reach it."""

    choice: str  # a profile name, "demo", or WEBSITE_PREFIX + the website's id
    label: str
    connection: Connection
    current: bool = False

    @property
    def key_identity(self) -> str:
        """Which rate limit it counts against (its key; the demo has its own)."""
        return "demo" if self.connection.demo else (self.connection.api_key or "")


def site_choices(current: Connection, config: ConfigFile, environ: Mapping[str, str],
                 websites: Sequence[Website] = ()) -> tuple[list[SiteChoice], list[str]]:
    """The sites of the board, the open one first, and a line for each profile that cannot be used."""
    # An account's websites go by their own names (the token is the open site's, said once).
    mine = next((site for site in websites if site.id == current.website_id), None)
    label = mine.label if mine is not None else current.label
    out = [SiteChoice(current.profile or ("demo" if current.demo else "current"), label, current, current=True)]
    problems: list[str] = []
    for site in websites:
        if site.id and site.id != current.website_id:
            out.append(SiteChoice(WEBSITE_PREFIX + site.id, site.label,
                                  replace(current, website_id=site.id, website_label=site.label)))
    for name in sorted(config.profiles):
        if name == current.profile and not websites:
            continue
        try:
            connection = connection_for(config, environ, profile=name, profile_from_flag=True)
        except ConfigError as exc:
            problems.append(str(exc))
            continue
        if connection.api_key == current.api_key and connection.base_url == current.base_url and \
                connection.website_id in (None, current.website_id):
            continue  # the same site under another name
        out.append(SiteChoice(name, connection.label, connection))
    return out, problems


def board_interval(choices: Sequence[SiteChoice]) -> float:
    """Seconds between refreshes, so the busiest key gives the board at most BUDGET_SHARE of its limit."""
    per_key = Counter(c.key_identity for c in choices)
    busiest = max(per_key.values(), default=1) * REQUESTS_PER_SITE
    return max(MIN_INTERVAL, math.ceil(busiest * 60 / (RATE_LIMIT_PER_MINUTE * BUDGET_SHARE)))


@dataclass(frozen=True)
class SiteFigures:
    live: int | None = None
    visitors: int | None = None
    visitors_before: int | None = None  # yesterday by the same time of day
    revenue: float | None = None
    revenue_before: float | None = None
    currency: str | None = None
    problem: DataFastError | None = None  # the first request that failed
    at: datetime | None = None


def _zone(name: str | None) -> ZoneInfo | timezone:
    try:
        return ZoneInfo(name) if name else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def day_ranges(now: datetime, zone: ZoneInfo | timezone) -> tuple[DateRange, DateRange]:
    """Today until now, and yesterday until the same time, in the site's zone."""
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = max(local, midnight + timedelta(minutes=1))  # a range cannot be empty (00:00:xx)
    return DateRange(midnight, end), DateRange(midnight - timedelta(days=1), end - timedelta(days=1))


async def site_figures(store: AnalyticsStore, now: datetime) -> SiteFigures:
    """A site's figures now (see the module); a failed request leaves its figures None and says why."""
    metadata = await part(store.metadata())
    zone = _zone(metadata.value.timezone if metadata.value is not None else None)
    today, yesterday = day_ranges(now, zone)
    live, current, before = await asyncio.gather(
        part(store.realtime(refresh=True)), part(store.overview(Query(range=today), refresh=True)),
        part(store.overview(Query(range=yesterday))))
    problem = next((p.problem for p in (live, current, before) if p.problem is not None), None)
    return SiteFigures(
        live=live.value.visitors if live.value is not None else None,
        visitors=current.value.visitors if current.value is not None else None,
        visitors_before=before.value.visitors if before.value is not None else None,
        revenue=current.value.revenue if current.value is not None else None,
        revenue_before=before.value.revenue if before.value is not None else None,
        currency=(metadata.value.currency if metadata.value is not None else None),
        problem=problem, at=now)
