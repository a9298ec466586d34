"""The Realtime screen's plain view code: flags, bars, rows with gap lines, toast texts, column layout."""

from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from datafast_tui.api.errors import NetworkError, RateLimitedError
from datafast_tui.api.models_realtime import ConversionLikelihood, RealtimeMap
from datafast_tui.api.query import Query
from datafast_tui.api.responses import ServerBudget
from datafast_tui.data.realtime_feed import FeedHistory, RealtimeFeed, event_key
from datafast_tui.data.realtime_schedule import PollSchedule
from datafast_tui.screens.realtime_status import scope_text, server_budget_text, status_content, trouble_text
from datafast_tui.screens.realtime_view import (
    SORTS,
    RowMemo,
    VisitorCells,
    event_row,
    event_rows,
    goal_message,
    likelihood,
    location,
    payment_message,
    sort_visitors,
    source,
    visitor_columns,
    visitor_rows,
)
from datafast_tui.screens.realtime_view import flag_or_blank as flag
from datafast_tui.widgets.feed import Column, fit, layout
from datafast_tui.widgets.live_count import spark_rows
from tests.helpers import docs_example
from tests.unit.data.test_realtime_feed import T0, event, payment

UTC = timezone.utc


def docs_map() -> RealtimeMap:
    return RealtimeMap.from_json(docs_example("realtime_map")["data"])


def test_flags_only_for_two_letter_codes() -> None:
    assert flag("US") == "🇺🇸" and flag("fr") == "🇫🇷"
    assert flag(None) == flag("") == flag("USA") == flag("[/") == flag("1A") == "  "


def test_likelihood_is_a_score_and_a_bar_in_eighths() -> None:
    def conv(score: float) -> ConversionLikelihood:
        return ConversionLikelihood(score, 0.7, False, (), None, None, None)

    assert likelihood(conv(100)).plain == "100 █████"
    assert likelihood(conv(65)).plain == " 65 ███▎ "
    assert likelihood(conv(0)).plain == "  0      "
    assert likelihood(conv(250)).plain.startswith("100")  # out-of-range scores are clamped
    assert likelihood(None).plain == "–"


def test_visitor_texts_from_the_docs_example() -> None:
    (visitor,) = docs_map().visitors
    assert location(visitor) == "🇺🇸 Denver, US-CO"
    assert source(visitor) == "direct"
    assert [c.title for c in visitor_columns(True)][-1] == "Likely"
    assert "Likely" not in [c.title for c in visitor_columns(False)]
    assert "Customer" in [c.title for c in visitor_columns(False, customers=True)]


def test_sorts_are_stable_and_reversible() -> None:
    m = docs_map()
    v = m.visitors[0]
    others = [v.__class__(**{**v.__dict__, "visitor_id": f"id{i}", "visit_count": n}) for i, n in enumerate((2, 5, 2))]
    by_visits = next(s for s in SORTS if s.name == "visits")
    assert [x.visitor_id for x in sort_visitors(tuple(others), by_visits, False)] == ["id1", "id0", "id2"]
    assert [x.visitor_id for x in sort_visitors(tuple(others), by_visits, True)] == ["id0", "id2", "id1"]
    assert [x.visitor_id for x in sort_visitors(tuple(others), SORTS[0], True)] == ["id2", "id1", "id0"]


def test_event_rows_show_goals_and_a_gap_line_where_items_may_be_missing() -> None:
    h = FeedHistory(event_key, lambda e: e.timestamp)
    h.merge([event(3, minutes_ago=1, kind="custom"), event(2, minutes_ago=20), event(1, minutes_ago=30)])
    h.mark_gap(T0 - timedelta(minutes=20), T0 - timedelta(minutes=5))
    rows = event_rows(h, ZoneInfo("Europe/Paris"))
    assert [r.key for r in rows][0] == "e3" and rows[1].note is not None and rows[2].key == "e2"
    assert "⋯ not seen: 16:10:00 – 16:25:00" in rows[1].note.plain
    assert rows[0].cells[0] == "16:29:00" and rows[0].cells[2] == "goal3" and rows[0].data == "v3"


def test_a_row_memo_builds_rows_for_new_items_only_and_again_in_another_zone() -> None:
    built: list[str] = []

    def counting(e, zone):  # noqa: ANN001, ANN202
        built.append(e.id)
        return event_row(e, zone)

    memo, h, paris = RowMemo(counting), FeedHistory(event_key, lambda e: e.timestamp), ZoneInfo("Europe/Paris")
    h.merge([event(2, minutes_ago=2), event(1, minutes_ago=3)])
    first = event_rows(h, paris, memo)
    h.merge([event(3, minutes_ago=1), event(2, minutes_ago=2)])
    second = event_rows(h, paris, memo)
    assert built == ["e2", "e1", "e3"]  # the poll that brought e3 built its row alone
    assert [r.key for r in second] == ["e3", "e2", "e1"] and second[1:] == first
    assert second == event_rows(h, paris)  # the same rows as built without a memo
    tokyo = event_rows(h, ZoneInfo("Asia/Tokyo"), memo)
    assert built[3:] == ["e3", "e2", "e1"] and tokyo[0].cells[0] != second[0].cells[0]


def test_visitor_cells_are_kept_for_a_repeated_visitor_but_started_ages() -> None:
    (visitor,) = docs_map().visitors
    columns, memo = visitor_columns(True), VisitorCells()
    start = visitor.session_start
    first = visitor_rows([visitor], start + timedelta(seconds=10), columns, memo)
    later = visitor_rows([visitor], start + timedelta(minutes=3), columns, memo)
    started = [c.title for c in columns].index("Started")
    assert first[0].cells[started] == "just now" and later[0].cells[started] == "3 min ago"
    assert all(a is b for i, (a, b) in enumerate(zip(first[0].cells, later[0].cells)) if i != started)
    moved = visitor.__class__(**{**visitor.__dict__, "current_url": "/checkout"})  # a new value: built again
    assert "/checkout" in visitor_rows([moved], start, columns, memo)[0].cells
    assert visitor_rows([moved], start, columns, memo) == visitor_rows([moved], start, columns)


def test_toast_texts() -> None:
    p = payment(2)
    assert payment_message(p) == "€20.00 EUR from Customer 2 · new customer"
    renewal = p.__class__(**{**p.__dict__, "renewal": True, "currency": "usd", "amount": 1200.0, "name": None})
    assert payment_message(renewal) == "$1,200 USD · renewal"
    goal = event(1, kind="custom")
    assert goal_message(goal) == "goal1 · a visitor 🇺🇸"


def test_layout_hides_optional_columns_first_and_stretches_flexible_ones() -> None:
    cols = [Column("a", 10, flex=True), Column("b", 10, priority=2), Column("c", 10, priority=1)]
    assert layout(cols, 40) == [(0, 18), (1, 10), (2, 10)]
    assert layout(cols, 25) == [(0, 14), (2, 10)]
    assert layout(cols, 5) == [(0, 10)]  # never under a column's minimum: the line is cut instead
    assert fit("abcdef", 4, Column("x", 4)).plain == "abc…"
    assert fit("/a/very/long/path", 9, Column("x", 9, middle=True)).plain == "/a/v…path"
    assert fit("12", 4, Column("x", 4, right=True)).plain == "  12"


def test_status_texts_for_every_state() -> None:
    zone, s, feed = UTC, PollSchedule(), RealtimeFeed()
    assert "CONNECTING" in status_content(s, feed, zone, None).plain
    feed.last_ok = T0
    assert status_content(s, feed, zone, 5).plain.startswith("● LIVE  updated 15:30:00")
    s.toggle_pause()
    assert "❚❚ PAUSED" in status_content(s, feed, zone, None).plain
    s.toggle_pause()
    s.failed(NetworkError("unreachable"))
    feed.failing_since = T0 + timedelta(seconds=9)
    assert "✕ OFFLINE" in status_content(s, feed, zone, 10).plain
    # When the next try comes is said once: not "retrying on the next refresh" as well.
    assert trouble_text(s, feed, zone, 10) == (
        "Offline since 15:30:09 (last data at 15:30:00); the lists below are kept. Next try in 10 s. Unreachable.")
    s.failed(RateLimitedError("slow down", retry_after=30))
    assert "RATE LIMITED" in status_content(s, feed, zone, 30).plain
    s.succeeded()
    assert trouble_text(s, feed, zone, 5) is None


def test_scope_line_names_what_is_ignored() -> None:
    assert scope_text(Query()).plain == "Realtime shows the last 5–10 minutes · not the date range or filters (All time)"


def test_sparkline_is_scaled_from_zero_and_merges_old_samples() -> None:
    assert spark_rows([2, 3], 4, 1) == ["  ▅█"]  # 2 of 3 is two thirds high, not nothing
    assert spark_rows([0, 8], 2, 2) == [" █", " █"]
    assert spark_rows([1, 5, 3], 4, 2) == ["  █▂", " ▃██"]
    assert spark_rows([1, 9, 1, 1, 2, 2], 3, 1) == ["█▁▂"]  # pairs merged by their maximum
    assert spark_rows([], 3, 1) == ["   "] and spark_rows([0, 0], 2, 1) == ["  "]


def test_the_budget_line_adds_what_the_servers_headers_said() -> None:
    """X-RateLimit headers (issue 15): the user sees the server's remaining budget, not only ours."""
    budget = ServerBudget(limit=60, remaining=41, resets_at=1_000.0)
    assert server_budget_text(budget, 977.0) == " · DataFast says 41 of 60 left, resets in 23 s"
    assert server_budget_text(budget, 977.0, short=True) == " · server: 41 of 60 left, resets in 23 s"
    assert server_budget_text(ServerBudget(None, 3, None), 0.0) == " · DataFast says 3 left"
    assert server_budget_text(None, 0.0) == ""
    content = status_content(PollSchedule(), RealtimeFeed(), timezone.utc, None, server=budget, now=977.0)
    assert "DataFast says 41 of 60 left" in content.plain
