"""Saved views in the config file: read, checked, saved without disturbing the rest of the file."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from datafast_tui.api.dates import DateRange
from datafast_tui.api.filters import Filter
from datafast_tui.cli import parse_settings
from datafast_tui.config import ConfigError, load_config
from datafast_tui.views import SavedView, ViewError, filter_text, save_view, site_key, view_from

HAND_WRITTEN = """# my settings, with comments
[defaults]
range = "last_7_days"  # a week by default

[sites.shop]
api_key_env = "SHOP_KEY"
"""


def test_a_saved_view_is_read_back_and_the_file_keeps_its_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    filters = (Filter("country", "is_not", ("France", "Spain")), Filter("page", "contains", ("/blog",)))
    view = view_from("blog abroad", "b", rng=DateRange(date(2026, 11, 1), date(2026, 11, 20)), filters=filters,
                     compare=True, screen="breakdowns", tab="pages")
    save_view(path, "shop", view)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN) and "# a week by default" in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_config(path).views_of("shop")["blog abroad"] == view
    assert [Filter.parse(t) for t in view.filters] == list(filters)  # what is saved parses back the same


def test_a_key_moves_to_the_view_saved_last_and_presets_stay_presets(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    week = DateRange(None, None, "last_7_days")
    save_view(path, "demo", view_from("one", "x", rng=week, filters=(), compare=False, screen="overview", tab=None))
    save_view(path, "demo", view_from("two", "x", rng=week, filters=(), compare=False, screen="realtime",
                                      tab="pages"))
    views = load_config(path).views_of("demo")
    assert (views["one"].key, views["two"].key) == (None, "x")
    assert views["two"].preset == "last_7_days" and views["two"].tab is None  # a tab only for Breakdowns


@pytest.mark.parametrize(("body", "named"), [
    ('[views.demo.a]\nrange = "forever"', "[views.demo.a]: unknown date range"),
    ('[views.demo.a]\nfilters = ["planet is Mars"]', "unknown filter dimension"),
    ('[views.demo.a]\nscreen = "nowhere"', "screen 'nowhere'"),
    ('[views.demo.a]\ntab = "planets"', "tab 'planets'"),
    ('[views.demo.a]\nkey = "AB"', "one lower-case letter"),
    ('[views.demo.a]\ncolour = "red"', "unknown setting(s) colour"),
    ('[views.demo.a]\nkey = "a"\n[views.demo.b]\nkey = "a"', "share a key"),
    ('[views.demo.a]\nfrom = "2026-11-05"\nto = "2026-11-01"', "before the start date"),
])
def test_a_broken_view_in_the_file_is_one_clear_message(tmp_path: Path, body: str, named: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=named.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_config(path)


def test_names_are_checked() -> None:
    for name in ("", " ", "x" * 41, "-dash first", "tab\there"):
        with pytest.raises(ViewError):
            view_from(name, None, rng=DateRange(None, None), filters=(), compare=False, screen="overview", tab=None)


def test_the_view_flag_fills_what_the_flags_leave_out(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_view(path, "demo", SavedView("pricing", "p", "last_7_days", None, None, ("page is /pricing",), True,
                                      "breakdowns", "referrers"))
    settings = parse_settings(["--demo", "--config", str(path), "--view", "pricing"], {})
    assert (settings.range, settings.compare, settings.screen, settings.tab) == (
        "last_7_days", True, "breakdowns", "referrers")
    assert [filter_text(f) for f in settings.filters] == ["page is /pricing"]
    beaten = parse_settings(["--demo", "--config", str(path), "--view", "pricing", "--range", "today",
                             "--filter", "country is France", "--screen", "realtime"], {})
    assert (beaten.range, beaten.screen) == ("today", "realtime")
    assert [filter_text(f) for f in beaten.filters] == ["country is France"]
    with pytest.raises(ConfigError, match="no such view for demo \\(its views: pricing\\)"):
        parse_settings(["--demo", "--config", str(path), "--view", "other"], {})
    assert site_key("shop", False) == "shop" and site_key(None, True) == "demo" and site_key(None, False) == "default"
