"""Alerts on the Realtime screen: the live count against its usual level, payments and goals, the log.

A mixin of RealtimeScreen. The usual levels (usual_level.py: 2 requests, the hourly visitors
and the average session of the last four weeks) load once per hour of the clock; each poll's
count then goes to a TrafficWatch. What an alert does (toast, bell, the user's command) is
the config's `[alerts]` section; everything that alerted lands in the log, which `a` shows
in place of the payments.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, tzinfo
from typing import Any, cast

from textual.content import Content

from datafast_tui.alerts_config import AlertsConfig
from datafast_tui.api.models_realtime import RealtimeEvent, RealtimePayment
from datafast_tui.data.alert_hook import hook_environment, run_hook
from datafast_tui.data.alert_log import AlertEntry, AlertLog
from datafast_tui.data.outcome import part
from datafast_tui.data.traffic_alerts import TrafficAlert, TrafficWatch, level_text, ratio, ratio_text
from datafast_tui.data.usual_level import UsualLevels, usual_levels, usual_query
from datafast_tui.quiet_work import work
from datafast_tui.safe_text import clean
from datafast_tui.screens.context import ContextSource, ScreenContext
from datafast_tui.screens.realtime_view import clock_time, goal_message, goal_name, payment_message, payment_name
from datafast_tui.widgets.feed import Column, LiveList, Row

#: Seconds before the usual levels are asked again after they could not be had (not every poll:
#: two requests each 5 s would double what Realtime costs while the API refuses them).
USUAL_RETRY = 300.0
#: The usual levels are asked from the second poll on (a glance at Realtime, one poll, costs
#: nothing more: an alert needs a minute of polls anyway), never while paused (`r` then costs
#: its 2 requests, no more), and only while the request budget has more than this left.
USUAL_FROM_POLL = 2
USUAL_BUDGET_RESERVE = 10
#: At most this many toasts per kind per poll; the rest are summed up in one more.
MAX_TOASTS = 3
ALERT_COLUMNS = (Column("Time", 8), Column("Kind", 9), Column("What", 20, flex=True))
_KINDS = {
    "traffic_above": ("▲ above", "bold $text-error"),
    "traffic_below": ("▼ below", "bold $text-warning"),
    "traffic_usual": ("= usual", "$text-success"),
    "payment": ("payment", "bold $text-accent"),
    "goal": ("goal", "$text-accent"),
    "hook_failed": ("✕ command", "bold $text-error"),
}
_TITLES = {"traffic_above": "Traffic above usual", "traffic_below": "Traffic below usual",
           "traffic_usual": "Traffic back to usual"}


def alert_rows(log: AlertLog, zone: tzinfo) -> list[Row]:
    rows = []
    for entry in log.entries:
        label, style = _KINDS.get(entry.kind, (entry.kind, ""))
        rows.append(Row(f"{entry.at.timestamp()}:{entry.kind}:{entry.text}",
                        (clock_time(entry.at, zone), Content.styled(label, style), entry.text)))
    return rows


class RealtimeAlerts:
    """The alert half of RealtimeScreen (see the module). Its methods run on that screen: they use
    its app, context, feed and drawing helpers (not typed here: the screen imports this module)."""

    alerts_config: AlertsConfig
    alert_log: AlertLog
    traffic: TrafficWatch
    usual: UsualLevels | None
    _usual_loading: bool
    _usual_retry_at: float  # time.monotonic() before which a failed load is not tried again
    _hook_env: dict[str, str]
    _logged_version: int

    def _setup_alerts(self) -> None:
        settings = cast("ContextSource", self.app).settings
        self.alerts_config = settings.config.alerts
        self.alert_log = AlertLog()
        self.traffic = TrafficWatch(self.alerts_config.factor, self.alerts_config.sustain)
        self.usual, self._usual_loading, self._logged_version = None, False, -1
        self._usual_retry_at = 0.0
        self._hook_env = hook_environment(p.api_key_env or "" for p in settings.config.profiles.values())

    def _reset_alerts(self) -> None:
        """Another site: its own usual levels, from its usual state."""
        self.usual, self._usual_retry_at = None, 0.0
        self.traffic.reset()

    # -- traffic --------------------------------------------------------------------------

    def _watch_traffic(self, context: ScreenContext) -> None:
        """After a poll: the count to the watch, or first the usual levels for this hour."""
        now = context.now()
        if self.usual is None or not self.usual.is_current(now):
            if not self._usual_loading and not self.schedule.paused and time.monotonic() >= self._usual_retry_at \
                    and self.polls >= USUAL_FROM_POLL and context.store.budget_room() > USUAL_BUDGET_RESERVE:
                self._usual_loading = True
                self._load_usual(context, now)
            if self.usual is None:
                return
        count = self.feed.count
        if count is None:
            return
        alert = self.traffic.observe(count, self.usual.usual(now), now)
        if alert is not None:
            self._traffic_alert(alert, context)

    @work(group="realtime-usual", exclusive=True, exit_on_error=False)
    async def _load_usual(self, context: ScreenContext, now: datetime) -> None:
        try:
            query = usual_query(now, context.zone)
            series, overview = await asyncio.gather(
                part(context.store.timeseries(query, fields=["visitors"], interval="hour")),
                part(context.store.overview(query)))
            latest = self.context
            if latest is None or latest.store is not context.store:
                return  # another site meanwhile: its own levels come with its next poll
            if series.value is None:
                self._usual_retry_at = time.monotonic() + USUAL_RETRY
                return
            self.usual = usual_levels(series.value, overview.value, context.zone, now)
            self._watch_traffic(latest)  # the poll that asked for them is judged now
            self._draw_count()
        finally:
            self._usual_loading = False

    def usual_text(self) -> str:
        """"usual 12 Thu 10h · ", or "▲ 3.6× usual 12 Thu 10h · " while alerting: put before the live
        count's span, whose end a narrow terminal cuts ("" without a usual level)."""
        context = self.context
        if self.usual is None or context is None:
            return ""
        now = context.now()
        level = self.usual.usual(now)
        if level is None:
            return "no usual level yet (under 2 weeks of data) · "
        state, count = self.traffic.state, self.feed.count
        alerting = ""
        if state != "usual" and count is not None:
            alerting = f"{'▲' if state == 'above' else '▼'} {ratio_text(state, ratio(count, level))} "
        return f"{alerting}usual {level_text(level)} {self.usual.label(now)} · "

    def _traffic_alert(self, alert: TrafficAlert, context: ScreenContext) -> None:
        assert self.usual is not None
        text = alert.text(self.usual.label(alert.at))
        payload = {"live": alert.live, "usual": round(alert.usual, 2), "ratio": round(alert.ratio, 2),
                   "factor": self.alerts_config.factor, "since": alert.since.isoformat()}
        severity = "information" if alert.state == "usual" else "warning"
        self._alert("traffic", alert.kind, _TITLES[alert.kind], text, payload, context, severity=severity)

    # -- payments and goals -----------------------------------------------------------------

    def _announce_sales(self, payments: list[RealtimePayment], goals: list[RealtimeEvent],
                        context: ScreenContext) -> None:
        """New payments and goals of a poll, each doing what `[alerts]` says (default: a toast per payment)."""
        for kind, title, items, message, details in (
                ("payments", "New payment", payments, payment_message, _payment_details),
                ("goals", "Goal completed", goals, goal_message, _goal_details)):
            for index, item in enumerate(items):
                # A toast each for the first few (then one counts the rest), one bell a poll.
                self._alert(kind, kind[:-1], title, message(item), details(item), context,
                            toast=index < MAX_TOASTS, bell=index == 0)
            if len(items) > MAX_TOASTS and "toast" in self.alerts_config.actions(kind):
                self.app.notify(f"and {len(items) - MAX_TOASTS} more {kind}", title=title, markup=False)

    # -- what an alert does -------------------------------------------------------------------

    def _alert(self, kind: str, name: str, title: str, text: str, details: dict[str, Any],
               context: ScreenContext, *, severity: str = "information", toast: bool = True,
               bell: bool = True) -> None:
        actions = self.alerts_config.actions(kind)
        if not actions:
            return
        now = context.now()
        self.alert_log.add(AlertEntry(now, name, text))
        if "toast" in actions and toast:
            self.app.notify(text, title=title, severity=severity, timeout=12, markup=False)  # type: ignore[arg-type]
        if "bell" in actions and bell:
            self.app.bell()
        if "command" in actions and self.alerts_config.command:
            payload = {"kind": name, "site": context.site_label, "time": now.isoformat(), "title": title,
                       "message": text, **details}
            self._run_hook(payload)
        self._draw_alerts()

    @work(group="realtime-hook", exit_on_error=False)
    async def _run_hook(self, payload: dict[str, Any]) -> None:
        problem = await run_hook(self.alerts_config.command, payload, env=self._hook_env)
        if problem is not None and self.is_mounted:
            context = self.context
            self.alert_log.add(AlertEntry(context.now() if context is not None else datetime.now().astimezone(),
                                          "hook_failed", problem))
            self.app.notify(problem, title="Alert command failed", severity="error", timeout=12, markup=False)
            self._draw_alerts()

    # -- drawing ------------------------------------------------------------------------------

    def _draw_alerts(self) -> None:
        if not self.is_mounted:
            return
        log = self.alert_log
        box = self.query_one("#rt-alerts", LiveList)
        if log.version != self._logged_version:
            self._logged_version = log.version
            rows = alert_rows(log, self._zone())
            shown = {row.key for row in box.rows}
            box.set_rows(rows, fresh={row.key for row in rows} - shown if box.rows else ())
        self._title("#rt-alerts-title", "Alerts", f"{len(log)} logged · {self.alerts_config.describe()}",
                    "a payments")

    def action_alert_log(self) -> None:
        """`a`: the alert log in place of the payments, and back."""
        self.toggle_class("show-alerts")
        shown = self.has_class("show-alerts")
        self.query_one("#rt-alerts" if shown else "#rt-payments", LiveList).focus()
        self._draw_alerts()


def _payment_details(p: RealtimePayment) -> dict[str, Any]:
    return {"amount": p.amount, "currency": clean(p.currency) or None, "customer": payment_name(p) or None,
            "renewal": p.renewal, "new_customer": p.is_new}


def _goal_details(e: RealtimeEvent) -> dict[str, Any]:
    return {"goal": goal_name(e), "visitor_id": clean(e.visitor_id) or None}
