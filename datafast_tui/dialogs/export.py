"""The export dialog: CSV or JSON, and the file to write (default: a timestamped name in the current folder).

Returns an `ExportChoice`, or None when the user pressed Esc. The path is checked before the
dialog closes, so a missing folder or a folder without write permission is said here, where
it can be corrected; replacing an existing file needs a second Enter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from datafast_tui.data.breakdown_export import (
    FORMATS,
    SIDECAR_SUFFIX,
    existing_files,
    resolve_target,
    sidecar_path,
    target_problem,
)
from datafast_tui.dialogs.base import Dialog
from datafast_tui.widgets.field_input import FieldInput


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    fmt: str  # "csv" or "json"
    sidecar: bool  # CSV only: also write the query as <file>.query.json


class ExportDialog(Dialog[ExportChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without exporting"),
        Binding("ctrl+s", "export", "Export", tooltip="Export to the file named (from any field)"),
    ]

    DEFAULT_CSS = """
    ExportDialog .summary { color: $text-muted; margin-bottom: 1; }
    ExportDialog .field { margin-bottom: 1; }
    ExportDialog .field > Label { width: 8; }
    ExportDialog Checkbox { border: none; padding: 0; margin-bottom: 1; background: $surface; }
    """
    WIDTH = 78

    def __init__(self, title: str, summary: str, *, default_name: str, cwd: Path, fmt: str = "csv") -> None:
        super().__init__()
        self._title = title
        self._summary = summary
        self._default_stem = Path(default_name).stem
        self._cwd = cwd
        self._fmt = fmt
        self._confirmed: tuple[Path, bool] | None = None  # the existing files a first Enter warned about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title", markup=False)
            yield Static(self._summary, classes="summary", markup=False)
            with Horizontal(classes="field"):
                yield Label("Format")
                yield Select([(f.upper(), f) for f in FORMATS], value=self._fmt, allow_blank=False,
                             compact=True, id="format")
            yield Checkbox(f"CSV: also write the query (range, filters, sort) to <file>{SIDECAR_SUFFIX}",
                           value=True, id="sidecar", compact=True)
            with Horizontal(classes="field"):
                yield Label("File")
                yield FieldInput(str(self._cwd / f"{self._default_stem}.{self._fmt}"), compact=True, id="path")
            yield Static("", id="error", markup=False)
            yield Static("Enter in File or Ctrl+S: export · Tab / Shift+Tab: fields · Esc: cancel",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        self._show_sidecar()
        path = self.query_one("#path", Input)
        path.focus()
        path.cursor_position = len(path.value)

    @property
    def fmt(self) -> str:
        value = self.query_one("#format", Select).value
        return value if isinstance(value, str) else "csv"

    def _show_sidecar(self) -> None:
        self.query_one("#sidecar", Checkbox).display = self.fmt == "csv"

    @on(Select.Changed, "#format")
    def _format_changed(self) -> None:
        """Keep the file's extension in step with the format, unless the user typed their own."""
        field = self.query_one("#path", Input)
        path = Path(field.value)
        if path.suffix.lower().lstrip(".") in FORMATS:
            field.value = str(path.with_suffix(f".{self.fmt}"))
        self._show_sidecar()
        self._error("")
        self.query_one("#path", Input).focus()  # the format is chosen: the file is what is left

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._confirmed = None
        self._error("")

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    @on(Input.Submitted, "#path")
    def action_export(self) -> None:
        target = resolve_target(self.query_one("#path", Input).value, f"{self._default_stem}.{self.fmt}", self._cwd)
        problem = target_problem(target)
        if problem is not None:
            self._error(problem)
            return
        sidecar = self.fmt == "csv" and self.query_one("#sidecar", Checkbox).value
        # Both files the export writes are named: the query file beside a CSV is replaced too.
        replaced = existing_files([target, sidecar_path(target)] if sidecar else [target])
        if replaced and self._confirmed != (target, sidecar):
            self._confirmed = (target, sidecar)
            names = " and ".join(str(p) for p in replaced)
            verb = "exist: Enter again replaces them" if len(replaced) > 1 else "exists: Enter again replaces it"
            self._error(f"{names} {verb}")
            return
        self.dismiss(ExportChoice(target, self.fmt, sidecar))
