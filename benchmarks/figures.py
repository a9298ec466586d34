"""Benchmarks report their key figures through `figure()` so `run_all.py` can build one table.

A script prints its own readable lines as it likes; `figure()` adds a tab-separated line
that starts with `@figure` only when run_all asks for it (DATAFAST_BENCH_FIGURES=1), so a
script run by hand stays clean.
"""

from __future__ import annotations

import os

MARK = "@figure"


def figure(name: str, value: float, unit: str, *, target: str = "", ok: bool | None = None,
           floor: float | None = None) -> None:
    """Report one figure: its name, value and unit, the target it is held to, whether it meets it,
    and `floor`: the same measure of the simplest thing doing the job, taken in the same run
    (a minimal Textual app, a plain sort, a constant-answer server), so run_all can print the
    ratio, which a busy or slow machine moves far less than the figure itself."""
    if not os.environ.get("DATAFAST_BENCH_FIGURES"):
        return
    verdict = "" if ok is None else ("PASS" if ok else "FAIL")
    ratio = "" if not floor else f"{value / floor:.6g}"
    print(f"{MARK}\t{name}\t{value:.6g}\t{unit}\t{target}\t{verdict}\t{ratio}", flush=True)
