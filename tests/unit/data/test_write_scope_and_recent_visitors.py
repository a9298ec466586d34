"""Deletion scopes and write summaries in words; the recent-visitors file."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from datafast_tui.api.writes import GoalDeletion, GoalRequest, PaymentDeletion, PaymentRequest, TimeSpan
from datafast_tui.data import recent_visitors as rv
from datafast_tui.data import write_scope as ws

UTC = timezone.utc
NY = ZoneInfo("America/New_York")
SPAN = TimeSpan(datetime(2026, 1, 1, 5, tzinfo=UTC), datetime(2026, 2, 1, 4, 59, tzinfo=UTC))
RANGE = " from `2026-01-01 00:00` to `2026-01-31 23:59` (America/New_York)"


@pytest.mark.parametrize(("scope", "text", "unbounded"), [
    (GoalDeletion(name="signup"), "all goals named `signup` for all visitors, all time", True),
    (GoalDeletion(visitor_id="v1"), "all goals of visitor `v1`, all time", True),
    (GoalDeletion(visitor_id="v1", name="signup"), "all goals named `signup` of visitor `v1`, all time", True),
    (GoalDeletion(span=SPAN), "all goals of all visitors" + RANGE, False),
    (GoalDeletion(name="signup", span=SPAN), "all goals named `signup` for all visitors" + RANGE, False),
    (GoalDeletion("v1", "signup", SPAN), "all goals named `signup` of visitor `v1`" + RANGE, False),
])
def test_goal_deletion_scope_in_words(scope, text, unbounded) -> None:
    described = ws.goal_deletion_scope(scope, NY, "America/New_York")
    assert ws.plain(described.sentence) == text
    assert described.unbounded is unbounded
    assert described.warning == (ws.ALL_TIME_WARNING if unbounded else ws.UNDO_WARNING)


@pytest.mark.parametrize(("scope", "text", "unbounded"), [
    (PaymentDeletion(transaction_id="tx_1"), "the payment with transaction id `tx_1`", False),
    (PaymentDeletion(visitor_id="v1"), "all payments of visitor `v1`, all time", True),
    (PaymentDeletion(visitor_id="v1", span=SPAN), "all payments of visitor `v1`" + RANGE, False),
    (PaymentDeletion(span=SPAN), "all payments of all visitors" + RANGE, False),
])
def test_payment_deletion_scope_in_words(scope, text, unbounded) -> None:
    described = ws.payment_deletion_scope(scope, NY, "America/New_York")
    assert ws.plain(described.sentence) == text and described.unbounded is unbounded


def test_all_time_warning_is_loud_about_it() -> None:
    assert "ALL TIME" in ws.ALL_TIME_WARNING and "cannot be undone" in ws.ALL_TIME_WARNING


def test_write_sentences_and_previews() -> None:
    goal = GoalRequest("v1", "signup", {"plan": "pro"})
    assert ws.plain(ws.goal_sentence(goal)) == "a goal `signup` for visitor `v1`, with 1 metadata parameter"
    assert ws.post_preview("goals", goal.to_json()).startswith('POST /goals\n{\n  "datafast_visitor_id": "v1"')
    pay = PaymentRequest(29.99, "EUR", "tx_1", None, refunded=True, timestamp=datetime(2026, 1, 2, 15, tzinfo=UTC))
    assert ws.plain(ws.payment_sentence(pay, NY, "America/New_York")) == (
        "a refunded payment of `29.99 EUR`, transaction `tx_1`, not attributed to a visitor, dated "
        "`2026-01-02 10:00` (America/New_York)")
    assert ws.delete_preview("payments", {"datafast_visitor_id": "v 1"}) == "DELETE /payments?datafast_visitor_id=v+1"


# -- recent visitors --------------------------------------------------------------------------


def test_recent_visitors_keep_ten_most_recent_first_per_site(tmp_path: Path) -> None:
    path = tmp_path / "state" / "recent.json"
    recent = rv.RecentVisitors(path, site="demo")
    for i in range(12):
        recent.add(f"v{i}", f"label {i}")
    recent.add("v5", "again")
    ids = [e.visitor_id for e in recent.entries()]
    assert ids[0] == "v5" and len(ids) == rv.KEEP and ids.count("v5") == 1
    other = rv.RecentVisitors(path, site="shop.example")
    assert other.entries() == []
    other.add("s1")
    reread = rv.RecentVisitors(path, site="demo")
    assert [e.visitor_id for e in reread.entries()] == ids and reread.entries()[0].label == "again"
    assert [e.visitor_id for e in rv.RecentVisitors(path, site="shop.example").entries()] == ["s1"]


def test_env_var_redirects_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(rv.STATE_DIR_ENV, str(tmp_path))
    assert rv.default_path() == tmp_path / rv.FILE_NAME
    rv.RecentVisitors(site="x").add("v1")
    assert json.loads((tmp_path / rv.FILE_NAME).read_text())["sites"]["x"][0]["id"] == "v1"


def test_unwritable_state_dir_keeps_the_list_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    recent = rv.RecentVisitors(blocker / "sub" / "recent.json")
    recent.add("v1")  # must not raise
    assert [e.visitor_id for e in recent.entries()] == ["v1"]


@pytest.mark.parametrize("content", ["{not json", "[]", '{"sites": 3}', '{"sites": {"default": [{"id": 5}, "x"]}}'])
def test_corrupt_file_reads_as_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "recent.json"
    path.write_text(content)
    assert rv.RecentVisitors(path).entries() == []
