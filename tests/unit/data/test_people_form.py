"""The People form's fields read from the query and written back into it."""

from __future__ import annotations

import pytest

from datafast_tui.api.filters import Filter, FilterError
from datafast_tui.api.query import Query
from datafast_tui.data.people_form import apply_form, initial_values


def test_fields_show_the_filters_they_own_and_leave_the_others() -> None:
    query = Query(filters=(Filter("page", "contains", ("/docs",)), Filter("country", "is_not", ("France",)),
                           Filter("os", "is", ("iOS",))))
    values = initial_values(query)
    assert values["pf-page-part"] == "/docs" and values["pf-page"] == "" and values["pf-country"] == ""
    values["pf-goal"] = "signup"
    values["pf-page-part"] = ""
    result = apply_form(query, values)
    # The emptied page field dropped its filter; is_not on country (no field shows it) stays.
    assert set(result.filters) == {Filter("country", "is_not", ("France",)), Filter("os", "is", ("iOS",)),
                                   Filter("goal", "is", ("signup",))}


@pytest.mark.parametrize(("values", "words"), [
    ({"pf-page": "/a", "pf-page-part": "/b"}, "give one of them"),
    ({"pf-country": "France,,Spain"}, "Country:"),
    ({"pf-goal": "x" * 20_000}, "Completed goal:"),
])
def test_a_wrong_field_is_named(values: dict[str, str], words: str) -> None:
    with pytest.raises(FilterError, match=words):
        apply_form(Query(), values)
