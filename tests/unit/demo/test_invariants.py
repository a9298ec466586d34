"""Numbers agree with each other: totals, partitions, pagination, buckets, timezones."""

from __future__ import annotations

import httpx
import pytest

from tests.unit.demo.conftest import get_json

RANGES = [
    {},
    {"startAt": "2026-01-05", "endAt": "2026-01-18"},
    {"startAt": "2026-02-01T00:00:00Z", "endAt": "2026-02-10T12:30:00Z", "timezone": "Asia/Calcutta"},
    {"filter_device": "is:mobile", "filter_country": "is:United States,Canada"},
]


async def overview(api: httpx.AsyncClient, **params: object) -> dict:
    return (await get_json(api, "analytics/overview", **params))["data"][0]


@pytest.mark.parametrize("params", RANGES)
async def test_overview_totals_equal_timeseries_totals(api: httpx.AsyncClient, params: dict) -> None:
    over = await overview(api, **params)
    # All time must be asked of the timeseries as a range: without one it has a default window.
    # (The history starts 90 days before FROZEN; a range from before it is all time.)
    ranged = params if "startAt" in params else {**params, "startAt": "2025-11-01", "endAt": "2026-02-19"}
    series = await get_json(api, "analytics/timeseries", limit=1000, **ranged)
    totals = series["totals"]
    assert (totals["visitors"], totals["sessions"], totals["revenue"]) == (
        over["visitors"],
        over["sessions"],
        over["revenue"],
    )
    # Sessions and revenue add up over the buckets; buckets are oldest first.
    assert sum(p["sessions"] for p in series["data"]) == totals["sessions"]
    assert round(sum(p["revenue"] for p in series["data"]), 2) == totals["revenue"]
    stamps = [p["timestamp"] for p in series["data"]]
    assert stamps == sorted(stamps) and len(series["data"]) == series["pagination"]["total"]


@pytest.mark.parametrize(
    "dimension, value",
    [
        ("country", "US"),
        ("region", "California"),
        ("city", "london"),
        ("device", "mobile"),
        ("browser", "Chrome"),
        ("os", "iOS"),
        ("page", "contains:/blog"),
        ("entry_page", "/"),
        ("hostname", "docs.quillstack.dev"),
        ("goal", "signup"),
        ("visit_count", "gte:2"),
        ("referrer", "google.com"),
        ("ref", "producthunt"),
        ("source", "changelog-email"),
        ("via", "marc"),
        ("utm_source", "newsletter"),
        ("utm_medium", "cpc"),
        ("utm_campaign", "launch-week"),
        ("utm_term", "team wiki"),
        ("utm_content", "ad-a"),
    ],
)
async def test_is_and_is_not_partition_the_sessions(api: httpx.AsyncClient, dimension: str, value: str) -> None:
    everything = await overview(api)
    operator, _, plain = value.partition(":") if ":" in value else ("is", "", value)
    chosen = await overview(api, **{f"filter_{dimension}": f"{operator}:{plain}"})
    negated_operator = {"is": "is_not", "contains": None, "gte": "lte"}[operator]
    if negated_operator == "lte":  # visit_count >= 2 complements visit_count <= 1
        rest = await overview(api, **{f"filter_{dimension}": "lte:1"})
    elif negated_operator is None:
        rest = {"sessions": everything["sessions"] - chosen["sessions"]}
    else:
        rest = await overview(api, **{f"filter_{dimension}": f"is_not:{plain}"})
    assert 0 < chosen["sessions"] < everything["sessions"]
    assert chosen["sessions"] + rest["sessions"] == everything["sessions"]


async def test_filters_narrow_breakdowns(api: httpx.AsyncClient) -> None:
    devices = (await get_json(api, "analytics/devices", filter_device="is:Mobile"))["data"]
    assert [row["device"] for row in devices] == ["mobile"]
    countries = (await get_json(api, "analytics/countries", filter_country="is:United States"))["data"]
    assert [row["country"] for row in countries] == ["United States of America"]
    cities = (await get_json(api, "analytics/cities", filter_region="is:US-CO"))["data"]
    assert {row["city"] for row in cities} <= {"Denver", "Boulder", "Colorado Springs", "Fort Collins"}
    mobile_iphone = await overview(api, filter_device="is:mobile", filter_os="is:iOS")
    mobile = await overview(api, filter_device="is:mobile")
    assert 0 < mobile_iphone["sessions"] < mobile["sessions"]


async def test_page_filter_operator_parsing(api: httpx.AsyncClient) -> None:
    implicit = await overview(api, filter_page="/pricing")
    explicit = await overview(api, filter_page="is:/pricing")
    assert implicit == explicit and implicit["sessions"] > 0
    # "/a:b" has a colon but "/a" is no operator: it is a page that nobody visited.
    assert (await overview(api, filter_page="/a:b"))["sessions"] == 0
    assert (await overview(api, filter_page="is:/a:b"))["sessions"] == 0


async def test_visitor_level_breakdowns_add_up_to_all_visitors(api: httpx.AsyncClient) -> None:
    # A visitor keeps one device and one country, so these rows partition the visitors.
    total = (await overview(api))["visitors"]
    for name in ("devices", "countries", "operating-systems"):
        rows = (await get_json(api, f"analytics/{name}", limit=1000))["data"]
        assert sum(row["visitors"] for row in rows) == total, name


async def test_breakdown_pages_are_disjoint_and_ordered(api: httpx.AsyncClient) -> None:
    whole = await get_json(api, "analytics/cities", limit=30)
    pages = [await get_json(api, "analytics/cities", limit=10, offset=offset) for offset in (0, 10, 20)]
    rows = [row for page in pages for row in page["data"]]
    assert rows == whole["data"] and len({row["city"] for row in rows}) == 30
    assert {page["pagination"]["total"] for page in pages} == {whole["pagination"]["total"]}
    beyond = await get_json(api, "analytics/cities", offset=100_000)
    assert beyond["data"] == [] and beyond["pagination"]["total"] == whole["pagination"]["total"]
    everything = await get_json(api, "analytics/cities", limit=1000)
    assert len(everything["data"]) == min(1000, everything["pagination"]["total"])


async def test_timeseries_pages_continue(api: httpx.AsyncClient) -> None:
    first = await get_json(api, "analytics/timeseries", fields="sessions", limit=10)
    second = await get_json(api, "analytics/timeseries", fields="sessions", limit=10, offset=10)
    stamps = [p["timestamp"] for p in first["data"] + second["data"]]
    assert stamps == sorted(set(stamps)) and len(stamps) == 20


async def test_same_day_is_hourly_and_labelled(api: httpx.AsyncClient) -> None:
    body = await get_json(
        api, "analytics/timeseries", startAt="2026-02-18", endAt="2026-02-18", timezone="Asia/Calcutta"
    )
    assert body["interval"] == "hour" and body["pagination"]["total"] == 24
    assert body["data"][0]["timestamp"] == "2026-02-18T00:00:00+05:30" and body["data"][14]["name"] == "14:00"
    utc = await get_json(api, "analytics/timeseries", startAt="2026-02-01", endAt="2026-02-03", timezone="UTC")
    assert [p["name"] for p in utc["data"]] == ["01 Feb", "02 Feb", "03 Feb"]
    assert utc["data"][0]["timestamp"] == "2026-02-01T00:00:00Z"


async def test_week_and_month_buckets(api: httpx.AsyncClient) -> None:
    months = await get_json(api, "analytics/timeseries", interval="month", startAt="2025-12-01", endAt="2026-01-31")
    assert [p["name"] for p in months["data"]] == ["Dec 2025", "Jan 2026"]
    weeks = await get_json(api, "analytics/timeseries", interval="week", startAt="2026-01-05", endAt="2026-01-25")
    assert [p["name"] for p in weeks["data"]] == ["05 Jan", "12 Jan", "19 Jan"]  # Mondays


async def test_dates_are_read_in_the_requested_timezone(api: httpx.AsyncClient) -> None:
    new_york = await overview(api, startAt="2026-02-10", endAt="2026-02-10")
    tokyo = await overview(api, startAt="2026-02-10", endAt="2026-02-10", timezone="Asia/Tokyo")
    assert new_york["sessions"] != tokyo["sessions"]
    # The docs: a UTC midnight..23:59 pair is read as plain dates in the timezone.
    as_days = await overview(api, startAt="2026-02-10T00:00:00Z", endAt="2026-02-10T23:59:59Z")
    assert as_days == new_york


async def test_fields_select(api: httpx.AsyncClient) -> None:
    assert (await overview(api, fields="visitors,revenue")).keys() == {"visitors", "revenue"}
    campaigns = (await get_json(api, "analytics/campaigns", fields="utm_source,utm_medium"))["data"]
    assert all(row["campaign"].keys() == {"utm_source", "utm_medium"} for row in campaigns)
    assert all(row["campaign"]["utm_source"] or row["campaign"]["utm_medium"] for row in campaigns)
    goals = (await get_json(api, "analytics/goals", fields="name,completions"))["data"]
    assert goals and all(row.keys() == {"goal", "completions"} for row in goals)
