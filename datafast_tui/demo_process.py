"""The demo API served by a child process (demo/child.py) for the app's `--demo`.

Started before the UI, it opens or generates the dataset on another core, outside the app's
GIL; the app then talks to it over loopback HTTP as it would to the real API. One child per
dataset serves every demo store of the app (a site switch, the Sites screen); it ends when
the app does (its stdin closes, even if the app is killed).

Why not in-process: the demo's thread competed with the UI for the GIL at start-up (opening
the store, live catch-up, every answer's SQL and JSON), which is what kept start-up above
2x a bare Textual app (issue 17). Tests and time-travel (a clock of their own) stay in-process.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import secrets
import subprocess
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
KEY_ENV = "DATAFAST_DEMO_CHILD_KEY"  # the same name as demo/child.py's (not imported: it is the demo package)
#: How long a child may take to say it is ready: a first start of the day generates the data
#: (about 5 s here; 11 s on a busy machine); beyond this something is wrong.
READY_TIMEOUT_SECONDS = 120.0


class DemoProcessError(RuntimeError):
    """The demo's process could not be started or could not open its data."""


@dataclass(frozen=True)
class DemoEndpoint:
    """Where the child serves, with what key, and what it said about its data."""

    base_url: str
    api_key: str
    website_id: str
    notices: tuple[str, ...]
    account_token: str  # the child's account token beside its website key (it says which)

    def __repr__(self) -> str:  # the keys stay out of logs and tracebacks
        return f"DemoEndpoint(base_url={self.base_url!r}, website_id={self.website_id!r})"


class DemoProcess:
    """One child serving the demo API; `endpoint` resolves when it is ready.

    A child that dies once ready (killed, out of memory) is started again on the same port
    with the same key, so the stores that use it reach it again at their next request (at
    most MAX_RESTARTS times: a child that keeps dying is left dead, and the app says offline)."""

    MAX_RESTARTS = 3

    def __init__(self, *, seed: int | None, hostile: bool, fault_rate: float = 0.0, fault_seed: int = 0,
                 progress: Callable[[float], None] | None = None) -> None:
        self.endpoint: Future[DemoEndpoint] = Future()
        self.restarts = 0
        self._progress = progress
        self._key = "df_" + secrets.token_hex(16)
        self._argv = [sys.executable, "-m", "datafast_tui.demo.child"]
        if seed is not None:
            self._argv += ["--seed", str(seed)]
        if hostile:
            self._argv.append("--hostile")
        if fault_rate > 0:
            self._argv += ["--faults", str(fault_rate), "--fault-seed", str(fault_seed)]
        self._closed = False
        self._proc: subprocess.Popen[bytes] | None = None
        self._deadline = threading.Timer(READY_TIMEOUT_SECONDS, self._give_up)
        self._deadline.daemon = True  # never holds up the app's exit
        self._spawn([])
        atexit.register(self.close)
        self._deadline.start()

    def _spawn(self, extra: list[str]) -> None:
        env = {name: value for name, value in os.environ.items() if not name.startswith("DATAFAST_API_KEY")}
        env[KEY_ENV] = self._key
        try:
            proc = subprocess.Popen([*self._argv, *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=env, close_fds=True)
        except OSError as exc:
            raise DemoProcessError(f"cannot start the demo's process ({exc.strerror or exc})") from None
        self._proc = proc
        threading.Thread(target=self._read, args=(proc,), name="demo-process", daemon=True).start()

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        """Follow the child's JSON lines: progress, then ready (or an error); EOF before ready is an error."""
        assert proc.stdout is not None
        for raw in proc.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if "progress" in message and self._progress is not None and isinstance(message["progress"], float):
                self._progress(message["progress"])
            elif "ready" in message:
                notices = tuple(str(n) for n in message.get("notices") or ())
                self._resolve(DemoEndpoint(str(message["ready"]), self._key, str(message.get("website_id", "")),
                                           notices, str(message.get("account_token", ""))))
            elif "error" in message:
                self._fail(str(message["error"]))
        if self.endpoint.done():
            self._restart(proc)  # it was serving: unless the app closed it, it died
        else:
            self._fail("the demo's process ended before it was ready")

    def _restart(self, dead: subprocess.Popen[bytes]) -> None:
        """A serving child's output ended: unless the app closed it, start it again where it was."""
        dead.wait()
        if self._closed or dead is not self._proc or self.restarts >= self.MAX_RESTARTS \
                or self.endpoint.exception() is not None:  # never served (a timeout closed it): nothing to restart
            return
        port = str(urlsplit(self.endpoint.result().base_url).port)
        self.restarts += 1
        log.warning("demo process ended (exit %s); starting it again on port %s", dead.returncode, port)
        try:
            self._spawn(["--port", port])
        except DemoProcessError as exc:
            log.warning("demo process not restarted: %s", exc)

    def _resolve(self, endpoint: DemoEndpoint) -> None:
        self._deadline.cancel()
        if not self.endpoint.done():
            self.endpoint.set_result(endpoint)

    def _fail(self, why: str) -> None:
        if not self.endpoint.done():
            log.warning("demo process: %s", why)
            self.endpoint.set_exception(DemoProcessError(why))
        elif self.restarts:  # a restarted child that could not serve again
            log.warning("demo process, restarted: %s", why)

    def _give_up(self) -> None:
        if not self.endpoint.done():
            self._fail(f"the demo's process was not ready after {READY_TIMEOUT_SECONDS:.0f} s")
            self.close()

    def close(self) -> None:
        """End the child: its stdin closes (it stops serving), and it is killed if still there after 3 s."""
        self._closed = True
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=3)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
