"""What the DataFast API offers, as plain data: where it lives, its limits, its eleven breakdowns.

The one place the app side learns these facts. The client checks endpoints, intervals and
limits against it; the store and the loaders page by `MAX_LIMIT`; the Breakdowns screen
builds its tabs, columns and drill-down filters from `BREAKDOWNS`; the Overview's top tables
and the filter dialog's value suggestions read the same entries. It imports nothing, so
settings and the command line can read it without pulling in httpx.

The demo API keeps its own table (it is a server, tested as one); a test checks both
against the docs so the two cannot drift (tests/unit/test_catalogue.py).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_BASE_URL = "https://datafa.st/api/v1/"
#: The most rows (or points) one request may ask for: `limit` is 1..MAX_LIMIT.
MAX_LIMIT = 1000
#: Time-series intervals, finest first.
INTERVALS: tuple[str, ...] = ("hour", "day", "week", "month")

#: The parts of a campaign, in the order of the docs' `campaign` object.
CAMPAIGN_PARTS: tuple[str, ...] = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via",
)


@dataclass(frozen=True)
class BreakdownSpec:
    """One `analytics/<endpoint>` breakdown, as every part of the app needs to know it."""

    endpoint: str
    #: The tab's label (and, lower-cased, the Overview's "Top …" title).
    title: str
    #: The text fields its rows carry, in the docs' order (the header before any row came).
    labels: tuple[str, ...]
    #: The filter dimensions its rows can set, each with the label key that holds the value;
    #: the first is the row's own (Enter on a row adds it). Value suggestions for a dimension
    #: come from the first breakdown that lists it.
    filters: tuple[tuple[str, str], ...]
    #: Its numbers, in the docs' order.
    metrics: tuple[str, ...] = ("visitors", "revenue")
    #: Broader dimensions, broadest first, that a drill-down on this breakdown's own dimension
    #: adds too when they are known (a city's country and region).
    parents: tuple[str, ...] = ()

    @property
    def dimension(self) -> str:
        """The filter dimension of a row of this breakdown (pages: page)."""
        return self.filters[0][0]

    @property
    def label(self) -> str:
        """The label key naming a row (pages: path, not the hostname beside it)."""
        return self.filters[0][1]

    @property
    def own_labels(self) -> frozenset[str]:
        """Every label key this breakdown's rows are grouped by (all eight campaign parts)."""
        return frozenset(label for _, label in self.filters)


def _one(endpoint: str, title: str, dimension: str, label: str, **more: tuple[str, ...]) -> BreakdownSpec:
    return BreakdownSpec(endpoint, title, (label,), ((dimension, label),), **more)  # type: ignore[arg-type]


#: In the order of the Breakdowns tabs.
BREAKDOWNS: tuple[BreakdownSpec, ...] = (
    BreakdownSpec("pages", "Pages", ("hostname", "path"), (("page", "path"), ("entry_page", "path"))),
    _one("referrers", "Referrers", "referrer", "referrer"),
    BreakdownSpec("campaigns", "Campaigns", CAMPAIGN_PARTS,
                  # The docs' filter list order (ref, source, via, then the UTM parts).
                  tuple((part, part) for part in (*CAMPAIGN_PARTS[5:], *CAMPAIGN_PARTS[:5]))),
    _one("goals", "Goals", "goal", "goal", metrics=("completions", "visitors")),
    _one("countries", "Countries", "country", "country"),
    _one("regions", "Regions", "region", "region", parents=("country",)),
    _one("cities", "Cities", "city", "city", parents=("country", "region")),
    _one("browsers", "Browsers", "browser", "browser"),
    _one("operating-systems", "OS", "os", "operating_system"),
    _one("devices", "Devices", "device", "device"),
    _one("hostnames", "Hostnames", "hostname", "hostname"),
)
BREAKDOWN_ENDPOINTS: tuple[str, ...] = tuple(spec.endpoint for spec in BREAKDOWNS)
_BY_ENDPOINT = {spec.endpoint: spec for spec in BREAKDOWNS}

#: filter dimension -> (breakdown endpoint, label key in its rows): where its values are seen.
DIMENSION_SOURCES: dict[str, tuple[str, str]] = {}
for _spec in BREAKDOWNS:
    for _dimension, _label in _spec.filters:
        DIMENSION_SOURCES.setdefault(_dimension, (_spec.endpoint, _label))
del _spec, _dimension, _label


def breakdown_spec(endpoint: str) -> BreakdownSpec:
    """The entry of `endpoint`; KeyError for a name that is not one of the eleven."""
    return _BY_ENDPOINT[endpoint]


def parents_of(dimension: str) -> tuple[str, ...]:
    """The broader dimensions a filter on `dimension` is narrowed by (city: country, region)."""
    return next((spec.parents for spec in BREAKDOWNS if spec.dimension == dimension), ())
