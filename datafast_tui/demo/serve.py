"""`datafast-tui serve-demo`: the demo API as a real HTTP server (uvicorn), for curl and friends.

    serve-demo [--host 127.0.0.1] [--port 8787] [--api-key KEY] [--seed N] [--hostile]
               [--faults RATE [--fault-seed N] [--fault-kinds K1,K2] [--fault-slow SECONDS]]
               [--no-answer-cache]

Prints the base URL and key to use, then serves until interrupted. `--port 0` picks a free
port (the printed URL tells which). A port already in use is a one-line error, exit 1.
`--hostile` serves the dataset laced with hostile strings (hostile.py); `--faults RATE`
makes that share of the API requests fail (faults.py lists the kinds). `--no-answer-cache`
computes every answer afresh (the same answers, slower: for measuring, see
benchmarks/bench_serve.py).
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys

from starlette.applications import Starlette

from datafast_tui.demo.database import DEFAULT_SEED, open_demo_database
from datafast_tui.demo.fault_middleware import QuietInjectedResets
from datafast_tui.demo.faults import (
    DEFAULT_SLOW_SECONDS,
    FAULT_KINDS,
    FaultPlan,
    parse_kinds,
)
from datafast_tui.demo.server import DEMO_API_KEY, PREFIX, account_token_for, build_demo_app
from datafast_tui.listening import why_not_listening

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datafast-tui serve-demo",
        description="Serve the DataFast-compatible demo API (synthetic, deterministic data) over HTTP.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port, 0 for any free one (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--api-key", default=DEMO_API_KEY, help=f"the Bearer key clients must send (default {DEMO_API_KEY!r})"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"data generator seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--hostile", action="store_true", help="put hostile strings (markup, escapes, ...) in every text field"
    )
    parser.add_argument(
        "--faults", type=_rate, default=0.0, metavar="RATE", help="share of API requests that fail, 0 to 1 (default 0)"
    )
    parser.add_argument("--fault-seed", type=int, default=0, metavar="N", help="seed of the fault draws (default 0)")
    parser.add_argument(
        "--fault-kinds",
        type=_kinds,
        default=list(FAULT_KINDS),
        metavar="K1,K2",
        help="kinds of fault to inject, equally likely (default all: " + ",".join(FAULT_KINDS) + ")",
    )
    parser.add_argument(
        "--fault-slow",
        type=_seconds,
        default=DEFAULT_SLOW_SECONDS,
        metavar="SECONDS",
        help=f"delay of a 'slow' fault (default {DEFAULT_SLOW_SECONDS:g}, past the client's timeout)",
    )
    parser.add_argument(
        "--no-answer-cache", action="store_true",
        help="compute every answer afresh instead of reusing unchanged ones (same answers, slower)",
    )
    return parser


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid rate {text!r}: expected a number from 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"invalid rate {text!r}: expected a number from 0 to 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"invalid duration {text!r}: expected seconds >= 0")
    return value


def _kinds(text: str) -> list[str]:
    try:
        return parse_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def fault_plan(args: argparse.Namespace) -> FaultPlan | None:
    """The fault plan the flags ask for (None without --faults)."""
    if not args.faults:
        return None
    plan = FaultPlan.only(*args.fault_kinds, rate=args.faults, seed=args.fault_seed)
    plan.slow_seconds = args.fault_slow
    return plan


def build_app(args: argparse.Namespace, **database_options: object) -> Starlette:
    """The app the flags describe; `database_options` go to open_demo_database (tests pass a clock)."""
    database = open_demo_database(seed=args.seed, hostile=args.hostile, **database_options)  # type: ignore[arg-type]
    return build_demo_app(database=database, api_key=args.api_key, faults=fault_plan(args),
                          cache_answers=not args.no_answer_cache)


def listen_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (0: any free port), bound before serving."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: allows TIME_WAIT ports
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def main(argv: list[str] | None = None) -> int:
    """Run the server; returns the process exit status (2 for bad flags, 1 if it cannot listen)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse printed its message (or --help)
        return int(exc.code or 0)
    given = sys.argv[1:] if argv is None else argv
    if any(a == "--api-key" or a.startswith("--api-key=") for a in given):
        # The demo's key guards only demo data, but a real-looking secret on a command line is
        # visible to every user of the machine (ps) and stays in the shell history.
        print("warning: --api-key is visible to other users of this machine (ps) and stays in your shell "
              "history; clients read the key from DATAFAST_API_KEY or the config file, never a flag",
              file=sys.stderr)
    if not 0 <= args.port <= 65535:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    try:
        sock = listen_socket(args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {why_not_listening(exc)}", file=sys.stderr)
        return 1

    host, port = sock.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    base_url = f"http://{shown_host}:{port}{PREFIX}/"
    print("Preparing demo data (cached after the first run)...", file=sys.stderr, flush=True)
    app = build_app(args)
    print(f"DataFast demo API listening on {base_url}")
    if args.hostile:
        print("  serving HOSTILE data: markup, escape sequences and other hostile strings in every text field")
    if app.state.faults is not None:
        plan = app.state.faults
        kinds = ", ".join(plan.weights)
        print(f"  fault injection: {plan.rate:.0%} of API requests fail (seed {plan.seed}; kinds: {kinds})")
    if app.state.answers is None:
        print("  answer cache off: every answer is computed afresh")
    print(f"  export DATAFAST_BASE_URL={base_url}")
    print(f"  export DATAFAST_API_KEY={args.api_key}")
    print(f'Try: curl -H "Authorization: Bearer {args.api_key}" {base_url}analytics/overview')
    print(f"  account token (dft_, needs ?websiteId=; GET {base_url}admin/websites lists it): "
          f"{account_token_for(args.api_key)}")
    print("Press Ctrl+C to stop.", flush=True)
    from datafast_tui.demo.quiet_uvicorn import QuietServer, server_config  # (uvicorn: only the server needs it)

    server = QuietServer(server_config(app))
    # Injected resets reach uvicorn as exceptions by design; its traceback would only be noise.
    logging.getLogger("uvicorn.error").addFilter(QuietInjectedResets())
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
