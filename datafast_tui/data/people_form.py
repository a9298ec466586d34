"""The People search form's rules: its fields, read from the query and turned back into it.

The form is a quicker way to the global filters the visitors list understands (one dialog
instead of one per filter): each field is one dimension with the operator the list takes.
A field left empty removes that dimension's filter; filters the form has no field for stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.query import Query

#: (field id, label, dimension, operator, example), in the form's order.
FIELDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("pf-page", "Visited page", "page", "is", "/pricing (or several: /pricing, /plans)"),
    ("pf-page-part", "Page contains", "page", "contains", "/docs"),
    ("pf-goal", "Completed goal", "goal", "is", "signup"),
    ("pf-country", "Country", "country", "is", "United States, Canada"),
    ("pf-device", "Device", "device", "is", "desktop, mobile or tablet"),
    ("pf-referrer", "Referrer", "referrer", "is", "Google"),
    ("pf-campaign", "UTM campaign", "utm_campaign", "is", "launch"),
)


@dataclass(frozen=True)
class PeopleForm:
    """What the form was given: the query to search with, and the customer choice."""

    query: Query
    customer: bool | None


def initial_values(query: Query) -> dict[str, str]:
    """Each field's text from the query's filters (a filter of another operator shows nowhere)."""
    values = {}
    for ident, _, dimension, operator, _ in FIELDS:
        current = query.filter_for(dimension)
        values[ident] = ", ".join(current.values) if current is not None and current.operator == operator else ""
    return values


def apply_form(query: Query, values: dict[str, str]) -> Query:
    """The query with the form's fields in place of those dimensions' filters; FilterError names
    the field that is wrong (both page fields, or a value the filter refuses)."""
    if values.get("pf-page", "").strip() and values.get("pf-page-part", "").strip():
        raise FilterError("Visited page and Page contains: give one of them (one page filter at a time)")
    result = query
    for ident, label, dimension, operator, _ in FIELDS:
        text = values.get(ident, "").strip()
        current = result.filter_for(dimension)
        if not text:
            if current is not None and current.operator == operator:
                result = result.without_filter(dimension)
            continue
        try:
            new = Filter(dimension, operator, tuple(v.strip() for v in text.split(",")))
        except FilterError as error:
            raise FilterError(f"{label}: {error}") from None
        result = result.with_filter(new)
    return result
