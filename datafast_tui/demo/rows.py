"""Turn visitor and session drafts into rows of the store's tables (see schema.py)."""

from __future__ import annotations

from datafast_tui.demo.site import PAGES
from datafast_tui.demo.traffic import SessionDraft, VisitorDraft

BOT_PREDICTION = (0, 0.0, 0.0, 0.0)


def visitor_row(v: VisitorDraft, pred: tuple[int, float, float, float]) -> tuple:
    """A `visitors` row; `pred` is (score, rate, expected value, confidence)."""
    name, email, customer_id = v.customer or (None, None, None)
    return (
        v.vkey,
        v.visitor_id,
        int(v.is_bot),
        v.city.country_code,
        v.city.region_code,
        v.city.name,
        v.city.latitude,
        v.city.longitude,
        v.platform.device,
        v.vendor,
        v.model,
        v.browser,
        v.browser_version,
        v.platform.os,
        v.os_version,
        v.viewport[0],
        v.viewport[1],
        *pred,
        name,
        email,
        customer_id,
    )


def session_row(s: SessionDraft, pageviews: int | None = None, end_ms: int | None = None) -> tuple:
    """A `sessions` row; live traffic passes the pageview count and end seen so far."""
    v, p = s.visitor, s.params
    return (
        s.skey,
        v.vkey,
        s.visit_number,
        s.start_ms,
        s.end_ms if end_ms is None else end_ms,
        len(s.pageviews) if pageviews is None else pageviews,
        s.pageviews[0][1],
        v.city.country_code,
        v.city.region_code,
        v.city.name,
        v.platform.device,
        v.browser,
        v.platform.os,
        s.referrer.name,
        s.referrer.domain,
        p["utm_source"],
        p["utm_medium"],
        p["utm_campaign"],
        p["utm_term"],
        p["utm_content"],
        p["ref"],
        p["source"],
        p["via"],
        int(any(p.values())),
    )


def pageview_row(s: SessionDraft, ts: int, page_id: int) -> tuple:
    return (s.skey, s.visitor.vkey, ts, page_id, PAGES[page_id].host_id)


def goal_row(s: SessionDraft, goal: tuple[int, str, str | None, int]) -> tuple:
    ts, name, metadata, is_server = goal
    return (s.skey, s.visitor.vkey, ts, name, metadata, is_server)


def payment_row(txid: str, v: VisitorDraft, skey: int | None, ts: int, amount: float, kind: str) -> tuple:
    name, email, customer_id = v.customer or (None, None, None)
    return (txid, v.vkey, skey, ts, amount, "USD", kind, email, name, customer_id)


def truncate_session(s: SessionDraft, until_ms: int) -> None:
    """Drop what happens at or after `until_ms` (the end of the generated history)."""
    s.pageviews = [pv for pv in s.pageviews if pv[0] < until_ms]
    s.goals = [g for g in s.goals if g[0] < until_ms]
    if s.purchase and s.purchase[0] >= until_ms:
        s.purchase = None
    s.end_ms = min(s.end_ms, until_ms - 1)
