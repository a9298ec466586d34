"""The Visitor screen (`4`): one visitor's identity, activity timeline and prediction, and write actions.

A visitor is opened by id (`o`, paste works), from the pick list of recent and active
visitors, from another screen (app.open_visitor) or with `--visitor ID`. The write actions
(goal, payment, deletions) each open a form dialog; after a write the app's data generation
is bumped (the DataWritten message), so this screen and any other visible one reload.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, Static

from datafast_tui.api.errors import DataFastError, QueryError
from datafast_tui.api.models_visitor import Visitor
from datafast_tui.api.visitor_ids import visitor_id_problem
from datafast_tui.data.recent_visitors import RecentVisitors
from datafast_tui.data.visitor_facts import realtime_label, summary, timeline
from datafast_tui.data.write_forms import normalize_visitor_id
from datafast_tui.dialogs.delete import DeleteGoalsDialog, DeletePaymentsDialog
from datafast_tui.dialogs.goal import GoalDialog
from datafast_tui.dialogs.payment import PaymentDialog
from datafast_tui.dialogs.visitor_lookup import VisitorLookup
from datafast_tui.dialogs.write import WriteDialog
from datafast_tui.messages import DataWritten
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean, escape_markup
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ContextSource, ScreenContext
from datafast_tui.screens.visitor_view import (
    activity_content,
    customer_content,
    error_content,
    identity_content,
    prediction_content,
    timeline_layout,
    title_content,
)
from datafast_tui.widgets.timeline_table import TimelineTable
from datafast_tui.widgets.visitor_picks import Pick, VisitorPicks

if TYPE_CHECKING:
    from datafast_tui.screens import ScreenEntry

INTRO = ("Look up one visitor: everything DataFast knows about them, and actions on them.\n"
         "o: type or paste a visitor id · or pick one below (Enter) · n p x X: goal, payment, deletions")


TIMELINE_COLUMNS = ("When", "Kind", "Page or goal")
#: The newest entries shown: a DataTable measures every cell, ~140 ms per 1,000 rows
#: (benchmarks/bench_visitor.py); older ones are counted in the title.
TIMELINE_LIMIT = 1000
#: Below this width one side shows at a time (i switches).
NARROW = 100


class VisitorScreen(DataScreen):
    #: What has the focus when the screen opens (and gets it back when it was lost).
    AUTO_FOCUS = "#visitor-picks, #timeline"

    BINDINGS = [
        Binding("o", "lookup", "Open", tooltip="Open a visitor: type or paste an id, or pick one"),
        Binding("n", "new_goal", "Goal", tooltip="Create a custom goal for this visitor"),
        Binding("p", "new_payment", "Payment", tooltip="Record a payment (attributed to this visitor)"),
        Binding("x", "delete_goals", "Del goals", tooltip="Delete goals by visitor, name or time range"),
        Binding("X", "delete_payments", "Del payments",
                tooltip="Delete payments by transaction id, visitor or time range"),
        Binding("y", "copy_id", "Copy id", show=False, tooltip="Copy the visitor id to the clipboard"),
        Binding("i", "toggle_side", "Swap view", tooltip="Swap identity/prediction and activity/timeline"),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.visitor_id: str | None = None
        self.visitor: Visitor | None = None  # the visitor on screen (None: the start pane is shown)
        self.notice: str | None = None  # the last write's outcome, shown until another visitor is opened
        self._recent: RecentVisitors | None = None
        self._drawn_id: str | None = None  # whose timeline the table shows
        self._timeline_width = 0  # the width its columns were laid out for
        self._visitor_context: ScreenContext | None = None  # what `visitor` was loaded with

    def compose_body(self) -> ComposeResult:
        yield Static("", id="visitor-title")
        with ContentSwitcher(initial="visitor-start", id="visitor-switch"):
            with Vertical(id="visitor-start"):
                yield Static(Content.styled(INTRO, "$text-muted"), id="visitor-intro")
                yield VisitorPicks(id="visitor-picks")
            with Horizontal(id="visitor-panels"):
                with VerticalScroll(id="visitor-left"):
                    yield Static("", id="identity", classes="panel")
                    yield Static("", id="customer", classes="panel")
                    yield Static("", id="prediction", classes="panel")
                with Vertical(id="visitor-right"):
                    yield Static("", id="activity", classes="panel")
                    yield TimelineTable(id="timeline", cursor_type="row", zebra_stripes=True)

    # -- opening a visitor ----------------------------------------------------------------

    def on_mount(self) -> None:
        # DataScreen.on_mount runs after this one (Textual calls each class's handler).
        self.query_one("#identity").border_title = "Identity"
        self.query_one("#customer").border_title = "Profile & payments"
        self.query_one("#prediction").border_title = "Prediction"
        self.query_one("#activity").border_title = "Activity"
        self.query_one("#visitor-picks").border_title = "Pick a visitor · Enter opens"
        table = self.query_one(TimelineTable)
        table.border_title = "Timeline · newest first"
        self._show_title()
        self.watch(self.app, "requested_visitor", self._on_requested)

    def _on_requested(self, _: str | None) -> None:
        # Taken, so that the same id may be asked for again later.
        visitor_id = cast("ContextSource", self.app).take_requested_visitor()
        if visitor_id is not None:
            self.open(visitor_id)

    def open(self, visitor_id: str) -> None:
        """Show `visitor_id` (as typed or pasted); loads now when the screen is visible."""
        self.visitor_id = normalize_visitor_id(visitor_id)
        self.notice = None
        if self.visitor is not None and self.visitor.visitor_id != self.visitor_id:
            self.visitor = None
        self._maybe_load()

    def load_key(self, context: ScreenContext) -> Hashable:
        return (super().load_key(context), self.visitor_id)

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        if self.visitor_id is None:
            self._show_start(None)
            self._load_picks(context)
            return
        problem = visitor_id_problem(self.visitor_id)
        if problem is not None:
            self._show_start(error_content(problem))
            return
        shown = self._visitor_context
        if self.visitor is not None and shown is not None and shown.store is not context.store:
            # Another site: what is drawn is another site's visitor. Say so, show none of it.
            self.visitor = None
            self._show_start(Content.styled(f"Loading {clean(self.visitor_id)} from this site…", "$text-muted"))
        self._show_title("loading…")
        self._load_visitor(context, self.visitor_id, refresh)

    @work(exclusive=True, group="visitor", exit_on_error=False)
    async def _load_visitor(self, context: ScreenContext, visitor_id: str, refresh: bool) -> None:
        try:
            result = await context.store.visitor(visitor_id, refresh=refresh)
        except (DataFastError, QueryError) as exc:
            self.visitor = None
            self.message.clear()
            self._show_start(error_content(exc if isinstance(exc, DataFastError) else str(exc)))
            self._load_picks(context)
            return
        if self.visitor is None or self.visitor.visitor_id != visitor_id:
            self.recent(context).add(visitor_id, summary(result.value))  # newly opened, not a refresh
        self.visitor = result.value
        if result.error is not None:
            self.message.show_error(result.error, age=result.age())  # the last good answer stays on screen
        elif self.notice:
            self.message.show_info(self.notice)
        else:
            self.message.clear()
        self._show_visitor(result.value, context)

    def recent(self, context: ScreenContext | None = None) -> RecentVisitors:
        """The recently opened visitors of the site (the demo keeps its own list)."""
        context = context or self.context
        site = context.site_label if context is not None else "site"
        if self._recent is None or self._recent.site != site:
            self._recent = RecentVisitors(site=site)
        return self._recent

    @work(exclusive=True, group="visitor-picks", exit_on_error=False)
    async def _load_picks(self, context: ScreenContext) -> None:
        recent = [Pick(e.visitor_id, e.label, "Recent") for e in self.recent(context).entries()]
        picks = self.query_one("#visitor-picks", VisitorPicks)
        picks.show(recent, empty="Loading visitors active now…")
        picks.show([*recent, *await self._live_picks(context)], empty="No recent or active visitors.")

    async def _live_picks(self, context: ScreenContext) -> list[Pick]:
        try:
            live = (await context.store.realtime_map()).value.visitors
        except DataFastError:
            return []  # a convenience list: its failure must not hide the lookup
        return [Pick(v.visitor_id, realtime_label(v), "Active now") for v in live if v.visitor_id]

    # -- drawing --------------------------------------------------------------------------

    def _show_title(self, state: str = "") -> None:
        title = self.query_one("#visitor-title", Static)
        if self.visitor_id is None:
            title.update(Content.assemble(("Visitor", "bold"), ("  no visitor open · o: open one", "$text-muted")))
            return
        narrow = self.has_class("narrow")
        if not state and self.visitor is not None and narrow:
            state = "i: activity, timeline" if self.has_class("details") else "i: identity, prediction"
        # A narrow title has no room for the summary; the identity panel says it all anyway.
        title.update(title_content(self.visitor_id, None if narrow else self.visitor, state))

    def _show_start(self, problem: Content | None) -> None:
        self._show_title()
        self.query_one("#visitor-intro", Static).update(problem or Content.styled(INTRO, "$text-muted"))
        self.query_one("#visitor-intro").set_class(problem is not None, "problem")
        switcher = self.query_one(ContentSwitcher)
        if switcher.current != "visitor-start":
            switcher.current = "visitor-start"
            self.query_one("#visitor-picks", VisitorPicks).focus()

    def _show_visitor(self, visitor: Visitor, context: ScreenContext) -> None:
        self._visitor_context = context
        self._show_title()
        switcher = self.query_one(ContentSwitcher)
        switching = switcher.current != "visitor-panels"
        switcher.current = "visitor-panels"
        self._draw_panels(visitor)
        if switching:
            # The panels were hidden until now: draw again once they have their real widths.
            self.call_after_refresh(self._draw_panels, visitor)
            self.query_one(TimelineTable).focus()

    def _draw_panels(self, visitor: Visitor) -> None:
        context = self._visitor_context
        assert context is not None, "a visitor is drawn only once loaded"
        # A border title is parsed as markup: the site's timezone comes from the API.
        self.query_one("#activity").border_title = f"Activity · times in {escape_markup(context.zone_name)}"
        left_width = self.query_one("#visitor-left").content_size.width or 40
        right_width = self.query_one("#visitor-right").content_size.width or 60
        self.query_one("#identity", Static).update(identity_content(visitor, left_width - 4))
        self.query_one("#customer", Static).update(customer_content(visitor, context.zone, left_width - 4))
        self.query_one("#prediction", Static).update(prediction_content(visitor.prediction, left_width - 4))
        self.query_one("#activity", Static).update(activity_content(visitor, context.zone, context.now(),
                                                                    right_width - 4))
        table = self.query_one(TimelineTable)
        # A refresh of the same visitor (r, auto-refresh, a write) keeps the reader's place.
        same = self._drawn_id == visitor.visitor_id
        cursor, scroll_y = (table.cursor_row, table.scroll_y) if same else (0, 0.0)
        self._drawn_id = visitor.visitor_id
        # Columns too: a DataTable never narrows a column that once held a wider cell.
        table.clear(columns=True)
        entries = timeline(visitor.activity)
        shown = entries[:TIMELINE_LIMIT]
        table.border_title = "Timeline · newest first" + (
            f" · {len(shown):,} of {len(entries):,}" if len(shown) < len(entries) else "")
        self._timeline_width = table.content_size.width
        layout = timeline_layout(shown, context.zone, table.content_size.width or right_width)
        for label, width in zip(TIMELINE_COLUMNS, layout.widths, strict=True):
            table.add_column(label, width=width)
        table.add_rows(layout.rows)
        if same and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), scroll=False)
            table.scroll_to(y=scroll_y, animate=False, immediate=True)

    @on(TimelineTable.Resized)
    def _timeline_resized(self, event: TimelineTable.Resized) -> None:
        # Laid out while the panels were still settling (a busy machine draws the visitor before
        # the final layout), or before its scrollbar came: the columns fit the width it has now.
        if self.visitor is not None and event.width != self._timeline_width:
            self.call_after_refresh(self._draw_panels, self.visitor)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self.refresh_bindings()
            self._show_title()
        if self.visitor is not None:
            self.call_after_refresh(self._draw_panels, self.visitor)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_side":
            # Only a narrow terminal shows one side at a time.
            return self.has_class("narrow") and self.visitor is not None
        return True

    def action_toggle_side(self) -> None:
        self.toggle_class("details")
        self._show_title()
        if self.visitor is not None:
            self.call_after_refresh(self._draw_panels, self.visitor)
        target = "#visitor-left" if self.has_class("details") else "#timeline"
        self.query_one(target).focus()

    # -- actions --------------------------------------------------------------------------

    def action_lookup(self) -> None:
        context = self.context  # not connected yet: an id typed now opens once the store is
        recent = [Pick(e.visitor_id, e.label, "Recent") for e in self.recent(context).entries()]
        live = (lambda: self._live_picks(context)) if context is not None else None
        self.app.push_screen(VisitorLookup(recent, live), self._looked_up)

    def _looked_up(self, visitor_id: str | None) -> None:
        if visitor_id:
            self.open(visitor_id)

    @on(VisitorPicks.Chosen)
    def _picked(self, event: VisitorPicks.Chosen) -> None:
        self.open(event.visitor_id)

    def _write(self, dialog: WriteDialog) -> None:
        self.app.push_screen(dialog, lambda answer: self._written(dialog, answer))

    def _written(self, dialog: WriteDialog, answer: object) -> None:
        if answer is None:
            return
        self.notice = dialog.success_text(answer)
        self.notify(self.notice, title=dialog.TITLE_TEXT, markup=False)
        self.message.show_info(self.notice)
        # The store already dropped what the write affects; now every visible screen reloads.
        self.post_message(DataWritten())

    def _write_context(self) -> ScreenContext | None:
        """The context to write with, or None after telling the user there is no store yet."""
        context = self.context
        if context is None:
            self.notify("Not connected yet: wait for the data to load.", severity="warning", markup=False)
        return context

    def action_new_goal(self) -> None:
        if (context := self._write_context()) is not None:
            self._write(GoalDialog(context.store.create_goal, visitor_id=self.visitor_id or ""))

    def action_new_payment(self) -> None:
        if (context := self._write_context()) is not None:
            self._write(PaymentDialog(context.store.create_payment, visitor_id=self.visitor_id or "",
                                      currency=context.currency, zone=context.zone, zone_name=context.zone_name,
                                      clock=context.clock))

    def action_delete_goals(self) -> None:
        if (context := self._write_context()) is not None:
            self._write(DeleteGoalsDialog(context.store.delete_goals, visitor_id=self.visitor_id or "",
                                          zone=context.zone, zone_name=context.zone_name))

    def action_delete_payments(self) -> None:
        if (context := self._write_context()) is not None:
            self._write(DeletePaymentsDialog(context.store.delete_payments, visitor_id=self.visitor_id or "",
                                             zone=context.zone, zone_name=context.zone_name))

    def action_copy_id(self) -> None:
        if self.visitor_id:
            self.app.copy_to_clipboard(self.visitor_id)
            self.notify(f"copied {clean(self.visitor_id)}", timeout=3, markup=False)
