"""The visitor lookup closed while its list of active visitors is still loading.

On a busy machine the soak test closed the dialog (Esc) just as the realtime answer came:
the load resumed after the closing dialog had removed its widgets and before its workers
were cancelled, looked for the list, and died (NoMatches). A late answer is of no use and
must be dropped quietly.
"""

from __future__ import annotations

import asyncio

from textual.app import App

from datafast_tui.dialogs.visitor_lookup import VisitorLookup
from datafast_tui.widgets.visitor_picks import VisitorPicks


async def test_an_answer_after_the_list_is_gone_is_dropped() -> None:
    dialog: VisitorLookup | None = None

    async def live_after_close() -> list:
        # The state the soak caught: the dialog's widgets already gone when the answer lands.
        assert dialog is not None
        await dialog.query_one(VisitorPicks).remove()
        return []

    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = VisitorLookup([], live_after_close)
        await app.push_screen(dialog)
        workers = list(dialog.workers)
        assert workers, "the dialog loads the active visitors in a worker"
        await asyncio.gather(*(worker.wait() for worker in workers), return_exceptions=True)
        await pilot.pause()
        assert [worker.error for worker in workers if worker.error is not None] == []
        assert app.is_running and app.screen is dialog
