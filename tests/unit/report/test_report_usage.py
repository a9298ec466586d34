"""Exit status, stderr and hostile text: what a cron job or a script relies on."""

from __future__ import annotations

import json
import re

import pytest

from datafast_tui.cli import parse_settings
from datafast_tui.demo import FaultPlan

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(("args", "named"), [
    (("--filter", "country is"), "--filter 'country is'"),
    (("--filter", "planet is Mars"), "unknown filter dimension 'planet'"),
    (("--filter", "country is France", "--filter", "country is Spain"), "one filter per dimension"),
    (("--filter", "x" * 10_000), "too long"),
    (("--from", "2026-11-01"), "--from needs --to"),
    (("--from", "9999-12-31", "--to", "9999-12-31"), "in the future"),
    (("--from", "0001-01-01", "--to", "0001-01-02"), "before 2000"),
    (("--from", "2026-11-20", "--to", "2026-11-01"), "before the start date"),
    (("--from", "2026-13-01", "--to", "2026-13-02"), "is not a date"),
    (("--range", "last_7_days", "--from", "2026-11-01", "--to", "2026-11-02"), "one or the other"),
    (("--top", "planets"), "--top 'planets'"),
    (("--limit", "0"), "--limit"),
    (("--limit", "9" * 30), "--limit"),
    (("--format", "xml"), "--format"),
    (("--range", "forever"), "unknown date range"),
    (("--api-key", ""), "--api-key is empty"),
])
def test_bad_usage_is_one_line_on_stderr_and_exit_2(report, args: tuple[str, ...], named: str) -> None:
    outcome = report("--demo", *args)
    assert outcome.code == 2 and outcome.out == ""
    assert named in outcome.err and outcome.err.count("\n") == 1 and "Traceback" not in outcome.err


def test_a_section_the_api_fails_is_on_stderr_exit_1_and_the_rest_is_printed(report) -> None:
    outcome = report("--demo", "--overview", "--people", "customers", "--filter", "goal is signup")
    assert outcome.code == 1
    assert "Visitors" in outcome.out  # the overview still came
    assert "People: Not sent: a completed goal cannot be combined with customers" in outcome.err


def test_an_unreachable_api_is_exit_1_with_the_reason(report) -> None:
    outcome = report("--demo", "--realtime", faults=FaultPlan(1.0, weights={"server_error": 1.0}))
    assert outcome.code == 1
    assert outcome.err.startswith("datafast-tui report: Realtime:") and "Traceback" not in outcome.err


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_hostile_strings_reach_no_output_as_control_characters(report, fmt: str) -> None:
    outcome = report("--demo", "--hostile", "--top", "pages", "--top", "referrers", "--people", "--limit", "50",
                     "--format", fmt)
    assert outcome.code == 0, outcome.err
    assert CONTROL.findall(outcome.out.replace("\n", "")) == []
    if fmt == "json":
        json.loads(outcome.out)


def test_the_app_takes_the_same_query_flags() -> None:
    settings = parse_settings(["--demo", "--from", "2026-11-01", "--to", "2026-11-07", "--filter", "device mobile",
                               "--filter", "page contains /blog", "--compare"], {})
    assert (settings.custom_range.start.isoformat(), settings.custom_range.end.isoformat()) == (
        "2026-11-01", "2026-11-07")
    assert [f.describe() for f in settings.filters] == ["device is mobile", "page contains /blog"]
    assert settings.compare
    from datafast_tui.app import DataFastApp

    app = DataFastApp(settings)
    assert app.query.range == settings.custom_range and app.query.filters == settings.filters and app.query.compare
