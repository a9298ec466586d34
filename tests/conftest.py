"""Session-wide guard: the API keys used by the tests never leak.

Every log record of the run, the text of every DataFastError created, every file the tests
write under pytest's temporary directory, and the committed screenshots and snapshot SVGs are
searched for the keys: by `tests/test_zz_key_never_leaks.py` (run last in each process), and,
because pytest-xdist splits the run over processes, once more at the very end by the
controlling process over what every process produced (`pytest_sessionfinish` below), which
fails the run on a leak.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from datafast_tui.api.errors import DataFastError

# Test stores are short-lived (one test; frozen clocks keep their live catch-up to half an
# hour): they open the shared dataset copy-on-write instead of copying its 70 MB each (one
# run copied 28 GB). Apps the tests start in a pty inherit it. The app's own default, a
# private copy, is tested by tests/unit/demo/test_private_copy.py, which asks for it.
os.environ.setdefault("DATAFAST_DEMO_COPY_ON_WRITE", "1")
os.environ.setdefault("DATAFAST_DEMO_IN_PROCESS", "1")  # --demo in-process: one process, no child per app

#: Every key a test hands to a client. A leak of any of them fails the run.
SECRET_KEYS = ("df_test_SECRET_key_0123456789", "df_live_SECRET", "df_shop_key", "dft_account_SECRET")


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - a broken record is not our concern here
            self.lines.append(str(record.msg))


LOG_RECORDER = _Recorder()
CREATED_ERRORS: list[DataFastError] = []


@pytest.fixture(scope="session", autouse=True)
def _demo_rate_headers_allow_the_suites_pace():
    """The demo's X-RateLimit headers count 60 requests a minute, as a real key gets, and the
    client waits when they say none is left. Many tests send far more than that on purpose
    (their own limiter is set high): the demo's window is raised to match. Tests of the
    headers themselves pass their own limit."""
    from datafast_tui.demo import rate_window

    old, rate_window.LIMIT = rate_window.LIMIT, 1_000_000
    yield
    rate_window.LIMIT = old


@pytest.fixture(scope="session", autouse=True)
def _record_logs_and_errors():
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(LOG_RECORDER)
    root.setLevel(logging.DEBUG)
    original_init = DataFastError.__init__

    def recording_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        CREATED_ERRORS.append(self)

    DataFastError.__init__ = recording_init  # type: ignore[method-assign]
    yield
    DataFastError.__init__ = original_init  # type: ignore[method-assign]
    root.removeHandler(LOG_RECORDER)
    root.setLevel(old_level)


@pytest.fixture(autouse=True)
def _private_state_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Recent visitors and other state go to a temp folder, never the developer's own files."""
    monkeypatch.setenv("DATAFAST_TUI_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _private_working_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Exports a test triggers by random keys land in a temp folder, never in the checkout."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(autouse=True)
def _steady_input_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text cursor that does not blink: a snapshot taken 0.5 s later must look the same."""
    from textual.widgets import Input

    def keep_visible(self: Input) -> None:
        self._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", keep_visible)


@pytest.fixture(scope="session", autouse=True)
def _parse_each_stylesheet_once_per_process():
    """Textual parses every stylesheet anew for each app (its parse cache lives on the app's
    Stylesheet), and the suite starts hundreds of apps per process: about a tenth of an app
    start. Parsing is a pure function of the CSS, where it came from and the theme's
    variables, so the process keeps one result per such key. The app itself parses once per
    run and is unchanged."""
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):  # noqa: ANN001, ANN202
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        if key not in parsed:
            parsed[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = parse_rules
    yield
    Stylesheet._parse_rules = original


#: The tests that take longest (20 s or more of a 4-worker run on 2 cores), longest first.
#: They start first: a long test handed out near the end of the run makes every other
#: worker wait for it (longest-processing-time-first scheduling).
LONG_TESTS = (
    "test_soak.py::test_every_screen_survives_faults_and_recovers",
    "test_focus.py::test_random_sequences_never_lose_the_focus_and_q_quits",
    "test_hostile_everywhere.py::test_every_view_shows_hostile_strings_as_literal_text",
    "test_query_on_screen.py::test_overview_numbers_answer_the_query_after_each_burst",
    "test_writes_under_faults.py::test_dialog_writes_under_faults_are_sent_once_per_confirmation",
    "test_generation.py::test_same_seed_and_reference_give_the_same_data",
    "test_query_on_screen.py::test_random_sequences_settle_on_the_numbers_of_the_query",
    "test_terminals.py::test_visitor_dialogs_fit_80x24_by_keys_alone",
    "test_terminals.py::test_light_theme_text_reads_on_every_screen_and_dialog",
    "test_query_on_screen.py::test_a_minute_of_exploring_every_screen_stays_inside_the_request_budget",
    "test_soak.py::test_stale_data_says_how_old_it_is_and_recovers",
    "test_terminals.py::test_help_of_every_screen_lists_every_key_and_scrolls_at_80x24",
)


def _long_rank(item: pytest.Item) -> int:
    return next((rank for rank, name in enumerate(LONG_TESTS) if item.nodeid.endswith(name)), len(LONG_TESTS))


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process of a parallel run: bytecode written once for every worker."""
    if getattr(config, "workerinput", None) is None and config.getoption("numprocesses", None):
        from tests.bytecode_warmup import warm_up

        warm_up(config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first; the leak check after everything else, so it sees what the whole run produced."""
    items.sort(key=_long_rank)  # stable: every other test keeps its order
    last = [item for item in items if "test_zz_key_never_leaks" in item.nodeid]
    for item in last:
        items.remove(item)
    items.extend(last)


def find_leaks(texts: dict[str, str]) -> list[str]:
    """Names of the texts (files, records) that contain one of the keys."""
    return [name for name, text in texts.items() if any(key in text for key in SECRET_KEYS)]


def files_to_search(base: Path) -> dict[str, str]:
    root = Path(__file__).resolve().parents[1]
    paths = [p for p in base.rglob("*") if p.is_file() and p.suffix not in (".sqlite", ".sqlite-journal")
             and p.stat().st_size <= 20_000_000]
    paths += [*root.glob("screenshots/*.svg"), *root.glob("tests/snapshots/__snapshots__/**/*.svg")]
    return {str(p): p.read_bytes().decode("utf-8", errors="replace") for p in paths}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    base = factory.getbasetemp()
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    # Each process leaves its log lines and error texts as a file for the final search.
    errors = "\n".join(f"{err}\n{err!r}\n{err.message}" for err in CREATED_ERRORS)
    (base / f"records-{worker or 'main'}.txt").write_text("\n".join(LOG_RECORDER.lines) + "\n" + errors,
                                                          encoding="utf-8")
    if worker is not None:
        return  # the controlling process searches everything once all workers are done
    leaks = find_leaks(files_to_search(base))
    if leaks:
        print("\nAPI KEY LEAKED in:\n  " + "\n  ".join(leaks))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core, and one more. Much of a UI test is waiting (for a screen
    refresh, a pty's output, a served demo), so more workers than cores fill those waits: on 2
    cores 8 min with 2 workers, 5 min 45 s with 4 (6 was slower again, 7 min 45 s, when the
    suite was CPU-bound). With the suite's CPU cut to 530 s: 299 s with 4, 286 s with 5."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(2, min(2 * cores + 1, 16))


def _then_still(run_before):  # noqa: ANN001, ANN202
    """`run_before`, then pauses until the screen reads the same over two frames in a row: a
    repaint scheduled after the last load (a table drawn a frame after its numbers) lands
    before the picture is taken, however slow the machine."""
    import inspect

    async def prepare(pilot) -> None:  # noqa: ANN001
        if run_before is not None:
            result = run_before(pilot)
            if inspect.isawaitable(result):
                await result
        from tests.ui.conftest import screen_text

        shown, alike = screen_text(pilot.app), 0
        for _ in range(30):
            await pilot.pause()
            now = screen_text(pilot.app)
            alike, shown = (alike + 1 if now == shown else 0), now
            if alike == 2:
                break

    return prepare


@pytest.fixture
def snap_compare(snap_compare, request: pytest.FixtureRequest):  # noqa: ANN001, ANN201 - the plugin's, wrapped
    """pytest-textual-snapshot's compare, failing with the rows that differ (see tests/snapshot_diff.py)."""
    import pickle

    from pytest_textual_snapshot import node_to_report_path

    from tests.snapshot_diff import describe_difference

    def compare(*args, **kwargs) -> bool:  # noqa: ANN002, ANN003
        kwargs["run_before"] = _then_still(kwargs.get("run_before"))
        if snap_compare(*args, **kwargs):
            return True
        data = pickle.loads(node_to_report_path(request.node).read_bytes())  # the plugin's own record
        expected, actual = data[1], data[2]
        raise AssertionError("the screen differs from its snapshot:\n" + describe_difference(expected, actual))

    return compare
