"""Fault injection for the demo API: which requests fail, and how (the plan; see fault_middleware.py).

A `FaultPlan` decides, for every request under `/api/v1/`, whether it fails and with which
kind of fault. It is mutable on purpose: a test (or a soak run) can turn faults off mid-run
with `plan.rate = 0` and watch the client recover. The draws come from the plan's own
seeded RNG and every request consumes the same three numbers whether or not it is hit, so
the fault of the n-th request depends only on the seed and n (and on the rate and weights
at that moment), never on what earlier requests were.

The kinds, and when they strike relative to the endpoint's handler:

BEFORE the handler runs (the request is NOT processed; a write stores nothing):

- `server_error`: 500 in the error envelope.
- `rate_limited`: 429 in the error envelope with `Retry-After: 2` and
  `X-RateLimit-Reset: <epoch seconds about 2 s ahead>` (plus `X-RateLimit-Limit/Remaining`).
- `connection_reset`: the connection breaks. In-process the builtin `ConnectionResetError`
  propagates out of the ASGI app (httpx's ASGITransport re-raises it to the caller, as a
  socket would); under uvicorn the response declares a `Content-Length` larger than the
  bytes sent and the connection is closed, so an httpx client sees a transport error
  (`httpx.RemoteProtocolError`).
- `slow`: waits `slow_seconds` (default 15 s, past the client's 10 s timeout), then
  answers normally. If the client gives up during the wait (in-process: the request task
  is cancelled; over HTTP: the connection is closed) the handler never runs.

AFTER the handler ran (the request WAS processed, the answer is corrupted on the way back):

- `truncated_json`: the real answer's status and headers, its body cut in half
  (`Content-Length` adjusted, content type still `application/json`).
- `invalid_json`: 200 `application/json` whose body is not JSON (an unterminated
  `{"status": "success", "data": [`, an HTML page, an empty body or non-UTF-8 bytes).
- `wrong_content_type`: 200 `text/html` with a proxy's HTML error page.

So a POST or DELETE hit by an "after" fault has been stored although the client sees a
failure, as happens with a real API behind a flaky link. A client that never retries
writes therefore never creates duplicates; one that retries them would.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

SERVER_ERROR = "server_error"
RATE_LIMITED = "rate_limited"
SLOW = "slow"
TRUNCATED_JSON = "truncated_json"
INVALID_JSON = "invalid_json"
WRONG_CONTENT_TYPE = "wrong_content_type"
CONNECTION_RESET = "connection_reset"

# Every kind, in a fixed order (the weighted pick walks this order, so it must not change).
FAULT_KINDS: tuple[str, ...] = (
    SERVER_ERROR,
    RATE_LIMITED,
    SLOW,
    TRUNCATED_JSON,
    INVALID_JSON,
    WRONG_CONTENT_TYPE,
    CONNECTION_RESET,
)
BEFORE_HANDLER = frozenset({SERVER_ERROR, RATE_LIMITED, SLOW, CONNECTION_RESET})
AFTER_HANDLER = frozenset({TRUNCATED_JSON, INVALID_JSON, WRONG_CONTENT_TYPE})
DEFAULT_SLOW_SECONDS = 15.0
#: What a `rate_limited` answer asks for; tests that only need the kind to strike ask for less.
DEFAULT_RETRY_AFTER_SECONDS = 2
INVALID_BODY_VARIANTS = 4  # how many different non-JSON bodies `invalid_json` cycles through


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault: its kind and, for kinds with several bodies, which one."""

    kind: str
    variant: int = 0


class FaultPlan:
    """How often and how the demo API fails; counts what it injected.

    `rate` is the probability (0..1) that a request under `/api/v1/` fails; `weights` the
    relative odds of each kind (missing kinds weigh 0; default: all kinds equally);
    `slow_seconds` how long a `slow` fault waits, `retry_after_seconds` the wait a
    `rate_limited` answer asks for. `injected` counts the faults per kind and
    `requests` the requests the plan saw. All of them may be changed at any time.

    Meant for one event loop (an app in-process, or one uvicorn server): `draw()` never
    awaits, so concurrent requests on that loop cannot interleave inside it.
    """

    def __init__(
        self,
        rate: float = 0.0,
        *,
        seed: int = 0,
        weights: dict[str, float] | None = None,
        slow_seconds: float = DEFAULT_SLOW_SECONDS,
        retry_after_seconds: int = DEFAULT_RETRY_AFTER_SECONDS,
    ) -> None:
        self.rate = rate
        self.seed = seed
        self.weights = dict.fromkeys(FAULT_KINDS, 1.0) if weights is None else weights
        self.slow_seconds = slow_seconds
        self.retry_after_seconds = retry_after_seconds
        self.injected: Counter[str] = Counter()
        self.requests = 0
        self._rng = random.Random(f"faults:{seed}")

    @classmethod
    def only(
        cls, *kinds: str, rate: float = 1.0, seed: int = 0, slow_seconds: float = DEFAULT_SLOW_SECONDS
    ) -> FaultPlan:
        """A plan injecting just `kinds` (equally likely), e.g. `FaultPlan.only("slow", rate=0.2)`."""
        return cls(rate, seed=seed, weights=dict.fromkeys(kinds, 1.0), slow_seconds=slow_seconds)

    @property
    def rate(self) -> float:
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {value}")
        self._rate = float(value)

    @property
    def weights(self) -> dict[str, float]:
        return self._weights

    @weights.setter
    def weights(self, value: dict[str, float]) -> None:
        unknown = set(value) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(FAULT_KINDS)}")
        if any(w < 0 for w in value.values()) or not any(w > 0 for w in value.values()):
            raise ValueError("fault weights must be >= 0 with at least one above 0")
        self._weights = dict(value)

    @property
    def total_injected(self) -> int:
        return sum(self.injected.values())

    def draw(self) -> Fault | None:
        """The fault for the next request (None: serve it normally), counted in `injected`."""
        self.requests += 1
        # Always three draws, so request n's fate does not depend on earlier rates or kinds.
        hit, which, variant = self._rng.random(), self._rng.random(), self._rng.random()
        if hit >= self._rate:
            return None
        kind = _weighted(self._weights, which)
        self.injected[kind] += 1
        return Fault(kind, int(variant * INVALID_BODY_VARIANTS))

    def reset(self) -> None:
        """Start the draws over from the seed and zero the counters."""
        self._rng = random.Random(f"faults:{self.seed}")
        self.injected.clear()
        self.requests = 0

    def __repr__(self) -> str:
        return (
            f"FaultPlan(rate={self._rate}, seed={self.seed}, weights={self._weights}, "
            f"slow_seconds={self.slow_seconds}, injected={dict(self.injected)})"
        )


def _weighted(weights: dict[str, float], unit: float) -> str:
    """The kind whose share of the total weight contains `unit` (0 <= unit < 1)."""
    kinds = [k for k in FAULT_KINDS if weights.get(k, 0.0) > 0]
    total = sum(weights[k] for k in kinds)
    point, running = unit * total, 0.0
    for kind in kinds:
        running += weights[kind]
        if point < running:
            return kind
    return kinds[-1]  # float rounding at the very top


def parse_kinds(text: str) -> list[str]:
    """`"slow,rate_limited"` as a validated list of kinds (for the serve-demo flag)."""
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in FAULT_KINDS]
    if unknown or not kinds:
        raise ValueError(f"unknown fault kinds {unknown}; known: {', '.join(FAULT_KINDS)}")
    return kinds
