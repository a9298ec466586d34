"""Sorting a breakdown's rows by one column, fast enough for 100,000 rows on every key press.

The rules (the same as ever): rows without a value (empty text, no number, NaN) go last in
both directions, in the API's order; rows that tie keep the API's order in both directions
(descending is not the ascending order reversed: ties are not reversed).

How: a `ColumnOrder` computes each row's key once, when its page arrives, and keeps index
arrays of the rows with a value sorted both ways (`list.sort` with the precomputed keys, done
when rows arrive: a new page is merged into the rows already sorted). A sort on screen is
then no comparison at all, and `RowView` shows the rows in that order without gathering
them into a list. Plain code: no Textual.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from typing import Any, overload

from datafast_tui.api.models import BreakdownRow
from datafast_tui.data.breakdown_columns import Column, sort_key


def order_identity(column: Column) -> Hashable:
    """Columns that sort alike share one `ColumnOrder`: share sorts as visitors do."""
    return "visitors" if column.key in ("share", "visitors") and column.numeric else column


class ColumnOrder:
    """One column's sort keys, and its rows in both orders, over a list of rows that only grows."""

    def __init__(self, column: Column) -> None:
        self._key = sort_key(column)
        #: Per row (API order): its key, or None when it has no value.
        self.keys: list[Any] = []
        #: Rows without a value, in API order.
        self.missing: list[int] = []
        #: Rows with a value, ascending (then descending) by key; ties in API order in both.
        self.ascending: list[int] = []
        self.descending: list[int] = []
        self._pending: list[int] = []  # rows with a key, not yet sorted in

    def add_keys(self, rows: Sequence[BreakdownRow]) -> None:
        """The keys of the rows of `rows` past those held (rows are only ever appended): cheap,
        done as each page comes; `update` sorts them in."""
        keys, missing, pending, key = self.keys, self.missing, self._pending, self._key
        for index in range(len(keys), len(rows)):
            value = key(rows[index])
            if value is None or value == "" or value != value:  # value != value: NaN, which compares false
                keys.append(None)
                missing.append(index)
            else:
                keys.append(value)
                pending.append(index)

    def update(self, rows: Sequence[BreakdownRow]) -> None:
        """Every row of `rows` in both orders: keys for the new rows, then the new rows sorted in."""
        self.add_keys(rows)
        if not self._pending:
            return
        # The rows held are one sorted run and the new ones follow it: a stable sort merges
        # them, and keeps ties in API order (new rows have the higher indices). reverse=True
        # keeps that stability too (it does not reverse ties), and finds the rows held as one run.
        key = self.keys.__getitem__
        ascending = self.ascending + self._pending
        ascending.sort(key=key)
        descending = self.descending + self._pending
        descending.sort(key=key, reverse=True)
        self.ascending, self.descending, self._pending = ascending, descending, []

    def order(self, descending: bool) -> list[int]:
        """Every row's index in the sorted order, rows without a value last (call `update` first)."""
        return (self.descending if descending else self.ascending) + self.missing


class RowView(Sequence[BreakdownRow]):
    """`rows` in the order of `indices`, without a list of them: a table on screen reads a
    screenful of rows, and gathering 100,000 rows scattered in memory costs more than the sort."""

    __slots__ = ("_rows", "_indices")

    def __init__(self, rows: Sequence[BreakdownRow], indices: Sequence[int]) -> None:
        self._rows = rows
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> BreakdownRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[BreakdownRow]: ...

    def __getitem__(self, index: int | slice) -> BreakdownRow | list[BreakdownRow]:
        if isinstance(index, slice):
            return [self._rows[i] for i in self._indices[index]]
        return self._rows[self._indices[index]]

    def __iter__(self) -> Iterator[BreakdownRow]:
        return map(self._rows.__getitem__, self._indices)

    def __repr__(self) -> str:
        return f"RowView({len(self)} rows)"


def sort_rows(rows: Sequence[BreakdownRow], column: Column, descending: bool) -> list[BreakdownRow]:
    """`rows` sorted by `column` once (BreakdownRows keeps its orders as pages come instead)."""
    order = ColumnOrder(column)
    order.update(rows)
    return [rows[i] for i in order.order(descending)]
