"""`POST goals`, `POST payments`, `DELETE goals`, `DELETE payments`.

Every write runs in one transaction after all validation, so a rejected request stores
nothing. Decisions where the docs are silent:

- A goal or payment is attributed to the visitor's latest session that started before it.
- `POST payments` with an unknown (or bot) `datafast_visitor_id` is recorded unattributed;
  a repeated `transaction_id` is answered 200 and not stored again.
- `DELETE goals` answers 404 when nothing matched; `DELETE payments` answers 404 for an
  unknown `transaction_id` or visitor, and 200 with `deletedCount: 0` when a visitor or a
  range simply has no payments. Both add `deletedCount` to the documented response.
- DELETE's range is `startAt` / `endAt` or `start` / `end` (today's pages use both names). It is UTC (a plain date is the whole UTC day), both inclusive,
  in the years params.py allows a date parameter (so `endAt=9999-12-31` is a 400).
- A payment's `timestamp` is from 2000 to a day ahead of the server's clock (bodies.py).
- Today's aliases are read: `visitorId` for `datafast_visitor_id`, `customer_email` and
  `customer_name` for `email` and `name`; a goal's `description` is stored and shown in the
  visitor's goals; `is_free_trial` needs amount 0.
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

from datafast_tui.demo import schema
from datafast_tui.demo.bodies import (
    check_goal_name,
    goal_description,
    json_object,
    metadata_json,
    payment_body,
    required_string,
    visitor_field,
)
from datafast_tui.demo.errors import bad_request, not_found, success
from datafast_tui.demo.formats import GOAL_TAG, iso_utc, object_id
from datafast_tui.demo.params import ApiRequest, parse_utc_moment
from datafast_tui.demo.profile import find_human_visitor

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase


def _latest_session(conn: sqlite3.Connection, vkey: int, ts: int) -> int | None:
    row = conn.execute(
        "SELECT skey FROM sessions WHERE vkey = ? ORDER BY start_ms <= ? DESC, start_ms DESC LIMIT 1", (vkey, ts)
    ).fetchone()
    return row[0] if row else None


def create_goal(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    data = json_object(req.body)
    visitor_id = visitor_field(data, required=True)
    assert visitor_id is not None
    name = check_goal_name(required_string(data, "name"))
    description = goal_description(data)
    metadata = metadata_json(data.get("metadata"))
    with db.write() as (conn, now):
        vkey = find_human_visitor(conn, visitor_id)
        skey = _latest_session(conn, vkey, now)
        cursor = conn.execute(schema.GOAL_WITH_DESCRIPTION_INSERT, (skey, vkey, now, name, metadata, 1, description))
        event_id = object_id(now, GOAL_TAG, cursor.lastrowid)
    return success([{"message": "Custom event created successfully", "eventId": event_id}])


def create_payment(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    body = payment_body(json_object(req.body), db.now_ms())
    with db.write() as (conn, now):
        if conn.execute("SELECT 1 FROM payments WHERE transaction_id = ?", (body.transaction_id,)).fetchone():
            return {
                "message": f"Payment with transaction_id '{body.transaction_id}' was already recorded;"
                " it was not stored again",
                "transaction_id": body.transaction_id,
            }
        ts = body.timestamp_ms if body.timestamp_ms is not None else now
        row = (
            conn.execute("SELECT vkey FROM visitors WHERE visitor_id = ? AND is_bot = 0", (body.visitor_id,)).fetchone()
            if body.visitor_id
            else None
        )
        vkey = row[0] if row else None
        skey = _latest_session(conn, vkey, ts) if vkey is not None else None
        conn.execute(
            schema.PAYMENT_INSERT,
            (
                body.transaction_id,
                vkey,
                skey,
                ts,
                body.amount,
                body.currency,
                body.kind,
                body.email,
                body.name,
                body.customer_id,
            ),
        )
        if vkey is not None:
            conn.execute(
                "UPDATE visitors SET customer_name = COALESCE(?, customer_name),"
                " customer_email = COALESCE(?, customer_email), customer_id = COALESCE(?, customer_id) WHERE vkey = ?",
                (body.name, body.email, body.customer_id, vkey),
            )
    if vkey is not None:
        message = "Payment recorded and attributed successfully"
    elif body.visitor_id:
        message = f"Payment recorded; visitor '{body.visitor_id}' not found, so it is not attributed"
    else:
        message = "Payment recorded successfully"
    return {"message": message, "transaction_id": body.transaction_id}


def _delete_range(req: ApiRequest) -> tuple[int, int] | None:
    # Today's pages name the range `start`/`end` in their examples and `startAt`/`endAt` in
    # their tables (February too): either pair is read; both pairs must then agree.
    raw_start, raw_end = req.query.get("startAt"), req.query.get("endAt")
    short_start, short_end = req.query.get("start"), req.query.get("end")
    if (raw_start or raw_end) and (short_start or short_end) and (raw_start, raw_end) != (short_start, short_end):
        raise bad_request("start/end and startAt/endAt name the same range; they differ")
    raw_start, raw_end = raw_start or short_start, raw_end or short_end
    if not raw_start and not raw_end:
        return None
    if not raw_start or not raw_end:
        raise bad_request("startAt and endAt must be provided together")
    start = parse_utc_moment("startAt", raw_start, end=False)
    end = parse_utc_moment("endAt", raw_end, end=True)
    if end < start:
        raise bad_request(f"endAt ({raw_end}) must not be before startAt ({raw_start})")
    return start, end


def _visitor_key(conn: sqlite3.Connection, visitor_id: str) -> int:
    row = conn.execute("SELECT vkey FROM visitors WHERE visitor_id = ?", (visitor_id,)).fetchone()
    if row is None:
        raise not_found(f"Visitor '{visitor_id}' not found")
    return row[0]


def _conditions(
    conn: sqlite3.Connection, visitor_id: str | None, span: tuple[int, int] | None
) -> tuple[list[str], list]:
    where: list[str] = []
    args: list[object] = []
    if visitor_id:
        where.append("vkey = ?")
        args.append(_visitor_key(conn, visitor_id))
    if span:
        where.append("ts >= ? AND ts <= ?")
        args.extend(span)
    return where, args


def _time_range(span: tuple[int, int]) -> dict[str, str]:
    return {"start": iso_utc(span[0]), "end": iso_utc(span[1])}


def delete_goals(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    visitor_id = req.query.get("datafast_visitor_id") or None
    raw_name = req.query.get("name")
    # Documented: the name is auto-formatted to lowercase with underscores.
    name = check_goal_name(re.sub(r"\s+", "_", raw_name.strip().lower())) if raw_name and raw_name.strip() else None
    span = _delete_range(req)
    if not (visitor_id or name or span):
        raise bad_request("Nothing to delete: give datafast_visitor_id, name, or startAt and endAt")
    with db.write() as (conn, _):
        where, args = _conditions(conn, visitor_id, span)
        if name:
            where.append("name = ?")
            args.append(name)
        deleted = conn.execute("DELETE FROM goals WHERE " + " AND ".join(where), args).rowcount
        if not deleted:
            raise not_found("No goal events matched the given datafast_visitor_id / name / time range")
    result: dict[str, object] = {"message": "Goal events deleted successfully" + (" within time range" if span else "")}
    if visitor_id:
        result["datafast_visitor_id"] = visitor_id
    if name:
        result["goal_name"] = name
    if span:
        result["timeRange"] = _time_range(span)
    result["deletedCount"] = deleted
    return success([result])


def delete_payments(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    transaction_id = req.query.get("transaction_id") or req.query.get("tx_id")
    if transaction_id:  # documented: a transaction id alone decides, other parameters are ignored
        with db.write() as (conn, _):
            deleted = conn.execute("DELETE FROM payments WHERE transaction_id = ?", (transaction_id,)).rowcount
            if not deleted:
                raise not_found(f"Payment with transaction_id '{transaction_id}' not found")
        return success(
            [{"message": "Payment deleted successfully", "transaction_id": transaction_id, "deletedCount": 1}]
        )
    visitor_id = req.query.get("datafast_visitor_id") or None
    span = _delete_range(req)
    if not (visitor_id or span):
        raise bad_request(
            "Nothing to delete: give transaction_id (or tx_id), datafast_visitor_id, or startAt and endAt"
        )
    with db.write() as (conn, _):
        where, args = _conditions(conn, visitor_id, span)
        deleted = conn.execute("DELETE FROM payments WHERE " + " AND ".join(where), args).rowcount
    result: dict[str, object] = {}
    if visitor_id:
        result["datafast_visitor_id"] = visitor_id
        result["message"] = "All payments for visitor deleted successfully" + (" within time range" if span else "")
    else:
        result["message"] = "Payments deleted successfully within time range"
    if span:
        result["timeRange"] = _time_range(span)
    result["deletedCount"] = deleted
    return success([result])
