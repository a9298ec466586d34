"""The Breakdowns screen's actions: drill-down, export, a tab that fails, hostile and long values."""

from __future__ import annotations

import asyncio
import csv
import json
import re

import httpx

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.filters import Filter
from datafast_tui.api.ratelimit import RateLimiter
from datafast_tui.data.breakdown_loading import load_rest, total_visitors
from datafast_tui.data.breakdown_rows import BreakdownRows
from datafast_tui.data.store import AnalyticsStore
from datafast_tui.demo import DEMO_API_KEY, build_demo_app
from datafast_tui.dialogs.export import ExportDialog
from datafast_tui.store_factory import DEMO_BASE_URL
from tests.fake_api import docs_answer, store_over
from tests.helpers import docs_example, error, ok
from tests.ui.breakdowns_support import (  # noqa: F401 - recorded is a fixture
    finish,
    labels,
    recorded,
    screen,
    show_tab,
    tab_keys,
    table,
)
from tests.ui.conftest import SIZE, frozen_clock, screen_text, settle


async def move_to(pilot, app, key: str, value: str) -> None:
    """Put the cursor on the row whose label `key` is `value`."""
    index = labels(app, key).index(value)
    table(app).cursor_row = index
    await pilot.pause()


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001


async def test_enter_drills_down_and_every_screen_follows(recorded) -> None:
    app, log = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "countries")
        await move_to(pilot, app, "country", "France")
        assert "Enter filters: country is France" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.query.filters == (Filter("country", "is", ("France",)),)
        assert labels(app, "country") == ["France"] and "Countries 1" in screen_text(app)
        assert log.requests[-1].url.params["filter_country"] == "is:France"
        before = len(log.requests)
        await pilot.press("1")  # the Overview loads with the new filter too
        await settle(pilot, app)
        overview = [r for r in log.requests[before:] if r.url.path.endswith("/overview")]
        assert overview and all(r.url.params["filter_country"] == "is:France" for r in overview)
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("h", "h")  # to Campaigns: it loads for France as well
        await settle(pilot, app)
        assert log.breakdowns()[-1][0] == "campaigns"
        # The campaigns request (the live count may have polled since: it takes no filters).
        campaigns = [r for r in log.requests if r.url.path.endswith("/campaigns")]
        assert campaigns[-1].url.params["filter_country"] == "is:France"


async def test_a_city_drills_into_its_region_and_country(recorded) -> None:
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "cities")
        paris = labels(app, "city").index("Paris")
        table(app).scroll_to(y=paris, animate=False)
        await pilot.pause()
        # a double click drills down like Enter (the header is line 0 of the table)
        await pilot.double_click("#table", offset=(3, 1 + paris - int(table(app).scroll_y)))
        await settle(pilot, app)
        assert [f.describe() for f in app.query.filters] == [
            "country is France", "region is Île-de-France", "city is Paris"]
        assert "city is Paris" in screen_text(app)


async def test_campaign_drill_uses_the_column_under_the_cursor(recorded) -> None:
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "campaigns")
        first = screen(app).state.view[0].labels
        await pilot.press("right")  # the first column: the summary, not a filter dimension
        await pilot.pause()
        assert "Enter filters: utm_campaign is weekly-digest" in screen_text(app)  # the most specific part
        await pilot.press("right")  # utm_source
        await pilot.pause()
        assert f"Enter filters: utm_source is {first['utm_source']}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.query.filters == (Filter("utm_source", "is", (first["utm_source"],)),)


async def test_export_csv_holds_every_row_in_the_shown_order(recorded, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.add_filter(Filter("device", "is", ("desktop",)))
        await pilot.press(*tab_keys("cities"))
        await settle(pilot, app)
        await pilot.press("s", "s")  # revenue, biggest first
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_field = dialog.query_one("#path")
        assert path_field.value == str(tmp_path / "datafast-cities-20261126-153000.csv") or \
            path_field.value.startswith(str(tmp_path / "datafast-cities-2026112"))  # local time of the machine
        assert "sorted by Revenue ▼" in screen_text(app) and "device is desktop" in screen_text(app)
        await pilot.press("enter")
        await finish(pilot, app)
        written = sorted(tmp_path.glob("datafast-cities-*.csv"))
        assert len(written) == 1 and written[0].with_name(written[0].name + ".query.json").exists()
        with written[0].open(encoding="utf-8", newline="") as handle:
            exported = list(csv.DictReader(handle))
        # the same rows straight from the API, sorted the way the screen showed them
        every_row = BreakdownRows("cities", app.query)
        await load_rest(app.store, every_row)
        everything = every_row.rows
        total = (await app.store.breakdown("cities", app.query)).value.pagination.total
        assert len(exported) == len(everything) == total
        expected = sorted(everything, key=lambda r: r.metrics.get("revenue", 0), reverse=True)
        assert [r["city"] for r in exported] == [r.labels["city"] for r in expected]
        assert [int(r["visitors"]) for r in exported] == [r.visitors for r in expected]
        assert [float(r["revenue"]) for r in exported] == [r.metrics["revenue"] for r in expected]
        visitors = await total_visitors(app.store, app.query)
        assert abs(float(exported[0]["share"]) - expected[0].visitors / visitors * 100) < 0.001
        side = json.loads(written[0].with_name(written[0].name + ".query.json").read_text(encoding="utf-8"))
        assert side["filters"] == [{"dimension": "device", "operator": "is", "values": ["desktop"]}]
        assert any(f"Exported {len(exported):,} rows to {written[0]}" in m for m in notices(app))


async def test_export_json_and_an_unwritable_path(recorded, tmp_path) -> None:
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#format").value = "json"
        await pilot.pause()
        assert dialog.query_one("#path").value.endswith(".json") and not dialog.query_one("#sidecar").display
        dialog.query_one("#path").value = str(tmp_path / "no" / "such" / "folder.json")
        await pilot.press("enter")
        await pilot.pause()
        message = str(dialog.query_one("#error").render())
        assert app.screen is dialog and message == f"the folder {tmp_path / 'no' / 'such'} does not exist"
        dialog.query_one("#path").value = str(tmp_path / "pages.json")
        await pilot.press("enter")
        await settle(pilot, app)
        document = json.loads((tmp_path / "pages.json").read_text(encoding="utf-8"))
        assert document["endpoint"] == "pages" and document["row_count"] == 45 == len(document["rows"])
        assert document["rows"][0]["path"] == "/" and document["sort"]["column"] == "visitors"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "pages.json")
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#error").render()).endswith("pages.json exists: Enter again replaces it")
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog)


async def test_replacing_a_csv_names_its_query_file_too_and_odd_names_are_refused(recorded, tmp_path) -> None:
    (tmp_path / "pages.csv").write_text("old", encoding="utf-8")
    (tmp_path / "pages.csv.query.json").write_text("{}", encoding="utf-8")
    app, _ = recorded()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        for name, message in (("x" * 10_000, "the file name is 10,000 bytes; the limit is 255"),
                              ("a\x00b.csv", "a file name cannot hold a NUL character")):
            dialog.query_one("#path").value = str(tmp_path / name)
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog and str(dialog.query_one("#error").render()) == message
        dialog.query_one("#path").value = str(tmp_path / "pages.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert str(dialog.query_one("#error").render()) == (
            f"{tmp_path / 'pages.csv'} and {tmp_path / 'pages.csv.query.json'} exist: Enter again replaces them")
        assert (tmp_path / "pages.csv").read_text(encoding="utf-8") == "old"  # nothing replaced yet
        await pilot.press("enter")
        await settle(pilot, app)
        assert (tmp_path / "pages.csv").read_text(encoding="utf-8").startswith("hostname,")
        assert json.loads((tmp_path / "pages.csv.query.json").read_text(encoding="utf-8"))["endpoint"] == "pages"


async def test_a_tab_that_fails_shows_why_in_place_and_the_others_work(make_app) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cities"):
            return error(500, "cities are on fire")
        return docs_answer(request)

    app = make_app("--api-key", "df_live_SECRET", "--screen", "breakdowns", store_factory=store_over(handler))
    async with app.run_test(size=SIZE) as pilot:
        await show_tab(pilot, app, "cities")
        text = screen_text(app)
        assert "Cities could not be loaded" in text and "cities are on fire" in text
        assert "The other tabs still work" in text and "df_live_SECRET" not in text
        await pilot.press("e")
        assert any("Nothing to export" in m for m in notices(app))
        await pilot.press("h")
        await settle(pilot, app)
        text = screen_text(app)
        assert "Île-de-France" in text and "could not be loaded" not in text
        assert "5 of 5 rows" in text  # the docs' page says total 656 but holds five rows: it ended


HOSTILE = [
    {"referrer": "[bold red]boom[/] [link=http://evil]x[/link]", "visitors": 90, "revenue": 1},
    {"referrer": "\x1b]8;;http://evil\x07click\x1b]8;;\x07\x1b[2J", "visitors": 80, "revenue": 2},
    {"referrer": "a,b", "visitors": 70, "revenue": 3},
    {"referrer": "https://example.com/" + "very-long-segment/" * 12 + "end", "visitors": 60, "revenue": 4},
]


async def test_hostile_and_long_values_are_plain_text(make_app) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/referrers"):
            return ok({"status": "success", "data": HOSTILE, "pagination": {"limit": 1000, "offset": 0, "total": 4}})
        return docs_answer(request)

    app = make_app("--api-key", "df_live_SECRET", "--screen", "breakdowns", store_factory=store_over(handler))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("l")
        await settle(pilot, app)
        text = screen_text(app)
        assert "[bold red]boom[/] [link=http://evil]x[/link]" in text
        assert "click" in text and "\x1b" not in text
        cell = next(line for line in text.splitlines() if "https://example.com/" in line).split()[0]
        assert cell.startswith("https://example.com/very-long-seg") and cell.endswith("-segment/end")
        assert "…" in cell and len(cell) < len(HOSTILE[3]["referrer"])  # cut in the middle
        await move_to(pilot, app, "referrer", HOSTILE[3]["referrer"])
        assert HOSTILE[3]["referrer"] in screen_text(app).replace("\n", "").replace(" ", "")  # whole below
        await move_to(pilot, app, "referrer", "a,b")
        assert "cannot filter" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert any("comma" in m for m in notices(app)) and not app.query.filters
        assert app.is_running


async def test_docs_examples_fill_every_tab(make_app) -> None:
    app = make_app("--api-key", "df_live_SECRET", "--screen", "breakdowns", store_factory=store_over(docs_answer))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for endpoint in ("referrers", "campaigns", "goals", "countries"):
            await pilot.press("l")
            await settle(pilot, app)
            assert screen(app).state.view, endpoint
        text = screen_text(app)
        assert "🇫🇷 France" in text and "$6,780" in text
        rows = docs_example("countries")["data"]
        assert screen(app).state.total_visitors == 12450  # the share's 100 % is the overview's visitors
        assert f"{rows[0]['visitors'] / 12450 * 100:.1f}%" in text


CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def test_the_hostile_demo_renders_every_tab_and_exports_plain_text(make_app, demo_cache, tmp_path) -> None:
    async def hostile(connection) -> AnalyticsStore:
        demo = await asyncio.to_thread(build_demo_app, clock=frozen_clock, cache_dir=demo_cache, hostile=True)
        client = DataFastClient(DEMO_API_KEY, base_url=DEMO_BASE_URL, transport=httpx.ASGITransport(app=demo),
                                rate_limiter=RateLimiter(10_000, 60))
        return AnalyticsStore(client)

    app = make_app("--screen", "breakdowns", "--range", "all_time", store_factory=hostile)
    seen = ""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for _ in range(11):
            text = screen_text(app)
            assert not CONTROLS.search(text), screen(app).endpoint
            seen += text
            await pilot.press("j", "j", "j", "l")
            await settle(pilot, app)
        assert "[bold red]boom[/]" in seen or "[/]" in seen  # markup shown as typed, not applied
        assert app.is_running
        await pilot.press(*tab_keys("referrers"), "e")
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "referrers.csv")
        await pilot.press("enter")
        await settle(pilot, app)
    exported = (tmp_path / "referrers.csv").read_text(encoding="utf-8")
    assert not CONTROLS.search(exported.replace("\n", ""))
    for row in csv.reader(exported.splitlines()[1:]):
        assert not row[0].startswith(("=", "+", "-", "@")), row[0]
