"""Merging realtime polls: no duplicates by `_id`, bounded history, gaps, first poll is no news."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from datafast_tui.api.errors import NetworkError
from datafast_tui.api.models_realtime import RealtimeCount, RealtimeEvent, RealtimeMap, RealtimePayment
from datafast_tui.data.cache import Result
from datafast_tui.data.outcome import Part
from datafast_tui.data.realtime_feed import MAP_WINDOW, FeedHistory, RealtimeFeed, event_key, payment_key

T0 = datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)


def event(n: int, *, minutes_ago: float = 0, now: datetime = T0, kind: str = "pageview", id_: str | None = None):
    return RealtimeEvent(id=f"e{n}" if id_ is None else id_, type=kind, visitor_id=f"v{n}",
                         timestamp=now - timedelta(minutes=minutes_ago), path=f"/p{n}", country_code="US",
                         extra_data={"eventName": f"goal{n}"} if kind != "pageview" else {}, referrer=None,
                         customer_name=None, amount=None, display_name=None)


def payment(n: int, *, minutes_ago: float = 0, now: datetime = T0):
    return RealtimePayment(id=f"p{n}", type="payment_received", timestamp=now - timedelta(minutes=minutes_ago),
                           name=f"Customer {n}", email=None, amount=10.0 * n, currency="EUR", renewal=False,
                           display_name=None, is_new=True, visible=True)


def live_map(events=(), payments=(), visitors=()):
    return RealtimeMap(count=len(visitors), visitors=tuple(visitors), recent_events=tuple(events),
                       recent_payments=tuple(payments), conversion_metrics=None, has_conversion_predictions=False)


def ok(value):
    return Part(result=Result(value, 0.0))


def history() -> FeedHistory[RealtimeEvent]:
    return FeedHistory(event_key, lambda e: e.timestamp, limit=5)


def test_overlapping_batches_merge_without_duplicates_newest_first() -> None:
    h = history()
    first = h.merge([event(3, minutes_ago=1), event(2, minutes_ago=2), event(1, minutes_ago=3)])
    assert [e.id for e in first.new] == ["e3", "e2", "e1"] and not first.overlap
    second = h.merge([event(4, minutes_ago=0), event(3, minutes_ago=1), event(2, minutes_ago=2)])
    assert [e.id for e in second.new] == ["e4"] and second.overlap
    assert [e.id for e in h.items] == ["e4", "e3", "e2", "e1"]
    assert h.merge([event(4), event(4)]).new == []  # a batch repeating itself adds nothing


def test_history_is_bounded_and_old_items_are_not_rediscovered() -> None:
    h = history()
    h.merge([event(n, minutes_ago=10 - n) for n in range(10)])
    assert len(h) == 5 and [e.id for e in h.items] == ["e9", "e8", "e7", "e6", "e5"]
    # An unseen item older than everything kept would fall off at once: not news.
    assert h.merge([event(99, minutes_ago=60)]).new == [] and len(h) == 5
    assert [e.id for e in h.merge([event(10, minutes_ago=-1)]).new] == ["e10"]
    assert h.items[-1].id == "e6"


def test_items_without_id_get_a_key_from_their_fields() -> None:
    h = history()
    assert len(h.merge([event(1, id_=""), event(1, id_="")]).new) == 1
    assert len(h.merge([event(2, id_="")]).new) == 1


def test_first_poll_is_the_starting_point_later_ones_bring_news() -> None:
    feed = RealtimeFeed()
    first = feed.apply(ok(RealtimeCount(3)), ok(live_map([event(1)], [payment(1)])), T0)
    assert first.first and first.problem is None
    assert feed.count == 3 and list(feed.counts) == [3] and feed.last_ok == T0 and feed.started == T0
    later = T0 + timedelta(seconds=5)
    second = feed.apply(ok(RealtimeCount(4)), ok(live_map([event(2, now=later), event(1)],
                                                          [payment(2, now=later), payment(1)])), later)
    assert not second.first
    assert [e.id for e in second.new_events] == ["e2"] and [p.id for p in second.new_payments] == ["p2"]
    third = feed.apply(ok(RealtimeCount(4)), ok(live_map([event(2, now=later)], [payment(2, now=later)])), later)
    assert third.new_payments == [] and third.new_events == []  # each payment is news once
    assert list(feed.counts) == [3, 4, 4]


def test_goals_are_the_non_pageview_events() -> None:
    feed = RealtimeFeed()
    feed.apply(ok(RealtimeCount(1)), ok(live_map()), T0)
    outcome = feed.apply(ok(RealtimeCount(1)), ok(live_map([event(1, kind="custom"), event(2)])), T0)
    assert [e.id for e in outcome.new_goals] == ["e1"]


def test_a_failed_poll_keeps_everything_and_a_stale_answer_is_not_news() -> None:
    feed = RealtimeFeed()
    feed.apply(ok(RealtimeCount(3)), ok(live_map([event(1)])), T0)
    down = NetworkError("unreachable")
    later = T0 + timedelta(seconds=5)
    stale_map = Part(result=Result(live_map([event(1), event(2)]), 0.0, down))
    outcome = feed.apply(Part(error=down), stale_map, later)
    assert outcome.problem is down and outcome.new_events == []
    assert [e.id for e in feed.events.items] == ["e1"] and feed.count == 3 and list(feed.counts) == [3]
    assert feed.failing_since == later and feed.last_ok == T0
    feed.apply(Part(error=down), Part(error=down), later + timedelta(seconds=10))
    assert feed.failing_since == later  # the outage started at the first failure
    back = later + timedelta(seconds=20)
    feed.apply(ok(RealtimeCount(5)), ok(live_map([event(3, now=back), event(1)])), back)
    assert feed.failing_since is None and feed.last_ok == back and len(feed.events) == 2


def test_a_capped_batch_that_does_not_reach_back_marks_a_gap() -> None:
    feed = RealtimeFeed()
    feed.apply(ok(RealtimeCount(1)), ok(live_map([event(1, minutes_ago=1)])), T0)
    later = T0 + timedelta(seconds=30)
    # e1 (1.5 minutes old) is still inside the window but missing: the batch was cut.
    feed.apply(ok(RealtimeCount(1)), ok(live_map([event(3, now=later), event(2, now=later, minutes_ago=0.2)])), later)
    (gap,) = feed.events.gaps
    assert gap.after == T0 - timedelta(minutes=1) and gap.before == later - timedelta(minutes=0.2)
    assert feed.payments.gaps == []  # nothing was there before: nothing can be missing


def test_sparse_payments_leaving_the_window_are_not_a_gap() -> None:
    feed = RealtimeFeed()
    feed.apply(ok(RealtimeCount(1)), ok(live_map(payments=[payment(1, minutes_ago=9.5)])), T0)
    later = T0 + timedelta(minutes=2)
    feed.apply(ok(RealtimeCount(1)), ok(live_map(payments=[payment(2, now=later)])), later)
    assert feed.payments.gaps == [] and len(feed.payments) == 2


def test_not_polling_for_longer_than_the_window_marks_the_unwatched_time() -> None:
    feed = RealtimeFeed()
    feed.apply(ok(RealtimeCount(1)), ok(live_map([event(1)])), T0)
    later = T0 + MAP_WINDOW + timedelta(minutes=5)
    feed.apply(ok(RealtimeCount(1)), ok(live_map([event(2, now=later)])), later)
    (gap,) = feed.events.gaps
    assert gap.after == T0 and gap.before == later - MAP_WINDOW


def test_payment_and_event_keys_prefer_the_id() -> None:
    assert event_key(event(1)) == "e1" and payment_key(payment(7)) == "p7"


def test_the_version_moves_only_when_the_history_changes() -> None:
    # The screen rebuilds a feed's rows only when its version moved (up to 500 rows per poll otherwise).
    feed = history()
    assert feed.version == 0
    feed.merge([event(1), event(2)])
    after_news = feed.version
    assert after_news > 0
    feed.merge([event(2), event(1)])  # the same items again: nothing to redraw
    assert feed.version == after_news
    feed.mark_gap(T0 - timedelta(minutes=5), T0 - timedelta(minutes=3))
    assert feed.version > after_news
    before_clear = feed.version
    feed.clear()
    assert feed.version > before_clear
