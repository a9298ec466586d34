"""Issue 14: what the demo stores stays readable, its limits admit what they promise, big bodies are not read.

The refusals themselves (a 400 naming the parameter, nothing stored) are rows of
test_bad_input.py's table; these tests check what must still work next to them.
"""

from __future__ import annotations

import httpx
import pytest

from datafast_tui.demo import DemoDatabase, build_demo_app
from datafast_tui.demo.bodies import MAX_BODY_BYTES
from datafast_tui.demo.breakdowns import ENDPOINTS
from datafast_tui.demo.filters import MAX_FILTERS, MAX_VALUES
from datafast_tui.demo.params import MAX_OFFSET

ALL_TIME_READS = ("analytics/overview", "analytics/timeseries", *(f"analytics/{name}" for name in ENDPOINTS))
ZONES = ("America/New_York", "UTC", "Pacific/Kiritimati", "Etc/GMT+12")


async def _assert_all_time_reads_work(client: httpx.AsyncClient) -> None:
    failures = []
    for zone in ZONES:
        for path in ALL_TIME_READS:
            response = await client.get(path, params={"timezone": zone})
            if response.status_code != 200:
                failures.append(f"{path} ({zone}) -> {response.status_code} {response.text[:200]}")
        for interval in ("day", "week", "month"):
            response = await client.get("analytics/timeseries", params={"interval": interval, "timezone": zone})
            if response.status_code != 200:
                failures.append(f"timeseries {interval} ({zone}) -> {response.status_code} {response.text[:200]}")
    assert not failures, "\n".join(failures)


async def test_a_payment_from_year_0_is_refused_and_all_time_reads_keep_working(
    api_rw: httpx.AsyncClient, db: DemoDatabase
) -> None:
    counts = db.row_counts()
    bad = {"amount": 1, "currency": "USD", "transaction_id": "p1", "timestamp": "0001-01-01T00:00:00+14:00"}
    response = await api_rw.post("payments", json=bad)
    assert response.status_code == 400 and "timestamp" in response.json()["error"]["message"]
    assert db.row_counts() == counts
    await _assert_all_time_reads_work(api_rw)


async def test_payments_at_the_edges_of_the_window_are_stored_and_read_back(api_rw: httpx.AsyncClient) -> None:
    # The oldest accepted moment, and nearly a day past the frozen clock (2026-02-19 15:37 UTC).
    for n, stamp in enumerate(("2000-01-01T00:00:00Z", "2000-01-01T10:00:00+10:00", "2026-02-20T15:00:00Z")):
        payment = {"amount": 1e9, "currency": "USD", "transaction_id": f"edge{n}", "timestamp": stamp}
        response = await api_rw.post("payments", json=payment)
        assert response.status_code == 200, response.text
    await _assert_all_time_reads_work(api_rw)
    first_day = (await api_rw.get("analytics/timeseries", params={"interval": "month", "fields": "revenue",
                                                                  "timezone": "UTC", "limit": 1,
                                                                  "startAt": "2000-01-01", "endAt": "2026-02-19"})).json()
    assert first_day["data"][0]["timestamp"].startswith("2000-01-01") and first_day["data"][0]["revenue"] == 2e9


@pytest.mark.parametrize(
    ("start", "end", "zone", "interval"),
    [
        ("1900-01-01", "1900-03-31", "Pacific/Kiritimati", "week"),
        ("1900-01-01T00:00:00+14:00", "1900-01-02T00:00:00+14:00", "UTC", "hour"),
        ("2999-10-01", "2999-12-31", "Etc/GMT+12", "month"),
        ("2999-12-31T00:00:00-14:00", "2999-12-31T23:59:59-14:00", "Etc/GMT-14", "hour"),
    ],
)
async def test_dates_at_the_ends_of_the_window_are_answered(
    api: httpx.AsyncClient, start: str, end: str, zone: str, interval: str
) -> None:
    params = {"startAt": start, "endAt": end, "timezone": zone}
    for path in ALL_TIME_READS:
        response = await api.get(path, params={**params, "interval": interval})
        assert response.status_code == 200, f"{path}: {response.text[:200]}"


async def test_delete_over_the_whole_window_is_answered(api_rw: httpx.AsyncClient, db: DemoDatabase) -> None:
    whole = {"startAt": "1900-01-01", "endAt": "2999-12-31"}
    response = await api_rw.delete("payments", params=whole)
    assert response.status_code == 200 and response.json()["data"][0]["deletedCount"] > 0
    assert response.json()["data"][0]["timeRange"] == {"start": "1900-01-01T00:00:00.000Z",
                                                        "end": "2999-12-31T23:59:59.999Z"}
    assert db.row_counts()["payments"] == 0
    response = await api_rw.delete("goals", params=whole)
    assert response.status_code == 200, response.text
    assert db.row_counts()["goals"] == 0


async def test_the_caps_admit_what_they_promise(api: httpx.AsyncClient) -> None:
    many = ",".join(f"/p{i}" for i in range(MAX_VALUES))
    allowed = [
        {"filter_page": f"contains:{many}"},
        {"filter_visit_count": "gte:" + ",".join(str(i) for i in range(MAX_VALUES))},
        {"filter_visit_count": "is:999999999,-999999999,+1"},
        {"filter_device": ["mobile", "is_not:tablet"] * (MAX_FILTERS // 2)},
        {"limit": "1000", "offset": str(MAX_OFFSET)},
        {"limit": " +7 "},
    ]
    for params in allowed:
        for path in ("analytics/pages", "analytics/timeseries"):
            response = await api.get(path, params={**params, "startAt": "2026-02-18", "endAt": "2026-02-19"})
            assert response.status_code == 200, f"{path} {str(params)[:80]}: {response.text[:200]}"


# -- the body limit, before anything is read ---------------------------------------------------


class _Body:
    """An ASGI `receive` handing out a 1 MB body in 16 KB chunks, counting how many were taken.

    Finite, so a server that reads it all (the bug) fails the test instead of eating memory.
    """

    CHUNKS = 64

    def __init__(self) -> None:
        self.taken = 0

    async def __call__(self) -> dict[str, object]:
        self.taken += 1
        return {"type": "http.request", "body": b" " * 16384, "more_body": self.taken < self.CHUNKS}


async def _post(database: DemoDatabase, headers: list[tuple[bytes, bytes]], receive: _Body) -> tuple[int, dict]:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/v1/goals", "raw_path": b"/api/v1/goals", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", b"Bearer demo"), *headers],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }
    await build_demo_app(database=database)(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], httpx.Response(200, content=body).json()


async def test_a_declared_length_over_the_limit_is_refused_unread(shared_db: DemoDatabase) -> None:
    receive = _Body()
    status, body = await _post(shared_db, [(b"content-length", b"20000000")], receive)
    assert status == 413 and body["error"] == {"code": 413, "message": f"Request body too large: at most "
                                                                       f"{MAX_BODY_BYTES} bytes"}
    assert receive.taken == 0


async def test_a_chunked_body_is_read_only_up_to_the_limit(shared_db: DemoDatabase) -> None:
    receive = _Body()
    status, body = await _post(shared_db, [(b"transfer-encoding", b"chunked")], receive)
    assert status == 413 and body["status"] == "error"
    assert receive.taken == MAX_BODY_BYTES // 16384 + 1  # the chunk that passed the limit, no more


@pytest.mark.parametrize("length", [b"twelve", b"-1", b"1" * 30])
async def test_a_bad_content_length_is_a_400(shared_db: DemoDatabase, length: bytes) -> None:
    status, body = await _post(shared_db, [(b"content-length", length)], _Body())
    assert status == 400 and "Content-Length" in body["error"]["message"]


async def test_a_body_of_exactly_the_limit_is_read(api: httpx.AsyncClient) -> None:
    padded = b'{"name": "x"}' + b" " * (MAX_BODY_BYTES - 13)
    response = await api.post("goals", content=padded)
    assert len(padded) == MAX_BODY_BYTES
    assert response.status_code == 400 and "datafast_visitor_id" in response.json()["error"]["message"]
