"""What the Breakdowns screen draws, as plain code: tabs, cell texts, widths, drill-down filters, status.

Kept apart from the screen so it is testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from datafast_tui.api.catalogue import (
    BREAKDOWNS,
    CAMPAIGN_PARTS,
    DIMENSION_SOURCES,
    BreakdownSpec,
    breakdown_spec,
    parents_of,
)
from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.models import BreakdownRow
from datafast_tui.data.breakdown_columns import COUNT, MONEY, PERCENT, TEXT, Column, cell_value
from datafast_tui.data.breakdown_rows import SortOrder, is_api_order
from datafast_tui.formatting import flag_of_image, money, number, percent
from datafast_tui.safe_text import clean, shorten_middle
from datafast_tui.widgets.breakdown_table import TableColumn

#: Which campaign part Enter uses when the cursor is not on one: the deepest UTM level the row
#: has (content and term name one ad inside a campaign; source is the broadest), then the
#: non-UTM tags (ref, via, source), which are the alternatives to UTM tagging.
CAMPAIGN_SPECIFICITY = ("utm_content", "utm_term", "utm_campaign", "utm_medium", "utm_source", "ref", "via", "source")

#: The tabs, in order: the catalogue's breakdowns.
TABS: tuple[BreakdownSpec, ...] = BREAKDOWNS
TABS_BY_ENDPOINT = {tab.endpoint: tab for tab in TABS}

def tab_label(tab: BreakdownSpec, total: int | None) -> str:
    """"Cities 2,297" once the total is known, else just "Cities"."""
    return tab.title if total is None else f"{tab.title} {number(total)}"


def format_number(column: Column, value: float, currency: str | None) -> str:
    """A number as its column shows it: a count, money in the site currency, a percent."""
    if column.kind == PERCENT:
        return "<0.1%" if 0 < value < 0.05 else percent(value, 1)
    if column.kind == MONEY:
        # Per visitor is small money: always cents. Totals read best in whole units; cents only
        # where rounding would hide most of the amount (under 10).
        cents = column.key == "revenue_per_visitor" or (not float(value).is_integer() and abs(value) < 10)
        return money(value, currency, cents=cents)
    if column.kind == COUNT and not float(value).is_integer():
        return f"{value:,.2f}"
    return number(value)


def cell_text(column: Column, row: BreakdownRow, total_visitors: float | None, currency: str | None,
              *, endpoint: str = "") -> str:
    """A cell as shown: cleaned text (a country with its flag), or a formatted number; "–" when unknown."""
    value = cell_value(column, row, total_visitors)
    if column.kind == TEXT:
        text = str(value)
        if column.key == "country" and text:
            emoji = flag_of_image(row.extra.get("image"))
            return f"{emoji} {text}" if emoji else text
        if not text and endpoint != "campaigns":  # an empty campaign part is just blank
            return "(none)"
        return text
    if value is None:
        return "–"
    assert isinstance(value, float | int)
    return format_number(column, value, currency)


def _number_width(column: Column, rows: Sequence[BreakdownRow], currency: str | None) -> int:
    """The widest number of a column without formatting every row: a formatted width only grows
    with the size of the value, so the extremes (and the extremes of values written with cents,
    which are wider than their size says) are enough."""
    values = [cell_value(column, row, None) for row in rows]
    numbers = [v for v in values if v is not None]
    widest = 1 if len(numbers) < len(values) else 0  # "–"
    if not numbers:
        return widest
    fractional = [v for v in numbers if not float(v).is_integer()]
    candidates = {max(numbers), min(numbers), *(f(fractional) for f in (max, min) if fractional)}
    return max(widest, *(cell_len(format_number(column, v, currency)) for v in candidates))  # type: ignore[arg-type]


def measure(columns: Sequence[Column], rows: Sequence[BreakdownRow], currency: str | None, endpoint: str,
            widths: list[int] | None = None) -> list[int]:
    """The widest cell of each column over `rows`, starting from `widths` (pages are measured as they come)."""
    out = list(widths) if widths is not None and len(widths) == len(columns) else [0] * len(columns)
    for index, column in enumerate(columns):
        if column.key == "share":
            widest = 6  # "100.0%": known before the total is
        elif column.numeric:
            widest = _number_width(column, rows, currency)
        else:
            widest = max((cell_len(cell_text(column, row, None, currency, endpoint=endpoint)) for row in rows),
                         default=0)
        out[index] = max(out[index], widest)
    return out


def shown_columns(endpoint: str, columns: Sequence[Column], rows: Sequence[BreakdownRow]) -> tuple[Column, ...]:
    """The columns worth a place on screen: a campaign part empty in every row is left out.

    (Exports keep every column.) Eight campaign parts do not fit a terminal, and most sites
    use three or four of them.
    """
    if endpoint != "campaigns" or not rows:
        return tuple(columns)
    return tuple(c for c in columns if c.kind != TEXT or c.derived or any(row.labels.get(c.key) for row in rows))


def table_columns(columns: Sequence[Column], widths: Sequence[int]) -> list[TableColumn]:
    return [TableColumn(c.title, c.numeric, w) for c, w in zip(columns, widths)]


# -- drilling down -------------------------------------------------------------------------

@dataclass(frozen=True)
class Drill:
    """What Enter on a row does: the filters to add (the row's own last), or why it cannot."""

    filters: tuple[Filter, ...] = ()
    problem: str | None = None
    #: Parent dimensions (country, region) the row does not name, to look up with a request.
    look_up: tuple[str, ...] = ()


def dimension_for(endpoint: str, key: str) -> str | None:
    """The filter dimension of label `key` in `endpoint`'s rows (pages' path -> page)."""
    own = breakdown_spec(endpoint).filters if endpoint in TABS_BY_ENDPOINT else ()
    found = next((dimension for dimension, label in own if label == key), None)
    # A label another endpoint owns (a page row's hostname): its dimension is the same.
    return found or next((d for d, (_, label) in DIMENSION_SOURCES.items() if label == key), None)


def _drill_key(endpoint: str, row: BreakdownRow, column: Column | None) -> str | None:
    if column is not None and column.kind == TEXT and dimension_for(endpoint, column.key):
        if endpoint != "campaigns" or row.labels.get(column.key):
            return column.key
    if endpoint == "campaigns":
        return next((k for k in CAMPAIGN_SPECIFICITY if row.labels.get(k)), CAMPAIGN_PARTS[0])
    # The label this endpoint breaks down by (a page's path, not its hostname; a city, not
    # the country a live row may carry beside it).
    own = breakdown_spec(endpoint).own_labels if endpoint in TABS_BY_ENDPOINT else frozenset()
    return next((k for k in row.labels if k in own), None)


def _filter(dimension: str, value: str) -> tuple[Filter | None, str | None]:
    text = clean(value).strip()
    if not text:
        return None, f"this row has no {dimension} to filter by"
    try:
        return Filter(dimension, "is", (text,)), None
    except FilterError as exc:
        return None, str(exc)


def drill_for(endpoint: str, row: BreakdownRow, column: Column | None) -> Drill:
    """The filters Enter adds for `row`, the cursor being on `column` (campaign parts, page hostnames)."""
    key = _drill_key(endpoint, row, column)
    dimension = dimension_for(endpoint, key) if key else None
    if key is None or dimension is None:
        return Drill(problem="these rows cannot be used as a filter")
    own, problem = _filter(dimension, row.labels.get(key, ""))
    if own is None:
        return Drill(problem=problem)
    parents: list[Filter] = []
    missing: list[str] = []
    # Where a region or a city sits, broadest first: added too when known (the rows carry
    # them, or a lookup finds exactly one).
    for parent in parents_of(dimension):
        found, _ = _filter(parent, row.labels.get(parent, ""))
        if found is not None:
            parents.append(found)
        else:
            missing.append(parent)
    return Drill(filters=(*parents, own), look_up=tuple(missing))


# -- words ---------------------------------------------------------------------------------

def row_detail(columns: Sequence[Column], row: BreakdownRow, drill: Drill, width: int = 10_000) -> str:
    """The highlighted row written out whole (the table shortens long paths and URLs), and what
    Enter does: the exact filters when they fit `width` beside it, else just their dimensions.

    A row too long for the detail box (a 10,000-character path) is cut in the middle, so the
    value's end and what Enter does still show (see `_fit`)."""
    labels = [(c, clean(row.labels.get(c.key, ""))) for c in columns if c.kind == TEXT and not c.derived]
    shown = [f"{c.title} {v}" if len(labels) > 1 else v for c, v in labels if v]
    text = " · ".join(shown) or "(none)"
    if drill.problem is not None:
        end = f"   — cannot filter: {drill.problem}"
        return _fit(text, end, width) + end
    parents = f" (and its {' and '.join(drill.look_up)}" if drill.look_up else ""
    full = f"{text}   — Enter filters: {', '.join(f.describe() for f in drill.filters)}"
    full += f"{parents} when known)" if parents else ""
    if cell_len(full) <= width:
        return full
    end = f"   — Enter filters by {', '.join(f.dimension for f in drill.filters)}{parents and parents + ')'}"
    return _fit(text, end, width) + end


def _fit(text: str, end: str, width: int) -> str:
    """`text`, cut in the middle when it and `end` would take more than 3 lines of `width`.

    The detail box shows 4 lines (breakdowns.tcss); a long word that wraps to a new line can
    waste most of one. Uncut, the box would show only the start of the value, and lose its end
    and what Enter does.
    """
    budget = 3 * width - cell_len(end)
    return text if cell_len(text) <= budget else shorten_middle(text, max(budget, 20))


def sort_words(columns: Sequence[Column], order: SortOrder) -> str:
    title = next((c.title for c in columns if c.key == order.column), order.column)
    if is_api_order(order):
        return "by visitors ▼ (the API's order)"
    return f"by {title} {'▼' if order.descending else '▲'}"


def count_words(shown: int, loaded: int, total: int, search: str) -> str:
    """"1,000 of 2,297 rows"; with a search "12 of 2,297 rows match “par”"."""
    rows = "row" if total == 1 else "rows"
    if not search.strip():
        return f"{number(loaded)} of {number(total)} {rows}"
    scope = number(total) if loaded >= total else f"{number(loaded)} loaded (of {number(total)})"
    verb = "matches" if shown == 1 else "match"
    return f"{number(shown)} of {scope} {rows} {verb} “{clean(search.strip())}”"
