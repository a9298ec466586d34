"""Synthesis of single visitors and single sessions, shared by the history and live traffic.

Everything takes a `random.Random` and is deterministic given its state. The shapes it
returns (`VisitorDraft`, `SessionDraft`) are plain data; `rows.py` turns them into rows.

The history runs this code about 80,000 times, so it is written for speed: weighted tables
are flattened per page, goal metadata is pre-encoded, and uniform picks call the RNG's
`_randbelow` directly (see `_uniform`); lognormvariate, gauss and the UUID's bits are drawn
inline too (each shortcut checked against the public call at import). Every draw is the one
the plain version made, in the same order, with the same arguments: the data must not change.
"""

from __future__ import annotations

import json
import math
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, product

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
    GoalRule,
    Plan,
    pages_in,
)

MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
SESSION_GAP_MS = 30 * MINUTE_MS  # 30 minutes without activity end a session
MAX_PAGEVIEWS = 14  # a session stops walking after this many pages
DWELL_MU = math.log(55_000)  # log-normal time on page: median ~40 s, a long tail of readers
DWELL_SIGMA = 0.9
DWELL_MAX_MS = 20 * MINUTE_MS
_NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)  # random.py's, for normalvariate inline
_exp, _log, _sqrt, _cos, _sin, _TWOPI = math.exp, math.log, math.sqrt, math.cos, math.sin, math.tau  # random.py's


# Uniform draws below n. `choice(seq)`, `randrange(n)` and `randint(a, b)` all come down to
# `rng._randbelow(n)`: draw n.bit_length() random bits until the number is below n (CPython
# 3.2+). The hot loops do that directly (`_randbelow` one Python call instead of two or three;
# the getrandbits loop inline, none), drawing exactly what the public calls would.
def _uniform_matches_public_api() -> bool:
    """Whether both shortcuts still draw what choice/randrange/randint draw."""
    def inline(rng: random.Random, n: int) -> int:
        bits = rng.getrandbits(n.bit_length())
        while bits >= n:
            bits = rng.getrandbits(n.bit_length())
        return bits

    for n in (1, 2, 3, 5, 7, 16, 30, 4_801, 43_001, 85_001, 120_001, 3_600_000):
        a, b, c = random.Random(n), random.Random(n), random.Random(n)
        public = [a.choice(range(n)) for _ in range(6)] + [a.randint(5, 4 + n) - 5 for _ in range(6)]
        public += [a.randrange(n) for _ in range(6)]
        if not public == [b._randbelow(n) for _ in range(18)] == [inline(c, n) for _ in range(18)]:
            return False
    return True


def _lognormal_matches_public_api() -> bool:
    """Whether synthesize_session's inline lognormvariate still draws what rng.lognormvariate draws."""
    def inline(rng: random.Random, mu: float, sigma: float) -> float:
        while True:  # as in synthesize_session
            u1 = rng.random()
            u2 = 1.0 - rng.random()
            z = _NV_MAGICCONST * (u1 - 0.5) / u2
            if z * z / 4.0 <= -_log(u2):
                break
        return _exp(mu + z * sigma)

    a, b = random.Random(5), random.Random(5)
    return [a.lognormvariate(3.0, 0.9) for _ in range(50)] == [inline(b, 3.0, 0.9) for _ in range(50)]


if not (_uniform_matches_public_api() and _lognormal_matches_public_api()):  # pragma: no cover - a future Python
    raise ImportError("random.Random no longer draws as traffic.py does: demo data would change")

_END_SPAN = 85_001  # a session ends 5 to 90 s after its last pageview: randint(5_000, 90_000)
_END_BITS = _END_SPAN.bit_length()
_GOAL_SPAN = 43_001  # a goal completes 2 to 45 s after its page view: randint(2_000, 45_000)
_GOAL_BITS = _GOAL_SPAN.bit_length()
GOAL_DELAY_MAX_MS = 2_000 + _GOAL_SPAN - 1  # the latest a goal completes after its pageview (a session ends later)


class Table:
    """Items with cumulative weights, for fast weighted picks."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.items = tuple(item for item, _ in pairs)
        self.cumulative = tuple(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):  # noqa: ANN201 - an item of the table
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def _zipf(ids: Sequence[int], exponent: float = 0.9) -> Table:
    return Table([(page_id, 1.0 / (rank + 1) ** exponent) for rank, page_id in enumerate(ids)])


_SECTION_TABLES: dict[str, Table] = {section: _zipf(pages_in(section)) for section in {p.section for p in PAGES}}
_SECTION_TABLES["www"] = Table([(WWW_HOME, 1.0)])


def _route(choices: Sequence[tuple[str | int, float]]) -> Table:
    """A NEXT_PAGE/ENTRY table whose section targets are already their section's table."""
    return Table([(target if isinstance(target, int) else _SECTION_TABLES[target], w) for target, w in choices])


_NEXT_TABLES = {section: _route(choices) for section, choices in NEXT_PAGE.items()}
_NEXT_BY_PAGE: tuple[Table | None, ...] = tuple(_NEXT_TABLES.get(p.section) for p in PAGES)
_ENTRY_TABLES = {kind: _route(choices) for kind, choices in ENTRY_BY_KIND.items()}
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


@dataclass(frozen=True, slots=True)
class _Uniform:
    """Items to draw one of uniformly (rng.choice), with the bits a draw takes."""

    items: tuple
    n: int
    bits: int


def _uniform(items: Sequence) -> _Uniform:
    return _Uniform(tuple(items), len(items), len(items).bit_length())


# Per platform: what new_visitor draws from (its browsers with their versions).
_PLATFORM_TABLE = Table(
    [
        ((p, Table([((b, _uniform(BROWSER_VERSIONS[b])), w) for b, w in p.browsers]), _uniform(p.models),
          _uniform(p.os_versions), _uniform(p.viewports)), p.weight)
        for p in PLATFORMS
    ]
)
_PLAN_TABLE = Table([(p, p.weight) for p in PLANS])
_PLAN_BY_KEY = {p.key: p for p in PLANS}
EMPTY_PARAMS = dict.fromkeys(
    ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via"), ""
)


@dataclass(frozen=True, slots=True, eq=False)
class Source:
    """Where a session comes from. A fixed set, made once: rows.py caches their columns per object."""

    referrer: Referrer
    params: dict[str, str]  # shared by every session of the source: never modified
    entry: str | int | None  # the section (or page) a campaign's links point to
    entry_table: Table | None  # else where visitors of this referrer's kind land


def _plain(referrer: Referrer) -> Source:
    return Source(referrer, EMPTY_PARAMS, None, _ENTRY_TABLES.get(referrer.kind))


_DIRECT_SOURCE = _plain(DIRECT)
_REFERRER_TABLE = Table([(_DIRECT_SOURCE if r is DIRECT else _plain(r), r.weight) for r in REFERRERS])
_CAMPAIGN_TABLE = Table(
    [
        (Source(REFERRER_BY_NAME[c.referrer], {**EMPTY_PARAMS, **c.params}, c.entry, None), c.weight)
        for c in CAMPAIGNS
    ]
)


@dataclass(frozen=True, slots=True)
class _Goal:
    """A goal rule as `synthesize_session` fires it: metadata choices pre-encoded as JSON."""

    name: str
    probability: float
    server_share: float
    sizes: tuple[int, ...]  # how many values each metadata key takes, in draw order
    metadata: tuple[str | None, ...]  # JSON per combination of choices (mixed radix, first key most significant)
    plans: tuple[str, ...]  # the `plan` value per combination ("" without one): what checkout_started buys
    checkout: bool  # checkout_started: may send the visitor to the checkout


def _goal(rule: GoalRule) -> _Goal:
    combos = list(product(*(values for _, values in rule.metadata)))
    encoded = tuple(json.dumps(dict(zip((k for k, _ in rule.metadata), c))) if c else None for c in combos)
    plans = tuple(dict(zip((k for k, _ in rule.metadata), c)).get("plan", "") for c in combos)
    sizes = tuple(len(values) for _, values in rule.metadata)
    return _Goal(rule.name, rule.probability, rule.server_share, sizes, encoded, plans,
                 rule.name == "checkout_started")


_GOALS_BY_PAGE: tuple[tuple[_Goal, ...], ...] = tuple(
    tuple(_goal(rule) for rule in GOALS_BY_SECTION.get(p.section, ())) for p in PAGES
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
    source: Source
    pageviews: list[tuple[int, int]]  # (ts, page_id), chronological
    end_ms: int
    goals: list[tuple[int, str, str | None, int]] = field(default_factory=list)  # ts, name, metadata, is_server
    purchase: tuple[int, Plan] | None = None
    skey: int = 0

    @property
    def start_ms(self) -> int:
        return self.pageviews[0][0]

    @property
    def referrer(self) -> Referrer:
        return self.source.referrer

    @property
    def params(self) -> dict[str, str]:
        return self.source.params


_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))  # the variant and version bits...
_UUID_SET = (0x8000 << 48) | (4 << 76)  # ...set to RFC 4122, version 4 (what uuid.UUID(version=4) does)


def random_uuid(rng: random.Random) -> str:
    """A UUID4 string drawn from `rng` (so it is reproducible); `str(uuid.UUID(int=..., version=4))`."""
    h = "%032x" % (rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_visitor(rng: random.Random, vkey: int, bot_share: float = 0.025) -> VisitorDraft:
    """A visitor with a consistent location and device/OS/browser combination."""
    random_, bits = rng.random, rng.getrandbits  # rng.choice(u.items) inline: see _uniform_matches_public_api
    table = _PLATFORM_TABLE
    platform, browsers, models, os_versions, viewports = table.items[bisect(table.cumulative, random_() * table.total)]
    browser, versions = browsers.items[bisect(browsers.cumulative, random_() * browsers.total)]
    i = bits(models.bits)
    while i >= models.n:
        i = bits(models.bits)
    vendor, model = models.items[i]
    # random_uuid, inline: getrandbits(128) is four 32-bit draws, the first the lowest (see _uuid_matches).
    low, mid, high = bits(32), bits(32) & 0x3FFF_FFFF | 0x8000_0000, bits(32) & 0xFFFF_0FFF | 0x4000
    visitor_id = "%08x-%04x-%04x-%04x-%04x%08x" % (bits(32), high >> 16, high & 0xFFFF, mid >> 16, mid & 0xFFFF, low)
    is_bot = random_() < bot_share
    city = _CITY_TABLE.items[bisect(_CITY_TABLE.cumulative, random_() * _CITY_TABLE.total)]
    i = bits(versions.bits)
    while i >= versions.n:
        i = bits(versions.bits)
    browser_version = versions.items[i]
    i = bits(os_versions.bits)
    while i >= os_versions.n:
        i = bits(os_versions.bits)
    os_version = os_versions.items[i]
    i = bits(viewports.bits)
    while i >= viewports.n:
        i = bits(viewports.bits)
    return VisitorDraft(vkey, visitor_id, is_bot, city, platform, browser, browser_version, os_version, vendor,
                        model, viewports.items[i])


def pick_source(rng: random.Random, returning: bool) -> Source:
    """Referrer, campaign parameters and entry hint of a new session."""
    if returning and rng.random() < 0.7:
        return _DIRECT_SOURCE
    return (_CAMPAIGN_TABLE if rng.random() < 0.16 else _REFERRER_TABLE).pick(rng)


def _pick_page(rng: random.Random, table: Table) -> int:
    """A page from a route table: a page id as is, or a random page of the section it names."""
    target = table.items[bisect(table.cumulative, rng.random() * table.total)]
    if target.__class__ is int:
        return target
    return target.items[bisect(target.cumulative, rng.random() * target.total)]


# The walk's next-page tables per page, unpacked: (items, cumulative weights, total) or None.
_NEXT_PARTS: tuple[tuple | None, ...] = tuple(
    None if t is None else (t.items, t.cumulative, t.total) for t in _NEXT_BY_PAGE
)
_CAMPAIGN_PARTS = (_CAMPAIGN_TABLE.items, _CAMPAIGN_TABLE.cumulative, _CAMPAIGN_TABLE.total)
_REFERRER_PARTS = (_REFERRER_TABLE.items, _REFERRER_TABLE.cumulative, _REFERRER_TABLE.total)
_PLAN_PARTS = (_PLAN_TABLE.items, _PLAN_TABLE.cumulative, _PLAN_TABLE.total)


def synthesize_session(
    rng: random.Random,
    visitor: VisitorDraft,
    start_ms: int,
    visit_number: int,
    engaged: bool,
) -> SessionDraft:
    """Walk the site from an entry page, firing goals and maybe buying.

    `engaged` visitors (they signed up before) come back to the app rather than the site.

    pick_source, _pick_page, rng.lognormvariate and the goal rules are inlined (the history
    runs this about 80,000 times); they draw what the plain calls drew, in the same order.
    """
    random_, below, bits = rng.random, rng._randbelow, rng.getrandbits
    returning = visit_number > 1
    if returning and random_() < 0.7:  # pick_source
        source = _DIRECT_SOURCE
    else:
        items, cumulative, total = _CAMPAIGN_PARTS if random_() < 0.16 else _REFERRER_PARTS
        source = items[bisect(cumulative, random_() * total)]
    if engaged and source.referrer is DIRECT and random_() < 0.6:  # campaigns can come direct too
        entry = (LOGIN, DASHBOARD)[below(2)]
    elif source.entry is not None:
        entry = resolve_page(rng, source.entry)
    else:
        entry = _pick_page(rng, source.entry_table)
    pageviews = [(start_ms, entry)]
    session = SessionDraft(visitor, visit_number, source, pageviews, start_ms)
    add_goal, add_pageview = session.goals.append, pageviews.append
    keep_going = 0.6 if returning else 0.45
    fired: set[str] = set()
    ts, page_id, buying, plan_key, count, purchase = start_ms, entry, False, "", 1, None
    while True:
        rules = _GOALS_BY_PAGE[page_id]
        if rules:  # each goal the page can trigger, maybe completed (at most once a session)
            for rule in rules:
                if rule.name in fired or random_() >= rule.probability:
                    continue
                fired.add(rule.name)
                combo = 0
                for size in rule.sizes:  # one choice per metadata key, in the rule's order
                    combo = combo * size + below(size)
                is_server = int(random_() < rule.server_share)
                drawn = bits(_GOAL_BITS)  # randint(2_000, 45_000), inline
                while drawn >= _GOAL_SPAN:
                    drawn = bits(_GOAL_BITS)
                add_goal((ts + 2_000 + drawn, rule.name, rule.metadata[combo], is_server))
                if rule.checkout and purchase is None and random_() < 0.5:  # heads to the checkout
                    buying, plan_key = True, rule.plans[combo]
        if count >= MAX_PAGEVIEWS or (not buying and random_() >= keep_going):
            break
        keep_going *= 0.86
        while True:  # rng.lognormvariate(DWELL_MU, DWELL_SIGMA): exp(normalvariate), inline
            u1 = random_()
            u2 = 1.0 - random_()
            z = _NV_MAGICCONST * (u1 - 0.5) / u2
            if z * z / 4.0 <= -_log(u2):
                break
        ts += int(min(_exp(DWELL_MU + z * DWELL_SIGMA), DWELL_MAX_MS))
        if buying:
            page_id = CHECKOUT
        else:
            items, cumulative, total = _NEXT_PARTS[page_id]  # _pick_page, inline
            page_id = items[bisect(cumulative, random_() * total)]
            if page_id.__class__ is not int:  # a section: one of its pages
                page_id = page_id.items[bisect(page_id.cumulative, random_() * page_id.total)]
        add_pageview((ts, page_id))
        count += 1
        if buying:
            # The plan table is drawn from even when the checkout names its plan (as it always did).
            items, cumulative, total = _PLAN_PARTS
            fallback = items[bisect(cumulative, random_() * total)]
            purchase = session.purchase = (ts + 30_000 + below(120_001), _PLAN_BY_KEY.get(plan_key, fallback))
            buying = False
    drawn = bits(_END_BITS)  # randint(5_000, 90_000), inline (see _uniform_matches_public_api)
    while drawn >= _END_SPAN:
        drawn = bits(_END_BITS)
    end = ts + 5_000 + drawn
    session.end_ms = max(end, purchase[0]) if purchase else end
    return session


def make_customer(rng: random.Random) -> tuple[str, str, str]:
    """A customer's name, email and payment-provider customer id."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
    email = f"{local}{rng.randint(1, 99) if rng.random() < 0.3 else ''}@{rng.choice(EMAIL_DOMAINS)}"
    return f"{first} {last}", email, "cus_" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=14))


def transaction_id(rng: random.Random) -> str:
    return "txn_" + f"{rng.getrandbits(64):016x}"


# The prediction's score adds small integers first (in any order they sum exactly), then one
# float. Tables for what depends only on the visitor, and for the steps after the score.
_DEVICE_SCORE = {"desktop": 8, "mobile": -7, "tablet": -2}
_STRONG_COUNTRIES = frozenset({"US", "GB", "DE", "CA", "AU", "NL", "CH"})
_KIND_SCORE = {"search": 5, "social": -3, "direct": 2, "referral": 1}
_PLATFORM_SCORE = {id(p): 50.0 + _DEVICE_SCORE[p.device] + (5 if p.os == "Mac OS" else 0) for p in PLATFORMS}
_PRICING_PAGES = frozenset(p.page_id for p in PAGES if p.section == "pricing")
_RATE_BY_SCORE = {score: round(0.0044 * 2 ** ((score - 50) / 12), 4) for score in range(1, 100)}
_VALUE_BY_SCORE = {score: round(rate * 243.63, 3) for score, rate in _RATE_BY_SCORE.items()}
_CONFIDENCE_BASE = tuple(0.3 + 0.5 * (1 - math.exp(-n / 4)) for n in range(MAX_PAGEVIEWS + 1))  # by pageviews


def prediction(rng: random.Random, visitor: VisitorDraft, first: SessionDraft) -> tuple[int, float, float, float]:
    """Conversion prediction (score 0-100, rate, expected USD value, confidence) from a visitor's traits."""
    platform, pageviews = visitor.platform, first.pageviews
    score = _PLATFORM_SCORE.get(id(platform))
    if score is None:  # a platform made elsewhere (PLATFORMS' are tabled)
        score = 50.0 + _DEVICE_SCORE[platform.device] + (5 if platform.os == "Mac OS" else 0)
    score += 6 if visitor.city.country_code in _STRONG_COUNTRIES else -4
    score += _KIND_SCORE[first.source.referrer.kind]
    for _, page_id in pageviews:
        if page_id in _PRICING_PAGES:
            score += 10
            break
    n = len(pageviews)
    score += (n if n < 8 else 8) * 1.5 + gauss(rng, 0, 7)
    score = round(score)
    score = 1 if score < 1 else (99 if score > 99 else score)
    base = _CONFIDENCE_BASE[n] if n <= MAX_PAGEVIEWS else 0.3 + 0.5 * (1 - math.exp(-n / 4))
    confidence = base + rng.random() * 0.15
    return score, _RATE_BY_SCORE[score], _VALUE_BY_SCORE[score], round3(confidence if confidence < 0.97 else 0.97)


def gauss(rng: random.Random, mu: float, sigma: float) -> float:
    """rng.gauss(mu, sigma), drawing what it draws (it keeps the second value of each pair on the rng)."""
    z = rng.gauss_next
    rng.gauss_next = None
    if z is None:
        random_ = rng.random
        x2pi = random_() * _TWOPI
        g2rad = _sqrt(-2.0 * _log(1.0 - random_()))
        z = _cos(x2pi) * g2rad
        rng.gauss_next = _sin(x2pi) * g2rad
    return mu + z * sigma


def round3(x: float) -> float:
    """round(x, 3) for 0 <= x < 1,000, without round's decimal conversion (unless x is too close to a tie to tell)."""
    y = x * 1000.0
    k = int(y + 0.5)
    d = y - k  # within 1e-13 of the exact x * 1000 - k: decides unless that is about -0.5 or 0.5
    if d < -0.4999999 or d > 0.4999999:
        return round(x, 3)
    return k / 1000  # the float nearest to k / 1000, as round's decimal result is


def _gauss_matches_public_api() -> bool:
    """Whether gauss and round3 still give what rng.gauss and round(x, 3) give."""
    a, b = random.Random(9), random.Random(9)
    if [a.gauss(0, 7) for _ in range(51)] != [gauss(b, 0, 7) for _ in range(51)]:
        return False
    xs = [a.random() for _ in range(100)] + [(k + h) / 1000 for k in range(250, 1_000, 7) for h in (0, 0.5)]
    return all(round3(x) == round(x, 3) for x in xs)


def _uuid_matches() -> bool:
    """Whether new_visitor's inline random_uuid (four 32-bit draws) still makes random_uuid's ids."""
    a, b = random.Random(11), random.Random(11)
    for _ in range(20):
        bits = b.getrandbits  # as in new_visitor
        low, mid, high = bits(32), bits(32) & 0x3FFF_FFFF | 0x8000_0000, bits(32) & 0xFFFF_0FFF | 0x4000
        inline = "%08x-%04x-%04x-%04x-%04x%08x" % (bits(32), high >> 16, high & 0xFFFF, mid >> 16, mid & 0xFFFF, low)
        if inline != random_uuid(a):
            return False
    return a.random() == b.random()


if not (_gauss_matches_public_api() and _uuid_matches()):  # pragma: no cover - only a future Python could get here
    raise ImportError("random.Random or round() no longer give what traffic.py's shortcuts give: demo data changes")
