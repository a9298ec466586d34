"""`LineText`: a few lines of text that repaint line by line, for texts a poll rewrites in part.

A `Static` lays out and paints all of its text again on every update. The Realtime screen's
status box changes one line of four on most polls ("updated 15:31:02") and a poll rewrites
several such texts; as a Static, the status box was the costliest thing a poll painted
(measured: 1.1 ms per update, more than the list of active visitors). This widget wraps the
text once per update, compares it line by line with what it showed, and asks Textual to
repaint only the lines that differ; an update that changes nothing repaints nothing.

Text goes in as `Content` (or a plain string, shown as is: never parsed as markup).
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from datafast_tui.widgets.content_line import line_strip
from datafast_tui.widgets.kept_lines import KeptLines


def _look(content: Content) -> tuple[object, ...]:
    """What a line shows, styles included (Content compares by its text alone)."""
    return (content.plain, tuple(content.spans))


class LineText(KeptLines, Widget):
    DEFAULT_CSS = "LineText { height: auto; }"

    def __init__(self, content: Content | str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content = Content(content) if isinstance(content, str) else content
        self._wrapped: tuple[Content, int, list[Content]] | None = None  # (text, width, its lines)

    @property
    def content(self) -> Content:
        return self._content

    def update(self, content: Content | str) -> None:
        """Show `content`: repaint the lines that changed; lay out again only when their number did."""
        content = Content(content) if isinstance(content, str) else content
        if _look(content) == _look(self._content):
            return
        width = self.size.width
        before = self._lines(width) if self.is_mounted and width else None
        self._content = content
        if before is None:
            self.refresh(layout=True)
            return
        after = self._lines(width)
        if len(after) != len(before):
            self.refresh(layout=True)  # its height may follow the text
            return
        for y, (old, new) in enumerate(zip(before, after)):
            if _look(old) != _look(new):
                self.refresh(Region(0, y, width, 1))

    def _lines(self, width: int) -> list[Content]:
        """The text wrapped to `width` cells (kept until the text or the width changes)."""
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] is self._content and wrapped[1] == width:
            return wrapped[2]
        lines: list[Content] = []
        for line in self._content.split("\n", allow_blank=True):
            # Most lines fit: wrapping one costs as much as painting it.
            lines += [line] if line.cell_length <= width else (line.wrap(max(1, width)) or [Content("")])
        self._wrapped = (self._content, width, lines)
        return lines

    def render_line(self, y: int) -> Strip:
        # Only the lines `update` refreshed come here: Textual keeps the others painted.
        width = self.size.width
        lines = self._lines(width)
        style = self.visual_style
        return line_strip(self, lines[y], width, style, y) if y < len(lines) else Strip.blank(width, style.rich_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((line.cell_length for line in self._content.split("\n", allow_blank=True)), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        """The whole text (painting goes line by line, see `render_line`)."""
        return self._content
