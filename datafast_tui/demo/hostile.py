"""Hostile strings: the text a `hostile` demo dataset puts into every field the API returns.

Anyone on the internet can put any of these into a URL, a referrer, a UTM tag or a goal,
so a client must show them as literal text: no markup applied, no escape sequence reaching
the terminal, no crash on width or length. By category:

- `markup`: Rich/Textual markup: `[/]` (a closing tag with nothing open crashes a naive
  render), `[bold red]boom[/]`, `[link=http://evil.example]click[/link]` (a forged link),
  `[@click=app.quit]x[/]` (an action that quits the app when clicked).
- `escape`: ANSI/OSC escape sequences: SGR colour `ESC[31m`, an OSC 8 hyperlink, OSC 0
  (sets the terminal's title), `ESC[2J` (clears the screen).
- `control`: other control characters, each inside some text: NUL, BEL, BS, CR, DEL and
  the 8-bit CSI `\\x9b` (C1; some terminals act on it like `ESC[`).
- `bidi`: a right-to-left override `\\u202e...\\u202c` and an unterminated isolate `\\u2066`.
- `long`: a 10,000-character path.
- `wide`: wide and combining characters: `日本語のページ`, a ZWJ family emoji, and `e` with
  three combining acute accents.
- `empty`: the empty string.
- `null`: None. Where the API documents a field as optional (referrer, UTM values,
  customer name, kpi, device vendor, ...) it arrives as JSON null; where a field is not
  optional the dataset stores the empty string instead (the store keeps no NULL in
  analytics columns, so filters partition exactly).

`STRINGS` interleaves the categories (one of each, then the next of each, ...), so its
first `len(CATEGORIES)` entries cover every category and even a short walk through the
list (a few renamed countries) meets most of them.

`pick` decides deterministically, from a seed-derived salt and an integer key (a visitor,
a session, an event), whether a value turns hostile and into which string: the same key
always gets the same answer, which keeps a visitor's attributes identical in every row.
"""

from __future__ import annotations

import zlib
from itertools import zip_longest

LONG_PATH = ("/" + "very-long-path-segment/" * 500)[:10_000]

CATEGORIES: dict[str, tuple[str | None, ...]] = {
    "markup": ("[/]", "[bold red]boom[/]", "[link=http://evil.example]click[/link]", "[@click=app.quit]x[/]"),
    "escape": (
        "\x1b[31mred\x1b[0m",
        "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
        "\x1b]0;pwned\x07",
        "\x1b[2J",
    ),
    "control": ("nul\x00byte", "bell\x07ring", "back\x08space", "carriage\rreturn", "delete\x7fchar", "c1\x9b31mcsi"),
    "bidi": ("\u202egnp.exe\u202c", "\u2066unterminated isolate"),
    "long": (LONG_PATH,),
    "wide": ("日本語のページ", "👩\u200d👩\u200d👧\u200d👦", "e\u0301\u0301\u0301"),
    "empty": ("",),
    "null": (None,),
}

STRINGS: tuple[str | None, ...] = tuple(
    s for row in zip_longest(*CATEGORIES.values(), fillvalue=...) for s in row if s is not ...
)
TEXTS: tuple[str, ...] = tuple(s for s in STRINGS if s is not None)  # for fields that cannot be null
CATEGORY_OF: dict[str | None, str] = {s: name for name, strings in CATEGORIES.items() for s in strings}

_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64's finaliser: a fast, well-spread 64-bit hash of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def salt(seed: int, field: str) -> int:
    """The salt of one field of one dataset: different fields turn hostile independently."""
    return _mix(seed * 0x1_0000_0001 ^ zlib.crc32(field.encode()))


def pair_key(a: int, b: int) -> int:
    """One key from two integers (a session and a timestamp in ms)."""
    return (a << 42) ^ b


def pick_index(field_salt: int, key: int, share: float, choices: int) -> int | None:
    """With probability `share` an index below `choices` for `key`, else None (deterministic)."""
    h = _mix(field_salt ^ key)
    if (h & 0xFFFF) >= share * 0x10000:
        return None
    return (h >> 16) % choices


_MISS = (False, None)


def pick(field_salt: int, key: int, share: float) -> tuple[bool, str | None]:
    """(hit, string): whether the value of `key` turns hostile (with probability `share`) and into what."""
    # pick_index inlined: this runs about a million times while a hostile history is made.
    x = ((field_salt ^ key) + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    h = x ^ (x >> 31)
    if (h & 0xFFFF) >= share * 0x10000:
        return _MISS
    return True, STRINGS[(h >> 16) % len(STRINGS)]


def text_or_empty(value: str | None) -> str:
    """A hostile string for a field that cannot be null: None becomes the empty string."""
    return "" if value is None else value


def for_label(index: int) -> str | None:
    """The hostile string of the index-th renamed label (country, region, goal description...)."""
    return STRINGS[index % len(STRINGS)]
