"""A cookie jar that keeps nothing, for the client's httpx session.

The DataFast API authenticates every request by its bearer key and sets no cookie. A cookie
that something on the way sets (a proxy, a load balancer) would otherwise be kept and sent
back with every request for as long as the app runs; and reading every answer's headers
for cookies was 4% of what an open Realtime screen costs (measured with py-spy).
"""

from __future__ import annotations

from http.cookiejar import Cookie, CookieJar
from typing import Any


class NoCookies(CookieJar):
    def extract_cookies(self, response: Any, request: Any) -> None:
        """Keep no cookie from `response`."""

    def set_cookie(self, cookie: Cookie) -> None:
        """Keep no cookie, however it is given."""
