"""Hostile answers (issue 14): deep nesting, numbers and dates out of range, huge or inflating
bodies, redirects elsewhere. Each is one typed DataFastError, said once, never a crash."""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from datafast_tui.api import bounded_read
from datafast_tui.api import errors as e
from datafast_tui.api.client import MAX_RESPONSE_BYTES
from datafast_tui.api.responses import MAX_DEPTH
from datafast_tui.api.writes import GoalRequest
from tests.helpers import SECRET_KEY, Recorder, docs_example, make_client, ok

MB = 1024 * 1024
JSON = {"content-type": "application/json"}


def raw(text: str | bytes, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    content = text.encode() if isinstance(text, str) else text
    return httpx.Response(status, content=content, headers={**JSON, **(headers or {})})


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- nesting ----------------------------------------------------------------------------------

async def test_five_thousand_nested_arrays_are_one_typed_error_not_retried() -> None:
    rec = Recorder(lambda r: raw(nested(5000)))
    async with make_client(rec) as client:
        with pytest.raises(e.MalformedResponseError) as caught:
            await client.overview()
    assert f"more than {MAX_DEPTH} levels deep" in caught.value.message
    assert caught.value.request == "GET analytics/overview"
    assert len(rec.requests) == 1  # the server would send the same again


@pytest.mark.parametrize(("extra_depth", "refused"), [(MAX_DEPTH - 3, False), (MAX_DEPTH - 2, True), (900, True)])
async def test_depth_limit_is_exact(extra_depth: int, refused: bool) -> None:
    # body (1) > data list (2) > site object (3) > an unknown field nesting `extra_depth` lists.
    text = json.dumps({"status": "success", "data": [{"domain": "a.com", "x": 0}]})
    text = text.replace('"x": 0', f'"x": {nested(extra_depth)}')
    rec = Recorder(lambda r: raw(text))
    async with make_client(rec) as client:
        if refused:
            with pytest.raises(e.MalformedResponseError, match="levels deep"):
                await client.metadata()
        else:
            assert (await client.metadata()).domain == "a.com"


async def test_deep_error_body_still_says_the_status() -> None:
    rec = Recorder(lambda r: raw(nested(5000), status=400))
    async with make_client(rec) as client:
        with pytest.raises(e.BadRequestError):
            await client.overview()


# -- numbers and dates ----------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "said"), [
    ("1e400", "1e400"), ("-1e400", "-1e400"), ("NaN", "NaN"), ("Infinity", "Infinity"),
    ("-Infinity", "-Infinity"), ("9" * 400, "400 digits"), ("-" + "9" * 5000, "5000 digits"),
])
@pytest.mark.parametrize("endpoint", ["overview", "timeseries", "realtime", "pages"])
async def test_numbers_no_float_holds_are_refused_once(number: str, said: str, endpoint: str) -> None:
    body = ('{"status": "success", "data": [{"timestamp": "2024-01-01T00:00:00Z", "visitors": N}],'
            ' "totals": {"visitors": N}}').replace("N", number)
    rec = Recorder(lambda r: raw(body))
    async with make_client(rec) as client:
        call = client.breakdown("pages") if endpoint == "pages" else getattr(client, endpoint)()
        with pytest.raises(e.MalformedResponseError) as caught:
            await call
    message = caught.value.message
    assert said in message and ("out of range" in message or "not a JSON number" in message)
    assert len(rec.requests) == 1


async def test_large_but_finite_numbers_are_read() -> None:
    body = '{"status": "success", "data": [{"visitors": 1e300, "sessions": N, "revenue": 1.5e308}]}'.replace("N", "9" * 300)
    async with make_client(Recorder(lambda r: raw(body))) as client:
        overview = await client.overview()
    assert overview.visitors == int(1e300) and overview.revenue == 1.5e308


@pytest.mark.parametrize("stamp", [
    "0000-01-01T00:00:00Z",  # year 0 does not exist
    "99999-01-01T00:00:00Z",  # five digits
    "0001-01-01T00:00:00+05:00",  # year 0 once in UTC
    "9999-12-31T23:59:59-05:00",  # year 10000 once in UTC
    "9999-12-31T12:00:00Z",  # any timezone east of UTC would overflow on screen
])
async def test_times_outside_the_calendar_are_a_field_error(stamp: str) -> None:
    series = {"status": "success", "data": [{"timestamp": stamp, "visitors": 1}]}
    payment = {"_id": "p", "timestamp": stamp}
    realtime = {"status": "success", "data": [{"count": 0, "recentPayments": [payment]}]}
    visit = {"status": "success", "data": {"visitorId": "v", "activity": {"firstVisitAt": stamp}}}
    rec = Recorder()
    async with make_client(rec) as client:
        for body, call, field in [(series, client.timeseries, "data[0].'timestamp'"),
                                  (realtime, client.realtime_map, "data.recentPayments[0].'timestamp'"),
                                  (visit, lambda: client.visitor("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"), "data.activity.'firstVisitAt'")]:
            rec.respond = lambda r, body=body: ok(body)
            with pytest.raises(e.MalformedResponseError) as caught:
                await call()
            assert field in caught.value.message


async def test_times_inside_the_calendar_are_read() -> None:
    body = {"status": "success", "data": [{"timestamp": "0002-01-01T00:00:00Z", "visitors": 1},
                                          {"timestamp": "9998-12-31T12:00:00-05:00", "visitors": 2}]}
    async with make_client(Recorder(lambda r: ok(body))) as client:
        series = await client.timeseries()
    assert [p.timestamp.year for p in series.points] == [2, 9998]


# -- size -----------------------------------------------------------------------------------------

class Chunks(httpx.AsyncByteStream):
    """A body sent in `count` chunks of `size` bytes, made one at a time; counts what was read."""

    def __init__(self, count: int, size: int = MB, fill: bytes = b" ") -> None:
        self.count, self.size, self.fill, self.read = count, size, fill, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            self.read += 1
            yield self.fill * self.size


async def test_a_50_mb_answer_is_not_read_past_the_cap(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, "datafast_tui.api")
    stream = Chunks(50)
    rec = Recorder(lambda r: httpx.Response(200, headers=JSON, stream=stream))
    async with make_client(rec) as client:
        with pytest.raises(e.ResponseTooLargeError) as caught:
            await client.overview()
    assert caught.value.message == "the server's answer is larger than 20 MB; not read"
    assert isinstance(caught.value, e.MalformedResponseError) and caught.value.status == 200
    assert stream.read == MAX_RESPONSE_BYTES // MB + 1  # stopped at the first chunk past 20 MB
    assert len(rec.requests) == 1
    assert any("not read" in r.getMessage() for r in caplog.records)


async def test_declared_length_over_the_cap_is_refused_before_reading() -> None:
    stream = Chunks(50)
    headers = {**JSON, "content-length": str(50 * MB)}
    rec = Recorder(lambda r: httpx.Response(200, headers=headers, stream=stream))
    async with make_client(rec) as client:
        with pytest.raises(e.ResponseTooLargeError, match="larger than 20 MB"):
            await client.breakdown("pages")
    assert stream.read == 0 and len(rec.requests) == 1


async def test_a_small_compressed_body_that_inflates_past_the_cap_stops_there() -> None:
    packer = zlib.compressobj(wbits=31)  # gzip
    bomb = b"".join(packer.compress(b"0" * MB) for _ in range(40)) + packer.flush()
    assert len(bomb) < MB // 10
    headers = {**JSON, "content-encoding": "gzip", "content-length": str(len(bomb))}
    rec = Recorder(lambda r: httpx.Response(200, headers=headers, stream=httpx.ByteStream(bomb)))
    async with make_client(rec) as client:
        with pytest.raises(e.ResponseTooLargeError):
            await client.overview()


async def test_a_compressed_body_is_read_decoded() -> None:
    body = json.dumps(docs_example("overview")).encode()
    packed = zlib.compressobj(wbits=31)
    packed_body = packed.compress(body) + packed.flush()
    headers = {**JSON, "content-encoding": "gzip", "content-length": str(len(packed_body))}
    rec = Recorder(lambda r: httpx.Response(200, headers=headers, stream=httpx.ByteStream(packed_body)))
    async with make_client(rec) as client:
        assert (await client.overview()).visitors == 12450


@pytest.mark.parametrize(("size", "fits"), [(1000, True), (1001, False)])
async def test_the_cap_is_exact(monkeypatch: pytest.MonkeyPatch, size: int, fits: bool) -> None:
    monkeypatch.setattr(bounded_read, "MAX_RESPONSE_BYTES", 1000)
    text = json.dumps({"status": "success", "data": [{"visitors": 1}]})
    text += " " * (size - len(text))  # JSON allows trailing whitespace
    for headers in ({}, {"content-length": str(size)}):
        rec = Recorder(lambda r, headers=headers: httpx.Response(
            200, headers={**JSON, **headers}, stream=httpx.ByteStream(text.encode())))
        async with make_client(rec) as client:
            if fits:
                assert (await client.overview()).visitors == 1
            else:
                with pytest.raises(e.ResponseTooLargeError):
                    await client.overview()


async def test_nonsense_content_length_does_not_matter() -> None:
    rec = Recorder(lambda r: httpx.Response(200, headers={**JSON, "content-length": "lots"},
                                            stream=httpx.ByteStream(json.dumps(docs_example("overview")).encode())))
    async with make_client(rec) as client:
        assert (await client.overview()).visitors == 12450


async def test_headers_that_are_not_ascii_pass_through() -> None:
    # The body is read in a stream and handed on in a fresh response: its headers go as bytes.
    headers = [(b"content-type", b"application/json"), (b"x-note", "café ☕".encode())]
    rec = Recorder(lambda r: httpx.Response(200, headers=headers, json=docs_example("overview")))
    async with make_client(rec) as client:
        assert (await client.overview()).visitors == 12450


async def test_a_body_that_does_not_decompress_is_a_typed_error_retried_for_a_get_only() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={**JSON, "content-encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip"))

    rec = Recorder(broken)
    async with make_client(rec) as client:
        with pytest.raises(e.MalformedResponseError, match="could not be decompressed"):
            await client.overview()
        assert len(rec.requests) == 4  # like a body cut short
        with pytest.raises(e.MalformedResponseError):
            await client.create_goal(GoalRequest("v", "signup"))
    assert len(rec.requests) == 5  # a write: never again


# -- redirects --------------------------------------------------------------------------------------

def redirect(location: str, status: int = 302) -> httpx.Response:
    # Bytes, as on the wire: a server may send a Location that is not ASCII.
    headers = [(b"location", location.encode()), (b"content-type", b"text/html")]
    return httpx.Response(status, headers=headers, text="<html>Moved</html>")


@pytest.mark.parametrize(("location", "shown"), [
    ("https://evil.example/api/v1/analytics/overview", "https://evil.example"),
    (f"https://evil.example:8443/steal?key={SECRET_KEY}", "https://evil.example:8443"),
    ("//evil.example/x", "https://evil.example"),
    ("http://datafa.st/api/v1/analytics/overview", "http://datafa.st"),  # a downgrade is elsewhere too
    ("https://datafa.st:8443/api/v1/", "https://datafa.st:8443"),
    ("https://аррӏе.com/", "https://xn--80ak6aa92e.com"),  # a look-alike shows as it really is
    ("http://[::1]:9/x", "http://[::1]:9"),
    (f"https://{SECRET_KEY}.evil.example/", "https://***.evil.example"),  # hosts are lower-cased
    ("http://[::1", "an address that is not a URL"),
])
async def test_redirect_to_another_host_is_said_once_and_not_followed(location: str, shown: str) -> None:
    rec = Recorder(lambda r: redirect(location))
    async with make_client(rec) as client:
        with pytest.raises(e.RedirectedError) as caught:
            await client.overview()
        with pytest.raises(e.RedirectedError):
            await client.create_goal(GoalRequest("v", "signup"))
    error = caught.value
    assert error.message == f"the server redirected to {shown}; not followed, so the API key was not sent there"
    assert error.status == (302 if error.location else None) and isinstance(error, e.MalformedResponseError)
    assert len(rec.requests) == 2  # once each, no retry
    assert {r.url.host for r in rec.requests} == {"datafa.st"}  # nothing went where it pointed
    for text in (str(error), repr(error), error.message, str(error.location)):
        assert SECRET_KEY.lower() not in text.lower() and "steal" not in text


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_every_redirect_status_counts(status: int) -> None:
    async with make_client(Recorder(lambda r: redirect("https://evil.example/", status))) as client:
        with pytest.raises(e.RedirectedError) as caught:
            await client.metadata()
    assert caught.value.status == status


async def test_same_host_redirect_keeps_its_behaviour_not_followed() -> None:
    # As before issue 14: never followed; read as the body it came with (here not JSON, so a
    # GET tries again, each time at its own URL).
    rec = Recorder(lambda r: redirect("/api/v1/analytics/overview/"))
    async with make_client(rec) as client:
        with pytest.raises(e.MalformedResponseError) as caught:
            await client.overview()
    assert not isinstance(caught.value, e.RedirectedError)
    assert "not JSON" in caught.value.message
    assert [r.url.path for r in rec.requests] == ["/api/v1/analytics/overview"] * 4
    rec2 = Recorder(lambda r: redirect("https://datafa.st/api/v1/elsewhere", 307))
    async with make_client(rec2) as client:
        with pytest.raises(e.MalformedResponseError):
            await client.create_goal(GoalRequest("v", "signup"))
    assert len(rec2.requests) == 1 and rec2.last.url.path == "/api/v1/goals"
