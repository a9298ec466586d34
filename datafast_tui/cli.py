"""Command line: `datafast-tui [flags]` starts the app; `datafast-tui serve-demo` serves the demo API.

Every problem with flags, the environment or the config file ends here as one line on
stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from datafast_tui import __version__
from datafast_tui.api.errors import ConfigurationError, QueryError
from datafast_tui.config import ConfigError, default_config_path, load_config
from datafast_tui.query_flags import add_query_flags, read_query_flags
from datafast_tui.screens import SCREEN_NAMES
from datafast_tui.settings import Connection, Settings, resolve
from datafast_tui.views import SavedView, site_key

if TYPE_CHECKING:
    from datafast_tui.data.answer_shelf import AnswerShelf, AnswerShelves
    from datafast_tui.data.store import AnalyticsStore

EXIT_USAGE = 2
#: Seconds the kept numbers have to themselves before the demo dataset starts opening.
KEPT_HEAD_START = 0.3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: the message and where to look.
        self.exit(EXIT_USAGE, f"datafast-tui: {message} (see datafast-tui --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="datafast-tui",
        description="Keyboard-first terminal client for DataFast analytics. "
                    "Without an API key it runs on the embedded demo API.",
        epilog=(
            "environment: DATAFAST_API_KEY, DATAFAST_BASE_URL, DATAFAST_SITE (a profile name), "
            "DATAFAST_WEBSITE_ID (the website of an account token, dft_...). "
            f"config file: {default_config_path()} (site profiles and defaults; flags beat the "
            "environment, which beats the file). "
            "'datafast-tui report --help' prints figures without the full screen (for cron, SSH, scripts); "
            "'datafast-tui web --help' serves the app to a web browser (on 127.0.0.1); "
            "'datafast-tui serve-demo --help' runs the demo API as a local HTTP server."
        ),
    )
    add_connection_flags(parser)
    add_query_flags(parser)
    parser.add_argument("--refresh", metavar="SECONDS", type=float, help="seconds between automatic refreshes")
    parser.add_argument("--screen", choices=SCREEN_NAMES, help="screen to open first")
    parser.add_argument("--visitor", metavar="ID", help="open this visitor in the Visitor screen")
    parser.add_argument("--hostile", action="store_true",
                        help="with --demo: hostile strings (markup, escapes, huge paths) in every text field")
    parser.add_argument("--faults", metavar="RATE", type=float,
                        help="with --demo: make this share of demo requests fail (500, 429, slow, bad JSON, resets)")
    parser.add_argument("--no-cache", action="store_true",
                        help="do not keep the last numbers on disk, nor paint them at start while the site is reached")
    parser.add_argument("--version", action="version", version=f"datafast-tui {__version__}")
    return parser


def add_connection_flags(parser: argparse.ArgumentParser) -> None:
    """Where the data comes from: the same flags for the app and for `report`."""
    parser.add_argument("--api-key", metavar="KEY", help="DataFast API key: a website key df_… (Website settings > Developer) or an account token dft_…")
    parser.add_argument("--base-url", metavar="URL", help="API base URL (default https://datafa.st/api/v1/)")
    parser.add_argument("--site", metavar="PROFILE", help="use a site profile from the config file")
    parser.add_argument("--demo", action="store_true", help="use the embedded demo API even if a key is set")
    parser.add_argument("--config", metavar="PATH", type=Path, help="config file to read instead of the default")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)  # demo data seed, for screenshots


def parse_settings(argv: Sequence[str], environ: dict[str, str] | None = None) -> Settings:
    """Flags, environment and config file to Settings; raises ConfigError with a one-line message."""
    return settings_from(build_parser().parse_args(list(argv)), environ)


def settings_from(args: argparse.Namespace, environ: dict[str, str] | None = None) -> Settings:
    """Parsed flags (the app's or `report`'s), the environment and the config file to Settings."""
    environ = dict(os.environ) if environ is None else environ
    config = load_config(args.config or _env_path(environ))
    flags = vars(args)
    try:
        settings = resolve({**flags, "range": None}, environ, config)  # the range once the flags are read
        view = _view(flags.get("view"), settings)
        if view is not None:  # the view fills in what the flags leave out
            flags = {**flags, **{k: v for k, v in view.flags().items() if not flags.get(k)}}
        query_flags = read_query_flags(flags, today=date.today())  # a range in the future is refused
        settings = dataclasses.replace(
            settings, range=query_flags.preset or config.range or settings.range, custom_range=query_flags.custom,
            filters=query_flags.filters, compare=query_flags.compare,
            screen=flags.get("screen") or (view.screen if view is not None else settings.screen),
            tab=view.tab if view is not None else None)
        if not settings.connection.demo:
            from datafast_tui.api.client import (
                check_base_url,  # httpx: only needed for a real site
            )

            check_base_url(settings.connection.base_url)
    except (QueryError, ConfigurationError) as exc:
        raise ConfigError(str(exc)) from None
    return settings


def _view(name: object, settings: Settings) -> SavedView | None:
    """The saved view `--view` names, for the site the settings connect to."""
    if not name:
        return None
    site = site_key(settings.connection.profile, settings.connection.demo)
    views = settings.config.views_of(site)
    if str(name) not in views:
        known = ", ".join(sorted(views)) or "none saved yet (b in the app saves one)"
        raise ConfigError(f"--view {str(name)[:40]!r}: no such view for {site} (its views: {known})")
    return views[str(name)]


def _env_path(environ: dict[str, str]) -> Path | None:
    value = environ.get("DATAFAST_CONFIG", "").strip()
    return Path(value) if value else None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "serve-demo":
        from datafast_tui.demo.serve import main as serve_main

        return serve_main(args[1:])
    if args and args[0] == "report":
        from datafast_tui.report.command import main as report_main

        return report_main(args[1:])
    if args and args[0] == "web":
        from datafast_tui.web.command import main as web_main

        return web_main(args[1:])
    from datafast_tui import startup_gc
    from datafast_tui.httpx_cli import defer_httpx_cli
    from datafast_tui.malloc_arenas import limit_malloc_arenas

    startup_gc.pause()  # resumed once the first screen has painted (see startup_gc)
    limit_malloc_arenas()  # before any thread starts (see malloc_arenas)

    defer_httpx_cli()  # before httpx is first imported: its CLI's imports cost every start
    try:
        settings = parse_settings(args)
    except ConfigError as exc:
        print(f"datafast-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for warning in settings.warnings:
        print(f"datafast-tui: warning: {warning}", file=sys.stderr)
    from datafast_tui.logs import default_log_path, setup_logging

    if setup_logging() is None:  # before anything logs: stderr would scribble over the UI
        # Not fatal: the app runs without a log; the user is told once, on screen.
        unwritable = f"cannot write the log file {default_log_path()}; running without a log"
        settings = dataclasses.replace(settings, warnings=(*settings.warnings, unwritable))
    from datafast_tui.store_factory import DemoPreload, demo_options, open_store, shelf_for

    options = demo_options(settings)
    shelves = _answer_shelves() if settings.keep_answers else None

    def kept_answers(connection: Connection) -> AnswerShelf:
        assert shelves is not None
        return shelf_for(shelves, connection, options)

    # Open the demo dataset while Textual starts, instead of after; but when the last numbers
    # were kept, they paint first and the dataset waits for them: its thread would take the
    # interpreter's lock from the painting (start-up is CPU-bound, the numbers are at hand).
    kept = settings.connection.demo and shelves is not None and len(kept_answers(settings.connection)) > 0
    preload = DemoPreload(options, start=not kept) if settings.connection.demo else None

    async def store_factory(connection: Connection) -> AnalyticsStore:
        if preload is not None and not preload.started:
            await asyncio.sleep(KEPT_HEAD_START)
            preload.start()
        shelf = kept_answers(connection) if shelves is not None else None
        return await open_store(connection, demo=options, preload=preload, shelf=shelf)

    from datafast_tui.app import (
        DataFastApp,  # imported late: --help and errors stay fast
    )

    app = DataFastApp(settings, store_factory=store_factory, demo_progress=options.progress,
                      kept_answers=kept_answers if shelves is not None else None)
    try:
        app.run()
    finally:
        startup_gc.resume()
        if shelves is not None:
            shelves.flush()  # what came since the last write
    return app.return_code or 0


def _answer_shelves() -> AnswerShelves:
    """The folder of kept answers: `answers` in the platform cache dir."""
    import platformdirs

    from datafast_tui.data.answer_shelf import AnswerShelves

    return AnswerShelves(Path(platformdirs.user_cache_dir("datafast-tui")) / "answers")
