"""Command line entry point: `datafast-tui [flags]` and `datafast-tui serve-demo [flags]`."""

from __future__ import annotations

import argparse
import sys

from datafast_tui import __version__


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "serve-demo":
        from datafast_tui.demo.serve import main as serve_main

        return serve_main(args[1:])
    parser = argparse.ArgumentParser(prog="datafast-tui", description="Terminal client for DataFast analytics.")
    parser.add_argument("--version", action="version", version=f"datafast-tui {__version__}")
    parser.parse_args(args)
    print("datafast-tui: the app shell arrives with issue 4", file=sys.stderr)
    return 1
