"""The Sites board: which sites, how often it may refresh, and the day ranges it compares."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from datafast_tui.api.models_account import Website
from datafast_tui.config import load_config
from datafast_tui.data.sites_board import MIN_INTERVAL, WEBSITE_PREFIX, board_interval, day_ranges, site_choices
from datafast_tui.settings import Connection


def config(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return load_config(path)


def website(id_: str, name: str) -> Website:
    return Website(id=id_, domain=f"{name.lower()}.example", name=name, timezone="UTC", currency="USD", role="owner")


def test_the_open_site_first_then_the_accounts_websites_then_the_profiles(tmp_path: Path) -> None:
    cfg = config(tmp_path, '[sites.b]\napi_key = "df_b"\n[sites.a]\napi_key = "df_a"\n'
                           '[sites.same]\napi_key = "dft_x"\nwebsite_id = "w1"\n[sites.gone]\napi_key_env = "NOPE"\n')
    current = Connection(demo=False, api_key="dft_x", profile="acct", website_id="w1")
    choices, problems = site_choices(current, cfg, {}, [website("w1", "One"), website("w2", "Two"), website("", "X")])
    assert [(c.choice, c.label, c.current) for c in choices] == [
        ("acct", "One (one.example)", True), (WEBSITE_PREFIX + "w2", "Two (two.example)", False),
        ("a", "a", False), ("b", "b", False)]  # "same" is the open site under another name
    assert choices[1].connection.website_id == "w2" and choices[1].connection.api_key == "dft_x"
    assert len(problems) == 1 and "$NOPE" in problems[0]


def test_the_refresh_interval_keeps_the_busiest_key_within_a_quarter_of_its_limit() -> None:
    def sites(*keys: str):
        return [type("C", (), {"key_identity": k})() for k in keys]

    assert board_interval(sites("a", "b", "c")) == MIN_INTERVAL == 60  # 3 requests a minute each
    assert board_interval(sites(*["dft"] * 10)) == 120  # 30 requests per refresh: 15 a minute
    assert board_interval(sites(*["dft"] * 50, "a")) == 600
    assert board_interval([]) == 60


def test_today_so_far_against_yesterday_until_the_same_time_in_the_sites_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 12, 7, 1, 30, tzinfo=timezone.utc)  # 10:30 in Tokyo
    today, yesterday = day_ranges(now, tokyo)
    assert (today.start, today.end) == (datetime(2026, 12, 7, tzinfo=tokyo), now.astimezone(tokyo))
    assert (yesterday.start, yesterday.end) == (datetime(2026, 12, 6, tzinfo=tokyo),
                                                datetime(2026, 12, 6, 10, 30, tzinfo=tokyo))
    midnight = datetime(2026, 12, 6, 15, 0, 20, tzinfo=timezone.utc)  # 00:00:20 in Tokyo: never empty
    today, _ = day_ranges(midnight, tokyo)
    assert today.end > today.start
