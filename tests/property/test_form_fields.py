"""Any text in any form field is a message or a valid request, never an exception (issue 14).

The dialogs run these checks on every keystroke, so an exception here is a crash while the
user is still typing (9999-12-31 in a deletion's range once was: OverflowError).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from datafast_tui.api.dates import DateRange, custom_range
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import DIMENSIONS, OPERATORS, Filter
from datafast_tui.data.write_forms import (
    PaymentFields,
    goal_deletion_form,
    goal_form,
    payment_deletion_form,
    payment_form,
)

NOW = datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)
#: Zones at both ends of the offsets: +14:00 and -11:00 move a date across a year boundary.
ZONES = st.sampled_from([ZoneInfo("UTC"), ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"),
                         ZoneInfo("America/New_York")])

#: What people type or paste: the absurd but plausible, then anything at all.
PLAUSIBLE = st.sampled_from([
    "", " ", "9999-12-31", "0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
    "2026-02-30", "2026-11-26 25:61", "123456789012345678901234567890", "-0", "1e309", "NaN", "²",
    "--5", "1,234.50", "29,99", "x" * 10_000, "\x1b[31mred", "[bold]markup[/]", "a,b,,c", "US-NY",
    "datafast_visitor_id=abc; other=1", "ça", "😀", "\u202e", "\x00",
])
TEXT = st.one_of(PLAUSIBLE, st.text(max_size=300))
#: Instants near the limits, written as ISO text with odd offsets.
MOMENTS = st.builds(
    lambda d, off: f"{d.isoformat()}T12:00:00{off}",
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["", "Z", "+14:00", "-12:00", "+05:45"]),
)
FIELD = st.one_of(TEXT, MOMENTS)


@given(visitor=FIELD, name=FIELD, rows=st.lists(st.tuples(FIELD, FIELD), max_size=12))
def test_goal_form(visitor: str, name: str, rows: list[tuple[str, str]]) -> None:
    parsed = goal_form(visitor, name, rows)
    assert parsed.ok or parsed.problems
    if parsed.ok:
        parsed.request.to_json()  # a valid request can be written out


@given(amount=FIELD, currency=FIELD, transaction=FIELD, visitor=FIELD, email=FIELD, name=FIELD,
       customer=FIELD, timestamp=FIELD, renewal=st.booleans(), refunded=st.booleans(), zone=ZONES)
def test_payment_form(amount: str, currency: str, transaction: str, visitor: str, email: str, name: str,
                      customer: str, timestamp: str, renewal: bool, refunded: bool, zone: ZoneInfo) -> None:
    fields = PaymentFields(amount, currency, transaction, visitor, email, name, customer, renewal, refunded,
                           timestamp)
    parsed = payment_form(fields, zone, NOW)
    assert parsed.ok or parsed.problems
    if parsed.ok:
        parsed.request.to_json()


@given(visitor=FIELD, name=FIELD, start=FIELD, end=FIELD, transaction=FIELD, zone=ZONES)
def test_deletion_forms(visitor: str, name: str, start: str, end: str, transaction: str, zone: ZoneInfo) -> None:
    goals = goal_deletion_form(visitor, name, start, end, zone)
    assert goals.ok or goals.problems
    if goals.ok:
        goals.request.params()
    payments = payment_deletion_form(transaction, visitor, start, end, zone)
    assert payments.ok or payments.problems
    if payments.ok:
        payments.request.params()


@given(start=st.one_of(FIELD, st.dates().map(str)), end=st.one_of(FIELD, st.dates().map(str)),
       steps=st.integers(-3, 3))
def test_custom_range_and_its_steps(start: str, end: str, steps: int) -> None:
    today = date(2026, 11, 26)
    try:
        rng = custom_range(start, end, today)
    except QueryError:
        return
    assert isinstance(rng, DateRange)
    rng.params()
    try:
        rng.shift(steps, today).params()
    except QueryError:
        pass
    previous = rng.previous()
    if previous is not None:
        previous.params()


@given(dimension=st.one_of(st.sampled_from(DIMENSIONS), TEXT), operator=st.one_of(st.sampled_from(OPERATORS), TEXT),
       values=st.lists(FIELD, max_size=5), typed=FIELD)
def test_filters(dimension: str, operator: str, values: list[str], typed: str) -> None:
    for build in (lambda: Filter(dimension, operator, tuple(values)), lambda: Filter.parse(typed),
                  lambda: Filter.parse(f"{dimension} {operator} {','.join(values)}")):
        try:
            made = build()
        except QueryError:
            continue
        assert made.param_value and made.describe()
