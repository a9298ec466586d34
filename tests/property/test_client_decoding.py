"""Any body from the server is a model or a typed DataFastError, never another exception (issue 14).

Every read endpoint of the client gets the same body: arbitrary JSON, the docs' example
responses with parts replaced or removed, and raw text (deep nesting, numbers out of range,
JSON cut short). An exception of any other type escapes into a Textual worker and leaves the
screen at "loading…" for good (5,000 nested arrays once did: RecursionError).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from datafast_tui.api.catalogue import BREAKDOWN_ENDPOINTS
from datafast_tui.api.client import DataFastClient
from datafast_tui.api.errors import DataFastError
from datafast_tui.api.models import Breakdown, Overview, SiteMetadata, Timeseries
from datafast_tui.api.models_realtime import RealtimeCount, RealtimeMap
from datafast_tui.api.models_visitor import Visitor
from datafast_tui.api.responses import MAX_DEPTH
from tests.helpers import DOCS, Recorder, docs_example, make_client, ok

Call = Callable[[DataFastClient], Awaitable[Any]]

#: Every read endpoint, with the model it gives.
READS: list[tuple[str, Call, type]] = [
    ("metadata", lambda c: c.metadata(), SiteMetadata),
    ("overview", lambda c: c.overview(), Overview),
    ("timeseries", lambda c: c.timeseries(), Timeseries),
    ("realtime", lambda c: c.realtime(), RealtimeCount),
    ("realtime map", lambda c: c.realtime_map(), RealtimeMap),
    *[(endpoint, lambda c, endpoint=endpoint: c.breakdown(endpoint), Breakdown) for endpoint in BREAKDOWN_ENDPOINTS],
    ("visitor", lambda c: c.visitor("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"), Visitor),
]
#: The docs' example answers of the reads (the writes' examples are not read by these calls).
EXAMPLES = {path.stem: docs_example(path.stem) for path in sorted(DOCS.glob("*.json"))
            if not path.stem.startswith(("create_", "delete_"))}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


#: Field names the readers look for, so arbitrary objects often hit a real field.
KEYS = st.one_of(st.sampled_from(sorted(set().union(*(_keys(v) for v in EXAMPLES.values())))), st.text(max_size=8))
HOSTILE = st.sampled_from([
    "0000-01-01T00:00:00Z", "99999-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00",
    "9999-12-31T12:00:00Z", "2024-01-01T00:00:00Z", "2024-01-01", "", "success", "error", "[/bold]", "\x1b[2J",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),  # NaN and ±Infinity too: json.dumps writes them, as a broken server would
    st.text(max_size=20), HOSTILE,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=25,
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (the root too), as key and index paths."""
    out = [here]
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _paths(inner, (*here, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out += _paths(inner, (*here, i))
    return out


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    """A docs example with one to three of its places replaced, removed, wrapped or nested deep."""
    value = json.loads(json.dumps(EXAMPLES[draw(st.sampled_from(sorted(EXAMPLES)))]))
    deep: list[tuple[int, Any]] = []  # nesting too deep for json.dumps is written as text below
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(value)))
        if not path:
            value = draw(JSON_VALUES)
            continue
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        old = parent[path[-1]]
        how = draw(st.sampled_from(["replace", "remove", "wrap", "deep"]))
        if how == "remove" and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == "wrap":
            parent[path[-1]] = [old]
        elif how == "deep":
            parent[path[-1]] = f"@@deep{len(deep)}@@"
            deep.append((draw(st.sampled_from([MAX_DEPTH - 4, MAX_DEPTH, 2000])), old))
        else:
            parent[path[-1]] = draw(JSON_VALUES)
    text = json.dumps(value)
    for i in reversed(range(len(deep))):  # later ones may hold earlier ones' marks
        depth, old = deep[i]
        text = text.replace(f'"@@deep{i}@@"', "[" * depth + json.dumps(old) + "]" * depth)
    return text.encode()


def _dump(value: Any) -> bytes:
    return json.dumps(value).encode()


RAW_TEXT = st.one_of(
    st.integers(1, 6000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 6000).map(lambda depth: '{"status": "success", "data": ' + '{"a": ' * depth + "1" + "}" * depth + "}"),
    st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "9" * 400, "9" * 5000, "1.5", "0000-01-01"]).map(
        lambda n: '{"status": "success", "data": [{"visitors": N, "timestamp": "2024-01-01T00:00:00Z"}]}'.replace("N", n)),
    st.builds(lambda text, cut: text[:cut], st.sampled_from([json.dumps(v) for v in EXAMPLES.values()]),
              st.integers(0, 400)),  # cut short
    st.text(max_size=50),
).map(str.encode)

BODIES = st.one_of(
    JSON_VALUES.map(_dump),
    st.builds(lambda data, more: _dump({"status": "success", "data": data, **more}), JSON_VALUES,
              st.dictionaries(st.sampled_from(["pagination", "totals", "fields", "timezone", "status"]),
                              JSON_VALUES, max_size=3)),
    mutated_examples(),
    RAW_TEXT,
)
STATUSES = st.sampled_from([200, 200, 200, 200, 201, 204, 400, 404, 409, 500, 503])


def read_everything(body: bytes, status: int) -> None:
    """Every read endpoint answered with `body`: each gives its model or a DataFastError."""

    async def run() -> None:
        rec = Recorder(lambda r: httpx.Response(status, content=body, headers={"content-type": "application/json"}))
        async with make_client(rec) as client:
            for name, call, model in READS:
                try:
                    result = await call(client)
                except DataFastError as error:
                    str(error), repr(error)  # shown and logged: must not fail either
                else:
                    assert isinstance(result, model), name
                    repr(result)  # walks every value kept, the unknown fields too

    asyncio.run(run())


@given(body=BODIES, status=STATUSES)
def test_any_body_gives_a_model_or_a_typed_error(body: bytes, status: int) -> None:
    read_everything(body, status)


@given(body=mutated_examples())
def test_docs_examples_with_parts_changed_give_a_model_or_a_typed_error(body: bytes) -> None:
    read_everything(body, 200)


def test_the_docs_examples_themselves_are_read() -> None:
    # The generator's starting points are good answers: the property is not vacuous.
    async def run() -> None:
        for name, call, model in READS:
            example = {"metadata": "metadata", "overview": "overview", "timeseries": "timeseries",
                       "realtime": "realtime", "realtime map": "realtime_map", "visitor": "visitor"}.get(name, name)
            rec = Recorder(lambda r, example=example: ok(EXAMPLES[example]))
            async with make_client(rec) as client:
                assert isinstance(await call(client), model), name

    asyncio.run(run())
