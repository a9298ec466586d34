"""CSV and JSON exports of a breakdown: values, order, the query, cleaning, formula injection, paths."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from datafast_tui.api.dates import DateRange
from datafast_tui.api.filters import Filter
from datafast_tui.api.models import Breakdown, BreakdownRow
from datafast_tui.api.query import Query
from datafast_tui.data.breakdown_columns import columns_for
from datafast_tui.data.breakdown_export import (
    ExportError,
    ExportTable,
    csv_text,
    default_filename,
    resolve_target,
    spreadsheet_safe,
    target_problem,
    write_export,
)
from datafast_tui.data.breakdown_rows import SortOrder
from tests.helpers import docs_example

QUERY = Query(range=DateRange(date(2026, 11, 1), date(2026, 11, 26), "custom"),
              filters=(Filter("device", "is", ("desktop",)),))


def table(endpoint: str = "countries", rows: list[BreakdownRow] | None = None, **kw) -> ExportTable:
    if rows is None:
        rows = list(Breakdown.from_json(endpoint, docs_example(endpoint)).rows)
    defaults = dict(endpoint=endpoint, columns=columns_for(endpoint, rows), rows=rows, query=QUERY,
                    order=SortOrder("revenue", True), total_visitors=10_000.0, currency="USD",
                    extra_keys=("image",) if endpoint == "countries" else ())
    return ExportTable(**(defaults | kw))


def test_default_name_is_timestamped() -> None:
    moment = datetime(2026, 11, 26, 15, 30, 0)
    assert default_filename("cities", moment, "csv") == "datafast-cities-20261126-153000.csv"


def test_csv_has_a_header_and_every_row_with_raw_numbers() -> None:
    parsed = list(csv.DictReader(io.StringIO(csv_text(table()))))
    assert list(parsed[0]) == ["country", "visitors", "share", "revenue", "revenue_per_visitor", "image"]
    assert parsed[0]["country"] == "United States of America"
    assert parsed[0]["visitors"] == "2840" and parsed[0]["revenue"] == "6780"
    assert parsed[0]["share"] == "28.4" and parsed[0]["revenue_per_visitor"] == "2.3873"
    assert parsed[0]["image"].endswith("/US.svg")
    assert len(parsed) == 5


def test_the_campaign_summary_is_not_exported_its_parts_are() -> None:
    header = csv_text(table("campaigns")).splitlines()[0]
    assert header.split(",") == [
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref", "source", "via",
        "visitors", "share", "revenue", "revenue_per_visitor"]


def test_csv_cells_cannot_become_formulas_and_controls_are_gone() -> None:
    hostile = [
        BreakdownRow({"referrer": "=HYPERLINK(\"http://evil\",\"x\")"}, {"visitors": 3.0, "revenue": -5.0}),
        BreakdownRow({"referrer": "+1+2"}, {"visitors": 2.0}),
        BreakdownRow({"referrer": "@SUM(A1)"}, {"visitors": 1.0}),
        BreakdownRow({"referrer": "-2\x1b[31m\u202e"}, {"visitors": 1.0}),
        BreakdownRow({"referrer": "plain, with comma\nand newline"}, {"visitors": 1.0}),
    ]
    parsed = list(csv.reader(io.StringIO(csv_text(table("referrers", hostile)))))
    assert [r[0] for r in parsed[1:]] == [
        "'=HYPERLINK(\"http://evil\",\"x\")", "'+1+2", "'@SUM(A1)", "'-2", "plain, with comma and newline"]
    assert parsed[1][3] == "-5"  # a number stays a number, sign and all
    assert spreadsheet_safe("\tx") == "'\tx" and spreadsheet_safe("a=b") == "a=b"


def test_json_holds_the_query_sort_and_rows(tmp_path: Path) -> None:
    result = write_export(table(search="a", site="shop.example", site_timezone="Europe/Paris",
                                exported_at=datetime(2026, 11, 26, tzinfo=timezone.utc)),
                          tmp_path / "out.json", "json")
    document = json.loads(result.path.read_text(encoding="utf-8"))
    assert document["endpoint"] == "countries" and document["row_count"] == 5 == result.rows
    assert document["filters"] == [{"dimension": "device", "operator": "is", "values": ["desktop"]}]
    assert document["request_parameters"]["filter_device"] == "is:desktop"
    assert document["range"]["start"] == "2026-11-01" and document["range"]["end"] == "2026-11-26"
    assert document["timezone"] == "Europe/Paris" and document["site"] == "shop.example"
    assert oct(result.path.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    assert document["sort"] == {"column": "revenue", "descending": True} and document["search"] == "a"
    assert document["rows"][1] == {"country": "France", "visitors": 1230, "share": 12.3, "revenue": 2450,
                                   "revenue_per_visitor": 1.9919,
                                   "image": docs_example("countries")["data"][1]["image"]}
    assert result.sidecar is None


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_csv_gets_a_query_sidecar_unless_declined(tmp_path: Path) -> None:
    result = write_export(table(), tmp_path / "out.csv", "csv")
    assert result.sidecar == tmp_path / "out.csv.query.json"
    side = json.loads(result.sidecar.read_text(encoding="utf-8"))
    assert side["filters"][0]["dimension"] == "device" and "rows" not in side
    plain = write_export(table(), tmp_path / "plain.csv", "csv", sidecar=False)
    assert plain.sidecar is None and not (tmp_path / "plain.csv.query.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.csv.query.json", "plain.csv"]


def test_paths(tmp_path: Path) -> None:
    assert resolve_target("", "d.csv", tmp_path) == tmp_path / "d.csv"
    assert resolve_target("x.csv", "d.csv", tmp_path) == tmp_path / "x.csv"
    assert resolve_target(str(tmp_path), "d.csv", Path("/")) == tmp_path / "d.csv"
    assert resolve_target("new/", "d.csv", tmp_path) == tmp_path / "new" / "d.csv"
    assert resolve_target("~/x.csv", "d.csv", tmp_path) == Path.home() / "x.csv"


def test_unwritable_targets_say_why(tmp_path: Path) -> None:
    assert target_problem(tmp_path / "missing" / "x.csv") == f"the folder {tmp_path / 'missing'} does not exist"
    (tmp_path / "file").write_text("")
    assert "is not a folder" in target_problem(tmp_path / "file" / "x.csv")
    assert "is a folder" in target_problem(tmp_path)
    with pytest.raises(ExportError, match="does not exist"):
        write_export(table(), tmp_path / "missing" / "x.csv", "csv")
    with pytest.raises(ExportError, match="unknown export format"):
        write_export(table(), tmp_path / "x.xml", "xml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            write_export(table(), locked / "x.csv", "csv")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_write_the_system_refuses_is_an_export_error_not_a_traceback() -> None:
    # /proc takes no new files, even from root: the OSError of the write itself becomes the message.
    with pytest.raises(ExportError, match=r"(cannot write /proc/x\.csv)|(permission denied)"):
        write_export(table(), Path("/proc/x.csv"), "csv")
