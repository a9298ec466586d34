"""What differs between two snapshot SVGs, as lines of text a CI log can show.

A failing snapshot test otherwise says only "assert False", and the HTML report that shows
the two pictures lives in CI's temporary folder, which is gone when the run ends: a flaky
snapshot could not be diagnosed from the log.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

#: The width of one terminal cell in Rich's SVG export (its x positions are multiples of it).
CELL_WIDTH = 12.2

_TEXT = re.compile(r'<text class="([^"]*)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#terminal(?:-\d+)?-line-(\d+)\)">([^<]*)</text>')


def svg_rows(svg: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Each terminal row of a Rich SVG export: its text, and its (style class, text) runs."""
    runs: dict[int, list[tuple[float, str, str]]] = defaultdict(list)
    for style, x, line, text in _TEXT.findall(svg):
        text = html.unescape(text).replace("\n", "")
        runs[int(line)].append((float(x), re.sub(r"terminal(?:-\d+)?-", "", style), text))
    rows = []
    for line in range(max(runs, default=-1) + 1):
        parts = sorted(runs.get(line, ()))
        text = ""
        for x, _, piece in parts:  # gaps (spaces drawn only as background) put back by position
            text = text.ljust(round(x / CELL_WIDTH)) + piece
        rows.append((text.rstrip(), tuple((style, piece) for _, style, piece in parts)))
    return rows


def describe_difference(expected: str, actual: str, limit: int = 40) -> str:
    """The rows that differ, expected then actual; rows alike in text but not in style say so."""
    old, new = svg_rows(expected), svg_rows(actual)
    lines = []
    for number in range(max(len(old), len(new))):
        was = old[number] if number < len(old) else ("<no row>", ())
        now = new[number] if number < len(new) else ("<no row>", ())
        if was == now:
            continue
        if was[0] == now[0]:
            lines.append(f"row {number:2}: same text, other styles: {was[1]!r} -> {now[1]!r}")
        else:
            lines.append(f"row {number:2} expected: {was[0]}")
            lines.append(f"row {number:2} actual:   {now[0]}")
    if not lines:
        return "the SVGs differ outside their text rows (size, colours of the background or the theme)"
    return "\n".join(lines[:limit] + ([f"… {len(lines) - limit} more lines"] if len(lines) > limit else []))
