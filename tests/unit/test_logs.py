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


def test_the_log_is_private_to_its_owner_even_after_rotation(tmp_path: Path) -> None:
    # It holds visitor ids, transaction ids and filters: 0600, like the recent-visitors file.
    path = tmp_path / "logs" / "app.log"
    path.parent.mkdir()
    path.write_text("from an older version\n")
    path.chmod(0o644)
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        assert setup_logging(path) == path
        handler = next(h for h in root.handlers if isinstance(h, logging.FileHandler))
        logging.getLogger("datafast_tui.test").info("visitor a3ab2331")
        handler.doRollover()
        logging.getLogger("datafast_tui.test").info("after the rollover")
        handler.flush()
        files = sorted(path.parent.iterdir())
        assert len(files) == 2 and all(f.stat().st_mode & 0o777 == 0o600 for f in files), files
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
