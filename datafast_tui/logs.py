"""Where log lines go while the app runs: a small rotating file, never the terminal.

Anything written to stderr while Textual owns the screen lands in the middle of the UI (and a
logged traceback would show on screen), so the root logger gets a file handler, or a null
handler when the log folder cannot be written. Log lines never contain the API key: the
client logs methods, paths and statuses only.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_log_dir

LOG_BYTES = 512 * 1024
LOG_BACKUPS = 2


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """A rotating log readable by its owner only (0600), like the recent-visitors file: it holds
    visitor ids, transaction ids and filters. A file an earlier version left 0644 is narrowed."""

    def _open(self):  # type: ignore[no-untyped-def]  # noqa: ANN202 - logging's own signature
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115 - the handler owns it


def default_log_path() -> Path:
    return Path(user_log_dir("datafast-tui", appauthor=False)) / "datafast-tui.log"


def setup_logging(path: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Send logging to `path` (default in the platform log dir); returns the path, or None if unwritable."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    path = path or default_log_path()
    handler: logging.Handler
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = PrivateLogFile(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        written: Path | None = path
    except OSError:
        handler, written = logging.NullHandler(), None
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO: on Realtime, two lines every 5 s (35,000 a day) and a
    # stat() of the file each (the rollover check), for what the client logs itself at DEBUG.
    logging.getLogger("httpx").setLevel(level if level <= logging.DEBUG else logging.WARNING)
    logging.captureWarnings(True)
    return written
