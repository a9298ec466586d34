"""Funnels: the site's saved funnels (`GET admin/websites/{id}/funnels`) and one funnel's step
analytics (`GET analytics/funnels/{funnelId}`), as today's pages describe them.

The list's fields are on the pages (`_id`, `name`, `slug`, `steps: [{id, name, type, url |
goalName}]`, `isActive`). The analytics answer is described only in words ("visitors per
step, drop-off, revenue, and overall conversion rate"), so its reader takes the names
those words suggest and the usual alternatives (`visitors`/`count`/`users`, `conversionRate`
/`conversion_rate`, `dropOff`/`dropoff`, `data` as the report or `{funnel, steps}`), and works
out what is missing (a step's conversion and drop-off from the visitor counts) rather than
fail on a name it did not foresee. Percentages are 0–100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from datafast_tui.api import parsing as p
from datafast_tui.api.errors import QueryError

#: What a funnel id may look like before it is put in a path (ObjectIds are 24 hex digits).
FUNNEL_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def funnel_id_problem(text: str) -> str | None:
    """Why `text` is not a funnel id (None when it may be one)."""
    value = text.strip()
    if not value:
        return "a funnel id is empty"
    if not FUNNEL_ID.fullmatch(value):
        return "a funnel id is letters, digits, - and _ (up to 64), like 665f0b3c4d2e1a0012345678"
    return None


def check_funnel_id(text: str) -> str:
    problem = funnel_id_problem(text)
    if problem is not None:
        raise QueryError(problem)
    return text.strip()


def _first_number(obj: p.JsonObject, keys: tuple[str, ...], path: str) -> float | None:
    for key in keys:
        if obj.get(key) is not None:
            return p.opt_number(obj, key, path)
    return None


@dataclass(frozen=True)
class StepDefinition:
    name: str
    type: str  # "pageview" or "goal" (or whatever else the API says)
    target: str  # the page's url, or the goal's name

    @property
    def describe(self) -> str:
        return f"page {self.target}" if self.type == "pageview" else f"goal {self.target}"

    @classmethod
    def from_json(cls, raw: Any, path: str) -> StepDefinition:
        obj = p.as_object(raw, path)
        kind = p.opt_str(obj, "type", path) or ("goal" if obj.get("goalName") else "pageview")
        target = p.opt_str(obj, "url", path) or p.opt_str(obj, "goalName", path) or p.opt_str(obj, "goal", path) or ""
        return cls(name=p.opt_str(obj, "name", path) or target, type=kind, target=target)


@dataclass(frozen=True)
class FunnelDefinition:
    id: str
    name: str
    steps: tuple[StepDefinition, ...]

    @classmethod
    def from_json(cls, raw: Any, path: str) -> FunnelDefinition:
        obj = p.as_object(raw, path)
        ident = p.opt_str(obj, "_id", path) or p.str_or_empty(obj, "id", path)
        if not ident:
            raise p.fail(f"{path}._id", "a funnel id", obj.get("_id"))
        steps = p.as_list(obj.get("steps") or [], f"{path}.steps")
        return cls(id=ident, name=p.opt_str(obj, "name", path) or ident,
                   steps=tuple(StepDefinition.from_json(s, f"{path}.steps[{i}]") for i, s in enumerate(steps)))

    @classmethod
    def list_from_json(cls, data: Any) -> tuple[FunnelDefinition, ...]:
        items = p.as_list(data or [], "data")
        listed = []
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("isActive") is False:
                continue  # soft-deleted: the pages say the list leaves them out; be sure
            listed.append(cls.from_json(item, f"data[{i}]"))
        return tuple(listed)


@dataclass(frozen=True)
class FunnelStep:
    name: str
    type: str
    target: str
    visitors: int
    conversion_rate: float  # from the step before (the first step: 100)
    drop_off: int  # visitors lost since the step before
    drop_off_rate: float
    revenue: float | None

    @property
    def definition(self) -> StepDefinition:
        return StepDefinition(self.name, self.type, self.target)


@dataclass(frozen=True)
class FunnelReport:
    name: str
    steps: tuple[FunnelStep, ...]
    conversion_rate: float  # the last step's visitors over the first's

    @property
    def entered(self) -> int:
        return self.steps[0].visitors if self.steps else 0

    @property
    def completed(self) -> int:
        return self.steps[-1].visitors if self.steps else 0

    @classmethod
    def from_json(cls, data: Any) -> FunnelReport:
        obj = p.as_object(data[0] if isinstance(data, list) and data else data, "data")
        funnel = obj.get("funnel")
        name = p.opt_str(obj, "name", "data")
        if name is None and isinstance(funnel, dict):
            name = p.opt_str(funnel, "name", "data.funnel")
        raw_steps = p.as_list(obj.get("steps") or [], "data.steps")
        steps: list[FunnelStep] = []
        for i, raw in enumerate(raw_steps):
            where = f"data.steps[{i}]"
            step = p.as_object(raw, where)
            definition = StepDefinition.from_json(step, where)
            count = _first_number(step, ("visitors", "count", "users", "uniqueVisitors"), where)
            if count is None:
                raise p.fail(f"{where}.visitors", "a number of visitors", step.get("visitors"))
            visitors = int(count)
            before = steps[-1].visitors if steps else visitors
            rate = _first_number(step, ("conversionRate", "conversion_rate", "stepConversionRate"), where)
            drop = _first_number(step, ("dropOff", "dropoff", "drop_off", "dropOffCount"), where)
            drop_rate = _first_number(step, ("dropOffRate", "dropoffRate", "drop_off_rate"), where)
            lost = int(drop) if drop is not None else max(0, before - visitors)
            steps.append(FunnelStep(
                name=definition.name, type=definition.type, target=definition.target, visitors=visitors,
                conversion_rate=rate if rate is not None else (visitors / before * 100 if before else 0.0),
                drop_off=lost,
                drop_off_rate=drop_rate if drop_rate is not None else (lost / before * 100 if before else 0.0),
                revenue=_first_number(step, ("revenue",), where),
            ))
        overall = _first_number(obj, ("conversionRate", "overallConversionRate", "conversion_rate"), "data")
        if overall is None:
            overall = steps[-1].visitors / steps[0].visitors * 100 if steps and steps[0].visitors else 0.0
        return cls(name=name or "", steps=tuple(steps), conversion_rate=overall)
