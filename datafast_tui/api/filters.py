"""Analytics filters: `filter_<dimension>=<operator>:<v1>,<v2>` (values OR'd, filters AND'd).

Decision on awkward values: the API separates values with commas, so a value that contains
a comma cannot be sent and is rejected with a message saying so. Colons are safe: we always
write the operator prefix, and the server reads the operator up to the first colon only, so
`page is /a:b` goes out as `filter_page=is:/a:b` and comes back intact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datafast_tui.api.errors import QueryError

#: The dimensions today's API pages document, in their order (analytics, breakdowns, funnels).
LIVE_DIMENSIONS: tuple[str, ...] = (
    "country", "region", "city", "device", "browser", "os", "referrer", "page", "entry_page",
    "hostname", "goal", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
    "ref", "source", "via",
)
#: Only our demo API answers these: the February docs listed visit_count, today's pages do not,
#: so it is offered against the demo only (and labelled so).
DEMO_ONLY_DIMENSIONS: tuple[str, ...] = ("visit_count",)
DIMENSIONS: tuple[str, ...] = LIVE_DIMENSIONS + DEMO_ONLY_DIMENSIONS

OPERATORS: tuple[str, ...] = ("is", "is_not", "contains", "does_not_contain", "gte", "lte")

#: Past `is` and `is_not` (every dimension): what the pages document per dimension
#: ("page: is, is_not, contains, does_not_contain"; entry_page "the same as page").
_EXTRA_OPERATORS: dict[str, tuple[str, ...]] = {
    "page": ("contains", "does_not_contain"),
    "entry_page": ("contains", "does_not_contain"),
    "visit_count": ("gte", "lte"),
}

#: How operators read in a sentence ("country is not France").
OPERATOR_WORDS: dict[str, str] = {
    "is": "is", "is_not": "is not", "contains": "contains", "does_not_contain": "does not contain",
    "gte": "is at least", "lte": "is at most",
}
#: An operator prefix as the API reads one: a lower-case word before the first colon.
OPERATOR_PREFIX = re.compile(r"[a-z_]+")


def dimensions_offered(demo: bool) -> tuple[str, ...]:
    """The dimensions to offer: the documented ones, plus the demo-only ones against the demo."""
    return DIMENSIONS if demo else LIVE_DIMENSIONS


#: Bounds on what one filter carries: a paste of a whole log into the values field is a
#: mistake to say, not a URL of megabytes for the server to refuse.
MAX_VALUES = 100
MAX_VALUE_LENGTH = 16_384  # the API returns paths this long (the hostile demo has 10,000)


class FilterError(QueryError):
    """A filter that cannot be sent; the message says what to change."""


def operators_for(dimension: str) -> tuple[str, ...]:
    """The operators the API accepts for a dimension, `is` first (the default)."""
    if dimension not in DIMENSIONS:
        raise FilterError(f"unknown filter dimension {dimension!r}; use one of: {', '.join(DIMENSIONS)}")
    return ("is", "is_not", *_EXTRA_OPERATORS.get(dimension, ()))


def _clean_values(dimension: str, values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    cleaned: list[str] = []
    for raw in values:
        value = str(raw).strip()
        if not value:
            raise FilterError(f"filter {dimension}: a value is empty")
        if "," in value:
            raise FilterError(
                f"filter {dimension}: {value!r} contains a comma, which the API uses to separate values"
            )
        if len(value) > MAX_VALUE_LENGTH:
            raise FilterError(f"filter {dimension}: a value of {len(value):,} characters; the limit is "
                              f"{MAX_VALUE_LENGTH:,}")
        # Not str.isdigit(): it takes "²" and other digits no server reads as a number.
        if dimension == "visit_count" and not re.fullmatch(r"[0-9]{1,9}", value):
            raise FilterError(f"filter visit_count: {value[:40]!r} is not a whole number (up to 9 digits)")
        if value not in cleaned:
            cleaned.append(value)
    if not cleaned:
        raise FilterError(f"filter {dimension}: give at least one value")
    if len(cleaned) > MAX_VALUES:
        raise FilterError(f"filter {dimension}: {len(cleaned):,} values; the limit is {MAX_VALUES}")
    return tuple(cleaned)


@dataclass(frozen=True)
class Filter:
    """One filter: a dimension, an operator valid for it, and one or more values (OR'd)."""

    dimension: str
    operator: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        allowed = operators_for(self.dimension)
        if self.operator not in allowed:
            raise FilterError(
                f"operator {self.operator!r} is not valid for {self.dimension}; use {' or '.join(allowed)}"
            )
        object.__setattr__(self, "values", _clean_values(self.dimension, self.values))

    @property
    def param_name(self) -> str:
        return f"filter_{self.dimension}"

    @property
    def param_value(self) -> str:
        return f"{self.operator}:{','.join(self.values)}"

    def describe(self) -> str:
        """A sentence for chips and messages: `country is France or Spain`."""
        return f"{self.dimension} {OPERATOR_WORDS[self.operator]} {' or '.join(self.values)}"

    @classmethod
    def from_param(cls, name: str, value: str) -> Filter:
        """Read `filter_country`, `is_not:France,Spain` back (the operator defaults to `is`)."""
        if not name.startswith("filter_"):
            raise FilterError(f"{name!r} is not a filter parameter (they start with filter_)")
        dimension = name.removeprefix("filter_")
        operator, sep, rest = value.partition(":")
        if not sep or operator not in OPERATORS:
            if sep and OPERATOR_PREFIX.fullmatch(operator):
                # "sometimes:mobile" is a mistyped operator, not the value "sometimes:mobile".
                raise FilterError(f"unknown operator {operator!r} in {name}; use one of: "
                                  f"{', '.join(operators_for(dimension))}")
            operator, rest = "is", value
        return cls(dimension, operator, tuple(rest.split(",")))

    @classmethod
    def parse(cls, text: str) -> Filter:
        """Read the typed form `dimension operator value[,value...]`, e.g. `country is_not France,Spain`.

        The operator may be left out (`country France` means `country is France`).
        """
        parts = text.strip().split(None, 2)
        if not parts:
            raise FilterError("empty filter; write it as: dimension operator value (e.g. country is France)")
        dimension = parts[0].lower()
        operators_for(dimension)  # raises for an unknown dimension
        if len(parts) >= 2 and parts[1] in OPERATORS:
            operator, rest = parts[1], parts[2] if len(parts) == 3 else ""
        else:
            operator, rest = "is", text.strip()[len(parts[0]):].strip()
        return cls(dimension, operator, tuple(rest.split(",")) if rest else ())
