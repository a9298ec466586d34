"""Request bodies and scopes of the write endpoints, checked against the documented rules.

The checks run before anything is sent, so a form can show the message next to the field
and the server never sees a request we know it would reject. Each check returns messages
rather than raising, so a form can show all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

#: Today's pages: "lowercase letters, numbers, underscores, hyphens, and colons. Max 64";
#: "Reserved: identify" (February's rule had no colon).
GOAL_NAME = re.compile(r"^[a-z0-9_:-]{1,64}$")
RESERVED_GOAL_NAMES = frozenset({"identify"})
#: Metadata keys: `^[a-z0-9_-]+$`, at most 64 (no colon, unlike goal names).
METADATA_KEY = re.compile(r"^[a-z0-9_-]{1,64}$")
METADATA_MAX_PARAMS = 10
METADATA_VALUE_MAX = 255
GOAL_DESCRIPTION_MAX = 255
CURRENCY = re.compile(r"^[A-Z]{3}$")


def goal_name_problem(name: str) -> str | None:
    if not name:
        return "the goal name is empty"
    if len(name) > 64:
        return f"the goal name is {len(name)} characters; the limit is 64"
    if not GOAL_NAME.match(name):
        return "the goal name may use only lowercase letters, numbers, _ - and :"
    if name in RESERVED_GOAL_NAMES:
        return f"{name!r} is reserved by DataFast (Identify uses it); choose another name"
    return None


def metadata_problems(metadata: Mapping[str, str]) -> list[str]:
    problems = []
    if len(metadata) > METADATA_MAX_PARAMS:
        problems.append(f"{len(metadata)} metadata parameters; the limit is {METADATA_MAX_PARAMS}")
    for key, value in metadata.items():
        if not METADATA_KEY.match(key):
            problems.append(f"metadata name {key!r}: use 1-64 lowercase letters, numbers, _ or -")
        if not isinstance(value, str):
            problems.append(f"metadata {key!r}: the value must be text")
        elif len(value) > METADATA_VALUE_MAX:
            problems.append(f"metadata {key!r}: the value is {len(value)} characters; the limit is 255")
    return problems


@dataclass(frozen=True)
class GoalRequest:
    visitor_id: str
    name: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None  # today's pages: "Optional goal description"

    def problems(self) -> list[str]:
        out = [] if self.visitor_id.strip() else ["the visitor id is empty"]
        if (p := goal_name_problem(self.name)) is not None:
            out.append(p)
        if self.description is not None and len(self.description) > GOAL_DESCRIPTION_MAX:
            out.append(f"the description is {len(self.description)} characters; the limit is {GOAL_DESCRIPTION_MAX}")
        return out + metadata_problems(self.metadata)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"datafast_visitor_id": self.visitor_id, "name": self.name}
        if self.description:
            body["description"] = self.description
        if self.metadata:
            body["metadata"] = dict(self.metadata)
        return body


@dataclass(frozen=True)
class PaymentRequest:
    amount: float
    currency: str
    transaction_id: str
    visitor_id: str | None = None
    email: str | None = None
    name: str | None = None
    customer_id: str | None = None
    renewal: bool = False
    refunded: bool = False
    timestamp: datetime | None = None
    #: Today's pages: `is_free_trial` ("also inferred when amount is 0").
    free_trial: bool = False

    def problems(self) -> list[str]:
        out = []
        if isinstance(self.amount, bool) or not isinstance(self.amount, (int, float)) or self.amount != self.amount:
            out.append("the amount must be a number")
        elif self.amount < 0:
            out.append("the amount cannot be negative")
        if not CURRENCY.match(self.currency or ""):
            out.append("the currency must be a 3-letter ISO code such as USD or EUR")
        if not (self.transaction_id or "").strip():
            out.append("the transaction id is required")
        if self.timestamp is not None and self.timestamp.tzinfo is None:
            out.append("the timestamp needs a timezone")
        return out

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "amount": self.amount,
            "currency": self.currency,
            "transaction_id": self.transaction_id,
        }
        optional = {
            "datafast_visitor_id": self.visitor_id,
            "email": self.email,
            "name": self.name,
            "customer_id": self.customer_id,
        }
        body.update({k: v for k, v in optional.items() if v})
        if self.renewal:
            body["renewal"] = True
        if self.refunded:
            body["refunded"] = True
        if self.free_trial:
            body["is_free_trial"] = True
        if self.timestamp is not None:
            body["timestamp"] = iso_utc(self.timestamp)
        return body


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class TimeSpan:
    """An optional time limit on a deletion (both ends, inclusive, as the docs' examples)."""

    start: datetime
    end: datetime

    def problems(self) -> list[str]:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            return ["the time range needs a timezone"]
        if self.end < self.start:
            return ["the end of the time range is before its start"]
        return []

    def params(self) -> dict[str, str]:
        # Today's pages disagree on the names of a deletion's range: `start`/`end` (the
        # examples, "not startAt/endAt") or `startAt`/`endAt` (the tables, February). Both
        # pairs are sent, with the same instants, so either reading deletes the same events.
        start, end = iso_utc(self.start), iso_utc(self.end)
        return {"startAt": start, "endAt": end, "start": start, "end": end}


@dataclass(frozen=True)
class GoalDeletion:
    visitor_id: str | None = None
    name: str | None = None
    span: TimeSpan | None = None

    def problems(self) -> list[str]:
        if not (self.visitor_id or self.name or self.span):
            return ["say which goals to delete: a visitor, a goal name or a time range"]
        return self.span.problems() if self.span else []

    def params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.visitor_id:
            out["datafast_visitor_id"] = self.visitor_id
        if self.name:
            out["name"] = self.name
        if self.span:
            out.update(self.span.params())
        return out


@dataclass(frozen=True)
class PaymentDeletion:
    transaction_id: str | None = None
    visitor_id: str | None = None
    span: TimeSpan | None = None

    def problems(self) -> list[str]:
        if not (self.transaction_id or self.visitor_id or self.span):
            return ["say which payments to delete: a transaction id, a visitor or a time range"]
        return self.span.problems() if self.span and not self.transaction_id else []

    def params(self) -> dict[str, str]:
        if self.transaction_id:
            # The API ignores every other parameter when a transaction id is given; send only it.
            return {"transaction_id": self.transaction_id}
        out: dict[str, str] = {}
        if self.visitor_id:
            out["datafast_visitor_id"] = self.visitor_id
        if self.span:
            out.update(self.span.params())
        return out
