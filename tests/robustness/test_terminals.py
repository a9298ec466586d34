"""Terminals: NO_COLOR is honoured, a light theme stays readable, everything fits 80x24, no mouse needed.

- NO_COLOR: the app runs in a real pseudo-terminal (xterm-256color, 80x24) through all four
  screens and the help, and the SGR sequences it writes are parsed: with NO_COLOR set every
  colour in them is a shade of grey, without it the same screens are in colour. Textual's
  answer to NO_COLOR is monochrome, not "no SGR at all": its filter turns each colour into
  its grey, so the cursor row, the header and the dialogs stay set apart.
- Light theme (`[defaults] theme = "textual-light"`): SVG snapshots of the four screens,
  and every piece of text on them and on every dialog reads at 3:1 contrast or better
  (WCAG 2 formula, on the colours the compositor hands the terminal).
- 80x24, keyboard only (`pilot.press` and a paste, never a click): the help of each screen
  lists every key its screen and the app declare, and j scrolls it to its last line; the
  footer always shows the palette key, and the palette opens the help. Every dialog (range
  menu, filter, site picker, export, visitor lookup, goal, payment, delete goals, delete
  payments, and each write's confirmation) shows its frame, title and keys hint whole on
  screen; Tab reaches every field of the forms, each then whole on screen; Esc closes each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.command import CommandList, CommandPalette
from textual.containers import VerticalScroll
from textual.errors import NoWidget
from textual.geometry import Region
from textual.screen import ModalScreen, Screen
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget
from textual.widgets import Checkbox, Input

from datafast_tui.app import DataFastApp
from datafast_tui.dialogs.confirm import ConfirmDialog
from datafast_tui.dialogs.date_range import DateRangeMenu
from datafast_tui.dialogs.delete import DeleteGoalsDialog, DeletePaymentsDialog
from datafast_tui.dialogs.export import ExportDialog
from datafast_tui.dialogs.filter import FilterDialog
from datafast_tui.dialogs.goal import GoalDialog
from datafast_tui.dialogs.help import HelpDialog
from datafast_tui.dialogs.payment import PaymentDialog
from datafast_tui.dialogs.site_picker import SitePicker
from datafast_tui.dialogs.visitor_lookup import VisitorLookup
from datafast_tui.screens.breakdowns import BreakdownsScreen
from datafast_tui.screens.overview import OverviewScreen
from datafast_tui.screens.realtime import RealtimeScreen
from datafast_tui.screens.visitor import VisitorScreen
from datafast_tui.theme_contrast import AUTO_VARIABLES, contrast_ratio, readable_variables
from tests.robustness.conftest import settle
from tests.robustness.pty_app import PtyApp, private_env
from tests.snapshots.test_realtime_snapshots import store_with_a_payment
from tests.snapshots.test_visitor_snapshots import prepare
from tests.ui.conftest import SIZE, SMALL, screen_text, wait_until

#: Its snapshots are drawn the same on every run (see no_rate_limit_headers).
pytestmark = pytest.mark.usefixtures("no_rate_limit_headers")
from tests.ui.visitor_support import state_dir, visitor_app  # noqa: F401 - fixtures

LIGHT = '[defaults]\ntheme = "textual-light"\n'
#: Realtime polls every 5 s in the snapshot, as in tests/snapshots (the status line says so).
LIGHT_REALTIME = LIGHT + "[realtime]\ninterval = 5\n"
#: The least contrast a piece of text may have (WCAG 2: large or bold text; graphics).
MIN_CONTRAST = 3.0


# -- NO_COLOR, in a real pseudo-terminal ------------------------------------------------------

#: Select Graphic Rendition: the escape sequence that sets colours and attributes.
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
def sgr(output: str) -> tuple[set[tuple[int, int, int]], set[int]]:
    """The colours (as RGB: 16-colour, 256-colour and true colour) and the other attributes (1 bold,
    7 reverse…) that the SGR sequences in `output` set."""
    colours: set[tuple[int, int, int]] = set()
    attributes: set[int] = set()
    for match in SGR.finditer(output):
        params = [int(p) if p else 0 for p in re.split("[;:]", match.group(1))]
        i = 0
        while i < len(params):
            code = params[i]
            if code in (38, 48, 58) and i + 2 < len(params) and params[i + 1] == 5:
                colours.add(tuple(RichColor.from_ansi(params[i + 2]).get_truecolor()))
                i += 3
                continue
            if code in (38, 48, 58) and i + 4 < len(params) and params[i + 1] == 2:
                colours.add((params[i + 2], params[i + 3], params[i + 4]))
                i += 5
                continue
            if 30 <= code <= 37 or 40 <= code <= 47:
                colours.add(tuple(RichColor.from_ansi(code % 10).get_truecolor()))
            elif 90 <= code <= 97 or 100 <= code <= 107:
                colours.add(tuple(RichColor.from_ansi(code % 10 + 8).get_truecolor()))
            else:
                attributes.add(code)
            i += 1
    return colours, attributes


def is_grey(rgb: tuple[int, int, int]) -> bool:
    return len(set(rgb)) == 1


def run_screens(root: Path, *, no_color: bool) -> tuple[str, int]:
    """Start the demo at 80x24, show each screen once it has data and the help, quit; (output, exit status)."""
    extra = {"NO_COLOR": "1"} if no_color else {}
    term = PtyApp("--demo", env=private_env(root, **extra), size=SMALL)
    try:
        term.wait_for("Visitors by day", " live")  # the overview, loaded
        for key, words in (("2", ("rows", "Hostname")), ("3", ("Active visitors", "Events")),
                           ("4", ("Pick a visitor",)), ("?", ("Keys — Visitor",))):
            term.press(key, pause=0)
            term.wait_for(*words)
        term.press("\x1b")  # Esc alone: Textual waits a moment for the rest of a sequence
        return term.raw(), term.quit()
    finally:
        term.close()


def test_no_color_sends_only_greys_and_the_control_run_has_colour(pty_home: Path) -> None:
    coloured, status = run_screens(pty_home, no_color=False)
    assert status == 0
    colours, _ = sgr(coloured)
    hues = {rgb for rgb in colours if not is_grey(rgb)}
    assert len(hues) >= 5, hues  # the same screens in colour: the check below can fail

    plain, status = run_screens(pty_home, no_color=True)
    assert status == 0
    colours, attributes = sgr(plain)
    assert colours, "no SGR colours at all: the parse is broken"
    assert {rgb for rgb in colours if not is_grey(rgb)} == set()
    assert len(colours) >= 4  # shades still set the header, the cursor row, the dialogs apart
    assert 1 in attributes  # and bold stays


async def paste(pilot, text: str) -> None:
    """What a terminal sends for a paste (bracketed paste): one event to the focused field, no mouse."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


# -- a light theme ----------------------------------------------------------------------------

@pytest.fixture
def light_config(tmp_path: Path) -> Path:
    path = tmp_path / "light.toml"
    path.write_text(LIGHT_REALTIME, encoding="utf-8")
    return path


def light_run_before(*keys: str):
    async def run(pilot) -> None:
        await settle(pilot, pilot.app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, pilot.app)

    return run


def test_light_overview_120x36(snap_compare, make_app) -> None:
    assert snap_compare(make_app(config_text=LIGHT), terminal_size=SIZE, run_before=light_run_before())


def test_light_breakdowns_120x36(snap_compare, make_app) -> None:
    app = make_app("--screen", "breakdowns", config_text=LIGHT)
    assert snap_compare(app, terminal_size=SIZE, run_before=light_run_before("j", "j"))


def test_light_realtime_120x36(snap_compare, make_app, demo_cache) -> None:
    app = make_app("--screen", "realtime", config_text=LIGHT_REALTIME, store_factory=store_with_a_payment(demo_cache))
    assert snap_compare(app, terminal_size=SIZE, run_before=light_run_before())


def test_light_visitor_120x36(snap_compare, visitor_app, light_config: Path) -> None:
    app, demo = visitor_app("--config", str(light_config))
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare([demo], "rich"))


def contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    return contrast_ratio(Color(*fg), Color(*bg))


def is_text(text: str) -> bool:
    """Letters or digits (box drawing, blocks, braille and bars are graphics, not text)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def exempt(app: DataFastApp, x: int, y: int, text: str) -> bool:
    """Faint on purpose, in the dark theme too: a dialog's backdrop (the screen under it, dimmed), an
    unticked checkbox's X."""
    try:
        widget, _ = app.screen.get_widget_at(x, y)
    except NoWidget:
        return False
    if widget is app.screen and isinstance(widget, ModalScreen):
        return True
    return isinstance(widget, Checkbox) and not widget.value and text.strip() == "X"


def faint_text(app: DataFastApp) -> list[str]:
    """Each piece of text on screen reading under MIN_CONTRAST: "ratio 'text' style"."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):  # noqa: SLF001
        x = 0
        for segment in strip:
            style, width = segment.style, segment.cell_length
            x, start = x + width, x
            if style is None or style.color is None or style.bgcolor is None or not is_text(segment.text):
                continue
            fg, bg = tuple(style.color.get_truecolor()), tuple(style.bgcolor.get_truecolor())
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:  # as terminals draw it: half way to the background
                fg = tuple((f + b) // 2 for f, b in zip(fg, bg, strict=True))
            ratio = contrast(fg, bg)
            if ratio < MIN_CONTRAST and not exempt(app, start + len(segment.text) - len(segment.text.lstrip()), y,
                                                   segment.text):
                found.append(f"{ratio:.2f} {segment.text.strip()[:40]!r} {style}")
    return found


async def test_light_theme_text_reads_on_every_screen_and_dialog(visitor_app, light_config: Path) -> None:
    app, demo = visitor_app("--screen", "overview", "--config", str(light_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.theme == "textual-light"
        faint: dict[str, list[str]] = {}

        async def look(where: str, *keys: str) -> None:
            await pilot.press(*keys)
            await settle(pilot, app)
            faint[where] = faint_text(app)

        await look("overview")
        await look("help", "question_mark")
        await look("range menu", "escape", "d")
        await look("filter dialog", "escape", "slash")
        await look("command palette", "escape", "ctrl+p")
        await look("breakdowns", "escape", "2")
        await look("export dialog", "e")
        await look("realtime", "escape", "3")
        await look("visitor start", "4")
        await look("lookup dialog", "o")
        await paste(pilot, demo.visitor("rich"))
        await look("visitor", "enter")
        assert isinstance(app.screen, VisitorScreen) and app.screen.visitor is not None
        await look("goal dialog", "n", *"trial")
        await look("goal confirmation", "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await look("delete goals confirmation (loud)", "escape", "escape", "x", "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog) and app.screen.loud
        await look("payment dialog", "escape", "escape", "p", "4", "9")
        await look("payment confirmation", "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
    assert {where: found for where, found in faint.items() if found} == {}


def test_dark_theme_colours_are_left_alone_and_every_theme_defines_the_readable_ones() -> None:
    for name, theme in BUILTIN_THEMES.items():
        variables = {**theme.to_color_system().generate(), **theme.variables}
        extra = readable_variables(variables)
        assert {f"readable-{c}" for c in ("accent", "success", "warning", "error")} <= extra.keys(), name
        assert {f"on-{c}" for c in ("success", "warning", "error")} <= extra.keys(), name
        for faint in AUTO_VARIABLES if not name.startswith("ansi") else ():
            # solid colours: Content styles drop the opacity of "auto 60%" (ANSI themes: the terminal's own)
            assert extra[faint].startswith("#") and len(extra[faint]) == 7, (name, faint, extra[faint])
        if name == "textual-dark":  # the default look keeps its colours; only the error red as text
            # (2.5:1 on the dark panel: the header's "offline") gives way to its $text-error,
            # and the faint texts are what their "auto N%" gives over the background
            changed = {k: v for k, v in extra.items() if k in variables and variables[k] != v}
            # (38% is #6C6C6C, under 3:1 on the panel: raised until it reads)
            assert changed == {"text-muted": "#A0A0A0", "text-disabled": "#777777"}
            assert {k: extra[k] for k in extra if k.startswith("readable-")} == \
                {"readable-accent": variables["accent"], "readable-success": variables["success"],
                 "readable-warning": variables["warning"], "readable-error": variables["text-error"]}


async def test_another_light_theme_chosen_at_run_time_reads_too(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        app.theme = "catppuccin-latte"  # what ctrl+p > Theme does: the corrections follow
        await pilot.pause()
        assert faint_text(app) == []
        await pilot.press("question_mark")
        await pilot.pause()
        assert faint_text(app) == []
        app.theme = "ansi-dark"  # the terminal's own colours: nothing to correct, still drawn
        await pilot.press("escape", "4", "question_mark")
        await pilot.pause()
        assert app._exception is None and "Keys — Visitor" in screen_text(app)  # noqa: SLF001


# -- 80x24, keyboard only -------------------------------------------------------------------

def fully_shown(app: DataFastApp, widget: Widget) -> bool:
    """The whole widget is on the terminal: not clipped by its container nor by the screen's edge."""
    geometry = app.screen.find_widget(widget)
    screen = Region(0, 0, *app.size)
    return geometry.region.area > 0 and geometry.visible_region == geometry.region and \
        screen.contains_region(geometry.region)


def first_command(app: DataFastApp) -> str:
    """The palette's first match, as listed (empty while it has none)."""
    matches = app.screen.query(CommandList)
    if not matches or not matches.first().option_count:
        return ""
    return str(matches.first().get_option_at_index(0).prompt).strip()


def declared_keys(app: DataFastApp, *owners: type) -> Iterator[tuple[str, Binding]]:
    """(key as the help shows it, binding) for each key the classes declare."""
    for owner in owners:
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                yield app.get_key_display(Binding(key.strip(), binding.action)), binding


async def check_help(pilot, app: DataFastApp, screen_class: type[Screen]) -> int:
    """Open the help with `?`, check it against the declared keys, scroll it to its end with j; its scroll range."""
    await pilot.press("question_mark")
    await pilot.pause()
    help_screen = app.screen
    assert isinstance(help_screen, HelpDialog)
    rows = help_screen.rows
    keys = {key for row in rows for key in row.keys.split(" ")}
    descriptions = {row.description for row in rows}
    shown_for = app.screen_stack[-2].entry
    for key, binding in declared_keys(app, screen_class, DataFastApp):
        if binding.action.split("(")[0] in DataFastApp.QUERY_ACTIONS and not shown_for.uses_query:
            continue  # hidden on this screen on purpose (the query keys on Realtime and Visitor)
        assert key in keys, f"{screen_class.__name__}: key {key} ({binding.action}) is not in the help"
    for _, binding in declared_keys(app, screen_class):
        assert (binding.tooltip or binding.description) in descriptions, binding
    box = help_screen.query_one(VerticalScroll)
    assert fully_shown(app, help_screen.query_one(".title"))
    lines = list(box.query(".help-row"))
    assert len(lines) == len(rows)
    seen: set[int] = set()
    # j scrolls one line; half a view of presses between looks still shows every line once.
    step = max(1, box.scrollable_content_region.height // 2)
    for _ in range(len(rows)):
        seen |= {i for i, line in enumerate(lines) if fully_shown(app, line)}
        if box.scroll_y >= box.max_scroll_y:
            break
        before = box.scroll_y
        await pilot.press(*["j"] * step)
        await pilot.pause()
        assert box.scroll_y == min(before + step, box.max_scroll_y)
    assert box.scroll_y == box.max_scroll_y
    seen |= {i for i, line in enumerate(lines) if fully_shown(app, line)}
    assert seen == set(range(len(rows))), [rows[i] for i in sorted(set(range(len(rows))) - seen)]
    assert fully_shown(app, lines[-1])  # the last line is on screen at the end
    last = rows[-1]
    assert f"{last.keys}" in screen_text(app) and last.description[:20] in screen_text(app)
    scrolled = box.max_scroll_y
    if scrolled:
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == scrolled - 1  # and back up with k
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, HelpDialog)
    return int(scrolled)


async def test_help_of_every_screen_lists_every_key_and_scrolls_at_80x24(visitor_app) -> None:
    app, demo = visitor_app("--screen", "overview")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        scroll = {}
        for key, screen_class in (("1", OverviewScreen), ("2", BreakdownsScreen), ("3", RealtimeScreen),
                                  ("4", VisitorScreen)):
            await pilot.press(key)
            await settle(pilot, app)
            assert isinstance(app.screen, screen_class)
            if screen_class is VisitorScreen:  # with a visitor open: `i` swaps sides on a narrow terminal
                await pilot.press("o")
                await paste(pilot, demo.visitor("rich"))
                await pilot.press("enter")
                await settle(pilot, app)
                assert app.screen.visitor is not None
            # Below 100 columns the footer is compact and leaves out the palette key, so that the
            # help key is always in it; the help lists Ctrl+P (and the palette has the help).
            footer = screen_text(app).splitlines()[-1]
            assert "? Help" in footer and "^p palette" not in footer
            scroll[screen_class.__name__] = await check_help(pilot, app, screen_class)
        assert all(lines > 0 for lines in scroll.values()), scroll  # at 80x24 every help needs its scrolling

        # The help from the palette, by keys alone.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"help")
        await wait_until(pilot, lambda: first_command(app).startswith("Help"), "the palette never listed the help")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpDialog)


def dialog_box(app: DataFastApp) -> Widget:
    """The dialog's frame: the modal screen's only child."""
    children = list(app.screen.children)
    assert len(children) == 1, children
    return children[0]


async def check_dialog(pilot, app: DataFastApp, kind: type[ModalScreen], *keys: str, controls: str = ".hint") -> None:
    """Open a dialog with `keys`: its frame, title and `controls` line are whole on screen."""
    for key in keys:
        await pilot.press(key)
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, kind), (kind, dialog)
    box = dialog_box(app)
    assert fully_shown(app, box), kind.__name__
    for selector in (".title", controls):
        shown = [widget for widget in dialog.query(selector) if widget.display]
        assert shown, (kind.__name__, selector)
        for widget in shown:
            assert fully_shown(app, widget), (kind.__name__, selector)


async def close_with_escape(pilot, app: DataFastApp, back_to: type[Screen]) -> None:
    await pilot.press("escape")
    await settle(pilot, app)
    assert isinstance(app.screen, back_to), app.screen


async def test_overview_and_breakdowns_dialogs_fit_80x24_and_escape_closes_them(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        for key, kind in (("d", DateRangeMenu), ("slash", FilterDialog), ("w", SitePicker)):
            await check_dialog(pilot, app, kind, key)
            await close_with_escape(pilot, app, OverviewScreen)
        await check_dialog(pilot, app, DateRangeMenu, "d")
        await pilot.press("c")  # the custom dates: both fields on screen
        await pilot.pause()
        for field in app.screen.query(Input):
            assert fully_shown(app, field)
        await close_with_escape(pilot, app, OverviewScreen)

        await pilot.press("2")
        await settle(pilot, app)
        for key, kind in (("f", FilterDialog), ("e", ExportDialog)):
            await check_dialog(pilot, app, kind, key)
            await close_with_escape(pilot, app, BreakdownsScreen)
        await check_dialog(pilot, app, ExportDialog, "e")
        await reach_every_field(pilot, app)
        await close_with_escape(pilot, app, BreakdownsScreen)
        await pilot.press("slash")  # search in the table: a box under it
        await pilot.pause()
        search = app.screen.query_one("#search", Input)
        assert app.focused is search and fully_shown(app, search)
        await close_with_escape(pilot, app, BreakdownsScreen)
        assert not app.screen.query_one("#search-bar").display and app.focused is not search


async def reach_every_field(pilot, app: DataFastApp) -> None:
    """Tab through the dialog's fields: each, once focused, is whole on screen (a long form scrolls to it)."""
    dialog = app.screen
    fields = [w for w in dialog.query("Input, Select, Checkbox") if w.display and not w.disabled]
    reached: set[int] = set()
    for _ in range(len(fields) * 3):
        focused = app.focused
        if focused in fields:
            reached.add(fields.index(focused))
        elif focused is not None and focused.parent in fields:  # a Select's inner button
            reached.add(fields.index(focused.parent))
        if focused is not None:
            assert fully_shown(app, focused), focused
        if len(reached) == len(fields):
            break
        await pilot.press("tab")
        await pilot.pause()
    assert reached == set(range(len(fields))), [fields[i] for i in set(range(len(fields))) - reached]
    assert app.screen is dialog


async def test_visitor_dialogs_fit_80x24_by_keys_alone(visitor_app) -> None:
    app, demo = visitor_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot, app)
        await check_dialog(pilot, app, VisitorLookup, "o")
        await close_with_escape(pilot, app, VisitorScreen)
        visitor_id = demo.visitor("rich")
        await check_dialog(pilot, app, VisitorLookup, "o")
        await paste(pilot, visitor_id)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.visitor is not None and app.screen.visitor.visitor_id == visitor_id

        for key, kind, typed in (("n", GoalDialog, "trial"), ("p", PaymentDialog, "49"),
                                 ("x", DeleteGoalsDialog, ""), ("X", DeletePaymentsDialog, "")):
            await check_dialog(pilot, app, kind, key)
            await reach_every_field(pilot, app)
            await close_with_escape(pilot, app, VisitorScreen)
            # Again, filled by keys, to the confirmation: its y / n / Esc line is on screen.
            await check_dialog(pilot, app, kind, key)
            if typed:
                await pilot.press(*typed)
            await check_dialog(pilot, app, ConfirmDialog, "ctrl+s", controls="#keys")
            keys_line = screen_text(app)
            assert " y " in keys_line and " n " in keys_line and " Esc " in keys_line
            await close_with_escape(pilot, app, kind)  # back to the form, nothing sent
            await close_with_escape(pilot, app, VisitorScreen)
        assert app.screen.visitor.visitor_id == visitor_id
