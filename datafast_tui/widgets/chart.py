"""A time-series line chart drawn with plotext, sized to the widget and redrawn on resize.

plotext 5.3 keeps its figures in module state; `_figure_class` gives a private figure per
widget (the same approach textual-plotext takes). The built chart is cached until the data,
the size or the theme changes, so repaints cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.widget import Widget

from datafast_tui.formatting import change, nice_ticks


@dataclass(frozen=True)
class ChartSeries:
    label: str
    values: tuple[float, ...]
    color: str  # a theme variable name ("primary") or a colour ("#888888")
    dim: bool = False  # the previous period: drawn thinner
    #: The last point is a period still under way (today, this hour): drawn dotted, so its
    #: low value does not read as a fall.
    unfinished: bool = False


@dataclass(frozen=True)
class ChartData:
    series: tuple[ChartSeries, ...]
    x_labels: tuple[str, ...]  # one per point
    y_format: Callable[[float], str] = lambda v: f"{v:,.0f}"
    message: str = ""  # shown instead of a chart (no data, an error)
    #: Said after the legend: what the dotted end of the line is ("· today so far").
    note: str = ""
    #: A value written in full for the cursor's readout ("$1,234.50", "12,345"); None: y_format.
    value_format: Callable[[float], str] | None = None

    def readout(self, index: int) -> Content:
        """What the cursor at point `index` says: the date, each line's value, and against the
        previous period the change ("Nov 21 · Visitors 1,234 · previous period 1,100 ▲ +12.2%")."""
        write = self.value_format or self.y_format
        label = self.x_labels[index] if 0 <= index < len(self.x_labels) else ""
        parts: list[str | tuple[str, str]] = [(label, "bold")]
        current: float | None = None
        for series in self.series:
            if not 0 <= index < len(series.values):
                continue
            value = series.values[index]
            colour = f"${series.color}" if not series.color.startswith("#") else series.color
            parts += ["  ", ("■ ", colour), f"{series.label} {write(value)}"]
            if series.unfinished and index == len(series.values) - 1:
                parts.append((" (so far)", "$text-muted"))
            if current is None and not series.dim:
                current = value
            elif series.dim and current is not None:
                moved = change(current, value)
                if moved is not None:
                    tone = "$text-muted" if moved.good is None else ("$text-success" if moved.good else "$text-error")
                    parts.append((f" {moved.arrow} {moved.text}", tone))
        return Content.assemble(*parts)


def _ticks(count: int, room: int) -> list[int]:
    """Indexes of the points that get an x label, spread evenly, as many as fit."""
    if count <= 0:
        return []
    slots = max(2, min(count, room // 10))
    if slots >= count:
        return list(range(count))
    step = (count - 1) / (slots - 1)
    return sorted({round(i * step) for i in range(slots)})


def downsample(values: tuple[float, ...], target: int) -> tuple[list[float], list[float]]:
    """At most `target` points (a braille cell is two dots wide): the mean of each run of points.

    A year of hourly data is 8,760 points for ~240 dots of width; drawing them all costs
    140 ms a frame and shows nothing more. x stays in original indexes so labels line up.
    """
    count = len(values)
    if count <= target or target < 2:
        return [float(i) for i in range(count)], list(values)
    xs, ys = [], []
    for bucket in range(target):
        start, end = bucket * count // target, (bucket + 1) * count // target
        chunk = values[start:end]
        xs.append((start + end - 1) / 2)
        ys.append(sum(chunk) / len(chunk))
    return xs, ys


class TimeChart(Widget, can_focus=True):
    """The chart, with a cursor: focused (Tab) or under the mouse, a line marks one point and the
    first row says its date and values (and against the previous period, the change)."""

    DEFAULT_CSS = """
    TimeChart { height: 1fr; min-height: 6; }
    """
    BINDINGS = [
        Binding("left", "cursor(-1)", "Earlier", show=False, tooltip="Chart cursor: one point earlier"),
        Binding("right", "cursor(1)", "Later", show=False, tooltip="Chart cursor: one point later"),
        Binding("home", "cursor_edge(-1)", "First", show=False, tooltip="Chart cursor: the first point"),
        Binding("end", "cursor_edge(1)", "Last", show=False, tooltip="Chart cursor: the last point"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._data = ChartData((), (), message="loading…")
        self._cache: tuple[tuple[object, ...], Text | Content] | None = None
        #: The point under the cursor (None: no cursor), and where the plot starts (after the y labels).
        self.cursor: int | None = None
        self._plot_left = 0

    @property
    def data(self) -> ChartData:
        return self._data

    @property
    def points(self) -> int:
        return max((len(s.values) for s in self._data.series), default=0)

    def update_data(self, data: ChartData) -> None:
        self._data = data
        self._cache = None
        if self.cursor is not None:
            self.cursor = min(self.cursor, self.points - 1) if self.points else None
        self.refresh()

    # -- the cursor -------------------------------------------------------------------------

    def _move_to(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, self.points - 1)) if self.points else None
        if index != self.cursor:
            self.cursor = index
            self._cache = None
            self.refresh()

    def action_cursor(self, step: int) -> None:
        self._move_to((self.points - 1 if self.cursor is None else self.cursor + step))

    def action_cursor_edge(self, side: int) -> None:
        self._move_to(0 if side < 0 else self.points - 1)

    def on_focus(self) -> None:
        if self.cursor is None:
            self._move_to(self.points - 1)

    def on_blur(self) -> None:
        if not self.is_mouse_over:
            self._move_to(None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        room = self.size.width - self._plot_left - 1
        if self.points < 2 or room <= 0:
            return
        self._move_to(round((event.x - self._plot_left) / room * (self.points - 1)))

    def on_leave(self) -> None:
        if not self.has_focus:
            self._move_to(None)

    def on_click(self, event: events.Click) -> None:
        self.focus()

    def legend(self) -> Content:
        """"■ Revenue ■ new ■ renewal": one coloured mark per line, when there is more than one line;
        then the note on an unfinished last point."""
        parts: list[str | tuple[str, str]] = []
        if len(self._data.series) >= 2:
            for series in self._data.series:
                colour = f"${series.color}" if not series.color.startswith("#") else series.color
                parts += [("■ ", colour), f"{series.label}  "]
        if self._data.note:
            parts.append((f"{self._data.note}  ", "$text-muted"))
        return Content.assemble(*parts)

    def readout(self) -> Content:
        """The cursor's line ("" without a cursor)."""
        if self.cursor is None or not self._data.series:
            return Content("")
        return self._data.readout(self.cursor)

    def _rgb(self, color: str) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(color, color)
        try:
            parsed = Color.parse(value.split()[0])
        except Exception:  # noqa: BLE001 - an odd theme value falls back to grey, never a crash
            return (160, 160, 160)
        return (parsed.r, parsed.g, parsed.b)

    def render(self) -> Text | Content:
        width, height = self.size.width, self.size.height
        data = self._data
        if data.message or not data.series or not any(s.values for s in data.series):
            return Text(data.message or "no data for this range", style="dim", justify="center")
        key = (width, height, self.app.theme, self.cursor)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        if self.cursor is None:
            text = Text.from_ansi(self._build(width, height), no_wrap=True)
        else:  # the readout on the first row, the chart below it with a line at the cursor
            chart = Text.from_ansi(self._build(width, height - 1), no_wrap=True)
            text = Content.assemble(self.readout().truncate(width), "\n", Content.from_rich_text(chart))
        self._cache = (key, text)
        return text

    def _build(self, width: int, height: int) -> str:
        # Imported at the first chart drawn, not with the screen: the KPIs paint a frame earlier.
        from plotext._figure import _figure_class as Figure  # pinned plotext 5.3: see pyproject.toml

        data = self._data
        fig = Figure()
        width, height = max(10, width), max(4, height)
        fig.plotsize(width, height)
        # plotext also clamps to the size of the terminal it detects (not our widget's);
        # setting the size directly as well is what makes the figure fill the widget.
        fig._set_size(width, height)
        fig.theme("clear")
        fig.frame(False)
        fig.xaxes(True, False)
        fig.yaxes(True, False)
        longest = max(len(s.values) for s in data.series)
        top = 0.0
        for series in data.series:
            if not series.values:
                continue
            top = max(top, max(series.values))
            colour = self._rgb(series.color)
            done = series.values[:-1] if series.unfinished and len(series.values) > 1 else series.values
            xs, ys = downsample(done, 2 * width)
            # No plotext legend: it covers the data; legend() draws one for a title line instead.
            fig.plot(xs, ys, marker="braille" if not series.dim else "dot", color=colour)
            if done is not series.values:  # the last step, into the period still under way: dotted
                last = len(series.values) - 1
                fig.plot([last - 1, last], list(series.values[-2:]), marker="dot", color=colour)
        if self.cursor is not None and 0 <= self.cursor < longest:
            fig.vline(self.cursor, color=self._rgb("text-muted"))
        ticks = _ticks(min(longest, len(data.x_labels)), width - 8)
        fig.xticks(ticks, [data.x_labels[i] for i in ticks])
        if top > 0:
            y_ticks = nice_ticks(top)
            labels = [data.y_format(v) for v in y_ticks]
            fig.yticks(y_ticks, labels)
            fig.ylim(0, y_ticks[-1])
        else:
            labels = [data.y_format(0.0)]
            fig.yticks([0.0], labels)
            fig.ylim(0, 1)
        self._plot_left = max(len(label) for label in labels) + 1  # the labels, then the axis
        return fig.build()

