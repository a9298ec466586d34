"""The overview's key figures: their names, how each is written, and how it changed.

Shared by the Overview screen and `datafast-tui report`: plain code, no terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from datafast_tui.api.models import Overview
from datafast_tui.formatting import Change, change, compact, currency_symbol, duration_ms, money, number, percent


@dataclass(frozen=True)
class Metric:
    name: str
    title: str
    short: str  # for narrow cards
    higher_is_better: bool
    kind: str  # "count", "percent", "duration", "money"


METRICS: tuple[Metric, ...] = (
    Metric("visitors", "Visitors", "Visitors", True, "count"),
    Metric("sessions", "Sessions", "Sessions", True, "count"),
    Metric("bounce_rate", "Bounce rate", "Bounce", False, "percent"),
    Metric("avg_session_duration", "Avg. session", "Session", True, "duration"),
    Metric("revenue", "Revenue", "Revenue", True, "money"),
    Metric("revenue_per_visitor", "Rev/visitor", "Rev/visit", True, "money"),
    Metric("conversion_rate", "Conversion", "Conv.", True, "percent"),
)
METRICS_BY_NAME = {m.name: m for m in METRICS}


def format_value(metric: Metric, value: float | None, currency: str | None, *, narrow: bool = False) -> str:
    if value is None:
        return "–"
    match metric.kind:
        case "count":
            return compact(value) if narrow and value >= 100_000 else number(value)
        case "percent":
            return percent(value, 2 if metric.name == "conversion_rate" else 1)
        case "duration":
            return duration_ms(value)
        case _:
            if narrow and abs(value) >= 10_000:
                return f"{'-' if value < 0 else ''}{currency_symbol(currency)}{compact(abs(value))}"
            return money(value, currency, cents=metric.name == "revenue_per_visitor" or None)


#: Below this many visitors in the previous period a change says nothing (a site that had
#: barely started): the cards say "n/a" rather than "▲ +10847.8%".
MIN_COMPARE_VISITORS = 30


def kpi_change(metric: Metric, current: Overview | None, previous: Overview | None) -> Change | None:
    if current is None or previous is None:
        return None
    if (previous.visitors or 0) < MIN_COMPARE_VISITORS:
        return Change("·", "n/a", None)
    return change(current.metric(metric.name), previous.metric(metric.name),
                  higher_is_better=metric.higher_is_better)
