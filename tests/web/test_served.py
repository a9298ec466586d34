"""`datafast-tui web` over real HTTP and websockets, without a browser: where the key goes, who is refused.

The terminal the page would draw is rebuilt from the websocket's bytes with a terminal
emulator (pyte), so these tests run wherever Python does.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import aiohttp
import httpx
import pyte
import pytest

from tests.conftest import SECRET_KEYS
from tests.unit.demo.serving import serve_demo
from tests.web.serving import WebServer, running, wait_until

KEY = SECRET_KEYS[0]
COLUMNS, ROWS = 120, 36


async def screen_until(websocket: aiohttp.ClientWebSocketResponse, check: Callable[[str], bool],
                       timeout: float = 30) -> str:
    """Feed what the app sends into a terminal emulator until `check(its text)`; fails with the last screen."""
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)

    async def read() -> str:
        while True:
            message = await websocket.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                stream.feed(message.data)
                text = "\n".join(screen.display)
                if check(text):
                    return text
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise AssertionError("the websocket closed; the screen was:\n" + "\n".join(screen.display))

    try:
        return await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise AssertionError("never shown; the screen was:\n" + "\n".join(screen.display)) from None


async def closed(websocket: aiohttp.ClientWebSocketResponse) -> None:
    """Read (the app's last frames) until the server closes the websocket."""
    while (await websocket.receive()).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
        pass


def numbers_shown(text: str) -> bool:
    return "Visitors" in text and "Bounce rate" in text and re.search(r"\b\d{1,3}(,\d{3})+\b", text) is not None


async def test_a_key_given_as_a_flag_reaches_the_app_by_its_environment_only(
        start_web: Callable[..., WebServer], web_home: Path) -> None:
    # The demo API served over HTTP with this key stands for the real site: the app uses the key.
    with serve_demo(["--api-key", KEY], web_home / "cache") as api:
        server = start_web("--api-key", KEY, "--base-url", api.base_url, "--range", "last_7_days")
        assert "--api-key is visible to other users of this machine (ps)" in server.stderr()  # the server's own argv
        page = httpx.get(server.url, timeout=10)
        assert page.status_code == 200 and KEY not in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        # Nothing the page loads comes from elsewhere (only its own paths, and an empty data: icon).
        links = re.findall(r'(?:src|href)="([^"]*)"', page.text)
        assert links and all(link.startswith("/") or link == "data:," for link in links), links
        async with aiohttp.ClientSession() as session, session.ws_connect(
                f"{server.url}ws?width={COLUMNS}&height={ROWS}", origin=server.url.rstrip("/")) as websocket:
            # The header drawn up to the site's timezone (a frame arrives in parts), its range, the numbers.
            shown = await screen_until(websocket, lambda t: numbers_shown(t) and "Last 7 days" in t
                                       and "America/New_York" in t)
            assert "DEMO DATA" not in shown  # the served API, reached with the key
            [app] = server.apps()
            argv = Path(f"/proc/{app}/cmdline").read_bytes().split(b"\0")
            assert b"datafast_tui" in argv and b"--base-url" in argv and not any(KEY.encode() in a for a in argv)
            assert f"DATAFAST_API_KEY={KEY}".encode() in Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
            await websocket.send_json(["stdin", "q"])  # the app quits: its tab's session ends
            await asyncio.wait_for(closed(websocket), 15)
        wait_until(lambda: not running(app), "the app to exit after q", timeout=15)
        assert server.stop() == 0
    assert KEY not in server.stdout() + server.stderr().replace("--api-key", "")


async def test_pages_of_other_sites_cannot_drive_it(start_web: Callable[..., WebServer]) -> None:
    server = start_web("--demo")
    port = server.url.rsplit(":", 1)[1].strip("/")
    cases = {
        "a page of another site": ("http://evil.example", {}),
        # evil.example made to resolve to 127.0.0.1: its page and the websocket on one origin.
        "DNS rebinding": (f"http://evil.example:{port}", {"Host": f"evil.example:{port}"}),
    }
    async with aiohttp.ClientSession() as session:
        for case, (origin, headers) in cases.items():
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"{server.url}ws", origin=origin, headers=headers)
            assert refused.value.status == 403, case
    assert httpx.get(server.url, headers={"Host": f"evil.example:{port}"}, timeout=10).status_code == 403
    assert httpx.get(server.url, headers={"Host": f"localhost:{port}"}, timeout=10).status_code == 200
    assert server.apps() == []  # no app was started for any of them
    assert server.stop() == 0
