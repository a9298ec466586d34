"""A KPI card: the metric's name, its value, the change against the previous period, a sparkline."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from datafast_tui.formatting import Change

_MUTED = "$text-muted"


class KpiCard(Vertical):
    DEFAULT_CSS = """
    KpiCard {
        width: 1fr;
        height: 4;
        padding: 0 1;
        background: $boost;
        margin-right: 1;
    }
    KpiCard:last-of-type { margin-right: 0; }
    /* The charted metric: its name marked, not a background that reads as keyboard focus. */
    KpiCard.selected > .name { color: $text-accent; text-style: bold underline; }
    KpiCard > .name { color: $text-muted; height: 1; }
    KpiCard > .value { text-style: bold; height: 1; }
    KpiCard > .value.muted { color: $text-muted; }
    KpiCard > .change { height: 1; }
    KpiCard > Sparkline { height: 1; }
    KpiCard > Sparkline > .sparkline--max-color { color: $accent; }
    KpiCard > Sparkline > .sparkline--min-color { color: $primary 50%; }
    """

    def __init__(self, metric: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"kpi-{metric}")
        self.metric = metric
        self.title = title

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="name", markup=False)
        yield Static("…", classes="value muted", markup=False)
        yield Static("", classes="change", markup=False)
        yield Sparkline([], summary_function=max)

    def show(self, value: str, change: Change | None, compare: bool, *, stale: bool = False,
             narrow: bool = False, pending: bool = False) -> None:
        """The value and its change; `pending`: the previous period is still loading.

        A stale value is muted by a class on the value itself, not on the card: a class change
        restyles the node and all its children (the card's four, seven cards, at every load)."""
        shown = self.query_one(".value", Static)
        shown.update(value)
        shown.set_class(stale, "muted")
        change_text = Content.styled("…", _MUTED) if compare and pending else \
            change_content(change, compare, narrow=narrow)
        self.query_one(".change", Static).update(change_text)

    def show_loading(self) -> None:
        """The value shown is for another query, or none yet: a loading mark, no number."""
        shown = self.query_one(".value", Static)
        shown.update("…")
        shown.add_class("muted")
        self.query_one(".change", Static).update(Content.styled("loading…", _MUTED))
        self.show_trend(None)

    def show_trend(self, series: Sequence[float] | None) -> None:
        spark = self.query_one(Sparkline)
        spark.data = list(series or [])
        # No trend is no line: an empty Sparkline draws a flat one, which reads as "steady".
        spark.styles.visibility = "visible" if series else "hidden"
        spark.tooltip = None if series else "no trend for this range"


def change_content(change: Change | None, compare: bool, *, narrow: bool = False) -> Content:
    """"▲ +12.3%" in the good or bad colour (which depends on the metric), or a hint."""
    if not compare:
        return Content.styled("" if narrow else "c: compare", "$text-muted")
    if change is None:
        return Content.styled("n/a" if narrow else "no previous", "$text-muted")
    style = "$text-muted" if change.good is None else ("$text-success" if change.good else "$text-error")
    return Content.styled(f"{change.arrow} {change.text}", style)
