"""The Realtime screen (`3`): the live count, active visitors, events and payments as they happen.

It polls on its own schedule: one poll = the live count + the realtime map (2 requests), and
the next poll is armed with a one-shot timer only after the current one finished, so polls
never overlap. Polling stops while the screen is hidden or paused and starts again at once
when it is shown. The app's date range and filters do not apply (the API ignores them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from datafast_tui.api.query import Query
from datafast_tui.data.outcome import part
from datafast_tui.data.realtime_feed import (
    HISTORY_LIMIT,
    FeedHistory,
    PollOutcome,
    RealtimeFeed,
    event_key,
    payment_key,
)
from datafast_tui.data.realtime_schedule import PollSchedule, interval_text
from datafast_tui.quiet_work import work
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ContextSource, ScreenContext
from datafast_tui.screens.realtime_alerts import ALERT_COLUMNS, RealtimeAlerts
from datafast_tui.screens.realtime_status import (
    scope_text,
    status_content,
    trouble_text,
)
from datafast_tui.screens.realtime_view import (
    EVENT_COLUMNS,
    PAYMENT_COLUMNS,
    SORTS,
    RowMemo,
    VisitorCells,
    clock_time,
    customer,
    event_row,
    event_rows,
    payment_row,
    payment_rows,
    sort_visitors,
    visitor_columns,
    visitor_rows,
)
from datafast_tui.widgets.feed import LiveList, Row
from datafast_tui.widgets.kept_lines import KeptHorizontal, KeptVertical
from datafast_tui.widgets.line_text import LineText
from datafast_tui.widgets.live_count import LiveCount

if TYPE_CHECKING:
    from datafast_tui.data.store import AnalyticsStore
    from datafast_tui.screens import ScreenEntry

W = TypeVar("W", bound=Widget)


class RealtimeScreen(RealtimeAlerts, DataScreen):
    # Registry: uses_query=False (the API ignores range and filters here), owns_live_count=True
    # (this screen polls the count itself and posts it for the header).
    #: What has the focus when the screen opens (and gets it back when it was lost).
    AUTO_FOCUS = "#rt-visitors"

    BINDINGS = [
        Binding("p", "pause", "Pause", tooltip="Pause or resume live updates (no requests while paused)"),
        Binding("plus,equals_sign", "slower", "Slower",
                tooltip="Poll less often: the next longer interval (up to 5 min)"),
        Binding("minus", "faster", "Faster", tooltip="Poll more often: the next shorter interval (down to 2 s)"),
        Binding("r", "poll_now", "Poll now", tooltip="Poll now, even while paused (2 requests)"),
        Binding("s", "sort", "Sort", tooltip="Sort the active visitors by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False, tooltip="Reverse the active visitors' sort order"),
        Binding("a", "alert_log", "Alerts", tooltip="The alert log (traffic against its usual level, payments, "
                                                    "goals) in place of the payments; a again: back"),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.schedule = PollSchedule()
        self.feed = RealtimeFeed()
        self.sort_index = 0
        self.sort_reverse = False
        #: Polls finished since the screen opened (tests and the status line read it).
        self.polls = 0
        #: The delay the pending timer was armed with (None: no poll scheduled).
        self.next_delay: float | None = None
        self._store: AnalyticsStore | None = None
        self._timer: Timer | None = None
        self._in_flight = False
        self._active = False
        #: Per feed list: the history, its version and the zone its rows were built from, and the rows.
        self._feed_rows: dict[str, tuple[object, int, tzinfo, list[Row]]] = {}
        #: Per feed list: the row of each item, for the next build (only new items get one built).
        self._row_memos = {"events": RowMemo(event_row), "payments": RowMemo(payment_row)}
        self._visitor_cells = VisitorCells()
        self._trouble: str | None = None
        self._found: dict[str, Widget] = {}  # see _one
        self._pass_context: ScreenContext | None = None  # see _drawing

    def _one(self, selector: str, kind: type[W]) -> W:
        """`query_one`, remembered: this screen's widgets stay for its life, and a poll looked up
        a dozen of them, each lookup a walk of the DOM (6% of a poll's CPU, measured)."""
        widget = self._found.get(selector)
        if widget is None:
            widget = self._found[selector] = self.query_one(selector, kind)
        return cast("W", widget)

    @property
    def context(self) -> ScreenContext | None:
        """The app's context; while a poll draws, the one read when it began (see `_drawing`)."""
        return self._pass_context if self._pass_context is not None else super().context

    @contextmanager
    def _drawing(self, context: ScreenContext | None = None) -> Iterator[None]:
        """Draw with one context: a poll's drawing asked the app for it eight times, and each
        answer is a new object built from ten reactives (4% of a poll's CPU, measured)."""
        outer = self._pass_context
        self._pass_context = outer or context or super().context
        try:
            yield
        finally:
            self._pass_context = outer

    def compose_body(self) -> ComposeResult:
        yield LineText("", id="rt-scope")
        with KeptHorizontal(id="rt-top"):
            yield LiveCount(id="rt-count")
            yield LineText("", id="rt-status")
        # The lists in a box of their own: Textual repaints every widget whose container overlaps a
        # changed line, so lists directly on the screen were repainted with each header or status change.
        with KeptVertical(id="rt-lists"):
            yield LineText("", id="rt-visitors-title")
            yield LiveList(visitor_columns(True), empty="waiting for the first poll…", id="rt-visitors",
                           on_choose=self._open_row)
            with KeptHorizontal(id="rt-feeds"):
                with KeptVertical(id="rt-events-box"):
                    yield LineText("", id="rt-events-title")
                    yield LiveList(EVENT_COLUMNS, empty="waiting for the first poll…", id="rt-events",
                                   on_choose=self._open_row)
                with KeptVertical(id="rt-payments-box"):
                    yield LineText("", id="rt-payments-title")
                    yield LiveList(PAYMENT_COLUMNS, empty="waiting for the first poll…", id="rt-payments")
                with KeptVertical(id="rt-alerts-box"):
                    yield LineText("", id="rt-alerts-title")
                    yield LiveList(ALERT_COLUMNS, empty="no alerts yet", id="rt-alerts")

    def on_mount(self) -> None:
        self.schedule.interval = cast("ContextSource", self.app).settings.config.realtime.interval
        self._setup_alerts()
        self.watch(self.app, "query", lambda _: self._draw_scope())
        self._draw_all(PollOutcome())
        self._draw_alerts()

    # What is drawn is in the site's zone and by the app's clock; before a store is open, UTC and now.

    def _zone(self) -> tzinfo:
        context = self.context
        return context.zone if context is not None else timezone.utc

    def _now(self) -> datetime:
        context = self.context
        return context.now() if context is not None else datetime.now(timezone.utc)

    def _query(self) -> Query:
        """The app's query, only to say which of it this screen ignores."""
        context = self.context
        return context.query if context is not None else cast("ContextSource", self.app).query

    def on_resize(self) -> None:
        self.set_class(self.size.height < 30, "short")
        self.set_class(self.size.width < 100, "narrow")
        self._draw_status()  # its wording depends on the width

    # -- when to poll ---------------------------------------------------------------------

    @property
    def poll_timer(self) -> Timer | None:
        """The pending one-shot timer of the next poll, if any."""
        return self._timer

    def on_screen_resume(self) -> None:
        self._active = True
        if not self.schedule.paused:
            self.poll_now()

    def on_screen_suspend(self) -> None:
        self._active = False
        self._cancel_timer()

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        if context.store is not self._store:
            self._use_store(context.store)
            self.poll_now()  # a new site: show its data even when paused
        elif not self.schedule.paused:
            self.poll_now()

    def reload(self, *, refresh: bool = True) -> None:
        """The app's periodic refresh: nothing to do, this screen keeps its own schedule (`r` polls now)."""

    def _use_store(self, store: AnalyticsStore) -> None:
        self._store = store
        self.feed = RealtimeFeed()
        self._reset_alerts()
        self._draw_all(PollOutcome())

    def poll_now(self) -> None:
        """Poll at once (unless a poll is running); the next one is scheduled when it ends."""
        self._cancel_timer()
        context = self.context
        if self._in_flight or context is None:
            return
        self._in_flight = True
        self._poll(context)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self.next_delay = None, None

    def _schedule_next(self) -> None:
        if not self._active or self.schedule.paused or self._in_flight or not self.is_mounted:
            return
        self._cancel_timer()
        self.next_delay = self.schedule.next_delay()
        self._timer = self.set_timer(self.next_delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer, self.next_delay = None, None
        if self._active and not self.schedule.paused:
            self.poll_now()

    @work(exclusive=True, group="realtime", exit_on_error=False)
    async def _poll(self, context: ScreenContext) -> None:
        site_changed = False
        try:
            store = context.store
            if store is not self._store:
                self._use_store(store)
            count, live = await asyncio.gather(part(store.realtime(refresh=True)),
                                               part(store.realtime_map(refresh=True)))
            now = self.context
            if now is None or store is not now.store:
                site_changed = True  # another site was opened while we waited: its answer is not news here
                return
            with self._drawing(now):
                outcome = self.feed.apply(count, live, now.now())
                if outcome.problem is None:
                    self.schedule.succeeded()
                else:
                    self.schedule.failed(outcome.problem)
                if count.problem is None and self.feed.count is not None:
                    cast("ContextSource", self.app).show_live_count(self.feed.count)
                self.polls += 1
                if count.problem is None:
                    self._watch_traffic(now)
                self._draw_all(outcome, status=False)  # drawn below, with the next delay
                if not outcome.first:  # what was there when the screen opened is the starting point, not news
                    self._announce_sales(outcome.new_payments, outcome.new_goals, now)
        finally:
            self._in_flight = False
            if site_changed:
                self.poll_now()
            else:
                self._schedule_next()
                with self._drawing():
                    self._draw_status()  # "next try in ..." needs the delay just chosen

    # -- drawing --------------------------------------------------------------------------

    def _draw_all(self, outcome: PollOutcome, *, status: bool = True) -> None:
        self._draw_scope()
        self._draw_count()
        feed, zone = self.feed, self._zone()
        live_map = feed.live_map
        visitors_list = self._one("#rt-visitors", LiveList)
        if live_map is not None:
            visitors_list.set_empty("no visitors in the last 10 minutes")
        self._draw_visitors(outcome.new_visitors)
        events = self._one("#rt-events", LiveList)
        payments = self._one("#rt-payments", LiveList)
        if live_map is not None:
            events.set_empty("no pageviews or goals in the last 10 minutes")
            payments.set_empty("none in the last 10 minutes")
        new_events = set() if outcome.first else {event_key(e) for e in outcome.new_events}
        new_payments = set() if outcome.first else {payment_key(p) for p in outcome.new_payments}
        events.set_rows(self._rows("events", feed.events, event_rows, zone), fresh=new_events)
        payments.set_rows(self._rows("payments", feed.payments, payment_rows, zone), fresh=new_payments)
        self._title("#rt-events-title", "Events", f"{len(feed.events)} kept (up to {HISTORY_LIMIT})",
                    "pageviews and goals, newest first")
        self._title("#rt-payments-title", "Payments", f"{len(feed.payments)} kept", "newest first · a alerts")
        if status:
            self._draw_status()

    def _draw_count(self) -> None:
        feed, zone = self.feed, self._zone()
        started = "no data yet"
        if feed.started and feed.counts:
            # Minutes are enough here, and the usual level before it needs the room at 120 columns.
            started = f"since {clock_time(feed.started, zone)[:5]} · low {min(feed.counts)} · high {max(feed.counts)}"
        widget = self._one("#rt-count", LiveCount)
        widget.show(feed.count, list(feed.counts), self.usual_text() + started, stale=self.schedule.failures > 0)
        widget.set_class(self.traffic.state != "usual", "alerting")

    def _rows(self, name: str, history: FeedHistory[Any],
              build: Callable[[FeedHistory[Any], tzinfo, RowMemo], list[Row]], zone: tzinfo) -> list[Row]:
        """The rows of a feed (up to HISTORY_LIMIT), built again only when the feed changed."""
        built = self._feed_rows.get(name)
        if built is not None and built[0] is history and built[1] == history.version and built[2] == zone:
            return built[3]
        rows = build(history, zone, self._row_memos[name])
        self._feed_rows[name] = (history, history.version, zone, rows)
        return rows

    def _draw_visitors(self, fresh: frozenset[str] = frozenset()) -> None:
        live_map = self.feed.live_map
        sort = SORTS[self.sort_index]
        visitors = sort_visitors(live_map.visitors, sort, self.sort_reverse) if live_map is not None else []
        widget = self._one("#rt-visitors", LiveList)
        if live_map is not None:
            widget.set_columns(visitor_columns(live_map.has_conversion_predictions,
                                               any(customer(v) for v in live_map.visitors)))
        titles = [c.title for c in widget.columns]
        widget.sort_column = titles.index(sort.column) if sort.column in titles else None
        widget.sort_reverse = self.sort_reverse
        widget.set_rows(visitor_rows(visitors, self._now(), list(widget.columns), self._visitor_cells), fresh=fresh)
        direction = " (reversed)" if self.sort_reverse else ""
        count = f"{live_map.count}" if live_map is not None else "–"
        self._title("#rt-visitors-title", "Active visitors", f"{count} in the last 10 minutes",
                    f"sorted by {sort.name}{direction} · s sort · S reverse · ⏎ open")

    def _title(self, selector: str, title: str, detail: str, hint: str) -> None:
        self._put(selector, Content.assemble(
            (title, "bold $text-accent"), (f"  {detail}", "$text-muted"), (f"   {hint}", "$text-muted")))

    def _put(self, selector: str, content: Content) -> None:
        """Show `content` in one of the screen's texts. They are LineTexts: every poll rewrites
        most of them, and a LineText repaints only the lines that changed, without a layout
        pass (see benchmarks/bench_realtime_cpu.py)."""
        self._one(selector, LineText).update(content)

    def _draw_scope(self) -> None:
        self._put("#rt-scope", scope_text(self._query()))

    def _draw_status(self) -> None:
        if not self.is_mounted:
            return
        zone = self._zone()
        context = self.context
        server = context.store.server_budget if context is not None else None
        self._put("#rt-status", status_content(self.schedule, self.feed, zone, self.next_delay,
                                               narrow=self.size.width < 100, server=server,
                                               now=time.time()))
        trouble = trouble_text(self.schedule, self.feed, zone, self.next_delay)
        if trouble == self._trouble:
            return
        self._trouble = trouble
        if trouble is None:
            self.message.clear()
        else:
            self.message.update(trouble)
            self.message.set_classes("error")

    # -- actions --------------------------------------------------------------------------

    def action_pause(self) -> None:
        # No toast: the status box turns to PAUSED at once, and toasts would cover the lists.
        if self.schedule.toggle_pause():
            self._cancel_timer()
        else:
            self.poll_now()
        self._draw_status()

    def _change_interval(self, changed: bool, limit: str) -> None:
        if not changed:
            self.notify(f"The interval is already the {limit} ({interval_text(self.schedule.interval)})",
                        severity="warning", timeout=3, markup=False)
            return
        if self._timer is not None:
            self._schedule_next()  # re-arm with the new interval, counted from now
        self._draw_status()  # the status box shows the new interval and its share of the budget

    def action_slower(self) -> None:
        self._change_interval(self.schedule.slower(), "longest")

    def action_faster(self) -> None:
        self._change_interval(self.schedule.faster(), "shortest")

    def action_poll_now(self) -> None:
        self.poll_now()

    def action_sort(self) -> None:
        shown = {c.title for c in self._one("#rt-visitors", LiveList).columns}
        for _ in SORTS:  # skip orders by a column not shown (no predictions, no customers)
            self.sort_index = (self.sort_index + 1) % len(SORTS)
            column = SORTS[self.sort_index].column
            if column is None or column in shown:
                break
        self._draw_visitors()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._draw_visitors()

    def _open_row(self, row: Row) -> None:
        """Enter on a visitor or an event: that visitor, in the Visitor screen."""
        cast("ContextSource", self.app).open_visitor(str(row.data))
