"""Resolving what the app runs with, from flags > environment > config file > built-in defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from datafast_tui.api.catalogue import DEFAULT_BASE_URL
from datafast_tui.api.dates import DateRange
from datafast_tui.api.filters import Filter
from datafast_tui.config import ConfigError, ConfigFile, check_refresh
from datafast_tui.screens import SCREEN_NAMES

DEFAULT_RANGE = "last_30_days"
DEFAULT_REFRESH = 60.0
DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True)
class Connection:
    """Where the data comes from: a real site (key + base URL) or the embedded demo."""

    demo: bool
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    profile: str | None = None
    #: The website an account token (dft_…) asks about (`websiteId`); None for a website key.
    website_id: str | None = None
    #: The website's name when it was picked from the account's list (for the header).
    website_label: str | None = None
    #: The demo reached with its account token (dft_…), as a user of one would (see `w`).
    demo_account: bool = False

    @property
    def label(self) -> str:
        if self.demo:
            return "demo" if not self.website_label else f"demo · {self.website_label}"
        if self.website_label:
            return f"{self.profile or 'account'} · {self.website_label}"
        return self.profile or "default"


@dataclass(frozen=True)
class Settings:
    connection: Connection
    config: ConfigFile
    range: str = DEFAULT_RANGE
    timezone: str | None = None
    refresh: float = DEFAULT_REFRESH
    theme: str = DEFAULT_THEME
    screen: str = "overview"
    visitor: str | None = None
    demo_seed: int | None = None
    demo_hostile: bool = False  # --hostile: hostile strings in every text field of the demo
    #: Keep the last answers on disk and paint them at the next start (--no-cache: neither).
    keep_answers: bool = True
    demo_faults: float = 0.0  # --faults RATE: share of demo requests that fail on purpose
    warnings: tuple[str, ...] = ()
    #: --from/--to: a custom range, which beats `range` (a preset name).
    custom_range: DateRange | None = None
    filters: tuple[Filter, ...] = ()  # --filter, as typed in the filter bar
    compare: bool = False  # --compare: the previous period beside every figure
    tab: str | None = None  # the Breakdowns tab to open on (a saved view's)


#: Said on stderr when --api-key is used: a command line is no place for a secret.
KEY_FLAG_WARNING = ("--api-key is visible to other users of this machine (ps) and stays in your shell "
                    "history; set DATAFAST_API_KEY or put the key in the config file (chmod 600) instead")


def connection_for(config: ConfigFile, environ: Mapping[str, str], *, profile: str | None = None,
                   api_key: str | None = None, base_url: str | None = None, demo: bool = False,
                   profile_from_flag: bool = False) -> Connection:
    """The connection for a profile (or none), with flag values winning.

    A profile picked by a flag beats `DATAFAST_API_KEY` in the environment: naming a site on
    the command line means that site. A profile picked by `DATAFAST_SITE` or `default_site`
    comes after the environment key.
    """
    chosen = config.profile(profile) if profile else None
    env_key = environ.get("DATAFAST_API_KEY", "").strip() or None
    key = api_key
    if key is None and chosen is not None and profile_from_flag:
        key = chosen.resolve_key(environ)
    if key is None:
        key = env_key
    if key is None and chosen is not None:
        key = chosen.resolve_key(environ)
    url = base_url or environ.get("DATAFAST_BASE_URL", "").strip() or (chosen.base_url if chosen else None)
    website = environ.get("DATAFAST_WEBSITE_ID", "").strip() or (chosen.website_id if chosen else None) or None
    if demo or not key:
        return Connection(demo=True, profile=chosen.name if chosen else None)
    return Connection(demo=False, api_key=key, base_url=url or DEFAULT_BASE_URL,
                      profile=chosen.name if chosen else None, website_id=website)


def resolve(flags: Mapping[str, object], environ: Mapping[str, str], config: ConfigFile) -> Settings:
    """Settings from parsed flags (None where not given), the environment and the config file."""
    key_flag = flags.get("api_key")
    warnings = config.warnings
    if key_flag is not None:
        if not str(key_flag).strip():
            # An empty value (an unset variable in `--api-key "$KEY"`) used to run the demo silently.
            raise ConfigError("--api-key is empty: give the key, or leave the flag out (DATAFAST_API_KEY, "
                              "the config file, or the demo without either)")
        warnings = (*warnings, KEY_FLAG_WARNING)
    profile_flag = flags.get("site")
    profile = profile_flag or environ.get("DATAFAST_SITE", "").strip() or config.default_site
    connection = connection_for(
        config, environ, profile=str(profile) if profile else None,
        api_key=_opt_str(flags.get("api_key")), base_url=_opt_str(flags.get("base_url")),
        demo=bool(flags.get("demo")), profile_from_flag=bool(profile_flag),
    )
    refresh = flags.get("refresh")
    if refresh is not None:
        refresh = check_refresh(float(refresh), "--refresh")  # type: ignore[arg-type]
    screen = str(flags.get("screen") or "overview")
    if screen not in SCREEN_NAMES:
        raise ConfigError(f"--screen {screen!r}: use one of {', '.join(SCREEN_NAMES)}")
    for flag in ("faults", "hostile"):
        if flags.get(flag) and not connection.demo:
            raise ConfigError(f"--{flag} changes the demo API; add --demo (a real site cannot be made to fail)")
    faults = flags.get("faults")
    if faults is not None and not 0.0 <= float(faults) <= 1.0:  # type: ignore[arg-type]
        raise ConfigError(f"--faults {faults}: give a share of requests between 0 and 1, e.g. 0.2")
    visitor = _opt_str(flags.get("visitor"))
    if visitor and not flags.get("screen"):
        screen = "visitor"
    return Settings(
        connection=connection,
        config=config,
        range=_opt_str(flags.get("range")) or config.range or DEFAULT_RANGE,
        timezone=_opt_str(flags.get("timezone")) or config.timezone,
        refresh=refresh if refresh is not None else (config.refresh or DEFAULT_REFRESH),  # type: ignore[arg-type]
        theme=config.theme or DEFAULT_THEME,
        screen=screen,
        visitor=visitor,
        demo_seed=flags.get("seed"),  # type: ignore[arg-type]
        demo_hostile=bool(flags.get("hostile")),
        demo_faults=float(flags.get("faults") or 0.0),  # type: ignore[arg-type]
        keep_answers=not flags.get("no_cache"),
        warnings=warnings,
    )


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
