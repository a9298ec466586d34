"""Form text to write requests: each bad input gives a message on the right field, good input a request."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from datafast_tui.api.writes import GoalDeletion, PaymentDeletion
from datafast_tui.data import write_forms as wf

UTC = timezone.utc
NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
VID = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"


@pytest.mark.parametrize(("pasted", "expected"), [
    (VID, VID),
    (f"  {VID}\n", VID),
    (f'"{VID}"', VID),
    (f"datafast_visitor_id={VID}; other=1", VID),
    (f"'{VID}'", VID),
])
def test_paste_is_cleaned_to_the_id(pasted, expected) -> None:
    assert wf.normalize_visitor_id(pasted) == expected
    assert wf.visitor_id_problem(wf.normalize_visitor_id(pasted)) is None


@pytest.mark.parametrize(("value", "words"), [
    ("", "empty"),
    ("has space", "UUIDs like"),
    ("../analytics", "UUIDs like"),
    ("[bold]x", "UUIDs like"),
    ("a3ab2331989f4cfa91c62461c9e3c6bd", "is not one"),  # a UUID without its dashes
    ("no-such-visitor-0000", "is not one"),
    ("x" * 129, "129 characters"),
    ("\x1b[31mred", "'?[31mred'"),  # quoted without the escape character
])
def test_bad_visitor_ids(value, words) -> None:
    problem = wf.visitor_id_problem(value)
    assert problem is not None and words in problem


GOAL_CASES = [
    # (visitor, name, metadata rows, field, words in the message)
    ("", "signup", [], "visitor", "empty"),
    ("bad id", "signup", [], "visitor", "UUIDs like"),
    (VID, "", [], "name", "empty"),
    (VID, "Sign Up", [], "name", "lowercase"),
    (VID, "a" * 65, [], "name", "65 characters"),
    (VID, "signup", [("Plan", "pro")], "meta-1", "lowercase"),
    (VID, "signup", [("", "pro")], "meta-1", "needs a name"),
    (VID, "signup", [("plan", "x" * 256)], "meta-1", "256 characters"),
    (VID, "signup", [("plan", "a"), ("plan", "b")], "meta-2", "used twice"),
    (VID, "signup", [(f"k{i}", "v") for i in range(11)], "meta", "11 metadata rows"),
]


@pytest.mark.parametrize(("visitor", "name", "rows", "field", "words"), GOAL_CASES)
def test_goal_form_problems(visitor, name, rows, field, words) -> None:
    parsed = wf.goal_form(visitor, name, rows)
    assert not parsed.ok and parsed.request is None
    assert words in parsed.problems[field]


def test_goal_form_builds_the_documented_body() -> None:
    parsed = wf.goal_form(f" {VID} ", "newsletter_signup", [("name", "Elon"), ("", ""), ("email", "m@x.com")])
    assert parsed.ok and parsed.request is not None
    assert parsed.request.to_json() == {"datafast_visitor_id": VID, "name": "newsletter_signup",
                                        "metadata": {"name": "Elon", "email": "m@x.com"}}


def payment(**kw) -> wf.PaymentFields:
    base = {"amount": "29.99", "currency": "usd", "transaction_id": "tx_1"}
    base.update(kw)
    return wf.PaymentFields(**base)


PAYMENT_CASES = [
    ({"amount": ""}, "amount", "required"),
    ({"amount": "abc"}, "amount", "not a number"),
    ({"amount": "-5"}, "amount", "negative"),
    ({"amount": "nan"}, "amount", "finite"),
    ({"amount": "inf"}, "amount", "finite"),
    ({"currency": ""}, "currency", "required"),
    ({"currency": "US"}, "currency", "3-letter"),
    ({"currency": "USS"}, "currency", "not an ISO 4217"),
    ({"transaction_id": "  "}, "transaction", "required"),
    ({"transaction_id": "t" * 256}, "transaction", "256 characters"),
    ({"visitor_id": "not an id"}, "visitor", "UUIDs like"),
    ({"email": "nobody"}, "email", "not an email"),
    ({"name": "n" * 300}, "name", "300 characters"),
    ({"customer_id": "c" * 256}, "customer", "256 characters"),
    ({"timestamp": "yesterday"}, "timestamp", "not a time"),
    ({"timestamp": "2026-13-01 10:00"}, "timestamp", "not a time"),
    ({"timestamp": "2027-01-01 00:00"}, "timestamp", "future"),
]


@pytest.mark.parametrize(("fields", "field", "words"), PAYMENT_CASES)
def test_payment_form_problems(fields, field, words) -> None:
    parsed = wf.payment_form(payment(**fields), NY, NOW)
    assert not parsed.ok
    assert words in parsed.problems[field]


@pytest.mark.parametrize(("typed", "amount"), [("29.99", 29.99), ("0", 0.0), ("1,234.50", 1234.5), ("29,99", 29.99),
                                               (" 1 000 ", 1000.0)])
def test_amounts(typed, amount) -> None:
    assert wf.parse_amount(typed) == amount


def test_payment_form_builds_the_documented_body_with_site_time() -> None:
    parsed = wf.payment_form(payment(visitor_id=VID, email="a@b.co", name="Ann", customer_id="cus_1",
                                     renewal=True, timestamp="2026-11-26 09:15"), NY, NOW)
    assert parsed.ok and parsed.request is not None
    assert parsed.request.to_json() == {
        "amount": 29.99, "currency": "USD", "transaction_id": "tx_1", "datafast_visitor_id": VID,
        "email": "a@b.co", "name": "Ann", "customer_id": "cus_1", "renewal": True,
        "timestamp": "2026-11-26T14:15:00.000Z",  # 09:15 in New York is 14:15 UTC
    }


@pytest.mark.parametrize(("typed", "iso"), [
    ("2026-11-26 09:15", "2026-11-26T14:15:00+00:00"),
    ("2026-11-26T09:15:00Z", "2026-11-26T09:15:00+00:00"),
    ("2026-11-26T09:15:00+01:00", "2026-11-26T08:15:00+00:00"),
    ("2026-11-26T09:15", "2026-11-26T14:15:00+00:00"),
    ("2026-07-01", "2026-07-01T04:00:00+00:00"),  # a bare date: its first instant, in summer time
])
def test_moments(typed, iso) -> None:
    moment = wf.parse_moment(typed, NY)
    assert moment is not None and moment.astimezone(UTC).isoformat() == iso


def test_bare_end_date_covers_the_whole_day() -> None:
    end = wf.parse_moment("2026-11-26", NY, end_of_day=True)
    assert end is not None and end.astimezone(UTC).isoformat() == "2026-11-27T04:59:59.999999+00:00"
    assert wf.parse_moment("  ", NY) is None


def test_generated_transaction_ids_are_fresh() -> None:
    ids = {wf.new_transaction_id() for _ in range(50)}
    assert len(ids) == 50 and all(i.startswith("tui-") and len(i) == 16 for i in ids)


GOAL_DELETION_CASES = [
    ("", "", "", "", "form", "say which goals"),
    ("bad id", "", "", "", "visitor", "UUIDs like"),
    ("", "Sign-Up!", "", "", "name", "lowercase"),
    ("", "", "2026-01-01", "", "end", "both a start and an end"),
    ("", "", "", "2026-01-01", "start", "both a start and an end"),
    ("", "", "2026-02-01", "2026-01-01", "end", "before the start"),
    ("", "", "soon", "2026-01-01", "start", "not a time"),
]


@pytest.mark.parametrize(("visitor", "name", "start", "end", "field", "words"), GOAL_DELETION_CASES)
def test_goal_deletion_problems(visitor, name, start, end, field, words) -> None:
    parsed = wf.goal_deletion_form(visitor, name, start, end, NY)
    assert not parsed.ok and words in parsed.problems[field]


def test_goal_deletion_name_is_formatted_like_the_api() -> None:
    parsed = wf.goal_deletion_form("", " Sign Up ", "", "", NY)
    assert parsed.request == GoalDeletion(None, "sign_up", None)


def test_goal_deletion_with_everything() -> None:
    parsed = wf.goal_deletion_form(VID, "signup", "2026-01-01", "2026-01-31", NY)
    assert parsed.ok and parsed.request is not None
    assert parsed.request.params() == {"datafast_visitor_id": VID, "name": "signup",
                                       "startAt": "2026-01-01T05:00:00.000Z", "endAt": "2026-02-01T04:59:59.999Z",
                                       "start": "2026-01-01T05:00:00.000Z", "end": "2026-02-01T04:59:59.999Z"}


PAYMENT_DELETION_CASES = [
    ("", "", "", "", "form", "say which payments"),
    ("", "bad id", "", "", "visitor", "UUIDs like"),
    ("", VID, "2026-01-01", "", "end", "both"),
    ("", "", "2026-02-01", "2026-01-01", "end", "before the start"),
]


@pytest.mark.parametrize(("tx", "visitor", "start", "end", "field", "words"), PAYMENT_DELETION_CASES)
def test_payment_deletion_problems(tx, visitor, start, end, field, words) -> None:
    parsed = wf.payment_deletion_form(tx, visitor, start, end, NY)
    assert not parsed.ok and words in parsed.problems[field]


def test_transaction_id_alone_decides() -> None:
    # Like the API: with a transaction id the other fields are ignored (even unreadable ones).
    parsed = wf.payment_deletion_form(" tx_9 ", "bad id", "garbage", "", NY)
    assert parsed.request == PaymentDeletion("tx_9", None, None)
    assert parsed.request.params() == {"transaction_id": "tx_9"}
