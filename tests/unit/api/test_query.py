"""The Query value: presets, previous periods, stepping, filters and their validation."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from datafast_tui.api.dates import (
    ALL_TIME,
    PRESETS,
    DateRange,
    DateRangeError,
    custom_range,
    find_preset,
    resolve_preset,
)
from datafast_tui.api.errors import QueryError
from datafast_tui.api.filters import (
    DIMENSIONS,
    LIVE_DIMENSIONS,
    Filter,
    FilterError,
    dimensions_offered,
    operators_for,
)
from datafast_tui.api.query import Query

NY = ZoneInfo("America/New_York")
# 03:30 UTC on Nov 26 is still Nov 25 in New York: presets must count days in the site timezone.
NOW = datetime(2026, 11, 26, 3, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(("name", "start", "end"), [
    ("today", date(2026, 11, 25), date(2026, 11, 25)),
    ("yesterday", date(2026, 11, 24), date(2026, 11, 24)),
    ("last_7_days", date(2026, 11, 19), date(2026, 11, 25)),
    ("last_30_days", date(2026, 10, 27), date(2026, 11, 25)),
    ("last_90_days", date(2026, 8, 28), date(2026, 11, 25)),
    ("last_12_months", date(2025, 11, 26), date(2026, 11, 25)),
    ("month_to_date", date(2026, 11, 1), date(2026, 11, 25)),
    ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
    ("year_to_date", date(2026, 1, 1), date(2026, 11, 25)),
])
def test_day_presets(name: str, start: date, end: date) -> None:
    rng = resolve_preset(name, NOW, NY)
    assert (rng.start, rng.end, rng.preset) == (start, end, name)
    assert rng.params() == {"startAt": start.isoformat(), "endAt": end.isoformat()}


def test_last_24_hours_is_whole_hours_in_utc() -> None:
    rng = resolve_preset("last_24_hours", NOW, NY)
    assert rng.start == datetime(2026, 11, 25, 4, tzinfo=timezone.utc)
    assert rng.end == datetime(2026, 11, 26, 4, tzinfo=timezone.utc)
    assert rng.params() == {"startAt": "2026-11-25T04:00:00Z", "endAt": "2026-11-26T03:59:59Z"}
    assert rng.previous() == DateRange(datetime(2026, 11, 24, 4, tzinfo=timezone.utc), rng.start)


def test_all_time_has_no_params_no_previous_and_no_steps() -> None:
    assert resolve_preset("all", NOW, NY) == ALL_TIME
    assert ALL_TIME.params() == {} and ALL_TIME.previous() is None
    with pytest.raises(DateRangeError):
        ALL_TIME.shift(-1, date(2026, 11, 25))


def test_every_preset_has_a_distinct_menu_key_and_resolves() -> None:
    assert len({p.key for p in PRESETS}) == len(PRESETS)
    for preset in PRESETS:
        resolve_preset(preset.name, NOW, NY)
    assert find_preset("7d").name == "last_7_days" and find_preset("Last-30-Days").name == "last_30_days"
    with pytest.raises(DateRangeError, match="unknown date range 'fortnight'"):
        find_preset("fortnight")


def test_previous_period_has_same_length_just_before() -> None:
    rng = DateRange(date(2026, 11, 19), date(2026, 11, 25))
    assert rng.previous() == DateRange(date(2026, 11, 12), date(2026, 11, 18))
    today = DateRange(date(2026, 11, 25), date(2026, 11, 25))
    assert today.previous() == DateRange(date(2026, 11, 24), date(2026, 11, 24))


def test_stepping_by_length_and_by_calendar_month() -> None:
    today = date(2026, 11, 25)
    week = DateRange(date(2026, 11, 19), date(2026, 11, 25))
    assert week.shift(-1, today) == DateRange(date(2026, 11, 12), date(2026, 11, 18))
    assert week.shift(-1, today).shift(1, today) == week
    with pytest.raises(DateRangeError, match="after today"):
        week.shift(1, today)
    october = DateRange(date(2026, 10, 1), date(2026, 10, 31))
    assert october.shift(-1, today) == DateRange(date(2026, 9, 1), date(2026, 9, 30))
    assert october.shift(-8, today) == DateRange(date(2026, 2, 1), date(2026, 2, 28))
    assert october.shift(1, today) == DateRange(date(2026, 11, 1), date(2026, 11, 30))
    quarter = DateRange(date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.shift(-1, today) == DateRange(date(2025, 10, 1), date(2025, 12, 31))


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-11-01", "2026-10-01", "before the start"),
    ("2026-13-01", "2026-12-01", "'2026-13-01' is not a date"),
    ("yesterday", "2026-12-01", "YYYY-MM-DD"),
    ("", "2026-12-01", "start date"),
    ("2027-01-01", "2027-01-02", "in the future"),
])
def test_custom_range_validation(start: str, end: str, message: str) -> None:
    with pytest.raises(DateRangeError, match=message):
        custom_range(start, end, today=date(2026, 11, 25))


def test_range_needs_both_ends() -> None:
    with pytest.raises(DateRangeError, match="both a start and an end"):
        DateRange(date(2026, 1, 1), None)


def test_labels() -> None:
    assert resolve_preset("last_7_days", NOW, NY).label() == "Last 7 days"
    assert DateRange(date(2026, 10, 1), date(2026, 10, 31)).label() == "Oct 01 – Oct 31, 2026"
    assert DateRange(date(2025, 12, 1), date(2026, 1, 31)).label() == "Dec 01, 2025 – Jan 31, 2026"


def test_last_24_hours_is_told_in_the_site_timezone() -> None:
    # 04:33 UTC on Dec 2 is 23:33 on Dec 1 in New York: the hours the header names are New York's,
    # the ones the chart's axis uses, not UTC's (which read as a range ending in the future).
    rng = resolve_preset("last_24_hours", datetime(2026, 12, 2, 4, 33, tzinfo=timezone.utc), NY)
    bare = DateRange(rng.start, rng.end)
    assert bare.label(NY) == "Dec 01 00:00 – Dec 02 00:00"
    assert bare.label() == "Dec 01 05:00 – Dec 02 05:00"


# -- filters ---------------------------------------------------------------------------------

def test_filter_renders_exactly_as_the_docs() -> None:
    f = Filter("country", "is", ("United States", "Canada"))
    assert (f.param_name, f.param_value) == ("filter_country", "is:United States,Canada")
    assert Filter("page", "contains", ("/blog",)).param_value == "contains:/blog"
    assert f.describe() == "country is United States or Canada"


def test_the_documented_dimensions_and_their_operators() -> None:
    """Today's pages: 19 dimensions; page and entry_page take four operators, the rest is/is_not.
    visit_count (February's list) is the demo's extra, not offered against the live API."""
    assert len(LIVE_DIMENSIONS) == 19 and DIMENSIONS == LIVE_DIMENSIONS + ("visit_count",)
    assert dimensions_offered(demo=False) == LIVE_DIMENSIONS and "visit_count" in dimensions_offered(demo=True)
    for dim in DIMENSIONS:
        ops = operators_for(dim)
        assert ops[:2] == ("is", "is_not")
    assert operators_for("page") == operators_for("entry_page") == ("is", "is_not", "contains", "does_not_contain")
    assert operators_for("country") == ("is", "is_not")
    assert operators_for("visit_count") == ("is", "is_not", "gte", "lte")
    assert Filter("page", "does_not_contain", ("/blog",)).describe() == "page does not contain /blog"
    assert Filter.parse("entry_page does_not_contain /docs").param_value == "does_not_contain:/docs"


def test_an_unknown_operator_word_is_refused_but_a_colon_in_a_value_is_not() -> None:
    with pytest.raises(FilterError, match="unknown operator 'sometimes'"):
        Filter.from_param("filter_device", "sometimes:mobile")
    assert Filter.from_param("filter_page", "/a:b").values == ("/a:b",)


@pytest.mark.parametrize(("args", "message"), [
    (("colour", "is", ("red",)), "unknown filter dimension 'colour'"),
    (("country", "contains", ("Fr",)), "not valid for country"),
    (("visit_count", "contains", ("2",)), "not valid for visit_count"),
    (("country", "is", ("",)), "a value is empty"),
    (("country", "is", ()), "at least one value"),
    (("visit_count", "gte", ("two",)), "not a whole number"),
    (("city", "is", ("Washington, D.C.",)), "contains a comma"),
])
def test_filter_validation(args: tuple, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        Filter(*args)


def test_colons_survive_the_round_trip_and_commas_are_refused() -> None:
    f = Filter("page", "is", ("/a:b", "/c"))
    assert f.param_value == "is:/a:b,/c"
    assert Filter.from_param(f.param_name, f.param_value) == f
    assert Filter.from_param("filter_page", "/plain").operator == "is"
    for dim in DIMENSIONS:
        value = "5" if dim == "visit_count" else "x:y"
        for op in operators_for(dim):
            original = Filter(dim, op, (value,))
            assert Filter.from_param(original.param_name, original.param_value) == original


def test_typed_filter_form() -> None:
    assert Filter.parse("country is_not France,Spain") == Filter("country", "is_not", ("France", "Spain"))
    assert Filter.parse("city New York") == Filter("city", "is", ("New York",))
    assert Filter.parse("visit_count gte 3") == Filter("visit_count", "gte", ("3",))
    with pytest.raises(FilterError):
        Filter.parse("   ")


def test_duplicate_values_collapse_and_whitespace_trims() -> None:
    assert Filter("country", "is", (" France ", "France")).values == ("France",)


# -- the query -------------------------------------------------------------------------------

def test_query_params_and_changes() -> None:
    q = Query(range=DateRange(date(2026, 11, 1), date(2026, 11, 7)), timezone="Europe/Paris")
    q2 = q.with_filter(Filter("country", "is", ("France",))).with_filter(Filter("device", "is", ("mobile",)))
    assert q2.params() == {"startAt": "2026-11-01", "endAt": "2026-11-07", "timezone": "Europe/Paris",
                           "filter_country": "is:France", "filter_device": "is:mobile"}
    # One filter per dimension: adding another replaces it in place, keeping chip order.
    q3 = q2.with_filter(Filter("country", "is_not", ("Spain",)))
    assert [f.dimension for f in q3.filters] == ["country", "device"]
    assert q3.filter_for("country").operator == "is_not"
    assert q3.without_filter("country").params().get("filter_country") is None
    assert q3.without_filters().filters == ()
    assert q != q2 and q2 == q.with_filter(Filter("country", "is", ("France",))).with_filter(
        Filter("device", "is", ("mobile",)))


def test_comparison_query() -> None:
    q = Query(range=DateRange(date(2026, 11, 19), date(2026, 11, 25)), compare=True)
    prev = q.comparison()
    assert prev.range == DateRange(date(2026, 11, 12), date(2026, 11, 18)) and not prev.compare
    assert Query().comparison() is None
    assert q.toggled_compare().compare is False


def test_query_validation() -> None:
    with pytest.raises(QueryError, match="unknown timezone 'Mars/Olympus'"):
        Query(timezone="Mars/Olympus")
    with pytest.raises(QueryError, match="one filter per dimension"):
        Query(filters=(Filter("country", "is", ("A",)), Filter("country", "is_not", ("B",))))
