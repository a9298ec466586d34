"""The Funnels screen (`6`): the site's funnels, and each step's visitors, conversion and drop-off.

The list comes from `GET admin/websites/{id}/funnels` (an account token, or a website key
with the site's id in its profile); a funnel whose id is known opens with `o` either way.
The chosen funnel's report follows the global range and filters, and with compare on shows
the previous period beside it. Enter on a step opens People for those who reached it.

State and loading rules: data/funnel_state.py; the reading of the answers: api/funnels.py.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from datafast_tui.api.errors import ConfigurationError
from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.funnels import FunnelReport, FunnelStep
from datafast_tui.data.funnel_state import FunnelsState, load_list, load_report
from datafast_tui.dialogs.funnel_lookup import FunnelLookup
from datafast_tui.formatting import change, money, number, percent
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean, safe
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ScreenContext
from datafast_tui.widgets.list_table import ListTable
from datafast_tui.widgets.query_bar import range_text

if TYPE_CHECKING:
    from datafast_tui.screens import ScreenEntry

#: The widest a step's bar is drawn; the first step's is full width.
BAR_WIDTH = 15
#: Each column's title and width; together they fit 120 columns (80 scrolls sideways).
STEP_COLUMNS = (("#", 1), ("Step", 24), ("Reached", BAR_WIDTH + 1), ("Visitors", 8), ("Step conv.", 10),
                ("Drop-off", 14), ("Revenue", 9))
COMPARE_COLUMNS = (("Before", 8), ("Change", 8))


def bar(visitors: int, entered: int, width: int = BAR_WIDTH) -> Text:
    """A bar of eighth blocks, its length the share of the funnel's entrants."""
    share = visitors / entered if entered else 0.0
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, rest = divmod(eighths, 8)
    return Text("█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else ""))


def step_cells(index: int, step: FunnelStep, report: FunnelReport, currency: str | None,
               previous: FunnelStep | None, compare: bool) -> tuple[Text | str, ...]:
    cells: list[Text | str] = [
        str(index + 1), safe(f"{step.name} · {step.target if step.type == 'pageview' else 'goal ' + step.target}",
                             width=24),
        bar(step.visitors, report.entered), number(step.visitors),
        "—" if index == 0 else percent(step.conversion_rate),
        "—" if index == 0 else f"{number(step.drop_off)} ({percent(step.drop_off_rate)})",
        money(step.revenue, currency, cents=False) if step.revenue is not None else "—",
    ]
    if compare:
        moved = change(step.visitors, previous.visitors) if previous is not None else None
        cells += [number(previous.visitors) if previous is not None else "—",
                  f"{moved.arrow} {moved.text}" if moved is not None else "—"]
    return tuple(cells)


class FunnelTable(ListTable):
    """The site's funnels (Enter shows one's steps), and a funnel's steps (Enter: People)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", show=False,
                        tooltip="Funnels: show its steps · steps: People who reached it")]


class FunnelsScreen(DataScreen):
    AUTO_FOCUS = "#funnel-list, #funnel-steps"  # the list first (when shown): j k choose, Enter shows the steps

    BINDINGS = [
        Binding("enter", "people_of_step", "People",
                tooltip="People who reached the highlighted step (opens People with its page or goal)"),
        Binding("o", "open_funnel", "Open id", tooltip="Open a funnel by its id (when the list cannot be read)"),
        Binding("tab", "switch_table", "Funnels/steps", show=False, tooltip="Move between the funnels and the steps"),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(entry)
        self.state = FunnelsState()
        self._loaded_context: ScreenContext | None = None
        self._listed_for: object = None  # the store the list was fetched from

    def compose_body(self) -> ComposeResult:
        funnels = FunnelTable(id="funnel-list", cursor_type="row")
        funnels.add_column("Funnel", key="name")
        funnels.add_column("Steps", key="steps")
        yield funnels
        yield Static("", id="funnel-title", markup=False)
        yield FunnelTable(id="funnel-steps", cursor_type="row", zebra_stripes=True)
        yield Static("", id="funnel-hint", markup=False)

    @property
    def funnel_list(self) -> FunnelTable:
        return self.query_one("#funnel-list", FunnelTable)

    @property
    def steps_table(self) -> FunnelTable:
        return self.query_one("#funnel-steps", FunnelTable)

    def load_key(self, context: ScreenContext) -> Hashable:
        return (super().load_key(context), self.state.chosen)

    # -- loading --------------------------------------------------------------------------

    def load(self, context: ScreenContext, *, refresh: bool) -> None:
        self._loaded_context = context
        self._draw()
        self._fetch(context, refresh)

    @work(exclusive=True, group="funnels", exit_on_error=False)
    async def _fetch(self, context: ScreenContext, refresh: bool) -> None:
        if self._listed_for is not context.store and self._listed_for is not None:
            self.state = FunnelsState()  # another site: its funnels, not the last site's choice
        state = self.state
        if refresh or self._listed_for is not context.store or (state.funnels is None and state.list_error is None):
            self._listed_for = context.store
            try:
                await load_list(state, context.store, refresh=refresh)
            except ConfigurationError as error:  # no website id: say what is needed
                state.list_error = error
            self._draw_list()
        if state.current_for(context.query) and not refresh:
            self._draw()
            return
        self._draw()
        await load_report(state, context.store, context.query, refresh=refresh)
        self._loaded_for = self.load_key(context)
        self._draw()

    # -- drawing --------------------------------------------------------------------------

    def _draw_list(self) -> None:
        table, state = self.funnel_list, self.state
        table.clear()
        for funnel in state.funnels or ():
            path = " → ".join(s.describe for s in funnel.steps)
            table.add_row(safe(funnel.name, width=30), safe(path, width=80), key=funnel.id)
        table.display = bool(state.funnels)
        if state.funnels and state.chosen is not None:
            ids = [f.id for f in state.funnels]
            if state.chosen in ids:
                table.move_cursor(row=ids.index(state.chosen))

    def _draw(self) -> None:
        state, context = self.state, self._loaded_context or self.context
        title = self.query_one("#funnel-title", Static)
        problem = state.report_error or (state.list_error if state.chosen is None else None)
        if isinstance(problem, ConfigurationError):
            self.message.show_info(f"Funnels: {problem}")
        elif problem is not None:
            self.report(problem)
            self.message.show_error(problem, age=state.stale_age if state.report else None)
        elif state.funnels == () and state.chosen is None:
            self.message.show_info("This site has no funnels yet: create one in the dashboard (Funnels), "
                                   "then r. A funnel whose id you know opens with o.")
        else:
            self.message.clear()
        report = state.report
        if context is None or state.chosen is None:
            title.update("")
            self._fill_steps(None, None, False, None)
            self._hint("")
            return
        compare = context.query.compare and context.query.comparison() is not None
        if report is None:
            title.update(f"{clean(state.chosen_name)} · loading…" if problem is None else clean(state.chosen_name))
        else:
            line = (f"{clean(report.name or state.chosen_name)} · {range_text(context.query, context.zone)} · "
                    f"{number(report.entered)} entered → {number(report.completed)} completed · "
                    f"{percent(report.conversion_rate)} overall")
            if compare and state.previous is not None:
                before = state.previous
                points = report.conversion_rate - before.conversion_rate
                line += f" (before: {percent(before.conversion_rate)}, {points:+.1f} pts)"
            filters = ", ".join(clean(f.describe()) for f in context.query.filters)
            title.update(line + (f"\nFilters: {filters}" if filters else ""))
        self._fill_steps(report, state.previous if compare else None, compare, context.currency)
        self._hint("Enter: People who reached a step · Tab: funnels ↔ steps · o: open a funnel by id · "
                   "c: compare")

    def _fill_steps(self, report: FunnelReport | None, previous: FunnelReport | None, compare: bool,
                    currency: str | None) -> None:
        table = self.steps_table
        cursor = table.cursor_row
        table.clear(columns=True)
        for title, width in STEP_COLUMNS + (COMPARE_COLUMNS if compare else ()):
            table.add_column(title, key=title, width=width)
        if report is None:
            return
        for index, step in enumerate(report.steps):
            before = previous.steps[index] if previous is not None and index < len(previous.steps) else None
            table.add_row(*step_cells(index, step, report, currency, before, compare), key=str(index))
        if report.steps:
            table.move_cursor(row=min(max(cursor, 0), len(report.steps) - 1))

    def _hint(self, text: str) -> None:
        self.query_one("#funnel-hint", Static).update(text)

    # -- events and actions ---------------------------------------------------------------

    @on(DataTable.RowSelected, "#funnel-list")
    def _funnel_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._choose_row(event.cursor_row)
        self.set_focus(self.steps_table)

    @on(DataTable.RowHighlighted, "#funnel-list")
    def _funnel_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._choose_row(event.cursor_row)

    def _choose_row(self, row: int) -> None:
        funnels = self.state.funnels or ()
        if 0 <= row < len(funnels) and funnels[row].id != self.state.chosen:
            self.state.choose(funnels[row].id, funnels[row].name)
            self._draw()
            self._maybe_load()

    @on(DataTable.RowSelected, "#funnel-steps")
    def _step_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._people_of(event.cursor_row)

    def action_people_of_step(self) -> None:
        if self.focused is self.funnel_list:
            self._choose_row(self.funnel_list.cursor_row)
            self.set_focus(self.steps_table)
        else:
            self._people_of(self.steps_table.cursor_row)

    def _people_of(self, row: int) -> None:
        report = self.state.report
        if report is None or not 0 <= row < len(report.steps):
            self.notify("No step to open: the funnel is still loading", severity="warning", markup=False)
            return
        step = report.steps[row]
        dimension = "goal" if step.type == "goal" else "page"
        try:
            new = Filter(dimension, "is", (step.target,))
        except FilterError as error:
            self.notify(f"Cannot search for this step: {error}", severity="warning", markup=False)
            return
        app = self.app
        app.add_filter(new)  # type: ignore[attr-defined]
        app.action_mode("people")  # type: ignore[attr-defined]
        self.notify(f"People who reached “{clean(step.name)}”: {clean(new.describe())} in the range "
                    "(the list cannot ask for the funnel's order, nor for those who dropped out)",
                    timeout=8, markup=False)

    def action_switch_table(self) -> None:
        target = self.steps_table if self.focused is self.funnel_list else self.funnel_list
        if target.display:
            self.set_focus(target)  # at once: keys typed right after Tab go where it went

    def action_open_funnel(self) -> None:
        self.app.push_screen(FunnelLookup(), self._opened)

    def _opened(self, funnel_id: str | None) -> None:
        if funnel_id:
            self.state.choose(funnel_id)
            self._draw()
            self._maybe_load()
