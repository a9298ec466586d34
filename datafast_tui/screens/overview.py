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
from datafast_tui.screens.base import DataScreen
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
    SCREEN_TITLE = "Overview"
    CSS_PATH = stylesheet("overview.tcss")

    BINDINGS = [
        Binding("m", "next_metric(1)", "Metric", tooltip="Chart the next metric"),
        Binding("M", "next_metric(-1)", "Previous metric", show=False, tooltip="Chart the previous metric"),
        Binding("i", "next_interval", "Interval", tooltip="Chart interval: hour, day, week, month"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.metric = CHART_METRICS[0]
        self.interval_choice: str | None = None  # None: the default for the range
        self.data: OverviewData | None = None

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
        rng = self.df_app.query.range
        if self.interval_choice and interval_allowed(self.interval_choice, rng):
            return self.interval_choice
        return default_interval(rng)

    def load_key(self) -> Hashable:
        return (super().load_key(), self.interval)

    def on_resize(self) -> None:
        self.set_class(self.size.height < TALL_ENOUGH_FOR_TABLES, "short")
        self.set_class(self.size.width < 100, "narrow")
        if self.data is not None:
            self._show_kpis(self.data)

    # -- loading --------------------------------------------------------------------------

    def load(self, *, refresh: bool) -> None:
        self._update_chart_title()
        self._load(refresh)

    @work(exclusive=True, group="overview", exit_on_error=False)
    async def _load(self, refresh: bool) -> None:
        store = self.df_app.store
        if store is None:
            return
        query, interval = self.df_app.query, self.interval
        everything = asyncio.ensure_future(load_overview(store, query, interval, refresh=refresh))
        try:
            # The KPI numbers first: the same request, coalesced by the store, paints them
            # as soon as it lands instead of waiting for the chart and the tables.
            first = await part(store.overview(query))
            if first.value is not None and self.data is None:
                self._show_kpis(OverviewData(query, interval, first, Part()))
            data = await everything
        finally:
            everything.cancel()
        self.data = data
        self._show(data)
        first_day = None
        if data.series.value is not None and data.series.value.points:
            first_day = data.series.value.points[0].timestamp.astimezone(self.df_app.site_zone).date()
        ranges = trend_ranges(query.range, self.df_app.today(), first_day)
        trends = await load_trends(store, query, ranges, refresh=refresh)
        for name in TREND_METRICS:
            self.query_one(f"#kpi-{name}", KpiCard).show_trend(trends.get(name))

    # -- drawing --------------------------------------------------------------------------

    def _show(self, data: OverviewData) -> None:
        problem = data.overview.problem or data.series.problem
        self.df_app.report_error(problem)
        # Parts served from the cache after a failure (the top tables too): say how old they are.
        stale = [p.result for p in (data.overview, data.series, *data.tops.values())
                 if p.result is not None and p.result.stale]
        problem = problem or next((r.error for r in stale), None)
        if problem is not None and not isinstance(problem, BadRequestError):
            self.message.show_error(problem, age=max((r.age() for r in stale), default=None))
        else:
            self.message.clear()  # a 400 is shown in the query bar, beside the filters that caused it
        self._show_kpis(data)
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

    def _show_kpis(self, data: OverviewData) -> None:
        overview = data.overview.value
        previous = data.previous.value if data.previous is not None else None
        currency = self.df_app.currency
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
        data = self.data
        if data is not None:
            chart = self.query_one(TimeChart)
            series = data.series.value
            if series is None:
                error = data.series.error
                message = f"{error.kind}: {error.message}" if isinstance(error, DataFastError) else "no data"
                chart.update_data(ChartData((), (), message=message))
            else:
                previous = data.previous_series.value if data.previous_series is not None else None
                chart.update_data(chart_data(self.metric, series, previous, data.interval,
                                             self.df_app.site_zone, self.df_app.currency))
        self._update_chart_title()

    def _update_chart_title(self) -> None:
        title = METRICS_BY_NAME[self.metric].title
        compare = " vs previous period" if self.df_app.query.compare else ""
        heading = Content.styled(f"{title} by {self.interval}{compare}", "bold")
        legend = self.query_one(TimeChart).legend()
        hint = Content.styled("m: metric · i: interval", "$text-muted")
        self.query_one("#chart-title", Static).update(Content.assemble(heading, "   ", legend, hint))

    # -- actions --------------------------------------------------------------------------

    def action_next_metric(self, step: int) -> None:
        index = CHART_METRICS.index(self.metric)
        self.metric = CHART_METRICS[(index + step) % len(CHART_METRICS)]
        if self.data is not None:
            self._show_kpis(self.data)
        self._draw_chart()

    def action_next_interval(self) -> None:
        rng = self.df_app.query.range
        current = self.interval
        for offset in range(1, len(INTERVALS) + 1):
            candidate = INTERVALS[(INTERVALS.index(current) + offset) % len(INTERVALS)]
            if interval_allowed(candidate, rng):
                self.interval_choice = candidate
                break
        self._update_chart_title()
        self._maybe_load()
