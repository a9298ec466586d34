"""Small typed readers for JSON objects coming from the API.

The live API sends more fields than the docs show and sometimes omits optional ones, so the
readers ignore unknown keys and accept missing optional keys; but a field that is present
with the wrong type is a malformed response, reported with the field's path so the message
says exactly what was wrong instead of crashing deep inside the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from datafast_tui.api.errors import MalformedResponseError

JsonObject = Mapping[str, Any]
#: The years a timestamp from the API may fall in: one day inside the calendar's own ends, so any
#: timezone the screens move it to still exists.
MIN_YEAR, MAX_YEAR = 2, 9998


def fail(path: str, expected: str, value: Any) -> MalformedResponseError:
    """An error naming the field, what it should have been and what it was."""
    shown = type(value).__name__ if value is not None else "null"
    return MalformedResponseError(f"field {path!r}: expected {expected}, got {shown}")


def as_object(value: Any, path: str) -> JsonObject:
    if not isinstance(value, Mapping):
        raise fail(path, "an object", value)
    return value


def as_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(path, "a list", value)
    return value


def _number(value: Any, path: str) -> float | int:
    # bool is an int subclass in Python; a JSON true is never a count.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(path, "a number", value)
    return value


def opt_number(obj: JsonObject, key: str, path: str, default: float | None = None) -> float | None:
    value = obj.get(key)
    if value is None:
        return default
    return float(_number(value, f"{path}.{key}"))


def req_number(obj: JsonObject, key: str, path: str) -> float:
    if obj.get(key) is None:
        raise MalformedResponseError(f"field {path}.{key!r} is missing")
    return float(_number(obj[key], f"{path}.{key}"))


def opt_int(obj: JsonObject, key: str, path: str, default: int | None = None) -> int | None:
    value = obj.get(key)
    if value is None:
        return default
    number = _number(value, f"{path}.{key}")
    return int(round(number))


def req_int(obj: JsonObject, key: str, path: str) -> int:
    value = opt_int(obj, key, path)
    if value is None:
        raise MalformedResponseError(f"field {path}.{key!r} is missing")
    return value


def opt_str(obj: JsonObject, key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Labels such as a region code or a UTM term can arrive as numbers; keep them as text.
        return str(value)
    if not isinstance(value, str):
        raise fail(f"{path}.{key}", "a string", value)
    return value


def str_or_empty(obj: JsonObject, key: str, path: str) -> str:
    return opt_str(obj, key, path) or ""


def opt_bool(obj: JsonObject, key: str, path: str, default: bool = False) -> bool:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise fail(f"{path}.{key}", "true or false", value)
    return value


def opt_datetime(obj: JsonObject, key: str, path: str) -> datetime | None:
    """An ISO 8601 timestamp; naive ones are taken as UTC (the API speaks UTC unless it says)."""
    text = opt_str(obj, key, path)
    if text is None or text == "":
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedResponseError(f"field {path}.{key!r}: {text[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    # Years 1 and 9999 parse, but moving them to UTC or the site's timezone (which the screens
    # do) leaves the calendar with an OverflowError; no analytics time is that far out.
    try:
        year = parsed.astimezone(timezone.utc).year
    except OverflowError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise MalformedResponseError(
            f"field {path}.{key!r}: {text[:40]!r} is outside the years {MIN_YEAR}–{MAX_YEAR}")
    return parsed


def frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a copy, so models stay immutable."""
    return MappingProxyType(dict(mapping))


def extras(obj: JsonObject, known: set[str]) -> Mapping[str, Any]:
    """Fields the docs do not describe, kept so the UI can show them if it wants."""
    return frozen({k: v for k, v in obj.items() if k not in known})
