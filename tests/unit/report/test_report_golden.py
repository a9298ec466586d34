"""The report's output in every format, against golden files (the demo at a frozen moment).

After a deliberate change: `UPDATE_GOLDEN=1 pytest tests/unit/report`, then read the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from tests.unit.report.conftest import GOLDEN

FULL = ("--demo", "--compare", "--overview", "--top", "pages", "--top", "countries", "--realtime", "--people",
        "--limit", "5")
SUFFIX = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv"}


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_every_format_matches_its_golden_file(report, fmt: str) -> None:
    outcome = report(*FULL, "--format", fmt)
    assert (outcome.code, outcome.err) == (0, "")
    assert "\x1b" not in outcome.out  # not a terminal: no escape codes, whatever the format
    golden = GOLDEN / f"full.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(outcome.out, encoding="utf-8")
    assert outcome.out == golden.read_text(encoding="utf-8")


def test_json_and_csv_carry_the_same_figures_as_numbers(report) -> None:
    data = json.loads(report(*FULL, "--format", "json").out)
    overview = {row["metric"]: row for row in data["sections"][0]["rows"]}
    assert isinstance(overview["visitors"]["value"], int) and overview["visitors"]["previous"] > 0
    assert data["compared_with"]["end"] < data["range"]["start"]
    lines = list(csv.DictReader(io.StringIO(report(*FULL, "--format", "csv").out)))
    visitors = next(r for r in lines if (r["section"], r["item"], r["field"]) == ("overview", "visitors", "value"))
    assert int(visitors["value"]) == overview["visitors"]["value"]
    pages = [r for r in lines if r["section"] == "top:pages" and r["field"] == "visitors"]
    assert [int(r["rank"]) for r in pages] == [1, 2, 3, 4, 5]


def test_the_sections_follow_the_flags_and_the_overview_is_the_default(report) -> None:
    keys = [s["key"] for s in json.loads(report("--demo", "--format", "json").out)["sections"]]
    assert keys == ["overview"]
    keys = [s["key"] for s in json.loads(report("--demo", "--top", "all", "--limit", "1", "--format", "json").out)
            ["sections"]]
    assert keys[0] == "top:pages" and len(keys) == 11


def test_filters_and_a_custom_range_reach_every_section(report) -> None:
    whole = json.loads(report("--demo", "--from", "2026-11-01", "--to", "2026-11-25", "--format", "json").out)
    narrowed = json.loads(report("--demo", "--from", "2026-11-01", "--to", "2026-11-25", "--filter",
                                 "country is Germany", "--format", "json").out)
    assert narrowed["range"] == {"label": whole["range"]["label"], "start": "2026-11-01", "end": "2026-11-25"}
    assert narrowed["filters"] == ["country is Germany"]

    def visitors(doc: dict) -> int:
        return next(r["value"] for r in doc["sections"][0]["rows"] if r["metric"] == "visitors")

    assert 0 < visitors(narrowed) < visitors(whole)
