"""Writing a text file so that a crash or a full disk never leaves half of it behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: Attempts at a free temporary name before giving up (each name has 64 random bits).
_NAME_ATTEMPTS = 8


def write_text_atomically(path: Path, text: str, *, shared: bool = False) -> None:
    """Write `text` to a temporary file in `path`'s folder, then rename it over `path`.

    The file is readable by its owner only (0600), or with `shared` gets the permissions
    any new file gets (0666 less the umask; the kernel applies the umask, so the process
    never has to change it to learn it). Raises OSError; the temporary file is removed
    whatever fails.
    """
    handle, temporary = _create_temporary(path, 0o666 if shared else 0o600)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_temporary(path: Path, mode: int) -> tuple[int, Path]:
    """A new, empty file beside `path` (never an existing one, never through a symlink)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(_NAME_ATTEMPTS):
        temporary = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
        try:
            return os.open(temporary, flags, mode), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")
