"""Asking the API for what a report shows, with the same store (cache, retries, rate limit) as the app.

The sections are fetched together; one that fails keeps its error (said on stderr, exit
status 1) and the others are still printed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datafast_tui.api.catalogue import MAX_LIMIT, BreakdownSpec, breakdown_spec
from datafast_tui.api.errors import DataFastError, QueryError
from datafast_tui.api.models import Overview
from datafast_tui.api.people import PeopleSearch
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_compare import PreviousPeriod, percent_change
from datafast_tui.data.kpis import METRICS, format_value, kpi_change
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.error_advice import advise
from datafast_tui.formatting import Change, ago, change, money, number
from datafast_tui.query_flags import QueryFlags
from datafast_tui.report.model import Cell, Column, Report, Section
from datafast_tui.safe_text import clean

CUSTOMER_CHOICES = {"anyone": None, "customers": True, "others": False}


@dataclass(frozen=True)
class ReportPlan:
    """Which sections, in the order printed."""

    overview: bool = True
    tops: tuple[str, ...] = ()  # breakdown endpoints
    realtime: bool = False
    people: str | None = None  # None: no People section; else a CUSTOMER_CHOICES key
    limit: int = 10  # rows per top table and of the People search


async def gather(store: AnalyticsStore, flags: QueryFlags, plan: ReportPlan, *, default_preset: str,
                 timezone: str | None, now: datetime) -> Report:
    site = None
    try:
        site = (await store.metadata()).value
    except DataFastError:
        pass  # the sections say what is wrong; the report is dated in UTC meanwhile
    zone = _zone(timezone or (site.timezone if site else None))
    query = flags.query(default_preset, now, zone, timezone)
    currency = site.currency if site else None
    previous = query.comparison() if query.compare else None
    jobs: list[Callable[[], Awaitable[Section]]] = []
    if plan.overview:
        jobs.append(lambda: _overview(store, query, previous, currency))
    for endpoint in plan.tops:
        jobs.append(lambda endpoint=endpoint: _top(store, breakdown_spec(endpoint), query, previous, currency,
                                                   plan.limit))
    if plan.realtime:
        jobs.append(lambda: _realtime(store))
    if plan.people is not None:
        jobs.append(lambda: _people(store, PeopleSearch(query, CUSTOMER_CHOICES[plan.people]), plan.limit, now))
    sections = await asyncio.gather(*(job() for job in jobs))
    rng = query.range
    return Report(
        site=clean(site.domain) if site else "",
        range_label=rng.label(zone),
        start=_iso(rng.start),
        end=_iso(rng.end),
        timezone=timezone or (site.timezone if site else "UTC"),
        filters=tuple(clean(f.describe()) for f in query.filters),
        compare_label=previous.range.label(zone) if previous is not None else None,
        compare_start=_iso(previous.range.start) if previous is not None else None,
        compare_end=_iso(previous.range.end) if previous is not None else None,
        generated_at=now.astimezone(zone),
        sections=tuple(sections),
    )


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def whole(value: float | None) -> float | int | None:
    """12994.0 is 12994 in JSON and CSV: the API's counts arrive as floats through the models."""
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _problem(error: DataFastError) -> str:
    advice = advise(error)
    return f"{advice.title}: {advice.detail}" if advice.detail else advice.title


def _change_cell(found: Change | None, current: float | None, previous: float | None) -> Cell:
    """The change as the app words it ("▲ +12.3%", "n/a"), and as a plain percentage (None: none)."""
    if previous is None or found is None:
        return Cell(None, "–")
    moved = percent_change(current, previous)
    percent = None if moved is None else round(moved, 2)
    tone = None if found.good is None else ("good" if found.good else "bad")
    return Cell(percent if found.text != "n/a" else None, f"{found.arrow} {found.text}", tone)


async def _overview(store: AnalyticsStore, query: Query, previous: Query | None, currency: str | None) -> Section:
    columns = [Column("metric", "Metric", identity=True), Column("value", "Value", numeric=True)]
    if previous is not None:
        columns += [Column("previous", "Previous", numeric=True), Column("change_percent", "Change", numeric=True)]
    try:
        current, before = await asyncio.gather(store.overview(query),
                                               store.overview(previous) if previous is not None else _none())
    except DataFastError as error:
        return Section("overview", "Overview", tuple(columns), error=_problem(error))
    now_value: Overview = current.value
    then: Overview | None = before.value if before is not None else None
    rows = []
    for metric in METRICS:
        value = now_value.metric(metric.name)
        row = [Cell(metric.name, metric.title), Cell(whole(value), format_value(metric, value, currency))]
        if previous is not None:
            old = then.metric(metric.name) if then is not None else None
            row += [Cell(whole(old), format_value(metric, old, currency)),
                    _change_cell(kpi_change(metric, now_value, then), value, old)]
        rows.append(tuple(row))
    return Section("overview", "Overview", tuple(columns), tuple(rows))


async def _none() -> None:
    return None


def _metric_text(name: str, value: float | None, currency: str | None) -> str:
    if value is None:
        return "–"
    return money(value, currency) if name == "revenue" else number(value)


async def _top(store: AnalyticsStore, spec: BreakdownSpec, query: Query, previous: Query | None,
               currency: str | None, limit: int) -> Section:
    columns = [Column("rank", "#", numeric=True), *(Column(label, label.replace("_", " ").capitalize(),
                                                           identity=True) for label in spec.labels)]
    columns += [Column(name, name.capitalize(), numeric=True) for name in spec.metrics]
    lead = spec.metrics[0]
    if previous is not None:
        columns += [Column(f"previous_{lead}", f"Previous {lead}", numeric=True),
                    Column("change_percent", "Change", numeric=True)]
    # The previous period's rows (its first MAX_LIMIT, the request Breakdowns makes), matched by
    # their labels as the Breakdowns tab does (breakdown_compare.py).
    try:
        current, before = await asyncio.gather(
            store.breakdown(spec.endpoint, query, limit=limit),
            store.breakdown(spec.endpoint, previous, limit=MAX_LIMIT) if previous is not None else _none())
    except DataFastError as error:
        return Section(f"top:{spec.endpoint}", f"Top {spec.title.lower()}", tuple(columns), error=_problem(error))
    then = PreviousPeriod.from_page(spec.endpoint, before.value) if before is not None else None
    rows = []
    for rank, row in enumerate(current.value.rows[:limit], 1):
        if then is not None:
            row = then.enrich(row)
        cells = [Cell(rank, str(rank)), *(Cell.label(row.labels.get(label)) for label in spec.labels)]
        cells += [Cell(whole(row.metrics.get(name)), _metric_text(name, row.metrics.get(name), currency))
                  for name in spec.metrics]
        if then is not None:
            old, value = row.metrics.get(then.previous_key), row.metrics.get(lead)
            if old is None:  # not in the previous period's list: new, unless that list was cut short
                cells += [Cell(None, "–"), Cell(None, "new" if then.complete else "–")]
            else:
                cells += [Cell(whole(old), _metric_text(lead, old, currency)),
                          _change_cell(change(value, old), value, old)]
        rows.append(tuple(cells))
    note = "" if rows else "No rows for this query."
    return Section(f"top:{spec.endpoint}", f"Top {spec.title.lower()}", tuple(columns), tuple(rows), note=note)


async def _realtime(store: AnalyticsStore) -> Section:
    columns = (Column("visitors", "Visitors now", numeric=True),)
    try:
        count = (await store.realtime()).value
    except DataFastError as error:
        return Section("realtime", "Realtime", columns, error=_problem(error))
    return Section("realtime", "Realtime", columns, ((Cell(count.visitors, number(count.visitors)),),),
                   note="Visitors on the site in the last 5 minutes.")


async def _people(store: AnalyticsStore, search: PeopleSearch, limit: int, now: datetime) -> Section:
    columns = (Column("visitor_id", "Visitor", identity=True), Column("last_seen", "Last seen"),
               Column("location", "Location"), Column("device", "Device"), Column("current_url", "Current URL"),
               Column("acquisition", "Acquisition"), Column("customer", "Paid"))
    notes = [f"Not applied: {clean(x)}." for x in search.left_out]
    try:
        search.params()
        page = (await store.people(search, limit=limit)).value
    except QueryError as error:  # a combination the API refuses: said, not sent
        return Section("people", "People", columns, error=f"Not sent: {error}", note=" ".join(notes))
    except DataFastError as error:
        return Section("people", "People", columns, error=_problem(error), note=" ".join(notes))
    rows = []
    for person in page.rows[:limit]:
        seen = person.last_seen
        rows.append((
            Cell.label(person.visitor_id),
            Cell(seen.isoformat() if seen else None, ago(seen, now) if seen else "–"),
            Cell.label(person.location), Cell.label(person.device_text), Cell.label(person.current_url or ""),
            Cell.label(person.acquisition_text),
            Cell(person.is_customer, {True: "yes", False: "no", None: "?"}[person.is_customer]),
        ))
    if page.has_more and len(rows) >= limit:
        notes.append(f"The {len(rows)} seen last; more match (--limit shows more).")
    return Section("people", "People", columns, tuple(rows), note=" ".join(notes))
