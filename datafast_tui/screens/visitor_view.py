"""What the Visitor screen draws, as Textual Content and Rich Text built from plain data.

Every API string goes through `clean()` and is placed as plain text (never parsed as
markup); styles come from the theme's variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual.content import Content

from datafast_tui.api.errors import BadRequestError, DataFastError, NotFoundError
from datafast_tui.api.models_visitor import Prediction, Visitor
from datafast_tui.data.visitor_facts import (
    NO_PAYMENTS,
    NO_PREDICTION,
    NOT_IDENTIFIED,
    Fact,
    Row,
    TimelineEntry,
    activity_facts,
    ad_click_rows,
    gauge_cells,
    identity_rows,
    local_time,
    param_rows,
    payment_rows,
    prediction_view,
    profile_rows,
    summary,
)
from datafast_tui.error_advice import advise
from datafast_tui.safe_text import clean, safe, shorten_middle

LABEL_WIDTH = 12
ACTIVITY_LABEL_WIDTH = 21
PREDICTION_LABEL_WIDTH = 17


def _label(text: str, width: int = LABEL_WIDTH) -> tuple[str, str]:
    return (text.ljust(width), "$text-muted")


def _rows(rows: list[Row], width: int, label_width: int = LABEL_WIDTH) -> list[Content]:
    room = max(8, width - label_width)
    return [Content.assemble(_label(label, label_width), shorten_middle(clean(value, placeholder="–"), room))
            for label, value in rows]


def _lines(lines: list[Content]) -> Content:
    return Content("\n").join(lines)


def title_content(visitor_id: str, visitor: Visitor | None, state: str = "") -> Content:
    """"Visitor a3ab… · Seosan City, KR · desktop · Chrome" (or a state such as "loading…")."""
    parts: list[str | tuple[str, str]] = [("Visitor ", "bold"), (clean(visitor_id), "bold $readable-accent")]
    if visitor is not None:
        parts += [("  ", ""), (clean(summary(visitor)), "$text-muted")]
    if state:
        parts += [("  ", ""), (state, "$text-muted" if state.startswith("i:") else "$text-warning")]
    return Content.assemble(*parts)


def identity_content(visitor: Visitor, width: int) -> Content:
    """Location, device, browser, OS, viewport, then the first session's parameters."""
    lines = _rows(identity_rows(visitor.identity), width)
    lines.append(Content.styled("First session", "bold $text-accent"))
    params = param_rows(visitor.identity)
    if params:
        lines += _rows(params, width)
    else:
        lines.append(Content.styled("no ref, source, via or UTM parameters", "$text-muted"))
    clicks = ad_click_rows(visitor.identity)
    if clicks:
        lines.append(Content.styled("Ad click ids", "bold $text-accent"))
        lines += _rows(clicks, width)
    return _lines(lines)


PAYMENT_WHEN_WIDTH = 18  # "2026-11-26 14:02" and a gap


def customer_content(visitor: Visitor, zone: tzinfo, width: int) -> Content:
    """Who the site says this visitor is (the Identify profile), then their payments, newest first."""
    lines: list[Content] = []
    profile = profile_rows(visitor.profile, zone)
    if not profile and not visitor.activity.payments:
        # Most visitors: one line, not a panel of "nothing".
        return Content.styled(f"{NOT_IDENTIFIED} {NO_PAYMENTS}", "$text-muted")
    if profile:
        lines += _rows(profile, width)
    else:
        lines.append(Content.styled(NOT_IDENTIFIED, "$text-muted"))
    rows, older = payment_rows(visitor.activity.payments, zone)
    count = len(visitor.activity.payments)
    lines.append(Content.styled(f"Payments ({count:,})" if count else "Payments", "bold $text-accent"))
    if rows:
        lines += _rows(rows, width, PAYMENT_WHEN_WIDTH)
        if older:
            lines.append(Content.styled(f"… and {older:,} older", "$text-muted"))
    else:
        lines.append(Content.styled(NO_PAYMENTS, "$text-muted"))
    return _lines(lines)


def activity_content(visitor: Visitor, zone: tzinfo, now: datetime, width: int) -> Content:
    """Counts, first and last visit (site time, relative), time on site, current URL."""
    return _lines([_fact(fact, width) for fact in activity_facts(visitor.activity, zone, now)])


def _fact(fact: Fact, width: int) -> Content:
    room = max(8, width - ACTIVITY_LABEL_WIDTH)
    value = shorten_middle(clean(fact.value, placeholder="–"), room)
    note = f" · {fact.note}" if fact.note and len(value) + len(fact.note) + 3 <= room else ""
    return Content.assemble(_label(fact.label, ACTIVITY_LABEL_WIDTH), value, (note, "$text-muted"))


def gauge(score: float, width: int) -> Content:
    """A bar of `width` cells filled up to the score, with the baseline (50) marked by ┃."""
    filled, baseline = gauge_cells(score, width)
    fill_style = "$success" if score >= 50 else "$warning"
    parts: list[tuple[str, str]] = []
    for cell in range(width):
        if cell == baseline:
            parts.append(("┃", "bold $foreground"))
        elif cell < filled:
            parts.append(("█", fill_style))
        else:
            parts.append(("░", "$text-muted"))
    return Content.assemble(*parts)


def gauge_scale(width: int) -> Content:
    """"0 … 50 … 100" with the 50 under the baseline mark of the gauge."""
    _, baseline = gauge_cells(50, width)
    line = "0".ljust(max(1, baseline - 1)) + "50 avg"
    line = line.ljust(max(len(line) + 1, width - 3)) + "100"
    return Content.styled(line, "$text-muted")


def prediction_content(prediction: Prediction | None, width: int) -> Content:
    """The score as a gauge, rate, expected value (USD) and confidence, with the low-confidence note."""
    view = prediction_view(prediction)
    if view is None:
        return Content.styled(NO_PREDICTION, "$text-muted")
    label = PREDICTION_LABEL_WIDTH
    bar_width = max(10, min(30, width - label))
    lines = [
        Content.assemble(_label("Score", label), (f"{view.score:.0f}", "bold"), ("/100 · ", "$text-muted"),
                         view.verdict),
        Content.assemble(_label("", label), gauge(view.score, bar_width)),
        Content.assemble(_label("", label), gauge_scale(bar_width)),
        *_rows(view.rows, width, label),
    ]
    if view.low_confidence_note:
        lines.append(Content.styled(f"⚠ {view.low_confidence_note}", "bold $text-warning"))
    return _lines(lines)


WHEN_WIDTH = 16  # "2026-11-26 14:02"
#: Cell padding of three columns plus the vertical scrollbar.
TABLE_CHROME = 3 * 2 + 2


def _kind(entry: TimelineEntry) -> Content:
    if entry.kind == "billing":
        # A goal the payment provider made (payment, free_trial, subscription_renewed, ...).
        return Content.styled("$ billing", "bold $text-warning")
    if entry.kind != "goal":
        return Content.styled("page", "dim")
    # Theme colours (resolved when drawn), not ANSI green and magenta: those ignore the
    # theme, and the light one's green reads at 2.6:1 on a zebra stripe.
    if entry.is_server:
        return Content.styled("★ goal (API)", "bold $text-secondary")
    return Content.styled("★ goal", "bold $text-success")


@dataclass(frozen=True)
class TimelineLayout:
    """The timeline's column widths (when, kind, what) and its rows, for a table of a given width."""

    widths: tuple[int, int, int]
    rows: list[tuple[Text, Content, Text]]


def timeline_layout(entries: list[TimelineEntry], zone: tzinfo, width: int) -> TimelineLayout:
    """Rows for a table `width` cells wide: when (site time), kind (page, goal, API goal), what.

    The last column gets the room the first two leave; pages are shortened in the middle,
    goals (name, then description and metadata) at the end.
    """
    kinds = [_kind(e) for e in entries]
    kind_width = max((k.cell_length for k in kinds), default=4)
    what_width = max(12, width - WHEN_WIDTH - kind_width - TABLE_CHROME)
    rows = []
    for entry, kind in zip(entries, kinds, strict=True):
        when = safe(local_time(entry.moment, zone), style="dim")
        if entry.kind != "page":
            what = Text(clean(entry.title), style="bold", no_wrap=True, end="")
            if entry.detail:
                what.append(f"  {clean(entry.detail)}", style="dim")
            what.truncate(what_width, overflow="ellipsis")
        else:
            what = safe(entry.title, width=what_width)
        rows.append((when, kind, what))
    return TimelineLayout((WHEN_WIDTH, kind_width, what_width), rows)


def error_content(error: BaseException | str) -> Content:
    """Why this visitor cannot be shown (the title line above names it), and what to do."""
    if isinstance(error, str):  # our own check of the id: nothing was sent
        head, detail = "Not a visitor id", f"{clean(error)}. Nothing was sent."
    elif isinstance(error, NotFoundError):
        head = "Visitor not found (404)"
        detail = (f"{clean(error.message)}. DataFast knows no visitor with this id on this site, or the "
                  "visitor has no pageview yet. Check the id (it is the datafast_visitor_id cookie).")
    elif isinstance(error, BadRequestError):
        head = "Visitor refused (400)"
        detail = (f"{clean(error.message)}. DataFast answers 400 for bots (kept out of analytics) and for "
                  "ids it cannot read.")
    else:
        advice = advise(error)
        head = advice.title + (f" ({error.status})" if isinstance(error, DataFastError) and error.status else "")
        detail = advice.detail
    return Content.assemble((f"✕ {head}", "bold $text-error"), "\n", detail, "\n",
                            ("o: look up another visitor · r: try again · or pick one below", "$text-muted"))
