"""The People screen's plain state and the rules that load it: pages of `GET visitors`.

The list has no total: pages of 250 are fetched while the last says `hasMore`, one at a
time (the cursor near the end, or `n`). Every page is asked for the search the state holds,
so a page that arrives after the search changed is dropped, never appended to the new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datafast_tui.api.errors import DataFastError
from datafast_tui.api.people import MAX_PEOPLE_LIMIT, PeopleSearch, PersonRow
from datafast_tui.data.store import AnalyticsStore

#: Rows an export gathers at most (40 pages): a search that matches more is exported in part, and says so.
EXPORT_LIMIT = 10_000


@dataclass
class PeopleState:
    search: PeopleSearch | None = None  # what the rows answer (None: nothing asked yet)
    rows: list[PersonRow] = field(default_factory=list)
    has_more: bool = False
    loaded: bool = False  # the first page came (rows may still be empty: nobody matched)
    error: DataFastError | None = None
    stale_age: float | None = None  # seconds: the rows are the cache's, kept after a failed refresh
    cursor: int = 0

    def reset(self, search: PeopleSearch) -> None:
        self.search, self.rows, self.has_more, self.loaded = search, [], False, False
        self.error, self.stale_age, self.cursor = None, None, 0

    def current_for(self, search: PeopleSearch) -> bool:
        return self.search == search and self.loaded


async def load_first_page(state: PeopleState, store: AnalyticsStore, search: PeopleSearch, *,
                          refresh: bool, page_size: int = MAX_PEOPLE_LIMIT) -> None:
    """The first page for `search` into `state` (an error is kept in `state.error`)."""
    if state.search != search:
        state.reset(search)
    try:
        result = await store.people(search, limit=page_size, offset=0, refresh=refresh)
    except DataFastError as error:
        if state.search == search:
            state.error, state.loaded = error, state.loaded and bool(state.rows)
        return
    if state.search != search:
        return  # the search moved on while this page was on its way
    state.rows, state.has_more, state.loaded = list(result.value.rows), result.value.has_more, True
    state.error = result.error
    state.stale_age = result.age() if result.error is not None else None


async def load_next_page(state: PeopleState, store: AnalyticsStore, *, page_size: int = MAX_PEOPLE_LIMIT) -> bool:
    """The next page, appended; False when there is none or it failed (`state.error` says why)."""
    search = state.search
    if search is None or not state.has_more:
        return False
    offset = len(state.rows)
    try:
        result = await store.people(search, limit=page_size, offset=offset)
    except DataFastError as error:
        if state.search == search:
            state.error = error
        return False
    if state.search != search or len(state.rows) != offset:
        return False  # a new search, or another page landed first
    state.rows.extend(result.value.rows)
    state.has_more = result.value.has_more and bool(result.value.rows)
    state.error = None
    return True


async def gather_for_export(state: PeopleState, store: AnalyticsStore, *, limit: int = EXPORT_LIMIT,
                            page_size: int = MAX_PEOPLE_LIMIT) -> bool:
    """Page on until every row (up to `limit`) is loaded; True when all of them are."""
    while state.has_more and len(state.rows) < limit:
        if not await load_next_page(state, store, page_size=page_size):
            break
    return not state.has_more
