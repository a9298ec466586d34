"""Matching a breakdown's rows to the previous period's, and the change as the table writes it."""

from __future__ import annotations

from datafast_tui.api.models import Breakdown, BreakdownRow, Pagination
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_cells import cell_text
from datafast_tui.data.breakdown_columns import columns_for
from datafast_tui.data.breakdown_compare import CHANGE_KEY, PreviousPeriod, percent_change
from datafast_tui.data.breakdown_rows import BreakdownRows


def row(path: str, visitors: float, host: str = "a.dev") -> BreakdownRow:
    return BreakdownRow(labels={"hostname": host, "path": path}, metrics={"visitors": visitors, "revenue": 1.0})


def page(rows: list[BreakdownRow], total: int | None = None) -> Breakdown:
    count = len(rows) if total is None else total
    return Breakdown("pages", tuple(rows), Pagination(limit=1000, offset=0, total=count))


def test_rows_are_matched_by_their_labels_whatever_their_order() -> None:
    previous = PreviousPeriod.from_page("pages", page([row("/b", 50), row("/a", 200)]))
    a, b, new = previous.enrich(row("/a", 100)), previous.enrich(row("/b", 50)), previous.enrich(row("/c", 9))
    assert (a.metrics["previous_visitors"], a.metrics[CHANGE_KEY]) == (200, -50.0)
    assert (b.metrics["previous_visitors"], b.metrics[CHANGE_KEY]) == (50, 0.0)
    assert "previous_visitors" not in new.metrics and CHANGE_KEY not in new.metrics
    assert previous.complete and previous.missing_words == "– : not seen in the previous period"
    other_host = previous.enrich(row("/a", 100, host="b.dev"))
    assert "previous_visitors" not in other_host.metrics


def test_a_previous_list_cut_short_does_not_call_missing_rows_new() -> None:
    previous = PreviousPeriod.from_page("pages", page([row("/a", 10)], total=5000))
    assert not previous.complete and previous.missing_words == "– : not in the previous period's top 1"


def test_goals_compare_completions() -> None:
    goal = BreakdownRow(labels={"goal": "signup"}, metrics={"completions": 30, "visitors": 20})
    before = BreakdownRow(labels={"goal": "signup"}, metrics={"completions": 10, "visitors": 10})
    previous = PreviousPeriod.from_page("goals", Breakdown("goals", (before,), Pagination(1000, 0, 1)))
    assert previous.enrich(goal).metrics == {"completions": 30, "visitors": 20, "previous_completions": 10,
                                             CHANGE_KEY: 200.0}


def test_rows_held_and_pages_to_come_are_matched() -> None:
    rows = BreakdownRows("pages", Query(compare=True))
    rows.add_page(page([row("/a", 100)], total=2), offset=0, limit=1)
    rows.set_previous(PreviousPeriod.from_page("pages", page([row("/a", 80), row("/b", 40)])))
    rows.add_page(page([row("/b", 10)], total=2), offset=1, limit=1)
    assert [r.metrics.get(CHANGE_KEY) for r in rows.rows] == [25.0, -75.0]
    columns = columns_for("pages", rows.rows)
    assert [c.key for c in columns][-2:] == ["previous_visitors", CHANGE_KEY]
    change = columns[-1]
    assert [cell_text(change, r, None, "USD") for r in rows.rows] == ["▲ +25.0%", "▼ -75.0%"]


def test_the_change_reads_as_the_app_writes_changes() -> None:
    columns = {c.key: c for c in columns_for("pages", [PreviousPeriod.from_page("pages", page([row("/a", 1)]))
                                                       .enrich(row("/a", 30))])}
    grown = BreakdownRow(labels={}, metrics={CHANGE_KEY: 2900.0})
    flat = BreakdownRow(labels={}, metrics={CHANGE_KEY: 0.01})
    assert cell_text(columns[CHANGE_KEY], grown, None, None) == "▲ ×30"
    assert cell_text(columns[CHANGE_KEY], flat, None, None) == "0%"
    assert percent_change(5, 0) is None and percent_change(None, 3) is None
