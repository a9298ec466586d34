"""Funnels: the demo site's saved funnels and their step analytics, by SQL over its traffic.

Today's pages document `GET admin/websites/{websiteId}/funnels` (an account token with
funnels:read, or the site's own website key when the path names its site) and `GET
analytics/funnels/{funnelId}` ("visitors per step, drop-off, revenue, and overall conversion
rate"; range and `filter_*` like the other analytics). The pages' example lists a funnel as
`{_id, websiteId, name, slug, steps: [{id, name, type, url | goalName}], isActive, createdAt}`;
no page shows the analytics answer's field names, so ours are named after that description
(see api/funnels.py, which also reads the likely alternatives).

A visitor reaches step k when, after reaching step k-1, they view the step's page (any
host, the path as given) or complete its goal, inside the range; bots are left out, and
the filters choose the visitors whose sessions in the range match them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from datafast_tui.demo.errors import ApiError, not_found, success
from datafast_tui.demo.filters import parse_filters, scope_for
from datafast_tui.demo.formats import iso_utc
from datafast_tui.demo.hostile import LONG_PATH
from datafast_tui.demo.metrics import earliest_event_ms
from datafast_tui.demo.params import ApiRequest, parse_range, parse_timezone

if TYPE_CHECKING:
    from datafast_tui.demo.database import DemoDatabase


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    type: str  # "pageview" or "goal"
    target: str  # the path, or the goal's name

    def to_json(self) -> dict[str, str]:
        key = "url" if self.type == "pageview" else "goalName"
        return {"id": self.id, "name": self.name, "type": self.type, key: self.target}


@dataclass(frozen=True)
class Funnel:
    slug: str
    name: str
    steps: tuple[Step, ...]


#: The demo site's funnels (2 to 8 steps each, as the pages require).
FUNNELS: tuple[Funnel, ...] = (
    Funnel("signup-funnel", "Signup funnel", (
        Step("landing", "Landing page", "pageview", "/"),
        Step("pricing", "Pricing", "pageview", "/pricing"),
        Step("signup-page", "Signup page", "pageview", "/signup"),
        Step("signed-up", "Signed up", "goal", "signup"),
    )),
    Funnel("activation", "Activation", (
        Step("signed-up", "Signed up", "goal", "signup"),
        Step("onboarding", "Onboarding", "pageview", "/onboarding"),
        Step("onboarded", "Onboarding completed", "goal", "onboarding_completed"),
        Step("invited", "Invited a teammate", "goal", "invite_teammate"),
    )),
    Funnel("docs-to-signup", "Docs to signup", (
        Step("docs", "Getting started", "pageview", "/getting-started"),
        Step("signup-page", "Signup page", "pageview", "/signup"),
        Step("signed-up", "Signed up", "goal", "signup"),
    )),
)


#: The hostile store's extra funnel: its name and steps are the strings a terminal must not run.
HOSTILE_FUNNEL = Funnel("hostile", "[bold red]boom[/]\x1b]0;pwned\x07 \u202eevil", (
    Step("markup", "[link=http://evil.example]click[/link]", "pageview", "/pricing"),
    Step("long", LONG_PATH, "pageview", "/signup"),
    Step("wide", "👩\u200d👩\u200d👧\u200d👦 日本語 e\u0301\u0301", "goal", "signup"),
))


def funnels_of(db: DemoDatabase) -> tuple[Funnel, ...]:
    return (*FUNNELS, HOSTILE_FUNNEL) if db.hostile else FUNNELS


def funnel_id(db: DemoDatabase, funnel: Funnel) -> str:
    """An ObjectId-like hex id, stable per seed and funnel."""
    return hashlib.sha256(f"funnel:{db.seed}:{funnel.slug}".encode()).hexdigest()[:24]


def _funnel_json(db: DemoDatabase, funnel: Funnel, website: str) -> dict[str, object]:
    return {"_id": funnel_id(db, funnel), "websiteId": website, "name": funnel.name, "slug": funnel.slug,
            "steps": [s.to_json() for s in funnel.steps], "isActive": True,
            "createdAt": iso_utc(db.start_ms)}


def list_funnels(db: DemoDatabase, req: ApiRequest, website: str) -> dict[str, object]:
    if req.path.get("website_id") != website:
        raise ApiError(403, f"No access to website '{req.path.get('website_id', '')[:40]}'")
    return success([_funnel_json(db, f, website) for f in funnels_of(db)])


def _events(step: Step) -> str:
    """The step's events in the range, as SQL selecting (vkey, ts); arguments: target, lo, hi."""
    if step.type == "pageview":
        return ("SELECT p.vkey, p.ts FROM pageviews p JOIN pages pg ON pg.page_id = p.page_id"
                " WHERE pg.path = ? AND p.ts >= ? AND p.ts < ?")
    return "SELECT g.vkey, g.ts FROM goals g WHERE g.name = ? AND g.ts >= ? AND g.ts < ?"


def funnel_analytics(db: DemoDatabase, req: ApiRequest) -> dict[str, object]:
    wanted = req.path.get("funnel_id", "")
    funnel = next((f for f in funnels_of(db) if funnel_id(db, f) == wanted), None)
    if funnel is None:
        raise not_found(f"Funnel '{wanted[:40]}' not found (or not active) for this website")
    tz = parse_timezone(req.query)
    scope = scope_for(parse_filters(req.items), db.names)
    with db.read() as (conn, now):
        lo, hi = parse_range(req.query, tz, now, earliest_event_ms(conn, db.start_ms)).clipped(now)
        # The visitors in play: humans with a session in the range that matches the filters.
        # Arguments are appended as their placeholders are written, so they stay in order.
        ctes = [("people AS (SELECT DISTINCT s.vkey FROM sessions s JOIN visitors v ON v.vkey = s.vkey"
                 f" WHERE v.is_bot = 0 AND s.start_ms >= ? AND s.start_ms < ?{scope.and_sql()})")]
        args: list[object] = [lo, hi, *scope.args]
        for index, step in enumerate(funnel.steps, start=1):
            after = "people pr ON pr.vkey = e.vkey" if index == 1 else \
                f"s{index - 1} pr ON pr.vkey = e.vkey AND e.ts >= pr.t"
            ctes.append(f"s{index} AS (SELECT e.vkey, MIN(e.ts) AS t FROM ({_events(step)}) e JOIN {after}"
                        " GROUP BY e.vkey)")
            args += [step.target, lo, hi]
        steps_range = range(1, len(funnel.steps) + 1)
        counts = [f"(SELECT COUNT(*) FROM s{i})" for i in steps_range]
        revenue = [f"(SELECT COALESCE(SUM(CASE WHEN pay.kind = 'refund' THEN -pay.amount ELSE pay.amount END), 0)"
                   f" FROM payments pay JOIN s{i} ON s{i}.vkey = pay.vkey WHERE pay.ts >= ? AND pay.ts < ?)"
                   for i in steps_range]
        args += [lo, hi] * len(funnel.steps)
        row = conn.execute(f"WITH {', '.join(ctes)} SELECT {', '.join(counts + revenue)}", args).fetchone()
    n = len(funnel.steps)
    visitors, money = row[:n], row[n:]
    steps = []
    for index, step in enumerate(funnel.steps):
        before = visitors[index - 1] if index else visitors[0]
        lost = before - visitors[index] if index else 0
        steps.append({**step.to_json(), "visitors": visitors[index],
                      "conversionRate": round(visitors[index] / before * 100, 2) if before else 0,
                      "dropOff": lost, "dropOffRate": round(lost / before * 100, 2) if before else 0,
                      "revenue": round(money[index], 2)})
    first, last = visitors[0], visitors[-1]
    return success({"funnelId": wanted, "name": funnel.name, "visitors": first, "completedVisitors": last,
                    "conversionRate": round(last / first * 100, 2) if first else 0, "steps": steps})

