"""Turning realtime data into what the Realtime screen draws: list rows, sort orders, toast texts.

Plain code, testable without a terminal. Every API string goes through `clean()` (here or in
`LiveList`) and into `Content` as plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from textual.content import Content

from datafast_tui.api.models_realtime import (
    ConversionLikelihood,
    RealtimeEvent,
    RealtimePayment,
    RealtimeVisitor,
)
from datafast_tui.data.realtime_feed import FeedHistory, event_key, is_goal, payment_key
from datafast_tui.formatting import ago, flag, money, number
from datafast_tui.safe_text import clean
from datafast_tui.widgets.feed import Column, Row

_BLOCKS = " ▏▎▍▌▋▊▉█"
LIKELY_BAR = 5  # cells of the likelihood bar
_PARAM_ORDER = ("utm_source", "ref", "source", "via")


def flag_or_blank(country_code: str | None) -> str:
    """The flag emoji of a country code, or two spaces (a flag's width) so columns stay aligned."""
    return flag(country_code) or "  "


def clock_time(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M:%S") if moment is not None else "--:--:--"


# -- active visitors ----------------------------------------------------------------------


def location(v: RealtimeVisitor) -> str:
    """"🇺🇸 Denver, US-CO"; the country code alone when city and region are unknown."""
    place = ", ".join(clean(x) for x in (v.city, v.region) if x) or clean(v.country_code, placeholder="unknown")
    return f"{flag_or_blank(v.country_code)} {place}"


def system(v: RealtimeVisitor) -> str:
    """"desktop · Chrome · Mac OS"."""
    return " · ".join(clean(x) for x in (v.device, v.browser, v.os) if x) or "unknown"


def source(v: RealtimeVisitor) -> str:
    """The referrer, else the first UTM/ref tag ("utm: newsletter"), else "direct"."""
    if v.referrer:
        return clean(v.referrer)
    for key in _PARAM_ORDER:
        value = v.params.get(key)
        if value:
            return f"{key.removeprefix('utm_')}: {clean(value)}"
    return "direct"


def customer(v: RealtimeVisitor) -> str:
    return clean(v.customer_name or v.display_name or (v.customer_email if v.is_customer else None))


def likelihood(conv: ConversionLikelihood | None) -> Content:
    """"84 ████▏": the score (0-100) and a bar in eighths of a cell."""
    if conv is None:
        return Content.styled("–", "$text-muted")
    score = max(0.0, min(100.0, conv.score))
    eighths = round(score / 100 * LIKELY_BAR * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_BLOCKS[part] if part else "")
    style = "$text-success" if score >= 70 else ("$text-warning" if score >= 40 else "$text-muted")
    return Content.assemble(f"{score:>3.0f} ", (bar.ljust(LIKELY_BAR), style))


def visitor_columns(predictions: bool, customers: bool = False) -> list[Column]:
    """The visitors' columns; "Likely" only when the site has predictions, "Customer" when one is on."""
    columns = [
        Column("Location", 20, flex=True),
        Column("Device", 22, priority=4),
        Column("Page", 14, flex=True, middle=True),
        Column("Source", 12, priority=3),
        Column("Started", 10, right=True, priority=1),
        Column("Visits", 8, right=True, priority=2),  # room for "Visits ▼"
    ]
    if customers:
        columns.append(Column("Customer", 12, priority=5))
    if predictions:
        columns.append(Column("Likely", 3 + 1 + LIKELY_BAR, priority=1))
    return columns


@dataclass(frozen=True)
class Sort:
    name: str  # shown in the title: "sorted by visits"
    column: str | None  # the column title that shows the arrow
    key: Callable[[RealtimeVisitor], Any]
    descending: bool  # the natural direction (S reverses it)


def _text_key(get: Callable[[RealtimeVisitor], str | None]) -> Callable[[RealtimeVisitor], Any]:
    return lambda v: (clean(get(v)).casefold(),)


SORTS: tuple[Sort, ...] = (
    Sort("last activity", None, lambda v: 0, False),  # the API's own order
    Sort("session start", "Started", lambda v: v.session_start.timestamp() if v.session_start else 0.0, True),
    Sort("visits", "Visits", lambda v: v.visit_count, True),
    Sort("likelihood", "Likely", lambda v: v.conversion.score if v.conversion else -1.0, True),
    Sort("location", "Location", _text_key(lambda v: f"{v.country_code} {v.region} {v.city}"), False),
    Sort("page", "Page", _text_key(lambda v: v.current_url), False),
    Sort("source", "Source", source, False),
    Sort("customer", "Customer", lambda v: (customer(v) == "", customer(v).casefold()), False),
)


def sort_visitors(visitors: tuple[RealtimeVisitor, ...], sort: Sort, reverse: bool) -> list[RealtimeVisitor]:
    """Sorted stably, so ties keep the API's order (most recently active first)."""
    if sort.column is None:  # the API's order
        return list(reversed(visitors)) if reverse else list(visitors)
    return sorted(visitors, key=sort.key, reverse=sort.descending != reverse)


class ItemMemo:
    """What `build(item, context)` gave for each item of a list, kept for the next list with the
    same context, so that only new items are built.

    An item is known by identity (the memo holds it, so its id is not reused): the lists come
    from the feed and from api's ParseMemo, which never change an item, only add and drop them."""

    def __init__(self, build: Callable[[Any, Any], Any]) -> None:
        self._build = build
        self._context: object = None
        self._built: dict[int, tuple[Any, Any]] = {}

    def values(self, items: Sequence[Any], context: object) -> list[Any]:
        """What each item builds to, in order; only the items of this list are kept."""
        if context != self._context:
            self._built, self._context = {}, context
        kept, built, out = self._built, {}, []
        for item in items:
            hit = kept.get(id(item))
            value = hit[1] if hit is not None and hit[0] is item else self._build(item, context)
            built[id(item)] = (item, value)
            out.append(value)
        self._built = built
        return out


# The visitors' cells but "Started", which ages: each a function of the visitor alone.
_VISITOR_CELLS: dict[str, Callable[[RealtimeVisitor], Any]] = {
    "Location": location, "Device": system, "Page": lambda v: clean(v.current_url, placeholder="–"),
    "Source": source, "Started": lambda v: "", "Visits": lambda v: number(v.visit_count),
    "Customer": customer, "Likely": lambda v: likelihood(v.conversion),
}


class VisitorCells(ItemMemo):
    """Each active visitor's cells, kept from one poll to the next: a visitor the poll repeats
    (the same parsed value, see api's ParseMemo) only gets its "Started" again, which ages."""

    def __init__(self) -> None:
        super().__init__(lambda v, titles: tuple(_VISITOR_CELLS[t](v) for t in titles))


def visitor_rows(visitors: list[RealtimeVisitor], now: datetime, columns: list[Column],
                 memo: VisitorCells | None = None) -> list[Row]:
    """One row per visitor with the cells of `columns` (see `visitor_columns`)."""
    titles = tuple(c.title for c in columns)
    started = titles.index("Started") if "Started" in titles else None
    rows = []
    for index, (v, cells) in enumerate(zip(visitors, (memo or VisitorCells()).values(visitors, titles))):
        if started is not None:
            cells = (*cells[:started], ago(v.session_start, now), *cells[started + 1:])
        rows.append(Row(key=v.visitor_id or f"#{index}", cells=cells, data=v.visitor_id or None))
    return rows


# -- events and payments ------------------------------------------------------------------

EVENT_COLUMNS = (
    Column("Time", 8),
    Column("Kind", 4),
    Column("Page or goal", 20, flex=True, middle=True),
    Column("Country", 7, priority=2),
    Column("Visitor", 12, priority=1),
)
PAYMENT_COLUMNS = (
    Column("Time", 8),
    Column("Amount", 11, right=True),
    Column("Customer", 10, flex=True),
    Column("Kind", 7, priority=1),
)


def goal_name(event: RealtimeEvent) -> str:
    name = event.extra_data.get("eventName") or event.extra_data.get("name") or event.type
    return clean(name, placeholder="(unnamed goal)")


def goal_text(event: RealtimeEvent) -> str:
    """"signup (method=google, plan=trial)": the goal and its metadata."""
    details = ", ".join(f"{clean(k)}={clean(v)}" for k, v in event.extra_data.items() if k not in ("eventName", "name"))
    return goal_name(event) + (f" ({details})" if details else "")


def who(event: RealtimeEvent) -> str:
    name = event.display_name or event.customer_name
    if name:
        return clean(name)
    return clean(event.visitor_id)[:8]


def _with_gaps(history: FeedHistory[Any], rows: list[tuple[datetime | None, Row]], zone: tzinfo) -> list[Row]:
    """The rows with a warning line where items may be missing (see `FeedHistory.gaps`)."""
    gaps = sorted(history.gaps, key=lambda g: g.after, reverse=True)
    out: list[Row] = []
    for when, row in rows:
        while gaps and when is not None and when <= gaps[0].after:
            gap = gaps.pop(0)
            text = f"⋯ not seen: {clock_time(gap.after, zone)} – {clock_time(gap.before, zone)} (paused, offline or" \
                   " more than the API returns per poll)"
            out.append(Row(key=f"gap-{gap.after.isoformat()}", note=Content.styled(text, "$text-warning")))
        out.append(row)
    return out


class RowMemo(ItemMemo):
    """The row built for each item of a feed, kept for the next build in the same zone: a feed
    keeps up to 500 items and a poll usually brings a few (building every row again cost ~9 ms
    per poll with news)."""


def event_row(e: RealtimeEvent, zone: tzinfo) -> Row:
    goal = is_goal(e)
    kind = Content.styled("goal", "bold $text-accent") if goal else Content.styled("view", "$text-muted")
    what = goal_text(e) if goal else clean(e.path, placeholder="–")
    country = f"{flag_or_blank(e.country_code)} {clean(e.country_code)}" if e.country_code else ""
    return Row(event_key(e), (clock_time(e.timestamp, zone), kind, what, country, who(e)), data=e.visitor_id or None)


def event_rows(history: FeedHistory[RealtimeEvent], zone: tzinfo, memo: RowMemo | None = None) -> list[Row]:
    items = history.items
    rows = memo.values(items, zone) if memo is not None else [event_row(e, zone) for e in items]
    return _with_gaps(history, [(e.timestamp, row) for e, row in zip(items, rows)], zone)


def payment_amount(p: RealtimePayment) -> str:
    """"$49.00 USD": the amount in the payment's own currency, with its code."""
    code = clean(p.currency).upper()
    return f"{money(p.amount, code)} {code}".strip() if code else money(p.amount, None)


def payment_name(p: RealtimePayment) -> str:
    return clean(p.display_name or p.name)


def payment_kind(p: RealtimePayment) -> Content:
    if p.renewal:
        return Content.styled("renewal", "$text-muted")
    if p.is_new:
        return Content.styled("new", "bold $text-success")
    return Content("")


def payment_row(p: RealtimePayment, zone: tzinfo) -> Row:
    return Row(payment_key(p), (clock_time(p.timestamp, zone), Content.styled(payment_amount(p), "bold"),
                                payment_name(p) or Content.styled("(no name)", "$text-muted"), payment_kind(p)))


def payment_rows(history: FeedHistory[RealtimePayment], zone: tzinfo, memo: RowMemo | None = None) -> list[Row]:
    items = history.items
    rows = memo.values(items, zone) if memo is not None else [payment_row(p, zone) for p in items]
    return _with_gaps(history, [(p.timestamp, row) for p, row in zip(items, rows)], zone)


# -- notifications -------------------------------------------------------------------------


def payment_message(p: RealtimePayment) -> str:
    """"$49.00 USD from Jane Doe · new customer" (plain text: shown with markup off)."""
    name = payment_name(p)
    text = payment_amount(p) + (f" from {name}" if name else "")
    if p.renewal:
        text += " · renewal"
    elif p.is_new:
        text += " · new customer"
    return text


def goal_message(e: RealtimeEvent) -> str:
    country = f" {flag_or_blank(e.country_code)}" if e.country_code else ""
    name = clean(e.display_name or e.customer_name) or "a visitor"
    return f"{goal_text(e)} · {name}{country}"
