"""People search: today's `GET visitors`, and what of the app's query it can carry.

The visitors list takes plain parameters, not the analytics endpoints' `filter_<dim>=op:values`:
`visitedPage` (exact paths, comma-separated), `visitedPageContains` (one partial match),
`completedGoal` (one goal), `country`/`region`/`city`/`device`/`browser`/`os`/`referrer`/
`hostname`/the UTM fields/`ref`/`source`/`via` (comma-separated values), and
`isCustomer`/`hasRevenue` (true or false, never with `completedGoal`). It has no "is not",
no "does not contain", no entry page and no comparison period: a global filter it cannot
express is left out of the request and named (`PeopleSearch.left_out`), never sent as
something it does not mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from datafast_tui.api import parsing as p
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import Filter
from datafast_tui.api.models import Pagination
from datafast_tui.api.query import Query

#: The list's page size at most, and what the screen asks for.
MAX_PEOPLE_LIMIT = 250
#: Comma-separated values one parameter takes at most (today's pages).
MAX_PLAIN_VALUES = 50
#: Global filter dimensions that map one to one onto a plain parameter of the same name.
PLAIN_DIMENSIONS: tuple[str, ...] = (
    "country", "region", "city", "device", "browser", "os", "referrer", "hostname",
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via",
)
#: The customer choices, in the order `c` cycles them.
CUSTOMER_CHOICES: tuple[bool | None, ...] = (None, True, False)


def customer_words(customer: bool | None) -> str:
    return {None: "anyone", True: "customers only", False: "not customers"}[customer]


@dataclass(frozen=True)
class PeopleSearch:
    """The app's query (range, timezone, filters) plus the list's own customer choice."""

    query: Query = Query()
    customer: bool | None = None  # True: isCustomer=true; False: isCustomer=false; None: anyone

    def _mapped(self) -> tuple[dict[str, str], list[str]]:
        params = {k: v for k, v in self.query.params().items() if not k.startswith("filter_")}
        left_out: list[str] = []
        for f in self.query.filters:
            name, reason = _plain_name(f)
            if name is None:
                left_out.append(f"{f.describe()} ({reason})")
            else:
                params[name] = ",".join(f.values)  # the filters `carried` names
        if self.query.compare:
            left_out.append("compare (the list has no previous period)")
        if self.customer is not None:
            params["isCustomer"] = "true" if self.customer else "false"
        return params, left_out

    def params(self) -> dict[str, str]:
        """The request's parameters (without limit and offset). Raises QueryError for a
        combination the API refuses (a goal with the customer choice)."""
        params, _ = self._mapped()
        if "completedGoal" in params and "isCustomer" in params:
            raise QueryError("a completed goal cannot be combined with customers only / not customers "
                             "(the API refuses it): press c for anyone, or remove the goal filter")
        return params

    @property
    def left_out(self) -> tuple[str, ...]:
        """The parts of the query the list cannot carry, in words (shown on the screen)."""
        return tuple(self._mapped()[1])

    @property
    def carried(self) -> tuple[Filter, ...]:
        """The query's filters the request does carry."""
        return tuple(f for f in self.query.filters if _plain_name(f)[0] is not None)


def _plain_name(f: Filter) -> tuple[str | None, str]:
    """The plain parameter carrying `f`, or None and why not."""
    count = len(f.values)
    if f.dimension == "page":
        if f.operator == "is":
            return ("visitedPage", "") if count <= MAX_PLAIN_VALUES else (None, f"more than {MAX_PLAIN_VALUES} pages")
        if f.operator == "contains":
            return ("visitedPageContains", "") if count == 1 else (None, "one partial page match at a time")
        return None, "the list has no 'does not contain'"
    if f.dimension == "goal":
        if f.operator != "is":
            return None, "the list has no 'is not'"
        return ("completedGoal", "") if count == 1 else (None, "one completed goal at a time")
    if f.dimension in PLAIN_DIMENSIONS:
        if f.operator != "is":
            return None, "the list has no 'is not'"
        return (f.dimension, "") if count <= MAX_PLAIN_VALUES else (None, f"more than {MAX_PLAIN_VALUES} values")
    if f.dimension == "entry_page":
        return None, "the list has no entry page"
    return None, f"the list has no {f.dimension.replace('_', ' ')}"


@dataclass(frozen=True)
class PersonRow:
    """One row of the visitors list: lightweight, for search (Enter opens the full visitor)."""

    visitor_id: str
    last_seen: datetime | None
    current_url: str | None
    country: str | None
    region: str | None
    city: str | None
    browser: str | None
    os: str | None
    device: str | None
    #: Where they came from, as the answer words it (referrer, UTM fields, ref/source/via).
    acquisition: tuple[tuple[str, str], ...]
    is_customer: bool | None  # None: the answer did not say

    @property
    def location(self) -> str:
        """`Philadelphia, PA, US`: a region code that repeats the country (`US-PA`) loses the prefix."""
        region = self.region
        if region and self.country and region.upper().startswith(self.country.upper() + "-"):
            region = region[len(self.country) + 1:]
        return ", ".join(x for x in (self.city, region, self.country) if x)

    @property
    def device_text(self) -> str:
        return " · ".join(x for x in (self.device, self.browser, self.os) if x)

    @property
    def acquisition_text(self) -> str:
        """The referrer first, then the campaign: `Google · utm_campaign=launch`."""
        values = dict(self.acquisition)
        lead = values.pop("referrer", None) or values.pop("channel", None)
        rest = [f"{k}={v}" for k, v in values.items()]
        return " · ".join([lead, *rest] if lead else rest)

    @classmethod
    def from_json(cls, raw: Any, path: str) -> PersonRow:
        obj = p.as_object(raw, path)
        visitor_id = p.opt_str(obj, "visitorId", path) or p.str_or_empty(obj, "datafast_visitor_id", path)
        if not visitor_id:
            raise p.fail(f"{path}.visitorId", "a visitor id", obj.get("visitorId"))
        identity = p.as_object(obj.get("identity") or {}, f"{path}.identity")
        where = f"{path}.identity"

        def text(key: str) -> str | None:
            value = identity.get(key)
            if isinstance(value, dict):  # the single visitor's shape: {name} / {type}
                return p.opt_str(value, "name" if "name" in value else "type", f"{where}.{key}") or None
            return p.opt_str(identity, key, where) or None

        acquisition = obj.get("acquisition")
        pairs: list[tuple[str, str]] = []
        if isinstance(acquisition, dict):
            for key, value in acquisition.items():
                if isinstance(value, str) and value:
                    pairs.append((str(key), value))
        elif acquisition is not None:
            raise p.fail(f"{path}.acquisition", "an object", acquisition)
        customer = obj.get("isCustomer", obj.get("customer"))
        return cls(
            visitor_id=visitor_id,
            last_seen=p.opt_datetime(obj, "lastSeenAt", path),
            current_url=p.opt_str(obj, "currentUrl", path),
            country=text("country"), region=text("region"), city=text("city"),
            browser=text("browser"), os=text("os"), device=text("device"),
            acquisition=tuple(pairs),
            is_customer=customer if isinstance(customer, bool) else None,
        )


@dataclass(frozen=True)
class PeoplePage:
    rows: tuple[PersonRow, ...]
    pagination: Pagination

    @property
    def has_more(self) -> bool:
        return self.pagination.has_more

    @classmethod
    def from_json(cls, body: Any) -> PeoplePage:
        obj = p.as_object(body, "response")
        items = p.as_list(obj.get("data") or [], "data")
        rows = tuple(PersonRow.from_json(item, f"data[{i}]") for i, item in enumerate(items))
        return cls(rows, Pagination.from_json(obj.get("pagination"), len(rows)))
