"""The Overview screen (`1`): KPI cards with trends and changes, the time-series chart, top tables."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from datafast_tui.api.catalogue import INTERVALS, breakdown_spec
from datafast_tui.api.errors import BadRequestError, DataFastError
from datafast_tui.api.query import Query
from datafast_tui.data.outcome import Part, part
from datafast_tui.data.overview import (
    TOP_TABLES,
    TREND_METRICS,
    OverviewData,
    default_interval,
    interval_allowed,
    load_overview,
    load_trends,
    trend_ranges,
)
from datafast_tui.resources import stylesheet
from datafast_tui.screens import ScreenEntry
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ScreenContext
from datafast_tui.screens.overview_view import (
    CHART_METRICS,
    METRICS,
    METRICS_BY_NAME,
    chart_data,
    format_value,
    kpi_change,
    series_for,
    top_rows,
)
from datafast_tui.widgets.chart import ChartData, TimeChart
from datafast_tui.widgets.kpi import KpiCard
from datafast_tui.widgets.top_table import TopTable

#: Below this height the top tables give their room to the chart.
TALL_ENOUGH_FOR_TABLES = 30


class OverviewScreen(DataScreen):
    CSS_PATH = stylesheet("overview.tcss")

    BINDINGS = [
        Binding("m", "next_metric(1)", "Metric", tooltip="Chart the next metric"),
        Binding("M", "next_metric(-1)", "Previous metric", show=False, tooltip="Chart the previous metric"),
        Binding("i", "next_interval", "Interval", tooltip="Chart interval: hour, day, week, month"),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.metric = CHART_METRICS[0]
        self.interval_choice: str | None = None  # None: the default for the range
        self.data: OverviewData | None = None
        self.data_context: ScreenContext | None = None  # what `data` was loaded with

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

    def on_resize(self) -> None:
        self.set_class(self.size.height < TALL_ENOUGH_FOR_TABLES, "short")
        self.set_class(self.size.width < 100, "narrow")
        if self.data is not None and self.data_context is not None:
            self._show_kpis(self.data, self.data_context)

    # -- loading --------------------------------------------------------------------------

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        self._update_chart_title(context.query)
        self._load(context, refresh)

    @work(exclusive=True, group="overview", exit_on_error=False)
    async def _load(self, context: ScreenContext, refresh: bool) -> None:
        store, query, interval = context.store, context.query, self.interval_for(context.query)
        everything = asyncio.ensure_future(load_overview(store, query, interval, refresh=refresh))
        try:
            # The KPI numbers first: the same request, coalesced by the store, paints them
            # as soon as it lands instead of waiting for the chart and the tables.
            first = await part(store.overview(query))
            if first.value is not None and self.data is None:
                self._show_kpis(OverviewData(query, interval, first, Part()), context)
            data = await everything
        finally:
            everything.cancel()
        self.data, self.data_context = data, context
        self._show(data, context)
        first_day = None
        if data.series.value is not None and data.series.value.points:
            first_day = data.series.value.points[0].timestamp.astimezone(context.zone).date()
        ranges = trend_ranges(query.range, context.today(), first_day)
        trends = await load_trends(store, query, ranges, refresh=refresh)
        for name in TREND_METRICS:
            self.query_one(f"#kpi-{name}", KpiCard).show_trend(trends.get(name))

    # -- drawing --------------------------------------------------------------------------

    def _show(self, data: OverviewData, context: ScreenContext) -> None:
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
        self._show_kpis(data, context)
        self._draw_chart()
        for name in TOP_TABLES:
            table = self.query_one(f"#top-{name}", TopTable)
            outcome = data.tops.get(name)
            if outcome is None:
                continue
            if outcome.value is not None:
                table.show_rows(top_rows(name, outcome.value))
            elif outcome.error is not None:
                table.show_message(f"{outcome.error.kind}: {outcome.error.message}")

    def _show_kpis(self, data: OverviewData, context: ScreenContext) -> None:
        overview = data.overview.value
        previous = data.previous.value if data.previous is not None else None
        currency = context.currency
        narrow = self.size.width < 100
        series = data.series.value
        for metric in METRICS:
            card = self.query_one(f"#kpi-{metric.name}", KpiCard)
            card.query_one(".name", Static).update(metric.short if narrow else metric.title)
            if overview is None:
                card.show("–", None, data.query.compare, narrow=narrow)
                continue
            value = format_value(metric, overview.metric(metric.name), currency, narrow=narrow)
            card.show(value, kpi_change(metric, overview, previous), data.query.compare,
                      stale=data.overview.result is not None and data.overview.result.stale, narrow=narrow)
            if metric.name in CHART_METRICS:
                card.show_trend(series_for(metric.name, series) if series is not None else None)
        for card in self.query(KpiCard):
            card.set_class(card.metric == self.metric, "selected")

    def _draw_chart(self) -> None:
        data, context = self.data, self.data_context
        if data is not None and context is not None:
            chart = self.query_one(TimeChart)
            series = data.series.value
            if series is None:
                error = data.series.error
                message = f"{error.kind}: {error.message}" if isinstance(error, DataFastError) else "no data"
                chart.update_data(ChartData((), (), message=message))
            else:
                previous = data.previous_series.value if data.previous_series is not None else None
                chart.update_data(chart_data(self.metric, series, previous, data.interval,
                                             context.zone, context.currency))
        shown = context or self.context  # the query of the data shown, else the one loading
        if shown is not None:
            self._update_chart_title(shown.query)

    def _update_chart_title(self, query: Query) -> None:
        """The chart's heading for `query` (the one shown, or loading)."""
        title = METRICS_BY_NAME[self.metric].title
        compare = " vs previous period" if query.compare else ""
        heading = Content.styled(f"{title} by {self.interval_for(query)}{compare}", "bold")
        legend = self.query_one(TimeChart).legend()
        hint = Content.styled("m: metric · i: interval", "$text-muted")
        self.query_one("#chart-title", Static).update(Content.assemble(heading, "   ", legend, hint))

    # -- actions --------------------------------------------------------------------------

    def action_next_metric(self, step: int) -> None:
        index = CHART_METRICS.index(self.metric)
        self.metric = CHART_METRICS[(index + step) % len(CHART_METRICS)]
        if self.data is not None and self.data_context is not None:
            self._show_kpis(self.data, self.data_context)
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
