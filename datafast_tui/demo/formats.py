"""Small formatting helpers shared by the endpoints: event ids and UTC timestamps."""

from __future__ import annotations

from datetime import datetime, timezone

# Event kinds in an event id, so a pageview and a goal with the same row number differ.
PAGEVIEW_TAG, GOAL_TAG, PAYMENT_TAG = 1, 2, 3


def object_id(ts_ms: int, tag: int, rowid: int) -> str:
    """A 24-hex-digit id in the shape of a MongoDB ObjectId: seconds, kind, row number."""
    return f"{ts_ms // 1000 & 0xFFFFFFFF:08x}{tag:02x}{rowid & 0xFFFFFFFFFFFFFF:014x}"


def iso_utc(ts_ms: int) -> str:
    """`2025-04-11T03:38:49.154Z`, the docs' timestamp format."""
    moment = datetime.fromtimestamp(ts_ms / 1000, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts_ms % 1000:03d}Z"


def or_none(value: str | None) -> str | None:
    """Empty strings (how the store keeps "no value") as JSON null."""
    return value or None
