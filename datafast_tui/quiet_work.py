"""`work`: Textual's worker decorator, without a repr of every argument on every call.

Unless given a description, `textual.work` builds one from `repr()` of each argument each time
the method is called. Our workers take a `ScreenContext` (a store, a query, a clock), a
breakdown's `TabState` (every row it holds: 100,000 rows on a big tab) or a form's request,
so that repr is paid on every poll, page or keypress for a string nobody reads. Here the
description is the method's name, fixed once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work as textual_work


def work(*, group: str = "default", exclusive: bool = False, exit_on_error: bool = True,
         thread: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`textual.work(...)` with the method's qualified name as the worker's description."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        return textual_work(method, group=group, exclusive=exclusive, exit_on_error=exit_on_error,
                            thread=thread, description=method.__qualname__)

    return decorate
