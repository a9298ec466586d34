"""The app's demo API in a process of its own: `python -m datafast_tui.demo.child [--seed N] ...`.

The app (demo_process.py) starts this before its own UI, so opening or generating the dataset,
the live traffic and every answer's SQL and JSON run on another core and under another GIL
than the one that paints the screen (in-process, the demo's thread took the time lazy imports
freed: issue 17). It listens on a free loopback port and speaks to its parent in JSON lines on
stdout:

    {"progress": 0.42}                       while a first start of the day generates the data
    {"ready": "http://127.0.0.1:PORT/api/v1/", "website_id": "...", "notices": [...], "account_token": "dft_..."}
    {"error": "why the data could not be opened"}   (then it exits 1)

The API key is the parent's secret, given in the environment (DATAFAST_DEMO_CHILD_KEY), never
on the command line (ps shows command lines to every user). The process ends when its stdin
closes: the parent exited, even killed, so a demo never outlives the app that started it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading

from datafast_tui.listening import why_not_listening

KEY_ENV = "DATAFAST_DEMO_CHILD_KEY"


def _say(**message: object) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m datafast_tui.demo.child")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--hostile", action="store_true")
    parser.add_argument("--faults", type=float, default=0.0)
    parser.add_argument("--fault-seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=0, help="0: any free one (a restart asks for its old one)")
    return parser


def _exit_when_parent_goes() -> None:
    """Read stdin to its end (the parent closed it, or died), then end the process at once.

    No graceful shutdown: nobody is left to serve, and nothing is left to save (the store is a
    private, unlinked copy; the cache file was written whole before serving began). The app
    waits for this process on every quit, and uvicorn's own shutdown took 0.2-0.4 s of it
    (its 0.1 s tick to notice, then a fixed 0.1 s wait for connections), measured."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    _leave(0)


def _leave(code: int) -> None:
    """End the process without the interpreter's teardown (see `_exit_when_parent_goes`)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # the parent closed its end
        pass
    logging.shutdown()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    key = os.environ.pop(KEY_ENV, "")
    if not key:
        _say(error=f"no API key in {KEY_ENV}")
        return 2
    from datafast_tui.demo.database import DEFAULT_SEED, open_demo_database
    from datafast_tui.demo.faults import FaultPlan
    from datafast_tui.demo.serve import listen_socket
    from datafast_tui.demo.server import PREFIX, account_token_for, build_demo_app, website_id

    try:
        sock = listen_socket("127.0.0.1", args.port)
    except OSError as exc:
        _say(error=f"cannot listen on 127.0.0.1:{args.port}: {why_not_listening(exc)}")
        return 1
    try:
        database = open_demo_database(seed=DEFAULT_SEED if args.seed is None else args.seed, hostile=args.hostile,
                                      progress=lambda fraction: _say(progress=round(fraction, 3)))
    except Exception as exc:  # noqa: BLE001 - told to the parent, which shows it
        _say(error=f"the demo data could not be opened: {exc}")
        return 1
    faults = FaultPlan(args.faults, seed=args.fault_seed) if args.faults > 0 else None
    app = build_demo_app(database=database, api_key=key, faults=faults)

    from datafast_tui.demo.fault_middleware import QuietInjectedResets
    from datafast_tui.demo.quiet_uvicorn import QuietServer, server_config  # (uvicorn: after the data)

    server = QuietServer(server_config(app, access_log=False))
    logging.getLogger("uvicorn.error").addFilter(QuietInjectedResets())
    port = sock.getsockname()[1]
    _say(ready=f"http://127.0.0.1:{port}{PREFIX}/", website_id=website_id(database), notices=list(database.notices),
         account_token=account_token_for(key))
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
