"""What a DataFast visitor id looks like, checked before a request is sent.

Visitor ids are the UUIDs of the `datafast_visitor_id` cookie; the API answers 400 to
anything else ("must be a UUID v4"), so the client says so before spending a request.
"""

from __future__ import annotations

import re

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
EXAMPLE = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"
#: Longer than any id: the message quotes no more of a paste than this.
_QUOTED = 40


def visitor_id_problem(visitor_id: str) -> str | None:
    """Why `visitor_id` (already stripped) cannot be a visitor id, or None."""
    if not visitor_id:
        return "the visitor id is empty"
    if _UUID.match(visitor_id):
        return None
    shown = visitor_id if len(visitor_id) <= _QUOTED else f"{visitor_id[:_QUOTED]}… ({len(visitor_id)} characters)"
    printable = "".join(ch if ch.isprintable() else "?" for ch in shown)
    return f"visitor ids are UUIDs like {EXAMPLE}; {printable!r} is not one"
