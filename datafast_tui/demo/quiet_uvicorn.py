"""uvicorn's Server, waking once a second instead of ten times.

uvicorn's main loop sleeps 0.1 s between checks of `should_exit` (and refreshes its Date
header every tenth): an idle `--demo` child spent 0.14 s of CPU a minute on it, more than
a whole minimal Textual app (0.12 s). Here the loop sleeps a second and refreshes the
header at every wake-up, so the header is as fresh as uvicorn keeps it and a stop is seen
within a second. Imported only by what serves (it imports uvicorn).
"""

from __future__ import annotations

import asyncio

import uvicorn

TICK_SECONDS = 1.0
#: How long an idle keep-alive connection stays open (uvicorn's default is 5 s). The app polls
#: Realtime every 5 s by default, so with 5 s every poll found its connection just closed and
#: paid a new TCP connection; a minute covers every poll interval but the slowest.
KEEP_ALIVE_SECONDS = 75


def server_config(app: object, **options: object) -> uvicorn.Config:
    """uvicorn's Config for a demo server: quiet logs, no lifespan, connections kept a while."""
    return uvicorn.Config(app, log_level="warning", lifespan="off", timeout_keep_alive=KEEP_ALIVE_SECONDS,
                          **options)


class QuietServer(uvicorn.Server):
    async def main_loop(self) -> None:
        # on_tick(0) refreshes the Date header (uvicorn does it when counter % 10 == 0) and
        # says whether to stop: a signal, or the parent gone.
        while not await self.on_tick(0):
            await asyncio.sleep(TICK_SECONDS)
