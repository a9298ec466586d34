"""A time-series line chart drawn with plotext, sized to the widget and redrawn on resize.

plotext 5.3 keeps its figures in module state; `_figure_class` gives a private figure per
widget (the same approach textual-plotext takes). The built chart is cached until the data,
the size or the theme changes, so repaints cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.widget import Widget

from datafast_tui.formatting import nice_ticks


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


class TimeChart(Widget):
    DEFAULT_CSS = """
    TimeChart { height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._data = ChartData((), (), message="loading…")
        self._cache: tuple[tuple[object, ...], Text] | None = None

    @property
    def data(self) -> ChartData:
        return self._data

    def update_data(self, data: ChartData) -> None:
        self._data = data
        self._cache = None
        self.refresh()

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

    def _rgb(self, color: str) -> tuple[int, int, int]:
        value = self.app.theme_variables.get(color, color)
        try:
            parsed = Color.parse(value.split()[0])
        except Exception:  # noqa: BLE001 - an odd theme value falls back to grey, never a crash
            return (160, 160, 160)
        return (parsed.r, parsed.g, parsed.b)

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        data = self._data
        if data.message or not data.series or not any(s.values for s in data.series):
            return Text(data.message or "no data for this range", style="dim", justify="center")
        key = (width, height, self.app.theme)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        text = Text.from_ansi(self._build(width, height), no_wrap=True)
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
        ticks = _ticks(min(longest, len(data.x_labels)), width - 8)
        fig.xticks(ticks, [data.x_labels[i] for i in ticks])
        if top > 0:
            y_ticks = nice_ticks(top)
            fig.yticks(y_ticks, [data.y_format(v) for v in y_ticks])
            fig.ylim(0, y_ticks[-1])
        else:
            fig.yticks([0.0], [data.y_format(0.0)])
            fig.ylim(0, 1)
        return fig.build()
