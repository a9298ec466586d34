"""What the Realtime screen remembers across polls: feeds merged by `_id`, the count history.

The realtime map only covers the last ten minutes (and a capped number of events), so every
poll overlaps the previous one. `FeedHistory` merges each batch into a bounded, newest-first
history without duplicates, reports which items are new, and records a `Gap` where events
may be missing (the API's cap was hit between two polls, or nobody polled for longer than
its window). `RealtimeFeed` applies one poll's two answers to all of it. Plain code: no
Textual, no clock of its own (callers pass `now`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Generic, TypeVar

from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models_realtime import (
    RealtimeCount,
    RealtimeEvent,
    RealtimeMap,
    RealtimePayment,
    RealtimeVisitor,
)
from datafast_tui.data.outcome import Part

T = TypeVar("T")

#: How far back the realtime map reaches (documented: the last 10 minutes).
MAP_WINDOW = timedelta(minutes=10)
#: Items kept per feed: enough to scroll back well past the API's window.
HISTORY_LIMIT = 500
#: Live-count samples kept for the sparkline (an hour at the default interval).
COUNT_SAMPLES = 720
#: Tolerance for the server's clock differing from ours when judging what the window holds.
CLOCK_SLACK = timedelta(seconds=60)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Gap:
    """Items between `after` (the newest seen before) and `before` may be missing."""

    after: datetime
    before: datetime


@dataclass(frozen=True)
class Merge(Generic[T]):
    new: list[T]  # items not seen before, newest first
    overlap: bool  # whether the batch held any item already in the history


class FeedHistory(Generic[T]):
    """A bounded, newest-first list of items merged by key across overlapping batches."""

    def __init__(self, key: Callable[[T], str], when: Callable[[T], datetime | None],
                 limit: int = HISTORY_LIMIT) -> None:
        self._key = key
        self._when = when
        self.limit = limit
        self.items: list[T] = []
        self.gaps: list[Gap] = []
        #: Goes up whenever the items or the gaps change: what was drawn from an equal version is current.
        self.version = 0
        self._keys: set[str] = set()

    def __len__(self) -> int:
        return len(self.items)

    def key(self, item: T) -> str:
        return self._key(item)

    def when(self, item: T) -> datetime | None:
        return self._when(item)

    @property
    def newest(self) -> datetime | None:
        return next((t for t in map(self._when, self.items) if t is not None), None)

    def _order(self, item: T) -> tuple[datetime, str]:
        return (self._when(item) or _EPOCH, self._key(item))

    def merge(self, batch: Sequence[T]) -> Merge[T]:
        """Add the unseen items of `batch`; the oldest fall off past `limit`.

        An unseen item too old to survive the bound is not reported as new (it would be
        dropped at once), so a feed that is full never "discovers" old items again.
        """
        overlap = False
        added: dict[str, T] = {}
        for item in batch:
            key = self._key(item)
            if key in self._keys:
                overlap = True
            elif key not in added:
                added[key] = item
        if not added:
            return Merge([], overlap)
        merged = sorted([*self.items, *added.values()], key=self._order, reverse=True)[: self.limit]
        self.items = merged
        self.version += 1
        self._keys = {self._key(item) for item in merged}
        new = [item for item in merged if self._key(item) in added]
        oldest = self._when(merged[-1]) if len(merged) >= self.limit else None
        if oldest is not None:
            self.gaps = [g for g in self.gaps if g.after >= oldest]
        return Merge(new, overlap)

    def mark_gap(self, after: datetime, before: datetime) -> None:
        if before > after:
            self.gaps.append(Gap(after, before))
            self.version += 1

    def clear(self) -> None:
        self.items, self.gaps, self._keys = [], [], set()
        self.version += 1


def event_key(event: RealtimeEvent) -> str:
    """The `_id`; a composite of its fields for an event that came without one."""
    return event.id or f"{event.type}|{event.timestamp}|{event.visitor_id}|{event.path}"


def payment_key(payment: RealtimePayment) -> str:
    return payment.id or f"{payment.timestamp}|{payment.name}|{payment.amount}|{payment.currency}"


def is_goal(event: RealtimeEvent) -> bool:
    """Goal completions are the custom events; everything else in the feed is a pageview."""
    return event.type != "pageview"


@dataclass(frozen=True)
class PollOutcome:
    """What one poll changed, for the screen to draw and announce."""

    new_events: list[RealtimeEvent] = field(default_factory=list)
    new_payments: list[RealtimePayment] = field(default_factory=list)
    new_visitors: frozenset[str] = frozenset()
    #: The first data of this feed: its items are the starting point, not news.
    first: bool = False
    problem: DataFastError | None = None

    @property
    def new_goals(self) -> list[RealtimeEvent]:
        return [e for e in self.new_events if is_goal(e)]


class RealtimeFeed:
    """The state of the Realtime screen's data: latest answers, merged feeds, count history."""

    def __init__(self, *, limit: int = HISTORY_LIMIT, samples: int = COUNT_SAMPLES) -> None:
        self.events: FeedHistory[RealtimeEvent] = FeedHistory(event_key, lambda e: e.timestamp, limit)
        self.payments: FeedHistory[RealtimePayment] = FeedHistory(payment_key, lambda p: p.timestamp, limit)
        self.count: int | None = None
        self.counts: deque[int] = deque(maxlen=samples)
        self.live_map: RealtimeMap | None = None
        #: When the first good answer came (the sparkline starts there).
        self.started: datetime | None = None
        #: When the last poll with both answers fresh finished.
        self.last_ok: datetime | None = None
        #: When the current run of failed polls began (None while polls succeed).
        self.failing_since: datetime | None = None
        self._map_at: datetime | None = None

    @property
    def visitors(self) -> tuple[RealtimeVisitor, ...]:
        return self.live_map.visitors if self.live_map is not None else ()

    def apply(self, count: Part[RealtimeCount], live: Part[RealtimeMap], now: datetime) -> PollOutcome:
        """Take one poll's answers. A stale answer (the store's old value after a failure) is not news."""
        fresh_count = count.value if count.problem is None else None
        fresh_map = live.value if live.problem is None else None
        problem = count.problem or live.problem
        if fresh_count is not None:
            self.count = fresh_count.visitors
            self.counts.append(fresh_count.visitors)
        outcome = PollOutcome(problem=problem)
        if fresh_map is not None:
            outcome = self._apply_map(fresh_map, now, problem)
        if fresh_count is not None or fresh_map is not None:
            self.started = self.started or now
        if problem is None:
            self.last_ok, self.failing_since = now, None
        elif self.failing_since is None:
            self.failing_since = now
        return outcome

    def _apply_map(self, live: RealtimeMap, now: datetime, problem: DataFastError | None) -> PollOutcome:
        first = self.live_map is None
        previous_ids = {v.visitor_id for v in self.visitors}
        unwatched = self._map_at is not None and now - self._map_at > MAP_WINDOW
        new_events = self._merge(self.events, live.recent_events, now, unwatched)
        new_payments = self._merge(self.payments, live.recent_payments, now, unwatched)
        self.live_map, self._map_at = live, now
        new_visitors = frozenset() if first else frozenset(v.visitor_id for v in live.visitors) - previous_ids
        return PollOutcome(new_events, new_payments, new_visitors, first, problem)

    def _merge(self, history: FeedHistory[T], batch: Sequence[T], now: datetime, unwatched: bool) -> list[T]:
        had_items, newest_before = len(history) > 0, history.newest
        merge = history.merge(batch)
        if had_items and newest_before is not None:
            if unwatched and self._map_at is not None:
                # Nobody polled for longer than the window: whatever happened between the last
                # poll and the start of this window was never seen.
                history.mark_gap(self._map_at, now - MAP_WINDOW)
            elif batch and not merge.overlap and newest_before > now - MAP_WINDOW + CLOCK_SLACK:
                # The newest item we had should still be in the window, yet the batch does not
                # reach back to it: the API's cap cut the batch, items in between are missing.
                oldest_new = min((t for t in map(history.when, batch) if t is not None), default=None)
                if oldest_new is not None:
                    history.mark_gap(newest_before, oldest_new)
        return merge.new
