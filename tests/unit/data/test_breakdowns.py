"""Breakdown tables as plain code: columns, paging state, sorting, search, widths, cells and drill-down."""

from __future__ import annotations

import pytest

from datafast_tui.api.catalogue import BREAKDOWNS as TABS
from datafast_tui.api.catalogue import CAMPAIGN_PARTS
from datafast_tui.api.models import Breakdown, BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_cells import cell_text, shown_columns
from datafast_tui.data.breakdown_columns import cell_value, columns_for
from datafast_tui.data.breakdown_drill import drill_for
from datafast_tui.data.breakdown_rows import (
    API_ORDER,
    BreakdownRows,
    SortOrder,
    needs_all_rows,
    next_sort,
    sort_by,
)
from datafast_tui.data.breakdown_sort import sort_rows
from datafast_tui.formatting import flag_of_image as flag
from datafast_tui.widgets.breakdown_region import count_words, row_detail, tab_label
from datafast_tui.widgets.breakdown_table import MAX_SCROLLED_WIDTH, MIN_TEXT_WIDTH, TableColumn, column_widths
from tests.helpers import docs_example


def docs(endpoint: str) -> Breakdown:
    return Breakdown.from_json(endpoint, docs_example(endpoint))


def row(labels: dict[str, str], **metrics: float) -> BreakdownRow:
    return BreakdownRow(labels=labels, metrics={k: float(v) for k, v in metrics.items()})


def page(rows: list[BreakdownRow], total: int, offset: int = 0, limit: int = 2) -> Breakdown:
    return Breakdown.from_json("cities", {
        "data": [{**r.labels, **r.metrics} for r in rows],
        "pagination": {"limit": limit, "offset": offset, "total": total},
    })


# -- columns ---------------------------------------------------------------------------------

def test_every_tab_is_one_of_the_eleven_endpoints() -> None:
    assert [t.endpoint for t in TABS] == ["pages", "referrers", "campaigns", "goals", "countries", "regions",
                                          "cities", "browsers", "operating-systems", "devices", "hostnames"]


@pytest.mark.parametrize(("endpoint", "keys"), [
    ("pages", ["hostname", "path", "visitors", "share", "revenue", "revenue_per_visitor"]),
    ("goals", ["goal", "completions", "visitors", "share"]),
    ("countries", ["country", "visitors", "share", "revenue", "revenue_per_visitor"]),
    ("campaigns", ["campaign", *CAMPAIGN_PARTS, "visitors", "share", "revenue", "revenue_per_visitor"]),
    ("operating-systems", ["operating_system", "visitors", "share", "revenue", "revenue_per_visitor"]),
])
def test_columns_are_every_field_the_docs_show_plus_share_and_revenue_per_visitor(endpoint, keys) -> None:
    assert [c.key for c in columns_for(endpoint, docs(endpoint).rows)] == keys
    assert [c.key for c in columns_for(endpoint, [])] == keys  # the header before any row came


def test_unknown_fields_of_the_live_api_become_columns_too() -> None:
    rows = [row({"city": "Paris", "country": "France"}, visitors=3, revenue=9, payments=2)]
    assert [c.key for c in columns_for("cities", rows)] == [
        "city", "country", "visitors", "share", "revenue", "revenue_per_visitor", "payments"]


def test_derived_values() -> None:
    columns = {c.key: c for c in columns_for("cities", [])}
    paris = row({"city": "Paris"}, visitors=50, revenue=125)
    assert cell_value(columns["share"], paris, 200) == 25.0
    assert cell_value(columns["share"], paris, None) is None
    assert cell_value(columns["revenue_per_visitor"], paris, None) == 2.5
    assert cell_value(columns["revenue_per_visitor"], row({"city": "X"}, visitors=0, revenue=0), 1) is None


# -- paging ----------------------------------------------------------------------------------

def test_pages_add_up_to_the_total_and_repeated_rows_are_shown_once() -> None:
    rows = BreakdownRows("cities", Query())
    a, b, c = row({"city": "A"}, visitors=9), row({"city": "B"}, visitors=8), row({"city": "C"}, visitors=7)
    assert rows.add_page(page([a, b], total=4), offset=0, limit=2) == 2
    assert not rows.complete and rows.next_offset == 2 and rows.shown_total == 4
    # live traffic moved B down a place between the two requests: it comes again
    assert rows.add_page(page([b, c], total=4, offset=2), offset=2, limit=2) == 1
    assert [r.labels["city"] for r in rows.rows] == ["A", "B", "C"]
    assert rows.complete and rows.received == 4


def test_a_short_page_ends_the_table_whatever_the_total_said() -> None:
    rows = BreakdownRows("cities", Query())
    rows.add_page(page([row({"city": "A"}, visitors=1)], total=5), offset=0, limit=2)
    assert rows.complete


def test_pages_must_come_in_order() -> None:
    rows = BreakdownRows("cities", Query())
    with pytest.raises(ValueError, match="offset 2"):
        rows.add_page(page([], total=4, offset=2), offset=2, limit=2)


# -- sorting and search ----------------------------------------------------------------------

CITIES = [
    row({"city": "Paris"}, visitors=30, revenue=10),
    row({"city": "berlin"}, visitors=20, revenue=50),
    row({"city": ""}, visitors=20, revenue=0),
    row({"city": "Austin"}, visitors=10),
]


def names(rows: list[BreakdownRow]) -> list[str]:
    return [r.labels["city"] for r in rows]


def test_sort_text_ignores_case_and_puts_empty_last_both_ways() -> None:
    column = columns_for("cities", CITIES)[0]
    assert names(sort_rows(CITIES, column, False)) == ["Austin", "berlin", "Paris", ""]
    assert names(sort_rows(CITIES, column, True)) == ["Paris", "berlin", "Austin", ""]


def test_sort_numbers_keeps_api_order_for_ties_and_missing_values_last() -> None:
    columns = {c.key: c for c in columns_for("cities", CITIES)}
    assert names(sort_rows(CITIES, columns["visitors"], False)) == ["Austin", "berlin", "", "Paris"]
    assert names(sort_rows(CITIES, columns["revenue"], True)) == ["berlin", "Paris", "", "Austin"]
    assert names(sort_rows(CITIES, columns["revenue_per_visitor"], True)) == ["berlin", "Paris", "", "Austin"]
    assert names(sort_rows(CITIES, columns["share"], False)) == ["Austin", "berlin", "", "Paris"]


def test_view_searches_labels_in_any_case() -> None:
    rows = BreakdownRows("cities", Query())
    rows.add_page(page(CITIES, total=4, limit=4), offset=0, limit=4)
    columns = columns_for("cities", rows.rows)
    assert names(rows.view(columns, API_ORDER, "  BER ")) == ["berlin"]
    assert names(rows.view(columns, SortOrder("city", False), "i")) == ["Austin", "berlin", "Paris"]


def test_which_orders_need_every_row() -> None:
    assert not needs_all_rows(API_ORDER, "")
    assert not needs_all_rows(SortOrder("share", True), " ")
    assert needs_all_rows(SortOrder("visitors", False), "")
    assert needs_all_rows(SortOrder("revenue", True), "")
    assert needs_all_rows(API_ORDER, "paris")


def test_s_walks_the_columns_and_a_header_click_reverses_its_own_column() -> None:
    columns = columns_for("cities", CITIES)
    order = API_ORDER
    seen = []
    for _ in columns:
        order = next_sort(columns, order)
        seen.append((order.column, order.descending))
    assert seen == [("share", True), ("revenue", True), ("revenue_per_visitor", True), ("city", False),
                    ("visitors", True)]
    assert sort_by(columns, API_ORDER, "visitors") == SortOrder("visitors", False)
    assert sort_by(columns, API_ORDER, "city") == SortOrder("city", False)


# -- cells and words -------------------------------------------------------------------------

def test_flag_from_the_image_url() -> None:
    assert flag("https://purecatamphetamine.github.io/country-flag-icons/3x2/FR.svg") == "🇫🇷"
    assert flag("https://x/3x2/gb.svg?v=2") == "🇬🇧"
    assert flag("https://x/flags/france.png") == "" and flag(None) == "" and flag(12) == ""


def test_cells_are_formatted_in_the_site_currency() -> None:
    columns = {c.key: c for c in columns_for("countries", docs("countries").rows)}
    us = docs("countries").rows[0]
    assert cell_text(columns["country"], us, None, "EUR") == "🇺🇸 United States of America"
    assert cell_text(columns["visitors"], us, None, "EUR") == "2,840"
    assert cell_text(columns["revenue"], us, None, "EUR") == "€6,780"
    assert cell_text(columns["revenue_per_visitor"], us, None, "EUR") == "€2.39"
    assert cell_text(columns["share"], us, None, "EUR") == "–"
    assert cell_text(columns["share"], us, 5680, "EUR") == "50.0%"
    assert cell_text(columns["share"], us, 10_000_000, "EUR") == "<0.1%"
    assert cell_text(columns["revenue"], row({"country": "X"}, visitors=1, revenue=60.74), None, "USD") == "$61"
    assert cell_text(columns["revenue"], row({"country": "X"}, visitors=1, revenue=5.5), None, "USD") == "$5.50"
    nameless = row({"country": ""}, visitors=1)
    assert cell_text(columns["country"], nameless, None, "EUR") == "(none)"


def test_api_text_in_cells_is_cleaned() -> None:
    column = columns_for("pages", [])[1]
    hostile = row({"hostname": "x", "path": "/a\x1b[31m\u202eb\nc"}, visitors=1)
    assert cell_text(column, hostile, None, None) == "/ab c"


def test_empty_campaign_columns_are_not_shown_and_a_summary_leads() -> None:
    rows = docs("campaigns").rows
    columns = shown_columns("campaigns", columns_for("campaigns", rows), rows)
    assert [c.key for c in columns][:6] == ["campaign", "utm_source", "utm_medium", "utm_campaign", "ref", "via"]
    assert [cell_text(columns[0], r, None, None) for r in rows] == [
        "ref indiepage", "newsletter.example.com / email / product-launch-2025", "via partner"]
    assert names_sorted_by_summary(rows, columns[0]) == ["newsletter.example.com", "", ""]


def names_sorted_by_summary(rows: tuple[BreakdownRow, ...], column) -> list[str]:
    return [r.labels["utm_source"] for r in sort_rows(rows, column, False)]


def test_words() -> None:
    assert tab_label(TABS[6], 2297) == "Cities 2,297" and tab_label(TABS[6], None) == "Cities"
    assert count_words(1000, 1000, 2297, "") == "1,000 of 2,297 rows"
    assert count_words(12, 2297, 2297, "par") == "12 of 2,297 rows match “par”"
    assert count_words(3, 1000, 2297, "par") == "3 of 1,000 loaded (of 2,297) rows match “par”"
    assert count_words(1, 1, 1, "") == "1 of 1 row" and count_words(1, 9, 9, "x") == "1 of 9 rows matches “x”"


# -- widths ----------------------------------------------------------------------------------

def test_long_text_gets_more_of_the_room_than_short_text() -> None:
    columns = [TableColumn("Hostname", False, 21), TableColumn("Path", False, 36), TableColumn("Visitors", True, 6)]
    hostname, path, _ = column_widths(columns, 50)  # 34 cells for the two texts (57 wanted)
    assert (hostname, path) == (12, 22)
    hostname, path, _ = column_widths(columns, 36)  # 20 cells: both at their floor
    assert (hostname, path) == (10, 10)


def test_numbers_keep_their_width_and_text_shares_the_rest_fairly() -> None:
    columns = [TableColumn("Hostname", False, 12), TableColumn("Path", False, 80), TableColumn("Visitors", True, 6)]
    widths = column_widths(columns, 60)
    assert widths[2] == 10  # "Visitors ▼"
    assert widths[0] == 12  # short enough to keep all of it
    assert sum(widths) + 2 * len(widths) == 60


def test_too_many_text_columns_scroll_with_readable_widths() -> None:
    columns = [TableColumn(f"utm_{i}", False, 40) for i in range(8)] + [TableColumn("Visitors", True, 6)]
    widths = column_widths(columns, 80)
    room = 80 - 10 - 2 * 9  # less the numbers and every cell's padding: 52, not 8 x MIN_TEXT_WIDTH
    assert widths[0] == room * 2 // 3  # the first one leads
    assert widths[1:8] == [MAX_SCROLLED_WIDTH] * 7
    wide = column_widths(columns, 160)  # 8 x MIN_TEXT_WIDTH fits in 132: a fair share each, no scrolling
    assert sorted(wide[:8]) == [16] * 4 + [17] * 4 and sum(wide) + 2 * 9 == 160
    squeezed = column_widths([TableColumn("City", False, 40), TableColumn("Visitors", True, 6)], 40)
    assert squeezed[0] == 40 - 10 - 4
    tiny = column_widths([TableColumn("City", False, 40), TableColumn("Visitors", True, 6)], 20)
    # No room even for MIN_TEXT_WIDTH beside the numbers: the row scrolls, and the first column
    # is no wider than what the view holds (a column that does not fit whole is not drawn).
    assert tiny[0] == MIN_TEXT_WIDTH


# -- drill-down ------------------------------------------------------------------------------

def describe(endpoint: str, labels: dict[str, str], column_key: str | None = None) -> list[str] | str:
    r = row(labels, visitors=1)
    columns = {c.key: c for c in columns_for(endpoint, [r])}
    drill = drill_for(endpoint, r, columns.get(column_key) if column_key else None)
    return drill.problem if drill.problem else [f.describe() for f in drill.filters] + list(drill.look_up)


def test_drill_filters_follow_the_dimension_of_each_endpoint() -> None:
    assert describe("pages", {"hostname": "a.com", "path": "/pricing"}) == ["page is /pricing"]
    assert describe("pages", {"hostname": "a.com", "path": "/pricing"}, "hostname") == ["hostname is a.com"]
    assert describe("goals", {"goal": "signup"}) == ["goal is signup"]
    assert describe("countries", {"country": "France"}) == ["country is France"]
    assert describe("operating-systems", {"operating_system": "iOS"}) == ["os is iOS"]
    assert describe("referrers", {"referrer": "Google"}) == ["referrer is Google"]
    assert describe("hostnames", {"hostname": "a.com"}) == ["hostname is a.com"]


def test_campaigns_drill_by_the_cursor_column_or_the_most_specific_part() -> None:
    labels = dict.fromkeys(CAMPAIGN_PARTS, "") | {"utm_source": "google", "utm_campaign": "summer_sale"}
    assert describe("campaigns", labels) == ["utm_campaign is summer_sale"]
    assert describe("campaigns", labels, "utm_source") == ["utm_source is google"]
    assert describe("campaigns", labels, "utm_term") == ["utm_campaign is summer_sale"]  # empty there
    assert describe("campaigns", labels | {"utm_content": "ad-b"}) == ["utm_content is ad-b"]
    assert describe("campaigns", dict.fromkeys(CAMPAIGN_PARTS, "") | {"via": "partner"}) == ["via is partner"]


def test_regions_and_cities_bring_their_parents_when_the_row_names_them() -> None:
    assert describe("cities", {"city": "Paris", "country": "France"}) == [
        "country is France", "city is Paris", "region"]
    assert describe("regions", {"region": "Bavaria"}) == ["region is Bavaria", "country"]


def test_values_that_cannot_be_filters_say_why() -> None:
    assert "comma" in describe("referrers", {"referrer": "a,b"})
    assert describe("cities", {"city": ""}) == "this row has no city to filter by"


def test_detail_writes_the_whole_row_and_what_enter_does() -> None:
    r = row({"hostname": "a.com", "path": "/" + "x" * 200}, visitors=1)
    columns = columns_for("pages", [r])
    text = row_detail(columns, r, drill_for("pages", r, None))
    assert "x" * 200 in text and text.endswith(f"Enter filters: page is /{'x' * 200}")
    short = row_detail(columns, r, drill_for("pages", r, None), width=250)
    assert short.count("x" * 200) == 1 and short.endswith("Enter filters by page")
