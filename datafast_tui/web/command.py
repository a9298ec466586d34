"""`datafast-tui web`: serve the app to a browser, on loopback, with textual-serve.

    datafast-tui web [--host 127.0.0.1] [--port 8000] [--public] [the app's own flags]

Each browser tab that connects gets its own `python -m datafast_tui` with the app flags given
here, which are checked first exactly as the app checks them (a bad one is the app's one-line
message and exit 2, before anything listens). The server has no authentication of its own:
whoever reaches the port drives the app with your key. So it listens on 127.0.0.1, and another
address needs `--public` (and gets a warning). The key never goes on a command line: a key
given with `--api-key` reaches the app through its environment, not its argv (`ps` shows that).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from datafast_tui.cli import EXIT_USAGE, parse_settings
from datafast_tui.config import ConfigError
from datafast_tui.listening import why_not_listening

PROG = "datafast-tui web"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Said on stderr when the server listens on anything but loopback.
PUBLIC_WARNING = ("warning: this server has no authentication of its own: anyone who can reach {url} drives "
                  "the app with your API key (a safer way: keep it on 127.0.0.1 and use ssh -L)")


class WebUsageError(Exception):
    """A flag of `web` itself is wrong (one line, exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: {message} (see {PROG} --help)\n")


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a port (0 to 65535; 0 picks a free one)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Serve the app to a web browser (each tab runs its own app) until Ctrl+C.",
        epilog="Every other flag is the app's own (datafast-tui --help): --demo, --site, --range, --screen, ... "
               "The server has no authentication of its own: anyone who can reach the port drives the app "
               "with your API key. From another machine, keep it on loopback and use "
               "ssh -L 8000:127.0.0.1:8000 this-host, then open http://127.0.0.1:8000/ there.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}; another than loopback needs --public)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=f"port to listen on, 0 for any free one (default {DEFAULT_PORT})")
    parser.add_argument("--public", action="store_true",
                        help="allow a --host that is not loopback, i.e. other machines (no authentication!)")
    # The app's own, taken here rather than passed along: the key must reach the app through its
    # environment, and then --site has to travel the same way to keep the precedence (see plan).
    parser.add_argument("--api-key", metavar="KEY", help="as for the app; handed to it in its environment")
    parser.add_argument("--site", metavar="PROFILE", help="as for the app: a site profile from the config file")
    return parser


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or address, [v6] brackets allowed) can only be reached from this machine."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # another name: it may resolve to anything


@dataclass(frozen=True)
class Launch:
    """What `web` runs: where it listens and the app each browser tab gets."""

    host: str
    port: int
    #: The app's flags, as given, less --api-key (never a flag of the app it starts).
    app_flags: tuple[str, ...]
    #: Set for the app on top of the server's own environment: the key given as a flag.
    app_environ: dict[str, str] = field(default_factory=dict, repr=False)
    warnings: tuple[str, ...] = ()

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def command(self) -> str:
        """The shell command textual-serve starts per tab. `exec`: the shell makes way for the
        app, so the app is the server's own child (stopped with it) and the only process shown."""
        return "exec " + shlex.join([sys.executable, "-m", "datafast_tui", *self.app_flags])


def plan(argv: Sequence[str], environ: Mapping[str, str]) -> Launch:
    """The flags to a Launch; raises WebUsageError or ConfigError (one line), SystemExit from argparse."""
    args, app_flags = build_parser().parse_known_args(list(argv))
    if not is_loopback(args.host) and not args.public:
        raise WebUsageError(f"--host {args.host[:60]}: not a loopback address; the server has no authentication "
                            "of its own, so anyone who reaches it drives the app with your API key: add --public "
                            "if you mean it, or keep 127.0.0.1 and use ssh -L")
    given = [*app_flags, *(["--site", args.site] if args.site is not None else []),
             *(["--api-key", args.api_key] if args.api_key is not None else [])]
    settings = parse_settings(given, dict(environ))  # the app's own checks and messages, as the user typed them
    app_environ: dict[str, str] = {}
    if args.api_key is not None:
        app_environ["DATAFAST_API_KEY"] = args.api_key
        if args.site is not None:
            # A --site flag beats DATAFAST_API_KEY, and --api-key beats both: as the key now comes
            # from the environment, the profile must too (DATAFAST_SITE yields to the key).
            app_environ["DATAFAST_SITE"] = args.site
    elif args.site is not None:
        app_flags = [*app_flags, "--site", args.site]
    return Launch(host=args.host, port=args.port, app_flags=tuple(app_flags), app_environ=app_environ,
                  warnings=settings.warnings)


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (bound here, before serving: a port in use is one line, and --port 0 works)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host.strip("[]"), port), family=family, backlog=64)


def main(argv: Sequence[str]) -> int:
    """Serve until interrupted; 2 for bad usage, 1 when it cannot listen."""
    try:
        launch = plan(argv, os.environ)
    except SystemExit as exc:  # argparse has said it: a bad flag, or --help
        return int(exc.code or 0)
    except WebUsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:  # the app's own message, as the app says it
        print(f"datafast-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for warning in launch.warnings:
        print(f"datafast-tui: warning: {warning}", file=sys.stderr)
    try:
        sock = listen(launch.host, launch.port)
    except OSError as exc:
        print(f"{PROG}: cannot listen on {url_of(launch.host, launch.port)}: {why_not_listening(exc)}",
              file=sys.stderr)
        return 1
    host, port = sock.getsockname()[:2]
    url = url_of(host, port)
    if not launch.loopback:
        print(f"{PROG}: {PUBLIC_WARNING.format(url=url)}", file=sys.stderr)
    # textual-serve gives each app it starts the server's environment: that is how the key travels.
    os.environ.update(launch.app_environ)
    where = "loopback only" if launch.loopback else "open to other machines, no authentication"
    print(f"{PROG}: serving the app at {url} ({where}; each tab runs its own app; Ctrl+C stops)", flush=True)

    from datafast_tui.web.server import serve  # aiohttp and textual-serve: only once serving

    serve(launch.command, sock, loopback_only=launch.loopback)
    return 0
