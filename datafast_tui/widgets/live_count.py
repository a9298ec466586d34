"""The live visitor count as a big number, with a sparkline of the count since the screen opened."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits

from datafast_tui.formatting import number
from datafast_tui.widgets.kept_lines import KeptLines, KeptVertical
from datafast_tui.widgets.line_text import LineText

_LEVELS = " ▁▂▃▄▅▆▇█"


def spark_rows(samples: Sequence[int], width: int, height: int) -> list[str]:
    """Bars of the samples' maxima per column, scaled from zero (not from the minimum).

    Textual's Sparkline scales from the smallest value to the largest, so 2 against 3
    visitors draws as nothing against full height; a count reads honestly from zero.
    The newest samples are at the right; older ones are merged when there are more samples
    than columns.
    """
    if width <= 0 or height <= 0 or not samples:
        return [" " * max(0, width)] * max(0, height)
    if len(samples) > width:
        step = len(samples) / width
        columns = [max(samples[int(i * step): max(int(i * step) + 1, int((i + 1) * step))]) for i in range(width)]
    else:
        columns = list(samples)
    top = max(max(columns), 1)
    eighths = [round(value / top * height * 8) for value in columns]
    rows = []
    for row in range(height - 1, -1, -1):  # top row first
        line = "".join(_LEVELS[max(0, min(8, e - row * 8))] for e in eighths)
        rows.append(line.rjust(width))
    return rows


class CountSpark(Widget):
    """A zero-based sparkline of the live count (see `spark_rows`).

    Painted line by line as plain strips in the widget's colours: it changes on every poll,
    and going through Content (styles, wrapping) for two lines of block characters cost more
    than the rest of a poll's drawing.
    """

    DEFAULT_CSS = "CountSpark { height: 2; color: $success; }"

    def __init__(self) -> None:
        super().__init__()
        self.samples: tuple[int, ...] = ()

    def show(self, samples: Sequence[int]) -> None:
        if tuple(samples) != self.samples:
            self.samples = tuple(samples)
            self.refresh()

    _drawn: tuple[tuple[int, ...], Size, list[str]] | None = None  # what `rows` last worked out

    def rows(self) -> list[str]:
        """The lines shown, top first (all blank before the first sample)."""
        size = self.size
        drawn = self._drawn
        if drawn is None or drawn[0] is not self.samples or drawn[1] != size:  # once per paint, not per line
            drawn = self._drawn = (self.samples, size, spark_rows(self.samples, size.width, size.height))
        return drawn[2]

    def render_line(self, y: int) -> Strip:
        rows = self.rows()
        style = self.visual_style.rich_style
        if y >= len(rows) or not rows[y].strip():
            return Strip.blank(len(rows[0]) if rows else 0, style)
        return Strip([Segment(rows[y], style)], len(rows[y]))

    def render(self) -> Content:
        rows = self.rows()
        return Content("\n".join(rows)) if any(r.strip() for r in rows) else Content("")


class KeptDigits(KeptLines, Digits):
    """The count's big digits, kept painted between polls that do not change the count (the
    frame of a poll that only moves the sparkline beside them rendered them again)."""


class LiveCount(KeptLines, Horizontal):
    DEFAULT_CSS = """
    LiveCount { height: 4; width: 1fr; }
    LiveCount > Digits { width: auto; min-width: 5; margin: 0 2 0 1; color: $text-success; }
    LiveCount.stale > Digits { color: $text-muted; }
    LiveCount.stale CountSpark { color: $text-muted; }
    LiveCount > Vertical { width: 1fr; height: 4; }
    LiveCount .caption { height: 1; }
    LiveCount .span { height: 1; color: $text-muted; }
    """

    _span = ""

    def compose(self) -> ComposeResult:
        yield KeptDigits("-")
        with KeptVertical():
            yield LineText(Content.styled("active now (last 5 min)", "bold"), classes="caption")
            yield CountSpark()
            yield LineText("", classes="span")

    _parts: tuple[Digits, CountSpark, LineText] | None = None

    def _found(self) -> tuple[Digits, CountSpark, LineText]:
        # Looked up once: `show` runs on every poll, and each query walks the DOM.
        if self._parts is None:
            self._parts = (self.query_one(Digits), self.query_one(CountSpark), self.query_one(".span", LineText))
        return self._parts

    def show(self, count: int | None, samples: Sequence[int], span: str, *, stale: bool = False) -> None:
        """`count` big; `samples` (oldest first) as the sparkline; `span` says what it covers."""
        # Only what changed is touched: this runs on every poll of a screen left open for hours.
        digits, spark, span_text = self._found()
        value = "-" if count is None else number(count)
        if digits.value != value:
            digits.update(value)
        spark.show(samples)
        if span != self._span:
            self._span = span
            span_text.update(span)
        self.set_class(stale, "stale")

    @property
    def shown(self) -> str:
        """The number on display, as text (for tests and the screen's summary)."""
        return self.query_one(Digits).value
