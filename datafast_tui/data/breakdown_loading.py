"""Fetching a breakdown table through the store: one page, all the rest, the visitor total, parents.

Pages go through `AnalyticsStore.breakdown`, so each is cached (and shared with other screens
asking the same page) and a cancelled screen load never cancels a request others wait for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from datafast_tui.api.catalogue import DIMENSION_SOURCES, MAX_LIMIT
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.models import Breakdown
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_rows import BreakdownRows
from datafast_tui.data.cache import Result
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.safe_text import clean

#: Rows per request: the API's maximum, so a big table costs as few requests as it can.
PAGE_SIZE = MAX_LIMIT
#: Pages in flight at once when fetching a whole table (the rate limiter still paces them).
CONCURRENT_PAGES = 4

Progress = Callable[[int, int], None]


async def load_page(store: AnalyticsStore, rows: BreakdownRows, *, page_size: int = PAGE_SIZE,
                    refresh: bool = False) -> Result[Breakdown]:
    """Fetch the page after the rows already held and add it; returns the store's result (maybe stale)."""
    offset = rows.next_offset
    result = await store.breakdown(rows.endpoint, rows.query, limit=page_size, offset=offset, refresh=refresh)
    rows.add_page(result.value, offset=offset, limit=page_size)
    return result


async def load_rest(store: AnalyticsStore, rows: BreakdownRows, *, page_size: int = PAGE_SIZE,
                    refresh: bool = False, on_progress: Progress | None = None, until: int | None = None) -> None:
    """Fetch every page not yet held (or those before row `until`), a few at a time, adding them
    in order as they arrive.

    `on_progress(rows_received, total)` follows each page. A failed page raises its
    DataFastError; the pages before it stay added.
    """
    if rows.total is None:
        await load_page(store, rows, page_size=page_size, refresh=refresh)
    gate = asyncio.Semaphore(CONCURRENT_PAGES)

    async def fetch(offset: int) -> Breakdown:
        async with gate:
            result = await store.breakdown(rows.endpoint, rows.query, limit=page_size, offset=offset,
                                           refresh=refresh)
            return result.value

    # Rounds: with a total, one round fetches the rest; a hasMore-style total only reaches one
    # page past the rows held, so each round asks for the next page until one says "no more".
    while not rows.complete:
        end = rows.total or 0 if until is None else min(rows.total or 0, until)
        offsets = range(rows.next_offset, end, page_size)
        if not offsets:
            return
        tasks = [asyncio.ensure_future(fetch(offset)) for offset in offsets]
        try:
            for offset, task in zip(offsets, tasks):
                page = await task
                rows.add_page(page, offset=offset, limit=page_size)
                if on_progress is not None:
                    on_progress(rows.received, rows.shown_total)
                if rows.complete:
                    break  # a short page: the table ended before the total said it would
        finally:
            for task in tasks:
                task.cancel()


async def total_visitors(store: AnalyticsStore, query: Query, *, refresh: bool = False) -> float | None:
    """All visitors of the query (the share column's 100 %), from the overview the Overview screen uses too."""
    try:
        result = await store.overview(query, refresh=refresh)
    except DataFastError:
        return None  # the share column then says "–"; the table itself is still right
    visitors = result.value.visitors
    return float(visitors) if visitors else None


async def find_parents(store: AnalyticsStore, query: Query, child: Filter,
                       dimensions: Sequence[str]) -> list[Filter]:
    """The parent filters (country, region) of a region or city filter, when the data names exactly one.

    Asks each parent's breakdown filtered by the child: one row means one parent. A city
    name found in two countries (Paris, Texas) gets no country: the data does not allow it.
    """
    narrowed = query.with_filter(child)

    async def one(dimension: str) -> Filter | None:
        endpoint, key = DIMENSION_SOURCES[dimension]
        try:
            result = await store.breakdown(endpoint, narrowed, limit=2)
        except DataFastError:
            return None
        values = {clean(row.labels.get(key, "")).strip() for row in result.value.rows} - {""}
        if len(values) != 1 or result.value.pagination.total > 1:
            return None
        try:
            return Filter(dimension, "is", (values.pop(),))
        except FilterError:
            return None  # a comma in the name: the API could not take it as a filter

    found = await asyncio.gather(*(one(d) for d in dimensions))
    return [f for f in found if f is not None]
