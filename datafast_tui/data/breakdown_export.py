"""Writing a breakdown table to CSV or JSON: every row, in the order shown, with the query it answers.

Where the filters go: a JSON export holds the query (range, timezone, filters, the exact
request parameters), the sort and the search beside its rows. A CSV file has no place for
them — comment lines are not CSV and break the readers that do not expect them — so a CSV
export is the table alone (one header row, then the rows), and, unless the user unticks it,
a sidecar `<file>.query.json` beside it holds the same description of the query.

`gather_export` fetches every row of a tab for it; `write_export` writes the file.

Every string from the API is cleaned of control characters (terminal escapes, bidi
overrides) before it is written, and CSV cells are protected from formula injection.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models import BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.atomic_file import write_text_atomically
from datafast_tui.data.breakdown_columns import TEXT, Column, cell_value, columns_for
from datafast_tui.data.breakdown_loading import (
    PAGE_SIZE,
    Progress,
    load_rest,
    total_visitors,
)
from datafast_tui.data.breakdown_rows import BreakdownRows, SortOrder
from datafast_tui.data.breakdown_tab import TabState
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.safe_text import clean

FORMATS: tuple[str, ...] = ("csv", "json")
SIDECAR_SUFFIX = ".query.json"

# Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with = + - @ as a
# formula, and tab or carriage return can smuggle one in after them. A page path, referrer
# or UTM value is attacker-controlled ("=HYPERLINK(...)", a DDE payload), so such text cells
# get a leading single quote: the spreadsheet then shows the text as typed (OWASP's advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """An export that could not be written; the message names the path and the reason."""


class ExportStopped(Exception):
    """Fetching the rows of an export failed after `received` rows; `error` says why."""

    def __init__(self, error: DataFastError, received: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.received = received


def spreadsheet_safe(text: str) -> str:
    """`text` as a CSV cell that no spreadsheet will run as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def default_filename(endpoint: str, moment: datetime, fmt: str) -> str:
    """`datafast-cities-20261126-153000.csv`: the endpoint and the local time of the export."""
    return f"datafast-{endpoint}-{moment:%Y%m%d-%H%M%S}.{fmt}"


def resolve_target(text: str, default_name: str, cwd: Path) -> Path:
    """The file to write for what the user typed: `~` expanded, relative to `cwd`,
    and a folder (an existing one, or text ending in a slash) gets the default name inside it.
    """
    typed = text.strip()
    if not typed:
        return cwd / default_name
    path = Path(typed).expanduser()
    if not path.is_absolute():
        path = cwd / path
    if typed.endswith(("/", os.sep)) or _is_dir(path):
        return path / default_name
    return path


def _is_dir(path: Path) -> bool:
    # A name the file system refuses (too long, a NUL byte) is no folder; target_problem says why.
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def sidecar_path(path: Path) -> Path:
    """Where the query of a CSV export is written: `<file>.query.json`."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def existing_files(paths: Sequence[Path]) -> list[Path]:
    """Those of `paths` that exist (an export would replace them)."""
    found = []
    for path in paths:
        try:
            if path.exists():
                found.append(path)
        except (OSError, ValueError):
            pass
    return found


def target_problem(path: Path) -> str | None:
    """Why `path` cannot be written (missing folder, not a folder, no permission, a name the
    file system refuses), or None."""
    try:
        return _target_problem(path)
    except ValueError:  # a name os.stat cannot take
        return "cannot use that file name"
    except OSError as exc:  # a name over the file system's limit, a loop of links...
        return f"cannot use that file name: {exc.strerror or exc}"


def _target_problem(path: Path) -> str | None:
    if "\x00" in str(path):  # pathlib says "does not exist" to a NUL; the write would then fail
        return "a file name cannot hold a NUL character"
    if any(ord(c) < 32 or ord(c) == 127 for c in path.name):
        return "a file name cannot hold control characters (a paste with a newline or an escape?)"
    if len(path.name.encode()) > 255:  # every common file system's limit on one name
        return f"the file name is {len(path.name.encode()):,} bytes; the limit is 255"
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if path.is_dir():
        return f"{path} is a folder; give a file name"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write in {folder}: permission denied"
    if path.exists() and not os.access(path, os.W_OK):
        return f"cannot replace {path}: permission denied"
    return None


@dataclass(frozen=True)
class ExportTable:
    """What an export holds: the table as shown (columns, rows in order) and where it comes from."""

    endpoint: str
    columns: tuple[Column, ...]
    rows: Sequence[BreakdownRow]
    query: Query
    order: SortOrder
    search: str = ""
    total_visitors: float | None = None
    currency: str | None = None
    site: str | None = None
    site_timezone: str | None = None  # what dates mean when the query names no timezone
    exported_at: datetime | None = None
    extra_keys: tuple[str, ...] = field(default=())  # text fields beside the labels (a country's `image`)

    @property
    def fields(self) -> tuple[Column, ...]:
        """The columns written: all but display-only text (the campaign summary repeats its parts)."""
        return tuple(c for c in self.columns if not (c.derived and c.kind == TEXT))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    sidecar: Path | None = None


def _number(value: float | None, digits: int | None = None) -> int | float | None:
    if value is None:
        return None
    if digits is not None:
        value = round(value, digits)
    return int(value) if float(value).is_integer() else value


def record(table: ExportTable, row: BreakdownRow) -> dict[str, Any]:
    """One row as plain values: cleaned text, and numbers (share and per-visitor money rounded)."""
    out: dict[str, Any] = {}
    for column in table.fields:
        value = cell_value(column, row, table.total_visitors)
        if column.kind == TEXT:
            out[column.key] = value
        else:
            out[column.key] = _number(value, 4 if column.derived else None)  # type: ignore[arg-type]
    for key in table.extra_keys:
        out[key] = clean(row.extra.get(key, ""))
    return out


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def describe(table: ExportTable) -> dict[str, Any]:
    """The query, sort and search an export answers (the JSON header, the CSV sidecar)."""
    query = table.query
    return {
        "endpoint": table.endpoint,
        "site": clean(table.site) if table.site else None,
        "exported_at": _iso(table.exported_at),
        "range": {"label": query.range.label(), "start": _iso(query.range.start), "end": _iso(query.range.end)},
        "timezone": query.timezone or table.site_timezone,
        "filters": [
            {"dimension": f.dimension, "operator": f.operator, "values": [clean(v) for v in f.values]}
            for f in query.filters
        ],
        "request_parameters": {k: clean(v) for k, v in query.params().items()},
        "sort": {"column": table.order.column, "descending": table.order.descending},
        "search": clean(table.search) or None,
        "currency": table.currency,
        "total_visitors": _number(table.total_visitors),
        "columns": [c.key for c in table.fields] + list(table.extra_keys),
        "row_count": len(table.rows),
    }


def csv_text(table: ExportTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in table.fields] + list(table.extra_keys))
    for row in table.rows:
        values = record(table, row)
        writer.writerow([
            spreadsheet_safe(v) if isinstance(v, str) else ("" if v is None else v) for v in values.values()
        ])
    return buffer.getvalue()


def json_text(table: ExportTable) -> str:
    document = describe(table)
    document["rows"] = [record(table, row) for row in table.rows]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_export(table: ExportTable, path: Path, fmt: str, *, sidecar: bool = True) -> ExportResult:
    """Write `table` to `path` as `fmt` ("csv" or "json"); raises ExportError with a clear message."""
    return write_files(path, fmt, lambda: csv_text(table) if fmt == "csv" else json_text(table),
                       lambda: describe(table), len(table.rows), sidecar=sidecar)


def write_files(path: Path, fmt: str, text: Callable[[], str], header: Callable[[], dict[str, Any]], rows: int,
                *, sidecar: bool = True) -> ExportResult:
    """Write `text()` to `path` and, for a CSV with `sidecar`, `header()` as JSON beside it.

    Any export's checks and writes: the format, the target (folder, permissions, a name the
    file system takes), each file whole or not at all; ExportError names what went wrong.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use csv or json")
    problem = target_problem(path)
    if problem is not None:
        raise ExportError(problem)
    side_path = sidecar_path(path) if fmt == "csv" and sidecar else None
    try:
        _write(path, text())
        if side_path is not None:
            _write(side_path, json.dumps(header(), ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"cannot write {path}: {reason}") from None
    return ExportResult(path, rows, side_path)


def _write(path: Path, text: str) -> None:
    """The file whole or not at all, with the permissions any new file of the user gets."""
    write_text_atomically(path, text, shared=True)


async def gather_export(store: AnalyticsStore, state: TabState, *, currency: str | None, site: str | None,
                        site_timezone: str | None, exported_at: datetime, page_size: int = PAGE_SIZE,
                        on_progress: Progress | None = None) -> ExportTable:
    """Every row of the tab's table, in the order and with the search shown, ready to write.

    The export fetches its own copy (every page, through the store's cache, so pages the
    screen holds cost nothing), for the query the tab's rows answer. Raises ExportStopped.
    """
    source = state.rows
    if source is None:
        raise ValueError("nothing to export: the tab has no rows")
    query = source.query
    rows = BreakdownRows(state.endpoint, query)
    try:
        await load_rest(store, rows, page_size=page_size, on_progress=on_progress)
    except DataFastError as error:
        raise ExportStopped(error, rows.received) from None
    columns = columns_for(state.endpoint, rows.rows)
    visitors = state.total_visitors if state.current_for(query) else await total_visitors(store, query)
    return ExportTable(
        endpoint=state.endpoint, columns=columns, rows=rows.view(columns, state.order, state.search),
        query=query, order=state.order, search=state.search, total_visitors=visitors, currency=currency,
        site=site, site_timezone=site_timezone, exported_at=exported_at,
        extra_keys=tuple(sorted({k for r in rows.rows for k, v in r.extra.items() if isinstance(v, str)})),
    )
