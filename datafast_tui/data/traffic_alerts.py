"""When the live count departs from its usual level: above or below it by a factor, for a while.

A count of 1 where 6 are usual is half the factor-2 threshold but happens about once in 60
polls on a small site: a departure must also be unlikely as chance (a Poisson tail under
SIGNIFICANCE around the usual level) and last SUSTAIN seconds of polls before it alerts.
Once alerting, the state holds until the count is back within the factor for as long, and
that return is told too. A poll without a usual level (a new site, the weeks not loaded
yet) changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

State = Literal["usual", "above", "below"]
#: A departure is only one when chance would give it less often than this.
SIGNIFICANCE = 0.001
#: Below this usual level a site is too quiet to say it is quieter than usual.
MIN_USUAL_FOR_BELOW = 3.0


def poisson_at_most(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    if mean > 500:  # a sum of that many terms is slow and no better than the normal approximation
        return 0.5 * math.erfc(-(k + 0.5 - mean) / math.sqrt(2 * mean))
    term = total = math.exp(-mean)
    for i in range(1, k + 1):
        term *= mean / i
        total += term
        if term < 1e-300 and i > mean:
            break
    return min(total, 1.0)


def ratio(live: int, usual: float) -> float:
    """`live` as a multiple of `usual` (a usual level of 0 would make any visitor infinitely many)."""
    return live / max(usual, 0.5)


def level_text(usual: float) -> str:
    """A usual level as it is written: "5.6", "12"."""
    return f"{usual:.1f}" if usual < 10 else f"{usual:.0f}"


def ratio_text(state: State, times: float) -> str:
    """"3.6×" above, "0.25×" below (a fall reads in hundredths)."""
    return f"{times:.1f}×" if state == "above" else f"{times:.2f}×"


def departure(live: int, usual: float, factor: float) -> State:
    """Whether `live` is far above or below `usual`: beyond the factor and unlikely as chance."""
    mean = max(usual, 0.5)  # as in `ratio`
    if live >= mean * factor and 1.0 - poisson_at_most(live - 1, mean) < SIGNIFICANCE:
        return "above"
    if usual >= MIN_USUAL_FOR_BELOW and live <= usual / factor and poisson_at_most(live, usual) < SIGNIFICANCE:
        return "below"
    return "usual"


@dataclass(frozen=True)
class TrafficAlert:
    """A change of state: traffic rose above, fell below, or came back to its usual level."""

    state: State
    at: datetime
    live: int
    usual: float
    since: datetime  # when the departure (or the return) began

    @property
    def ratio(self) -> float:
        return ratio(self.live, self.usual)

    @property
    def kind(self) -> str:
        """The alert's name in the command hook's JSON: traffic_above, traffic_below, traffic_usual."""
        return f"traffic_{self.state}"

    def text(self, label: str) -> str:
        """"42 live, 3.6× the usual 11.7 for Thu 10h" (plain text)."""
        usual = level_text(self.usual)
        if self.state == "usual":
            return f"back to usual: {self.live} live, usual {usual} for {label}"
        return f"{self.live} live, {ratio_text(self.state, self.ratio)} the usual {usual} for {label}"


class TrafficWatch:
    """Follows the live count poll by poll and says when its state changes (see the module)."""

    def __init__(self, factor: float, sustain: float) -> None:
        self.factor = factor
        self.sustain = sustain  # seconds
        self.state: State = "usual"
        self._pending: tuple[State, datetime] | None = None

    def observe(self, live: int, usual: float | None, at: datetime) -> TrafficAlert | None:
        """One poll's count; a TrafficAlert when the state changed with it, else None."""
        if usual is None:
            return None
        seen = departure(live, usual, self.factor)
        if seen == self.state:
            self._pending = None
            return None
        if self._pending is None or self._pending[0] != seen:
            self._pending = (seen, at)
        since = self._pending[1]
        if (at - since).total_seconds() < self.sustain:
            return None
        self.state, self._pending = seen, None
        return TrafficAlert(seen, at, live, usual, since)

    def reset(self) -> None:
        """Another site: its traffic starts from its usual level."""
        self.state, self._pending = "usual", None
