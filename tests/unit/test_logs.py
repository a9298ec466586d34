"""Logging goes to a file (never the terminal the UI owns), or nowhere when the folder is unwritable."""

from __future__ import annotations

import logging
from pathlib import Path

from datafast_tui.logs import setup_logging


def test_log_lines_go_to_the_file(tmp_path: Path) -> None:
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        path = setup_logging(tmp_path / "logs" / "app.log")
        logging.getLogger("datafast_tui.test").info("hello file")
        for handler in root.handlers:
            handler.flush()
        assert path is not None and "hello file" in path.read_text()
        assert not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
                       for h in root.handlers)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_unwritable_log_folder_means_no_logging_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        assert setup_logging(blocker / "sub" / "app.log") is None
        assert any(isinstance(h, logging.NullHandler) for h in root.handlers)
        logging.getLogger("datafast_tui.test").warning("goes nowhere")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
