"""Models of the Account API (`/api/v1/admin`), which account tokens (`dft_…`) reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from datafast_tui.api import parsing as p


@dataclass(frozen=True)
class Website:
    """One website of the account: `GET admin/websites` (its `_id` is the `websiteId`)."""

    id: str
    domain: str
    name: str | None
    timezone: str | None
    currency: str | None
    role: str | None  # the caller's: owner, member or viewer

    @property
    def label(self) -> str:
        """"Example (example.com)", or the domain alone."""
        return f"{self.name} ({self.domain})" if self.name and self.name != self.domain else self.domain

    @classmethod
    def from_json(cls, raw: Any, path: str) -> Website:
        obj = p.as_object(raw, path)
        # Today's examples disagree on the id's key: `_id` (most) or `id` (older account pages).
        website_id = p.opt_str(obj, "_id", path) or p.str_or_empty(obj, "id", path)
        if not website_id:
            raise p.fail(f"{path}._id", "a website id", obj.get("_id"))
        return cls(
            id=website_id,
            domain=p.str_or_empty(obj, "domain", path),
            name=p.opt_str(obj, "name", path),
            timezone=p.opt_str(obj, "timezone", path),
            currency=p.opt_str(obj, "currency", path),
            role=p.opt_str(obj, "role", path),
        )

    @classmethod
    def list_from_json(cls, data: Any) -> tuple[Website, ...]:
        return tuple(cls.from_json(item, f"data[{i}]") for i, item in enumerate(p.as_list(data or [], "data")))
