"""What a report holds, independent of how it is printed: sections of rows of cells.

Each cell keeps the raw value (for JSON and CSV: numbers stay numbers) and the text a person
reads (for the terminal table and Markdown), written once by the same formatting the app
uses. Every text that came from the API is cleaned here (no control characters), so no
renderer has to remember to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from datafast_tui.safe_text import clean


@dataclass(frozen=True)
class Cell:
    raw: Any  # a number, a string, True/False, or None (JSON null, an empty CSV field)
    text: str
    tone: str | None = None  # "good" or "bad" news (a change), for the terminal's colours

    @classmethod
    def label(cls, value: object) -> Cell:
        """A text from the API (a path, a country, a visitor id): cleaned of control characters."""
        text = clean(value) if value is not None else ""
        return cls(text if value is not None else None, text)


@dataclass(frozen=True)
class Column:
    key: str  # the JSON / CSV name
    title: str  # the table heading
    numeric: bool = False  # right-aligned in tables
    #: Names the row (a metric, a page, a visitor) rather than measuring it: CSV's `item`.
    identity: bool = False


@dataclass(frozen=True)
class Section:
    key: str  # overview, top:pages, realtime, people
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...] = ()
    #: Why the section could not be filled (the rows are then empty), in the app's words.
    error: str | None = None
    note: str = ""  # a line under the title (what the compare is against, what a filter could not do)


@dataclass(frozen=True)
class Report:
    site: str
    range_label: str
    start: str | None  # ISO dates (None: all time)
    end: str | None
    timezone: str
    filters: tuple[str, ...]
    compare_label: str | None  # the previous period, when compared
    compare_start: str | None
    compare_end: str | None
    generated_at: datetime
    sections: tuple[Section, ...] = field(default=())

    @property
    def failed(self) -> bool:
        return any(s.error is not None for s in self.sections)
