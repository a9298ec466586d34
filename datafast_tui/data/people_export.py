"""Writing a People search to CSV or JSON: the rows loaded, and the search they answer.

The same rules as a breakdown export (data/breakdown_export.py): text cleaned of control
characters, CSV cells protected from formulas, the query in the JSON header or in a
`<file>.query.json` sidecar beside a CSV, the file written whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from datafast_tui.api.people import PeopleSearch, PersonRow, customer_words
from datafast_tui.data.breakdown_export import ExportResult, spreadsheet_safe, write_files
from datafast_tui.safe_text import clean

COLUMNS: tuple[str, ...] = ("visitor_id", "last_seen", "current_url", "country", "region", "city", "device",
                            "browser", "os", "acquisition", "customer")


def record(row: PersonRow) -> dict[str, Any]:
    return {
        "visitor_id": clean(row.visitor_id),
        "last_seen": row.last_seen.isoformat() if row.last_seen else None,
        "current_url": clean(row.current_url or ""),
        "country": clean(row.country or ""), "region": clean(row.region or ""), "city": clean(row.city or ""),
        "device": clean(row.device or ""), "browser": clean(row.browser or ""), "os": clean(row.os or ""),
        "acquisition": clean(row.acquisition_text),
        "customer": row.is_customer,
    }


def describe(search: PeopleSearch, *, rows: int, complete: bool, site: str | None,
             exported_at: datetime | None) -> dict[str, Any]:
    query = search.query
    return {
        "endpoint": "visitors",
        "site": clean(site) if site else None,
        "exported_at": exported_at.isoformat() if exported_at else None,
        "range": {"label": query.range.label(), "start": query.range.start.isoformat() if query.range.start else None,
                  "end": query.range.end.isoformat() if query.range.end else None},
        "customers": customer_words(search.customer),
        "request_parameters": {k: clean(v) for k, v in search.params().items()},
        "left_out": [clean(x) for x in search.left_out],
        "columns": list(COLUMNS),
        "row_count": rows,
        "complete": complete,  # False: the search matched more than the export gathered
    }


def csv_text(rows: Sequence[PersonRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else ("" if v is None else v)
                         for v in record(row).values()])
    return buffer.getvalue()


def write_people(rows: Sequence[PersonRow], header: dict[str, Any], path: Path, fmt: str, *,
                 sidecar: bool = True) -> ExportResult:
    """Write the rows to `path` as `fmt`; raises ExportError naming the path and the reason."""

    def text() -> str:
        if fmt == "csv":
            return csv_text(rows)
        return json.dumps({**header, "rows": [record(r) for r in rows]}, ensure_ascii=False, indent=2) + "\n"

    return write_files(path, fmt, text, lambda: header, len(rows), sidecar=sidecar)
