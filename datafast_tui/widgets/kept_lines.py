"""`KeptLines`: a widget's painted lines given again while nothing of the widget changed.

Textual clips a docked widget (the header, the footer) to the whole screen, so every frame
paints it again, whatever part of the screen changed: on the Realtime screen, a frame that
only updates the sparkline still rendered the header and the footer (a scrolling container:
half a millisecond each time; the two together a tenth of a poll's frame, measured). With
this mixin first in its bases, a widget answers such a render with the lines it gave last,
until it is refreshed (any change of its content or size calls `refresh`) or restyled
(focus, hover, theme: `notify_style_update`).

A plain mixin, not a Widget: Textual takes a widget's default CSS from the first DOMNode
among its bases only, so a Widget mixin put first hid the footer's own CSS (its dock).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal, Vertical
from textual.geometry import Region, Size
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


class KeptLines(_Base):
    _kept: tuple[Region, Size, list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        size = self.size
        kept = self._kept
        if kept is not None and kept[0] == crop and kept[1] == size:
            return kept[2]
        strips = super().render_lines(crop)
        self._kept = (crop, size, strips)
        return strips

    def refresh(self, *regions: Region, **options: Any) -> Any:
        self._kept = None
        return super().refresh(*regions, **options)

    def notify_style_update(self) -> None:
        self._kept = None
        super().notify_style_update()


class KeptVertical(KeptLines, Vertical):
    """A Vertical box that keeps its painted lines (its background): a box between parts of
    the screen a frame updates renders in that frame too (the frame's crop is the box around
    all of its changes), for nothing when the box itself did not change."""


class KeptHorizontal(KeptLines, Horizontal):
    """A Horizontal box that keeps its painted lines (see KeptVertical)."""
