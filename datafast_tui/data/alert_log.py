"""What alerted while the Realtime screen was open: traffic alerts, payments and goals that had an
action, and alert commands that failed. Newest first, at most LOG_LIMIT entries."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

LOG_LIMIT = 200


@dataclass(frozen=True)
class AlertEntry:
    at: datetime
    #: traffic_above, traffic_below, traffic_usual, payment, goal or hook_failed.
    kind: str
    text: str  # plain text, cleaned of control characters


class AlertLog:
    def __init__(self) -> None:
        self._entries: deque[AlertEntry] = deque(maxlen=LOG_LIMIT)
        #: Bumped on every change, so a list is rebuilt only when its log changed.
        self.version = 0

    def add(self, entry: AlertEntry) -> None:
        self._entries.appendleft(entry)
        self.version += 1

    @property
    def entries(self) -> tuple[AlertEntry, ...]:
        """Newest first."""
        return tuple(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
