"""The shape every write dialog shares: a form checked live, a confirmation, one send.

A subclass composes its fields and turns them into a request (`parse`) and words
(`describe`). This base runs the rules that make writes safe:

- nothing is sent while a field is wrong (the problems are listed, the fields tinted);
- the request is shown in words and as sent, and needs the confirm key of ConfirmDialog;
- while the request is in flight every key that could send again is ignored, and the form
  is disabled; POST and DELETE are never retried automatically;
- a failure shows the server's message and leaves the form filled, to retry on purpose.

The dialog returns the API's answer, or None when cancelled. It never touches the store:
the screen passes `sender`, the coroutine that performs the write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from datafast_tui.api.errors import (
    DataFastError,
    MalformedResponseError,
    NetworkError,
    QueryError,
    ServerError,
    UnauthorizedError,
)
from datafast_tui.data.write_forms import Parsed
from datafast_tui.data.write_scope import Sentence
from datafast_tui.dialogs.base import Dialog
from datafast_tui.dialogs.confirm import ConfirmDialog, clean_block, sentence_content
from datafast_tui.error_advice import advise
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean

R = TypeVar("R")  # the request
S = TypeVar("S")  # the API's answer
Sender = Callable[[Any], Awaitable[Any]]
#: Failures after which the write may have been stored all the same (no answer, or a broken one).
UNSURE = (NetworkError, MalformedResponseError, ServerError)


@dataclass(frozen=True)
class Description:
    """A valid request in words, for the live summary and the confirmation."""

    lead: str  # "This will create" / "This will delete"
    sentence: Sentence
    preview: str  # the request exactly as sent
    warning: str | None = None
    loud: bool = False  # no time range: the warning is shouted


def form_row(label: str, widget: Widget, *, hint: str = "") -> Horizontal:
    """A form line: a muted label, the field, and an optional hint after it."""
    parts: list[Widget] = [Label(label, classes="field-label", markup=False), widget]
    if hint:
        parts.append(Static(hint, classes="field-hint", markup=False))
    return Horizontal(*parts, classes="field")


class WriteDialog(Dialog[S | None], Generic[R, S]):
    TITLE_TEXT = ""
    CONFIRM_TITLE = ""
    CONFIRM_LABEL = "yes, send it"
    DANGER = False

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close the form; nothing is sent"),
        Binding("ctrl+s", "review", "Review & send", tooltip="Check the form and ask for confirmation"),
    ]

    DEFAULT_CSS = """
    WriteDialog #form { height: auto; margin-top: 1; }
    WriteDialog .field { margin-bottom: 0; }
    WriteDialog .field-label { width: 14; color: $text-muted; }
    WriteDialog .field-hint { width: auto; color: $text-muted; margin-left: 1; }
    WriteDialog .field > Checkbox { width: auto; margin-right: 2; }
    WriteDialog .section { color: $text-muted; margin-top: 1; }
    WriteDialog .note { color: $text-muted; margin-bottom: 1; }
    WriteDialog .under-field { color: $text-muted; margin-left: 14; }
    WriteDialog #problems { color: $text-error; height: auto; margin-top: 1; display: none; }
    WriteDialog #problems.shown { display: block; }
    WriteDialog #summary { height: auto; margin-top: 1; }
    WriteDialog #preview { height: auto; max-height: 10; color: $text-muted; background: $boost; padding: 0 1;
                           display: none; }
    WriteDialog #preview.shown { display: block; }
    WriteDialog #server-error { height: auto; background: $error-muted; padding: 0 1; display: none; }
    WriteDialog #server-error.shown { display: block; }
    WriteDialog #status { height: auto; color: $text-warning; display: none; }
    WriteDialog #status.shown { display: block; }
    """
    WIDTH = 84
    # The form scrolls so that the messages and the hint below it stay on a short terminal.
    SCROLLING = "#form"
    CHROME_ROWS = 12
    MIN_SCROLLING_ROWS = 6

    def __init__(self, sender: Sender) -> None:
        super().__init__(classes="danger" if self.DANGER else None)
        self._sender = sender
        self._in_flight = False
        self._touched: set[str] = set()
        self._show_all = False  # after a review attempt, every problem is listed, not just touched fields
        self.sends = 0  # requests started (tests check that it never exceeds the confirmations)

    # -- to implement -----------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def parse(self) -> Parsed[R]:
        raise NotImplementedError

    def describe(self, request: R) -> Description:
        raise NotImplementedError

    def success_text(self, answer: S) -> str:
        """What the screen says after the write went through."""
        return "done"

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.TITLE_TEXT, classes="title", markup=False)
            with VerticalScroll(id="form"):
                yield from self.compose_fields()
                # What will be sent scrolls with the fields; what went wrong stays in sight below.
                yield Static("", id="summary")
                yield Static("", id="preview", markup=False)
            yield Static("", id="problems", markup=False)
            yield Static("", id="server-error", markup=False)
            yield Static("", id="status", markup=False)
            yield Static("Tab: next field · ctrl+s (or Enter in the last field): review · Esc: cancel",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        self.refresh_live()

    # -- live checking ------------------------------------------------------------------------

    @staticmethod
    def field_key(widget: Widget) -> str | None:
        """The problem key of a field: its id without the "f-" prefix."""
        ident = widget.id or ""
        return ident[2:] if ident.startswith("f-") else None

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Input.Changed | Checkbox.Changed) -> None:
        key = self.field_key(event.control)
        if key is not None:
            self._touched.add(key)
        self.refresh_live()

    def enter_pressed(self, field: Input) -> bool:
        """Enter: the next field, or the review after the last one."""
        inputs = [w for w in self.query(Input) if w.display and not w.disabled]
        if inputs and field is inputs[-1]:
            self.action_review()
        else:
            self.focus_next()
        return True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is handled as it arrives (enter_pressed); a programmatic submit does the same
        self.enter_pressed(event.input)

    def refresh_live(self) -> Parsed[R]:
        """Check the form now: tint wrong fields, list problems, say what would be sent."""
        parsed = self.parse()
        for widget in self.query("#form Input"):
            key = self.field_key(widget)
            widget.set_class(key in parsed.problems and (self._show_all or key in self._touched), "-invalid")
        shown = [msg for key, msg in parsed.problems.items() if self._show_all or key in self._touched]
        problems = self.query_one("#problems", Static)
        problems.update("\n".join(f"✗ {clean(m)}" for m in shown))
        problems.set_class(bool(shown), "shown")
        summary = self.query_one("#summary", Static)
        preview = self.query_one("#preview", Static)
        if parsed.ok and parsed.request is not None:
            description = self.describe(parsed.request)
            text = Content.assemble((description.lead, "bold"), " ", sentence_content(description.sentence), ".")
            if description.loud and description.warning:
                text = Content.assemble(text, "\n", (f"⚠ {description.warning}", "bold $text-error"))
            summary.update(text)
            preview.update(clean_block(description.preview))
            preview.set_class(True, "shown")
        else:
            preview.set_class(False, "shown")
            summary.update(Content.styled("Fill in the form to see what will be sent.", "$text-muted"))
            preview.update("")
        return parsed

    # -- sending ------------------------------------------------------------------------------

    def action_review(self) -> None:
        if self._in_flight:
            return  # a request is already on its way: never send twice
        self._show_all = True
        parsed = self.refresh_live()
        if not parsed.ok or parsed.request is None:
            self._status("Nothing sent: fix the fields marked above.")
            return
        request = parsed.request
        description = self.describe(request)
        dialog = ConfirmDialog(self.CONFIRM_TITLE, description.lead, description.sentence, description.preview,
                               confirm_label=self.CONFIRM_LABEL, warning=description.warning,
                               loud=description.loud, danger=self.DANGER)
        self.app.push_screen(dialog, lambda ok: self._confirmed(request, bool(ok)))

    def _confirmed(self, request: R, ok: bool) -> None:
        if not ok:
            self._status("Not sent.")
            return
        if self._in_flight:
            return
        self._in_flight = True  # set before the worker starts, so no second confirmation slips in
        self._send(request)

    @work(group="write", exit_on_error=False)
    async def _send(self, request: R) -> None:
        self.sends += 1
        form = self.query_one("#form")
        form.disabled = True
        self._status("Sending… (a write is never retried automatically)")
        self.query_one("#server-error", Static).set_class(False, "shown")
        try:
            answer = await self._sender(request)
        except (DataFastError, QueryError) as exc:
            self._failed(exc)
            return
        finally:
            self._in_flight = False
            form.disabled = False
        self.dismiss(answer)

    def _failed(self, error: Exception) -> None:
        advice = advise(error)
        title, detail = advice.title, advice.detail
        if isinstance(error, QueryError):
            title, detail = "Not sent", clean(str(error))  # refused before sending: what to change
        elif isinstance(error, DataFastError) and not isinstance(error, UnauthorizedError):
            # advise() speaks of refreshes and `r`, which retry reads; a write is only sent again by hand.
            detail = clean(error.message)
        if isinstance(error, UNSURE):
            after = ("It may have been stored all the same: check (the visitor's timeline, the payments) "
                     "before sending it again. The form is kept; Esc closes it.")
        else:
            after = "The form is kept: correct it and send again, or Esc."
        box = self.query_one("#server-error", Static)
        box.update(f"{title}: {detail}\n{after}")
        box.set_class(True, "shown")
        self._status("Not done.")
        # The form was disabled while sending, which took the focus away: give it back.
        self.query_one("#form Input", Input).focus()

    def _status(self, text: str) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(bool(text), "shown")

    def action_cancel(self) -> None:
        if self._in_flight:
            self._status("Sending… wait for the answer: the request may already have reached DataFast.")
            return
        self.dismiss(None)
