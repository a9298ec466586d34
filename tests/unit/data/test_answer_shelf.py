"""The answers kept on disk (data/answer_shelf.py) and their replay (api/replay.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import stat

import httpx
import pytest

from datafast_tui.api.client import DataFastClient
from datafast_tui.api.replay import ReplayTransport, answer_key
from datafast_tui.data import answer_shelf
from datafast_tui.data.answer_shelf import AnswerShelf, AnswerShelves, fingerprint
from datafast_tui.data.cached_copy import NOT_CONNECTED, CachedCopyStore

BASE = "https://datafa.st/api/v1/"
KEY = "df_" + "s3cr3t" * 6
OVERVIEW = {"status": "success", "data": [{"visitors": 1234, "sessions": 2000, "bounce_rate": 41.5}]}


def request(path: str, **params: str) -> httpx.Request:
    return httpx.Request("GET", httpx.URL(BASE + path, params=params))


def keep(shelf: AnswerShelf, path: str, body: object, **params: str) -> None:
    shelf.record(request(path, **params), json.dumps(body).encode())


def test_answer_key_is_canonical_and_skips_what_is_not_kept() -> None:
    base = httpx.URL(BASE)
    one = answer_key(request("analytics/overview", startAt="2026-01-01", endAt="2026-01-31").url, base)
    other = answer_key(request("analytics/overview", endAt="2026-01-31", startAt="2026-01-01").url, base)
    assert one == other == "analytics/overview?endAt=2026-01-31&startAt=2026-01-01"
    assert answer_key(request("analytics/metadata").url, base) == "analytics/metadata"
    for not_kept in ("analytics/realtime", "analytics/realtime/map", "analytics/visitors/abc", "goals",
                     "admin/websites"):
        assert answer_key(request(not_kept).url, base) is None, not_kept
    assert answer_key(httpx.URL("https://elsewhere.example/api/v1/analytics/overview"), base) is not None
    assert answer_key(httpx.URL("https://datafa.st/other/analytics/overview"), base) is None


def test_kept_answers_survive_a_restart_in_a_private_file_without_the_key(tmp_path) -> None:
    shelves = AnswerShelves(tmp_path / "answers")
    shelf = shelves.shelf(BASE, KEY)
    keep(shelf, "analytics/overview", OVERVIEW, startAt="2026-01-01")
    shelves.flush()
    files = list((tmp_path / "answers").iterdir())
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "answers").stat().st_mode) == 0o700
    text = files[0].read_text()
    assert KEY not in text and "s3cr3t" not in text and "s3cr3t" not in files[0].name
    again = AnswerShelves(tmp_path / "answers").shelf(BASE, KEY)
    body, fetched = again.lookup("analytics/overview?startAt=2026-01-01")
    assert json.loads(body) == OVERVIEW and fetched > 0
    # Another key, another address or another website: another file, nothing shared.
    assert len(AnswerShelves(tmp_path / "answers").shelf(BASE, KEY + "x")) == 0
    assert len(AnswerShelves(tmp_path / "answers").shelf("https://other.example/api/v1/", KEY)) == 0
    assert fingerprint(BASE, KEY, "site-a") != fingerprint(BASE, KEY, "site-b")


@pytest.mark.parametrize("content", [b"{not json", b'{"format": 99, "entries": []}', b'[1, 2]',
                                     b'{"format": 1, "entries": [[1, 2]]}', b"[" * 5000 + b"]" * 5000,
                                     b"\xff\xfe binary"])
def test_a_file_that_is_not_ours_is_ignored_with_a_log_line_and_replaced(tmp_path, caplog, content) -> None:
    shelves = AnswerShelves(tmp_path)
    path = shelves.shelf(BASE, KEY).path
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        shelf = AnswerShelves(tmp_path).shelf(BASE, KEY)
    assert len(shelf) == 0
    assert any("kept answers" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)
    keep(shelf, "analytics/metadata", {"data": {"name": "x"}})
    shelf.flush()
    assert json.loads(path.read_text())["format"] == answer_shelf.FORMAT


def test_bounded_in_entries_bytes_answer_size_and_sites(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(answer_shelf, "MAX_ENTRIES", 5)
    monkeypatch.setattr(answer_shelf, "MAX_BYTES", 2_000)
    monkeypatch.setattr(answer_shelf, "MAX_BODY_BYTES", 600)
    monkeypatch.setattr(answer_shelf, "MAX_SITES", 3)
    shelves = AnswerShelves(tmp_path)
    shelf = shelves.shelf(BASE, KEY)
    for day in range(1, 10):
        keep(shelf, "analytics/overview", {"pad": "x" * 100}, startAt=f"2026-01-0{day}")
    assert len(shelf) == 5  # the oldest went first
    assert shelf.lookup("analytics/overview?startAt=2026-01-01") is None
    assert shelf.lookup("analytics/overview?startAt=2026-01-09") is not None
    keep(shelf, "analytics/pages", {"pad": "x" * 700})
    assert shelf.lookup("analytics/pages") is None  # too large to keep
    for index in range(3):
        keep(shelf, "analytics/referrers", {"pad": "y" * 500}, offset=str(index))
    assert sum(len(body) for body, _ in shelf._entries.values()) <= 2_000  # noqa: SLF001
    for site in range(6):
        other = shelves.shelf(BASE, f"{KEY}{site}")
        keep(other, "analytics/metadata", {"site": site})
        other.flush()
    assert len(list(tmp_path.glob("answers-*.json"))) == 3


async def test_the_replay_answers_kept_requests_waits_on_the_rest_and_refuses_writes(tmp_path) -> None:
    shelf = AnswerShelves(tmp_path).shelf(BASE, KEY)
    keep(shelf, "analytics/overview", OVERVIEW, startAt="2026-01-01", endAt="2026-01-31")
    transport = ReplayTransport(shelf.lookup, BASE)
    client = DataFastClient("kept", base_url=BASE, transport=transport)
    answer = await client._get("analytics/overview", {"startAt": "2026-01-01", "endAt": "2026-01-31"})  # noqa: SLF001
    assert answer == OVERVIEW and transport.oldest_served is not None
    waiting = asyncio.ensure_future(client._get("analytics/pages"))  # noqa: SLF001
    await asyncio.sleep(0.05)
    assert not waiting.done()  # not kept: it waits (the screen says loading) ...
    await transport.aclose()
    with pytest.raises(Exception):  # ... until the live store takes over and closes it
        await waiting


async def test_the_cached_copy_store_refuses_writes_and_says_how_old_it_is(tmp_path) -> None:
    from datafast_tui.api.writes import GoalRequest

    shelf = AnswerShelves(tmp_path).shelf(BASE, KEY)
    keep(shelf, "analytics/metadata", {"status": "success", "data": [{"domain": "a.example", "timezone": "UTC",
                                                                     "name": "A", "currency": "USD"}]})
    store = CachedCopyStore(shelf, base_url=BASE, account_token=False, website_id=None)
    site = await store.metadata()
    assert site.value.domain == "a.example"
    assert store.status.state == "cached" and store.status.data_age() is not None
    with pytest.raises(Exception, match="not connected yet"):
        await store.create_goal(GoalRequest(visitor_id="v" * 10, name="signup"))
    assert NOT_CONNECTED.startswith("not connected yet")
    await store.aclose()
