"""Pick a site profile from the config file, the demo, or another key. Returns the profile name,
"demo", KEY_CHOICE (then the app asks for the key), or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from datafast_tui.dialogs.base import Dialog
from datafast_tui.safe_text import clean
from datafast_tui.settings import Connection

#: What the picker returns for "another API key…".
KEY_CHOICE = "\x00key"


class SitePicker(Dialog[str | None]):
    DEFAULT_CSS = """
    SitePicker OptionList { height: auto; max-height: 16; }
    """
    WIDTH = 50

    def __init__(self, profiles: list[str], current: Connection) -> None:
        super().__init__()
        self.profiles = profiles
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for name in self.profiles:
            mark = " (current)" if not self.current.demo and self.current.profile == name else ""
            options.append(Option(Content(f"{clean(name)}{mark}"), id=name))
        options.append(Option("demo — the embedded demo site" + (" (current)" if self.current.demo else ""),
                              id="demo"))
        options.append(Option("another API key… (type or paste one)", id=KEY_CHOICE))
        with Vertical():
            yield Label("Switch site", classes="title")
            if not self.profiles:
                yield Static("No profiles yet: add [sites.NAME] sections to the config file "
                             "(datafast-tui --help shows where it is).", classes="hint", markup=False)
            yield OptionList(*options)
            yield Static("Enter: switch · Esc: cancel", classes="hint", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
