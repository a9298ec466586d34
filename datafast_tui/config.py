"""The config file: named site profiles and defaults, read from TOML in the platform config dir.

Example (`datafast-tui --help` prints where the file is looked for)::

    default_site = "shop"

    [defaults]
    range = "last_7_days"      # a preset name (see --range)
    timezone = "Europe/Paris"  # optional; the site's own timezone otherwise
    refresh = 60               # seconds between automatic refreshes
    theme = "textual-dark"

    [sites.shop]
    api_key_env = "SHOP_DATAFAST_KEY"   # read the key from this environment variable...
    # api_key = "df_..."                # ...or keep it here (then chmod 600 the file)
    # base_url = "https://datafa.st/api/v1/"

    [sites.blog]
    api_key_env = "BLOG_DATAFAST_KEY"

    [realtime]
    interval = 5               # seconds between realtime polls (2 to 300); + and - change it
    bell_on_payment = false    # ring the terminal bell when a new payment arrives
    notify_goals = false       # a toast for every goal completed while the Realtime screen is open

    [alerts]                   # traffic alerts on Realtime, and what payments and goals do (alerts_config.py)
    factor = 2.0               # the live count at 2x its usual level for that hour of the week, or half
    traffic = ["toast", "bell"]
    command = ["notify-send", "DataFast"]  # given each alert as JSON on stdin (never a shell)

    [views.shop.pricing]       # a saved view (b saves one, ' recalls it; see views.py)
    key = "p"
    range = "last_7_days"
    filters = ["page is /pricing"]
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from datafast_tui.alerts_config import AlertsConfig, AlertsConfigError, read_alerts
from datafast_tui.api.dates import find_preset
from datafast_tui.api.errors import QueryError
from datafast_tui.api.query import check_timezone
from datafast_tui.data.realtime_schedule import DEFAULT_INTERVAL, check_interval
from datafast_tui.views import SavedView, ViewError, read_views

REFRESH_MIN, REFRESH_MAX = 5.0, 3600.0
_SITE_KEYS = {"api_key", "api_key_env", "base_url", "label", "website_id"}
_DEFAULT_KEYS = {"range", "timezone", "refresh", "theme"}
_REALTIME_KEYS = {"interval", "bell_on_payment", "notify_goals"}


class ConfigError(Exception):
    """The config file (or a flag naming a profile) is unusable; the message says where and why."""


def default_config_path() -> Path:
    return Path(user_config_dir("datafast-tui", appauthor=False)) / "config.toml"


@dataclass(frozen=True)
class Profile:
    name: str
    api_key: str | None = field(default=None, repr=False)
    api_key_env: str | None = None
    base_url: str | None = None
    label: str | None = None
    #: With an account token (dft_…): which of the account's websites this profile shows.
    website_id: str | None = None

    def resolve_key(self, environ: Mapping[str, str]) -> str | None:
        """The key itself, or the one in the environment variable it names."""
        if self.api_key:
            return self.api_key
        if self.api_key_env:
            value = environ.get(self.api_key_env, "").strip()
            if not value:
                raise ConfigError(
                    f"site profile {self.name!r} reads its API key from ${self.api_key_env}, which is not set"
                )
            return value
        return None


@dataclass(frozen=True)
class RealtimeConfig:
    """The `[realtime]` section: how often the Realtime screen polls, what a payment or goal does."""

    interval: float = DEFAULT_INTERVAL
    bell_on_payment: bool = False
    notify_goals: bool = False


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    default_site: str | None = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    range: str | None = None
    timezone: str | None = None
    refresh: float | None = None
    theme: str | None = None
    realtime: RealtimeConfig = field(default_factory=RealtimeConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    warnings: tuple[str, ...] = ()
    #: Saved views per site (views.py): site -> name -> view.
    views: Mapping[str, Mapping[str, SavedView]] = field(default_factory=dict)

    def views_of(self, site: str) -> Mapping[str, SavedView]:
        return self.views.get(site, {})

    def profile(self, name: str) -> Profile:
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none are configured"
            raise ConfigError(f"unknown site profile {name!r} (known profiles: {known}; config: {self.path})")
        return self.profiles[name]


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, kind):
        words = {"str": "a string", "int": "a number", "float": "a number", "dict": "a table"}
        kinds = kind if isinstance(kind, tuple) else (kind,)
        expected = " or ".join(dict.fromkeys(words.get(k.__name__, k.__name__) for k in kinds))
        raise ConfigError(f"{where} should be {expected}")
    return value


def check_refresh(value: float, where: str) -> float:
    if not REFRESH_MIN <= value <= REFRESH_MAX:
        raise ConfigError(f"{where} is {value:g} seconds; use {REFRESH_MIN:g} to {REFRESH_MAX:g}")
    return float(value)


def _read_profiles(raw: Any, path: Path) -> dict[str, Profile]:
    sites = _expect(raw, dict, f"{path}: [sites]")
    profiles = {}
    for name, body in sites.items():
        where = f"{path}: [sites.{name}]"
        _expect(body, dict, where)
        unknown = set(body) - _SITE_KEYS
        if unknown:
            raise ConfigError(f"{where} has unknown setting(s) {', '.join(sorted(unknown))}; "
                              f"known: {', '.join(sorted(_SITE_KEYS))}")
        values = {k: _expect(v, str, f"{where} {k}") for k, v in body.items()}
        profiles[name] = Profile(name=name, **values)
    return profiles


def _read_realtime(raw: Any, path: Path) -> RealtimeConfig:
    section = _expect(raw, dict, f"{path}: [realtime]")
    unknown = set(section) - _REALTIME_KEYS
    if unknown:
        raise ConfigError(f"{path}: [realtime] has unknown setting(s) {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(sorted(_REALTIME_KEYS))}")
    for name in ("bell_on_payment", "notify_goals"):
        if name in section and not isinstance(section[name], bool):
            raise ConfigError(f"{path}: realtime.{name} should be true or false")
    interval = DEFAULT_INTERVAL
    if "interval" in section:
        try:
            interval = check_interval(_expect(section["interval"], (int, float), f"{path}: realtime.interval"))
        except ValueError as exc:
            raise ConfigError(f"{path}: realtime.interval: {exc}") from None
    return RealtimeConfig(interval=interval, bell_on_payment=section.get("bell_on_payment", False),
                          notify_goals=section.get("notify_goals", False))


def _key_is_exposed(path: Path, profiles: Mapping[str, Profile]) -> bool:
    if os.name != "posix" or not any(p.api_key for p in profiles.values()):
        return False
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def load_config(path: Path | None = None) -> ConfigFile:
    """Read the config file; a missing file is an empty config, a broken one a ConfigError."""
    path = path or default_config_path()
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile(path=path)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = set(data) - {"default_site", "defaults", "sites", "realtime", "alerts", "views"}
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; "
                          "known: default_site, [defaults], [sites.NAME], [realtime], [alerts], [views.SITE.NAME]")
    try:
        views = read_views(data.get("views", {}), path)
    except ViewError as exc:
        raise ConfigError(str(exc)) from None
    profiles = _read_profiles(data.get("sites", {}), path)
    defaults = _expect(data.get("defaults", {}), dict, f"{path}: [defaults]")
    unknown = set(defaults) - _DEFAULT_KEYS
    if unknown:
        raise ConfigError(f"{path}: [defaults] has unknown setting(s) {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(sorted(_DEFAULT_KEYS))}")
    try:
        range_name = find_preset(_expect(defaults["range"], str, f"{path}: defaults.range")).name \
            if "range" in defaults else None
        timezone = check_timezone(_expect(defaults["timezone"], str, f"{path}: defaults.timezone")) \
            if "timezone" in defaults else None
    except QueryError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    refresh = None
    if "refresh" in defaults:
        refresh = check_refresh(_expect(defaults["refresh"], (int, float), f"{path}: defaults.refresh"),
                                f"{path}: defaults.refresh")
    default_site = data.get("default_site")
    if default_site is not None:
        _expect(default_site, str, f"{path}: default_site")
        if default_site not in profiles:
            raise ConfigError(f"{path}: default_site {default_site!r} has no [sites.{default_site}] section")
    warnings = ()
    if _key_is_exposed(path, profiles):
        warnings = (f"config file {path} holds an API key and other users can read it; run: chmod 600 {path}",)
    theme = _expect(defaults["theme"], str, f"{path}: defaults.theme") if "theme" in defaults else None
    realtime = _read_realtime(data.get("realtime", {}), path)
    try:
        alerts = read_alerts(data.get("alerts", {}), f"{path}:", bell_on_payment=realtime.bell_on_payment,
                             notify_goals=realtime.notify_goals)
    except AlertsConfigError as exc:
        raise ConfigError(str(exc)) from None
    return ConfigFile(path=path, default_site=default_site, profiles=profiles, range=range_name,
                      timezone=timezone, refresh=refresh, theme=theme, realtime=realtime, alerts=alerts,
                      warnings=warnings, views=views)
