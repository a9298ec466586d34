"""The hostile dataset through the API: hostile strings everywhere, valid JSON, right numbers."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from datafast_tui.demo import DemoDatabase, open_demo_database
from datafast_tui.demo.hostile import CATEGORIES
from datafast_tui.demo.site import GOALS, PAGES
from tests.unit.demo import shapes
from tests.unit.demo.conftest import FrozenClock, client_for, get_json
from tests.unit.demo.hostile_support import VISIBLE_CATEGORIES, categories, is_hostile, strict_json

# The label fields of each breakdown's rows (campaigns: inside "campaign").
BREAKDOWN_LABELS = {
    "devices": ("device",),
    "pages": ("hostname", "path"),
    "goals": ("goal",),
    "referrers": ("referrer",),
    "countries": ("country",),
    "regions": ("region",),
    "cities": ("city",),
    "browsers": ("browser",),
    "operating-systems": ("operating_system",),
    "hostnames": ("hostname",),
}
PAST_MONTH = {"startAt": "2026-01-01", "endAt": "2026-01-31"}  # history only: same traffic in both datasets


@pytest.fixture
async def hostile_api(hostile_db: DemoDatabase) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(hostile_db) as client:
        yield client


def hostile_visitor(db: DemoDatabase) -> str:
    """A visitor with a hostile goal and a hostile page among their pageviews, the most hostile one."""
    normal_goals = [g.name for g in GOALS]
    with db.read() as (conn, _):
        rows = conn.execute(
            "SELECT visitor_id, city, device, browser, browser_version, os, os_version, device_vendor, device_model"
            " FROM visitors WHERE is_bot = 0 AND vkey IN (SELECT vkey FROM pageviews WHERE page_id >= ?)"
            f" AND vkey IN (SELECT vkey FROM goals WHERE name NOT IN ({','.join('?' * len(normal_goals))}))",
            (len(PAGES), *normal_goals),
        ).fetchall()
    return max(rows, key=lambda row: sum(is_hostile(v) for v in row[1:]))[0]


ENDPOINTS = [
    ("analytics/overview", shapes.OVERVIEW, shapes.OVERVIEW_EXTRAS),
    ("analytics/timeseries", shapes.TIMESERIES, set()),
    ("analytics/metadata", shapes.METADATA, shapes.METADATA_EXTRAS),
    ("analytics/realtime", shapes.REALTIME, set()),
    ("analytics/realtime/map", shapes.REALTIME_MAP, set()),
    *((f"analytics/{name}", shape, set()) for name, shape in shapes.BREAKDOWNS.items()),
]


@pytest.mark.parametrize(("path", "shape", "extras"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
async def test_every_endpoint_answers_valid_json(
    hostile_api: httpx.AsyncClient, path: str, shape: object, extras: set[str]
) -> None:
    response = await hostile_api.get(path, params={"limit": 1000} if path.count("/") == 1 else {})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    shapes.assert_shape(strict_json(response.content), shape, extras)


async def test_visitor_profile_is_hostile_and_valid(hostile_api: httpx.AsyncClient, hostile_db: DemoDatabase) -> None:
    response = await hostile_api.get(f"visitors/{hostile_visitor(hostile_db)}")
    assert response.status_code == 200
    body = strict_json(response.content)
    shapes.assert_shape(body, shapes.VISITOR, shapes.VISITOR_EXTRAS)
    identity, activity = body["data"]["identity"], body["data"]["activity"]
    assert re.fullmatch(r"[A-Z]{2}", identity["country"]) and identity["region"].startswith(identity["country"] + "-")
    system = [identity["city"], identity["browser"], identity["os"], identity["device"]]
    assert categories(system)
    hostile_urls = {hostile_db.names.url(page_id) for page_id in hostile_db.names.pages if page_id >= len(PAGES)}
    assert any(page["url"] in hostile_urls for page in activity["visitedPages"])
    normal_goals = {g.name for g in GOALS}
    assert any(goal["name"] not in normal_goals for goal in activity["completedCustomGoals"])


@pytest.mark.parametrize("name", sorted(BREAKDOWN_LABELS))
async def test_breakdown_labels_carry_every_category(hostile_api: httpx.AsyncClient, name: str) -> None:
    rows = (await get_json(hostile_api, f"analytics/{name}", limit=1000))["data"]
    for field in BREAKDOWN_LABELS[name]:
        labels = [row[field] for row in rows]
        assert categories(labels) == VISIBLE_CATEGORIES, field
        assert sum(not is_hostile(label) for label in labels) >= 3, field  # normal rows too


async def test_campaign_values_carry_every_category(hostile_api: httpx.AsyncClient) -> None:
    rows = (await get_json(hostile_api, "analytics/campaigns", limit=1000))["data"]
    assert categories([row["campaign"] for row in rows]) == VISIBLE_CATEGORIES
    for key in ("utm_source", "utm_medium", "utm_campaign", "ref", "source", "via"):
        assert any(is_hostile(row["campaign"][key]) for row in rows), key
    normal = [row for row in rows if not any(is_hostile(value) for value in row["campaign"].values())]
    assert normal and normal[0]["campaign"]["utm_source"] == "newsletter"  # the biggest campaign is intact


async def test_metadata_is_hostile_where_it_can_be(hostile_api: httpx.AsyncClient) -> None:
    site = (await get_json(hostile_api, "analytics/metadata"))["data"][0]
    assert is_hostile(site["name"]) and is_hostile(site["domain"]) and is_hostile(site["kpiColorScheme"])
    assert site["kpi"] is None and site["logo"] is None
    assert site["timezone"] == "America/New_York" and site["currency"] == "USD"  # needed to read the data right


async def test_countries_keep_valid_codes_and_flags(hostile_api: httpx.AsyncClient) -> None:
    rows = (await get_json(hostile_api, "analytics/countries", limit=1000))["data"]
    flags = [
        re.fullmatch(r"https://purecatamphetamine\.github\.io/country-flag-icons/3x2/([A-Z]{2})\.svg", r["image"])
        for r in rows
    ]
    assert all(flags) and rows[0]["country"] == "United States of America"
    assert sum(is_hostile(r["country"]) for r in rows) >= 10


async def test_realtime_map_now_has_hostile_values(hostile_api: httpx.AsyncClient) -> None:
    data = (await get_json(hostile_api, "analytics/realtime/map"))["data"]
    assert any(is_hostile(e["path"]) for e in data["recentEvents"])
    assert categories(data["visitors"])


async def test_realtime_events_and_payments_carry_hostile_values(hostile_cache: Path) -> None:
    """Travel back to moments where each realtime field was hostile (the store keeps all history)."""
    clock = FrozenClock()
    db = open_demo_database(clock=clock, cache_dir=hostile_cache, hostile=True)
    with db.read() as (conn, _):
        payments = [
            ts for ts, name in conn.execute("SELECT ts, name FROM payments WHERE kind != 'refund'") if is_hostile(name)
        ]
        goals = [ts for ts, name in conn.execute("SELECT ts, name FROM goals") if is_hostile(name)]
        metadata = [
            ts
            for ts, m in conn.execute("SELECT ts, metadata FROM goals WHERE metadata IS NOT NULL")
            if categories(list(json.loads(m).values()))
        ]
        named = [
            ts
            for ts, name in conn.execute(
                "SELECT p.ts, v.customer_name FROM pageviews p JOIN visitors v ON v.vkey = p.vkey"
            )
            if is_hostile(name)
        ]
        latest: dict[int, tuple[int, str]] = {}  # vkey -> (skey, referrer domain) of their latest session
        for vkey, skey, domain in conn.execute("SELECT vkey, skey, referrer_domain FROM sessions ORDER BY start_ms"):
            latest[vkey] = (skey, domain)
        referred = [skey for skey, domain in latest.values() if is_hostile(domain)]
        referrals = [conn.execute("SELECT MIN(ts) FROM pageviews WHERE skey = ?", (referred[0],)).fetchone()[0]]
    checks = {
        "event referrer": (referrals, lambda d: any(is_hostile(e["referrer"]) for e in d["recentEvents"])),
        "visitor referrer": (referrals, lambda d: any(is_hostile(v["referrer"]) for v in d["visitors"])),
        "payment name": (payments, lambda d: any(is_hostile(p["name"]) for p in d["recentPayments"])),
        "goal name": (goals, lambda d: any(is_hostile(e["extraData"].get("eventName")) for e in d["recentEvents"])),
        "goal metadata": (metadata, lambda d: any(categories(e["extraData"]) for e in d["recentEvents"])),
        "display name": (named, lambda d: any(is_hostile(e["displayName"]) for e in d["recentEvents"])),
    }
    async with client_for(db) as client:
        for what, (moments, check) in checks.items():
            assert moments, what
            clock.now = datetime.fromtimestamp(moments[len(moments) // 2] / 1000 + 1, timezone.utc)
            assert check((await get_json(client, "analytics/realtime/map"))["data"]), what
    db.close()


async def test_filters_match_hostile_values(hostile_api: httpx.AsyncClient, hostile_db: DemoDatabase) -> None:
    code, name = next((code, name) for code, name in hostile_db.names.countries.items() if is_hostile(name))
    by_name = await get_json(hostile_api, "analytics/overview", filter_country=f"is:{name}")
    by_code = await get_json(hostile_api, "analytics/overview", filter_country=f"is:{code}")
    assert by_name["data"][0]["visitors"] == by_code["data"][0]["visitors"] > 0
    for dimension in ("page", "referrer", "browser", "utm_source"):
        for value in (CATEGORIES["escape"][0], CATEGORIES["wide"][0]):
            body = await get_json(hostile_api, "analytics/overview", **{f"filter_{dimension}": f"is:{value}"})
            assert body["data"][0]["visitors"] > 0, (dimension, value)


async def test_numbers_match_the_normal_dataset(hostile_api: httpx.AsyncClient, api: httpx.AsyncClient) -> None:
    """Only text differs: the same traffic gives the same numbers (history, where live traffic plays no part)."""
    for path in ("analytics/overview", "analytics/timeseries"):
        assert await get_json(hostile_api, path, **PAST_MONTH) == await get_json(api, path, **PAST_MONTH)
    hostile = await get_json(hostile_api, "analytics/countries", limit=1000, **PAST_MONTH)
    normal = await get_json(api, "analytics/countries", limit=1000, **PAST_MONTH)
    assert [(r["image"], r["visitors"], r["revenue"]) for r in hostile["data"]] == [
        (r["image"], r["visitors"], r["revenue"]) for r in normal["data"]
    ]
