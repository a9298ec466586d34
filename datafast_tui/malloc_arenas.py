"""Fewer glibc malloc arenas: the app's threads do not each keep a heap of their own.

glibc gives each thread that allocates its own arena (up to 8 per core) and keeps what is
freed in it. The demo's SQL runs in worker threads, so after a tour of every screen a few
arenas each held freed memory the main thread could not reuse: the app measured 81.6 MB
resident; with two arenas 79.0 MB (benchmarks/bench_memory.py), no slower (the interpreter's
lock already serializes most allocations). A no-op off glibc.
"""

from __future__ import annotations

import sys

#: mallopt's parameter number for the arena limit (glibc's malloc.h).
_M_ARENA_MAX = -8
ARENAS = 2


def limit_malloc_arenas(count: int = ARENAS) -> bool:
    """Cap the arenas before threads start; True when glibc took it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, ImportError):  # musl and others: no mallopt
        return False
    return bool(mallopt(_M_ARENA_MAX, count))
