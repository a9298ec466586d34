"""`datafast-tui report`: the figures once, printed, for cron, SSH and scripts; no full screen.

Exit status: 0 when every section was filled, 1 when the API failed one (said on stderr,
the others still printed), 2 for bad usage (flags, config, dates, filters). Errors and
warnings go to stderr only, so stdout is always the report alone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING, NoReturn

from datafast_tui.api.catalogue import BREAKDOWN_ENDPOINTS, MAX_LIMIT
from datafast_tui.cli import EXIT_USAGE, add_connection_flags, settings_from
from datafast_tui.config import ConfigError
from datafast_tui.query_flags import add_query_flags
from datafast_tui.report.gather import CUSTOMER_CHOICES, ReportPlan
from datafast_tui.report.render import FORMATS

if TYPE_CHECKING:
    from datafast_tui.report.model import Report
    from datafast_tui.settings import Settings
    from datafast_tui.store_factory import DemoOptions

EXIT_API = 1
PROG = "datafast-tui report"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: {message} (see {PROG} --help)\n")


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and {MAX_LIMIT}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Print DataFast figures once and exit: overview KPIs (with changes under --compare), "
                    "top rows of any breakdown, the realtime count, a People search. Without any section "
                    "flag, the overview. Without an API key, the embedded demo.",
        epilog="exit status: 0 all printed, 1 the API failed a section (on stderr; the rest is printed), "
               "2 bad usage. NO_COLOR is honoured; no escape codes when stdout is not a terminal.",
    )
    add_connection_flags(parser)
    parser.add_argument("--hostile", action="store_true",
                        help="with --demo: hostile strings (markup, escapes, huge paths) in every text field")
    add_query_flags(parser)
    sections = parser.add_argument_group("sections (in this order; none given: --overview)")
    sections.add_argument("--overview", action="store_true", help="the KPIs, with the change under --compare")
    sections.add_argument("--top", metavar="BREAKDOWN", action="append", default=[],
                          help=f"top rows of a breakdown, repeatable: {', '.join(BREAKDOWN_ENDPOINTS)} (or all)")
    sections.add_argument("--realtime", action="store_true", help="visitors on the site now")
    sections.add_argument("--people", nargs="?", const="anyone", choices=tuple(CUSTOMER_CHOICES),
                          help="the People search for the range and filters (default anyone)")
    parser.add_argument("--limit", type=_limit, default=10, metavar="N",
                        help=f"rows per top table and People search, 1-{MAX_LIMIT} (default 10)")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (for a terminal), markdown, json or csv (default table)")
    return parser


def _plan(args: argparse.Namespace) -> ReportPlan:
    tops: list[str] = []
    for name in args.top:
        wanted = BREAKDOWN_ENDPOINTS if name.strip().lower() == "all" else (name.strip().lower(),)
        for endpoint in wanted:
            if endpoint not in BREAKDOWN_ENDPOINTS:
                raise ConfigError(f"--top {name[:40]!r}: use one of {', '.join(BREAKDOWN_ENDPOINTS)}, or all")
            if endpoint not in tops:
                tops.append(endpoint)
    any_section = args.overview or tops or args.realtime or args.people is not None
    return ReportPlan(overview=args.overview or not any_section, tops=tuple(tops), realtime=args.realtime,
                      people=args.people, limit=args.limit)


def main(argv: Sequence[str] | None = None) -> int:
    return run(list(sys.argv[2:] if argv is None else argv))


def run(argv: Sequence[str], *, environ: Mapping[str, str] | None = None, stdout: IO[str] | None = None,
        stderr: IO[str] | None = None, demo: DemoOptions | None = None, now: datetime | None = None,
        width: int | None = None) -> int:
    """The command; tests give the environment, the streams, the demo's options and the time."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    env = dict(os.environ if environ is None else environ)
    try:
        # argparse prints (its errors, --help) and exits: into the given streams, as a status.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = build_parser().parse_args(list(argv))
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        settings = settings_from(args, env)
        plan = _plan(args)
    except ConfigError as exc:
        print(f"{PROG}: {exc}", file=err)
        return EXIT_USAGE
    for warning in settings.warnings:
        print(f"{PROG}: warning: {warning}", file=err)
    moment = now or datetime.now(timezone.utc)
    try:
        report = asyncio.run(_gather(settings, plan, demo, moment))
    except KeyboardInterrupt:
        return 130
    from datafast_tui.report.render import render

    try:
        render(report, args.format, out, width=width)
        out.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        _quiet_stdout(out)
        return 0
    for section in report.sections:
        if section.error is not None:
            print(f"{PROG}: {section.title}: {section.error}", file=err)
    return EXIT_API if report.failed else 0


async def _gather(settings: Settings, plan: ReportPlan, demo: DemoOptions | None, now: datetime) -> Report:
    from datafast_tui.query_flags import QueryFlags
    from datafast_tui.report.gather import gather
    from datafast_tui.settings import DEFAULT_RANGE
    from datafast_tui.store_factory import demo_options, open_store

    # A report lives a second: the demo's cached file is opened as it is, not copied (database.py).
    options = demo or dataclasses.replace(demo_options(settings), copy_on_write=True, separate_process=False)
    store = await open_store(settings.connection, demo=options)
    try:
        flags = QueryFlags(preset=settings.range, custom=settings.custom_range, filters=settings.filters,
                           compare=settings.compare)
        return await gather(store, flags, plan, default_preset=DEFAULT_RANGE, timezone=settings.timezone, now=now)
    finally:
        await store.aclose()


def _quiet_stdout(out: IO[str]) -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not complain of the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's StringIO)
        pass
