"""Validation of the JSON bodies of `POST goals` and `POST payments`, as documented.

Each check raises `ApiError(400, ...)` whose message names the field at fault.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from datafast_tui.demo.errors import bad_request

NAME_RULE = re.compile(r"^[a-z0-9_-]{1,64}$")
MAX_METADATA_PARAMS = 10
MAX_METADATA_VALUE = 255
MAX_BODY_BYTES = 64 * 1024
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
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"Malformed JSON body: {exc}") from None
    if not isinstance(data, dict):
        raise bad_request("Request body must be a JSON object")
    return data


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
    if not NAME_RULE.match(name):
        raise bad_request(
            f"Invalid goal {what} '{name}': use 1 to 64 lowercase letters, numbers, underscores (_) or hyphens (-)"
        )
    return name


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
        if not NAME_RULE.match(key):
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


def payment_body(data: dict[str, object]) -> PaymentBody:
    """The documented payment fields, validated."""
    amount = data.get("amount")
    if amount is None:
        raise bad_request("amount is required")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount) or amount < 0:
        raise bad_request(f"amount must be a number >= 0 (got {json.dumps(amount)})")
    currency = required_string(data, "currency").strip()
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise bad_request(f"Invalid currency '{currency}': expected a 3-letter code such as USD")
    transaction_id = required_string(data, "transaction_id")
    if len(transaction_id) > 255:
        raise bad_request("transaction_id is longer than 255 characters")
    return PaymentBody(
        amount=float(amount),
        currency=currency.upper(),
        transaction_id=transaction_id,
        visitor_id=optional_string(data, "datafast_visitor_id"),
        email=optional_string(data, "email"),
        name=optional_string(data, "name"),
        customer_id=optional_string(data, "customer_id"),
        renewal=optional_bool(data, "renewal"),
        refunded=optional_bool(data, "refunded"),
        timestamp_ms=_timestamp(data.get("timestamp")),
    )


def _timestamp(raw: object) -> int | None:
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
    return int(moment.timestamp() * 1000)
