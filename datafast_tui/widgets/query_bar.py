"""The global query bar: date range, filter chips and the compare switch, plus the last query error.

Chips are focusable (Tab reaches them); Backspace or Delete on a chip removes its filter.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from datafast_tui.api.filters import Filter
from datafast_tui.api.query import Query
from datafast_tui.messages import RemoveFilter
from datafast_tui.safe_text import clean, shorten_middle
from datafast_tui.widgets.chip_fit import MAX_CHIP, MIN_CHIP, chip_limit


def range_text(query: Query, zone: tzinfo | None = None) -> str:
    """"Last 30 days (Oct 28 – Nov 26)": the preset's name and its dates (times in `zone`)."""
    rng = query.range
    label = rng.label(zone)
    if rng.preset not in ("custom", "all_time") and rng.start is not None:
        dates = type(rng)(rng.start, rng.end).label(zone)  # the same range without its preset name
        if dates != label:
            return f"{label} ({dates})"
    return label


class FilterChip(Static, can_focus=True):
    """One filter, shown as `country is France ×`."""

    BINDINGS = [
        Binding("backspace", "remove", "Remove filter", tooltip="Remove this filter"),
        Binding("delete", "remove", "Remove filter", show=False),
    ]

    DEFAULT_CSS = """
    FilterChip {
        width: auto;
        height: 1;
        margin-right: 1;
        padding: 0 1;
        background: $primary-muted;
        color: $text-primary;
    }
    FilterChip:focus {
        background: $primary;
        color: $text;
        text-style: bold reverse;
    }
    """

    def __init__(self, filter_: Filter, *, id: str | None = None, limit: int = MAX_CHIP,
                 focusable: bool = True) -> None:
        self.filter = filter_
        text = shorten_middle(clean(filter_.describe()), limit)
        super().__init__(Content.assemble(text, (" ×", "bold")), id=id, markup=False)
        self.tooltip = Content(clean(filter_.describe()))  # a str tooltip is parsed as markup
        self.can_focus = focusable

    def action_remove(self) -> None:
        self.post_message(RemoveFilter(self.filter.dimension))


class QueryBar(Vertical):
    """Mirrors the app's `query` and `query_error` (a second line, only when there is an error).

    `interactive`: the chips take the focus (Tab, Backspace removes one). A screen the query
    does not apply to (Realtime, Visitor) shows them for information only.
    """

    DEFAULT_CSS = """
    QueryBar { height: auto; background: $surface; padding: 0 1; }
    QueryBar > Horizontal { height: 1; }
    QueryBar > .chips-line { padding-left: 2; }
    QueryBar .range { width: auto; color: $text-accent; text-style: bold; margin-right: 2; }
    QueryBar .filters-label { width: auto; color: $text-muted; margin-right: 1; }
    QueryBar .compare { width: auto; margin-left: 1; color: $text-muted; }
    QueryBar .compare.on { color: $text-success; text-style: bold; }
    QueryBar > .error { height: auto; color: $text-error; }
    """

    query: reactive[Query] = reactive(Query, recompose=True)
    query_error: reactive[str] = reactive("", recompose=True)
    _composed_width = 0  # the width the chips were last cut for

    def __init__(self, *, interactive: bool = True) -> None:
        super().__init__()
        self.interactive = interactive

    def on_mount(self) -> None:
        self.watch(self.app, "query", self._mirror_query)
        self.watch(self.app, "query_error", self._mirror_error)
        # Times (of "Last 24 hours") are shown in the site's timezone, known once connected.
        self.watch(self.app, "timezone", lambda _: self.refresh(recompose=True), init=False)

    def _mirror_query(self, query: Query) -> None:
        self.query = query

    def _mirror_error(self, error: str) -> None:
        self.query_error = error

    def on_resize(self) -> None:
        # The chips are cut to the bar's width: a new width may need other cuts or lines.
        if self.outer_size.width != self._composed_width:
            self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        query = self.query
        # Before the first layout the bar has no size yet: it spans the screen.
        self._composed_width = width = self.outer_size.width or self.app.size.width
        head = range_text(query, getattr(self.app, "site_zone", None))
        state = "on" if query.compare else "off"
        texts = [clean(f.describe()) for f in query.filters]
        # Room for chips beside the range and the compare switch (padding and margins counted).
        room = width - 2 - (cell_len(head) + 2) - (len(f"compare {state}") + 1)
        limit = chip_limit(texts, room)
        with Horizontal():
            yield Static(head, classes="range", markup=False)
            if not query.filters:
                yield Static("· no filters (/ adds one) ·", classes="filters-label", markup=False)
            elif limit is not None:
                yield from self._chips(query, limit)
            yield Static(f"compare {state}", classes=f"compare {state}", markup=False)
        if query.filters and limit is None:
            # Too many or too long for one line: the chips get a line of their own.
            with Horizontal(classes="chips-line"):
                yield from self._chips(query, chip_limit(texts, width - 4) or MIN_CHIP)
        if self.query_error:
            yield Static(f"⚠ the server refused this query: {clean(self.query_error)}", classes="error",
                         markup=False)

    def _chips(self, query: Query, limit: int) -> ComposeResult:
        for index, f in enumerate(query.filters):
            yield FilterChip(f, id=f"chip-{index}", limit=limit, focusable=self.interactive)

    async def recompose(self) -> None:
        """Compose again (new query, new width), keeping the focus where the user had it.

        A chip that had the focus is replaced by a new one: the new chip at the same place
        gets the focus (so Backspace, Backspace removes two filters), or, with no chip left,
        the screen's first focusable widget. Left to itself the screen kept pointing at the
        removed chip, which then held every key (issue 13: the keyboard went dead).
        """
        chips = list(self.walk_children(FilterChip))  # (self.query is the Query reactive)
        focused = self.screen.focused if self.is_attached else None
        index = chips.index(focused) if isinstance(focused, FilterChip) and focused in chips else None
        await super().recompose()
        if index is None:
            return
        chips = list(self.walk_children(FilterChip))  # (self.query is the Query reactive)
        if chips:
            self.screen.set_focus(chips[min(index, len(chips) - 1)])
        else:
            self.screen.set_focus(None)
            self.screen.focus_next()
