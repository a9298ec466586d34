"""Property tests of the demo API: whatever a client sends, a 2xx or a 4xx in the error envelope.

Every query parameter of every endpoint and every field of every write body gets arbitrary
text, numbers, dates and JSON; the answer is never a 500 nor an exception out of the app.
After any mix of accepted and refused writes the all-time reads still answer 200: no
accepted value may poison the store (issue 14: one payment dated 0001-01-01T00:00:00+14:00
made every all-time read fail until a restart).

The demo is driven in-process (httpx over ASGI, as tests/unit/demo does), on one event loop
per store, from plain test functions so Hypothesis runs the examples.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from datafast_tui.demo import DemoDatabase, build_demo_app, open_demo_database
from datafast_tui.demo.breakdowns import ENDPOINTS
from datafast_tui.demo.filters import DIMENSIONS, OPERATORS
from datafast_tui.demo.params import INTERVALS
from datafast_tui.demo.reports import OVERVIEW_FIELDS, TIMESERIES_FIELDS
from tests.shared_cache import frozen_datasets
from tests.unit.demo.conftest import AUTH, BASE_URL, FrozenClock


def examples(share: float) -> int:
    """A share of the profile's example count (DATAFAST_HYPOTHESIS_EXAMPLES scales them all)."""
    return max(5, int(settings.default.max_examples * share))


class Demo:
    """A demo app over one store, called synchronously (Hypothesis runs plain functions)."""

    def __init__(self, database: DemoDatabase) -> None:
        self.database = database
        #: "<human>", "<bot>", "<ghost>" -> ids that reach the SQL (the markers strategies draw).
        self.known = dict(zip(["<human>", "<bot>", "<ghost>"], _visitor_ids(database)))
        self._loop = asyncio.new_event_loop()
        app = build_demo_app(database=database)
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=AUTH)

    def request(self, method: str, path: str, **options: object) -> httpx.Response:
        return self._loop.run_until_complete(self._client.request(method, path, **options))

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unit tests' datasets at FROZEN, shared by every worker of the run."""
    return frozen_datasets(tmp_path_factory, FrozenClock(), "unit")


def _demo(cache: Path) -> Iterator[Demo]:
    database = open_demo_database(clock=FrozenClock(), cache_dir=cache)
    demo = Demo(database)
    yield demo
    demo.close()
    database.close()


@pytest.fixture(scope="module")
def reader(cache: Path) -> Iterator[Demo]:
    """A store only read from."""
    yield from _demo(cache)


@pytest.fixture
def writer(cache: Path) -> Iterator[Demo]:
    """A store one write test changes (its examples one after the other): tests stay independent."""
    yield from _demo(cache)


def _visitor_ids(database: DemoDatabase) -> list[str]:
    """A human with sessions, a bot, and a human without pageviews: the ids that reach the SQL."""
    with database.read() as (conn, _):
        return [
            conn.execute(sql).fetchone()[0]
            for sql in (
                "SELECT v.visitor_id FROM visitors v JOIN sessions s USING (vkey) WHERE v.is_bot = 0 LIMIT 1",
                "SELECT visitor_id FROM visitors WHERE is_bot = 1 LIMIT 1",
                (
                    "SELECT visitor_id FROM visitors v WHERE is_bot = 0"
                    " AND NOT EXISTS (SELECT 1 FROM pageviews p WHERE p.vkey = v.vkey) LIMIT 1"
                ),
            )
        ]


def assert_answered(response: httpx.Response) -> None:
    """A success, or a client error in the documented envelope; never a server error."""
    what = f"{response.request.method} {response.request.url} -> {response.status_code} {response.text[:300]}"
    assert response.status_code < 500, what
    event(f"{response.request.method} {response.status_code}")  # --hypothesis-show-statistics: how many pass
    body = response.json()
    if response.status_code >= 400:
        error = body.get("error", {})
        assert body.get("status") == "error" and error.get("code") == response.status_code, what
        assert isinstance(error.get("message"), str) and error["message"], what
    else:
        assert 200 <= response.status_code < 300, what


# -- values -----------------------------------------------------------------------------------

TEXT = st.text(max_size=30)
# Integers as a client might type or paste them: signs, non-ASCII digits ("²", "٣"), any length.
DIGITS = st.text(st.sampled_from("0123456789") | st.characters(categories=["Nd", "No"]), min_size=1, max_size=40)
NUMBERS = st.one_of(
    st.tuples(st.sampled_from(["", "", "-", "+", "--", " "]), DIGITS).map("".join),
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(["²", "--5", "-", "1_000", "0x10", "1e3", "-0", "9" * 30, "0" * 25 + "1"]),
)


# The calendar's ends and the demo's window: where converting to UTC or a timezone overflows.
EDGE_DAYS = ("0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30", "1899-12-31", "1900-01-01", "2999-12-31",
             "3000-01-01", "1999-12-31", "2000-01-01")


@st.composite
def moments(draw: st.DrawFn) -> str:
    """Dates and ISO timestamps of any year 1..9999, with any offset a datetime accepts."""
    year = draw(st.integers(1, 9999))
    any_day = f"{year:04d}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 31)):02d}"
    day = draw(st.sampled_from(EDGE_DAYS) | st.sampled_from(EDGE_DAYS) | st.just(any_day))  # edges twice as often
    if draw(st.booleans()):
        return day
    clock = draw(st.sampled_from(["T00:00:00", "T23:59:59", "T23:59:59.999"])
                 | st.just(f"T{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}:00"))
    hours, minutes = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    offset = draw(st.sampled_from(["", "Z", "+14:00", "-14:00", "+23:59", "-23:59", f"+{hours:02d}:{minutes:02d}",
                                   f"-{hours:02d}:{minutes:02d}"]))
    return day + clock + offset


DATES = st.one_of(moments(), TEXT)
ZONES = st.one_of(
    st.sampled_from(["UTC", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kathmandu", "localtime"]),
    TEXT,
)
FIELD_NAMES = (*OVERVIEW_FIELDS, *TIMESERIES_FIELDS, "goal", "completions", "utm_source", "utm_medium", "nope")


@st.composite
def filter_values(draw: st.DrawFn) -> str:
    """`<operator>:<v1>,<v2>...`: any operator (or none), any values, now and then very many."""
    operator = draw(st.one_of(st.sampled_from([*OPERATORS, ""]), TEXT))
    if draw(st.integers(0, 9)) == 0:
        values = ["v"] * draw(st.sampled_from([99, 100, 101, 2000]))
    else:
        values = draw(st.lists(st.one_of(TEXT, NUMBERS, moments()), min_size=1, max_size=4))
    return (f"{operator}:" if operator else "") + ",".join(values)


VALUES = {
    "startAt": DATES,
    "endAt": DATES,
    "timezone": ZONES,
    "interval": st.one_of(st.sampled_from(INTERVALS), TEXT),
    "fields": st.lists(st.sampled_from(FIELD_NAMES), max_size=4).map(",".join) | TEXT,
    "limit": NUMBERS,
    "offset": NUMBERS,
    **{f"filter_{dimension}": filter_values() for dimension in DIMENSIONS},
}
READ_PATHS = (
    "analytics/overview",
    "analytics/timeseries",
    "analytics/realtime",
    "analytics/realtime/map",
    "analytics/metadata",
    *(f"analytics/{name}" for name in ENDPOINTS),
    "visitors",  # today's list: its own plain parameters are in PEOPLE_VALUES below
    "analytics/funnels/" + "0" * 24,  # an unknown funnel: a 404 whatever the query
)


def query(values: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """A query string's items: known names with their kind of value or any text, repeats allowed."""
    item = st.one_of(
        st.sampled_from(sorted(values)).flatmap(lambda name: st.tuples(st.just(name), values[name] | TEXT | NUMBERS)),
        st.tuples(TEXT, TEXT),
    )
    return st.lists(item, max_size=4)


def _one(name: str) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.one_of(VALUES[name], TEXT, NUMBERS).map(lambda value: [(name, value)])


# Each parameter on its own, so every one meets its awkward values (startAt and endAt only
# mean something together: test_date_ranges_take_any_dates).
PARAMETERS = {name: _one(name) for name in VALUES if name not in ("startAt", "endAt")}


# -- reads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameter", sorted(PARAMETERS))
@settings(max_examples=examples(0.1))
@given(data=st.data())
def test_every_read_parameter_takes_any_value(reader: Demo, parameter: str, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(READ_PATHS), label="path")
    params = data.draw(PARAMETERS[parameter], label="params")
    assert_answered(reader.request("GET", path, params=params))


@settings(max_examples=examples(0.75))
@given(path=st.sampled_from(READ_PATHS), dates=st.tuples(DATES, DATES).map(sorted), zone=ZONES)
def test_date_ranges_take_any_dates(reader: Demo, path: str, dates: list[str], zone: str) -> None:
    # Sorted (ISO text sorts about as time does): a range ending before it starts is only one 400.
    assert_answered(reader.request("GET", path, params={"startAt": dates[0], "endAt": dates[1], "timezone": zone}))


@settings(max_examples=examples(1))
@given(path=st.sampled_from(READ_PATHS), params=query(VALUES))
def test_read_endpoints_answer_any_query(reader: Demo, path: str, params: list[tuple[str, str]]) -> None:
    assert_answered(reader.request("GET", path, params=params))


#: The visitors list's plain parameters (today's pages) and their kinds of value.
PEOPLE_VALUES = {
    **{name: TEXT for name in ("visitedPage", "page", "visitedPageContains", "pageContains", "completedGoal",
                               "goal", "country", "region", "city", "device", "browser", "os", "referrer",
                               "hostname", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
                               "ref", "source", "via")},
    "isCustomer": st.sampled_from(["true", "false"]) | TEXT, "hasRevenue": st.sampled_from(["true", "false"]) | TEXT,
    "limit": NUMBERS, "offset": NUMBERS, "startAt": DATES, "endAt": DATES, "timezone": ZONES,
}


@settings(max_examples=examples(0.5))
@given(params=query(PEOPLE_VALUES))
def test_the_visitors_list_answers_any_search(reader: Demo, params: list[tuple[str, str]]) -> None:
    assert_answered(reader.request("GET", "visitors", params=params))


@settings(max_examples=examples(0.3))
@given(params=query(VALUES), which=st.integers(0, 2))
def test_every_funnel_report_answers_any_query(reader: Demo, params: list[tuple[str, str]], which: int) -> None:
    from datafast_tui.demo.funnels import FUNNELS, funnel_id

    path = "analytics/funnels/" + funnel_id(reader.database, FUNNELS[which])
    assert_answered(reader.request("GET", path, params=params))


@settings(max_examples=examples(0.5))
@given(visitor=st.one_of(TEXT, st.sampled_from(["<human>", "<bot>", "<ghost>"])), params=query(VALUES))
def test_visitor_endpoint_answers_any_id(reader: Demo, visitor: str, params: list[tuple[str, str]]) -> None:
    path = "visitors/" + quote(reader.known.get(visitor, visitor), safe="")
    assert_answered(reader.request("GET", path, params=params))


# -- writes -----------------------------------------------------------------------------------

# Text with lone surrogates too: JSON can carry "\ud800", which neither SQLite nor UTF-8 can.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=20)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=6,
)
AMOUNTS = st.one_of(
    st.floats(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([0, 0.01, 29.99, 1e9, 1e9 + 0.01, 1e300, float("inf"), float("nan"), -0.0]),
)
# Accepted edges (2000-01-01, just under a day ahead of the frozen clock) and refused ones.
STAMPS = st.one_of(
    moments(),
    st.sampled_from(["2000-01-01T00:00:00Z", "2026-02-20T15:00:00Z", "2026-02-20T16:00:00Z", "1999-12-31T23:59:59Z"]),
)
NAMES = st.one_of(st.sampled_from(["signup", "a" * 64, "x-y_z"]), ANY_TEXT)


def body(required: dict[str, st.SearchStrategy], optional: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """A JSON object: each field with its kind of value or any JSON; optional ones may be absent."""
    fields = {name: values | JSON_VALUES for name, values in required.items()}
    extra = {name: values | JSON_VALUES for name, values in optional.items()}
    return st.fixed_dictionaries(fields, optional=extra)


GOAL_BODIES = body(
    {"datafast_visitor_id": st.sampled_from(["<human>", "<bot>", "<ghost>"]) | ANY_TEXT, "name": NAMES},
    {"metadata": st.dictionaries(NAMES, JSON_VALUES | ANY_TEXT, max_size=12)},
)
PAYMENT_BODIES = body(
    {"amount": AMOUNTS, "currency": st.sampled_from(["USD", "eur", "XXXX"]) | ANY_TEXT, "transaction_id": ANY_TEXT},
    {
        "datafast_visitor_id": st.sampled_from(["<human>", "<bot>"]) | ANY_TEXT,
        "email": ANY_TEXT,
        "name": ANY_TEXT,
        "customer_id": ANY_TEXT,
        "renewal": st.booleans(),
        "refunded": st.booleans(),
        "timestamp": STAMPS,
    },
)
RAW_BODIES = st.one_of(
    st.binary(max_size=100),
    st.integers(1, 6000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 6000).map(lambda depth: b'{"metadata":' * depth + b"1" + b"}" * depth),
)
DELETE_VALUES = {
    "datafast_visitor_id": st.sampled_from(["<human>", "<bot>"]) | TEXT,
    "name": st.sampled_from(["signup", "Sign Up", "a" * 65]) | TEXT,
    "startAt": DATES,
    "endAt": DATES,
    "transaction_id": TEXT,
    "tx_id": TEXT,
}


def _content(demo: Demo, data: object) -> bytes:
    """`data` as the request body: raw bytes as they are, else JSON with the visitor markers filled in."""
    if isinstance(data, bytes):
        return data
    marker = data.get("datafast_visitor_id") if isinstance(data, dict) else None
    if isinstance(marker, str) and marker in demo.known:
        data = {**data, "datafast_visitor_id": demo.known[marker]}
    return json.dumps(data).encode()  # NaN and Infinity as JSON's common extension, which the demo reads


# Bodies the demo accepts, with the most awkward values it accepts: these are what get stored.
TOKEN = st.from_regex(r"[a-z0-9_-]{1,64}", fullmatch=True)
SHOWN_TEXT = st.text(max_size=40)  # any text but lone surrogates: markup, controls, RTL, emoji
ACCEPTED_STAMPS = st.one_of(
    st.datetimes(min_value=datetime(2000, 1, 1, 14), max_value=datetime(2026, 2, 20, 1)).map(
        lambda moment: moment.isoformat() + "+14:00"
    ),
    st.sampled_from(["2000-01-01T00:00:00Z", "2000-01-01T00:00:00", "2026-02-20T15:00:00Z", "2026-02-20T04:59:59-10:00"]),
)
ACCEPTED_GOALS = st.fixed_dictionaries(
    {"datafast_visitor_id": st.just("<human>"), "name": TOKEN},
    optional={"metadata": st.dictionaries(TOKEN, SHOWN_TEXT | st.integers() | st.floats(), max_size=10)},
)
ACCEPTED_PAYMENTS = st.fixed_dictionaries(
    {
        "amount": st.floats(0, 1e9) | st.sampled_from([0, 1e9, 0.005]),
        "currency": st.sampled_from(["USD", "eur", "JPY"]),
        "transaction_id": SHOWN_TEXT.filter(str.strip).map(lambda text: text[:255]),
    },
    optional={
        "datafast_visitor_id": st.sampled_from(["<human>", "<bot>"]) | SHOWN_TEXT,
        "email": SHOWN_TEXT,
        "name": SHOWN_TEXT,
        "customer_id": SHOWN_TEXT,
        "renewal": st.booleans(),
        "refunded": st.booleans(),
        "timestamp": ACCEPTED_STAMPS,
    },
)
WRITES = st.one_of(
    st.tuples(st.just("goals"), GOAL_BODIES | RAW_BODIES | ACCEPTED_GOALS),
    st.tuples(st.just("payments"), PAYMENT_BODIES | RAW_BODIES | ACCEPTED_PAYMENTS),
)


def _write(demo: Demo, path: str, data: object) -> None:
    assert_answered(demo.request("POST", path, content=_content(demo, data)))


@settings(max_examples=examples(1))
@given(write=WRITES)
def test_write_bodies_are_answered(writer: Demo, write: tuple[str, object]) -> None:
    _write(writer, *write)


@settings(max_examples=examples(0.5))
@given(path=st.sampled_from(["goals", "payments"]), params=query(DELETE_VALUES))
def test_delete_parameters_are_answered(writer: Demo, path: str, params: list[tuple[str, str]]) -> None:
    params = [(name, writer.known.get(value, value)) for name, value in params]
    assert_answered(writer.request("DELETE", path, params=params))


@settings(max_examples=examples(1))
@given(path=st.sampled_from(["goals", "payments"]), dates=st.tuples(moments(), moments()).map(sorted),
       name=st.sampled_from([None, "signup"]))
def test_delete_ranges_take_any_dates(writer: Demo, path: str, dates: list[str], name: str | None) -> None:
    params = {"startAt": dates[0], "endAt": dates[1], **({"name": name} if name and path == "goals" else {})}
    assert_answered(writer.request("DELETE", path, params=params))


ALL_TIME_READS = ("analytics/overview", "analytics/timeseries", *(f"analytics/{name}" for name in ENDPOINTS))


@settings(max_examples=examples(0.1))
@given(
    writes=st.lists(WRITES, min_size=1, max_size=4),
    zone=st.sampled_from(["America/New_York", "UTC", "Pacific/Kiritimati", "Etc/GMT+12"]),
)
def test_all_time_reads_survive_any_writes(writer: Demo, writes: list[tuple[str, object]], zone: str) -> None:
    for write in writes:
        _write(writer, *write)
    human = writer.known["<human>"]
    for path in (*ALL_TIME_READS, "analytics/realtime", "analytics/realtime/map", f"visitors/{human}"):
        response = writer.request("GET", path, params={"timezone": zone})
        assert response.status_code == 200, f"{path} ({zone}) -> {response.status_code} {response.text[:300]}"
    for interval in INTERVALS[1:]:  # all time by the hour is too many points once a payment dates from 2000
        response = writer.request("GET", "analytics/timeseries", params={"interval": interval, "timezone": zone})
        assert response.status_code == 200, f"timeseries {interval} ({zone}) -> {response.text[:300]}"
