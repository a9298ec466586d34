"""How wide the filter chips can be so that the query bar keeps every chip's × on screen.

A chip takes its text plus five cells (padding, " ×", the gap after it). Chips show at most
`MAX_CHIP` cells of text; when they do not all fit the room left on the bar's line, every
chip is shortened to one common width (long values lose their middle, short ones stay
whole), down to `MIN_CHIP`. Below that the chips need a line of their own.
"""

from __future__ import annotations

from rich.cells import cell_len

MAX_CHIP = 40
MIN_CHIP = 12
CHIP_EXTRA = 5  # padding 1+1, " ×", margin 1


def chips_width(texts: list[str], limit: int) -> int:
    """Cells the chips take when each text is cut to `limit` cells."""
    return sum(min(cell_len(t), limit) + CHIP_EXTRA for t in texts)


def chip_limit(texts: list[str], room: int) -> int | None:
    """The widest text limit (MIN_CHIP..MAX_CHIP) at which all chips fit `room` cells; None if none does."""
    for limit in range(MAX_CHIP, MIN_CHIP - 1, -1):
        if chips_width(texts, limit) <= room:
            return limit
    return None
