"""Sorting breakdown rows with keys kept as pages come (data/breakdown_sort.py), against the plain rule.

The rule: rows with a value sorted by it (text without regard to case), ties in the API's
order in both directions, rows without a value (empty text, no number, NaN) last in both
directions, in the API's order. A sort of the kept orders must give exactly what sorting
the rows from scratch by that rule gives, however the rows came in pages.
"""

from __future__ import annotations

import math
import random

import pytest

from datafast_tui.api.models import Breakdown, BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_columns import Column, columns_for, sort_key
from datafast_tui.data.breakdown_rows import BreakdownRows, SortOrder
from datafast_tui.data.breakdown_sort import ColumnOrder, RowView, sort_rows


def row(city: str, **metrics: float) -> BreakdownRow:
    return BreakdownRow(labels={"city": city}, metrics={k: float(v) for k, v in metrics.items()})


def reference(rows: list[BreakdownRow], column: Column, descending: bool) -> list[BreakdownRow]:
    """The rule, written the plain way: a stable sort of the rows with a value, then the rest."""
    key = sort_key(column)

    def missing(value: object) -> bool:
        return value is None or value == "" or (isinstance(value, float) and math.isnan(value))

    present = [r for r in rows if not missing(key(r))]
    absent = [r for r in rows if missing(key(r))]
    return sorted(present, key=key, reverse=descending) + absent


def random_rows(seed: int, count: int) -> list[BreakdownRow]:
    """Rows with many ties (few distinct values), names that differ only in case, empty names,
    rows without revenue or without visitors, and a NaN now and then."""
    rng = random.Random(seed)
    names = ["Paris", "paris", "Berlin", "", "Austin", "austin", "Zürich", "Évry", "oslo"]
    rows = []
    for index in range(count):
        metrics: dict[str, float] = {}
        if rng.random() < 0.9:
            metrics["visitors"] = float(rng.choice([0, 1, 1, 2, 3, 5, 8, 8, 13]))
        if rng.random() < 0.8:
            metrics["revenue"] = rng.choice([0.0, 1.5, 2.0, 2.0, 10.0, float("nan")])
        rows.append(BreakdownRow(labels={"city": rng.choice(names)}, metrics=metrics,
                                 extra={"n": index}))  # extra: tells equal-looking rows apart
    return rows


COLUMNS = columns_for("cities", [row("x", visitors=1, revenue=1)])


def ids(rows) -> list[int]:
    return [r.extra["n"] for r in rows]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("column", COLUMNS, ids=[c.key for c in COLUMNS])
def test_every_column_both_ways_is_the_plain_rule_however_the_pages_came(seed, column) -> None:
    rows = random_rows(seed, 300)
    order = ColumnOrder(column)
    rng = random.Random(seed)
    held = 0
    while held < len(rows):  # pages of any size; keys as each comes, sorted in now and then
        held = min(len(rows), held + rng.choice([1, 7, 50, 120]))
        order.add_keys(rows[:held])
        if rng.random() < 0.5:
            order.update(rows[:held])
        else:
            continue
        for descending in (False, True):
            got = [rows[i] for i in order.order(descending)]
            assert ids(got) == ids(reference(rows[:held], column, descending))
    order.update(rows)
    for descending in (False, True):
        assert ids(RowView(rows, order.order(descending))) == ids(reference(rows, column, descending))


def test_descending_is_ascending_reversed_but_for_ties_and_missing_values() -> None:
    rows = [row("b", visitors=2), row("", visitors=5), row("A", visitors=2), row("c"), row("a", visitors=9),
            row("B", visitors=float("nan"))]
    visitors = next(c for c in COLUMNS if c.key == "visitors")
    city = COLUMNS[0]
    names = lambda rows: [r.labels["city"] for r in rows]  # noqa: E731
    # ties ("b" and "A" at 2 visitors) keep the API's order both ways; no visitors and NaN last both ways
    assert names(sort_rows(rows, visitors, False)) == ["b", "A", "", "a", "c", "B"]
    assert names(sort_rows(rows, visitors, True)) == ["a", "", "b", "A", "c", "B"]
    # text ignores case: "b"/"B" and "A"/"a" tie, and keep the API's order; the empty name last
    assert names(sort_rows(rows, city, False)) == ["A", "a", "b", "B", "c", ""]
    assert names(sort_rows(rows, city, True)) == ["c", "b", "B", "A", "a", ""]


def test_share_sorts_with_the_visitors_order() -> None:
    rows = BreakdownRows("cities", Query())
    data = [row("a", visitors=1), row("b", visitors=3), row("c")]
    rows.add_page(Breakdown.from_json("cities", {"data": [{**r.labels, **r.metrics} for r in data],
                                                 "pagination": {"limit": 10, "offset": 0, "total": 3}}),
                  offset=0, limit=10)
    columns = {c.key: c for c in columns_for("cities", rows.rows)}
    assert rows.order_of(columns["share"]) is rows.order_of(columns["visitors"])
    assert [r.labels["city"] for r in rows.view(tuple(columns.values()), SortOrder("share", False))] == ["a", "b", "c"]


def page(rows: list[BreakdownRow], offset: int, limit: int, total: int) -> Breakdown:
    return Breakdown.from_json("cities", {"data": [{**r.labels, **r.metrics} for r in rows],
                                          "pagination": {"limit": limit, "offset": offset, "total": total}})


def test_views_of_rows_that_came_in_pages_with_a_search() -> None:
    data = [row(f"{random.Random(i).choice(['San', 'Paris', 'santa', 'Oslo'])} {i}", visitors=i % 7,
                revenue=(i * 37) % 11) for i in range(250)]
    rows = BreakdownRows("cities", Query())
    columns = columns_for("cities", data)
    for offset in range(0, 250, 100):
        rows.add_page(page(data[offset:offset + 100], offset, 100, 250), offset=offset, limit=100)
        rows.prepare(columns)  # as TabState does when rows arrive
    assert len(rows.rows) == 250
    for column in columns:
        for descending in (False, True):
            view = rows.view(columns, SortOrder(column.key, descending), " SAN ")
            matching = [r for r in rows.rows if "san" in r.labels["city"].casefold()]
            if column.key == "visitors" and descending or column.key == "share" and descending:
                expected = matching  # the API's order
            else:
                expected = reference(matching, column, descending)
            assert [r.labels["city"] for r in view] == [r.labels["city"] for r in expected]


def test_a_view_stays_as_it_was_made_when_more_rows_come() -> None:
    rows = BreakdownRows("cities", Query())
    columns = columns_for("cities", [row("x", visitors=1)])
    rows.add_page(page([row("b", visitors=2), row("a", visitors=1)], 0, 2, 4), offset=0, limit=2)
    before = rows.view(columns, SortOrder("city", False))
    api = rows.view(columns, SortOrder("visitors", True))
    rows.add_page(page([row("0", visitors=1), row("c", visitors=1)], 2, 2, 4), offset=2, limit=2)
    assert [r.labels["city"] for r in before] == ["a", "b"] and len(api) == 2
    assert [r.labels["city"] for r in rows.view(columns, SortOrder("city", False))] == ["0", "a", "b", "c"]


def test_row_view_is_a_sequence() -> None:
    rows = [row(c, visitors=1) for c in "abcde"]
    view = RowView(rows, [4, 0, 2])
    assert len(view) == 3 and bool(view) and not RowView(rows, [])
    assert view[0] is rows[4] and view[-1] is rows[2] and view[1:] == [rows[0], rows[2]]
    assert list(view) == [rows[4], rows[0], rows[2]] and rows[2] in view and view.index(rows[0]) == 1
    with pytest.raises(IndexError):
        view[3]
