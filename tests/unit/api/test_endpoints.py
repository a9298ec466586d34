"""Every endpoint: the request we send (method, path, params, headers) and parsing the docs' example."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from datafast_tui.api.catalogue import BREAKDOWN_ENDPOINTS
from datafast_tui.api.dates import DateRange
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import Filter
from datafast_tui.api.query import Query
from datafast_tui.api.writes import GoalDeletion, GoalRequest, PaymentDeletion, PaymentRequest, TimeSpan
from tests.helpers import SECRET_KEY, Recorder, docs_example, make_client, ok

JAN = Query(
    range=DateRange(date(2024, 1, 1), date(2024, 1, 31)),
    timezone="America/New_York",
    filters=(Filter("country", "is", ("United States", "Canada")), Filter("device", "is_not", ("mobile",))),
)
JAN_PARAMS = {
    "startAt": "2024-01-01", "endAt": "2024-01-31", "timezone": "America/New_York",
    "filter_country": "is:United States,Canada", "filter_device": "is_not:mobile",
}


def answering(example: str) -> Recorder:
    return Recorder(lambda request: ok(docs_example(example)))


def params_of(recorder: Recorder) -> dict[str, str]:
    return dict(recorder.last.url.params)


VID = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"


async def test_headers_carry_bearer_key_and_accept_json() -> None:
    rec = answering("metadata")
    async with make_client(rec) as client:
        await client.metadata()
    request = rec.last
    assert request.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("datafast-tui/")
    assert str(request.url) == "https://datafa.st/api/v1/analytics/metadata"


async def test_metadata() -> None:
    rec = answering("metadata")
    async with make_client(rec) as client:
        meta = await client.metadata()
    assert rec.last.method == "GET"
    assert meta.domain == "example.com" and meta.timezone == "America/New_York"
    assert meta.name == "My Awesome Website" and meta.kpi == "signup" and meta.currency == "USD"
    assert meta.kpi_color_scheme == "orange"


async def test_overview_with_query_and_fields() -> None:
    rec = answering("overview")
    async with make_client(rec) as client:
        overview = await client.overview(JAN, fields=["visitors", "revenue"])
    assert rec.last.url.path == "/api/v1/analytics/overview"
    assert params_of(rec) == {**JAN_PARAMS, "fields": "visitors,revenue"}
    assert overview.visitors == 12450 and overview.sessions == 16890
    assert overview.bounce_rate == 65.32 and overview.avg_session_duration == 245678.45
    assert overview.currency == "$" and overview.revenue == 28450
    assert overview.revenue_per_visitor == 2.29 and overview.conversion_rate == 1.15


async def test_overview_all_time_sends_no_dates() -> None:
    rec = answering("overview")
    async with make_client(rec) as client:
        await client.overview(Query())
    assert params_of(rec) == {}


async def test_timeseries() -> None:
    rec = answering("timeseries")
    async with make_client(rec) as client:
        series = await client.timeseries(JAN, fields=["visitors", "sessions", "revenue"], interval="week",
                                         limit=5, offset=10)
    assert rec.last.url.path == "/api/v1/analytics/timeseries"
    assert params_of(rec) == {**JAN_PARAMS, "fields": "visitors,sessions,revenue", "interval": "week",
                              "limit": "5", "offset": "10"}
    assert series.interval == "day" and series.timezone == "Asia/Calcutta" and series.currency == "$"
    assert series.totals["visitors"] == 14213 and series.totals_revenue_breakdown.new == 22150
    assert [p.name for p in series.points] == ["17 Dec", "18 Dec", "19 Dec"]
    assert series.points[1].values["revenue"] == 468
    assert series.points[1].revenue_breakdown.renewal == 88
    assert series.points[0].timestamp == datetime(2025, 12, 16, 18, 30, tzinfo=timezone.utc)
    assert series.series("sessions") == [604, 534, 490]
    assert series.pagination.total == 30 and series.pagination.has_more


async def test_realtime() -> None:
    rec = answering("realtime")
    async with make_client(rec) as client:
        count = await client.realtime()
    assert rec.last.url.path == "/api/v1/analytics/realtime" and params_of(rec) == {}
    assert count.visitors == 42


async def test_realtime_map() -> None:
    rec = answering("realtime_map")
    async with make_client(rec) as client:
        live = await client.realtime_map()
    assert rec.last.url.path == "/api/v1/analytics/realtime/map"
    assert live.count == 2 and live.has_conversion_predictions
    visitor = live.visitors[0]
    assert visitor.city == "Denver" and visitor.region == "US-CO" and visitor.country_code == "US"
    assert (visitor.browser, visitor.os, visitor.device) == ("Chrome", "Mac OS", "desktop")
    assert visitor.conversion.score == 65 and visitor.conversion.expected_value == 1.37
    assert visitor.session_start == datetime(2026, 2, 6, 5, 27, 20, tzinfo=timezone.utc)
    assert live.recent_events[0].id == "69857bb827ddefd472fb2b09" and live.recent_events[0].path == "/pricing"
    payment = live.recent_payments[0]
    assert payment.amount == 49 and payment.currency == "USD" and payment.name == "Jane Doe"
    assert live.conversion_metrics.baseline_average_value == 243.63


async def test_a_cookie_an_answer_sets_is_not_sent_back() -> None:
    rec = Recorder()
    first = ok(docs_example("realtime"))
    first.headers["Set-Cookie"] = "lb=backend-7; Path=/"
    rec.queue += [first, ok(docs_example("realtime"))]
    async with make_client(rec) as client:
        await client.realtime()
        await client.realtime()
    assert "cookie" not in rec.last.headers


async def test_a_second_realtime_map_reuses_the_items_it_repeats_and_reads_the_changed_ones() -> None:
    first_answer = docs_example("realtime_map")
    second_answer = json.loads(json.dumps(first_answer))
    second_answer["data"]["visitors"][0]["currentUrl"] = "/checkout"  # the same visitor, on another page
    rec = Recorder()
    rec.queue += [ok(first_answer), ok(second_answer)]
    async with make_client(rec) as client:
        before = await client.realtime_map()
        after = await client.realtime_map()
    assert after.recent_events[0] is before.recent_events[0]  # equal raw JSON: the value parsed then
    assert after.recent_payments == before.recent_payments
    assert after.visitors[0] is not before.visitors[0] and after.visitors[0].current_url == "/checkout"
    assert after.visitors[0].visitor_id == before.visitors[0].visitor_id


@pytest.mark.parametrize("endpoint", BREAKDOWN_ENDPOINTS)
async def test_every_breakdown(endpoint: str) -> None:
    rec = answering(endpoint)
    async with make_client(rec) as client:
        result = await client.breakdown(endpoint, JAN, limit=1000, offset=2000)
    assert rec.last.method == "GET"
    assert rec.last.url.path == f"/api/v1/analytics/{endpoint}"
    assert params_of(rec) == {**JAN_PARAMS, "limit": "1000", "offset": "2000"}
    example = docs_example(endpoint)
    assert len(result.rows) == len(example["data"])
    assert result.pagination.total == example["pagination"]["total"]
    assert result.rows[0].visitors == example["data"][0]["visitors"]


async def test_breakdown_rows_keep_every_column() -> None:
    async with make_client(answering("campaigns")) as client:
        campaigns = await client.breakdown("campaigns")
    assert campaigns.rows[1].labels["utm_campaign"] == "product-launch-2025"
    assert list(campaigns.rows[0].labels) == ["utm_source", "utm_medium", "utm_campaign", "utm_term",
                                              "utm_content", "ref", "source", "via"]
    async with make_client(answering("countries")) as client:
        countries = await client.breakdown("countries")
    assert countries.rows[0].labels == {"country": "United States of America"}
    assert countries.rows[0].extra["image"].endswith("/US.svg")
    assert countries.rows[0].revenue == 6780
    async with make_client(answering("goals")) as client:
        goals = await client.breakdown("goals", fields=["name", "completions"])
    assert goals.rows[0].labels == {"goal": "faq_what_do_i_get"} and goals.rows[0].metrics["completions"] == 49730
    async with make_client(answering("pages")) as client:
        pages = await client.breakdown("pages")
    assert pages.rows[1].labels == {"hostname": "example.com", "path": "/pricing"}


async def test_a_visitor_id_that_is_no_uuid_is_refused_before_sending() -> None:
    """The API answers 400 to anything but a UUID; "../analytics/overview?x=1" never leaves."""
    rec = answering("visitor")
    async with make_client(rec) as client:
        for bad in ("../analytics/overview?x=1", "v", "a3ab2331989f4cfa91c62461c9e3c6bd", " "):
            with pytest.raises(QueryError, match="UUID|empty"):
                await client.visitor(bad)
        visitor = await client.visitor(" a3ab2331-989f-4cfa-91c6-2461c9e3c6bd ")
    assert len(rec.requests) == 1
    assert rec.last.url.raw_path == b"/api/v1/visitors/a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"
    assert visitor.visitor_id == "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"


async def test_visitor_parses_docs_example() -> None:
    async with make_client(answering("visitor")) as client:
        visitor = await client.visitor("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd")
    identity, activity = visitor.identity, visitor.activity
    assert identity.country_code == "KR" and identity.city == "Seosan City"
    assert identity.browser.name == "Chrome" and identity.os.version == "10.15.7"
    assert identity.device.vendor == "Apple" and identity.viewport == (1728, 998)
    assert identity.params["ref"] == "youtube.com" and identity.params["utm_source"] is None
    assert activity.visit_count == 3 and activity.pageview_count == 8
    assert activity.time_since_first_visit_ms == 3296041
    assert activity.visited_pages[0].url == "codefa.st/"
    assert activity.completed_goals[0].name == "newsletter_signup" and not activity.completed_goals[0].is_server
    assert visitor.prediction.score == 72 and not visitor.prediction.low_confidence


async def test_create_goal_body() -> None:
    rec = answering("create_goal")
    async with make_client(rec) as client:
        created = await client.create_goal(GoalRequest("v-1", "newsletter_signup", {"email": "musk@x.com"}))
    assert rec.last.method == "POST" and rec.last.url.path == "/api/v1/goals"
    assert rec.last.headers["content-type"] == "application/json"
    assert json.loads(rec.last.content) == {"datafast_visitor_id": "v-1", "name": "newsletter_signup",
                                            "metadata": {"email": "musk@x.com"}}
    assert created.event_id == "67f8b9b5c320277df9a9d681"


async def test_create_payment_body_and_unenveloped_answer() -> None:
    rec = answering("create_payment")
    payment = PaymentRequest(29.99, "USD", "payment_456", visitor_id="v-1", renewal=True,
                             timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    async with make_client(rec) as client:
        recorded = await client.create_payment(payment)
    assert rec.last.method == "POST" and rec.last.url.path == "/api/v1/payments"
    assert json.loads(rec.last.content) == {
        "amount": 29.99, "currency": "USD", "transaction_id": "payment_456",
        "datafast_visitor_id": "v-1", "renewal": True, "timestamp": "2026-01-02T03:04:05.000Z",
    }
    assert recorded.transaction_id == "payment_456"


async def test_delete_goals_scope_params() -> None:
    rec = answering("delete_goals")
    span = TimeSpan(datetime(2023, 1, 1, tzinfo=timezone.utc), datetime(2023, 1, 31, 23, 59, 59, tzinfo=timezone.utc))
    async with make_client(rec) as client:
        result = await client.delete_goals(GoalDeletion(name="signup", span=span))
    assert rec.last.method == "DELETE" and rec.last.url.path == "/api/v1/goals"
    # Today's pages name the range start/end in examples, startAt/endAt in tables: both are sent.
    assert params_of(rec) == {"name": "signup", "startAt": "2023-01-01T00:00:00.000Z",
                              "endAt": "2023-01-31T23:59:59.000Z", "start": "2023-01-01T00:00:00.000Z",
                              "end": "2023-01-31T23:59:59.000Z"}
    assert result.details["goal_name"] == "signup"


async def test_delete_payments_by_transaction_sends_only_it() -> None:
    rec = answering("delete_payments")
    async with make_client(rec) as client:
        await client.delete_payments(PaymentDeletion(transaction_id="tx_1", visitor_id="v-1"))
        await client.delete_payments(PaymentDeletion(visitor_id="abc123"))
    assert dict(rec.requests[0].url.params) == {"transaction_id": "tx_1"}
    assert dict(rec.requests[1].url.params) == {"datafast_visitor_id": "abc123"}


async def test_live_api_extra_fields_are_accepted() -> None:
    body = docs_example("overview")
    body["data"][0].update({"pageviews": 99000, "payments": 12, "brandNewThing": {"x": 1}})
    meta = docs_example("metadata")
    meta["data"][0]["logo"] = "https://example.com/logo.png"
    async with make_client(Recorder(lambda r: ok(body if "overview" in r.url.path else meta))) as client:
        overview = await client.overview()
        metadata = await client.metadata()
    assert overview.pageviews == 99000 and overview.payments == 12
    assert overview.extra["brandNewThing"] == {"x": 1}
    assert metadata.logo == "https://example.com/logo.png"


async def test_missing_optional_fields_are_accepted() -> None:
    bodies = {
        "overview": {"status": "success", "data": [{"visitors": 3}]},
        "realtime/map": {"status": "success", "data": {"visitors": [{"visitorId": "v"}]}},
        f"visitors/{VID}": {"status": "success", "data": {"visitorId": VID, "identity": {}, "activity": {},
                                                            "prediction": None}},
    }

    def respond(request):
        return ok(next(b for k, b in bodies.items() if request.url.path.endswith(k)))

    async with make_client(Recorder(respond)) as client:
        assert (await client.overview()).bounce_rate is None
        live = await client.realtime_map()
        assert live.count == 1 and live.visitors[0].conversion is None
        visitor = await client.visitor(VID)
        assert visitor.prediction is None and visitor.identity.viewport is None
