"""Synthesis of single visitors and single sessions, shared by the history and live traffic.

Everything takes a `random.Random` and is deterministic given its state. The shapes it
returns (`VisitorDraft`, `SessionDraft`) are plain data; `rows.py` turns them into rows.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from datafast_tui.demo.audience import (
    BROWSER_VERSIONS,
    CAMPAIGNS,
    DIRECT,
    EMAIL_DOMAINS,
    ENTRY_BY_KIND,
    FIRST_NAMES,
    LAST_NAMES,
    PLATFORMS,
    REFERRER_BY_NAME,
    REFERRERS,
    Campaign,
    Platform,
    Referrer,
)
from datafast_tui.demo.geography import City, geography
from datafast_tui.demo.site import (
    CHECKOUT,
    DASHBOARD,
    GOALS_BY_SECTION,
    LOGIN,
    NEXT_PAGE,
    PAGES,
    PLANS,
    WWW_HOME,
    Plan,
    pages_in,
)

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
SESSION_GAP_MS = 30 * MINUTE_MS  # 30 minutes without activity end a session


class Table:
    """Items with cumulative weights, for fast weighted picks."""

    __slots__ = ("items", "cumulative")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.items = tuple(item for item, _ in pairs)
        self.cumulative = tuple(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random):  # noqa: ANN201 - an item of the table
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _zipf(ids: Sequence[int], exponent: float = 0.9) -> Table:
    return Table([(page_id, 1.0 / (rank + 1) ** exponent) for rank, page_id in enumerate(ids)])


_SECTION_TABLES: dict[str, Table] = {section: _zipf(pages_in(section)) for section in {p.section for p in PAGES}}
_SECTION_TABLES["www"] = Table([(WWW_HOME, 1.0)])
_NEXT_TABLES = {section: Table(choices) for section, choices in NEXT_PAGE.items()}
_ENTRY_TABLES = {kind: Table(choices) for kind, choices in ENTRY_BY_KIND.items()}
_CITY_TABLE = Table(
    [
        (
            city,
            country.weight
            * region.weight
            / sum(r.weight for r in country.regions)
            * city.weight
            / sum(c.weight for c in region.cities),
        )
        for country in geography().countries
        for region in country.regions
        for city in region.cities
    ]
)
_PLATFORM_TABLE = Table([(p, p.weight) for p in PLATFORMS])
_BROWSER_TABLES = {id(p): Table(p.browsers) for p in PLATFORMS}
_REFERRER_TABLE = Table([(r, r.weight) for r in REFERRERS])
_CAMPAIGN_TABLE = Table([(c, c.weight) for c in CAMPAIGNS])
_PLAN_TABLE = Table([(p, p.weight) for p in PLANS])
_PLAN_BY_KEY = {p.key: p for p in PLANS}
EMPTY_PARAMS = dict.fromkeys(
    ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via"), ""
)


def resolve_page(rng: random.Random, target: str | int) -> int:
    """A page id from a NEXT_PAGE/ENTRY target: a page id as is, or a random page of a section."""
    return target if isinstance(target, int) else _SECTION_TABLES[target].pick(rng)


@dataclass(slots=True)
class VisitorDraft:
    """A visitor's fixed attributes (they keep one device and one location)."""

    vkey: int
    visitor_id: str
    is_bot: bool
    city: City
    platform: Platform
    browser: str
    browser_version: str
    os_version: str
    vendor: str | None
    model: str | None
    viewport: tuple[int, int]
    customer: tuple[str, str, str] | None = None  # name, email, customer id


@dataclass(slots=True)
class SessionDraft:
    """One session with all its events; times in ms."""

    visitor: VisitorDraft
    visit_number: int
    referrer: Referrer
    params: dict[str, str]
    pageviews: list[tuple[int, int]]  # (ts, page_id), chronological
    end_ms: int
    goals: list[tuple[int, str, str | None, int]] = field(default_factory=list)  # ts, name, metadata, is_server
    purchase: tuple[int, Plan] | None = None
    skey: int = 0

    @property
    def start_ms(self) -> int:
        return self.pageviews[0][0]


def random_uuid(rng: random.Random) -> str:
    """A UUID4 string drawn from `rng` (so it is reproducible)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_visitor(rng: random.Random, vkey: int, bot_share: float = 0.025) -> VisitorDraft:
    """A visitor with a consistent location and device/OS/browser combination."""
    platform: Platform = _PLATFORM_TABLE.pick(rng)
    browser = _BROWSER_TABLES[id(platform)].pick(rng)
    vendor, model = rng.choice(platform.models)
    return VisitorDraft(
        vkey=vkey,
        visitor_id=random_uuid(rng),
        is_bot=rng.random() < bot_share,
        city=_CITY_TABLE.pick(rng),
        platform=platform,
        browser=browser,
        browser_version=rng.choice(BROWSER_VERSIONS[browser]),
        os_version=rng.choice(platform.os_versions),
        vendor=vendor,
        model=model,
        viewport=rng.choice(platform.viewports),
    )


def pick_source(rng: random.Random, returning: bool) -> tuple[Referrer, dict[str, str], str | int | None]:
    """Referrer, campaign parameters and an entry hint for a new session."""
    if returning and rng.random() < 0.7:
        return DIRECT, EMPTY_PARAMS, None
    if rng.random() < 0.16:
        campaign: Campaign = _CAMPAIGN_TABLE.pick(rng)
        return REFERRER_BY_NAME[campaign.referrer], {**EMPTY_PARAMS, **campaign.params}, campaign.entry
    return _REFERRER_TABLE.pick(rng), EMPTY_PARAMS, None


def _dwell_ms(rng: random.Random) -> int:
    # Log-normal time on page: median ~40 s, a long tail of readers.
    return int(min(rng.lognormvariate(math.log(55_000), 0.9), 20 * MINUTE_MS))


def synthesize_session(
    rng: random.Random,
    visitor: VisitorDraft,
    start_ms: int,
    visit_number: int,
    engaged: bool,
) -> SessionDraft:
    """Walk the site from an entry page, firing goals and maybe buying.

    `engaged` visitors (they signed up before) come back to the app rather than the site.
    """
    returning = visit_number > 1
    referrer, params, hint = pick_source(rng, returning)
    if engaged and referrer is DIRECT and rng.random() < 0.6:
        entry = rng.choice((LOGIN, DASHBOARD))
    else:
        entry = resolve_page(rng, hint if hint is not None else _ENTRY_TABLES[referrer.kind].pick(rng))
    session = SessionDraft(visitor, visit_number, referrer, params, [(start_ms, entry)], start_ms)
    keep_going = 0.6 if returning else 0.45
    fired: set[str] = set()
    ts, page_id, buying = start_ms, entry, False
    while True:
        buying = _fire_goals(rng, session, ts, page_id, fired) or buying
        if len(session.pageviews) >= 14 or (not buying and rng.random() >= keep_going):
            break
        keep_going *= 0.86
        ts += _dwell_ms(rng)
        page_id = CHECKOUT if buying else resolve_page(rng, _NEXT_TABLES[PAGES[page_id].section].pick(rng))
        session.pageviews.append((ts, page_id))
        if buying:
            plan = _PLAN_BY_KEY.get(_goal_plan(session), _PLAN_TABLE.pick(rng))
            session.purchase = (ts + rng.randint(30_000, 150_000), plan)
            buying = False
    session.end_ms = max(ts + rng.randint(5_000, 90_000), session.purchase[0] if session.purchase else 0)
    return session


def _goal_plan(session: SessionDraft) -> str:
    for _, name, metadata, _ in reversed(session.goals):
        if name == "checkout_started" and metadata:
            return json.loads(metadata).get("plan", "")
    return ""


def _fire_goals(rng: random.Random, session: SessionDraft, ts: int, page_id: int, fired: set[str]) -> bool:
    """Maybe complete the goals this page can trigger; True when the visitor heads to checkout."""
    heads_to_checkout = False
    for rule in GOALS_BY_SECTION.get(PAGES[page_id].section, ()):
        if rule.name in fired or rng.random() >= rule.probability:
            continue
        fired.add(rule.name)
        metadata = {key: rng.choice(values) for key, values in rule.metadata}
        is_server = int(rng.random() < rule.server_share)
        session.goals.append(
            (ts + rng.randint(2_000, 45_000), rule.name, json.dumps(metadata) if metadata else None, is_server)
        )
        if rule.name == "checkout_started" and session.purchase is None and rng.random() < 0.5:
            heads_to_checkout = True
    return heads_to_checkout


def make_customer(rng: random.Random) -> tuple[str, str, str]:
    """A customer's name, email and payment-provider customer id."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
    email = f"{local}{rng.randint(1, 99) if rng.random() < 0.3 else ''}@{rng.choice(EMAIL_DOMAINS)}"
    return f"{first} {last}", email, "cus_" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=14))


def transaction_id(rng: random.Random) -> str:
    return "txn_" + f"{rng.getrandbits(64):016x}"


def prediction(rng: random.Random, visitor: VisitorDraft, first: SessionDraft) -> tuple[int, float, float, float]:
    """Conversion prediction (score 0-100, rate, expected USD value, confidence) from a visitor's traits."""
    score = 50.0
    score += {"desktop": 8, "mobile": -7, "tablet": -2}[visitor.platform.device]
    score += 5 if visitor.platform.os == "Mac OS" else 0
    score += 6 if visitor.city.country_code in {"US", "GB", "DE", "CA", "AU", "NL", "CH"} else -4
    score += {"search": 5, "social": -3, "direct": 2, "referral": 1}[first.referrer.kind]
    score += 10 if any(PAGES[p].section == "pricing" for _, p in first.pageviews) else 0
    score += min(len(first.pageviews), 8) * 1.5 + rng.gauss(0, 7)
    score = max(1, min(99, round(score)))
    rate = round(0.0044 * 2 ** ((score - 50) / 12), 4)
    confidence = round(min(0.97, 0.3 + 0.5 * (1 - math.exp(-len(first.pageviews) / 4)) + rng.random() * 0.15), 3)
    return score, rate, round(rate * 243.63, 3), confidence
