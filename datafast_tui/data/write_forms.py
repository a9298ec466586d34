"""Turning what a person typed into write requests, with a message per bad field.

The dialogs call these on every keystroke (live validation) and once more before sending:
nothing reaches the API unless every field parsed. The documented rules themselves live in
`api/writes.py`; this module adds what a form needs on top: text to numbers and times (in
the site's timezone), visitor id cleanup after a paste, and which field a problem belongs to.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import Generic, TypeVar

from datafast_tui.api.dates import EARLIEST_DAY
from datafast_tui.api.visitor_ids import visitor_id_problem
from datafast_tui.api.writes import (
    METADATA_KEY,
    METADATA_MAX_PARAMS,
    METADATA_VALUE_MAX,
    GoalDeletion,
    GoalRequest,
    PaymentDeletion,
    PaymentRequest,
    TimeSpan,
    goal_name_problem,
)
from datafast_tui.data.currencies import ISO_CURRENCIES

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TEXT_MAX = 255
#: Times a form accepts: DataFast has no data before 2000, and past 2100 is a typing mistake
#: (or 9999-12-31 meant as "forever", which an empty field says).
EARLIEST_YEAR, LATEST_YEAR = EARLIEST_DAY.year, 2100
#: No one payment is larger (a 30-digit paste would reach the server as 1e29).
AMOUNT_MAX = 1_000_000_000
#: A payment may be dated a little ahead (clock skew); further is a typing mistake.
FUTURE_SLACK = timedelta(minutes=5)


class FormError(ValueError):
    """A field's text could not be read; the message says what was wrong."""


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A request built from a form, or the problems (field name -> message) that stopped it."""

    request: T | None
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.request is not None and not self.problems


def new_transaction_id() -> str:
    """A fresh id for a payment typed by hand (the user may replace it with the provider's)."""
    return f"tui-{uuid.uuid4().hex[:12]}"


# -- single fields ------------------------------------------------------------------------


def normalize_visitor_id(text: str) -> str:
    """The id inside a paste: spaces, quotes and a `datafast_visitor_id=` cookie prefix removed."""
    value = text.strip().strip("\"'`").strip()
    if "=" in value and value.split("=", 1)[0].strip().lower() in ("datafast_visitor_id", "visitor_id", "visitor"):
        value = value.split("=", 1)[1]
    return value.split(";", 1)[0].strip().strip("\"'").strip()


def parse_amount(text: str) -> float:
    """"29.99", "1,234.50", "29,99" or "0"; never negative, NaN or infinite."""
    raw = text.strip().replace(" ", "").replace("_", "")
    if not raw:
        raise FormError("the amount is required (0 for a free trial)")
    if re.fullmatch(r"-?\d+,\d{1,2}", raw):
        raw = raw.replace(",", ".")  # a decimal comma: 29,99
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")  # thousands separators: 1,234.50
    try:
        amount = float(raw)
    except ValueError:
        raise FormError(f"the amount {text.strip()!r} is not a number (e.g. 29.99)") from None
    if not math.isfinite(amount):
        raise FormError("the amount must be a finite number")
    if amount < 0:
        raise FormError("the amount cannot be negative (mark a refund with 'refunded' instead)")
    if amount > AMOUNT_MAX:
        raise FormError(f"the amount {text.strip()[:40]!r} is over {AMOUNT_MAX:,.0f}: a typing mistake?")
    return amount


def parse_currency(text: str) -> str:
    code = text.strip().upper()
    if not code:
        raise FormError("the currency is required (a 3-letter ISO code such as USD)")
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise FormError(f"the currency {text.strip()!r} is not a 3-letter ISO code such as USD, EUR, GBP")
    if code not in ISO_CURRENCIES:
        raise FormError(f"{code} is not an ISO 4217 currency code")
    return code


def parse_moment(text: str, zone: tzinfo, *, end_of_day: bool = False) -> datetime | None:
    """A typed time, or None when the field is empty.

    Accepts `YYYY-MM-DD HH:MM` (and a bare date) in the site timezone `zone`, or ISO 8601;
    ISO without an offset is read in `zone` too. A bare date means its first instant, or its
    last when `end_of_day` (so a range "2026-01-01 to 2026-01-31" covers both whole days).
    """
    raw = text.strip()
    if not raw:
        return None
    try:
        if _DATE.match(raw):
            day = datetime.fromisoformat(raw).date()
            moment = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            moment = datetime.fromisoformat(raw)
    except ValueError:
        raise FormError(f"{raw!r} is not a time: use YYYY-MM-DD HH:MM or ISO 8601 (2026-01-31T12:00:00Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    # A year the calendar allows may still not be one a request can carry: 0001-01-01 at +14:00
    # is year 0 in UTC, 9999-12-31 in New York is year 10000 (OverflowError on every compare).
    try:
        utc = moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST_YEAR <= utc.year <= LATEST_YEAR:
        raise FormError(f"{raw!r} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR}"
                        + (" (for no time limit, leave the field empty)" if end_of_day else ""))
    return moment


def _optional_text(value: str, label: str, problems: dict[str, str], key: str) -> str | None:
    value = value.strip()
    if len(value) > TEXT_MAX:
        problems[key] = f"the {label} is {len(value)} characters; keep it under {TEXT_MAX}"
    return value or None


# -- whole forms --------------------------------------------------------------------------


def metadata_from_rows(rows: Sequence[tuple[str, str]], problems: dict[str, str]) -> dict[str, str]:
    """Rows of (name, value) as the metadata object; empty rows are skipped.

    Problems go under `meta-<row>` (row counted from 1), so the dialog can point at the row.
    """
    metadata: dict[str, str] = {}
    filled = [(i, k.strip(), v) for i, (k, v) in enumerate(rows, 1) if k.strip() or v.strip()]
    if len(filled) > METADATA_MAX_PARAMS:
        problems["meta"] = f"{len(filled)} metadata rows; the limit is {METADATA_MAX_PARAMS}"
    for i, key, value in filled:
        where = f"meta-{i}"
        if not key:
            problems[where] = f"metadata row {i}: the value needs a name"
        elif not METADATA_KEY.match(key):
            problems[where] = f"metadata name {key!r}: use 1-64 lowercase letters, numbers, _ or -"
        elif key in metadata:
            problems[where] = f"metadata name {key!r} is used twice"
        elif len(value) > METADATA_VALUE_MAX:
            problems[where] = f"metadata {key!r}: the value is {len(value)} characters; the limit is 255"
        else:
            metadata[key] = value
    return metadata


def goal_form(visitor_id: str, name: str, rows: Sequence[tuple[str, str]],
              description: str = "") -> Parsed[GoalRequest]:
    problems: dict[str, str] = {}
    vid = normalize_visitor_id(visitor_id)
    if (p := visitor_id_problem(vid)) is not None:
        problems["visitor"] = p
    if (p := goal_name_problem(name.strip())) is not None:
        problems["name"] = p
    text = _optional_text(description, "description", problems, "description")
    metadata = metadata_from_rows(rows, problems)
    if problems:
        return Parsed(None, problems)
    request = GoalRequest(vid, name.strip(), metadata, text)
    if request.problems():  # the documented rules, once more, as the client will check them
        return Parsed(None, {"form": "; ".join(request.problems())})
    return Parsed(request)


@dataclass(frozen=True)
class PaymentFields:
    """The payment dialog's fields as typed."""

    amount: str
    currency: str
    transaction_id: str
    visitor_id: str = ""
    email: str = ""
    name: str = ""
    customer_id: str = ""
    renewal: bool = False
    refunded: bool = False
    timestamp: str = ""
    free_trial: bool = False


def payment_form(fields: PaymentFields, zone: tzinfo, now: datetime) -> Parsed[PaymentRequest]:
    problems: dict[str, str] = {}
    amount = currency = timestamp = None
    try:
        amount = parse_amount(fields.amount)
    except FormError as exc:
        problems["amount"] = str(exc)
    try:
        currency = parse_currency(fields.currency)
    except FormError as exc:
        problems["currency"] = str(exc)
    transaction_id = fields.transaction_id.strip()
    if not transaction_id:
        problems["transaction"] = "the transaction id is required (ctrl+g makes one up)"
    elif len(transaction_id) > TEXT_MAX:
        problems["transaction"] = f"the transaction id is {len(transaction_id)} characters; the limit is {TEXT_MAX}"
    vid = normalize_visitor_id(fields.visitor_id) or None
    if vid is not None and (p := visitor_id_problem(vid)) is not None:
        problems["visitor"] = p
    email = _optional_text(fields.email, "email", problems, "email")
    if email is not None and "email" not in problems and not _EMAIL.match(email):
        problems["email"] = f"{email!r} is not an email address"
    name = _optional_text(fields.name, "name", problems, "name")
    customer_id = _optional_text(fields.customer_id, "customer id", problems, "customer")
    try:
        timestamp = parse_moment(fields.timestamp, zone)
        if timestamp is not None and timestamp > now + FUTURE_SLACK:
            problems["timestamp"] = "the timestamp is in the future"
    except FormError as exc:
        problems["timestamp"] = str(exc)
    if problems or amount is None or currency is None:
        return Parsed(None, problems)
    if fields.free_trial and amount:
        problems["amount"] = "a free trial has the amount 0"
        return Parsed(None, problems)
    request = PaymentRequest(amount, currency, transaction_id, vid, email, name, customer_id,
                             fields.renewal, fields.refunded, timestamp, fields.free_trial)
    if request.problems():
        return Parsed(None, {"form": "; ".join(request.problems())})
    return Parsed(request)


def _span(start: str, end: str, zone: tzinfo, problems: dict[str, str]) -> TimeSpan | None:
    try:
        begin = parse_moment(start, zone)
    except FormError as exc:
        problems["start"] = str(exc)
        begin = None
    try:
        finish = parse_moment(end, zone, end_of_day=True)
    except FormError as exc:
        problems["end"] = str(exc)
        finish = None
    if "start" in problems or "end" in problems:
        return None
    if begin is None and finish is None:
        return None
    if begin is None or finish is None:
        problems["start" if begin is None else "end"] = "give both a start and an end, or neither"
        return None
    if finish < begin:
        problems["end"] = "the end is before the start"
        return None
    return TimeSpan(begin, finish)


def goal_name_for_deletion(name: str) -> str:
    """The name as the API will use it: it lowercases and turns spaces into underscores."""
    return re.sub(r"\s+", "_", name.strip().lower())


def goal_deletion_form(visitor_id: str, name: str, start: str, end: str, zone: tzinfo) -> Parsed[GoalDeletion]:
    problems: dict[str, str] = {}
    vid = normalize_visitor_id(visitor_id) or None
    if vid is not None and (p := visitor_id_problem(vid)) is not None:
        problems["visitor"] = p
    goal_name = goal_name_for_deletion(name) or None
    if goal_name is not None and (p := goal_name_problem(goal_name)) is not None:
        problems["name"] = p
    span = _span(start, end, zone, problems)
    if problems:
        return Parsed(None, problems)
    scope = GoalDeletion(vid, goal_name, span)
    if scope.problems():
        return Parsed(None, {"form": "; ".join(scope.problems())})
    return Parsed(scope)


def payment_deletion_form(transaction_id: str, visitor_id: str, start: str, end: str,
                          zone: tzinfo) -> Parsed[PaymentDeletion]:
    problems: dict[str, str] = {}
    tx = transaction_id.strip() or None
    vid = normalize_visitor_id(visitor_id) or None
    span = None
    if tx is None:
        # With a transaction id the API ignores the other fields; so do we.
        if vid is not None and (p := visitor_id_problem(vid)) is not None:
            problems["visitor"] = p
        span = _span(start, end, zone, problems)
    if problems:
        return Parsed(None, problems)
    scope = PaymentDeletion(tx, None if tx else vid, span)
    if scope.problems():
        return Parsed(None, {"form": "; ".join(scope.problems())})
    return Parsed(scope)
