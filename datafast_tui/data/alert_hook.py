"""Running the user's alert command: the alert as JSON on its stdin, never through a shell.

The program is started directly with its arguments (no shell: nothing in an alert, such
as a page path or a customer name, can become part of a command). It gets the app's
environment without the API keys, may take HOOK_TIMEOUT seconds, and its output is
thrown away but for the first line of stderr, kept for the message when it fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from datafast_tui.safe_text import clean

log = logging.getLogger(__name__)
HOOK_TIMEOUT = 10.0
#: Variables that hold an API key whatever the config says (the profiles name more).
KEY_VARIABLES = ("DATAFAST_API_KEY",)


def hook_environment(key_variables: Iterable[str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the command: the app's, without the variables that hold API keys."""
    drop = set(KEY_VARIABLES) | {name for name in key_variables if name}
    return {k: v for k, v in (os.environ if environ is None else environ).items() if k not in drop}


def alert_json(payload: Mapping[str, Any]) -> bytes:
    """The alert as one line of JSON (ASCII: control characters in API strings are escaped)."""
    return json.dumps(payload, ensure_ascii=True, sort_keys=True, default=str).encode("ascii") + b"\n"


async def run_hook(argv: Sequence[str], payload: Mapping[str, Any], *, env: Mapping[str, str] | None = None,
                   timeout: float = HOOK_TIMEOUT) -> str | None:
    """Run `argv` with `payload` on stdin; None when it exited 0, else what went wrong (one line)."""
    program = argv[0]
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, env=dict(env) if env is not None else None,
            start_new_session=True)  # a Ctrl-C for the app is not one for the command
    except FileNotFoundError:
        return f"alert command not found: {clean(program)}"
    except PermissionError:
        return f"alert command is not executable: {clean(program)}"
    except OSError as exc:
        return f"alert command {clean(program)} could not start: {exc.strerror or exc}"
    try:
        _, stderr = await asyncio.wait_for(process.communicate(alert_json(payload)), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return f"alert command {clean(program)} took longer than {timeout:g} s and was stopped"
    except (BrokenPipeError, ConnectionResetError):  # it exited without reading its stdin: its status says
        stderr = b""
        await process.wait()
    if process.returncode == 0:
        return None
    first = stderr.decode("utf-8", "replace").strip().splitlines()[:1] if stderr else []
    said = f": {clean(first[0])[:160]}" if first else ""
    log.warning("alert command %s exited with %s", program, process.returncode)
    return f"alert command {clean(program)} exited with status {process.returncode}{said}"
