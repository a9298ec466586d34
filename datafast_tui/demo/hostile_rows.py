"""How generated rows reach the store: as they are (`PlainRows`) or laced with hostile strings.

The generator and live traffic pass every row through one of these just before inserting
it. `HostileRows` replaces a share of the values of every text column with strings from
hostile.py, deterministically from the seed and the row's keys. A visitor's attributes
(city, device, browser, OS, customer name...) are keyed by the visitor, so they are the
same in the visitor's row, in each of their sessions and in their payments, however and
whenever those rows are made (history or live traffic). The rest is keyed by session or
by event. Numbers, ids, timestamps, country and region codes are never touched, so every
count the API computes stays right and flags still resolve.

Shares are small enough that most rows stay normal and the dataset stays usable, large
enough that every field of every endpoint meets hostile values (rarer things, like
customers, get a larger share).
"""

from __future__ import annotations

import json

from datafast_tui.demo import schema
from datafast_tui.demo.audience import CAMPAIGN_KEYS
from datafast_tui.demo.hostile import (
    CATEGORIES,
    STRINGS,
    TEXTS,
    pair_key,
    pick,
    pick_index,
    salt,
    text_or_empty,
)
from datafast_tui.demo.site import HOSTNAMES, PAGES


def _columns(insert_sql: str) -> dict[str, int]:
    """Column name -> position in the rows an `INSERT INTO t (a, b, ...)` statement takes."""
    names = insert_sql[insert_sql.index("(") + 1 : insert_sql.index(")")].split(",")
    return {name.strip(): i for i, name in enumerate(names)}


V = _columns(schema.VISITOR_INSERT)
S = _columns(schema.SESSION_INSERT)
G = _columns(schema.GOAL_INSERT)
P = _columns(schema.PAYMENT_INSERT)

VISITOR_SHARE = 0.08  # each of a visitor's attributes
CUSTOMER_SHARE = 0.4  # customers are few: more of them, so realtime and payments show some
REFERRER_SHARE = 0.08
CAMPAIGN_SET_SHARE = 0.25  # a campaign parameter the session has
CAMPAIGN_ADD_SHARE = 0.04  # sessions that get one more parameter (then they count as a campaign's)
PAGE_SHARE = 0.06  # pageviews moved to a hostile page
GOAL_NAME_SHARE = 0.06
GOAL_METADATA_SHARE = 0.3  # goals with metadata: every value replaced
GOAL_METADATA_ADD_SHARE = 0.03  # goals without: a `note` added

SHARED_TEXT = ("city", "device", "browser", "os")  # not null; in visitors and sessions alike
OPTIONAL_TEXT = ("device_vendor", "device_model", "browser_version", "os_version")  # may become null
CUSTOMER_TEXT = ("customer_name", "customer_email", "customer_id")
PAYMENT_CUSTOMER = {"name": "customer_name", "email": "customer_email", "customer_id": "customer_id"}


class PlainRows:
    """Rows stored as generated: the normal dataset."""

    hostile = False

    def pages(self) -> list[tuple[int, int, str, str]]:
        """Rows of the `pages` table: (page_id, host_id, hostname, path)."""
        return [(p.page_id, p.host_id, p.hostname, p.path) for p in PAGES]

    def visitor(self, row: tuple) -> tuple:
        return row

    def session(self, row: tuple) -> tuple:
        return row

    def pageview(self, row: tuple) -> tuple:
        return row

    def goal(self, row: tuple) -> tuple:
        return row

    def payment(self, row: tuple) -> tuple:
        return row

    def customer(self, vkey: int, customer: tuple) -> tuple:
        """A customer's (name, email, customer id) as stored for visitor `vkey`."""
        return customer


def hostile_hostnames() -> tuple[str, ...]:
    """Extra hostnames: one string of each category that can be a (non-null) hostname."""
    return tuple(strings[0] for strings in CATEGORIES.values() if strings[0] is not None)


def hostile_pages() -> list[tuple[int, int, str, str]]:
    """Extra pages, one per hostile text, every other one on a hostile hostname."""
    hosts = hostile_hostnames()
    rows = []
    for i, path in enumerate(TEXTS):
        if i % 2 == 0:
            host_id = (i // 2) % len(HOSTNAMES)
            hostname = HOSTNAMES[host_id]
        else:
            j = (i // 2) % len(hosts)
            host_id, hostname = len(HOSTNAMES) + j, hosts[j]
        rows.append((len(PAGES) + i, host_id, hostname, path))
    return rows


class HostileRows(PlainRows):
    """Rows with hostile strings in a share of every text column (see the module docstring)."""

    hostile = True

    def __init__(self, seed: int) -> None:
        fields = (*SHARED_TEXT, *OPTIONAL_TEXT, *CUSTOMER_TEXT, *CAMPAIGN_KEYS)
        extra = ("referrer", "campaign_add", "page", "goal", "goal_metadata")
        self._salt = {f: salt(seed, f) for f in (*fields, *extra)}
        self._pages = hostile_pages()
        self._shared: dict[int, tuple[tuple[str, str], ...]] = {}  # vkey -> its hostile SHARED_TEXT values

    def pages(self) -> list[tuple[int, int, str, str]]:
        return super().pages() + self._pages

    def _swap(self, out: list, columns: dict[str, int], field: str, key: int, share: float, nullable: bool) -> None:
        hit, value = pick(self._salt[field], key, share)
        if hit:
            out[columns[field]] = value if nullable else text_or_empty(value)

    def _shared_text(self, vkey: int) -> tuple[tuple[str, str], ...]:
        """(column, hostile value) for the visitor's SHARED_TEXT columns that turn hostile."""
        found = self._shared.get(vkey)
        if found is None:  # memoised: the visitor row and each of their sessions ask
            picks = ((field, pick(self._salt[field], vkey, VISITOR_SHARE)) for field in SHARED_TEXT)
            found = tuple((field, text_or_empty(value)) for field, (hit, value) in picks if hit) or ()
            self._shared[vkey] = found
        return found

    def visitor(self, row: tuple) -> tuple:
        out, vkey = list(row), row[V["vkey"]]
        for field, value in self._shared_text(vkey):
            out[V[field]] = value
        for field in OPTIONAL_TEXT:
            self._swap(out, V, field, vkey, VISITOR_SHARE, nullable=True)
        for field in CUSTOMER_TEXT:
            if row[V[field]] is not None:  # only customers have these
                self._swap(out, V, field, vkey, CUSTOMER_SHARE, nullable=True)
        return tuple(out)

    def customer(self, vkey: int, customer: tuple) -> tuple:
        out = list(customer)
        for i, field in enumerate(CUSTOMER_TEXT):
            if customer[i] is not None:
                hit, value = pick(self._salt[field], vkey, CUSTOMER_SHARE)
                out[i] = value if hit else customer[i]
        return tuple(out)

    def _page(self, skey: int, ts: int, page_id: int, host_id: int) -> tuple[int, int]:
        index = pick_index(self._salt["page"], pair_key(skey, ts), PAGE_SHARE, len(self._pages))
        return (page_id, host_id) if index is None else self._pages[index][:2]

    def session(self, row: tuple) -> tuple:
        out, vkey, skey = list(row), row[S["vkey"]], row[S["skey"]]
        for field, value in self._shared_text(vkey):  # the visitor's values, as in their row
            out[S[field]] = value
        hit, value = pick(self._salt["referrer"], skey, REFERRER_SHARE)
        if hit:
            out[S["referrer"]] = out[S["referrer_domain"]] = text_or_empty(value)
        if row[S["has_campaign"]]:
            for field in CAMPAIGN_KEYS:
                if row[S[field]]:
                    self._swap(out, S, field, skey, CAMPAIGN_SET_SHARE, nullable=False)
        added = pick_index(self._salt["campaign_add"], skey, CAMPAIGN_ADD_SHARE, len(CAMPAIGN_KEYS))
        if added is not None and not row[S[CAMPAIGN_KEYS[added]]]:
            self._swap(out, S, CAMPAIGN_KEYS[added], skey, 1.0, nullable=False)
        out[S["has_campaign"]] = int(any(out[S[field]] for field in CAMPAIGN_KEYS))
        # The entry page is the first pageview's page: move it exactly as that pageview moves.
        out[S["entry_page"]] = self._page(skey, row[S["start_ms"]], row[S["entry_page"]], -1)[0]
        return tuple(out)

    def pageview(self, row: tuple) -> tuple:
        skey, vkey, ts, page_id, host_id = row
        return (skey, vkey, ts, *self._page(skey, ts, page_id, host_id))

    def goal(self, row: tuple) -> tuple:
        out = list(row)
        key = pair_key(row[G["skey"]], row[G["ts"]])
        hit, value = pick(self._salt["goal"], key, GOAL_NAME_SHARE)
        if hit:
            out[G["name"]] = text_or_empty(value)
        out[G["metadata"]] = self._metadata(key, row[G["metadata"]])
        return tuple(out)

    def _metadata(self, key: int, metadata: str | None) -> str | None:
        share = GOAL_METADATA_SHARE if metadata else GOAL_METADATA_ADD_SHARE
        start = pick_index(self._salt["goal_metadata"], key, share, len(STRINGS))
        if start is None:
            return metadata
        names = list(json.loads(metadata)) if metadata else ["note"]
        # Metadata values are strings in the API (POST refuses others): null becomes "".
        return json.dumps({name: text_or_empty(STRINGS[(start + i) % len(STRINGS)]) for i, name in enumerate(names)})

    def payment(self, row: tuple) -> tuple:
        vkey = row[P["vkey"]]
        if vkey is None:
            return row
        out = list(row)
        for column, field in PAYMENT_CUSTOMER.items():
            if row[P[column]] is not None:  # the customer's values, as in their visitor row
                hit, value = pick(self._salt[field], vkey, CUSTOMER_SHARE)
                if hit:
                    out[P[column]] = value
        return tuple(out)


def rows_for(seed: int, hostile: bool) -> PlainRows:
    """The row transform of a dataset."""
    return HostileRows(seed) if hostile else PlainRows()
