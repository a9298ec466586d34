"""The list of visitors to pick from: those opened lately and those active right now.

Shown on the empty Visitor screen and in the `o` dialog (dialogs/visitor_lookup.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from datafast_tui.safe_text import clean, shorten_middle


@dataclass(frozen=True)
class Pick:
    visitor_id: str
    label: str  # API text: cleaned before it is shown
    group: str  # "Recent" or "Active now"


PickLoader = Callable[[], Awaitable[list[Pick]]]


def pick_prompt(pick: Pick, width: int = 100) -> Content:
    """`a3ab2331…c6bd  Berlin, DE · desktop · Chrome`: the id shortened and bold, then the label.

    Not muted: the highlighted option's background (the list cursor) is not one of the surfaces
    `$text-muted` is made to read on, and muted text there read at 2.98:1 in textual-light."""
    ident = shorten_middle(clean(pick.visitor_id), 20).ljust(21)
    label = Content(clean(pick.label))
    # Cut at the end: place, device and browser come first and matter most.
    return Content.assemble((ident, "bold"), label.truncate(max(10, width - 22), ellipsis=True))


class VisitorPicks(OptionList):
    """Recent and active visitors grouped under headings; Enter (or a click) chooses one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next visitor in the list"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous visitor in the list"),
    ]

    class Chosen(Message):
        def __init__(self, visitor_id: str) -> None:
            super().__init__()
            self.visitor_id = visitor_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True, markup=False)
        self.picks: list[Pick] = []
        self._empty = ""
        self._drawn_width = 0

    def show(self, picks: Sequence[Pick], *, empty: str = "No visitors to pick from yet.") -> None:
        # The same visitor may be recent and active: keep its first place only.
        seen: set[str] = set()
        self.picks = [p for p in picks if not (p.visitor_id in seen or seen.add(p.visitor_id))]
        self._empty = empty
        self._draw()

    def _draw(self) -> None:
        # One line per visitor: the label is shortened to the width the list really has.
        width = self.scrollable_content_region.width or 76
        self._drawn_width = width
        highlighted = self.highlighted
        self.clear_options()
        group = None
        options: list[Option] = []
        for index, pick in enumerate(self.picks):
            if pick.group != group:
                group = pick.group
                options.append(Option(Content.styled(group, "bold $text-accent"), disabled=True))
            options.append(Option(pick_prompt(pick, width - 1), id=str(index)))
        if not options:
            options.append(Option(Content.styled(self._empty, "$text-muted"), disabled=True))
        self.add_options(options)
        enabled = [i for i, o in enumerate(options) if not o.disabled]
        self.highlighted = highlighted if highlighted in enabled else (enabled[0] if enabled else None)

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._drawn_width:
            self._draw()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self.picks[int(event.option.id)].visitor_id))
