"""The HTTP side of `datafast-tui web`: textual-serve's app sessions, served with a few more checks.

textual-serve brings the protocol (`AppService` starts one app per websocket and relays its
screen out and the keys in) and the page's script (xterm.js), stylesheet and fonts. Its own
`Server` is not used, for what it does not do:

- the page needs nothing from the internet (its page loads a Google font; ours the bundled one);
- a websocket opened by another site's page is refused (its Origin is not this server), and a
  loopback server answers only to loopback names (DNS rebinding): a web page you visit must not
  be able to drive the app, which holds your key;
- at Ctrl+C the tabs are closed and every app is waited for (killed if it hangs): no orphans;
- at most MAX_SESSIONS apps at once, and terminal sizes within reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from pathlib import Path
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from datafast_tui.web.command import is_loopback

log = logging.getLogger("datafast_tui.web")

#: textual-serve's page assets: xterm.js with its glue, its stylesheet, the Roboto Mono fonts.
STATIC = Path(textual_serve.__file__).resolve().parent / "static"
PAGE = (Path(__file__).resolve().parent / "index.html").read_text(encoding="utf-8")
#: Apps running at once: each is a process of its own (and spends the same key's request budget).
MAX_SESSIONS = 8
#: Seconds an app has to quit when its tab closes, then again to exit, before it is killed.
STOP_SECONDS = 5.0
HEADERS = {
    # Nothing from elsewhere (fonts and script are ours); no framing by another site's page,
    # which could trick keys into the app.
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                               "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _number(value: object, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(str(value)), low), high)
    except ValueError:
        return default


class WebServer:
    """The page, its assets and one app per websocket."""

    def __init__(self, command: str, *, loopback_only: bool) -> None:
        self.command = command
        self.loopback_only = loopback_only
        self.sessions: dict[web.WebSocketResponse, AppService] = {}
        # The app delivers no files (exports are written on this machine), so nothing serves
        # downloads; AppService needs a manager all the same.
        self._downloads = DownloadManager()

    def application(self) -> web.Application:
        app = web.Application()
        app.add_routes([web.get("/", self.index), web.get("/ws", self.websocket), web.static("/static", STATIC)])
        app.on_shutdown.append(self._close_tabs)
        return app

    def _check(self, request: web.Request, *, websocket: bool = False) -> None:
        try:
            name = urlsplit("//" + request.host).hostname or ""
            origin = urlsplit(request.headers["Origin"]).netloc if "Origin" in request.headers else None
        except ValueError:  # not even a host name
            raise web.HTTPBadRequest(text="bad Host or Origin header") from None
        if self.loopback_only and not is_loopback(name):
            raise web.HTTPForbidden(text="this server answers only to loopback names: open http://127.0.0.1:PORT/")
        # Browsers send Origin with every websocket: another site's page is refused here.
        if websocket and origin is not None and origin.lower() != request.host.lower():
            raise web.HTTPForbidden(text="a page from another site cannot drive this app")

    async def index(self, request: web.Request) -> web.Response:
        self._check(request)
        size = _number(request.query.get("fontsize", "16"), 16, 6, 64)
        return web.Response(text=PAGE.replace("{{ font_size }}", str(size)), content_type="text/html",
                            headers=HEADERS)

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._check(request, websocket=True)
        if len(self.sessions) >= MAX_SESSIONS:
            raise web.HTTPServiceUnavailable(text=f"{MAX_SESSIONS} apps are running already: close a tab")
        websocket = web.WebSocketResponse(heartbeat=15)
        service = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=websocket.close, download_manager=self._downloads)
        self.sessions[websocket] = service  # before the first await: the limit holds under a burst
        try:
            await websocket.prepare(request)
            await service.start(_number(request.query.get("width"), 80, 20, 500),
                                _number(request.query.get("height"), 24, 10, 300))
            log.info("%s: app started (%d running)", request.remote, len(self.sessions))
            await self._relay(websocket, service)
        finally:
            del self.sessions[websocket]
            await self._stop(service)
            log.info("%s: app stopped (%d running)", request.remote, len(self.sessions))
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """What the page sends (keys, its size, focus) to the app, until the tab or the app closes."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *rest = json.loads(message.data)
            except (ValueError, TypeError):
                continue  # not what the page sends: ignored
            data = rest[0] if rest else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(_number(data.get("width"), 80, 20, 500),
                                                _number(data.get("height"), 24, 10, 300))
            elif kind == "ping":
                await websocket.send_json(["pong", str(data)[:32]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _stop(self, service: AppService) -> None:
        """Ask the app to quit and wait until it has exited; kill it if it does not."""
        # textual-serve keeps the process to itself, and its stop() returns once the app's
        # output ends, not when it has exited: the process is waited for here.
        process = getattr(service, "_process", None)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(service.stop(), STOP_SECONDS)
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except TimeoutError:
            log.warning("an app did not quit within %g s: killed", 2 * STOP_SECONDS)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    async def _close_tabs(self, app: web.Application) -> None:
        """At shutdown: close every websocket, so each session stops its app (see websocket())."""
        for websocket in list(self.sessions):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")


def serve(command: str, sock: socket.socket, *, loopback_only: bool) -> None:
    """Serve on `sock` until SIGINT or SIGTERM, then stop every app."""
    logging.basicConfig(level=logging.INFO, format="datafast-tui web: %(message)s")
    server = WebServer(command, loopback_only=loopback_only)
    # access_log=None: a line per asset is noise; sessions are logged as they start and stop.
    web.run_app(server.application(), sock=sock, print=None, access_log=None,
                shutdown_timeout=3 * STOP_SECONDS)
