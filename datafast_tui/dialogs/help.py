"""`?`: every key binding active on the current screen, generated from the bindings themselves."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from datafast_tui.dialogs.base import Dialog


@dataclass(frozen=True)
class HelpRow:
    keys: str
    description: str
    scope: str  # "app", the screen's title, or a widget's name


#: What every Textual screen binds (Tab, Shift+Tab, Ctrl+C copy): listed once under Everywhere.
_TEXTUAL_SCREEN_ACTIONS = frozenset(
    b.action for b in Screen.BINDINGS if isinstance(b, Binding))


def bindings_of(screen: Screen) -> list[HelpRow]:
    """The rows for every binding active on `screen` (focused widget, screen, app), deduplicated."""
    app = screen.app
    by_action: dict[tuple[str, str], HelpRow] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        # The tooltip is the long form; the description is the footer's short label.
        description = binding.tooltip or binding.description or binding.action
        node = active.node
        scope = "app" if node is app else ("screen" if node is screen else type(node).__name__)
        if scope == "screen" and binding.action in _TEXTUAL_SCREEN_ACTIONS:
            scope = "app"  # Textual's own (Tab, Shift+Tab, copy): the same on every screen, not its keys
        display = app.get_key_display(Binding(key, binding.action))
        marker = (scope, binding.action)
        if marker in by_action:
            previous = by_action[marker]
            # Two keys for one action (ctrl+q and q): one row, the fuller description.
            best = max(previous.description, description, key=len)
            by_action[marker] = HelpRow(f"{previous.keys} {display}", best, scope)
        else:
            by_action[marker] = HelpRow(display, description, scope)
    order = {"screen": 0, "app": 2}
    return sorted(by_action.values(), key=lambda r: (order.get(r.scope, 1), r.scope))


class HelpDialog(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False),
    ]

    DEFAULT_CSS = """
    HelpDialog > Vertical { padding: 0; }
    HelpDialog .title { text-style: none; padding: 0 1; margin-bottom: 1; }
    HelpDialog VerticalScroll { height: auto; max-height: 100%; padding: 0 1; }
    HelpDialog .group { color: $text-accent; text-style: bold; margin-top: 1; }
    HelpDialog .group:first-child { margin-top: 0; }
    HelpDialog .help-row { height: auto; }
    HelpDialog .help-text { width: 1fr; }
    """
    # The list scrolls under the title; the thick border, the title and the blank line under it stay.
    SCROLLING = "VerticalScroll"
    CHROME_ROWS = 4

    def __init__(self, title: str, rows: list[HelpRow]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(r.keys) for r in self.rows), default=4) + 2
        with Vertical():
            yield Label(Content.assemble((f"Keys — {self.title_text}", "bold"),
                                         ("   Esc or ? closes · ↑↓ j k scroll", "$text-muted")), classes="title")
            with VerticalScroll():
                scope = None
                for row in self.rows:
                    if row.scope != scope:
                        scope = row.scope
                        name = {"app": "Everywhere", "screen": self.title_text}.get(scope, scope)
                        yield Static(name, classes="group", markup=False)
                    # Two columns, so a long description wraps under itself, not under the keys.
                    key = Static(Content.styled(row.keys, "bold $readable-accent"), classes="help-key")
                    key.styles.width = width
                    yield Horizontal(key, Static(Content(row.description), classes="help-text"), classes="help-row")

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)
