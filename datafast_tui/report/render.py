"""Printing a report: a terminal table (Rich), Markdown, JSON or CSV.

The terminal table uses colour only where the output is a terminal and NO_COLOR is not set
(Rich decides both); the other formats never contain an escape code. Cell texts are already
clean of control characters (model.py); Markdown escapes what would turn an API string into
formatting or HTML, and nothing is ever parsed as Rich markup.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from typing import IO, Any

from datafast_tui.data.breakdown_export import spreadsheet_safe
from datafast_tui.report.model import Report, Section
from datafast_tui.safe_text import shorten_middle

FORMATS = ("table", "markdown", "json", "csv")
#: The terminal table's width when it goes to a file or a pipe (Rich would fold it to 80).
UNBOUNDED_WIDTH = 400
#: The widest a detail (not a row's name) is drawn in the terminal table.
DETAIL_WIDTH = 28


def _is_terminal(out: IO[str]) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def render(report: Report, fmt: str, out: IO[str], *, width: int | None = None) -> None:
    {"table": _table, "markdown": _markdown, "json": _json, "csv": _csv}[fmt](report, out, width)


def _context_lines(report: Report) -> list[str]:
    lines = [f"Timezone: {report.timezone}"]
    if report.filters:
        lines.append("Filters: " + "; ".join(report.filters))
    if report.compare_label:
        lines.append(f"Compared with: {report.compare_label}")
    lines.append(f"Generated: {report.generated_at:%Y-%m-%d %H:%M %Z}")
    return lines


def _heading(report: Report) -> str:
    days = f" ({report.start[:10]} to {report.end[:10]})" if report.start and report.end else ""
    return f"{report.site or 'DataFast'} · {report.range_label}{days}"


# -- terminal table --------------------------------------------------------------------------


def _table(report: Report, out: IO[str], width: int | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if width is None and not _is_terminal(out) and not os.environ.get("COLUMNS"):
        width = UNBOUNDED_WIDTH  # a file or a pipe: whole lines, not a table folded to 80 columns
    console = Console(file=out, width=width, highlight=False, emoji=False, markup=False, soft_wrap=False)
    console.print(Text(_heading(report), style="bold"))
    for line in _context_lines(report):
        console.print(Text(line, style="dim"))
    for section in report.sections:
        console.print()
        console.print(Text(section.title, style="bold underline"))
        if section.note:
            console.print(Text(section.note, style="dim"))
        if section.error is not None:
            console.print(Text(f"Not available: {section.error}", style="red"))
            continue
        if not section.rows:
            continue
        if len(section.rows) == 1 and len(section.columns) == 1:  # one figure (realtime): a line, not a table
            console.print(Text(f"{section.columns[0].title}: {section.rows[0][0].text}"))
            continue
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for column in section.columns:
            table.add_column(column.title, justify="right" if column.numeric else "left", overflow="fold")
        for row in section.rows:
            # What names a row is never cut (folded onto more lines if it must); other long texts
            # (a URL, a campaign) are shortened in the middle: a row per line reads best.
            table.add_row(*(Text(cell.text if column.identity or column.numeric
                                 else shorten_middle(cell.text, DETAIL_WIDTH),
                                 style={"good": "green", "bad": "red"}.get(cell.tone or "", ""))
                            for column, cell in zip(section.columns, row, strict=True)))
        console.print(table)


# -- Markdown --------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _markdown(report: Report, out: IO[str], width: int | None) -> None:
    lines = [f"# {_md(_heading(report))}", "", *(f"{_md(line)}  " for line in _context_lines(report))]
    for section in report.sections:
        lines += ["", f"## {_md(section.title)}", ""]
        if section.note:
            lines += [_md(section.note), ""]
        if section.error is not None:
            lines.append(f"**Not available:** {_md(section.error)}")
            continue
        if not section.rows:
            continue
        if len(section.rows) == 1 and len(section.columns) == 1:
            lines.append(f"{_md(section.columns[0].title)}: **{_md(section.rows[0][0].text)}**")
            continue
        lines.append("| " + " | ".join(_md(c.title) for c in section.columns) + " |")
        lines.append("|" + "|".join("---:" if c.numeric else ":---" for c in section.columns) + "|")
        lines += ["| " + " | ".join(_md(cell.text) for cell in row) + " |" for row in section.rows]
    out.write("\n".join(lines) + "\n")


# -- JSON ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON has no NaN or infinity: such a number from the API is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "rows": [{c.key: _plain(cell.raw) for c, cell in zip(section.columns, row, strict=True)}
                 for row in section.rows],
        "note": section.note or None,
        "error": section.error,
    }


def _json(report: Report, out: IO[str], width: int | None) -> None:
    document = {
        "site": report.site,
        "range": {"label": report.range_label, "start": report.start, "end": report.end},
        "timezone": report.timezone,
        "filters": list(report.filters),
        "compared_with": None if report.compare_label is None else {
            "label": report.compare_label, "start": report.compare_start, "end": report.compare_end},
        "generated_at": report.generated_at.isoformat(),
        "sections": [_section_json(s) for s in report.sections],
    }
    json.dump(document, out, ensure_ascii=False, indent=2, allow_nan=False)
    out.write("\n")


# -- CSV -------------------------------------------------------------------------------------

CSV_HEADER = ("section", "rank", "item", "field", "value")


def _csv(report: Report, out: IO[str], width: int | None) -> None:
    """One long table for every section: a line per figure, named by its section, the row's rank
    and item (what the row is about: a metric, a page, a visitor) and the figure's field."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for section in report.sections:
        for row in section.rows:
            named = dict(zip((c.key for c in section.columns), row, strict=True))
            rank = named["rank"].raw if "rank" in named else ""
            # The raw name where there is one (visitors, not "Visitors"): for scripts.
            item = " · ".join(cell.raw if isinstance(cell.raw, str) else cell.text
                              for c, cell in zip(section.columns, row, strict=True) if c.identity and cell.text)
            for column, cell in zip(section.columns, row, strict=True):
                if column.identity or column.key == "rank":
                    continue
                value = _plain(cell.raw)
                # Numbers stay numbers (-5 is not a formula); texts from the API may be one.
                text = "" if value is None else spreadsheet_safe(value) if isinstance(value, str) else str(value)
                writer.writerow((section.key, rank, spreadsheet_safe(item), column.key, text))
