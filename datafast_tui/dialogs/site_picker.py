"""Pick a site profile from the config file, one of the account's websites (account tokens),
the demo, or another key. Returns the profile name, "demo", DEMO_ACCOUNT_CHOICE, a
WEBSITE_PREFIX + website id, KEY_CHOICE (then the app asks for the key), or None."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from datafast_tui.api.models_account import Website
from datafast_tui.dialogs.base import Dialog
from datafast_tui.safe_text import clean
from datafast_tui.settings import Connection

#: What the picker returns for "another API key…".
KEY_CHOICE = "\x00key"
#: ... for the demo reached with its account token.
DEMO_ACCOUNT_CHOICE = "\x00demo-account"
#: ... before a website's id, for one of the account's websites.
WEBSITE_PREFIX = "\x00website:"


class SitePicker(Dialog[str | None]):
    DEFAULT_CSS = """
    SitePicker OptionList { height: auto; max-height: 16; }
    """
    WIDTH = 62

    def __init__(self, profiles: list[str], current: Connection, websites: Sequence[Website] = (),
                 websites_problem: str | None = None) -> None:
        super().__init__()
        self.profiles = profiles
        self.current = current
        #: The account's websites, when the key is an account token (dft_…).
        self.websites = list(websites)
        self.websites_problem = websites_problem

    def compose(self) -> ComposeResult:
        options = []
        for site in self.websites:
            mark = " (current)" if self.current.website_id == site.id else ""
            options.append(Option(Content(f"{clean(site.label)} — this account{mark}"), id=WEBSITE_PREFIX + site.id))
        for name in self.profiles:
            mark = " (current)" if not self.current.demo and self.current.profile == name else ""
            options.append(Option(Content(f"{clean(name)}{mark}"), id=name))
        demo = self.current.demo and not self.current.demo_account
        options.append(Option("demo — the embedded demo site" + (" (current)" if demo else ""), id="demo"))
        options.append(Option("demo, as an account token (dft_…)" +
                              (" (current)" if self.current.demo_account else ""), id=DEMO_ACCOUNT_CHOICE))
        options.append(Option("another API key… (type or paste one)", id=KEY_CHOICE))
        with Vertical():
            yield Label("Switch site", classes="title")
            if self.websites_problem:
                yield Static(f"The account's websites could not be listed: {self.websites_problem}",
                             classes="hint", markup=False)
            if not self.profiles:
                yield Static("No profiles yet: add [sites.NAME] sections to the config file "
                             "(datafast-tui --help shows where it is).", classes="hint", markup=False)
            yield OptionList(*options)
            yield Static("Enter: switch · Esc: cancel", classes="hint", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
