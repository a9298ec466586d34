"""The Funnels screen's plain state and the rules that load it.

The list of funnels is fetched once per store (it changes when someone edits a funnel in
the dashboard: `r` asks again); the report is fetched for the chosen funnel and the query
on screen, and with compare on, for the previous period too. A report that arrives for a
funnel or query no longer chosen is dropped.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from datafast_tui.api.errors import DataFastError
from datafast_tui.api.funnels import FunnelDefinition, FunnelReport
from datafast_tui.api.query import Query
from datafast_tui.data.store import AnalyticsStore


@dataclass
class FunnelsState:
    funnels: tuple[FunnelDefinition, ...] | None = None  # None: not listed (yet, or cannot be)
    list_error: DataFastError | None = None
    chosen: str | None = None  # the funnel id shown
    chosen_name: str = ""
    report: FunnelReport | None = None
    previous: FunnelReport | None = None  # the comparison period's, when compare is on
    report_for: tuple[str, Query] | None = None  # what `report` answers
    report_error: DataFastError | None = None
    stale_age: float | None = None

    def current_for(self, query: Query) -> bool:
        return self.chosen is not None and self.report_for == (self.chosen, query) and self.report is not None

    def choose(self, funnel_id: str, name: str = "") -> None:
        if funnel_id != self.chosen:
            self.chosen, self.chosen_name = funnel_id, name or funnel_id
            self.report = self.previous = self.report_for = None
            self.report_error = None


async def load_list(state: FunnelsState, store: AnalyticsStore, *, refresh: bool) -> None:
    try:
        result = await store.funnels(refresh=refresh)
    except DataFastError as error:
        state.list_error = error
        return
    state.funnels, state.list_error = result.value, result.error
    if state.chosen is None and result.value:
        first = result.value[0]
        state.choose(first.id, first.name)


async def load_report(state: FunnelsState, store: AnalyticsStore, query: Query, *, refresh: bool) -> None:
    funnel = state.chosen
    if funnel is None:
        return
    comparison = query.comparison() if query.compare else None
    try:
        if comparison is not None:
            now, before = await asyncio.gather(store.funnel_report(funnel, query, refresh=refresh),
                                               store.funnel_report(funnel, comparison, refresh=refresh))
        else:
            now, before = await store.funnel_report(funnel, query, refresh=refresh), None
    except DataFastError as error:
        if state.chosen == funnel:
            state.report_error = error
            if state.report_for != (funnel, query):
                state.report = state.previous = None
        return
    if state.chosen != funnel:
        return  # another funnel was chosen while this one loaded
    state.report, state.previous = now.value, before.value if before is not None else None
    state.report_for, state.report_error = (funnel, query), now.error
    state.stale_age = now.age() if now.error is not None else None
    if now.value.name:
        state.chosen_name = now.value.name
