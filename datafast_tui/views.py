"""Saved views: a named range, filters, compare, screen and tab, per site, in the config file.

    [views.demo.pricing-france]     # views.<site>.<name>; <site> is the profile name, or demo / default
    key = "p"                       # optional: ' then p recalls it
    range = "last_7_days"           # a preset, or from / to for custom days
    filters = ["country is France", "page is /pricing"]   # as typed in the filter bar
    compare = true
    screen = "breakdowns"
    tab = "pages"

`b` in the app saves the current one (the file keeps its comments and layout: tomlkit edits
it in place; it is written atomically and readable by its owner only, as it may hold keys),
`'` and the letter or the palette recall it, `--view NAME` opens the app or a report on it.
Plain code, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datafast_tui.api.catalogue import BREAKDOWN_ENDPOINTS
from datafast_tui.api.dates import DateRange, custom_range, find_preset
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import Filter
from datafast_tui.screens import SCREEN_NAMES

#: A view's name: what a person types and the TOML key holds without quoting surprises.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}")
_KEYS = {"key", "range", "from", "to", "filters", "compare", "screen", "tab"}


class ViewError(ValueError):
    """A view that cannot be read or saved; the message names the view and what is wrong."""


@dataclass(frozen=True)
class SavedView:
    name: str
    key: str | None = None  # one letter, a-z
    preset: str | None = None
    start: str | None = None  # ISO days of a custom range
    end: str | None = None
    filters: tuple[str, ...] = ()
    compare: bool = False
    screen: str = "overview"
    tab: str | None = None  # a Breakdowns tab

    def describe(self) -> str:
        """One line for the picker and the palette: what the view shows."""
        when = self.preset.replace("_", " ") if self.preset else f"{self.start} to {self.end}"
        parts = [self.screen + (f" · {self.tab}" if self.tab else ""), when, *self.filters]
        if self.compare:
            parts.append("compared")
        return " · ".join(parts)

    def flags(self) -> dict[str, object]:
        """The view as the query flags it stands for (query_flags.read_query_flags reads them)."""
        return {"range": self.preset, "start": self.start, "end": self.end, "filters": list(self.filters),
                "compare": self.compare}


def site_key(profile: str | None, demo: bool) -> str:
    """Which site's views: its profile's name, else demo or default (a key from the environment)."""
    return profile or ("demo" if demo else "default")


def filter_text(f: Filter) -> str:
    """A filter as the filter bar (and `--filter`) reads it back: `country is_not France,Spain`."""
    return f"{f.dimension} {f.operator} {','.join(f.values)}"


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.fullmatch(name):
        raise ViewError("a view's name is 1 to 40 letters, digits, spaces, dots, dashes or underscores, "
                        "starting with a letter or digit")
    return name


def check_key(key: str | None) -> str | None:
    if key is None or not key.strip():
        return None
    key = key.strip()
    if not re.fullmatch(r"[a-z]", key):
        raise ViewError(f"key {key[:10]!r}: one lower-case letter, a to z")
    return key


def read_view(name: str, raw: Any, where: str) -> SavedView:
    """One `[views.<site>.<name>]` table, checked: a ViewError names what is wrong."""
    if not isinstance(raw, Mapping):
        raise ViewError(f"{where}: a view is a table of settings")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ViewError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_KEYS))}")
    try:
        name = check_name(name)
        key = check_key(_text(raw.get("key"), where, "key"))
        preset = _text(raw.get("range"), where, "range")
        start, end = _text(raw.get("from"), where, "from"), _text(raw.get("to"), where, "to")
        if preset:
            preset = find_preset(preset).name
        if start or end:
            custom_range(start or "", end or "")  # both, in order, real days
        filters = raw.get("filters", [])
        if not isinstance(filters, list) or not all(isinstance(f, str) for f in filters):
            raise ViewError(f"{where}: filters is a list of texts such as \"country is France\"")
        for text in filters:
            Filter.parse(text)
    except QueryError as exc:
        raise ViewError(f"{where}: {exc}") from None
    compare = raw.get("compare", False)
    if not isinstance(compare, bool):
        raise ViewError(f"{where}: compare is true or false")
    screen = _text(raw.get("screen"), where, "screen") or "overview"
    if screen not in SCREEN_NAMES:
        raise ViewError(f"{where}: screen {screen!r}: use one of {', '.join(SCREEN_NAMES)}")
    tab = _text(raw.get("tab"), where, "tab")
    if tab is not None and tab not in BREAKDOWN_ENDPOINTS:
        raise ViewError(f"{where}: tab {tab!r}: use one of {', '.join(BREAKDOWN_ENDPOINTS)}")
    return SavedView(name, key, preset or None, start, end, tuple(filters), compare, screen, tab)


def _text(value: Any, where: str, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ViewError(f"{where}: {what} is a text")
    return value.strip() or None


def read_views(raw: Any, path: Path) -> dict[str, dict[str, SavedView]]:
    """The config file's `[views]`: per site, its views by name."""
    if not isinstance(raw, Mapping):
        raise ViewError(f"{path}: [views] is a table of sites, each a table of views")
    out: dict[str, dict[str, SavedView]] = {}
    for site, views in raw.items():
        if not isinstance(views, Mapping):
            raise ViewError(f"{path}: [views.{site}] is a table of views")
        out[str(site)] = {str(name): read_view(str(name), view, f"{path}: [views.{site}.{name}]")
                          for name, view in views.items()}
        keys = [v.key for v in out[str(site)].values() if v.key]
        if len(keys) != len(set(keys)):
            raise ViewError(f"{path}: two views of {site} share a key ({', '.join(sorted(keys))})")
    return out


def view_from(name: str, key: str | None, *, rng: DateRange, filters: tuple[Filter, ...], compare: bool,
              screen: str, tab: str | None) -> SavedView:
    """The view of what is on screen now (a preset stays a preset: "last 7 days" rolls with time)."""
    name, key = check_name(name), check_key(key)
    if rng.preset != "custom":
        preset, start, end = rng.preset, None, None
    elif rng.start is None or rng.end is None:
        preset, start, end = "all_time", None, None
    else:
        preset, start, end = None, rng.start.isoformat()[:10], rng.end.isoformat()[:10]
    return SavedView(name, key, preset, start, end, tuple(filter_text(f) for f in filters), compare, screen,
                     tab if screen == "breakdowns" else None)


def save_view(path: Path, site: str, view: SavedView) -> None:
    """Add (or replace) `view` under `site` in the config file at `path`, keeping the rest of it as
    written. A view of another name holding the same key loses the key. Raises ViewError."""
    import tomlkit  # only when saving: the app reads the file with tomllib

    from datafast_tui.data.atomic_file import write_text_atomically

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ViewError(f"cannot read {path} to save the view: {exc}") from None
    views = document.setdefault("views", tomlkit.table(is_super_table=True))
    site_views = views.setdefault(site, tomlkit.table(is_super_table=True))
    if view.key:
        for other_name, other in site_views.items():
            if other_name != view.name and other.get("key") == view.key:
                del other["key"]
    table = tomlkit.table()
    for key, value in (("key", view.key), ("range", view.preset), ("from", view.start), ("to", view.end),
                       ("filters", list(view.filters)), ("compare", view.compare), ("screen", view.screen),
                       ("tab", view.tab)):
        if value is not None:
            table[key] = value
    site_views[view.name] = table
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, tomlkit.dumps(document))
    except OSError as exc:
        raise ViewError(f"cannot write {path}: {exc.strerror or exc}") from None
