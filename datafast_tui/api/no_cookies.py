"""An httpx client that keeps no cookies.

The DataFast API authenticates every request by its bearer key and sets no cookie. A cookie
that something on the way sets (a proxy, a load balancer) would otherwise be kept and sent
back with every request for as long as the app runs.

An empty jar (`NoCookies`) is not enough for the cost: httpx's `Cookies.extract_cookies` wraps
every answer and its request in urllib objects before the jar sees them, parsing the URL once
more, which was 3% of an open Realtime screen's CPU (py-spy). `NoCookieClient` gives httpx a
cookie store whose `extract_cookies` does nothing.
"""

from __future__ import annotations

from http.cookiejar import Cookie, CookieJar
from typing import Any

import httpx


class NoCookies(CookieJar):
    def extract_cookies(self, response: Any, request: Any) -> None:
        """Keep no cookie from `response`."""

    def set_cookie(self, cookie: Cookie) -> None:
        """Keep no cookie, however it is given."""


class _NoCookieStore(httpx.Cookies):
    """httpx's cookie store over an empty jar, skipping the urllib wrappers for each answer."""

    def __init__(self) -> None:
        super().__init__(NoCookies())

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep no cookie from `response` (and build nothing to find out)."""


class NoCookieClient(httpx.AsyncClient):
    """An AsyncClient whose cookie store is always empty, whatever is given or answered."""

    def __init__(self, **options: Any) -> None:
        self._no_cookies = _NoCookieStore()
        super().__init__(**options)

    @property  # type: ignore[override]
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        """Ignored: this client keeps no cookies (httpx's __init__ sets them through `_cookies`)."""
