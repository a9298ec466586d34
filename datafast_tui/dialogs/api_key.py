"""Type or paste an API key for this session: a rejected key is replaced without a restart.

The key is masked as it is typed, checked only for its shape here (DataFast itself says
whether it is good), and returned; the app connects with it. It is never written anywhere.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from datafast_tui.dialogs.base import Dialog
from datafast_tui.widgets.field_input import FieldInput


def key_problem(text: str) -> str | None:
    """Why `text` cannot be an API key, or None (website keys start df_, account tokens dft_)."""
    key = text.strip()
    if not key:
        return "paste a df_… website key (Website settings > Developer) or a dft_… account token"
    if any(c.isspace() for c in key) or not key.isprintable():
        return "a key has no spaces or control characters"
    if len(key) > 512:
        return "that is too long for an API key"
    return None


class ApiKeyDialog(Dialog[str | None]):
    DEFAULT_CSS = """
    ApiKeyDialog .title { margin-bottom: 1; }
    ApiKeyDialog .field > Label { width: 9; }
    ApiKeyDialog .note { color: $text-muted; margin-top: 1; }
    """
    WIDTH = 72

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Use another API key", classes="title")
            with Horizontal(classes="field"):
                yield Label("API key")
                yield FieldInput(placeholder="df_… (hidden as you type)", password=True, compact=True, id="key")
            yield Static("", id="error", markup=False)
            yield Static(f"For this session only, with {self.base_url}; to keep it, set DATAFAST_API_KEY "
                         "or a profile in the config file.", classes="note", markup=False)
            yield Static("Enter: connect · Esc: cancel", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#key", Input).focus()

    @on(Input.Changed, "#key")
    def _typed(self) -> None:
        self.query_one("#error", Static).update("")

    @on(Input.Submitted, "#key")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = key_problem(event.value)
        if problem is not None:
            self.query_one("#error", Static).update(problem)
            return
        self.dismiss(event.value.strip())
