"""The Overview screen (`1`): KPI cards with trends and changes, the time-series chart, top tables."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from datafast_tui.api.catalogue import INTERVALS, breakdown_spec
from datafast_tui.api.errors import BadRequestError, DataFastError
from datafast_tui.api.models import Breakdown
from datafast_tui.api.query import Query
from datafast_tui.data.kpis import METRICS, METRICS_BY_NAME, format_value, kpi_change
from datafast_tui.data.outcome import Part
from datafast_tui.data.overview import (
    SERIES_TRENDS,
    TOP_TABLES,
    TREND_BUDGET_RESERVE,
    TREND_METRICS,
    OverviewData,
    default_interval,
    interval_allowed,
    load_overview,
    load_tops,
    load_trends,
    trend_ranges,
)
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.quiet_work import work
from datafast_tui.screens import ScreenEntry
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ScreenContext
from datafast_tui.screens.overview_view import (
    CHART_METRICS,
    chart_data,
    panel_problem,
    series_for,
    top_rows,
)
from datafast_tui.widgets.chart import ChartData, TimeChart
from datafast_tui.widgets.kpi import KpiCard
from datafast_tui.widgets.top_table import TopTable

#: Terminal heights: below TALL_ENOUGH_FOR_TABLES the top tables show three rows, from
#: ROOM_FOR_TEN ten, below TOO_SHORT_FOR_TABLES none (the chart needs the rows).
TALL_ENOUGH_FOR_TABLES = 30
ROOM_FOR_TEN = 45
TOO_SHORT_FOR_TABLES = 20
#: Seconds before trends skipped for want of budget are tried again (the window slides).
TREND_RETRY = 15.0


class OverviewScreen(DataScreen):
    #: What has the focus when the screen opens (and gets it back when it was lost).
    AUTO_FOCUS = "#top-pages"

    BINDINGS = [
        Binding("m", "next_metric(1)", "Metric", tooltip="Chart the next metric"),
        Binding("M", "next_metric(-1)", "Previous metric", show=False, tooltip="Chart the previous metric"),
        Binding("i", "next_interval", "Interval", tooltip="Chart interval: hour, day, week, month"),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.metric = CHART_METRICS[0]
        self.interval_choice: str | None = None  # None: the default for the range
        #: What is drawn: the data (parts as they landed) and the context it was loaded with.
        self.shown: tuple[OverviewData, ScreenContext] | None = None
        #: The (store, query, interval) the last load was for: only its answers are drawn. The
        #: store too: after a site switch the same query asks another site.
        self._wanted: tuple[AnalyticsStore, Query, str] | None = None
        #: Trends of the metrics without a series of their own, and the store and query they are for.
        self._trends: tuple[AnalyticsStore, Query, dict[str, list[float]]] | None = None

    @property
    def data(self) -> OverviewData | None:
        return self.shown[0] if self.shown is not None else None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="kpis"):
            for metric in METRICS:
                yield KpiCard(metric.name, metric.title)
        yield Static("", id="chart-title")
        yield TimeChart(id="chart")
        with Horizontal(id="tops"):
            for name in TOP_TABLES:
                yield TopTable(f"Top {breakdown_spec(name).title.lower()}", id=f"top-{name}")

    # -- state ----------------------------------------------------------------------------

    @property
    def interval(self) -> str:
        """The chart's interval for the app's query now."""
        context = self.context
        return self.interval_for(context.query if context is not None else Query())

    def interval_for(self, query: Query) -> str:
        """The chart's interval for `query`: the one chosen with `i` when it suits the range."""
        rng = query.range
        if self.interval_choice and interval_allowed(self.interval_choice, rng):
            return self.interval_choice
        return default_interval(rng)

    def load_key(self, context: ScreenContext) -> Hashable:
        return (super().load_key(context), self.interval_for(context.query))

    @property
    def tops_shown(self) -> bool:
        return not self.has_class("tiny")

    def on_resize(self) -> None:
        tops_were_shown = self.tops_shown
        height = self.size.height
        self.set_class(height < TALL_ENOUGH_FOR_TABLES, "short")
        self.set_class(height >= ROOM_FOR_TEN, "tall")
        self.set_class(height < TOO_SHORT_FOR_TABLES, "tiny")
        self.set_class(self.size.width < 100, "narrow")
        if self.shown is not None:
            data, context = self.shown
            self._show_kpis(data, context)
            self._update_chart_title(context.query)
            if self.tops_shown and not tops_were_shown and any(not p.landed for p in data.tops.values()):
                self._load_tops(context)  # they were not fetched while there was no room for them

    # -- loading --------------------------------------------------------------------------

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        interval = self.interval_for(context.query)
        self._wanted = (context.store, context.query, interval)
        shown_elsewhere = self.shown is not None and not self.shown[1].store.same_data_as(context.store)
        if self.data is None or shown_elsewhere or not self.data.answers(context.query, interval):
            self._show_loading(context)  # never the last query's (or site's) numbers under this header
        self._update_chart_title(context.query)
        self._load(context, refresh)

    def _landed(self, context: ScreenContext, name: str, data: OverviewData) -> None:
        """A part of the data arrived: drawn only if it answers the last query asked."""
        if self._wanted != (context.store, data.query, data.interval):
            return
        self.shown = (data, context)
        if name in ("overview", "previous"):
            self._show_kpis(data, context)
        elif name == "series":
            self._show_kpis(data, context)
            # The chart and the tables a frame after the KPIs: when all land at once (the kept
            # numbers at start), the numbers people look at first are not held back by them.
            self.call_after_refresh(lambda: self._draw_chart() if self.is_mounted else None)
        elif name.startswith("top:"):
            top = name[4:]
            self.call_after_refresh(lambda: self._draw_top_if_current(context, data, top))

    @work(exclusive=True, group="overview", exit_on_error=False)
    async def _load(self, context: ScreenContext, refresh: bool) -> None:
        store, query, interval = context.store, context.query, self.interval_for(context.query)
        data = await load_overview(store, query, interval, context.zone, refresh=refresh,
                                   tops=TOP_TABLES if self.tops_shown else (),
                                   on_part=lambda name, d: self._landed(context, name, d),
                                   today=context.today())
        if self._wanted != (store, query, interval):
            return
        self._show_problems(data)
        await self._load_trend_overviews(context, data)

    @work(exclusive=True, group="overview-tops", exit_on_error=False)
    async def _load_tops(self, context: ScreenContext) -> None:
        for name in TOP_TABLES:
            self._draw_top(name, Part())
        await load_tops(context.store, context.query, TOP_TABLES,
                        on_part=lambda name, outcome: self._landed_top(context, name, outcome))

    def _landed_top(self, context: ScreenContext, name: str, outcome: Part[Breakdown]) -> None:
        if self.shown is None or not self._wants(context):
            return
        data, shown_context = self.shown
        data = replace(data, tops={**data.tops, name: outcome})
        self.shown = (data, shown_context)
        self._draw_top(name, outcome)

    async def _load_trend_overviews(self, context: ScreenContext, data: OverviewData) -> None:
        """The sparklines of bounce rate and session duration: one overview per part of the range.

        They cost up to six requests, so they come after everything else, only when the
        request budget has room for them, and from the cache when it has them.
        """
        query = context.query
        if self._trends is not None and self._trends[:2] == (context.store, query):
            self._show_trends(self._trends[2])
            return
        first_day = None
        if data.series.value is not None and data.series.value.points:
            first_day = data.series.value.points[0].timestamp.astimezone(context.zone).date()
        ranges = trend_ranges(query.range, context.today(), first_day)
        if len(ranges) > context.store.budget_room() - TREND_BUDGET_RESERVE:
            self._show_trends({})  # no room now: no trend rather than the live count waiting
            if len(ranges) <= context.store.client.rate_limiter.max_requests - TREND_BUDGET_RESERVE:
                # The window frees up as it slides: try again then, if this is still the query.
                self.set_timer(TREND_RETRY, lambda: self._retry_trends(context, data))
            return
        trends = await load_trends(context.store, query, ranges)
        if self._wanted is not None and self._wanted[:2] == (context.store, query):
            self._trends = (context.store, query, trends)
            self._show_trends(trends)

    def _wants(self, context: ScreenContext) -> bool:
        """Whether `context` is still the load the screen waits for (its query and chart interval)."""
        return self._wanted == (context.store, context.query, self.interval_for(context.query))

    def _retry_trends(self, context: ScreenContext, data: OverviewData) -> None:
        if self.is_mounted and self._wants(context):
            self._trends_worker(context, data)

    @work(exclusive=True, group="overview-trends", exit_on_error=False)
    async def _trends_worker(self, context: ScreenContext, data: OverviewData) -> None:
        await self._load_trend_overviews(context, data)

    # -- drawing --------------------------------------------------------------------------

    def _show_loading(self, context: ScreenContext) -> None:
        """What was shown answers another query: every panel says it is loading, at once."""
        for card in self.query(KpiCard):
            card.show_loading()
        chart = self.query_one(TimeChart)
        chart.update_data(ChartData((), (), message="loading…"))
        for name in TOP_TABLES:
            self._draw_top(name, Part())
        if self.shown is not None:
            self.shown = None

    def _show_problems(self, data: OverviewData) -> None:
        problem = data.overview.problem or data.series.problem
        self.report(problem)
        # Parts served from the cache after a failure (the top tables too): say how old they are.
        stale = [p.result for p in (data.overview, data.series, *data.tops.values())
                 if p.result is not None and p.result.stale]
        problem = problem or next((r.error for r in stale), None)
        if problem is not None and not isinstance(problem, BadRequestError):
            self.message.show_error(problem, age=max((r.age() for r in stale), default=None))
        else:
            self.message.clear()  # a 400 is shown in the query bar, beside the filters that caused it

    def _draw_top_if_current(self, context: ScreenContext, data: OverviewData, name: str) -> None:
        """Draw a top table that landed a frame ago, if its load is still the one wanted."""
        if self.is_mounted and self._wanted == (context.store, data.query, data.interval):
            self._draw_top(name, data.tops[name])

    def _draw_top(self, name: str, outcome: Part[Breakdown]) -> None:
        table = self.query_one(f"#top-{name}", TopTable)
        if outcome.value is not None:
            table.show_rows(top_rows(name, outcome.value))
        elif outcome.error is not None:
            table.show_message(panel_problem(outcome.error))
        else:
            table.show_message("loading…")

    def _show_kpis(self, data: OverviewData, context: ScreenContext) -> None:
        overview = data.overview.value
        previous = data.previous.value if data.previous is not None else None
        comparing = data.previous is not None and not data.previous.landed
        currency = context.currency
        narrow = self.size.width < 100
        series = data.series.value
        for metric in METRICS:
            card = self.query_one(f"#kpi-{metric.name}", KpiCard)
            card.query_one(".name", Static).update(metric.short if narrow else metric.title)
            if not data.overview.landed:
                card.show_loading()
                continue
            if overview is None:
                card.show("–", None, data.query.compare, narrow=narrow)
                continue
            value = format_value(metric, overview.metric(metric.name), currency, narrow=narrow)
            card.show(value, kpi_change(metric, overview, previous), data.query.compare, pending=comparing,
                      stale=data.overview.result is not None and data.overview.result.stale, narrow=narrow)
            if metric.name in SERIES_TRENDS and data.series.landed:
                card.show_trend(series_for(metric.name, series) if series is not None else None)
        for card in self.query(KpiCard):
            card.set_class(card.metric == self.metric, "selected")

    def _show_trends(self, trends: dict[str, list[float]]) -> None:
        for name in TREND_METRICS:
            self.query_one(f"#kpi-{name}", KpiCard).show_trend(trends.get(name))

    def _draw_chart(self) -> None:
        if self.shown is not None:
            data, context = self.shown
            chart = self.query_one(TimeChart)
            series = data.series.value
            if not data.series.landed:
                chart.update_data(ChartData((), (), message="loading…"))
            elif series is None:
                error = data.series.error
                message = panel_problem(error) if isinstance(error, DataFastError) else "no data"
                chart.update_data(ChartData((), (), message=message))
            else:
                previous = data.previous_series.value if data.previous_series is not None else None
                chart.update_data(chart_data(self.metric, series, previous, data.interval,
                                             context.zone, context.currency, context.now()))
        shown = self.shown[1] if self.shown is not None else self.context  # the data's query, else the one loading
        if shown is not None:
            self._update_chart_title(shown.query)

    def _update_chart_title(self, query: Query) -> None:
        """The chart's heading for `query` (the one shown, or loading)."""
        title = METRICS_BY_NAME[self.metric].title
        compare = " vs previous period" if query.compare else ""
        heading = Content.styled(f"{title} by {self.interval_for(query)}{compare}", "bold")
        legend = self.query_one(TimeChart).legend()
        title = Content.assemble(heading, "   ", legend)
        data = self.shown[0] if self.shown is not None else None
        if query.compare and data is not None and data.query == query and data.series.landed \
                and data.previous_series is None:
            # Weeks or months with the request budget low: the deltas are there, the line is not.
            title = Content.assemble(title, ("previous period's line not fetched: request budget low (r)  ",
                                             "$text-warning"))
        hint = Content.styled("m: metric · i: interval", "$text-muted")
        # The hint goes first when the legend needs the room: m and i are in the footer too.
        if title.cell_length + hint.cell_length <= self.size.width - 2:
            title = Content.assemble(title, hint)
        self.query_one("#chart-title", Static).update(title)

    # -- actions --------------------------------------------------------------------------

    def action_next_metric(self, step: int) -> None:
        index = CHART_METRICS.index(self.metric)
        self.metric = CHART_METRICS[(index + step) % len(CHART_METRICS)]
        if self.shown is not None:
            self._show_kpis(*self.shown)
        self._draw_chart()

    def action_next_interval(self) -> None:
        context = self.context
        if context is None:
            return
        rng = context.query.range
        current = self.interval_for(context.query)
        for offset in range(1, len(INTERVALS) + 1):
            candidate = INTERVALS[(INTERVALS.index(current) + offset) % len(INTERVALS)]
            if interval_allowed(candidate, rng):
                self.interval_choice = candidate
                break
        self._update_chart_title(context.query)
        self._maybe_load()
