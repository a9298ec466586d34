"""The names the API shows for what the store keeps as keys: pages, hosts, countries, regions,
goal descriptions, and the site's own metadata.

Pages and hostnames are read from the store's `pages` table (a hostile dataset has extra,
hostile pages there). The other names come from the static tables (site.py, geography.py);
in a hostile dataset a share of them is replaced by hostile strings (ISO codes stay valid,
so flags still resolve; filters match the hostile names as well as the real ones).
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass, replace

from datafast_tui.demo.geography import geography
from datafast_tui.demo.hostile import CATEGORIES, for_label, text_or_empty
from datafast_tui.demo.site import GOAL_DESCRIPTIONS, GOALS, SITE, SiteInfo

# Which static names a hostile dataset renames: every n-th, from the hostile list at an offset.
_COUNTRY_EVERY, _REGION_EVERY, _GOAL_EVERY = 3, 5, 3
_REGION_OFFSET, _GOAL_OFFSET = 3, 5

HOSTILE_SITE = replace(
    SITE,
    name=CATEGORIES["markup"][2],  # a forged link
    domain=CATEGORIES["escape"][1],  # an OSC 8 hyperlink
    kpi=None,  # optional in the docs
    kpi_color_scheme=CATEGORIES["markup"][3],  # a click action
)


@dataclass(frozen=True, slots=True)
class Names:
    """Names by key for one store; `hostile` tells which variant of the dataset it is."""

    site: SiteInfo
    pages: dict[int, tuple[str, str]]  # page_id -> (hostname, path)
    hostnames: dict[int, str]  # host_id -> hostname
    countries: dict[str, str]  # ISO code -> name
    regions: dict[str, str]  # ISO 3166-2 code -> name
    goal_descriptions: dict[str, str | None]
    hostile: bool = False

    def country(self, code: str) -> str:
        return self.countries.get(code, code)

    def region(self, code: str) -> str:
        return self.regions.get(code, code)

    def path(self, page_id: int) -> str:
        return self.pages[page_id][1]

    def url(self, page_id: int) -> str:
        """Hostname and path, as the visitor endpoint shows a page."""
        hostname, path = self.pages[page_id]
        return hostname + path

    def goal_description(self, name: str) -> str | None:
        if name in self.goal_descriptions:
            return self.goal_descriptions[name]
        if self.hostile:  # a hostile goal name (or one posted through the API)
            return for_label(zlib.crc32(name.encode("utf-8", "surrogatepass")))
        return None

    def country_codes_matching(self, value: str) -> set[str]:
        """Codes whose code, name, alias or (hostile dataset) shown name equals `value`, any case."""
        wanted = value.strip().casefold()
        shown = {code for code, name in self.countries.items() if name.strip().casefold() == wanted}
        return geography().country_codes_matching(value) | shown

    def region_codes_matching(self, value: str) -> set[str]:
        wanted = value.strip().casefold()
        shown = {code for code, name in self.regions.items() if name.strip().casefold() == wanted}
        return geography().region_codes_matching(value) | shown


def _renamed(names: dict[str, str], every: int, offset: int) -> dict[str, str]:
    """`names` with every `every`-th one (never the first, the biggest) replaced by a hostile text."""
    out = dict(names)
    for i, key in enumerate(names):
        if i % every == every - 1:
            out[key] = text_or_empty(for_label(offset + i // every))
    return out


def load_names(conn: sqlite3.Connection, hostile: bool) -> Names:
    """The names of the store on `conn` (its `pages` table) for the normal or hostile dataset."""
    pages: dict[int, tuple[str, str]] = {}
    hostnames: dict[int, str] = {}
    for page_id, host_id, hostname, path in conn.execute("SELECT page_id, host_id, hostname, path FROM pages"):
        pages[page_id] = (hostname, path)
        hostnames[host_id] = hostname
    world = geography()
    countries = {c.code: c.name for c in world.countries}
    regions = {code: r.name for code, r in world.region_by_code.items()}
    descriptions: dict[str, str | None] = dict(GOAL_DESCRIPTIONS)
    if hostile:
        countries = _renamed(countries, _COUNTRY_EVERY, 0)
        regions = _renamed(regions, _REGION_EVERY, _REGION_OFFSET)
        for i, goal in enumerate(GOALS):
            if i % _GOAL_EVERY == 1:
                descriptions[goal.name] = for_label(_GOAL_OFFSET + i // _GOAL_EVERY)  # null allowed: optional
    return Names(
        site=HOSTILE_SITE if hostile else SITE,
        pages=pages,
        hostnames=hostnames,
        countries=countries,
        regions=regions,
        goal_descriptions=descriptions,
        hostile=hostile,
    )
