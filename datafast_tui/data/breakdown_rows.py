"""One breakdown table's rows as they arrive page by page, and the view of them (sort, search).

The API sends a breakdown sorted by visitors, descending, in pages of at most 1000 rows,
with no sort parameter. So any other order is ours to make, and it is only true once every
row is here: `needs_all_rows` says when the screen must fetch the rest before the order it
shows can be trusted. Each column's sort keys and order are kept as pages come
(breakdown_sort.py), so a sort of 100,000 rows costs no comparison. Plain code: the screen
drives it, the tests and benchmark call it directly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress

from datafast_tui.api.models import Breakdown, BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_columns import Column
from datafast_tui.data.breakdown_compare import PreviousPeriod
from datafast_tui.data.breakdown_sort import ColumnOrder, RowView, order_identity
from datafast_tui.safe_text import clean


@dataclass(frozen=True)
class SortOrder:
    """Sort by the column with this key, biggest (or Z) first when `descending`."""

    column: str
    descending: bool

    def reversed(self) -> SortOrder:
        return SortOrder(self.column, not self.descending)


#: The order the API pages come in; share sorts the same way (it is visitors over a constant).
API_ORDER = SortOrder("visitors", True)


def is_api_order(order: SortOrder) -> bool:
    return order.descending and order.column in ("visitors", "share")


def needs_all_rows(order: SortOrder, search: str) -> bool:
    """Whether showing `order` and `search` honestly needs every row, not just the loaded pages."""
    return not is_api_order(order) or bool(search.strip())


def _identity(row: BreakdownRow) -> tuple[tuple[str, str], ...]:
    return tuple(row.labels.items())


class BreakdownRows:
    """The rows of one endpoint for one query, in API order, as pages are added."""

    def __init__(self, endpoint: str, query: Query) -> None:
        self.endpoint = endpoint
        self.query = query
        self.rows: list[BreakdownRow] = []
        #: pagination.total of the last page; None before the first page.
        self.total: int | None = None
        #: Rows the API has sent (duplicates included): the offset of the next page.
        self.received = 0
        self._ended = False
        self._seen: set[tuple[tuple[str, str], ...]] = set()
        self._haystack: list[str] = []  # see _search_text
        self._orders: dict[Hashable, ColumnOrder] = {}  # see order_of
        #: With compare on, the previous period's rows: each row gets its previous value and change.
        self.previous: PreviousPeriod | None = None

    def set_previous(self, previous: PreviousPeriod | None) -> None:
        """Match the rows held (and every later page) to the previous period's. Only the compare
        columns change, and no order of them exists yet: the other orders stay true."""
        self.previous = previous
        if previous is not None:
            self.rows[:] = [previous.enrich(row) for row in self.rows]

    @property
    def next_offset(self) -> int:
        return self.received

    @property
    def complete(self) -> bool:
        """Every row is here (the total is reached, or the API ran out of rows before it)."""
        return self.total is not None and (self._ended or self.received >= self.total)

    @property
    def shown_total(self) -> int:
        """The number of rows to announce: the API's total; what we hold once the rows ran out
        before it (or went past it)."""
        if self._ended:
            return len(self.rows)
        return max(self.total or 0, len(self.rows))

    def add_page(self, page: Breakdown, *, offset: int, limit: int) -> int:
        """Add a page fetched at `offset` with `limit`; returns how many new rows it brought.

        A page can repeat a row of an earlier page when the data moved between requests
        (live traffic reorders rows): such a row is counted as received but not shown twice.
        """
        if offset != self.received:
            raise ValueError(f"page at offset {offset} does not follow the {self.received} rows received")
        self.total = page.pagination.total
        self.received += len(page.rows)
        if len(page.rows) < limit:
            self._ended = True  # a short page is the last one, whatever the total said
        added = 0
        for row in page.rows:
            if self.previous is not None:
                row = self.previous.enrich(row)
            identity = _identity(row)
            if identity in self._seen:
                continue
            self._seen.add(identity)
            self.rows.append(row)
            added += 1
        for order in self._orders.values():  # the keys of a page as it comes; `prepare` sorts them in
            order.add_keys(self.rows)
        return added

    def _search_text(self) -> list[str]:
        """Per row, its labels cleaned and case-folded: made on the first search, kept as pages come."""
        for row in self.rows[len(self._haystack):]:
            self._haystack.append("\x00".join(clean(v) for v in row.labels.values()).casefold())
        return self._haystack

    def order_of(self, column: Column) -> ColumnOrder:
        """`column`'s sort keys and order, brought up to the rows held (only the new rows cost)."""
        identity = order_identity(column)
        order = self._orders.get(identity)
        if order is None:
            order = self._orders[identity] = ColumnOrder(column)
        order.update(self.rows)
        return order

    def prepare(self, columns: Iterable[Column]) -> None:
        """Sort keys and orders of `columns` for the rows that came: done as rows arrive, so that
        a sort (a key press) only reads them."""
        for column in columns:
            self.order_of(column)

    def view(self, columns: tuple[Column, ...], order: SortOrder, search: str = "") -> Sequence[BreakdownRow]:
        """The rows to show: those matching `search` (any label contains it, any case), sorted.

        A sorted view is a `RowView` over the rows held, not a list: rows are only appended,
        so it stays true to the moment it was made, like a list would."""
        needle = search.strip().casefold()
        column = None if is_api_order(order) else next((c for c in columns if c.key == order.column), None)
        if column is None:  # the API's order
            if not needle:
                return RowView(self.rows, range(len(self.rows)))
            return [row for row, hay in zip(self.rows, self._search_text()) if needle in hay]
        indices = self.order_of(column).order(order.descending)
        if needle:
            matches = [needle in hay for hay in self._search_text()]
            indices = list(compress(indices, map(matches.__getitem__, indices)))
        return RowView(self.rows, indices)


def next_sort(columns: tuple[Column, ...], order: SortOrder) -> SortOrder:
    """The order `s` moves to: the next column (wrapping), numbers biggest first, text A to Z."""
    keys = [c.key for c in columns]
    index = keys.index(order.column) if order.column in keys else -1
    column = columns[(index + 1) % len(columns)]
    return SortOrder(column.key, column.numeric)


def sort_by(columns: tuple[Column, ...], order: SortOrder, key: str) -> SortOrder:
    """The order after choosing column `key` (a header click): the same column again reverses."""
    if key == order.column:
        return order.reversed()
    column = next(c for c in columns if c.key == key)
    return SortOrder(key, column.numeric)
