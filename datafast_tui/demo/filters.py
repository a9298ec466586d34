"""The `filter_<dimension>=<operator>:<v1>,<v2>` query parameters, as SQL over sessions.

Semantics (the docs leave them open; these are the demo's):

- A filter selects **sessions**. Every analytics number is then computed over the selected
  sessions: visitors are the distinct visitors of those sessions; pageview, goal and payment
  numbers count the events that belong to those sessions.
- Values are OR'd, filters (several dimensions, or one dimension repeated) are AND'd;
  `is_not` selects exactly the sessions `is` does not, so for one dimension `is:X` and
  `is_not:X` partition the sessions.
- Matching ignores case. `country` matches the ISO code, the name the countries breakdown
  shows ("United States of America") or a common alias ("United States", "UK");
  `region` its ISO 3166-2 code or its name; `referrer` the name the referrers breakdown
  shows ("Google", "Direct/None") or the referring domain ("google.com").
- `page` selects the sessions that viewed a page whose path (or hostname + path) matches;
  `contains` matches part of the path, `does_not_contain` selects the sessions `contains`
  does not. `hostname` selects sessions that viewed a page on that host, `goal` the sessions
  that completed the goal, `entry_page` matches the path of the session's first page (with
  the same four operators as `page`, as today's pages document), `visit_count` the
  visitor's visit number (1 = first visit; a demo extra: today's pages list no such filter).
- Operators per dimension follow today's pages: `is` and `is_not` everywhere; `contains`
  and `does_not_contain` for page and entry_page; `gte` and `lte` for visit_count. The
  operator is the text before the first colon when that text is a lower-case word; an
  unknown word (`filter_device=sometimes:mobile`) is a 400. Otherwise the whole value is
  matched with `is`, so `filter_page=/a:b` and `filter_page=is:/a:b` both mean "/a:b".
- A request carries at most MAX_FILTERS filters of at most MAX_VALUES values each;
  `visit_count` values are integers of at most 9 digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from datafast_tui.demo.errors import bad_request
from datafast_tui.demo.geography import geography


class PlaceNames(Protocol):
    """Matches a country or region value to codes (Geography does; a hostile store's Names too)."""

    def country_codes_matching(self, value: str) -> set[str]: ...

    def region_codes_matching(self, value: str) -> set[str]: ...


OPERATORS = ("is", "is_not", "contains", "does_not_contain", "gte", "lte")
#: An operator prefix: a lower-case word before the first colon (a path or URL is not one).
_OPERATOR_WORD = re.compile(r"[a-z_]+")
#: Operators that select the sessions their positive form does not.
_NEGATED = {"is_not": "is", "does_not_contain": "contains"}
# Plain session columns, matched case-insensitively by the column's NOCASE collation.
_COLUMN_DIMENSIONS = {
    "city": "city",
    "device": "device",
    "browser": "browser",
    "os": "os",
    "ref": "ref",
    "source": "source",
    "via": "via",
    "utm_source": "utm_source",
    "utm_medium": "utm_medium",
    "utm_campaign": "utm_campaign",
    "utm_term": "utm_term",
    "utm_content": "utm_content",
}
DIMENSIONS = (
    "country",
    "region",
    "city",
    "device",
    "browser",
    "os",
    "page",
    "entry_page",
    "hostname",
    "goal",
    "visit_count",
    "referrer",
    "ref",
    "source",
    "via",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
)
_EXTRA_OPERATORS = {
    "page": ("contains", "does_not_contain"),
    "entry_page": ("contains", "does_not_contain"),
    "visit_count": ("gte", "lte"),
}
# SQLite refuses an expression tree deeper than 1000 ("contains" and "gte" values are OR'd,
# filters AND'd, each a level) and more than 32766 arguments: these caps keep a request far
# below both while leaving room for any real question.
MAX_VALUES = 100
MAX_FILTERS = 50
# ASCII digits (isdigit() also passes "²"), short enough for SQLite's 64-bit integers.
_VISIT_COUNT = re.compile(r"[+-]?[0-9]{1,9}")


@dataclass(frozen=True, slots=True)
class Filter:
    dimension: str
    operator: str
    values: tuple[str, ...]

    @property
    def parameter(self) -> str:
        return f"filter_{self.dimension}"


@dataclass(frozen=True, slots=True)
class Scope:
    """A SQL condition on sessions (alias `s`) and its arguments; empty when unfiltered."""

    sql: str
    args: tuple[object, ...]

    @property
    def active(self) -> bool:
        return bool(self.sql)

    def and_sql(self) -> str:
        return f" AND {self.sql}" if self.sql else ""


UNFILTERED = Scope("", ())


def parse_filters(items: Iterable[tuple[str, str]]) -> list[Filter]:
    """Every `filter_*` query parameter, validated; other parameters are ignored."""
    filters = []
    for name, raw in items:
        if not name.startswith("filter_"):
            continue
        if len(filters) == MAX_FILTERS:
            raise bad_request(f"Too many filters: at most {MAX_FILTERS} filter_* parameters per request")
        dimension = name[len("filter_") :]
        if dimension not in DIMENSIONS:
            raise bad_request(
                f"Unknown filter '{name}'. Valid filters: " + ", ".join(f"filter_{d}" for d in DIMENSIONS)
            )
        operator, colon, rest = raw.partition(":")
        allowed = ("is", "is_not", *_EXTRA_OPERATORS.get(dimension, ()))
        if colon and operator not in OPERATORS and _OPERATOR_WORD.fullmatch(operator):
            raise bad_request(f"Unknown operator '{operator}' for {name}: allowed operators are {', '.join(allowed)}")
        if not colon or operator not in OPERATORS:
            operator, rest = "is", raw
        if operator not in allowed:
            raise bad_request(f"Invalid operator '{operator}' for {name}: allowed operators are {', '.join(allowed)}")
        values = tuple(v.strip() for v in rest.split(","))
        if len(values) > MAX_VALUES:
            raise bad_request(f"Invalid {name}: {len(values)} values; at most {MAX_VALUES} values per filter")
        if not rest.strip() or any(not v for v in values):
            raise bad_request(f"Invalid {name} '{raw}': empty value (expected {name}=<operator>:<value>[,<value>...])")
        if dimension == "visit_count" and not all(_VISIT_COUNT.fullmatch(v) for v in values):
            raise bad_request(f"Invalid {name} '{raw}': visit_count values must be integers of at most 9 digits")
        filters.append(Filter(dimension, operator, values))
    return filters


def _placeholders(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values)


def _predicate(f: Filter, places: PlaceNames) -> tuple[str, list[object]]:
    """The condition selecting the sessions `f` matches, ignoring negation (the caller negates)."""
    values = list(f.values)
    if f.dimension in _COLUMN_DIMENSIONS:
        return f"s.{_COLUMN_DIMENSIONS[f.dimension]} IN ({_placeholders(values)})", values
    if f.dimension in ("country", "region"):
        match = places.country_codes_matching if f.dimension == "country" else places.region_codes_matching
        codes = sorted({code for v in values for code in match(v)})
        return (f"s.{f.dimension} IN ({_placeholders(codes)})", list(codes)) if codes else ("0", [])
    if f.dimension == "referrer":
        marks = _placeholders(values)
        return f"(s.referrer IN ({marks}) OR s.referrer_domain IN ({marks}))", values + values
    if f.dimension == "visit_count":
        numbers = [int(v) for v in values]
        if f.operator in ("gte", "lte"):
            op = ">=" if f.operator == "gte" else "<="
            return "(" + " OR ".join(f"s.visit_number {op} ?" for _ in numbers) + ")", list(numbers)
        return f"s.visit_number IN ({_placeholders(numbers)})", list(numbers)
    if f.dimension == "goal":
        return f"s.skey IN (SELECT skey FROM goals WHERE name IN ({_placeholders(values)}))", values
    if f.dimension == "hostname":
        return (
            f"s.skey IN (SELECT skey FROM pageviews WHERE host_id IN "
            f"(SELECT host_id FROM pages WHERE hostname IN ({_placeholders(values)})))"
        ), values
    page_match, page_args = _page_condition(f)
    if f.dimension == "entry_page":
        return f"s.entry_page IN (SELECT page_id FROM pages WHERE {page_match})", page_args
    return (
        f"s.skey IN (SELECT skey FROM pageviews WHERE page_id IN (SELECT page_id FROM pages WHERE {page_match}))",
        page_args,
    )


def _page_condition(f: Filter) -> tuple[str, list[object]]:
    values = list(f.values)
    if f.operator in ("contains", "does_not_contain"):
        # LIKE ignores ASCII case; escape its wildcards so "%" and "_" in a value are literal.
        patterns = ["%" + v.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for v in values]
        return "(" + " OR ".join("path LIKE ? ESCAPE '\\'" for _ in patterns) + ")", patterns
    marks = _placeholders(values)
    return f"(path IN ({marks}) OR hostname || path IN ({marks}))", values + values


def scope_for(filters: list[Filter], places: PlaceNames | None = None) -> Scope:
    """AND of all filters as one condition on sessions `s`.

    `places` matches country and region values (default: the static geography; the
    endpoints pass their store's Names, which also knows a hostile store's names).
    """
    parts, args = [], []
    for f in filters:
        sql, values = _predicate(f, places or geography())
        parts.append(f"NOT ({sql})" if f.operator in _NEGATED else sql)
        args.extend(values)
    return Scope(" AND ".join(parts), tuple(args)) if parts else UNFILTERED
