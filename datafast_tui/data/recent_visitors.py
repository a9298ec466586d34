"""The visitors opened lately, kept per site in a small JSON file for quick re-opening.

The file lives in the platform state directory (`platformdirs.user_state_dir`), or in
`$DATAFAST_TUI_STATE_DIR` when set (tests point it at a temporary folder). Losing it is
harmless, so every failure to read or write it is swallowed: an unreadable file reads as
empty and an unwritable directory keeps the list in memory for this run.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from datafast_tui.data.atomic_file import write_text_atomically

log = logging.getLogger(__name__)

STATE_DIR_ENV = "DATAFAST_TUI_STATE_DIR"
FILE_NAME = "recent-visitors.json"
KEEP = 10


@dataclass(frozen=True)
class RecentVisitor:
    visitor_id: str
    label: str  # a short description ("Berlin, DE · desktop · Chrome"); API text, clean before showing


def default_path() -> Path:
    directory = os.environ.get(STATE_DIR_ENV) or platformdirs.user_state_dir("datafast-tui")
    return Path(directory) / FILE_NAME


class RecentVisitors:
    """Up to `KEEP` visitor ids per site, most recent first."""

    def __init__(self, path: Path | None = None, *, site: str = "default") -> None:
        self.path = path or default_path()
        self.site = site
        self._sites: dict[str, list[RecentVisitor]] = self._read()

    def _read(self) -> dict[str, list[RecentVisitor]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", self.path, exc)
            return {}
        sites: dict[str, list[RecentVisitor]] = {}
        if not isinstance(raw, dict) or not isinstance(raw.get("sites"), dict):
            return sites
        for site, entries in raw["sites"].items():
            if not isinstance(entries, list):
                continue
            sites[str(site)] = [
                RecentVisitor(str(e["id"]), str(e.get("label") or ""))
                for e in entries
                if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"]
            ][:KEEP]
        return sites

    def entries(self) -> list[RecentVisitor]:
        """This site's recent visitors, most recent first."""
        return list(self._sites.get(self.site, []))

    def add(self, visitor_id: str, label: str = "") -> None:
        """Put `visitor_id` first (once) and save; a failure to save is logged, not raised."""
        kept = [e for e in self._sites.get(self.site, []) if e.visitor_id != visitor_id]
        self._sites[self.site] = [RecentVisitor(visitor_id, label), *kept][:KEEP]
        self._save()

    def _save(self) -> None:
        data = {"sites": {site: [{"id": e.visitor_id, "label": e.label} for e in entries]
                          for site, entries in self._sites.items()}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(self.path, json.dumps(data, indent=1))
        except OSError as exc:
            log.warning("cannot save recent visitors to %s: %s", self.path, exc)
