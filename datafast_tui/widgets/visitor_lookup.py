"""Finding a visitor: type or paste an id, or pick one opened lately or active right now.

`VisitorPicks` is the pick list (also shown on the empty Visitor screen); `VisitorLookup`
is the `o` dialog around it. The dialog returns the chosen id, or None on Esc.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from datafast_tui.data.write_forms import normalize_visitor_id, visitor_id_problem
from datafast_tui.safe_text import clean, shorten_middle


@dataclass(frozen=True)
class Pick:
    visitor_id: str
    label: str  # API text: cleaned before it is shown
    group: str  # "Recent" or "Active now"


PickLoader = Callable[[], Awaitable[list[Pick]]]


def pick_prompt(pick: Pick, width: int = 100) -> Content:
    """`a3ab2331…c6bd  Berlin, DE · desktop · Chrome`: the id shortened, then the label muted."""
    ident = shorten_middle(clean(pick.visitor_id), 20).ljust(21)
    label = Content.styled(clean(pick.label), "$text-muted")
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


class VisitorLookup(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without opening a visitor"),
        Binding("down", "to_list", "Pick", show=False, tooltip="Move to the list of visitors"),
    ]

    DEFAULT_CSS = """
    VisitorLookup { align: center middle; }
    VisitorLookup > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    VisitorLookup .title { text-style: bold; margin-bottom: 1; }
    VisitorLookup .field { height: 1; }
    VisitorLookup .field > Label { width: 12; color: $text-muted; }
    VisitorLookup .field > Input { width: 1fr; }
    VisitorLookup #lookup-error { color: $text-error; height: auto; }
    VisitorLookup VisitorPicks { height: auto; max-height: 14; margin-top: 1; }
    VisitorLookup .hint { color: $text-muted; }
    """

    def __init__(self, recent: Sequence[Pick], live: PickLoader | None = None, *, initial: str = "") -> None:
        super().__init__()
        self.recent = list(recent)
        self.live = live
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a visitor", classes="title")
            with Horizontal(classes="field"):
                yield Label("Visitor id")
                yield Input(self.initial, placeholder="paste a datafast_visitor_id", compact=True, id="visitor-id")
            yield Static("", id="lookup-error", markup=False)
            yield VisitorPicks(id="lookup-picks")
            yield Static("Enter opens · ↓ picks from the list · Esc closes", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(VisitorPicks).show(self.recent, empty="Loading visitors active now…" if self.live else
                                          "No recent visitors yet.")
        self.query_one("#visitor-id", Input).focus()
        if self.live is not None:
            self._load_live()

    @work(exclusive=True, group="lookup-live", exit_on_error=False)
    async def _load_live(self) -> None:
        assert self.live is not None
        try:
            live = await self.live()
        except Exception:  # noqa: BLE001 - the list is a convenience; typing an id still works
            live = []
        self.query_one(VisitorPicks).show([*self.recent, *live], empty="No recent or active visitors.")

    @on(Input.Changed, "#visitor-id")
    def _typed(self, event: Input.Changed) -> None:
        # Say what is wrong as soon as something is typed; an empty field is not an error yet.
        value = normalize_visitor_id(event.value)
        problem = visitor_id_problem(value) if event.value.strip() else None
        self.query_one("#lookup-error", Static).update(problem or "")
        event.input.set_class(problem is not None, "-invalid")

    @on(Input.Submitted, "#visitor-id")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        value = normalize_visitor_id(event.value)
        problem = visitor_id_problem(value)
        if problem is not None:
            self.query_one("#lookup-error", Static).update(problem)
            return
        self.dismiss(value)

    @on(VisitorPicks.Chosen)
    def _chosen(self, event: VisitorPicks.Chosen) -> None:
        self.dismiss(event.visitor_id)

    def action_to_list(self) -> None:
        self.query_one(VisitorPicks).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
