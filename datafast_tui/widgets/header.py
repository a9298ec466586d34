"""The one-line header every screen shares: site, currency, timezone, range, demo badge, live count, connection."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from datafast_tui.api.client import NO_WEBSITE_MESSAGE
from datafast_tui.api.errors import ConfigurationError
from datafast_tui.api.models import SiteMetadata
from datafast_tui.data.store import ConnectionStatus
from datafast_tui.formatting import age_seconds, number
from datafast_tui.safe_text import clean
from datafast_tui.widgets.kept_lines import KeptLines

_STATE_STYLE = {
    "ok": ("●", "bold $readable-success"),
    "unknown": ("○", "$text-muted"),
    "loading": ("◌", "$text-muted"),
    "waiting": ("◌", "bold $readable-warning"),
    "retrying": ("◌", "bold $readable-warning"),
    "offline": ("✕", "bold $readable-error"),
    "cached": ("◷", "bold $readable-warning"),
    "error": ("!", "bold $readable-error"),
    "unauthorized": ("✕", "bold $readable-error"),
}


def status_words(status: ConnectionStatus, now: float | None = None) -> str:
    """"ok", "loading…", "waiting for the request budget, 12 s", "retrying (2)",
    "offline · data 3 min old", "API key rejected"."""
    now = time.time() if now is None else now
    age = status.data_age(now)
    stale = f" · data {age_seconds(age)} old" if age is not None else " · no data yet"
    wait = status.budget_wait(now)
    if wait is not None and status.state in ("ok", "unknown"):
        return f"waiting for the request budget, {max(1, round(wait))} s"
    if status.loading and status.state in ("ok", "unknown"):
        return "loading…"
    match status.state:
        case "ok":
            return "ok"
        case "retrying":
            return f"retrying ({status.attempt})"
        case "offline":
            return "offline" + stale
        case "cached":  # the answers kept from the last run, while the site is reached
            return f"kept numbers, {age_seconds(age)} old" if age is not None else "connecting"
        case "error":
            if isinstance(status.error, ConfigurationError):
                return "needs a website (w)" if status.error.message == NO_WEBSITE_MESSAGE else "configuration"
            code = status.error.status if status.error is not None else None
            return (f"server error {code}" if code else "error") + stale
        case "unauthorized":
            return "API key rejected"
        case _:
            return "connecting"


class AppHeader(KeptLines, Widget):
    """Mirrors the app's `site`, `timezone`, `live_visitors`, `status` and `demo` and draws them."""

    DEFAULT_CSS = """
    AppHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    site: reactive[SiteMetadata | None] = reactive(None)
    timezone: reactive[str] = reactive("")
    live_visitors: reactive[int | None] = reactive(None)
    status: reactive[ConnectionStatus] = reactive(ConnectionStatus, repaint=False)
    demo: reactive[bool] = reactive(False)
    preparing: reactive[str] = reactive("")
    #: What the status part showed when last painted (see _repaint_status).
    _shown_status: tuple[object, ...] | None = None
    #: Repaints every second while a wait for the budget counts down (see watch_status).
    _countdown: Timer | None = None

    def on_mount(self) -> None:
        for name in ("site", "timezone", "live_visitors", "status", "demo", "preparing"):
            self.watch(self.app, name, self._mirror(name))
        # The data age grows while nothing arrives: a look every five seconds. A wait for the
        # budget counts down: every second, with a timer that runs only while waiting (an app
        # left open on Realtime would otherwise wake up every second for nothing).
        self.set_interval(5, self._repaint_status)

    def watch_status(self) -> None:
        waiting = self.status.budget_wait_until is not None
        if waiting and self._countdown is None:
            self._countdown = self.set_interval(1, self._repaint_status)
        elif not waiting and self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self._repaint_status()

    def _repaint_status(self) -> None:
        """Repaint only when the status part would read differently: each request changes the
        status (its last success), but "ok" does not age, and a repaint of the header costs ~1 ms
        and, on the Realtime screen, two of every three screen refreshes (measured)."""
        status = self.status
        shown = (status.state, bool(status.loading), status.budget_wait_until is not None, status_words(status))
        if shown != self._shown_status:
            self._shown_status = shown
            self.refresh()

    def _mirror(self, name: str) -> Callable[[object], None]:
        # One parameter: Textual passes (old, new) to watchers that take two.
        return lambda value: setattr(self, name, value)

    def render(self) -> Content:
        width = self.size.width
        site = self.site
        right: list[str | tuple[str, str]] = []
        if self.live_visitors is not None:
            right += [("● ", "$readable-success"), (f"{number(self.live_visitors)} live", "bold"), "  "]
        state = self.status.state
        if state in ("ok", "unknown"):  # a healthy connection: say what it is doing
            state = "waiting" if self.status.budget_wait_until else ("loading" if self.status.loading else state)
        icon, style = _STATE_STYLE.get(state, _STATE_STYLE["unknown"])
        words = status_words(self.status)
        if self.preparing:  # before any store: what the app is doing, instead of "connecting"
            icon, style = "◌", "bold $readable-warning"
            words = self.preparing if state != "cached" else f"{words} · {self.preparing}"
        right.append((f"{icon} {words} ", style))
        right_content = Content.assemble(*right)

        # Always shown, then optional pieces in order of importance while they fit.
        name = clean(site.name, placeholder="(unnamed site)") if site is not None else "DataFast"
        left = Content.assemble((" ◆ ", "bold $readable-accent"), (name, "bold"))
        optional: list[Content] = []
        if self.demo:
            optional.append(Content.assemble("  ", (" DEMO DATA ", "bold $on-warning on $warning")))
        if site is not None:
            optional.append(Content.styled(f"  {clean(site.currency)}", "$text-muted"))
        if self.timezone:
            optional.append(Content.styled(f"  {clean(self.timezone)}", "$text-muted"))
        if site is not None and site.domain and site.domain != site.name:
            optional.append(Content.styled(f"  {clean(site.domain)}", "$text-muted"))
        if self.demo:
            optional.append(Content.styled("  set DATAFAST_API_KEY to see your own site", "$text-warning"))
        room = width - right_content.cell_length - 1
        for piece in optional:
            if left.cell_length + piece.cell_length <= room:
                left = left + piece
        if left.cell_length > room:
            left = left.truncate(max(0, room), ellipsis=True)
        gap = max(1, width - left.cell_length - right_content.cell_length)
        return Content.assemble(left, " " * gap, right_content)
