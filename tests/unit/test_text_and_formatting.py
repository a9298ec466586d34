"""Untrusted text cleaning and the formats of numbers, money, durations and changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rich.cells import cell_len

from datafast_tui import formatting as f
from datafast_tui.safe_text import clean, safe, shorten_middle


@pytest.mark.parametrize(("raw", "expected"), [
    ("plain /pricing", "plain /pricing"),
    ("\x1b[31mred\x1b[0m", "red"),
    ("\x1b]8;;http://evil\x07click\x1b]8;;\x07", "click"),
    ("\x1b]0;title\x1b\\x", "x"),
    ("a\x00b\x07c\x7fd", "abcd"),
    ("\u202eevil\u202c", "evil"),
    ("zero\u200bwidth", "zerowidth"),
    ("line\nbreak\ttab", "line break tab"),
    ("\x9b31mc1", "c1"),
    ("[bold]x[/bold] [link=http://x]y[/link]", "[bold]x[/bold] [link=http://x]y[/link]"),
    ("日本語 e\u0301", "日本語 e\u0301"),
    (None, ""),
    (42, "42"),
])
def test_clean_removes_terminal_control_but_keeps_text(raw, expected) -> None:
    assert clean(raw) == expected


def test_safe_never_parses_markup() -> None:
    text = safe("[/] [red]boom[/red]")
    assert text.plain == "[/] [red]boom[/red]" and not text.spans


def test_placeholder_for_empty() -> None:
    assert clean("", placeholder="(none)") == "(none)" and clean(None, placeholder="–") == "–"


@pytest.mark.parametrize("width", [1, 2, 5, 10, 30])
def test_shorten_middle_fits_and_keeps_both_ends(width: int) -> None:
    path = "/blog/" + "very-long-segment/" * 20 + "end.html"
    out = shorten_middle(path, width)
    assert cell_len(out) <= width
    if width >= 10:
        assert out.startswith("/blog") and out.endswith("html") and "…" in out


def test_shorten_middle_counts_wide_characters() -> None:
    out = shorten_middle("日本語のページ/とても長い名前", 9)
    assert cell_len(out) <= 9 and "…" in out


def test_numbers_and_money() -> None:
    assert f.number(12450) == "12,450" and f.number(None) == "–"
    assert f.compact(950) == "950" and f.compact(12_400) == "12.4k" and f.compact(3_100_000) == "3.1M"
    assert f.money(28450, "USD") == "$28,450" and f.money(2.29, "$") == "$2.29"
    assert f.money(-5, "EUR") == "-€5.00" and f.money(10, "XYZ") == "XYZ 10.00"
    assert f.percent(65.32) == "65.3%" and f.percent(1.15, 2) == "1.15%"


def test_durations() -> None:
    assert f.duration_ms(245678.45) == "4m 06s"
    assert f.duration_ms(42_000) == "42s"
    assert f.duration_ms(3_296_041) == "54m 56s"
    assert f.duration_ms(4 * 3600_000 + 60_000) == "4h 01m"
    assert f.duration_ms(50 * 3600_000) == "2d 2h"


def test_relative_times() -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
    assert f.ago(now - timedelta(seconds=10), now) == "just now"
    assert f.ago(now - timedelta(minutes=3), now) == "3 min ago"
    assert f.ago(now - timedelta(hours=5), now) == "5 h ago"
    assert f.ago(now - timedelta(days=1), now) == "1 day ago"
    assert f.ago(now + timedelta(minutes=2), now) == "in 2 min"


def test_change_direction_and_goodness() -> None:
    up = f.change(110, 100)
    assert (up.arrow, up.text, up.good) == ("▲", "+10.0%", True)
    bounce_up = f.change(60, 50, higher_is_better=False)
    assert bounce_up.good is False and bounce_up.arrow == "▲"
    assert f.change(0, 0).good is None and f.change(5, 0).text == "new"
    assert f.change(None, 1) is None


def test_chart_downsampling_keeps_positions_and_means() -> None:
    from datafast_tui.widgets.chart import downsample

    xs, ys = downsample(tuple(float(i % 24) for i in range(8760)), 240)
    assert len(xs) == len(ys) == 240
    assert xs[0] >= 0 and xs[-1] <= 8759 and xs == sorted(xs)
    assert all(0 <= y <= 23 for y in ys)
    assert downsample((1.0, 2.0, 3.0), 240) == ([0.0, 1.0, 2.0], [1.0, 2.0, 3.0])
