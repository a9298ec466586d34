"""The quiet terminal driver: its input thread sleeps until there is input, yet keys come at
once, a lone Esc comes when ESCDELAY is up, and stopping the thread does not wait for a key.
The app picks it where Textual would pick its own POSIX driver, and only there."""

from __future__ import annotations

import os
import threading
import time

import pytest

pytest.importorskip("termios")  # the driver is POSIX only, as Textual's LinuxDriver is

from textual import events  # noqa: E402
from textual.drivers.linux_driver import LinuxDriver  # noqa: E402

from datafast_tui.quiet_driver import QuietLinuxDriver, _next_timeout  # noqa: E402


class Recording(QuietLinuxDriver):
    """The driver on a pipe instead of the terminal, keeping what it would send to the app."""

    def __init__(self) -> None:
        super().__init__(app=None)  # type: ignore[arg-type]
        self.fileno, self.feed_fd = os.pipe()
        self.received: list[tuple[float, events.Event]] = []

    def process_message(self, message) -> None:  # noqa: ANN001
        self.received.append((time.monotonic(), message))

    def keys(self) -> list[str]:
        return [message.key for _, message in self.received if isinstance(message, events.Key)]


def wait_for(condition, seconds: float = 2.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


async def test_keys_come_at_once_and_a_lone_escape_after_the_escape_delay() -> None:
    driver = Recording()
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    try:
        os.write(driver.feed_fd, b"q")
        wait_for(lambda: driver.keys() == ["q"])
        sent = time.monotonic()
        os.write(driver.feed_fd, b"\x1b")
        wait_for(lambda: driver.keys() == ["q", "escape"])
        escape_at = driver.received[-1][0]
        # ESCDELAY (100 ms): not before it (it could start a sequence), and without a 0.1 s tick's extra lag
        assert 0.09 <= escape_at - sent < 1.0
        os.write(driver.feed_fd, b"\x1b[A")  # a whole escape sequence is one key
        wait_for(lambda: driver.keys()[-1:] == ["up"])
    finally:
        stopped = time.monotonic()
        driver.exit_event.set()
        thread.join(2)
    assert not thread.is_alive()
    assert time.monotonic() - stopped < 1.0  # woken by the pipe, not by a key
    driver.close()
    os.close(driver.fileno)
    os.close(driver.feed_fd)


async def test_setting_the_exit_event_after_close_touches_no_file() -> None:
    driver = Recording()
    driver.close()
    reader, writer = os.pipe()  # likely to reuse the closed wake pipe's numbers
    try:
        driver.exit_event.set()
        os.set_blocking(reader, False)
        with pytest.raises(BlockingIOError):
            os.read(reader, 1)
    finally:
        for fd in (reader, writer, driver.fileno, driver.feed_fd):
            os.close(fd)


def test_the_wait_follows_the_parsers_pending_timeout() -> None:
    class Parser:
        _timeout_time: float | None = None

    parser = Parser()
    assert _next_timeout(parser) is None  # nothing pending: sleep until input
    parser._timeout_time = time.monotonic() + 0.05
    assert 0 < _next_timeout(parser) <= 0.05
    parser._timeout_time = time.monotonic() - 1
    assert _next_timeout(parser) == 0.0
    assert _next_timeout(object()) == 0.1  # a parser we do not know: Textual's own tick


def test_the_app_runs_on_it_where_textual_would_run_its_linux_driver(monkeypatch) -> None:  # noqa: ANN001
    from textual.app import App

    from datafast_tui.app import DataFastApp

    monkeypatch.setattr(App, "get_driver_class", lambda self: LinuxDriver)
    assert DataFastApp.get_driver_class(object.__new__(DataFastApp)) is QuietLinuxDriver

    class WebLike(LinuxDriver):
        pass

    monkeypatch.setattr(App, "get_driver_class", lambda self: WebLike)
    assert DataFastApp.get_driver_class(object.__new__(DataFastApp)) is WebLike
