"""A breakdown cell as text: numbers formatted for their column, labels cleaned, and column widths.

Plain code (no Textual): the Breakdowns screen draws these texts, the tab state measures
its columns with them, the tests check them directly.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from datafast_tui.api.models import BreakdownRow
from datafast_tui.data.breakdown_columns import (
    CHANGE,
    COUNT,
    MONEY,
    PERCENT,
    TEXT,
    Column,
    cell_value,
)
from datafast_tui.formatting import flag_of_image, money, number, percent, percent_change_text


def format_number(column: Column, value: float, currency: str | None) -> str:
    """A number as its column shows it: a count, money in the site currency, a percent."""
    if column.kind == PERCENT:
        return "<0.1%" if 0 < value < 0.05 else percent(value, 1)
    if column.kind == CHANGE:  # against the previous period (breakdown_compare.py)
        return percent_change_text(value)
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
