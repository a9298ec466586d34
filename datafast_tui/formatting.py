"""How numbers, money, durations, times and changes are written on screen."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩",
    "BRL": "R$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "CHF": "CHF ", "SEK": "kr ",
    "NOK": "kr ", "DKK": "kr ", "PLN": "zł ", "TRY": "₺", "RUB": "₽", "ILS": "₪", "MXN": "MX$",
}


_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")
#: A flag image URL as breakdown rows carry it: …/3x2/FR.svg (a query or fragment may follow).
_FLAG_IMAGE = re.compile(r"/([A-Za-z]{2})\.svg(?:[?#].*)?$")


def flag(country_code: object) -> str:
    """The flag emoji of a two-letter country code ("US" -> 🇺🇸), or "" for anything else."""
    if not isinstance(country_code, str) or not _COUNTRY_CODE.fullmatch(country_code):
        return ""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in country_code.upper())


def flag_of_image(image_url: object) -> str:
    """The flag emoji of a country row's `image` URL (…/3x2/FR.svg -> 🇫🇷), or "" when there is none."""
    match = _FLAG_IMAGE.search(image_url) if isinstance(image_url, str) else None
    return flag(match.group(1)) if match is not None else ""


def currency_symbol(code: str | None) -> str:
    """"$" for "USD"; a symbol the API already gave ("$") stays; unknown codes read "XYZ "."""
    if not code:
        return ""
    code = code.strip()
    if code.upper() in _SYMBOLS:
        return _SYMBOLS[code.upper()]
    if len(code) == 3 and code.isalpha():
        return code.upper() + " "
    return code  # already a symbol


def number(value: float | int | None) -> str:
    """Whole numbers with thousands separators: 12,450."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{round(value):,}"


def compact(value: float | int | None) -> str:
    """Short form for tight places: 950, 12.4k, 3.1M."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            scaled = value / limit
            return f"{sign}{scaled:.1f}{suffix}" if scaled < 100 else f"{sign}{scaled:.0f}{suffix}"
    return f"{sign}{value:.0f}" if value == int(value) else f"{sign}{value:.1f}"


def money(value: float | None, currency: str | None, *, cents: bool | None = None) -> str:
    """$28,450 or $2.29: cents shown for amounts under 100 (or when asked)."""
    if value is None:
        return "–"
    symbol = currency_symbol(currency)
    show_cents = abs(value) < 100 if cents is None else cents
    body = f"{abs(value):,.2f}" if show_cents else f"{abs(round(value)):,}"
    return f"{'-' if value < 0 else ''}{symbol}{body}"


def percent(value: float | None, digits: int = 1) -> str:
    """A value already in percent (65.32 -> "65.3%")."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}%"


def duration_ms(value: float | None) -> str:
    """245678 ms -> "4m 06s"; 3296041 ms -> "54m 56s"; hours and days past that."""
    if value is None:
        return "–"
    seconds = int(round(value / 1000))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def ago(moment: datetime | None, now: datetime) -> str:
    """"just now", "3 min ago", "2 h ago", "5 days ago" (or "in 2 min" for a future time)."""
    if moment is None:
        return "–"
    seconds = (now - moment).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        text = f"{round(seconds / 60)} min"
    elif seconds < 86400:
        text = f"{round(seconds / 3600)} h"
    else:
        days = round(seconds / 86400)
        text = f"{days} day{'s' if days != 1 else ''}"
    return f"in {text}" if future else f"{text} ago"


def age_seconds(seconds: float | None) -> str:
    """The age of data: "12s", "4 min", "2 h"."""
    if seconds is None:
        return "never"
    if seconds < 60:
        return f"{int(seconds)}s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // 3600)} h"


@dataclass(frozen=True)
class Change:
    """A metric's change against the previous period."""

    arrow: str  # "▲", "▼" or "="
    text: str  # "+12.3%", "-4.0%", "new", "0%"
    good: bool | None  # None: neither (no change, or no previous value)


def change(current: float | None, previous: float | None, *, higher_is_better: bool = True) -> Change | None:
    """How `current` moved from `previous`; None when either is missing."""
    if current is None or previous is None:
        return None
    if previous == 0:
        if current == 0:
            return Change("=", "0%", None)
        # Something from nothing is neither good nor bad news (a bounce rate that "rose" from none).
        return Change("▲" if current > 0 else "▼", "new", None)
    ratio = (current - previous) / abs(previous) * 100
    if abs(ratio) < 0.05:
        return Change("=", "0%", None)
    up = ratio > 0
    # Past tenfold a percentage says little (a period the data had barely begun in): say "×N".
    text = f"×{current / previous:,.0f}" if ratio >= MAX_PERCENT_CHANGE else f"{ratio:+.1f}%"
    return Change("▲" if up else "▼", text, up == higher_is_better)


#: A change this big (or bigger) is written as a factor: "×29", not "+2826.7%".
MAX_PERCENT_CHANGE = 1000.0


def percent_change_text(percent: float, *, digits: int = 1, same: str = "0%") -> str:
    """A change already in percent, as the tables write it: "▲ +12.3%", "▼ -4.0%", `same` when
    it rounds to nothing, and tenfold or more as a factor ("▲ ×30")."""
    if abs(percent) < 0.5 * 10 ** -digits:
        return same
    if percent >= MAX_PERCENT_CHANGE:
        return f"▲ ×{1 + percent / 100:,.0f}"
    return f"{'▲' if percent > 0 else '▼'} {percent:+,.{digits}f}%"


def nice_ticks(top: float, count: int = 3) -> list[float]:
    """Round y ticks from 0 covering `top`: 0, 500, 1,000, 1,500 rather than 0, 670.5, 1,341.

    The step is 1, 2, 2.5 or 5 times a power of ten, the smallest that covers `top` in at most
    `count` steps.
    """
    if top <= 0:
        return [0.0]
    magnitude = 10 ** math.floor(math.log10(top / count))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * count >= top:
            break
    steps = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(steps + 1)]
