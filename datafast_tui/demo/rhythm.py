"""How busy the demo site is at a given moment: daily and weekly rhythm, growth, a launch.

Both the history generator and the live traffic ask `new_visitors_per_hour`, so the live
feed continues the charts seamlessly.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from datafast_tui.demo.site import SITE

SITE_TZ = ZoneInfo(SITE.timezone)
DAY_MS = 86_400_000

# New visitors per hour at the reference time on an average hour of an average weekday.
BASE_NEW_VISITORS_PER_HOUR = 36.0
# Local hour of the site's timezone -> factor. A global audience keeps nights from hitting zero.
_HOURLY = (
    0.56,
    0.50,
    0.46,
    0.44,
    0.46,
    0.52,
    0.62,
    0.78,
    0.95,
    1.15,
    1.30,
    1.38,
    1.35,
    1.38,
    1.42,
    1.40,
    1.32,
    1.20,
    1.05,
    0.95,
    0.90,
    0.85,
    0.75,
    0.64,
)
# Monday .. Sunday.
_WEEKDAY = (1.08, 1.12, 1.10, 1.06, 0.95, 0.72, 0.78)
HISTORY_DAYS = 90
LAUNCH_DAYS_BEFORE_REFERENCE = 38  # a Product Hunt launch: a spike that fades over days


def _local(ts_ms: int) -> datetime:
    return datetime.fromtimestamp(ts_ms / 1000, timezone.utc).astimezone(SITE_TZ)


def new_visitors_per_hour(ts_ms: int, reference_ms: int) -> float:
    """Expected new visitors per hour around `ts_ms` for a history ending at `reference_ms`."""
    local = _local(ts_ms)
    days_before = (reference_ms - ts_ms) / DAY_MS
    # Gentle growth: the site had ~55% of today's traffic three months ago, and keeps growing.
    growth = 1.0 - 0.45 * min(days_before, HISTORY_DAYS) / HISTORY_DAYS
    since_launch = LAUNCH_DAYS_BEFORE_REFERENCE - days_before
    launch = 2.2 * math.exp(-since_launch / 1.2) if since_launch >= 0 else 0.0
    hourly = _HOURLY[local.hour] + (_HOURLY[(local.hour + 1) % 24] - _HOURLY[local.hour]) * local.minute / 60
    return BASE_NEW_VISITORS_PER_HOUR * (growth + launch) * _WEEKDAY[local.weekday()] * hourly


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, a normal approximation above 30)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k
