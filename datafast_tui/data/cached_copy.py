"""A store that answers from the answers kept on disk: what the app paints while it connects.

It is an `AnalyticsStore` like the live one (same cache, same parsing, same screens' code)
over a client whose transport replays kept answers (api/replay.py). What it has not kept
stays "loading" until the live store replaces it; writes are refused, since nothing is
connected yet. Its status says "cached" with the age of the oldest answer it showed.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from datafast_tui.api.client import ACCOUNT_TOKEN_PREFIX, DataFastClient, RetryPolicy
from datafast_tui.api.errors import ConfigurationError
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.api.replay import KEPT_AT, ReplayTransport
from datafast_tui.data.answer_shelf import AnswerShelf
from datafast_tui.data.store import AnalyticsStore

#: A day: a kept answer is there at once, and one not kept waits for the live store anyway.
_NO_TIMEOUT = 86_400.0
NOT_CONNECTED = ("not connected yet: the numbers on screen are the ones kept from the last run; "
                 "writes wait until the site answers")


def _kept_or_now() -> float:
    """When the answer the current load replayed was fetched (its cache entry is dated so)."""
    return KEPT_AT.get() or time.time()


class CachedCopyStore(AnalyticsStore):
    """The kept answers of `shelf`, for a connection with this key kind and website."""

    def __init__(self, shelf: AnswerShelf, *, base_url: str, account_token: bool, website_id: str | None,
                 site_id: str | None = None) -> None:
        self._replay = ReplayTransport(shelf.lookup, base_url)
        # Not the key: a stand-in of the same kind, so the client adds `websiteId` exactly
        # where it did for the live requests whose answers were kept.
        stand_in = f"{ACCOUNT_TOKEN_PREFIX}kept" if account_token else "kept"
        client = DataFastClient(stand_in, base_url=base_url, transport=self._replay, timeout=_NO_TIMEOUT,
                                retry=RetryPolicy(max_attempts=1), rate_limiter=RateLimiter(1_000_000, 1.0),
                                website_id=website_id)
        super().__init__(client, identity=shelf.identity, site_id=site_id, wall_clock=_kept_or_now)

    def stop_waiting(self) -> None:
        """Answer "not kept" at once from now on, instead of waiting for the live store."""
        self._replay.stop_waiting()

    def _on_success(self) -> None:
        age_from = self._replay.oldest_served or time.time()
        self._set_status(replace(self.status, state="cached", last_success=age_from, error=None, attempt=0))

    async def _write(self, call: Any) -> Any:
        raise ConfigurationError(NOT_CONNECTED)
