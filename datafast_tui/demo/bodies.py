"""Validation of the JSON bodies of `POST goals` and `POST payments`, as documented.

Each check raises `ApiError(400, ...)` whose message names the field at fault. Everything
a write stores is checked to be readable back: text is valid Unicode, a payment's amount is
at most MAX_AMOUNT, its timestamp between EARLIEST_STORED and a day from now.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from datafast_tui.demo.errors import bad_request

#: Goal names as today's pages allow them (lowercase letters, digits, _ - and :, up to 64);
#: metadata keys as `^[a-z0-9_-]+$` (no colon), up to 64.
NAME_RULE = re.compile(r"^[a-z0-9_:-]{1,64}$")
KEY_RULE = re.compile(r"^[a-z0-9_-]{1,64}$")
RESERVED_NAMES = frozenset({"identify"})
MAX_DESCRIPTION = 255
MAX_METADATA_PARAMS = 10
MAX_METADATA_VALUE = 255
MAX_BODY_BYTES = 64 * 1024
#: The documented bodies are two levels deep (metadata); deeper ones are refused before any use.
MAX_JSON_DEPTH = 16
#: No one payment is larger (the app's form has the same cap); sums of many keep their cents.
MAX_AMOUNT = 1_000_000_000
#: A stored payment is dated from 2000 (the app's form allows the same years; all-time reads
#: begin at the oldest payment, so a year-1 one would stretch them out of range) to a day
#: ahead of the server's clock (clock skew; later is a mistake).
EARLIEST_STORED = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(days=1)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>?")


def json_object(body: bytes) -> dict[str, object]:
    """The body as a JSON object, or 400."""
    if len(body) > MAX_BODY_BYTES:
        raise bad_request(f"Request body too large: at most {MAX_BODY_BYTES} bytes")
    if not body.strip():
        raise bad_request("Request body is empty: send a JSON object")
    try:
        data = json.loads(body)
    except RecursionError:  # the C decoder recurses per level: "[[[[..." 5000 deep
        raise bad_request(f"Malformed JSON body: nested more than {MAX_JSON_DEPTH} levels deep") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"Malformed JSON body: {exc}") from None
    if not isinstance(data, dict):
        raise bad_request("Request body must be a JSON object")
    for name, value in data.items():
        _check_value(name, value)
    return data


def _check_value(name: str, value: object) -> None:
    """400 naming field `name` when `value` nests too deep or holds text that is not valid Unicode.

    A lone surrogate ("\\ud800" in JSON) cannot be stored in SQLite nor sent back as UTF-8.
    Iterative, so no depth of nesting can exhaust the stack.
    """
    pending: list[tuple[object, int]] = [(name, 1), (value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise bad_request(f"{name} is nested more than {MAX_JSON_DEPTH} levels deep")
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise bad_request(f"{name} holds invalid Unicode (a lone surrogate such as \\ud800)") from None
        elif isinstance(item, dict):
            pending.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            pending.extend((part, depth + 1) for part in item)


def required_string(data: dict[str, object], name: str) -> str:
    value = data.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is required")
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value


def optional_string(data: dict[str, object], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    return value or None


def optional_bool(data: dict[str, object], name: str) -> bool:
    value = data.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise bad_request(f"{name} must be true or false")
    return value


def strip_html(value: str) -> str:
    """Remove script/style elements with their content, then any other tag."""
    return _TAG.sub("", _SCRIPT.sub("", value)).strip()


def check_goal_name(name: str, what: str = "name") -> str:
    if not NAME_RULE.fullmatch(name):  # fullmatch: "$" alone lets "signup\n" through
        raise bad_request(
            f"Invalid goal {what} '{name}': use 1 to 64 lowercase letters, numbers, underscores (_), hyphens (-)"
            " or colons (:)"
        )
    if name in RESERVED_NAMES:
        raise bad_request(f"Invalid goal {what} '{name}': the name is reserved")
    return name


def goal_description(data: dict[str, object]) -> str | None:
    text = optional_string(data, "description")
    if text is not None and len(text) > MAX_DESCRIPTION:
        raise bad_request(f"description is {len(text)} characters; at most {MAX_DESCRIPTION}")
    return strip_html(text) or None if text is not None else None


def visitor_field(data: dict[str, object], *, required: bool) -> str | None:
    """`datafast_visitor_id`, or its alias `visitorId` (today's pages accept both names)."""
    name = "datafast_visitor_id" if "datafast_visitor_id" in data or "visitorId" not in data else "visitorId"
    if required:
        return required_string(data, name)
    return optional_string(data, name)


def aliased_string(data: dict[str, object], name: str, alias: str) -> str | None:
    """A field sent under its name or its alias (`email` / `customer_email`); both must agree."""
    value, other = optional_string(data, name), optional_string(data, alias)
    if value is not None and other is not None and value != other:
        raise bad_request(f"{name} and {alias} name the same field; they differ ('{value}' and '{other}')")
    return value if value is not None else other


def metadata_json(raw: object) -> str | None:
    """Validated, HTML-stripped metadata as JSON text (None when absent or empty)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("metadata must be a JSON object of parameter names to string values")
    if len(raw) > MAX_METADATA_PARAMS:
        raise bad_request(f"metadata has {len(raw)} parameters; at most {MAX_METADATA_PARAMS} are allowed")
    clean: dict[str, str] = {}
    for key, value in raw.items():
        if not KEY_RULE.fullmatch(key):
            raise bad_request(
                f"Invalid metadata parameter name '{key}': use 1 to 64 lowercase letters, numbers, underscores or hyphens"
            )
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad_request(f"metadata value for '{key}' must be a string")
        text = str(value)
        if len(text) > MAX_METADATA_VALUE:
            raise bad_request(f"metadata value for '{key}' is {len(text)} characters; at most {MAX_METADATA_VALUE}")
        clean[key] = strip_html(text)
    return json.dumps(clean) if clean else None


@dataclass(frozen=True, slots=True)
class PaymentBody:
    amount: float
    currency: str
    transaction_id: str
    visitor_id: str | None
    email: str | None
    name: str | None
    customer_id: str | None
    renewal: bool
    refunded: bool
    timestamp_ms: int | None

    @property
    def kind(self) -> str:
        return "refund" if self.refunded else "renewal" if self.renewal else "new"


def payment_body(data: dict[str, object], now_ms: int) -> PaymentBody:
    """The documented payment fields, validated (`now_ms`: the server's clock, for the timestamp)."""
    amount = data.get("amount")
    if amount is None:
        raise bad_request("amount is required")
    # Compared before any float(): a 400-digit integer overflows it; NaN compares false to all.
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount <= MAX_AMOUNT:
        shown = json.dumps(amount) if not isinstance(amount, int) or abs(amount) < 10**20 else "a huge number"
        raise bad_request(f"amount must be a number from 0 to {MAX_AMOUNT} (got {shown})")
    currency = required_string(data, "currency").strip()
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise bad_request(f"Invalid currency '{currency}': expected a 3-letter code such as USD")
    transaction_id = required_string(data, "transaction_id")
    if len(transaction_id) > 255:
        raise bad_request("transaction_id is longer than 255 characters")
    if optional_bool(data, "is_free_trial") and amount != 0:
        raise bad_request(f"is_free_trial is true but amount is {json.dumps(amount)}: a free trial has amount 0")
    return PaymentBody(
        amount=float(amount),
        currency=currency.upper(),
        transaction_id=transaction_id,
        visitor_id=visitor_field(data, required=False),
        email=aliased_string(data, "email", "customer_email"),
        name=aliased_string(data, "name", "customer_name"),
        customer_id=optional_string(data, "customer_id"),
        renewal=optional_bool(data, "renewal"),
        refunded=optional_bool(data, "refunded"),
        timestamp_ms=_timestamp(data.get("timestamp"), now_ms),
    )


def _timestamp(raw: object, now_ms: int) -> int | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise bad_request("timestamp must be an ISO 8601 string such as 2025-01-31T12:00:00Z")
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise bad_request(f"Invalid timestamp '{raw}': expected ISO 8601 such as 2025-01-31T12:00:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    # Every read turns stored times into dates of some timezone: a time outside the window
    # (0001-01-01T00:00:00+14:00 is year 0 in UTC) would break them all, not only this request.
    latest = datetime.fromtimestamp(now_ms / 1000, timezone.utc) + FUTURE_SLACK
    try:
        in_window = EARLIEST_STORED <= moment <= latest
    except (OverflowError, ValueError):
        in_window = False
    if not in_window:
        raise bad_request(
            f"Invalid timestamp '{raw}': must be from {EARLIEST_STORED:%Y-%m-%d} to at most a day from now"
        )
    return int(moment.timestamp() * 1000)
