"""Make untrusted strings (everything the API returns) safe to put on a terminal.

Page paths, referrers, UTM tags, goal names, customer names and server messages are
attacker-controlled. Two dangers: markup (Rich parses `[bold]`, `[link=...]` in strings) and
terminal control (escape sequences, bidi overrides that reorder what is shown). `clean()`
removes the second; rendering through `safe()` (a `rich.text.Text`, never parsed) avoids the
first. Every widget shows API text through these two functions.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len
from rich.text import Text

# ESC-introduced sequences (CSI, OSC, DCS, ...) removed whole, so no "[31m" debris is left.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (or unterminated)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# Bidi embedding/override/isolate controls and invisible separators that can disguise text.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
     0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF]
)


def clean(value: object, *, placeholder: str = "") -> str:
    """`value` as one line of printable text: escapes, controls and bidi overrides removed.

    None and empty strings become `placeholder`. Whitespace controls (tab, newline) become spaces.
    """
    if value is None:
        return placeholder
    text = value if isinstance(value, str) else str(value)
    if not text:
        return placeholder
    if text.isprintable() and text.isascii():
        return text  # the common case, kept fast for big tables
    text = _ESCAPES.sub("", text)
    text = text.translate(_INVISIBLE)
    out = []
    for ch in text:
        if ch in "\t\n\r\v\f":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Co") or ch == "\x1b":
            continue  # other C0/C1 controls, lone surrogates, private use
        else:
            out.append(ch)
    return "".join(out) or placeholder


def safe(value: object, *, style: str = "", placeholder: str = "", width: int | None = None) -> Text:
    """A `Text` of the cleaned value, never parsed for markup; middle-shortened to `width` cells."""
    text = clean(value, placeholder=placeholder)
    if width is not None:
        text = shorten_middle(text, width)
    return Text(text, style=style, no_wrap=True, end="")


def escape_markup(value: object, *, placeholder: str = "") -> str:
    """The cleaned value for a place that parses markup whatever we pass (the command palette's titles).

    Every `[` is escaped, not only those that look like tags as `textual.markup.escape` does:
    `x[/`, `[$accent]` and `[/]` at the end of a string get through that one.
    """
    return clean(value, placeholder=placeholder).replace("[", "\\[")


def shorten_middle(text: str, width: int) -> str:
    """`text` cut in the middle with an ellipsis so it fits `width` terminal cells.

    Keeps both ends: for paths and URLs the start and the end say most.
    """
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    if width == 1:
        return "…"
    keep = width - 1
    head_cells, tail_cells = (keep + 1) // 2, keep // 2
    head = _take_cells(text, head_cells)
    tail = _take_cells(text[::-1], tail_cells)[::-1]
    return f"{head}…{tail}"


def _take_cells(text: str, cells: int) -> str:
    """The longest prefix of `text` that fits `cells` (wide characters count two)."""
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells:
            break
        out.append(ch)
        used += w
    return "".join(out)
