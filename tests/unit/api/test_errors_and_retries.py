"""Error mapping, retries with backoff, never retrying writes, and the key staying secret."""

from __future__ import annotations

import logging

import httpx
import pytest

from datafast_tui.api import errors as e
from datafast_tui.api.client import DataFastClient, RetryPolicy, check_base_url
from datafast_tui.api.errors import QueryError
from datafast_tui.api.writes import GoalRequest, PaymentDeletion, PaymentRequest
from tests.helpers import SECRET_KEY, FakeSleep, Recorder, docs_example, error, make_client, ok

OK_OVERVIEW = docs_example("overview")


@pytest.mark.parametrize(("status", "cls"), [
    (400, e.BadRequestError), (401, e.UnauthorizedError), (404, e.NotFoundError),
    (403, e.ForbiddenError), (409, e.UnexpectedStatusError), (500, e.ServerError),
])
async def test_error_envelope_maps_to_typed_error(status: int, cls: type) -> None:
    rec = Recorder(lambda r: error(status, "Invalid filter_country value"))
    async with make_client(rec) as client:
        with pytest.raises(cls) as caught:
            await client.overview()
    assert caught.value.status == status
    assert "Invalid filter_country value" in str(caught.value)
    assert len(rec.requests) == 1  # none of these is retried


async def test_error_envelope_with_200_status_is_an_error() -> None:
    rec = Recorder(lambda r: ok({"status": "error", "error": {"code": 404, "message": "Website not found"}}))
    async with make_client(rec) as client:
        with pytest.raises(e.NotFoundError, match="Website not found"):
            await client.metadata()


async def test_plain_http_failure_without_envelope() -> None:
    rec = Recorder(lambda r: httpx.Response(500, text="<html>oops</html>", headers={"content-type": "text/html"}))
    async with make_client(rec) as client:
        with pytest.raises(e.ServerError) as caught:
            await client.overview()
    assert caught.value.status == 500 and "Internal Server Error" in caught.value.message


@pytest.mark.parametrize(("response", "expected"), [
    (httpx.Response(200, text="{not json", headers={"content-type": "application/json"}), "not JSON"),
    (httpx.Response(200, text="<html>hi</html>", headers={"content-type": "text/html"}), "text/html"),
    (httpx.Response(200, json=[1, 2]), "not an object"),
    (httpx.Response(200, json={"status": "success", "data": [{"visitors": "many"}]}), "'data.visitors'"),
    (httpx.Response(200, json={"status": "success", "data": "x"}), "expected an object"),
])
async def test_malformed_bodies_become_clear_errors(response: httpx.Response, expected: str) -> None:
    async with make_client(Recorder(lambda r: response)) as client:
        with pytest.raises(e.MalformedResponseError) as caught:
            await client.overview()
    assert expected in str(caught.value)


async def test_an_empty_overview_is_zeros_and_an_empty_metadata_is_malformed() -> None:
    """The live API answers `data: []` for a new site or an empty range: nothing happened."""
    empty = httpx.Response(200, json={"status": "success", "data": []})
    async with make_client(Recorder(lambda r: empty)) as client:
        overview = await client.overview()
        assert (overview.visitors, overview.sessions, overview.revenue, overview.bounce_rate) == (0, 0, 0.0, 0.0)
        with pytest.raises(e.MalformedResponseError, match="empty list"):
            await client.metadata()  # every site has settings: no object is a broken answer


@pytest.mark.parametrize(("status", "cls"), [(429, e.RateLimitedError), (503, e.ServerError), (502, e.ServerError)])
async def test_the_servers_own_words_are_shown_for_429_and_5xx(status: int, cls: type) -> None:
    rec = Recorder(lambda r: error(status, "Slow down: 60 requests per minute"))
    async with make_client(rec, sleep=FakeSleep()) as client:
        with pytest.raises(cls) as caught:
            await client.overview()
    assert caught.value.message == "Slow down: 60 requests per minute"
    assert "{" not in str(caught.value)  # not the raw JSON body


async def test_403_names_the_missing_permission_in_its_advice() -> None:
    from datafast_tui.error_advice import advise

    rec = Recorder(lambda r: error(403, "Tracking suspended for this website."))
    async with make_client(rec) as client:
        with pytest.raises(e.ForbiddenError) as caught:
            await client.overview()
    advice = advise(caught.value)
    assert advice.title == "Not allowed (403)" and "Tracking suspended" in advice.detail
    assert "permission" in advice.detail and len(rec.requests) == 1  # not retried


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_get_retried_on_transient_status_then_succeeds(status: int) -> None:
    rec = Recorder()
    rec.queue = [error(status, "busy"), error(status, "busy")]
    rec.respond = lambda r: ok(OK_OVERVIEW)
    sleep = FakeSleep()
    async with make_client(rec, sleep=sleep) as client:
        overview = await client.overview()
    assert overview.visitors == 12450
    assert len(rec.requests) == 3
    assert sleep.delays == [0.5, 1.0]  # base 0.5 s doubling, jitter pinned at its max


async def test_backoff_is_capped_and_gives_up() -> None:
    rec = Recorder(lambda r: error(503, "down"))
    sleep = FakeSleep()
    async with make_client(rec, sleep=sleep, max_attempts=7) as client:
        with pytest.raises(e.ServerError):
            await client.overview()
    assert len(rec.requests) == 7
    assert sleep.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


async def test_get_retried_on_connection_errors_and_timeouts() -> None:
    rec = Recorder(lambda r: ok(OK_OVERVIEW))
    rec.queue = [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset")]
    async with make_client(rec) as client:
        await client.overview()
    assert len(rec.requests) == 4


async def test_network_failure_after_retries_is_typed() -> None:
    rec = Recorder()
    rec.queue = [httpx.ReadTimeout("slow")] * 4
    async with make_client(rec) as client:
        with pytest.raises(e.ApiTimeoutError):
            await client.overview()
    rec2 = Recorder()
    rec2.queue = [httpx.ConnectError("no route")] * 4
    async with make_client(rec2) as client:
        with pytest.raises(e.NetworkError):
            await client.overview()


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Retry-After": "7"}, 7.0),
    ({"X-RateLimit-Reset": "12"}, 12.0),
])
async def test_server_wait_is_honoured(headers: dict[str, str], expected: float) -> None:
    rec = Recorder(lambda r: ok(OK_OVERVIEW))
    rec.queue = [error(429, "slow down", headers)]
    sleep = FakeSleep()
    async with make_client(rec, sleep=sleep) as client:
        await client.overview()
    assert sleep.delays == [expected]


async def test_epoch_reset_header_is_read_as_a_time() -> None:
    import time
    rec = Recorder(lambda r: ok(OK_OVERVIEW))
    rec.queue = [error(429, "slow down", {"X-RateLimit-Reset": str(int(time.time()) + 20)})]
    sleep = FakeSleep()
    async with make_client(rec, sleep=sleep) as client:
        await client.overview()
    assert 18 <= sleep.delays[0] <= 21


async def test_server_asking_for_a_long_wait_gets_an_error_not_a_freeze() -> None:
    rec = Recorder(lambda r: error(429, "quota", {"Retry-After": "3600"}))
    async with make_client(rec) as client:
        with pytest.raises(e.RateLimitedError) as caught:
            await client.overview()
    assert caught.value.retry_after == 3600 and len(rec.requests) == 1


@pytest.mark.parametrize("failure", [
    error(503, "down"), error(429, "slow"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset"),
])
async def test_writes_are_never_retried_once_sent(failure) -> None:
    rec = Recorder()
    goal = GoalRequest("v", "signup")
    payment = PaymentRequest(10, "USD", "tx")
    async with make_client(rec) as client:
        for call in (lambda: client.create_goal(goal), lambda: client.create_payment(payment),
                     lambda: client.delete_payments(PaymentDeletion(transaction_id="tx"))):
            before = len(rec.requests)
            rec.queue = [failure, ok({"status": "success", "data": [{"message": "done"}]})]
            with pytest.raises(e.DataFastError):
                await call()
            assert len(rec.requests) == before + 1


async def test_write_retried_when_connection_never_opened() -> None:
    rec = Recorder(lambda r: ok(docs_example("create_goal")))
    rec.queue = [httpx.ConnectError("refused")]
    async with make_client(rec) as client:
        created = await client.create_goal(GoalRequest("v", "signup"))
    assert created.event_id and len(rec.requests) == 2


async def test_invalid_writes_refused_before_sending() -> None:
    rec = Recorder()
    async with make_client(rec) as client:
        with pytest.raises(QueryError, match="lowercase"):
            await client.create_goal(GoalRequest("v", "Sign Up"))
        with pytest.raises(QueryError, match="transaction id"):
            await client.create_payment(PaymentRequest(1, "USD", ""))
        with pytest.raises(QueryError, match="say which payments"):
            await client.delete_payments(PaymentDeletion())
    assert rec.requests == []


async def test_on_retry_callback_reports_attempts() -> None:
    seen = []
    rec = Recorder(lambda r: ok(OK_OVERVIEW))
    rec.queue = [error(502, "bad gateway")]
    async with make_client(rec) as client:
        client.on_retry = lambda attempt, delay, err: seen.append((attempt, delay, err.status))
        await client.overview()
    assert seen == [(1, 0.5, 502)]


# -- the key stays secret -------------------------------------------------------------------

async def test_key_never_in_errors_even_when_server_echoes_it(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f"bad key {SECRET_KEY} given"
    cases = [
        error(401, echo),
        httpx.Response(500, text=echo),
        httpx.Response(200, text=echo),
        httpx.ConnectError(echo),
    ]
    texts = []
    for case in cases:
        rec = Recorder()
        rec.queue = [case] * 4
        async with make_client(rec) as client:
            with pytest.raises(e.DataFastError) as caught:
                await client.overview()
            texts += [str(caught.value), repr(caught.value), caught.value.message, repr(client), str(client)]
    texts += [record.getMessage() for record in caplog.records]
    assert texts and not [t for t in texts if SECRET_KEY in t]


@pytest.mark.parametrize(("url", "accepted"), [
    ("https://datafa.st/api/v1", True),
    ("http://127.0.0.1:8787/api/v1/", True),
    ("http://localhost:8787/api/v1/", True),
    ("http://[::1]:8787/api/v1/", True),
    ("http://datafa.st/api/v1/", False),
    ("http://10.0.0.5/api/v1/", False),
    ("ftp://datafa.st/", False),
    ("not a url", False),
])
def test_base_url_must_be_https_unless_loopback(url: str, accepted: bool) -> None:
    if accepted:
        assert check_base_url(url).endswith("/")
    else:
        with pytest.raises(e.ConfigurationError):
            check_base_url(url)


def test_empty_key_refused() -> None:
    with pytest.raises(e.ConfigurationError):
        DataFastClient("  ")


async def test_overall_deadline_applies_to_any_transport() -> None:
    import asyncio

    async def stuck(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return ok(OK_OVERVIEW)

    client = DataFastClient("k", transport=httpx.MockTransport(stuck), timeout=0.05,
                            retry=RetryPolicy(max_attempts=1))
    with pytest.raises(e.ApiTimeoutError, match="no answer within 0.05 s"):
        await client.overview()
    await client.aclose()


async def test_socket_level_failure_is_a_network_error() -> None:
    rec = Recorder(lambda r: ok(OK_OVERVIEW))
    rec.queue = [ConnectionResetError("reset by peer")]
    async with make_client(rec) as client:
        await client.overview()  # retried: a GET
    assert len(rec.requests) == 2
    rec2 = Recorder()
    rec2.queue = [ConnectionResetError("reset by peer"), ok({"status": "success", "data": [{"message": "x"}]})]
    async with make_client(rec2) as client:
        with pytest.raises(e.NetworkError):
            await client.create_goal(GoalRequest("v", "signup"))  # a write: never retried
    assert len(rec2.requests) == 1


async def test_get_retried_when_the_body_is_not_json() -> None:
    rec = Recorder(lambda r: ok(OK_OVERVIEW))
    rec.queue = [httpx.Response(200, text='{"status": "success", "da', headers={"content-type": "application/json"}),
                 httpx.Response(200, text="<html>proxy</html>", headers={"content-type": "text/html"})]
    async with make_client(rec) as client:
        assert (await client.overview()).visitors == 12450
    assert len(rec.requests) == 3
    rec2 = Recorder()
    rec2.queue = [httpx.Response(200, text="<html>proxy</html>", headers={"content-type": "text/html"})]
    async with make_client(rec2) as client:
        with pytest.raises(e.MalformedResponseError):
            await client.create_goal(GoalRequest("v", "signup"))  # never for a write
    assert len(rec2.requests) == 1
