"""The last step before a write: what will happen in words, what will be sent, and an explicit "y".

Nothing is focused and Enter is not bound, so a stray Enter never confirms: only the
confirm key does. Returns True (confirmed) or False (Esc / n).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from datafast_tui.data.write_scope import Sentence
from datafast_tui.dialogs.base import Dialog
from datafast_tui.safe_text import clean


def sentence_content(sentence: Sentence, *, style: str = "bold $readable-accent") -> Content:
    """A sentence with the typed values emphasized; every piece cleaned, none parsed as markup."""
    return Content.assemble(*((clean(text), style) if emphasized else clean(text) for text, emphasized in sentence))


class ConfirmDialog(Dialog[bool]):
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("y", "confirm", "Yes", tooltip="Confirm: send this request now"),
        Binding("n,escape", "cancel", "No", tooltip="Back to the form; nothing is sent"),
    ]

    DEFAULT_CSS = """
    ConfirmDialog .title { margin-bottom: 1; }
    ConfirmDialog #warning { margin-top: 1; padding: 0 1; height: auto; }
    ConfirmDialog #warning.loud { background: $error; color: $text; text-style: bold; }
    ConfirmDialog #warning.quiet { color: $text-warning; }
    ConfirmDialog .label { color: $text-muted; margin-top: 1; }
    ConfirmDialog VerticalScroll { height: auto; max-height: 12; }
    ConfirmDialog #preview { color: $text-muted; background: $boost; padding: 0 1; }
    ConfirmDialog #keys { margin-top: 1; }
    """
    WIDTH = 76

    def __init__(self, title: str, lead: str, sentence: Sentence, preview: str, *, confirm_label: str,
                 warning: str | None = None, loud: bool = False, danger: bool = False) -> None:
        super().__init__(classes="danger" if danger else None)
        self.title_text = title
        self.lead = lead
        self.sentence = sentence
        self.preview = preview
        self.confirm_label = confirm_label
        self.warning = warning
        self.loud = loud

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title", markup=False)
            yield Static(Content.assemble(self.lead, " ", sentence_content(self.sentence), "."), id="scope")
            if self.warning:
                icon = "⚠ " if self.loud else ""
                yield Static(Content(icon + self.warning), id="warning", classes="loud" if self.loud else "quiet")
            yield Static("Will send:", classes="label", markup=False)
            with VerticalScroll():
                yield Static(clean_block(self.preview), id="preview", markup=False)
            yield Static(Content.assemble((" y ", "bold $on-error on $error" if self.loud else
                                           "bold $on-success on $success"), f" {self.confirm_label}    ",
                                          (" n ", "bold $readable-accent"), " / ", (" Esc ", "bold $readable-accent"),
                                          " no, back to the form"), id="keys")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def clean_block(text: str) -> str:
    """Several lines of text, each cleaned of terminal controls (clean() would join them)."""
    return "\n".join(clean(line) for line in text.splitlines())
