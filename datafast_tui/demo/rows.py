"""Turn visitor and session drafts into rows of the store's tables (see schema.py)."""

from __future__ import annotations

from datafast_tui.demo.audience import CAMPAIGN_KEYS
from datafast_tui.demo.site import PAGES
from datafast_tui.demo.traffic import SessionDraft, Source, VisitorDraft

BOT_PREDICTION = (0, 0.0, 0.0, 0.0)


def visitor_row(v: VisitorDraft, pred: tuple[int, float, float, float]) -> tuple:
    """A `visitors` row; `pred` is (score, rate, expected value, confidence)."""
    name, email, customer_id = v.customer or (None, None, None)
    return (
        v.vkey,
        v.visitor_id,
        int(v.is_bot),
        v.city.country_code,
        v.city.region_code,
        v.city.name,
        v.city.latitude,
        v.city.longitude,
        v.platform.device,
        v.vendor,
        v.model,
        v.browser,
        v.browser_version,
        v.platform.os,
        v.os_version,
        v.viewport[0],
        v.viewport[1],
        *pred,
        name,
        email,
        customer_id,
    )


def source_columns(source: Source) -> tuple:
    """A session's source columns: referrer, its domain, the campaign parameters and `has_campaign`."""
    found = _SOURCE_COLUMNS.get(source)
    if found is None:  # sources are a small fixed set (traffic.py): each is worked out once
        r, p = source.referrer, source.params
        found = (r.name, r.domain, *(p[key] for key in CAMPAIGN_KEYS), int(any(p.values())))
        _SOURCE_COLUMNS[source] = found
    return found


_SOURCE_COLUMNS: dict[Source, tuple] = {}


def session_row(s: SessionDraft, pageviews: int | None = None, end_ms: int | None = None) -> tuple:
    """A `sessions` row; live traffic passes the pageview count and end seen so far."""
    v, city, platform, first = s.visitor, s.visitor.city, s.visitor.platform, s.pageviews[0]
    return (
        s.skey,
        v.vkey,
        s.visit_number,
        first[0],
        s.end_ms if end_ms is None else end_ms,
        len(s.pageviews) if pageviews is None else pageviews,
        first[1],
        city.country_code,
        city.region_code,
        city.name,
        platform.device,
        v.browser,
        platform.os,
        *source_columns(s.source),
    )


HOST_OF_PAGE: tuple[int, ...] = tuple(p.host_id for p in PAGES)


def pageview_row(s: SessionDraft, ts: int, page_id: int) -> tuple:
    return (s.skey, s.visitor.vkey, ts, page_id, HOST_OF_PAGE[page_id])


def goal_row(s: SessionDraft, goal: tuple[int, str, str | None, int]) -> tuple:
    ts, name, metadata, is_server = goal
    return (s.skey, s.visitor.vkey, ts, name, metadata, is_server)


def payment_row(txid: str, v: VisitorDraft, skey: int | None, ts: int, amount: float, kind: str) -> tuple:
    name, email, customer_id = v.customer or (None, None, None)
    return (txid, v.vkey, skey, ts, amount, "USD", kind, email, name, customer_id)


def truncate_session(s: SessionDraft, until_ms: int) -> None:
    """Drop what happens at or after `until_ms` (the end of the generated history)."""
    if s.end_ms < until_ms and (not s.goals or all(g[0] < until_ms for g in s.goals)):
        return  # the usual case, nothing to drop: pageviews and the purchase all come by end_ms
    s.pageviews = [pv for pv in s.pageviews if pv[0] < until_ms]
    s.goals = [g for g in s.goals if g[0] < until_ms]
    if s.purchase and s.purchase[0] >= until_ms:
        s.purchase = None
    s.end_ms = min(s.end_ms, until_ms - 1)


# Compact rows: how the normal history is bulk loaded (generate.py). Binding a parameter holds
# the GIL; an int costs little, a text about three times as much (SQLite copies it) and a None
# ten times (the sqlite3 module looks for an adapter). So the values a visitor, session or goal
# shares with thousands of others (city, user agent, traffic source, goal name and metadata)
# go in as the number of a row of a small lookup table (numbered as first seen), the few
# customers as rows keyed by the visitor, and SQL joins them back (a customer-less visitor's
# LEFT JOIN gives the NULLs). Every value is the one visitor_row, session_row or goal_row
# gives, column for column.
LOOKUP_TABLES: dict[str, tuple[str, ...]] = {
    "cities": ("country", "region", "city", "latitude", "longitude"),
    "agents": ("device", "device_vendor", "device_model", "browser", "browser_version", "os", "os_version"),
    "sources": ("referrer", "referrer_domain", *CAMPAIGN_KEYS, "has_campaign"),
    "goal_kinds": ("name", "metadata"),
    "customers": ("customer_name", "customer_email", "customer_id"),  # id: the visitor's vkey
}
_VISITOR_COLUMNS = (
    "vkey, visitor_id, is_bot, country, region, city, latitude, longitude, device, device_vendor, device_model,"
    " browser, browser_version, os, os_version, viewport_width, viewport_height, pred_score, pred_rate, pred_value,"
    " pred_confidence, customer_name, customer_email, customer_id"
)
#: A visitors INSERT for compact rows (vkey, visitor_id, is_bot, city, agent, viewport width and height,
#: the four prediction values); `{values}`: that many `(?, ...)`.
COMPACT_VISITOR_INSERT = (
    f"INSERT INTO visitors ({_VISITOR_COLUMNS})"
    " SELECT b.column1, b.column2, b.column3, c.country, c.region, c.city, c.latitude, c.longitude, a.device,"
    " a.device_vendor, a.device_model, a.browser, a.browser_version, a.os, a.os_version, b.column6, b.column7,"
    " b.column8, b.column9, b.column10, b.column11, cu.customer_name, cu.customer_email, cu.customer_id"
    " FROM (VALUES {values}) AS b"
    " CROSS JOIN lookup.cities AS c ON c.id = b.column4 CROSS JOIN lookup.agents AS a ON a.id = b.column5"
    " LEFT JOIN lookup.customers AS cu ON cu.id = b.column1"
)
_SESSION_COLUMNS = (
    "skey, vkey, visit_number, start_ms, end_ms, pageviews, entry_page, country, region, city, device, browser, os,"
    f" referrer, referrer_domain, {', '.join(CAMPAIGN_KEYS)}, has_campaign"
)
#: A sessions INSERT for compact rows (the first seven columns, then city, agent and source).
COMPACT_SESSION_INSERT = (
    f"INSERT INTO sessions ({_SESSION_COLUMNS})"
    " SELECT b.column1, b.column2, b.column3, b.column4, b.column5, b.column6, b.column7, c.country, c.region,"
    f" c.city, a.device, a.browser, a.os, s.referrer, s.referrer_domain, {', '.join(f's.{k}' for k in CAMPAIGN_KEYS)},"
    " s.has_campaign FROM (VALUES {values}) AS b CROSS JOIN lookup.cities AS c ON c.id = b.column8"
    " CROSS JOIN lookup.agents AS a ON a.id = b.column9 CROSS JOIN lookup.sources AS s ON s.id = b.column10"
)
#: A goals INSERT for compact rows (gid, skey, vkey, ts, goal kind, is_server). The gid is given (it
#: is the number goal rows get in time order anyway) so that the rows' order in the statement is moot.
COMPACT_GOAL_INSERT = (
    "INSERT INTO goals (gid, skey, vkey, ts, name, metadata, is_server)"
    " SELECT b.column1, b.column2, b.column3, b.column4, k.name, k.metadata, b.column6"
    " FROM (VALUES {values}) AS b CROSS JOIN lookup.goal_kinds AS k ON k.id = b.column5"
)
#: Values per row of each compact INSERT.
COMPACT_WIDTHS = {COMPACT_VISITOR_INSERT: 11, COMPACT_SESSION_INSERT: 10, COMPACT_GOAL_INSERT: 6}


def create_lookup_tables(conn, schema_name: str = "lookup") -> None:  # noqa: ANN001 - a sqlite3.Connection
    """The lookup tables, in an attached database (they are no part of the store). Untyped columns keep values as bound."""
    for table, columns in LOOKUP_TABLES.items():
        conn.execute(f"CREATE TABLE {schema_name}.{table} (id INTEGER PRIMARY KEY, {', '.join(columns)})")


class CompactRows:
    """Compact rows of one generation, and the lookup rows they use that were not handed over yet (`take_new`)."""

    def __init__(self) -> None:
        self._cities: dict[int, int] = {}  # id(City) -> number; the City is kept in _kept, so its id stays its own
        self._kept: list[object] = []
        self._agents: dict[tuple, int] = {}
        self._sources: dict[Source, int] = {}  # Source hashes by identity
        self._goal_kinds: dict[tuple[str, str | None], int] = {}
        self._new: dict[str, list[tuple]] = {table: [] for table in LOOKUP_TABLES}
        self._last: tuple[VisitorDraft | None, tuple[int, int]] = (None, (0, 0))

    def take_new(self) -> dict[str, list[tuple]]:
        """Lookup rows (number first) made since the last call: they must be stored before the rows using them."""
        new, self._new = self._new, {table: [] for table in LOOKUP_TABLES}
        return new

    def visitor_keys(self, v: VisitorDraft) -> tuple[int, int]:
        """The numbers of the visitor's city and user agent."""
        last, keys = self._last
        if v is last:  # a visitor's sessions and row come one after the other
            return keys
        c, p = v.city, v.platform
        city = self._cities.get(id(c))
        if city is None:
            city = self._cities[id(c)] = len(self._kept)
            self._kept.append(c)
            self._new["cities"].append((city, c.country_code, c.region_code, c.name, c.latitude, c.longitude))
        agent_key = (p.device, v.vendor, v.model, v.browser, v.browser_version, p.os, v.os_version)
        agent = self._agents.get(agent_key)
        if agent is None:
            agent = self._agents[agent_key] = len(self._agents)
            self._new["agents"].append((agent, *agent_key))
        self._last = (v, (city, agent))
        return city, agent

    def visitor_row(self, v: VisitorDraft, pred: tuple[int, float, float, float]) -> tuple:
        """visitor_row's row, compact (see COMPACT_VISITOR_INSERT)."""
        if v.customer is not None:
            self._new["customers"].append((v.vkey, *v.customer))
        return (v.vkey, v.visitor_id, int(v.is_bot), *self.visitor_keys(v), *v.viewport, *pred)

    def session_row(self, s: SessionDraft, keys: tuple[int, int]) -> tuple:
        """session_row's row, compact (see COMPACT_SESSION_INSERT); `keys` are the visitor's."""
        source = self._sources.get(s.source)
        if source is None:
            source = self._sources[s.source] = len(self._sources)
            self._new["sources"].append((source, *source_columns(s.source)))
        first = s.pageviews[0]
        return (s.skey, s.visitor.vkey, s.visit_number, first[0], s.end_ms, len(s.pageviews), first[1], *keys, source)

    def goal_row(self, skey: int, vkey: int, goal: tuple[int, str, str | None, int]) -> tuple:
        """goal_row's row, compact but for its gid (see COMPACT_GOAL_INSERT): skey, vkey, ts, kind, is_server."""
        ts, name, metadata, is_server = goal
        kind = self._goal_kinds.get((name, metadata))
        if kind is None:
            kind = self._goal_kinds[(name, metadata)] = len(self._goal_kinds)
            self._new["goal_kinds"].append((kind, name, metadata))
        return (skey, vkey, ts, kind, is_server)
