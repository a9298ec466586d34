"""The live visitor count as a big number, with a sparkline of the count since the screen opened."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits, Sparkline, Static

from datafast_tui.formatting import number


class LiveCount(Horizontal):
    DEFAULT_CSS = """
    LiveCount { height: 4; width: 1fr; }
    LiveCount > Digits { width: auto; min-width: 5; margin: 0 2 0 1; color: $text-success; }
    LiveCount.stale > Digits { color: $text-muted; }
    LiveCount > Vertical { width: 1fr; height: 4; }
    LiveCount .caption { height: 1; }
    LiveCount Sparkline { height: 2; }
    LiveCount Sparkline > .sparkline--max-color { color: $success; }
    LiveCount Sparkline > .sparkline--min-color { color: $success 40%; }
    LiveCount .span { height: 1; color: $text-muted; }
    """

    _span = ""

    def compose(self) -> ComposeResult:
        yield Digits("-")
        with Vertical():
            yield Static(Content.styled("active now (last 5 min)", "bold"), classes="caption")
            yield Sparkline([], summary_function=max)
            yield Static("", classes="span", markup=False)

    def show(self, count: int | None, samples: Sequence[int], span: str, *, stale: bool = False) -> None:
        """`count` big; `samples` (oldest first) as the sparkline; `span` says what it covers."""
        # Only what changed is touched: this runs on every poll of a screen left open for hours.
        digits = self.query_one(Digits)
        value = "-" if count is None else number(count)
        if digits.value != value:
            digits.update(value)
        spark = self.query_one(Sparkline)
        data = list(samples) * 2 if len(samples) == 1 else list(samples)  # one point draws nothing
        if spark.data != data:
            spark.data = data
        if span != self._span:
            self._span = span
            self.query_one(".span", Static).update(span, layout=False)
        self.set_class(stale, "stale")

    @property
    def shown(self) -> str:
        """The number on display, as text (for tests and the screen's summary)."""
        return self.query_one(Digits).value
