"""Helpers for the hostile-dataset tests: find hostile strings in answers and in the store."""

from __future__ import annotations

import json
import sqlite3

from datafast_tui.demo.hostile import CATEGORY_OF, TEXTS

VISIBLE_CATEGORIES = {"markup", "escape", "control", "bidi", "long", "wide", "empty"}
HOSTILE_TEXTS = frozenset(TEXTS)

# Every text column the API reads, by table (country and region keep their ISO codes).
TEXT_COLUMNS = {
    "visitors": (
        "city",
        "device",
        "device_vendor",
        "device_model",
        "browser",
        "browser_version",
        "os",
        "os_version",
        "customer_name",
        "customer_email",
        "customer_id",
    ),
    "sessions": (
        "city",
        "device",
        "browser",
        "os",
        "referrer",
        "referrer_domain",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "ref",
        "source",
        "via",
    ),
    "pages": ("hostname", "path"),
    "goals": ("name",),
    "payments": ("name", "email", "customer_id"),
}


def leaves(value: object) -> list[object]:
    """Every string and null inside a decoded JSON value."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in leaves(item)]
    return [value] if value is None or isinstance(value, str) else []


def categories(values: object) -> set[str]:
    """The hostile categories (null aside: nulls are normal too) found among `values`' strings."""
    return {CATEGORY_OF[v] for v in leaves(values) if isinstance(v, str) and v in HOSTILE_TEXTS}


def is_hostile(value: object) -> bool:
    """A visibly hostile string (not merely empty or null, which normal data has too)."""
    return isinstance(value, str) and value != "" and value in HOSTILE_TEXTS


def strict_json(content: bytes) -> object:
    """Decode as the client would, refusing NaN/Infinity (not JSON, though Python emits them)."""

    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(content, parse_constant=refuse)


def metadata_values(conn: sqlite3.Connection) -> list[str]:
    return [
        v
        for (m,) in conn.execute("SELECT metadata FROM goals WHERE metadata IS NOT NULL")
        for v in json.loads(m).values()
    ]
