"""The Textual app: shared state (query, site, connection), global keys, screens as modes."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from datafast_tui import palette_commands, startup_gc
from datafast_tui.api.catalogue import DEFAULT_BASE_URL
from datafast_tui.api.dates import PRESETS, PRESETS_BY_NAME, DateRange, resolve_preset
from datafast_tui.api.errors import BadRequestError, DataFastError, QueryError
from datafast_tui.api.filters import Filter
from datafast_tui.api.models import SiteMetadata
from datafast_tui.api.query import Query
from datafast_tui.config import ConfigError
from datafast_tui.data.answer_shelf import AnswerShelf
from datafast_tui.data.cached_copy import CachedCopyStore
from datafast_tui.data.store import AnalyticsStore, ConnectionStatus
from datafast_tui.heap_trim import IdleTrim
from datafast_tui.key_routing import redeliver_misrouted
from datafast_tui.messages import (
    AskForFilter,
    DataWritten,
    DrillDown,
    QueryAnswered,
    RemoveFilter,
)
from datafast_tui.quiet_work import work
from datafast_tui.resources import stylesheet
from datafast_tui.safe_text import clean
from datafast_tui.screens import SCREENS, ScreenEntry
from datafast_tui.screens.base import DataScreen
from datafast_tui.screens.context import ScreenContext
from datafast_tui.settings import Connection, Settings, connection_for
from datafast_tui.store_factory import (
    DemoProgress,
    StoreFactory,
    cached_copy,
    demo_options,
    open_store,
)
from datafast_tui.theme_contrast import readable_variables
from datafast_tui.view_actions import VIEW_BINDINGS, ViewActions
from datafast_tui.views import SavedView

if TYPE_CHECKING:  # the dialogs and the rest are imported when first used (start-up time)
    from textual.driver import Driver

    from datafast_tui.api.models_account import Website
    from datafast_tui.dialogs.date_range import RangeChoice

log = logging.getLogger("datafast_tui.app")

LIVE_POLL_SECONDS = 15.0
#: Seconds after mounting that garbage collection resumes at the latest (see startup_gc).
STARTUP_GC_SECONDS = 3.0
#: Seconds the kept copy's site metadata may take (it is in memory: a miss, not a slow disk).
KEPT_METADATA_WAIT = 0.5


def _zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc  # the site's own setting is odd; UTC is a readable fallback


class DataFastApp(ViewActions, App[int]):
    TITLE = "datafast-tui"
    # Every screen's stylesheet, read and parsed once at start. A screen's own CSS_PATH made
    # its first showing re-parse every stylesheet twice and restyle the whole app.
    CSS_PATH = [stylesheet("app.tcss"), *(stylesheet(entry.stylesheet_name) for entry in SCREENS)]
    # Built from the screen registry: a screen is imported and made the first time it is shown.
    MODES = {entry.name: entry.build for entry in SCREENS}

    BINDINGS = [
        *(Binding(entry.key, f"mode('{entry.name}')", entry.title, show=False, tooltip=entry.tooltip)
          for entry in SCREENS),
        Binding("question_mark", "help", "Help", tooltip="This list of keys"),
        Binding("d", "date_menu", "Range", tooltip="Date range menu: presets and custom dates"),
        Binding("left_square_bracket", "step(-1)", "Previous period", show=False,
                tooltip="Step the date range one period back"),
        Binding("right_square_bracket", "step(1)", "Next period", show=False,
                tooltip="Step the date range one period forward"),
        Binding("slash", "add_filter", "Filter", tooltip="Add a filter (dimension, operator, values)"),
        Binding("c", "toggle_compare", "Compare", tooltip="Compare with the previous period on/off"),
        Binding("0", "clear_filters", "Clear filters", show=False, tooltip="Remove every filter"),
        Binding("r", "refresh", "Refresh", tooltip="Reload now, bypassing the cache"),
        Binding("w", "switch_site", "Site", show=False, tooltip="Switch site profile (or the demo)"),
        Binding("q", "quit", "Quit", tooltip="Quit datafast-tui"),
        *VIEW_BINDINGS,
    ]

    # repaint=False throughout: widgets watch these and redraw themselves; a repaint of the
    # whole screen on every status change (each request) costs CPU for nothing.
    query: reactive[Query] = reactive(Query, repaint=False)
    query_error: reactive[str] = reactive("", repaint=False)
    site: reactive[SiteMetadata | None] = reactive(None, repaint=False)
    timezone: reactive[str] = reactive("", repaint=False)
    live_visitors: reactive[int | None] = reactive(None, repaint=False)
    status: reactive[ConnectionStatus] = reactive(ConnectionStatus, repaint=False)
    demo: reactive[bool] = reactive(False, repaint=False)
    store_generation: reactive[int] = reactive(0, repaint=False)
    #: Bumped after a write (goal, payment, deletion): screens showing data reload.
    data_generation: reactive[int] = reactive(0, repaint=False)
    #: A visitor id another screen asked the Visitor screen to open (see open_visitor).
    requested_visitor: reactive[str | None] = reactive(None, repaint=False)
    #: What the app is doing before any data can come ("generating the demo data 40%"), or "".
    preparing: reactive[str] = reactive("", repaint=False)

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice, except its POSIX terminal driver: ours sleeps until there is input
        (quiet_driver.py). Windows, browser mode's web driver and a TEXTUAL_DRIVER stay as chosen."""
        driver_class = super().get_driver_class()
        if driver_class.__module__ == "textual.drivers.linux_driver" and driver_class.__name__ == "LinuxDriver":
            from datafast_tui.quiet_driver import QuietLinuxDriver  # imports termios: POSIX only

            return QuietLinuxDriver
        return driver_class

    def __init__(self, settings: Settings, *, store_factory: StoreFactory | None = None,
                 clock: Callable[[], datetime] | None = None, demo_progress: DemoProgress | None = None,
                 kept_answers: Callable[[Connection], AnswerShelf] | None = None,
                 wall_clock_timers: bool = True) -> None:
        super().__init__()
        #: The live count poll, the periodic refresh and the preset roll, on the wall clock.
        #: Tests turn them off and call them when they mean to: a poll landing in the middle
        #: of a test (a busy machine makes a test last 15 s) would add requests it counts.
        self._wall_clock_timers = wall_clock_timers
        #: Where each connection's answers are kept (None: nothing is kept, e.g. in tests):
        #: the first connect paints them while the site is reached.
        self._kept_answers = kept_answers
        self._unsubscribe_status: Callable[[], None] | None = None
        #: Gives the heap that loads freed back to the OS once they are all done (heap_trim).
        self._idle_trim = IdleTrim(self.call_after_refresh)
        #: This site's saved views (view_actions), read from the config file when first needed.
        self._site_views: dict[str, SavedView] | None = None
        #: The Breakdowns tab to open on (a saved view's), taken by that screen once.
        self.requested_tab: str | None = settings.tab
        self.settings = settings
        self.connection = settings.connection
        if store_factory is None:
            options = demo_options(settings)
            store_factory, demo_progress = (lambda c: open_store(c, demo=options)), options.progress
        self._store_factory = store_factory
        #: How far a first start's demo generation got (the header shows it while connecting).
        self._demo_progress = demo_progress
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.store: AnalyticsStore | None = None
        self._websites: tuple[Website, ...] = ()  # the account websites the site picker listed
        self.site_zone: tzinfo = _zone(settings.timezone)
        self.set_reactive(DataFastApp.demo, settings.connection.demo)
        self.set_reactive(DataFastApp.query, Query(
            range=settings.custom_range or resolve_preset(settings.range, self.clock(), self.site_zone),  # type: ignore[arg-type]
            timezone=settings.timezone, filters=settings.filters, compare=settings.compare,
        ))

    async def on_event(self, event: events.Event) -> None:
        if redeliver_misrouted(self, event):  # a key typed in a burst, see key_routing
            event.stop()
            return
        if isinstance(event, events.Key) and self.screen_stack and isinstance(self.screen, DataScreen):
            focused = self.screen.focused
            if focused is not None and not focused.is_attached:
                # A key routed to a removed widget would reach no binding at all: refocus first.
                self.screen.ensure_focus()
        await super().on_event(event)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, with text colours that read on its surfaces (see theme_contrast)."""
        variables = super().get_css_variables()
        variables.update(readable_variables(variables))
        self.theme_variables = variables  # Textual set it without the corrections; the chart reads it
        return variables

    # -- derived state ----------------------------------------------------------------------

    @property
    def currency(self) -> str | None:
        return self.site.currency if self.site is not None else None

    def today(self) -> date:
        return self.clock().astimezone(self.site_zone).date()

    def screen_context(self) -> ScreenContext | None:
        """What screens load and draw with (see screens/context.py); None until a store is open."""
        if self.store is None:
            return None
        return ScreenContext(
            store=self.store, query=self.query, zone=self.site_zone, zone_name=self.timezone or "UTC",
            currency=self.currency, site=self.site, demo=self.demo, clock=self.clock, settings=self.settings,
            data_version=(self.store_generation, self.data_generation),
        )

    def take_requested_visitor(self) -> str | None:
        """The visitor another screen asked the Visitor screen to open, once (see open_visitor)."""
        visitor_id, self.requested_visitor = self.requested_visitor, None
        return visitor_id

    # -- start-up and connection ----------------------------------------------------------

    def on_mount(self) -> None:
        # The default theme costs nothing here (an unchanged reactive calls no watcher); another
        # one restyles once more. set_reactive in __init__ would skip Textual's theme classes.
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"unknown theme {self.settings.theme!r}; using {self.theme}", severity="warning",
                        markup=False)
        for warning in self.settings.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15, markup=False)
        if self.settings.visitor:
            self.requested_visitor = self.settings.visitor
        self.switch_mode(self.settings.screen)
        self.connect(self.connection)
        # The collector comes back once start-up is over: the first data painted, or soon anyway.
        self.set_timer(STARTUP_GC_SECONDS, startup_gc.resume)
        if self._wall_clock_timers:
            self.set_interval(LIVE_POLL_SECONDS, self._poll_live)
            self.set_interval(self.settings.refresh, self._periodic_refresh)
            self.set_interval(60, self._roll_preset)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self, connection: Connection) -> None:
        """Open a store for `connection` (demo or a real site) and make every screen reload."""
        self.status = ConnectionStatus("unknown")
        watch = self.set_interval(0.25, self._show_preparing) if connection.demo else None
        opening = asyncio.ensure_future(self._store_factory(connection))
        try:
            if self.store is None and self._kept_answers is not None:
                await self._show_kept_answers(connection)
            store = await opening
        except Exception as exc:  # noqa: BLE001 - any failure to open (bad URL, demo disk full) is shown
            log.exception("cannot open a store for %s", connection.label)
            from datafast_tui.error_advice import advise

            advice = advise(exc)
            if isinstance(self.store, CachedCopyStore):  # its numbers stay, and say how old they are
                self.store.stop_waiting()
                self._listen_to(None)
            self.status = ConnectionStatus("error", error=exc if isinstance(exc, DataFastError) else None)
            self.notify(f"{advice.title}: {advice.detail}", severity="error", timeout=30, markup=False)
            return
        finally:
            opening.cancel()  # a no-op once done; else this connect was superseded
            if watch is not None:
                watch.stop()
            self.preparing = ""
        for notice in store.notices:
            self.notify(notice, severity="warning", timeout=20, markup=False)
        old, self.connection, self.demo = self.store, connection, connection.demo
        kept = isinstance(old, CachedCopyStore) and old.same_data_as(store)
        if kept:
            old.stop_waiting()  # asked only after a live load failed: its answer at once, or none
            store.fall_back_on(old)  # its numbers, stale now: what an unreachable site still shows
        site = await self._fetch_site(store)
        self._apply_site(site)
        self._listen_to(store)
        self.store = store
        self.store_generation += 1
        if old is not None and not kept:
            await old.aclose()  # (a kept copy is closed with the store that falls back on it)
        self._poll_live()

    async def _show_kept_answers(self, connection: Connection) -> None:
        """Paint the answers kept from the last run while the live store opens (stale-while-
        revalidate): the site's metadata from them, then every screen loads from them."""
        assert self._kept_answers is not None
        try:
            copy = cached_copy(self._kept_answers(connection), connection)
        except OSError as exc:  # the cache folder: not fatal, nothing is painted early
            log.warning("kept answers unusable: %s", exc)
            return
        if copy is None:
            return
        try:  # kept: answered at once; not kept: it would wait for the live store
            site = (await asyncio.wait_for(copy.metadata(), KEPT_METADATA_WAIT)).value
        except (TimeoutError, DataFastError):
            await copy.aclose()
            return
        self.demo = connection.demo
        self._apply_site(site)
        self._listen_to(copy)
        self.store = copy
        self.store_generation += 1

    def _listen_to(self, store: AnalyticsStore | None) -> None:
        """Show `store`'s status in the header (None: no store's), and no longer the last store's."""
        if self._unsubscribe_status is not None:
            self._unsubscribe_status()
            self._unsubscribe_status = None
        if store is not None:
            self._unsubscribe_status = store.subscribe(self._on_status)
            self.status = store.status

    def _show_preparing(self) -> None:
        """While the demo opens: what it is doing (a first start of the day generates its data)."""
        fraction = self._demo_progress.fraction if self._demo_progress is not None else None
        if fraction is None:
            self.preparing = "opening the demo data…"
        else:
            self.preparing = f"generating the demo data (first start today): {fraction:.0%}"

    async def _fetch_site(self, store: AnalyticsStore) -> SiteMetadata | None:
        try:
            return (await store.metadata()).value
        except DataFastError as exc:
            self.report_error(exc)
            return None

    def _apply_site(self, site: SiteMetadata | None) -> None:
        """Take the site's timezone and re-read the range preset in it (days start at the site's midnight)."""
        self.site = site
        zone_name = self.settings.timezone or (site.timezone if site is not None else None)
        self.site_zone = _zone(zone_name)
        self.timezone = zone_name or "UTC"
        self._roll_preset()

    def watch_query(self) -> None:
        self.refresh_bindings()  # "0 Clear filters" comes and goes with the filters

    def _on_status(self, status: ConnectionStatus) -> None:
        self.status = status
        self._idle_trim.loads_changed(status.loading)

    def open_visitor(self, visitor_id: str) -> None:
        """Show one visitor in the Visitor screen (from the realtime list, the palette, --visitor)."""
        self.requested_visitor = visitor_id
        self.action_mode("visitor")

    def data_changed(self) -> None:
        """Call after a write: the store has dropped what it affects; visible screens reload now."""
        self.data_generation += 1

    def report_error(self, error: DataFastError | None) -> None:
        """A 400 is about what the user asked: show the server's words in the query bar."""
        self.query_error = error.message if isinstance(error, BadRequestError) else ""

    # -- timers ---------------------------------------------------------------------------

    @work(exclusive=True, group="live", exit_on_error=False)
    async def _poll_live(self) -> None:
        store = self.store
        if store is None:
            return
        if self.site is None:
            self._apply_site(await self._fetch_site(store))
        if any(isinstance(screen, DataScreen) and screen.entry.owns_live_count for screen in self.screen_stack):
            return  # the realtime screen polls the count itself (and sets live_visitors)
        try:
            self.live_visitors = (await store.realtime()).value.visitors
        except DataFastError:
            pass  # the header's connection state already tells; keep the last count

    # Not "_auto_refresh": Textual's widgets already own an attribute of that name.
    def _periodic_refresh(self) -> None:
        if isinstance(self.screen, DataScreen):
            self.screen.reload(refresh=True)

    def _roll_preset(self) -> None:
        """Keep a preset true to its name as time passes ("today" after midnight, "last 24 hours")."""
        preset = self.query.range.preset
        if preset in PRESETS_BY_NAME:
            rng = resolve_preset(preset, self.clock(), self.site_zone)  # type: ignore[arg-type]
            if rng != self.query.range:
                self.query = self.query.with_range(rng)

    # -- actions --------------------------------------------------------------------------

    #: Actions on the global query: hidden (and inactive) on a screen the query does not apply to.
    QUERY_ACTIONS = frozenset({"date_menu", "step", "add_filter", "toggle_compare", "clear_filters"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.QUERY_ACTIONS and self.screen_stack:
            screen = self.screen
            if isinstance(screen, DataScreen) and not screen.entry.uses_query:
                return False  # Realtime and Visitor ignore the range, filters and compare
            if action == "toggle_compare" and isinstance(screen, DataScreen) and not screen.entry.compares:
                return False  # People has no previous period (and `c` is its customer key)
            if action == "clear_filters" and not self.query.filters:
                return None  # listed in the help, but nothing to clear yet
        return True

    def action_mode(self, name: str) -> None:
        if name != self.current_mode:
            self.switch_mode(name)
            self._idle_trim.soon()

    def action_help(self) -> None:
        screen = self.screen
        title = screen.entry.title if isinstance(screen, DataScreen) else ""
        from datafast_tui.dialogs.help import HelpDialog, bindings_of

        self.push_screen(HelpDialog(title, bindings_of(screen)))

    def action_refresh(self) -> None:
        if isinstance(self.screen, DataScreen):
            self.screen.reload(refresh=True)
        self._poll_live()

    def action_date_menu(self) -> None:
        from datafast_tui.dialogs.date_range import DateRangeMenu

        self.push_screen(DateRangeMenu(self.query.range, self.today()), self._apply_range_choice)

    def _apply_range_choice(self, choice: RangeChoice | None) -> None:
        if choice is None:
            return
        rng = resolve_preset(choice, self.clock(), self.site_zone) if isinstance(choice, str) else choice  # type: ignore[arg-type]
        self.set_range(rng)

    def set_range(self, rng: DateRange) -> None:
        query = self.query.with_range(rng)
        if query.compare and query.comparison() is None:
            query = replace(query, compare=False)
            self.notify("Compare is off: all time has no previous period", markup=False)
        self.query = query

    def action_step(self, steps: int) -> None:
        try:
            rng = self.query.range.shift(steps, self.today())
        except QueryError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.set_range(self._as_preset(rng))

    def _as_preset(self, rng: DateRange) -> DateRange:
        """`rng` named as the preset it is right now, if any (`[` then `]` is "Last 7 days" again)."""
        current = self.query.range.preset  # the preset stepped from comes first: its name is expected
        for preset in sorted(PRESETS, key=lambda p: p.name != current):
            named = resolve_preset(preset.name, self.clock(), self.site_zone)  # type: ignore[arg-type]
            if not named.is_all_time and (named.start, named.end) == (rng.start, rng.end):
                return named
        return rng

    def action_toggle_compare(self) -> None:
        if not self.query.compare and self.query.comparison() is None:
            self.notify("Compare needs a date range: all time has no previous period", severity="warning",
                        markup=False)
            return
        self.query = self.query.toggled_compare()

    def action_add_filter(self, dimension: str | None = None) -> None:
        from datafast_tui.dialogs.filter import FilterDialog

        dialog = FilterDialog(dimension=dimension, suggest_values=self._suggest_values, demo=self.demo)
        self.push_screen(dialog, lambda f: self.add_filter(f) if f is not None else None)

    async def _suggest_values(self, dimension: str) -> list[str]:
        if self.store is None:
            return []
        from datafast_tui.data.value_suggestions import suggest_values

        return await suggest_values(self.store, self.query, dimension)

    def add_filter(self, new: Filter) -> None:
        self.query = self.query.with_filter(new)

    def remove_filter(self, dimension: str) -> None:
        self.query = self.query.without_filter(dimension)

    def action_clear_filters(self) -> None:
        self.query = self.query.without_filters()

    # -- what screens and widgets tell the app (datafast_tui/messages.py) ------------------------

    def on_drill_down(self, message: DrillDown) -> None:
        self.add_filter(message.filter)
        self.notify(f"filter added: {clean(message.filter.describe())}", timeout=3, markup=False)

    def on_remove_filter(self, message: RemoveFilter) -> None:
        self.remove_filter(message.dimension)

    def on_ask_for_filter(self, message: AskForFilter) -> None:
        self.action_add_filter(message.dimension)

    def on_query_answered(self, message: QueryAnswered) -> None:
        self.report_error(message.problem)

    def on_data_written(self, _: DataWritten) -> None:
        self.data_changed()

    def show_live_count(self, visitors: int) -> None:
        self.live_visitors = visitors

    def action_switch_site(self) -> None:
        if self.store is not None and self.store.is_account_token:
            self._pick_with_websites(self.store)  # the account's websites come first
        else:
            self._push_site_picker((), None)

    def _push_site_picker(self, websites: tuple[Website, ...], problem: str | None) -> None:
        from datafast_tui.dialogs.site_picker import SitePicker

        self._websites = websites
        self.push_screen(SitePicker(sorted(self.settings.config.profiles), current=self.connection,
                                    websites=websites, websites_problem=problem), self.switch_site)

    @work(exclusive=True, group="websites", exit_on_error=False)
    async def _pick_with_websites(self, store: AnalyticsStore) -> None:
        try:
            websites, problem = (await store.websites()).value, None
        except DataFastError as exc:
            from datafast_tui.error_advice import advise

            websites, problem = (), advise(exc).detail
        if store is self.store:
            self._push_site_picker(websites, problem)

    def _use_another_key(self) -> None:
        from datafast_tui.dialogs.site_picker import KEY_CHOICE

        self.switch_site(KEY_CHOICE)

    def switch_site(self, name: str | None) -> None:
        """Switch to a profile by name ("demo" for the demo); everything reloads for the new site."""
        from datafast_tui.dialogs.site_picker import DEMO_ACCOUNT_CHOICE, KEY_CHOICE, WEBSITE_PREFIX

        if name is None:
            return
        if name.startswith(WEBSITE_PREFIX):
            site = next((w for w in self._websites if WEBSITE_PREFIX + w.id == name), None)
            if site is not None:
                self.use_connection(replace(self.connection, website_id=site.id, website_label=site.label))
            return
        if name == DEMO_ACCOUNT_CHOICE:
            self.use_connection(Connection(demo=True, demo_account=True))
            return
        if name == KEY_CHOICE:
            base = self.connection.base_url if not self.connection.demo else DEFAULT_BASE_URL
            from datafast_tui.dialogs.api_key import ApiKeyDialog

            self.push_screen(ApiKeyDialog(base), lambda key: self.use_key(key, base) if key else None)
            return
        try:
            if name == "demo":
                connection = Connection(demo=True)
            else:
                connection = connection_for(self.settings.config, os.environ, profile=name, profile_from_flag=True)
        except ConfigError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        self.use_connection(connection)

    def use_connection(self, connection: Connection) -> None:
        """Open another site (the Sites screen's Enter); everything reloads for it."""
        self.site, self.live_visitors = None, None
        self.connect(connection)

    async def open_side_store(self, connection: Connection) -> AnalyticsStore:
        """A store of its own for a site that is not the open one (the Sites screen's other rows)."""
        return await self._store_factory(connection)

    def use_key(self, key: str, base_url: str) -> None:
        """Connect with a key typed in this session (the picker's "another API key…")."""
        self.use_connection(Connection(demo=False, api_key=key, base_url=base_url))

    # -- command palette --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands.commands(self, screen)

    async def _run_on_screen(self, entry: ScreenEntry, action: str) -> None:
        """A palette command of a screen: switch to it, then run the action there."""
        if self.current_mode != entry.name:
            await self.switch_mode(entry.name)
        screen = self.screen
        if isinstance(screen, DataScreen) and screen.entry is entry:
            await screen.run_action(action)
